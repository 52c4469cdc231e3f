"""``edugraph viz``, ``timeline`` and ``docs``: pictures of the graph and a browsable site.

Registered on the one Typer app of :mod:`edugraph.cli` (imported at the end of it). Heavy
libraries are imported inside the commands, so ``edugraph --help`` stays fast.
"""

# No `from __future__ import annotations` here: Typer reads every command's annotations on each
# run, and evaluating their text then (typing.get_type_hints) took 6 ms of a 110 ms query.

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from edugraph.cli.base import CacheOption, DataOption, QueriesOption, StoreOption, app, handle_errors


class Kind(str, Enum):
    organisation = "organisation"
    person = "person"
    event = "event"
    initiative = "initiative"
    place = "place"
    source = "source"
    topic = "topic"


class TimelineFormat(str, Enum):
    table = "table"
    svg = "svg"
    html = "html"


def _store(data: Path, cache: Path, store: Path | None):
    from edugraph.query.stores import open_path_store, open_store

    return open_path_store(store) if store is not None else open_store(data, cache)


@app.command()
@handle_errors
def viz(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="File to write: .html (interactive), .svg or .png (Graphviz), .dot.")],
    record: Annotated[str | None, typer.Argument(
        help="Draw the records around this one (an id such as zhang-minxuan); the whole graph "
        "when left out.")] = None,
    depth: Annotated[int, typer.Option(
        "--depth", "-d", min=0, help="Hops from the record, along any relationship.")] = 1,
    kind: Annotated[list[Kind] | None, typer.Option(
        "--kind", "-k", help="Show only records of this kind (repeat for several).")] = None,
    data: DataOption = Path("data"),
    cache: CacheOption = Path(".edugraph-cache"),
    store: StoreOption = None,
) -> None:
    """Draw a record's neighbourhood, or the whole graph, as HTML, SVG, PNG or DOT."""
    from edugraph.build.writers import write_atomic
    from edugraph.render.viz import dot_program, format_of, neighbourhood, render

    fmt = format_of(output)
    if fmt in ("svg", "png"):
        dot_program()  # say at once when Graphviz is missing, before any work
    subgraph = neighbourhood(_store(data, cache, store), record, depth, [k.value for k in kind or []])
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
    data: DataOption = Path("data"),
    cache: CacheOption = Path(".edugraph-cache"),
    store: StoreOption = None,
) -> None:
    """Dated events and initiatives in order: a table, or an SVG timeline (or a page with it)."""
    from edugraph.errors import UsageError
    from edugraph.render.timeline import HEADER, timeline, to_html, to_svg

    if format is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        format = TimelineFormat(suffix) if suffix in ("svg", "html") else TimelineFormat.table
    if format is TimelineFormat.table and output is not None:
        raise UsageError("-o writes svg or html", hint="add --format svg or --format html")
    items = timeline(_store(data, cache, store), first, last)
    if format is TimelineFormat.table:
        _table(list(HEADER), [item.row() for item in items])
        return
    span = f" {first if first is not None else ''}\u2013{last if last is not None else ''}" \
        if first is not None or last is not None else ""
    title = f"Timeline of events and initiatives{span}"
    text = to_svg(items, title) if format is TimelineFormat.svg else to_html(items, title)
    if output is None:
        sys.stdout.write(text)
        return
    from edugraph.build.writers import write_atomic

    write_atomic(output, text.encode("utf-8"))
    typer.echo(f"wrote {output} ({len(items)} items)")


@app.command()
@handle_errors
def docs(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder of the site (new, empty, or written by 'edugraph docs').")],
    data: DataOption = Path("data"),
    queries: QueriesOption = Path("queries"),
    cache: CacheOption = Path(".edugraph-cache"),
) -> None:
    """Write a static HTML site: every record, the ontology, the queries with results, coverage."""
    from edugraph.render.docsite import build_site

    pages = build_site(data, output, queries, cache)
    typer.echo(f"wrote {len(pages)} files to {output}; open {output / 'index.html'}")


def _table(header: list[str], rows: list[tuple[str, ...]]) -> None:
    """A rich table, as wide as it needs, so piped output never folds a cell."""
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = Console(highlight=False, markup=False, soft_wrap=not sys.stdout.isatty())
    if not sys.stdout.isatty():  # rich assumes 80 columns in a pipe
        console.width = max(80, console.measure(table, options=console.options.update_width(10_000)).maximum)
    console.print(table)
