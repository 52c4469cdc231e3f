"""The site's pages other than the records' and the ontology's: the index, the stored queries with
their results, the coverage matrix and the timeline."""

from __future__ import annotations

from edugraph.build.void import About
from edugraph.explore.stats import Stats
from edugraph.explore.timeline import HEADER, timeline
from edugraph.model.kinds import KINDS, RECORD_KINDS, kind_and_id
from edugraph.query.results import QueryResult, to_turtle
from edugraph.query.run import Limits
from edugraph.query.sparql import bind_values
from edugraph.query.stored import StoredQuery, bind, example_params
from edugraph.query.stores import run_oxigraph
from edugraph.render.site.links import Links
from edugraph.render.site.markup import esc, kind_badge, page, table
from edugraph.render.timeline import to_svg

MAX_ROWS = 500
"""Rows of a query's results a page shows at most."""


def _kind_id(iri: str) -> tuple[str, str]:
    """``(kind, id)`` of a record's IRI."""
    return kind_and_id(iri) or ("", iri)


def index(links: Links, stats: Stats, about: About = About()) -> str:
    """``index.html``: what the dataset is (its title, license and publisher), its counts, every
    record by kind."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in RECORD_KINDS}
    for iri in links.records:
        by_kind[_kind_id(iri)[0]].append(iri)
    counts = [(f'<a href="#kind-{row.label}">{esc(row.label)}</a>', f"{row.total:,}")
              for row in stats.records]
    counts.append(("<b>records</b>", f"<b>{stats.total.total:,}</b>"))
    counts += [(esc(row.label), f"{row.total:,}") for row in stats.relationships]
    counts.append(("<b>triples</b>", f"<b>{stats.triples.total:,}</b>"))
    publisher = f" Published by {esc(about.publisher)}." if about.publisher else ""
    body = [
        f"<p><b>{esc(about.title)}</b>. License: <code>{esc(about.license)}</code>."
        f"{publisher}</p>\n",
        "<p>edugraph is a knowledge graph of hand-curated facts about teacher-education policy "
        "and cooperation: organisations, people, events and initiatives, each citing the "
        "source documents it comes from. Curators write YAML records; edugraph checks them, "
        "maps them onto a small ontology built on W3C ORG, PROV-O, schema.org, SKOS and Dublin "
        "Core terms, and validates the graph with SHACL shapes. This site is generated from "
        "the records by <code>edugraph docs</code>.</p>\n",
        "<ul>\n<li><a href=\"ontology.html\">Ontology</a>: classes, properties, vocabularies "
        "and shapes</li>\n<li><a href=\"queries.html\">Queries</a>: the stored research "
        "questions and their answers</li>\n<li><a href=\"coverage.html\">Coverage</a>: what "
        "each source gives</li>\n<li><a href=\"timeline.html\">Timeline</a>: dated events and "
        "initiatives</li>\n</ul>\n",
        "<h2>Counts</h2>\n", table(["kind", "count"], counts, numeric=[1]),
    ]
    for kind in RECORD_KINDS:
        items = sorted(by_kind[kind], key=lambda i: (links.label(i).casefold(), i))
        body.append(f'<h2 id="kind-{kind}">{esc(KINDS[kind].section.capitalize())} '
                    f"({len(items)})</h2>\n<p class=muted>{esc(KINDS[kind].doc)}</p>\n")
        body.append('<ul class="columns">\n' + "".join(
            f'<li><a href="{links.path(i)}">{esc(links.label(i))}</a> '
            f"<span class=muted>{esc(_kind_id(i)[1])}</span></li>\n" for i in items) + "</ul>\n")
    return page("edugraph", "".join(body))


def queries(links: Links, stored: list[StoredQuery]) -> str:
    """``queries.html``: every stored query with its results for its example's parameters."""
    toc = "<ul>\n" + "".join(f'<li><a href="#q-{esc(q.name)}">{esc(q.title)}</a> '
                             f"<code>{esc(q.name)}</code></li>\n" for q in stored) + "</ul>\n"
    sections = [toc]
    for query in stored:
        sections.append(_query(links, query))
    intro = ("<p>Every stored query, those built into edugraph and the project's own, with its "
             "results on this data for the parameters of its example (run it with "
             "<code>edugraph query NAME</code>). Queries named <code>check-*</code> are integrity "
             "checks: they return no rows when the data is sound.</p>\n")
    return page("Queries", intro + "".join(sections))


def _query(links: Links, query: StoredQuery) -> str:
    origin = "built-in" if query.builtin else f"from <code>{esc(query.path.as_posix())}</code>"
    out = [f'<h2 id="q-{esc(query.name)}">{esc(query.title)}</h2>\n',
           f"<p><code>{esc(query.name)}</code> <span class=muted>{origin}</span></p>\n"]
    if query.description:
        out.append(f"<p>{esc(query.description)}</p>\n")
    if query.params:
        out.append(table(["parameter", "description"], [
            (f"<code>{esc(p.signature)}</code>", esc(p.description)) for p in query.params]))
    else:
        out.append("<p class=muted>No parameters.</p>\n")
    call = f"edugraph query {query.name}" + (f" {query.example}" if query.example else "")
    out.append(f"<p>Example: <code>{esc(call)}</code></p>\n")
    out.append(f"<pre>{esc(query.text.rstrip())}</pre>\n")
    bindings = bind(query, example_params(query))
    # A project's query is the user's text: bounded as on the command line (query.run's defaults).
    result = run_oxigraph(links.store, bind_values(query.text, bindings), Limits(what=f"query '{query.name}'"))
    out.append(f"<h3>Results of the example</h3>\n{_result(links, result)}")
    return "".join(out)


def _result(links: Links, result: QueryResult) -> str:
    if result.form == "ASK":
        return f"<p><code>{'true' if result.boolean else 'false'}</code></p>\n"
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return f"<pre>{esc(to_turtle(result))}</pre>\n"
    if not result.rows:
        return "<p class=muted>No rows.</p>\n"
    rows = [[links.term(t, "") for t in row] for row in result.rows[:MAX_ROWS]]
    more = len(result.rows) - MAX_ROWS
    note = f"<p class=muted>{more:,} more rows not shown.</p>\n" if more > 0 else ""
    return (f"<p class=muted>{len(result.rows):,} row{'s' if len(result.rows) != 1 else ''}.</p>\n"
            + table([esc(v) for v in result.variables], rows) + note)


def coverage(links: Links, stats: Stats) -> str:
    """``coverage.html``: the matrix ``edugraph stats`` prints, its sources linked."""
    header = [esc(h) for h in stats.header()]
    numeric = range(1, len(header))
    rows = []
    for row in stats.rows:
        cells = [esc(row.label), *(f"{n:,}" for n in stats.values(row))]
        if row is stats.total or row is stats.triples:
            cells = [f"<b>{c}</b>" for c in cells]
        elif row in stats.records:
            cells[0] = f'<a href="index.html#kind-{esc(row.label)}">{esc(row.label)}</a>'
        rows.append(cells)
    # Columns by source id, as 'edugraph stats' prints them, each linked to its source's page.
    header[1:-1] = [f'<a href="{links.path(s)}" title="{esc(links.label(s))}">{h}</a>'
                    if (s := _source_iri(links, h)) else h for h in header[1:-1]]
    intro = ("<p>Records per kind and per source they cite, with the relationships and "
             "triples each source gives. A record citing two sources counts under both, and "
             "once in the total; a source record counts under its own column. The same matrix "
             "as <code>edugraph stats</code>.</p>\n")
    return page("Coverage", intro + table(header, rows, numeric=numeric))


def _source_iri(links: Links, source_id: str) -> str | None:
    return next((i for i in links.records if _kind_id(i) == ("source", source_id)), None)


def timeline_page(links: Links) -> str:
    """``timeline.html``: the timeline picture, its records linked, and its table."""
    found = timeline(links.store)
    items = found.items
    svg = to_svg(items, "Dated events and initiatives", link=lambda item: links.path(item.iri))
    rows = [[esc(item.start or ""), esc(item.end or ""), kind_badge(item.kind),
             links.link(item.iri, ""), esc("; ".join(item.places))] for item in items]
    intro = ("<p>Events and initiatives with a start or an end date, in date order: a bar "
             "runs from the start to the end, a dot marks a record with one date. The same "
             "as <code>edugraph timeline</code>.</p>\n")
    left_out = found.left_out()
    if left_out:
        intro += f"<p>{esc(left_out)}.</p>\n"
    return page("Timeline", intro + svg + table(HEADER, rows))
