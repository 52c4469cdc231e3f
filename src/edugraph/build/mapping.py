"""Map stage: a resolved dataset -> instance triples (pyoxigraph terms), each node traced back.

The triples are pyoxigraph terms so serialisation and queries run in Oxigraph directly;
:func:`to_rdflib` gives the same triples as an rdflib graph for pySHACL and for library users.
Every IRI is derived from ids (design: flat IRIs, no blank nodes), so the same data always gives
the same triples.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from edugraph.model.kinds import Item, T, Temporal
from edugraph.vocab.namespaces import (
    RDF_TYPE,
    SCHEMA,
    XSD,
    concept_iri,
    node_iri,
    record_iri,
)
from edugraph.build.resolve import Dataset

if TYPE_CHECKING:
    import rdflib

_ONLINE = {True: SCHEMA.OnlineEventAttendanceMode, False: SCHEMA.OfflineEventAttendanceMode}


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
        position_numbers: Counter[str] = Counter()
        for spec in record.spec.fields.values():
            if spec.type is not T.NESTED:
                continue
            for entry in record.values.get(spec.name, []):
                iri = relation_iri(entry, position_numbers)
                origins[iri] = entry
                _emit(entry, node(iri), kind_of, triples, node, record.values.get("sources"))
                link, forward = entry.spec.link  # type: ignore[misc]
                if forward:
                    triples.append(ox.Triple(node(subject), node(link), node(iri)))
                else:
                    triples.append(ox.Triple(node(iri), node(link), node(subject)))
    return Mapped(triples, origins)


def relation_iri(entry: Item, position_numbers: Counter[str]) -> str:
    """Flat, deterministic IRI of a qualified relationship (see the design)."""
    parent = entry.parent
    assert parent is not None
    v = entry.values
    if entry.kind == "position":
        org = v["organisation"]
        position_numbers[org] += 1
        return node_iri("position", parent.id, org, str(position_numbers[org]))
    if entry.kind in ("participation", "involvement"):
        return node_iri(entry.kind, parent.id, v["agent"], v["role"])
    return node_iri("count", parent.id, v["of"])


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
        return node(concept_iri(spec.scheme, value))
    if type_ is T.IRI:
        return node(value)
    if type_ is T.TEMPORAL:
        assert isinstance(value, Temporal)
        return ox.Literal(value.lexical, datatype=node(value.datatype))
    if type_ is T.INT:
        return ox.Literal(str(value), datatype=node(XSD.integer))
    if type_ is T.BOOL:
        if spec.name == "online":
            return node(_ONLINE[value])
        return ox.Literal("true" if value else "false", datatype=node(XSD.boolean))
    if spec.lang:
        return ox.Literal(value, language=spec.lang)
    return ox.Literal(value)


def to_rdflib(triples, graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Copy pyoxigraph triples (or quads) into an rdflib graph (a new one by default)."""
    import rdflib

    g = graph if graph is not None else rdflib.Graph()
    iris: dict[str, rdflib.URIRef] = {}

    def term(t):
        if isinstance(t, ox.NamedNode):
            r = iris.get(t.value)
            if r is None:
                r = iris[t.value] = rdflib.URIRef(t.value)
            return r
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        datatype = t.datatype.value
        if datatype == XSD.string:
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=term(t.datatype))

    add = g.add
    for t in triples:
        add((term(t.subject), term(t.predicate), term(t.object)))
    return g
