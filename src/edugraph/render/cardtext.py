"""A record's card as the plain text ``edugraph show`` prints, in the words of the YAML: fields by
their YAML names, records by label and id, sources by id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pyoxigraph as ox

from edugraph.explore.card import (
    DIRECTED,
    Card,
    Fact,
    Relationship,
    Term,
    bound_of,
    field_order,
    record_kind,
)
from edugraph.model.kinds import KINDS, PREFIXES, RELATIONS, kind_and_id

_CHOICES: Final = {(f.predicate, iri): choice for spec in (*KINDS.values(), *RELATIONS.values())
                   for f in spec.fields.values() for choice, iri in (f.value_iris or {}).items()}
"""(property, IRI) -> the YAML choice it maps (``online``: schema:MixedEventAttendanceMode -> mixed)."""
_COMMON: Final = frozenset.intersection(*(frozenset(spec.fields) for spec in KINDS.values()))
"""The fields every kind of record has (``description``, ``note``...): shown after a kind's own."""


def _id(iri: str) -> str:
    found = kind_and_id(iri)
    return found[1] if found else iri


def _sources(iris: Iterable[str]) -> str:
    return ", ".join(_id(s) for s in iris)


def _record(card: Card, iri: str) -> str:
    """A record as ``label (id)``; its id alone when it has no label."""
    label = card.labels.get(iri)
    return f"{label} ({_id(iri)})" if label else _id(iri)


def _term(card: Card, predicate: str, term: Term) -> str:
    """A value as the YAML writes it, or as near as the graph allows: a literal's lexical form, a
    record's label and id, a choice's word, a term's label, else the IRI (short when it can be)."""
    if isinstance(term, ox.Literal):
        return term.value
    if record_kind(term) is not None:
        return _record(card, term.value)
    choice = _CHOICES.get((predicate, term.value))
    if choice is not None:
        return choice
    return card.labels.get(term.value) or PREFIXES.curie(term.value).removeprefix("<").removesuffix(">")


def _value(card: Card, fact: Fact) -> str:
    """A value as text, a count's bound spelled out (``at least 20``), and its own sources."""
    text = _term(card, fact.predicate, fact.value)
    bound = bound_of(fact.predicate)
    if bound:
        text = f"{bound.replace('-', ' ')} {text}"
    return text + (f" [{_sources(fact.sources)}]" if fact.sources else "")


def _name(fact: Fact) -> str:
    """The YAML field of a fact; the property's CURIE when the model has none (a loaded store's
    own properties)."""
    return fact.field or PREFIXES.curie(fact.predicate)


def _relationship(card: Card, rel: Relationship) -> str:
    """``kind: other end (id): field=value, ...  [sources]``: a count is headed by what it counts,
    a tie by what the record having it is to the other end."""
    facts = sorted(rel.facts, key=lambda f: (field_order(rel.kind, f.field), f.predicate))
    head = _record(card, rel.other) if rel.other else ""
    if rel.other is None:
        counted = [f for f in facts if f.field == "of"]
        if counted:
            head = _value(card, counted[0])
            facts = [f for f in facts if f is not counted[0]]
    if rel.kind in DIRECTED:
        roles = [f for f in facts if f.field == "role"]
        if roles:
            role = _value(card, roles[0])
            head = f"{role} of {head}" if rel.own else f"{head}, its {role}"
            facts = [f for f in facts if f is not roles[0]]
    shown = ", ".join(f"{_name(f)}={_value(card, f)}" for f in facts)
    return (f"  {rel.kind}: {head}" + (f": {shown}" if shown else "")
            + (f"  [{_sources(rel.sources)}]" if rel.sources else ""))


def _fields(card: Card) -> list[str]:
    """One line per field, the kind's own fields first, each in the model's order, its values in
    the graph's (``honorifics: Prof.; Professor``)."""
    order: dict[str, list[str]] = {}
    for fact in sorted(card.properties, key=lambda f: (f.field in _COMMON, field_order(card.kind, f.field),
                                                       _name(f))):
        order.setdefault(_name(fact), []).append(_value(card, fact))
    return [f"  {name}: {'; '.join(values)}" for name, values in order.items()]


def card_text(card: Card) -> str:
    """Names, kind and id, where the YAML is, fields, relationships with the sources that state
    each, values with sources of their own with those, what points here, and every source of the
    record."""
    lines = [f"{card.name}  ({card.kind} {card.id})"]
    if card.place:
        lines.append(f"  in {card.place}")
    if card.aliases:
        lines.append(f"  also: {'; '.join(_value(card, alias) for alias in card.aliases)}")
    lines += _fields(card)
    if card.relationships:
        lines.append("relationships:")
    lines += [_relationship(card, rel) for rel in card.relationships]
    if card.referenced_by:
        lines.append("referenced by:")
    lines += [f"  {name}: {value}" for name, value in sorted(
        (ref.field or PREFIXES.curie(ref.predicate), _record(card, ref.record)) for ref in card.referenced_by)]
    lines.append(f"sources: {_sources(card.sources)}" if card.sources
                 else "sources: (a source document)")
    return "\n".join(lines) + "\n"
