"""Map stage: a resolved dataset -> instance triples (pyoxigraph terms), each node traced back.

The triples are pyoxigraph terms so serialisation and queries run in Oxigraph directly;
:func:`edugraph.vocab.terms.to_rdflib` copies them into rdflib for pySHACL and library users.
Every IRI is derived from ids (design: flat IRIs, no blank nodes), so the same data always gives
the same triples.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from edugraph.build.resolve import Dataset
from edugraph.model.kinds import Item
from edugraph.model.spec import T
from edugraph.model.values import Temporal
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import (
    RDF_TYPE,
    XSD,
    node_iri,
    record_iri,
)


@dataclass(slots=True)
class Mapped:
    """The instance triples and, for every subject IRI, the record or relationship it came from."""

    triples: list[ox.Triple]
    origins: dict[str, Item]


def map_dataset(dataset: Dataset) -> Mapped:
    """All instance triples of the dataset."""
    return map_records(dataset.records, dataset.kind_of)


def map_records(records: Iterable[Item], kind_of: Callable[[str], str]) -> Mapped:
    """The triples of some records; ``kind_of`` gives the kind of any id they refer to."""
    triples: list[ox.Triple] = []
    origins: dict[str, Item] = {}
    nodes: dict[str, ox.NamedNode] = {}

    def node(iri: str) -> ox.NamedNode:
        # Reuse one NamedNode per IRI: fewer objects to build (each Triple still copies its strings).
        term = nodes.get(iri)
        if term is None:
            term = nodes[iri] = ox.NamedNode(iri)
        return term

    for record in records:
        subject = record_iri(record.kind, record.id)
        origins[subject] = record
        _emit(record, node(subject), kind_of, triples, node, None)
        numbers: Counter[tuple[str, ...]] = Counter()
        for spec in record.spec.fields.values():
            if spec.type is not T.NESTED:
                continue
            for entry in record.values.get(spec.name, []):
                iri = relation_iri(entry, numbers)
                origins[iri] = entry
                _emit(entry, node(iri), kind_of, triples, node, record.values.get("sources"))
                link, forward = entry.spec.link  # type: ignore[misc]
                if forward:
                    triples.append(ox.Triple(node(subject), node(link), node(iri)))
                else:
                    triples.append(ox.Triple(node(iri), node(link), node(subject)))
    return Mapped(triples, origins)


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


def _emit(item: Item, subject: ox.NamedNode, kind_of: Callable[[str], str], out: list[ox.Triple], node,
          inherited_sources: list[str] | None) -> None:
    rdf_type = node(RDF_TYPE)
    for cls in item.spec.classes:
        out.append(ox.Triple(subject, rdf_type, node(cls)))
    values = dict(item.values)
    if inherited_sources and "sources" not in values:
        values["sources"] = inherited_sources
    for name, value in values.items():
        spec = item.spec.fields[name]
        if spec.type is T.NESTED or (spec.predicate is None and spec.by_target is None):
            continue
        for v in value if spec.many else [value]:
            if spec.by_target is not None:
                kind = kind_of(v)
                out.append(ox.Triple(subject, node(spec.by_target[kind]), node(record_iri(kind, v))))
                continue
            predicate = node(spec.predicate)  # type: ignore[arg-type]
            out.append(ox.Triple(subject, predicate, _object(spec.type, spec, v, kind_of, node)))


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
