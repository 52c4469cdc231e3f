"""Map stage: a resolved dataset -> instance triples (pyoxigraph terms), each node traced back.

The triples are pyoxigraph terms so serialisation and queries run in Oxigraph directly;
:func:`edugraph.vocab.terms.to_rdflib` copies them into rdflib for pySHACL and library users.
Every IRI is derived from ids (design: flat IRIs, no blank nodes), so the same data always gives
the same triples.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from edugraph.build.resolve import Dataset
from edugraph.model.item import Item
from edugraph.model.kinds import SOURCE, STATEMENT
from edugraph.model.spec import T
from edugraph.model.values import Temporal
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import (
    PROV,
    RDF,
    RDF_TYPE,
    XSD,
    node_iri,
    record_iri,
)


@dataclass(slots=True)
class Mapped:
    """The instance triples and, for every subject IRI, the record or relationship it came from;
    with ``attributed``, the ids of the sources that state each triple, in the same order."""

    triples: list[ox.Triple]
    origins: dict[str, Item]
    attribution: list[list[str]] | None = None


def map_dataset(dataset: Dataset) -> Mapped:
    """All instance triples of the dataset."""
    return map_records(dataset.records, dataset.kind_of)


def map_records(records: Iterable[Item], kind_of: Callable[[str], str],
                attributed: bool = False) -> Mapped:
    """The triples of some records; ``kind_of`` gives the kind of any id they refer to.

    ``attributed``: also say which sources state each triple (what TriG's named graphs need).
    """
    out = Mapped([], {}, [] if attributed else None)
    nodes: dict[str, ox.NamedNode] = {}

    def node(iri: str) -> ox.NamedNode:
        # Reuse one NamedNode per IRI: fewer objects to build (each Triple still copies its strings).
        term = nodes.get(iri)
        if term is None:
            term = nodes[iri] = ox.NamedNode(iri)
        return term

    for record in records:
        subject = record_iri(record.kind, record.id)
        out.origins[subject] = record
        _emit(record, node(subject), kind_of, out, node)
        numbers: Counter[tuple[str, ...]] = Counter()
        for spec in record.spec.fields.values():
            if spec.type is not T.NESTED:
                continue
            for entry in record.values.get(spec.name, []):
                iri = relation_iri(entry, numbers)
                out.origins[iri] = entry
                _emit(entry, node(iri), kind_of, out, node)
                link, forward = entry.spec.link  # type: ignore[misc]
                ends = (node(subject), node(iri)) if forward else (node(iri), node(subject))
                _add(out, ox.Triple(ends[0], node(link), ends[1]), entry.cited_sources)
    return out


def relation_iri(entry: Item, numbers: Counter[tuple[str, ...]]) -> str:
    """Flat, deterministic IRI of a qualified relationship (see the design): the record's id and
    the values of the relationship's key fields, then a number where the kind numbers its entries.
    ``numbers`` counts the entries seen so far of each key, per record."""
    parent = entry.parent
    assert parent is not None
    spec = entry.spec
    key = tuple(entry.values[name] for name in spec.iri_key)
    if spec.numbered:
        numbers[(entry.kind, *key)] += 1
        key = (*key, str(numbers[(entry.kind, *key)]))
    return node_iri(entry.kind, parent.id, *key)


def statement_iri(item: Item, name: str, triple: ox.Triple) -> str:
    """Flat, deterministic IRI of the rdf:Statement giving one value its own sources: the
    record's id, the field, and a digest of the statement (the same wherever the value is listed)."""
    digest = hashlib.sha256(str(triple).encode()).hexdigest()[:12]
    return node_iri(STATEMENT, item.id, name.replace("_", "-"), digest)


def _add(out: Mapped, triple: ox.Triple, sources: list[str]) -> None:
    out.triples.append(triple)
    if out.attribution is not None:
        out.attribution.append(sources)


def _emit(item: Item, subject: ox.NamedNode, kind_of: Callable[[str], str], out: Mapped, node) -> None:
    rdf_type = node(RDF_TYPE)
    cited = item.cited_sources
    for cls in item.spec.classes:
        _add(out, ox.Triple(subject, rdf_type, node(cls)), cited)
    values = item.values
    if item.parent is not None and "sources" not in values:
        values = {**values, "sources": cited}  # stated by the record's one source
    for name, value in values.items():
        spec = item.spec.fields[name]
        if spec.type is T.NESTED or (spec.predicate is None and spec.by_target is None):
            continue
        for v in value if spec.many else [value]:
            if spec.by_target is not None:
                kind = kind_of(v)
                predicate, obj = node(spec.by_target[kind]), node(record_iri(kind, v))
            else:
                iri = spec.predicate
                if spec.predicate_by is not None:
                    other, chosen = spec.predicate_by
                    iri = chosen.get(values.get(other), iri)
                predicate, obj = node(iri), _object(spec.type, spec, v, kind_of, node)
            triple = ox.Triple(subject, predicate, obj)
            if name == "sources":
                _add(out, triple, [v])
                continue
            own = item.sourced.get((name, v))
            _add(out, triple, own or cited)
            if own:
                _reify(item, name, triple, own, out, node)


def _reify(item: Item, name: str, triple: ox.Triple, sources: list[str], out: Mapped, node) -> None:
    """An rdf:Statement node saying which of the record's sources state ``triple``."""
    iri = statement_iri(item, name, triple)
    statement = node(iri)
    out.origins[iri] = item
    for predicate, obj in ((RDF_TYPE, node(RDF.Statement)), (RDF.subject, triple.subject),
                           (RDF.predicate, triple.predicate), (RDF.object, triple.object)):
        _add(out, ox.Triple(statement, node(predicate), obj), sources)
    derived = node(PROV.wasDerivedFrom)
    for source in sources:
        _add(out, ox.Triple(statement, derived, node(record_iri(SOURCE, source))), [source])


def _object(type_: T, spec, value, kind_of: Callable[[str], str], node) -> ox.NamedNode | ox.Literal:
    if type_ is T.REF:
        return node(record_iri(kind_of(value), value))
    if type_ is T.CONCEPT:
        return node(ontology.concept(spec.scheme, value))
    if type_ is T.IRI:
        return node(value)
    if type_ is T.TEMPORAL:
        assert isinstance(value, Temporal)
        return ox.Literal(value.lexical, datatype=node(value.datatype))
    if type_ is T.INT:
        return ox.Literal(str(value), datatype=node(XSD.integer))
    if spec.value_iris is not None:
        return node(spec.value_iris[value])
    if type_ is T.BOOL:
        return ox.Literal("true" if value else "false", datatype=node(XSD.boolean))
    if spec.lang:
        return ox.Literal(value, language=spec.lang)
    return ox.Literal(value)
