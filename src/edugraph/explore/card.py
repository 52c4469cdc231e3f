"""A record's card: everything the graph says about it, with the other ends' labels.

``edugraph show`` prints it (:mod:`edugraph.render.cardtext`); it reads the same store the
queries use, so it works on the cached store of ``data/`` and on any store ``edugraph load`` wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from edugraph.errors import UsageError, suggest
from edugraph.model.kinds import OWN_CLASSES, PREFIXES, RECORD_KINDS
from edugraph.query.stores import labels
from edugraph.vocab.namespaces import EG, ORG, PROV, RDF_TYPE, SCHEMA, SKOS, record_iri

_RELATION_LINKS = (ORG.member, ORG.organization, PROV.agent)
_OWN_CLASSES = OWN_CLASSES
curie = PREFIXES.curie
_HIDDEN = {RDF_TYPE, SCHEMA.name, SKOS.altLabel, SKOS.hiddenLabel, PROV.wasDerivedFrom,
           PROV.qualifiedAssociation, EG.statedCount}


@dataclass(slots=True)
class Relationship:
    """A qualified relationship seen from one of its ends."""

    kind: str  # position | participation | involvement | count
    iri: str
    other: str | None  # the IRI at the other end, if any
    facts: list[tuple[str, str]] = field(default_factory=list)  # (property CURIE, display value)
    sources: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Card:
    id: str
    iri: str
    kind: str
    name: str
    aliases: list[str]
    properties: list[tuple[str, str]]  # (property CURIE, display value), sorted
    relationships: list[Relationship]
    referenced_by: list[tuple[str, str]]  # (property CURIE, display of the record pointing here)
    sources: list[str]
    labels: dict[str, str]


def resolve_id(store: ox.Store, record_id: str) -> tuple[str, str]:
    """``(iri, kind)`` of a record id, whatever its kind; UsageError with a suggestion if none."""
    for kind in RECORD_KINDS:
        iri = record_iri(kind, record_id)
        if next(iter(store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None)), None):
            return iri, kind
    ids = [q.subject.value.rsplit("/", 1)[-1] for cls in _OWN_CLASSES
           for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls))]
    raise UsageError(f"no record has the id '{record_id}'",
                     hint=suggest(record_id, ids) or "try 'edugraph search TEXT'")


def _objects(store: ox.Store, subject: str) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    return sorted(((q.predicate.value, q.object) for q in store.quads_for_pattern(ox.NamedNode(subject), None, None)),
                  key=lambda po: (po[0], str(po[1])))


def card(store: ox.Store, record_id: str) -> Card:
    """Everything the graph says about one record, with the other ends' labels."""
    iri, kind = resolve_id(store, record_id)
    props = _objects(store, iri)
    mentioned: set[str] = set()
    name, aliases, sources, properties = "", [], [], []
    for p, o in props:
        if p == SCHEMA.name:
            name = o.value
        elif p in (SKOS.altLabel, SKOS.hiddenLabel):
            aliases.append(o.value)
        elif p == PROV.wasDerivedFrom:
            sources.append(o.value)
        if isinstance(o, ox.NamedNode):
            mentioned.add(o.value)
        if p not in _HIDDEN:
            properties.append((p, o))
    relationships = []
    nodes = [o.value for p, o in props if p in (PROV.qualifiedAssociation, EG.statedCount)]
    for link in _RELATION_LINKS:
        nodes += [q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(link), ox.NamedNode(iri))]
    for node in sorted(set(nodes)):
        relationships.append(_relationship(store, node, iri, mentioned))
    referenced_by = []
    for q in store.quads_for_pattern(None, None, ox.NamedNode(iri)):
        if q.predicate.value in (*_RELATION_LINKS, PROV.qualifiedAssociation, EG.statedCount):
            continue
        if q.subject.value.rsplit("/", 2)[-2] in RECORD_KINDS:
            referenced_by.append((q.predicate.value, q.subject.value))
            mentioned.add(q.subject.value)
    found = labels(store, mentioned | {iri})

    def show(term: ox.NamedNode | ox.Literal | str) -> str:
        value = term if isinstance(term, str) else term.value
        if isinstance(term, ox.Literal):
            return value
        return found.get(value) or curie(value)

    return Card(
        id=record_id, iri=iri, kind=kind, name=name, aliases=aliases,
        properties=[(curie(p), show(o)) for p, o in properties],
        relationships=[_finish(r, show) for r in relationships],
        referenced_by=sorted((curie(p), show(s)) for p, s in referenced_by),
        sources=[curie(s) for s in sources], labels=found,
    )


def _relationship(store: ox.Store, node: str, focus: str, mentioned: set[str]) -> Relationship:
    kind = node.rsplit("/", 2)[-2]
    rel = Relationship(kind, node, None)
    parents = [q.subject.value for q in store.quads_for_pattern(None, None, ox.NamedNode(node))
               if q.predicate.value in (PROV.qualifiedAssociation, EG.statedCount)]
    for p, o in _objects(store, node):
        if p == RDF_TYPE:
            continue
        if p == PROV.wasDerivedFrom:
            rel.sources.append(o.value)
        elif isinstance(o, ox.NamedNode) and o.value != focus and p in _RELATION_LINKS:
            rel.other = o.value
        elif not (isinstance(o, ox.NamedNode) and o.value == focus):
            rel.facts.append((p, o))  # type: ignore[arg-type]
        if isinstance(o, ox.NamedNode):
            mentioned.add(o.value)
    for parent in parents:
        if parent != focus:
            rel.other = parent
            mentioned.add(parent)
    return rel


def _finish(rel: Relationship, show) -> Relationship:
    rel.facts = [(curie(p), show(o)) for p, o in rel.facts]  # type: ignore[misc]
    rel.sources = [curie(s) for s in rel.sources]
    return rel
