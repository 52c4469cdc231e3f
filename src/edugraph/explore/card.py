"""A record's card: everything the graph says about it, with the other ends' labels.

``edugraph show`` prints it (:mod:`edugraph.render.cardtext`) and the site's record pages render
it with links (:mod:`edugraph.render.site.record`). It reads the same store the queries use, so it
works on the cached store of ``data/`` and on any store ``edugraph load`` wrote. Which properties
link a record to its relationships, and which YAML field a property comes from, are read off the
record model.

Provenance is per statement: a relationship carries its own sources, and a value a source of its
own states (an rdf:Statement whose subject is the record or relationship) carries those; the
record's ``sources`` are all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox

from edugraph.model.kinds import KINDS, PREFIXES, RELATIONS, kind_and_id
from edugraph.query.lookup import find_record
from edugraph.query.stores import labels
from edugraph.vocab.namespaces import RDF, RDF_TYPE

Term = ox.NamedNode | ox.BlankNode | ox.Literal
"""A value in the graph: an IRI, a blank node or a literal."""


def _field_names() -> dict[str, dict[str, str]]:
    """Per kind of record or relationship: property IRI -> the YAML field it comes from."""
    names: dict[str, dict[str, str]] = {}
    for kind, spec in [*KINDS.items(), *RELATIONS.items()]:
        for f in spec.fields.values():
            chosen = f.predicate_by[1].values() if f.predicate_by else ()
            for predicate in [f.predicate, *(f.by_target or {}).values(), *chosen]:
                if predicate:
                    names.setdefault(kind, {}).setdefault(predicate, f.name)
    return names


_FIELDS = _field_names()
_BOUNDS: Final = {predicate: bound for spec in RELATIONS.values() for f in spec.fields.values()
                  if f.predicate_by for bound, predicate in f.predicate_by[1].items()}
"""Properties that give a bound rather than the value itself -> the bound (``at-least``...)."""

DIRECTED: Final = frozenset({"tie"})
"""Relationships whose role says what the record linking to them is to the other end (its
member, partner...): read one way from that record, the other way from the other end."""

TO_NODE: Final = frozenset(spec.link[0] for spec in RELATIONS.values() if spec.link and spec.link[1])
"""Properties from a record to its relationship nodes (``prov:qualifiedAssociation``...)."""
FROM_NODE: Final = frozenset(
    [*(spec.link[0] for spec in RELATIONS.values() if spec.link and not spec.link[1]),
     *(spec.fields[spec.other_end].predicate for spec in RELATIONS.values() if spec.other_end)])
"""Properties from a relationship node to the records it joins (``org:member``, ``prov:agent``...)."""
_OWNED_BY_OBJECT = frozenset(spec.link[0] for spec in RELATIONS.values() if spec.link and not spec.link[1])
"""Properties from a relationship node to the record it belongs to (a position's ``org:member``)."""


def _predicates(*names: str) -> frozenset[str]:
    """The properties the fields ``names`` map to, in any kind of record or relationship."""
    return frozenset(f.predicate for spec in (*KINDS.values(), *RELATIONS.values())
                     for f in spec.fields.values() if f.name in names and f.predicate)


_NAME = _predicates("name")
_MENTIONS = _predicates("mentioned_as")
_ALIASES = _predicates("aliases", "mentioned_as")
_SOURCES = _predicates("sources")
_SOURCE_PROPERTY = next(iter(_SOURCES))
_HIDDEN = frozenset({RDF_TYPE, *_NAME, *_ALIASES, *_SOURCES, *TO_NODE})
"""Properties the card shows elsewhere than among the properties (the kind, names, sources,
relationships)."""


def field_of(kind: str, predicate: str) -> str | None:
    """The YAML field of a record or relationship of ``kind`` that ``predicate`` comes from."""
    return _FIELDS.get(kind, {}).get(predicate)


def bound_of(predicate: str) -> str | None:
    """``at-least`` or ``at-most`` when ``predicate`` gives a count's bound, else None."""
    return _BOUNDS.get(predicate)


def field_order(kind: str, name: str | None) -> int:
    """Where the field ``name`` comes among the fields of ``kind`` (unknown fields last)."""
    spec = KINDS.get(kind) or RELATIONS.get(kind)
    order = list(spec.fields) if spec is not None else []
    return order.index(name) if name in order else len(order)


@dataclass(frozen=True, slots=True)
class Fact:
    """One property of a record or relationship, with the YAML field it comes from (None when the
    model has none, as for a loaded store's own properties) and, when the value names sources of
    its own, those (else it is stated by all the sources of its record or relationship)."""

    predicate: str
    field: str | None
    value: Term
    sources: tuple[str, ...] = ()  # IRIs


@dataclass(slots=True)
class Relationship:
    """A qualified relationship seen from one of its ends."""

    kind: str  # position | participation | involvement | count | tie
    iri: str
    other: str | None  # the IRI at the other end, if any
    facts: list[Fact] = field(default_factory=list)  # by property IRI
    sources: list[str] = field(default_factory=list)  # IRIs: exactly the sources that state it
    own: bool = True
    """Whether the card's record is the one the relationship belongs to (its YAML lists it: the
    person of a position, the event of a participation, the organisation having a tie)."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A record whose ``field`` (property ``predicate``) points at the card's record."""

    predicate: str
    field: str | None
    record: str  # IRI


@dataclass(slots=True)
class Card:
    """Everything the graph says about one record; values as terms, so each renderer shows them
    its own way (:meth:`text` as ``edugraph show`` does)."""

    id: str
    iri: str
    kind: str
    name: str  # the label tables give it: its name, else its one mention marked unnamed
    aliases: list[Fact]  # other names and mentions, by property IRI, then value
    properties: list[Fact]  # by property IRI, then value
    relationships: list[Relationship]  # by the node's IRI
    referenced_by: list[Reference]  # as the store gives them
    sources: list[str]  # IRIs: every source stating something about it
    labels: dict[str, str]  # labels of the record and of every IRI the card mentions
    place: str | None = None
    """``file:line`` of the record's YAML, when the card was read from the project's data folder."""

    def text(self, term: Term | str) -> str:
        """A value as text: a literal's lexical form, else the label of the IRI, else its CURIE."""
        if isinstance(term, ox.Literal):
            return term.value
        value = term if isinstance(term, str) else term.value
        return self.labels.get(value) or PREFIXES.curie(value)


def resolve_id(store: ox.Store, record_id: str) -> tuple[str, str]:
    """``(iri, kind)`` of a record id, whatever its kind; else the UsageError of
    :func:`edugraph.query.lookup.not_found` (the text is a name, or close to an id or name)."""
    iri = find_record(store, record_id)
    return iri, (kind_and_id(iri) or ("", ""))[0]


def record_kind(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
    """The kind of record ``term`` names, or None when it is no record's IRI."""
    found = kind_and_id(term.value) if isinstance(term, ox.NamedNode) else None
    return found[0] if found and found[0] in KINDS else None


def _objects(store: ox.Store, subject: str) -> list[tuple[str, Term]]:
    return sorted(((q.predicate.value, q.object)  # type: ignore[misc]
                   for q in store.quads_for_pattern(ox.NamedNode(subject), None, None)),
                  key=lambda po: (po[0], str(po[1])))


def _one(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> Term | None:
    quad = next(iter(store.quads_for_pattern(subject, ox.NamedNode(predicate), None)), None)
    return quad.object if quad is not None else None  # type: ignore[return-value]


def own_sources(store: ox.Store, subject: str) -> dict[tuple[str, Term], tuple[str, ...]]:
    """(property IRI, value) -> the sources of each value of ``subject`` that names its own: the
    rdf:Statements whose rdf:subject it is."""
    found: dict[tuple[str, Term], tuple[str, ...]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF.subject), ox.NamedNode(subject)):
        statement = quad.subject
        predicate, value = _one(store, statement, RDF.predicate), _one(store, statement, RDF.object)
        if not isinstance(predicate, ox.NamedNode) or value is None:
            continue
        sources = sorted(q.object.value for q in store.quads_for_pattern(
            statement, ox.NamedNode(_SOURCE_PROPERTY), None))
        key = (predicate.value, value)
        found[key] = tuple(sorted({*found.get(key, ()), *sources}))
    return found


Locate = Callable[[str], str | None]
"""A record's id -> ``file:line`` of its YAML, None when unknown (the build hands one over for the
data folder; a store has no files)."""


def card(store: ox.Store, record_id: str, locate: Locate | None = None) -> Card:
    """Everything the graph says about the record ``record_id``, with the other ends' labels (and,
    with ``locate``, where its YAML is)."""
    iri, _ = resolve_id(store, record_id)
    found = card_of(store, iri)
    if locate is not None:
        found.place = locate(found.id)
    return found


def card_of(store: ox.Store, iri: str) -> Card:
    """Everything the graph says about the record ``iri``, with the other ends' labels."""
    kind, record_id = kind_and_id(iri) or ("", iri)
    props = _objects(store, iri)
    stated = own_sources(store, iri)
    mentioned: set[str] = {s for sources in stated.values() for s in sources}
    named = any(p in _NAME for p, _ in props)
    aliases: list[Fact] = []
    sources: list[str] = []
    properties: list[Fact] = []
    for p, o in props:
        fact = Fact(p, field_of(kind, p), o, stated.get((p, o), ()))
        if p in _ALIASES and (named or p not in _MENTIONS):  # an unnamed record's mention is its name
            aliases.append(fact)
        elif p in _SOURCES:
            sources.append(o.value)
        if isinstance(o, ox.NamedNode):
            mentioned.add(o.value)
        if p not in _HIDDEN:
            properties.append(fact)
    # Each relationship node, and whether it is the record's own (see Relationship.own).
    nodes = {o.value: True for p, o in props if p in TO_NODE}
    for link in FROM_NODE:
        for q in store.quads_for_pattern(None, ox.NamedNode(link), ox.NamedNode(iri)):
            nodes.setdefault(q.subject.value, link in _OWNED_BY_OBJECT)
    relationships = [_relationship(store, node, iri, mentioned, own) for node, own in sorted(nodes.items())]
    referenced_by = []
    for q in store.quads_for_pattern(None, None, ox.NamedNode(iri)):
        if q.predicate.value in FROM_NODE or q.predicate.value in TO_NODE:
            continue
        if other := record_kind(q.subject):
            referenced_by.append(Reference(q.predicate.value, field_of(other, q.predicate.value),
                                           q.subject.value))
            mentioned.add(q.subject.value)
    found = labels(store, mentioned | {iri})
    return Card(id=record_id, iri=iri, kind=kind, name=found.get(iri, record_id), aliases=aliases,
                properties=properties, relationships=relationships, referenced_by=referenced_by,
                sources=sources, labels=found)


def _relationship(store: ox.Store, node: str, focus: str, mentioned: set[str],
                  own: bool = True) -> Relationship:
    found = kind_and_id(node)
    kind = found[0] if found else ""
    rel = Relationship(kind, node, None, own=own)
    parents = [q.subject.value for q in store.quads_for_pattern(None, None, ox.NamedNode(node))
               if q.predicate.value in TO_NODE]
    stated = own_sources(store, node)
    mentioned.update(s for sources in stated.values() for s in sources)
    for p, o in _objects(store, node):
        if p == RDF_TYPE:
            continue
        if p in _SOURCES:
            rel.sources.append(o.value)
        elif isinstance(o, ox.NamedNode) and o.value != focus and p in FROM_NODE:
            rel.other = o.value
        elif not (isinstance(o, ox.NamedNode) and o.value == focus):
            rel.facts.append(Fact(p, field_of(kind, p), o, stated.get((p, o), ())))
        if isinstance(o, ox.NamedNode):
            mentioned.add(o.value)
    for parent in parents:
        if parent != focus:
            rel.other = parent
            mentioned.add(parent)
    return rel
