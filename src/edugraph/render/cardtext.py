"""A record's card as the plain text ``edugraph show`` prints."""

from __future__ import annotations

from collections.abc import Iterable

from edugraph.explore.card import DIRECTED, Card, Fact, Relationship, bound_of, field_order
from edugraph.model.kinds import PREFIXES


def _sources(iris: Iterable[str]) -> str:
    return ", ".join(PREFIXES.curie(s) for s in iris)


def _value(card: Card, fact: Fact) -> str:
    """A value as text, a count's bound spelled out (``at least 20``), and its own sources."""
    text = card.text(fact.value)
    bound = bound_of(fact.predicate)
    if bound:
        text = f"{bound.replace('-', ' ')} {text}"
    return text + (f" [{_sources(fact.sources)}]" if fact.sources else "")


def _relationship(card: Card, rel: Relationship) -> str:
    """``kind: other end (field=value, ...)  [sources]``: a count is headed by what it counts, a
    tie by what the record having it is to the other end."""
    facts = sorted(rel.facts, key=lambda f: (field_order(rel.kind, f.field), f.predicate))
    head = card.labels.get(rel.other or "", rel.other or "")
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
    shown = ", ".join(f"{f.field or PREFIXES.curie(f.predicate).split(':')[-1]}={_value(card, f)}"
                      for f in facts)
    return (f"  {rel.kind}: {head}" + (f" ({shown})" if shown else "")
            + (f"  [{_sources(rel.sources)}]" if rel.sources else ""))


def card_text(card: Card) -> str:
    """Names, kind and id, properties, relationships with the sources that state each, values with
    sources of their own with those, what points here, and every source of the record."""
    curie = PREFIXES.curie
    lines = [f"{card.name}  ({card.kind} {card.id})"]
    if card.aliases:
        lines.append(f"  also: {'; '.join(_value(card, alias) for alias in card.aliases)}")
    lines += [f"  {curie(fact.predicate)}: {_value(card, fact)}" for fact in card.properties]
    if card.relationships:
        lines.append("relationships:")
    lines += [_relationship(card, rel) for rel in card.relationships]
    if card.referenced_by:
        lines.append("referenced by:")
    lines += [f"  {prop}: {value}" for prop, value in
              sorted((curie(ref.predicate), card.text(ref.record)) for ref in card.referenced_by)]
    lines.append(f"sources: {_sources(card.sources)}" if card.sources
                 else "sources: (a source document)")
    return "\n".join(lines) + "\n"
