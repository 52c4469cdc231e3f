"""The ``edugraph`` command line: parse options, call one library function, render the result.

Exit codes: 0 success; 1 the data does not conform (SHACL violations, failed checks); 2 bad input or
usage. Errors go to stderr, results to stdout. Heavy libraries (rdflib, pyshacl, pyoxigraph) are
imported inside the commands so ``edugraph --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .errors import EXIT_INPUT, EXIT_NONCONFORMING, EdugraphError, InputErrors

if TYPE_CHECKING:
    from .stats import Stats

app = typer.Typer(
    name="edugraph",
    help="Turn hand-curated YAML records of teacher-education policy into a validated knowledge "
    "graph: build, validate and export RDF.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
EXIT_BUG = 3

DataOption = Annotated[Path, typer.Option("--data", help="Folder of *.yaml records.",
                                          show_default=True)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    turtle = "turtle"


class StatsFormat(str, Enum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    ttl = "ttl"
    jsonld = "jsonld"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    xml = "xml"


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


def handle_errors(func: F) -> F:
    """Turn library errors into messages on stderr and their exit codes; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except EdugraphError as exc:
            errors = exc.errors if isinstance(exc, InputErrors) else [exc]
            for error in errors:
                _err(f"error: {error.format()}")
            if len(errors) > 1:
                _err(f"{len(errors)} errors; nothing was written.")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _err("interrupted; nothing was written.")
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
            if os.environ.get("EDUGRAPH_DEBUG"):
                raise
            _err(f"internal error: {type(exc).__name__}: {exc}")
            _err("this is a bug in edugraph; run again with EDUGRAPH_DEBUG=1 for the traceback.")
            raise typer.Exit(EXIT_BUG) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"edugraph {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Turn hand-curated YAML records into a validated knowledge graph."""


@app.command()
@handle_errors
def build(
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the exports.")] = Path("dist"),
    quiet: QuietOption = False,
) -> None:
    """Load, validate and write dist/edugraph.ttl, .jsonld and .nt (sorted N-Triples)."""
    from .pipeline import build as run_build

    result = run_build(data, out)
    _print_findings(result.report.findings)
    if not result.report.conforms:
        _err("the data does not conform; nothing was written.")
        raise typer.Exit(EXIT_NONCONFORMING)
    if quiet:
        return
    compiled = result.compiled
    if _is_terminal():
        _rich_build_summary(compiled, result.written)
        return
    typer.echo(f"{len(compiled.dataset.records)} records, {len(compiled.triples)} triples")
    for path in result.written:
        typer.echo(f"wrote {path}")


@app.command()
@handle_errors
def validate(
    data: DataOption = Path("data"),
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
) -> None:
    """Validate the records against the SHACL shapes; each result with file:line, record and field."""
    from .pipeline import compile_data
    from .pipeline import validate as run_validate

    report = run_validate(compile_data(data))
    if format is ReportFormat.json:
        sys.stdout.write(report.to_json())
    elif format is ReportFormat.turtle:
        sys.stdout.write(report.to_turtle())
    else:
        typer.echo(report.to_text())
    if not report.conforms:
        raise typer.Exit(EXIT_NONCONFORMING)


@app.command()
@handle_errors
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Serialisation.")],
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="File to write (default: stdout).")] = None,
    data: DataOption = Path("data"),
) -> None:
    """Write one serialisation of the graph (ttl, jsonld, nt, nq, trig or xml)."""
    from .pipeline import export as run_export
    from .serialise import write_atomic

    payload = run_export(data, format.value)
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(output, payload)


@app.command("check-sources")
@handle_errors
def check_sources(
    sources_dir: Annotated[Path, typer.Option(
        "--dir", help="Folder of the source documents' texts: the files the source records name.")],
    data: DataOption = Path("data"),
) -> None:
    """Check that every name, title, count and date occurs in the texts of the sources it cites."""
    from .grounding import check_sources as run_check

    report = run_check(data, sources_dir)
    for miss in report.misses:
        typer.echo(miss.format())
    typer.echo(report.summary())
    if not report.grounded:
        raise typer.Exit(EXIT_NONCONFORMING)


@app.command()
@handle_errors
def stats(
    data: DataOption = Path("data"),
    format: Annotated[StatsFormat, typer.Option(
        "--format", "-f", help="table (for people), md (GitHub Markdown), csv (RFC 4180) or json."
    )] = StatsFormat.table,
) -> None:
    """Count records, relationships and triples per kind and per source they cite."""
    from .stats import coverage

    result = coverage(data)
    if format is StatsFormat.md:
        sys.stdout.write(result.to_markdown())
    elif format is StatsFormat.csv:
        sys.stdout.write(result.to_csv())
    elif format is StatsFormat.json:
        sys.stdout.write(result.to_json())
    else:
        _rich_stats_table(result)


def _rich_stats_table(result: Stats) -> None:
    from rich.console import Console
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
    console = Console(soft_wrap=True)
    # Never squeeze or wrap the matrix, at a narrow terminal or in a pipe (where rich assumes 80).
    wanted = console.measure(table, options=console.options.update_width(10_000)).maximum
    console.width = max(console.width, wanted)
    console.print(table)


def _is_terminal() -> bool:
    """Rich output for people at a terminal; plain, stable lines when piped."""
    return sys.stdout.isatty()


def _rich_build_summary(compiled, written: list[Path]) -> None:
    from collections import Counter

    from rich.console import Console
    from rich.table import Table

    kinds = Counter(record.kind for record in compiled.dataset.records)
    table = Table(title=f"{len(compiled.triples):,} triples", title_justify="left")
    table.add_column("kind")
    table.add_column("records", justify="right")
    for kind, count in sorted(kinds.items()):
        table.add_row(kind, f"{count:,}")
    table.add_row("[bold]all[/bold]", f"[bold]{sum(kinds.values()):,}[/bold]")
    console = Console()
    console.print(table)
    for path in written:
        console.print(f"[green]wrote[/green] {path} ({path.stat().st_size:,} bytes)")


def _print_findings(findings) -> None:
    for finding in findings:
        _err(finding.format())


def main() -> None:
    """Console-script entry point."""
    app()
