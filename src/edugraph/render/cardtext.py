"""A record's card as the plain text ``edugraph show`` prints."""

from __future__ import annotations

from edugraph.explore.card import Card
from edugraph.model.kinds import PREFIXES


def card_text(card: Card) -> str:
    """Names, kind and id, properties, relationships with their sources, what points here."""
    curie = PREFIXES.curie
    lines = [f"{card.name}  ({card.kind} {card.id})"]
    if card.aliases:
        lines.append(f"  also: {'; '.join(card.aliases)}")
    lines += [f"  {curie(fact.predicate)}: {card.text(fact.value)}" for fact in card.properties]
    if card.relationships:
        lines.append("relationships:")
    for rel in card.relationships:
        other = card.labels.get(rel.other or "", rel.other or "")
        facts = ", ".join(f"{curie(f.predicate).split(':')[-1]}={card.text(f.value)}" for f in rel.facts)
        sources = ", ".join(curie(s) for s in rel.sources)
        lines.append(f"  {rel.kind}: {other}" + (f" ({facts})" if facts else "")
                     + (f"  [{sources}]" if sources else ""))
    if card.referenced_by:
        lines.append("referenced by:")
    lines += [f"  {prop}: {value}" for prop, value in
              sorted((curie(ref.predicate), card.text(ref.record)) for ref in card.referenced_by)]
    lines.append(f"sources: {', '.join(curie(s) for s in card.sources)}" if card.sources
                 else "sources: (a source document)")
    return "\n".join(lines) + "\n"
