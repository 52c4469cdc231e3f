"""A record's card as the plain text ``edugraph show`` prints."""

from __future__ import annotations

from edugraph.explore.card import Card


def card_text(card: Card) -> str:
    """Names, kind and id, properties, relationships with their sources, what points here."""
    lines = [f"{card.name}  ({card.kind} {card.id})"]
    if card.aliases:
        lines.append(f"  also: {'; '.join(card.aliases)}")
    lines += [f"  {prop}: {value}" for prop, value in card.properties]
    if card.relationships:
        lines.append("relationships:")
    for rel in card.relationships:
        other = card.labels.get(rel.other or "", rel.other or "")
        facts = ", ".join(f"{p.split(':')[-1]}={v}" for p, v in rel.facts)
        lines.append(f"  {rel.kind}: {other}" + (f" ({facts})" if facts else "")
                     + (f"  [{', '.join(rel.sources)}]" if rel.sources else ""))
    if card.referenced_by:
        lines.append("referenced by:")
    lines += [f"  {prop}: {value}" for prop, value in card.referenced_by]
    lines.append(f"sources: {', '.join(card.sources)}" if card.sources else "sources: (a source document)")
    return "\n".join(lines) + "\n"
