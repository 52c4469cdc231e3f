"""A record's neighbourhood in the graph (or the whole graph): the records and relationships a
picture shows (:mod:`edugraph.render.viz` draws them).

Records are nodes and relationships are edges. A qualified relationship is one edge between the
two records it joins, labelled by what it says: a person -> organisation edge by the position's
title, an event or initiative -> agent edge by the role (and the title an involvement gives). A
direct link between records (``location``, ``part_of``, ``topics``, ``broader``, ``publisher``) is
an edge labelled by its field name. Provenance (``sources``) is left out: every record cites a
source, so it would join everything to everything within two hops. Counts have no record at their
other end and are left out too. Which properties are which is read off the record model.

Nodes and edges are sorted, so the same data always gives the same subgraph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.explore.card import record_kind, resolve_id
from edugraph.model.kinds import KINDS, PREFIXES, RECORD_KINDS, RELATIONS, KindSpec, T, kind_and_id
from edugraph.query.stores import labels
from edugraph.vocab.namespaces import RDF_TYPE, SKOS


def _direct_links() -> dict[str, str]:
    """Property IRI -> field name of every reference between records (``sources`` left out)."""
    found: dict[str, str] = {}
    for spec in KINDS.values():
        for f in spec.fields.values():
            if f.type is not T.REF or f.name == "sources":
                continue
            for predicate in [f.predicate, *(f.by_target or {}).values()]:
                if predicate:
                    found[predicate] = f.name.replace("_", " ")
    return found


_DIRECT = _direct_links()
# Relationships with a record at each end: the property joining the node to its record (and
# whether it runs record -> node), and the one naming the record at the other end.
_JOINS = {spec.name: (spec.link[0], spec.link[1], spec.fields[spec.other_end].predicate)
          for spec in RELATIONS.values() if spec.link and spec.other_end}
_TO_NODE = {link for link, forward, _ in _JOINS.values() if forward}


@dataclass(frozen=True, slots=True, order=True)
class Node:
    """A record in a picture."""

    id: str
    kind: str
    label: str
    iri: str


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """A relationship between two records, by id; ``label`` says what it is."""

    source: str
    target: str
    label: str


@dataclass(slots=True)
class Subgraph:
    """The nodes and edges of a picture, sorted; ``focus`` is the record it is centred on."""

    nodes: list[Node]
    edges: list[Edge]
    focus: str | None = None
    depth: int = 0
    kinds: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        only = f"; only {', '.join(self.kinds)}" if self.kinds and self.kinds != RECORD_KINDS else ""
        if self.focus is None:
            return f"The edugraph graph{' (' + only[2:] + ')' if only else ''}"
        name = next((n.label for n in self.nodes if n.id == self.focus), self.focus)
        return f"Around {name} ({self.depth} hop{'s' if self.depth != 1 else ''}{only})"


def _record(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
    """The IRI of ``term`` when it names a record, else None."""
    return term.value if record_kind(term) is not None else None  # type: ignore[union-attr]


def _kind(iri: str) -> str:
    """The kind of a record's IRI."""
    found = kind_and_id(iri)
    return found[0] if found else ""


def _id(iri: str) -> str:
    """The id of a record's IRI."""
    found = kind_and_id(iri)
    return found[1] if found else iri


def _spec(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> KindSpec | None:
    """The relationship spec of a node joining two records, else None."""
    found = kind_and_id(node.value) if isinstance(node, ox.NamedNode) else None
    return RELATIONS[found[0]] if found and found[0] in _JOINS else None


_Link = tuple[object, str, str, str]  # (identity, source IRI, target IRI, label)


class _Links:
    """The relationships of records, read from the store once per record."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._cache: dict[str, list[_Link]] = {}
        self._labels: dict[str, str] = {}

    def __call__(self, iri: str) -> list[_Link]:
        if iri not in self._cache:
            self._cache[iri] = self._read(iri)
        return self._cache[iri]

    def _one(self, subject: ox.NamedNode | ox.BlankNode,
             predicate: str | None) -> ox.NamedNode | ox.Literal | None:
        if predicate is None:
            return None
        quad = next(iter(self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None)), None)
        return quad.object if quad is not None else None  # type: ignore[return-value]

    def _label(self, node: ox.NamedNode, spec: KindSpec) -> str:
        """What a relationship says: its role (and title), else its title, else its kind."""
        title = self._one(node, spec.fields["title"].predicate) if "title" in spec.fields else None
        if "role" not in spec.fields:
            return title.value if title is not None else spec.name
        role = self._one(node, spec.fields["role"].predicate)
        label = role.value if role is not None else "takes part"
        if isinstance(role, ox.NamedNode):
            if role.value not in self._labels:
                pref = self._one(role, SKOS.prefLabel)
                self._labels[role.value] = pref.value if pref is not None else PREFIXES.curie(role.value)
            label = self._labels[role.value]
        return f"{label} ({title.value})" if title is not None else label

    def _parents(self, node: ox.NamedNode, link: str, forward: bool) -> list[str]:
        """The records a relationship node belongs to."""
        if not forward:
            return [iri] if (iri := _record(self._one(node, link))) else []
        return [iri for quad in self.store.quads_for_pattern(None, ox.NamedNode(link), node)
                if (iri := _record(quad.subject))]

    def _read(self, iri: str) -> list[_Link]:
        links: list[_Link] = []
        me = ox.NamedNode(iri)
        for quad in self.store.quads_for_pattern(me, None, None):
            p, o = quad.predicate.value, quad.object
            if p in _DIRECT and (other := _record(o)):
                links.append(((iri, p, other), iri, other, _DIRECT[p]))
            elif p in _TO_NODE and (spec := _spec(o)) and _JOINS[spec.name][0] == p:
                if other := _record(self._one(o, _JOINS[spec.name][2])):  # type: ignore[arg-type]
                    links.append((o.value, iri, other, self._label(o, spec)))  # type: ignore[arg-type]
        for quad in self.store.quads_for_pattern(None, None, me):
            p, s = quad.predicate.value, quad.subject
            if p in _DIRECT and (other := _record(s)):
                links.append(((other, p, iri), other, iri, _DIRECT[p]))
                continue
            spec = _spec(s)
            if spec is None:
                continue
            link, forward, other_end = _JOINS[spec.name]
            if p == link and not forward and (other := _record(self._one(s, other_end))):  # type: ignore[arg-type]
                links.append((s.value, iri, other, self._label(s, spec)))  # type: ignore[arg-type]
            elif p == other_end:
                for parent in self._parents(s, link, forward):  # type: ignore[arg-type]
                    links.append((s.value, parent, iri, self._label(s, spec)))  # type: ignore[arg-type]
        return links


def _check_kinds(kinds: Collection[str] | None) -> tuple[str, ...]:
    if not kinds:
        return RECORD_KINDS
    unknown = sorted(set(kinds) - set(RECORD_KINDS))
    if unknown:
        raise UsageError(f"unknown kind '{unknown[0]}'", hint=f"kinds are: {', '.join(RECORD_KINDS)}")
    return tuple(k for k in RECORD_KINDS if k in kinds)


def all_records(store: ox.Store, kinds: Iterable[str] = RECORD_KINDS) -> list[str]:
    """IRIs of every record of the given kinds, sorted."""
    found: set[str] = set()
    for kind in kinds:
        own_class = ox.NamedNode(KINDS[kind].own_class)
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), own_class):
            if iri := _record(quad.subject):
                found.add(iri)
    return sorted(found)


def neighbourhood(store: ox.Store, record_id: str | None, depth: int = 1,
                  kinds: Collection[str] | None = None) -> Subgraph:
    """The records within ``depth`` hops of ``record_id`` (all records when None) and every
    relationship between them.

    A hop follows any relationship in either direction; a qualified relationship (position,
    participation, involvement) is one hop. With ``kinds``, only records of those kinds are
    shown and hops are counted through them alone; the record itself is always shown.
    """
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    chosen = _check_kinds(kinds)
    links = _Links(store)
    focus: str | None = None
    if record_id is None:
        members = set(all_records(store, chosen))
    else:
        focus, _ = resolve_id(store, record_id)
        members = {focus}
        frontier = [focus]
        for _ in range(depth):
            reached: list[str] = []
            for iri in frontier:
                for _key, source, target, _label in links(iri):
                    other = target if source == iri else source
                    if other not in members and _kind(other) in chosen:
                        members.add(other)
                        reached.append(other)
            frontier = sorted(reached)
    edges: dict[object, Edge] = {}
    for iri in sorted(members):
        for key, source, target, label in links(iri):
            if source in members and target in members:
                edges[key] = Edge(_id(source), _id(target), label)
    names = labels(store, members)
    nodes = sorted(Node(_id(iri), _kind(iri), names.get(iri, _id(iri)), iri)
                   for iri in members)
    return Subgraph(nodes, sorted(edges.values()), None if focus is None else _id(focus),
                    depth if focus is not None else 0, chosen)
