"""``edugraph viz``, ``timeline`` and ``docs``: pictures of the graph and a browsable site."""

# No `from __future__ import annotations` here: Typer reads every command's annotations on each
# run, and evaluating their text then (typing.get_type_hints) took 6 ms of a 110 ms query.

import sys
from pathlib import Path
from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.failures import err
from edugraph.cli.options import (
    DEFAULT_CACHE,
    DEFAULT_DATA,
    DEFAULT_QUERIES,
    CacheOption,
    DataOption,
    Kind,
    QueriesOption,
    StoreOption,
    TimelineFormat,
)
from edugraph.cli.output import table
from edugraph.cli.settings import project, query_folders
from edugraph.cli.sources import open_source
from edugraph.errors import UsageError


@app.command()
@handle_errors
def viz(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="File to write: .html (interactive), .svg or .png (Graphviz), .dot.")],
    record: Annotated[str | None, typer.Argument(
        help="Draw the records around this one (an id such as zhang-minxuan; a name is not taken "
        "for its record: the error names the id to use); the whole graph when left out.")] = None,
    depth: Annotated[int, typer.Option(
        "--depth", "-d", min=0, help="Hops from the record, along any relationship.")] = 1,
    kind: Annotated[list[Kind] | None, typer.Option(
        "--kind", "-k", help="Show only records of this kind (repeat for several).")] = None,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
    store: StoreOption = None,
) -> None:
    """Draw a record's neighbourhood, or the whole graph, as HTML, SVG, PNG or DOT."""
    from edugraph.explore.neighbourhood import neighbourhood
    from edugraph.files import write_atomic
    from edugraph.render.viz import format_of, render

    fmt = format_of(output)  # says at once when Graphviz is missing, before any work
    store_ = open_source(project(data=data, cache=cache), store=store).store()
    subgraph = neighbourhood(store_, record, depth, [k.value for k in kind or []])
    write_atomic(output, render(subgraph, fmt))
    typer.echo(f"wrote {output} ({len(subgraph.nodes)} records, {len(subgraph.edges)} relationships)")


@app.command("timeline")
@handle_errors
def timeline_command(
    format: Annotated[TimelineFormat | None, typer.Option(
        "--format", "-f", help="table (the terminal), svg or html; default: from -o's extension, "
        "else table.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File for svg or html (default: stdout).")] = None,
    first: Annotated[int | None, typer.Option(
        "--from", help="Only what runs in or after this year.", min=0, max=9999)] = None,
    last: Annotated[int | None, typer.Option(
        "--to", help="Only what runs in or before this year.", min=0, max=9999)] = None,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
    store: StoreOption = None,
) -> None:
    """Dated events and initiatives in order: a table, or an SVG timeline (or a page with it)."""
    from edugraph.explore.timeline import HEADER, timeline
    from edugraph.render.timeline import timeline_title, to_html, to_svg

    if format is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        format = TimelineFormat(suffix) if suffix in ("svg", "html") else TimelineFormat.table
    if format.value == "table" and output is not None:
        raise UsageError("-o writes svg or html", hint="add --format svg or --format html")
    found = timeline(open_source(project(data=data, cache=cache), store=store).store(), first, last)
    items, left_out = found.items, found.left_out()
    if format.value == "table":
        table(list(HEADER), [item.row() for item in items])
        if left_out:
            typer.echo(left_out)
        return
    title = timeline_title(first, last)
    text = to_svg(items, title) if format.value == "svg" else to_html(items, title)
    if output is None:
        sys.stdout.write(text)
        if left_out:
            err(left_out)  # stdout is the picture
        return
    from edugraph.files import write_atomic

    write_atomic(output, text.encode("utf-8"))
    typer.echo(f"wrote {output} ({len(items)} items)")
    if left_out:
        typer.echo(left_out)


@app.command()
@handle_errors
def docs(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder of the site (new, empty, or written by 'edugraph docs').")],
    data: DataOption = DEFAULT_DATA,
    queries: QueriesOption = DEFAULT_QUERIES,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Write a static HTML site: every record, the ontology, the queries with results, coverage."""
    from edugraph.build.void import About
    from edugraph.render.site.write import build_site

    p = project(data=data, cache=cache)
    about = About(p.title, p.license, p.publisher)
    pages = build_site(p.data, output, query_folders(queries, p), p.cache, about)
    typer.echo(f"wrote {len(pages)} files to {output}; open {output / 'index.html'}")
