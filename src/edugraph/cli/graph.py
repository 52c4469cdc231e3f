"""``edugraph build``, ``validate``, ``export``, ``stats`` and ``check-sources``: the graph from
the records, checked, written and counted."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from edugraph.cli import output
from edugraph.cli.app import app, handle_errors
from edugraph.cli.failures import err
from edugraph.cli.options import (
    DEFAULT_CACHE,
    DEFAULT_DATA,
    DEFAULT_OUT,
    CacheOption,
    DataOption,
    ExportFormat,
    QuietOption,
    ReportFormat,
    ShaclEngine,
    ShaclOption,
    StatsFormat,
)
from edugraph.cli.output import StageClock, progress, shown, terminal
from edugraph.cli.settings import project
from edugraph.errors import EXIT_NONCONFORMING, UsageError


@app.command()
@handle_errors
def build(
    data: DataOption = DEFAULT_DATA,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the exports (default: the project's, else dist/).")] = DEFAULT_OUT,
    quiet: QuietOption = False,
    cache: CacheOption = DEFAULT_CACHE,
    engine: ShaclOption = ShaclEngine.turbo,
    timings: Annotated[bool, typer.Option(
        "--timings", help="Print how long each stage took, on stderr (load, resolve, map, validate, write).")] = False,
) -> None:
    """Load, validate and write dist/edugraph.ttl, .jsonld, .nt (sorted) and void.ttl."""
    from edugraph.build.pipeline import build as run_build
    from edugraph.build.void import About

    p = project(data=data, out=out, cache=cache)
    about = About(p.title, p.license, p.publisher)
    with progress(quiet) as report:
        clock = StageClock(report) if timings else None
        result = run_build(p.data, p.out, engine.value, p.cache, clock or report, about)
    if clock is not None:
        err(clock.line())
    for finding in result.report.findings:
        err(finding.format())
    if not result.report.conforms:
        err("the data does not conform; nothing was written.")
        raise typer.Exit(EXIT_NONCONFORMING)
    if quiet:
        return
    if output.is_terminal():
        _build_summary(result, p.out)
        return
    typer.echo(f"{sum(result.records.values())} records, {result.triples} triples")
    for path in result.written:
        typer.echo(f"wrote {shown(path)}")
    if result.unchanged:
        typer.echo(_UNCHANGED.format(out=shown(p.out)))


_UNCHANGED = "nothing changed since the last build: {out} holds its exports as written (nothing written)"


def _build_summary(result: Any, out: Path) -> None:
    from rich.table import Table

    kinds = result.records
    table = Table(title=f"{result.triples:,} triples", title_justify="left")
    table.add_column("kind")
    table.add_column("records", justify="right")
    for kind, count in sorted(kinds.items()):
        table.add_row(kind, f"{count:,}")
    table.add_row("[bold]all[/bold]", f"[bold]{sum(kinds.values()):,}[/bold]")
    console = terminal()
    console.print(table)
    for path in result.written:
        console.print(f"[green]wrote[/green] {shown(path)} ({path.stat().st_size:,} bytes)")
    if result.unchanged:
        console.print(_UNCHANGED.format(out=shown(out)), markup=False, highlight=False)


@app.command()
@handle_errors
def validate(
    data: DataOption = DEFAULT_DATA,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    graph: Annotated[Path | None, typer.Option(
        "--graph", help="Validate this RDF file (ttl, nt, nq, trig, jsonld) instead of the records.")] = None,
    engine: ShaclOption = ShaclEngine.turbo,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Validate the records against the SHACL shapes; each result with file:line, record and field."""
    if graph is not None:
        from edugraph.build.rdfinput import read_rdf
        from edugraph.build.shacl import validate_triples

        project()
        report = validate_triples(read_rdf(graph), engine=engine.value, alone=True)
        err(f"validated {shown(graph)} alone, against the shapes (no ontology added)")
    else:  # file by file, as build does: after a build, only what changed is validated again
        from edugraph.build.pipeline import validate_files

        p = project(data=data, cache=cache)
        report = validate_files(p.data, engine.value, p.cache, results_graph=format.value == "turtle")
    sys.stdout.write(report.render(format.value))
    if not report.conforms:
        raise typer.Exit(EXIT_NONCONFORMING)


@app.command()
@handle_errors
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Serialisation.")],
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="File to write (default: stdout).")] = None,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Write one serialisation of the graph (ttl, jsonld, nt, nq, trig or xml)."""
    from edugraph.build.pipeline import export as run_export
    from edugraph.files import write_atomic

    p = project(data=data, cache=cache)
    payload = run_export(p.data, format.value, p.cache)
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(output, payload)


@app.command("check-sources")
@handle_errors
def check_sources(
    sources_dir: Annotated[Path | None, typer.Option(
        "--dir", help="Folder of the source documents' texts: the files the source records name "
        "(default: the data folder's sources/).")] = None,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Check that each source a record, relationship or value cites states it: its names, titles,
    counts and dates occur in that source's text."""
    from edugraph.explore.grounding import check_sources as run_check

    p = project(data=data, cache=cache, sources=sources_dir)
    report = run_check(p.data, p.sources_dir, p.cache)
    for miss in report.misses:
        typer.echo(miss.format())
    typer.echo(report.summary())
    if not report.grounded:
        raise typer.Exit(EXIT_NONCONFORMING)


@app.command()
@handle_errors
def stats(
    data: DataOption = DEFAULT_DATA,
    format: Annotated[StatsFormat | None, typer.Option(
        "--format", "-f", help="table (for people; the default), md (GitHub Markdown; the default "
        "with --into), csv (RFC 4180) or json."
    )] = None,
    into: Annotated[Path | None, typer.Option(
        "--into", help="Rewrite the Markdown table between the <!-- stats:begin --> and "
        "<!-- stats:end --> lines of this file (README.md) instead of printing it.")] = None,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Count records, relationships and triples per kind and per source they cite."""
    from edugraph.explore.stats import coverage, write_into

    chosen = format.value if format is not None else "md" if into is not None else "table"
    if into is not None and chosen != "md":
        raise UsageError(f"--into writes the Markdown table, not {chosen}; use --format md")
    p = project(data=data, cache=cache)
    result = coverage(p.data, p.cache)
    if into is not None:
        write_into(into, result)
    elif chosen == "table":
        _stats_table(result)
    else:
        sys.stdout.write(result.render(chosen))


def _stats_table(result: Any) -> None:
    from rich.table import Table

    table = Table()
    for i, name in enumerate(result.header()):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=True)
    last_sections = {result.total.label, result.relationships[-1].label}
    for row in result.rows:
        cells = [row.label, *(f"{n:,}" for n in result.values(row))]
        if row is result.total:
            cells = [f"[bold]{cell}[/bold]" for cell in cells]
        table.add_row(*cells, end_section=row.label in last_sections)
    console = terminal(soft_wrap=True)
    # Never squeeze or wrap the matrix, at a narrow terminal or in a pipe (where rich assumes 80).
    wanted = console.measure(table, options=console.options.update_width(10_000)).maximum
    console.width = max(console.width, wanted)
    console.print(table)
