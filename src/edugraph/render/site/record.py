"""A record's page: its card (:mod:`edugraph.explore.card`, what ``edugraph show`` prints) with
every record, concept and own term linked, and each property named by its YAML field."""

from __future__ import annotations

from edugraph.explore.card import Card, Fact, bound_of, field_order
from edugraph.render.site.links import Links
from edugraph.render.site.markup import curie, esc, kind_badge, page, table

ROOT = "../../"
"""From a record's page (``entities/<kind>/<id>.html``) to the site's folder."""


def _field(name: str | None, predicate: str) -> str:
    """A property as a cell: the field it comes from (else its CURIE) and, muted, its CURIE."""
    return f'{esc(name or curie(predicate))} <span class=muted>{esc(curie(predicate))}</span>'


def _value(links: Links, fact: Fact) -> str:
    """A value as HTML: linked, a count's bound spelled out, and its own sources (muted)."""
    bound = bound_of(fact.predicate)
    html = (f"{esc(bound.replace('-', ' '))} " if bound else "") + links.term(fact.value, ROOT)
    if fact.sources:
        html += f' <span class=muted>[{", ".join(links.link(s, ROOT) for s in fact.sources)}]</span>'
    return html


def record_page(links: Links, card: Card) -> str:
    """The page of the record ``card`` describes."""
    body = [f"<p>{kind_badge(card.kind)} <code>{esc(card.id)}</code> "
            f"<span class=muted>{esc(card.iri)}</span></p>\n"]
    if card.aliases:
        body.append(f"<p>Also: {'; '.join(_value(links, alias) for alias in card.aliases)}</p>\n")
    rows = [(_field(fact.field, fact.predicate), _value(links, fact)) for fact in card.properties]
    if rows:
        body += ["<h2>Properties</h2>\n", table(["field", "value"], rows)]
    if card.relationships:
        rows = []
        for rel in card.relationships:
            # In the order the record model lists the relationship's fields: title, dates, note...
            ordered = sorted(rel.facts, key=lambda f: (field_order(rel.kind, f.field), f.predicate))
            facts = "<br>".join(f"{esc(f.field or curie(f.predicate))}: {_value(links, f)}"
                                for f in ordered)
            rows.append((esc(rel.kind), links.link(rel.other, ROOT) if rel.other else "", facts,
                         ", ".join(links.link(s, ROOT) for s in rel.sources)))
        body += ["<h2>Relationships</h2>\n", table(["relationship", "with", "details", "sources"], rows)]
    referenced = sorted((ref for ref in card.referenced_by if ref.record in links.known),
                        key=lambda r: (curie(r.predicate), links.label(r.record).casefold(), r.record))
    if referenced:
        rows = [(_field(ref.field, ref.predicate), links.link(ref.record, ROOT)) for ref in referenced]
        body += ["<h2>Referred to by</h2>\n", table(["field", "record"], rows)]
    if card.sources:
        body.append("<h2>Sources</h2>\n<ul>\n" + "".join(
            f"<li>{links.link(s, ROOT)}</li>\n" for s in card.sources) + "</ul>\n")
    else:
        body.append("<h2>Sources</h2>\n<p>A source document.</p>\n")
    return page(links.label(card.iri), "".join(body), ROOT)
