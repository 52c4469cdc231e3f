"""The ``edugraph`` command line: parse options, call one library function, render the result.

Exit codes: 0 success; 1 the data does not conform (SHACL violations, failed checks); 2 bad input or
usage. Errors go to stderr, results to stdout. Heavy libraries (rdflib, pyshacl, pyoxigraph) are
imported inside the commands so ``edugraph --help`` stays fast.
"""

# No `from __future__ import annotations` here: Typer reads every command's annotations on each
# run, and evaluating their text then (typing.get_type_hints) took 6 ms of a 110 ms query.

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from edugraph.cli.coercion import LeanTyper
from edugraph.errors import EXIT_BUG, EXIT_INPUT, EXIT_NONCONFORMING, EdugraphError, InputErrors

if TYPE_CHECKING:
    from edugraph.explore.stats import Stats

# LeanTyper: typer.Typer whose commands convert option values without loading Pydantic (about
# 100 ms a run); see cli_coercion.py.
app = LeanTyper(
    name="edugraph",
    help="Turn hand-curated YAML records of teacher-education policy into a validated knowledge "
    "graph: build, validate and export RDF.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

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


class ResultFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    md = "md"


class Engine(str, Enum):
    oxigraph = "oxigraph"
    rdflib = "rdflib"


QueriesOption = Annotated[Path, typer.Option("--queries", help="Folder of stored *.rq queries.")]
CacheOption = Annotated[Path, typer.Option(
    "--cache", help="Folder for the cached query store (safe to delete).")]
FormatOption = Annotated[ResultFormat, typer.Option(
    "--format", "-f", help="table (labels for people), csv/tsv (W3C), json (W3C), md.")]
EngineOption = Annotated[Engine, typer.Option(
    "--engine", help="oxigraph (fast, the default) or rdflib (to compare engines).")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", help="Stop after this many seconds (0: no limit).", min=0)]
DEFAULT_TIMEOUT = 300.0
StoreOption = Annotated[Path | None, typer.Option(
    "--store", help="Read from this Oxigraph store (written by 'edugraph load') instead of data/.")]
EndpointOption = Annotated[str | None, typer.Option(
    "--endpoint", help="Run on this SPARQL 1.1 Protocol endpoint URL instead (credentials from "
    "EDUGRAPH_ENDPOINT_USER / EDUGRAPH_ENDPOINT_PASSWORD).")]
GraphOption = Annotated[str | None, typer.Option(
    "--graph", help="With --endpoint: the named graph to query as the default graph.")]


class ShaclEngine(str, Enum):
    turbo = "turbo"
    pyshacl = "pyshacl"


ShaclOption = Annotated[ShaclEngine, typer.Option(
    "--engine", help="SHACL engine: turbo (pyshacl-turbo, fast) or pyshacl (the reference).")]


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
        except BrokenPipeError:
            raise  # the reader of a pipe left: main() ends quietly
        except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
            if os.environ.get("EDUGRAPH_DEBUG"):
                raise
            _err(f"internal error: {type(exc).__name__}: {exc}")
            _err("this is a bug in edugraph; run again with EDUGRAPH_DEBUG=1 for the traceback.")
            raise typer.Exit(EXIT_BUG) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        from edugraph import __version__

        typer.echo(f"edugraph {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Turn hand-curated YAML records into a validated knowledge graph."""
    from edugraph.netguard import install

    install()  # nothing this process runs may open a URL it was not given


@contextmanager
def _deadline(seconds: float, what: str) -> Iterator[None]:
    """Stop the process when ``what`` runs past ``seconds``.

    Oxigraph evaluates a query in Rust and cannot be interrupted from Python, so the only sure
    stop is to end the process, after saying why. Outputs are written atomically, so nothing is
    left half-written.
    """
    if seconds <= 0:
        yield
        return

    def expire() -> None:
        _err(f"error: {what} ran longer than {seconds:g} s and was stopped; "
             "raise --timeout or narrow the query")
        sys.stdout.flush()
        os._exit(EXIT_INPUT)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@app.command()
@handle_errors
def build(
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the exports.")] = Path("dist"),
    quiet: QuietOption = False,
    cache: CacheOption = Path(".edugraph-cache"),
    engine: ShaclOption = ShaclEngine.turbo,
) -> None:
    """Load, validate and write dist/edugraph.ttl, .jsonld, .nt (sorted) and void.ttl."""
    from edugraph.build.pipeline import build as run_build

    with _progress(quiet) as progress:
        result = run_build(data, out, engine.value, cache, progress)
        _print_findings(result.report.findings)
        if not result.report.conforms:
            _err("the data does not conform; nothing was written.")
            raise typer.Exit(EXIT_NONCONFORMING)
    if quiet:
        return
    if _is_terminal():
        _rich_build_summary(result, result.written)
        return
    typer.echo(f"{sum(result.records.values())} records, {result.triples} triples")
    for path in result.written:
        typer.echo(f"wrote {path}")


@app.command()
@handle_errors
def validate(
    data: DataOption = Path("data"),
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    graph: Annotated[Path | None, typer.Option(
        "--graph", help="Validate this RDF file (ttl, nt, nq, trig, jsonld) instead of the records.")] = None,
    engine: ShaclOption = ShaclEngine.turbo,
    cache: CacheOption = Path(".edugraph-cache"),
) -> None:
    """Validate the records against the SHACL shapes; each result with file:line, record and field."""
    if graph is not None:
        from edugraph.build.rdfinput import read_rdf
        from edugraph.build.shacl import validate_triples

        report = validate_triples(read_rdf(graph), engine=engine.value)
    elif format is ReportFormat.turtle:  # the engine's own results graph: the whole graph at once
        from edugraph.build.pipeline import compile_data
        from edugraph.build.pipeline import validate as run_validate

        report = run_validate(compile_data(data), engine.value)
    else:  # file by file, as build does: after a build, only what changed is validated again
        from edugraph.build.pipeline import validate_files

        report = validate_files(data, engine.value, cache)
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
    from edugraph.build.pipeline import export as run_export
    from edugraph.build.writers import write_atomic

    payload = run_export(data, format.value)
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
    data: DataOption = Path("data"),
) -> None:
    """Check that every name, title, count and date occurs in the texts of the sources it cites."""
    from edugraph.explore.grounding import check_sources as run_check

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
    format: Annotated[StatsFormat | None, typer.Option(
        "--format", "-f", help="table (for people; the default), md (GitHub Markdown; the default "
        "with --into), csv (RFC 4180) or json."
    )] = None,
    into: Annotated[Path | None, typer.Option(
        "--into", help="Rewrite the Markdown table between the <!-- stats:begin --> and "
        "<!-- stats:end --> lines of this file (README.md) instead of printing it.")] = None,
) -> None:
    """Count records, relationships and triples per kind and per source they cite."""
    from edugraph.errors import UsageError
    from edugraph.explore.stats import coverage, write_into

    if into is not None and format not in (None, StatsFormat.md):
        raise UsageError(f"--into writes the Markdown table, not {format.value}; use --format md")
    result = coverage(data)
    if into is not None:
        write_into(into, result)
    elif format is StatsFormat.md:
        sys.stdout.write(result.to_markdown())
    elif format is StatsFormat.csv:
        sys.stdout.write(result.to_csv())
    elif format is StatsFormat.json:
        sys.stdout.write(result.to_json())
    else:
        _rich_stats_table(result)


def _rich_stats_table(result: "Stats") -> None:
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


@app.command("queries")
@handle_errors
def list_queries(
    name: Annotated[str | None, typer.Argument(help="Show this query in full.")] = None,
    queries: QueriesOption = Path("queries"),
) -> None:
    """List the stored queries (name, title, parameters), or show one with an example call."""
    from edugraph.query.stored import catalogue, find

    if name is None:
        rows = [(q.name, q.title, ", ".join(p.signature for p in q.params)) for q in catalogue(queries)]
        _table(["name", "title", "parameters"], rows)
        return
    query = find(queries, name)
    typer.echo(f"{query.name}: {query.title}\n")
    if query.description:
        typer.echo(query.description + "\n")
    for param in query.params:
        typer.echo(f"  -p {param.signature}" + (f"  {param.description}" if param.description else ""))
    example = f"edugraph query {query.name}" + (f" {query.example}" if query.example else "")
    typer.echo(f"\nexample: {example}\n")
    typer.echo(query.text.rstrip("\n"))


@app.command()
@handle_errors
def query(
    name: Annotated[str, typer.Argument(help="A stored query's name, or a path to a .rq file.")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="KEY=VALUE; repeat for several parameters or list values.")] = None,
    format: FormatOption = ResultFormat.table,
    data: DataOption = Path("data"),
    queries: QueriesOption = Path("queries"),
    engine: EngineOption = Engine.oxigraph,
    cache: CacheOption = Path(".edugraph-cache"),
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
) -> None:
    """Run a stored query (or a .rq file) with typed parameters; ASK exits 0 for true, 1 for false."""
    from edugraph.query.stored import bind, find

    stored = find(queries, name)
    bindings = bind(stored, _params(param or []))
    source = _Source(data, engine, cache, store, endpoint, graph, timeout)
    # A remote query is bounded by its HTTP timeout; only a local engine needs the watchdog.
    with _deadline(0 if endpoint else timeout, f"query '{stored.name}'"):
        _run_and_render(stored.text, bindings, format, source)


@app.command()
@handle_errors
def sparql(
    text: Annotated[str, typer.Argument(help="The SPARQL query text.")],
    format: FormatOption = ResultFormat.table,
    data: DataOption = Path("data"),
    engine: EngineOption = Engine.oxigraph,
    cache: CacheOption = Path(".edugraph-cache"),
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
) -> None:
    """Run an ad-hoc SPARQL query on the graph (the ontology's terms included)."""
    source = _Source(data, engine, cache, store, endpoint, graph, timeout)
    with _deadline(0 if endpoint else timeout, "the query"):
        _run_and_render(text, {}, format, source)


@app.command()
@handle_errors
def check(
    data: DataOption = Path("data"),
    queries: QueriesOption = Path("queries"),
    cache: CacheOption = Path(".edugraph-cache"),
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    store: StoreOption = None,
) -> None:
    """Run every integrity check (queries/check-*.rq); exit 1 and show the rows of any that fail."""
    from edugraph.explore.card import run_checks
    from edugraph.query.stores import labels

    db = _open(data, cache, store)
    failed = 0
    with _deadline(timeout, "the integrity checks"):
        outcomes = run_checks(db, queries)
    for stored, result in outcomes:
        if not result.rows:
            typer.echo(f"ok      {stored.name}: {stored.title}")
            continue
        failed += 1
        typer.echo(f"FAILED  {stored.name}: {stored.title} ({len(result.rows)} rows)")
        _render_select(result, ResultFormat.table, lambda iris: labels(db, iris))
    if failed:
        _err(f"{failed} integrity check{'s' if failed > 1 else ''} failed.")
        raise typer.Exit(EXIT_NONCONFORMING)


@app.command()
@handle_errors
def show(
    record: Annotated[str, typer.Argument(help="The id of a record, e.g. zhang-minxuan.")],
    data: DataOption = Path("data"),
    cache: CacheOption = Path(".edugraph-cache"),
    store: StoreOption = None,
) -> None:
    """Show one record's card: names, kind, every relationship with its role and dates, sources."""
    from edugraph.explore.card import card

    c = card(_open(data, cache, store), record)
    typer.echo(f"{c.name}  ({c.kind} {record})")
    if c.aliases:
        typer.echo(f"  also: {'; '.join(c.aliases)}")
    for prop, value in c.properties:
        typer.echo(f"  {prop}: {value}")
    if c.relationships:
        typer.echo("relationships:")
    for rel in c.relationships:
        other = c.labels.get(rel.other or "", rel.other or "")
        facts = ", ".join(f"{p.split(':')[-1]}={v}" for p, v in rel.facts)
        typer.echo(f"  {rel.kind}: {other}" + (f" ({facts})" if facts else "")
                   + (f"  [{', '.join(rel.sources)}]" if rel.sources else ""))
    if c.referenced_by:
        typer.echo("referenced by:")
    for prop, value in c.referenced_by:
        typer.echo(f"  {prop}: {value}")
    typer.echo(f"sources: {', '.join(c.sources)}" if c.sources else "sources: (a source document)")


@app.command()
@handle_errors
def search(
    text: Annotated[str, typer.Argument(help="Words of a name or alias, in any case or accents.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
    data: DataOption = Path("data"),
    cache: CacheOption = Path(".edugraph-cache"),
    store: StoreOption = None,
) -> None:
    """Find records by name or alias, best matches first."""
    from edugraph.explore.card import search as run_search

    hits = run_search(_open(data, cache, store), text, limit)
    if not hits:
        _err(f"nothing matches '{text}'.")
        raise typer.Exit(EXIT_NONCONFORMING)
    _table(["id", "kind", "name", "matched"],
           [(h.iri.rsplit("/", 1)[-1], h.kind, h.name, h.matched) for h in hits])


def _password_prompt():
    """A prompt for the endpoint password when a person is at the terminal, else None."""
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass


def _open(data: Path, cache: Path, store: Path | None):
    from edugraph.query.stores import open_path_store, open_store

    return open_path_store(store) if store is not None else open_store(data, cache)


@app.command()
@handle_errors
def load(
    store: Annotated[Path, typer.Option("--store", help="Folder of the Oxigraph store to write.")],
    data: DataOption = Path("data"),
) -> None:
    """Write the graph (with the ontology) into an on-disk Oxigraph store, replacing it whole."""
    from edugraph.query.stores import load_store

    count = load_store(data, store)
    typer.echo(f"loaded {count} triples into {store}")


@app.command()
@handle_errors
def push(
    endpoint: Annotated[str, typer.Option(
        "--endpoint", help="SPARQL 1.1 Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.")],
    graph: Annotated[str | None, typer.Option(
        "--graph", help="Named graph IRI to upload into (default: the default graph).")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace the graph's content (HTTP PUT) instead of adding to it (POST).")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the server.", min=0.1)] = 120.0,
    data: DataOption = Path("data"),
) -> None:
    """Upload the graph to a triple store; credentials come from the environment or a prompt."""
    from edugraph.query import remote
    from edugraph.build.pipeline import export as run_export

    payload = run_export(data, "nt")
    credentials = remote.credentials_from_env(_password_prompt())
    remote.push(endpoint, payload, graph=graph, replace=replace, credentials=credentials, timeout=timeout)
    lines = payload.count(b"\n")
    typer.echo(f"{'replaced' if replace else 'added'} {lines} triples "
               f"{'in <' + graph + '>' if graph else 'in the default graph'} at {endpoint}")


def _params(pairs: list[str]) -> dict[str, list[str]]:
    from edugraph.errors import UsageError

    given: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"parameter '{pair}' is not KEY=VALUE", hint="write -p org=unesco-tec")
        given.setdefault(key.strip(), []).append(value)
    return given


@dataclass(frozen=True)
class _Source:
    """Where a query runs: data/ (cached store or rdflib), a store folder, or a remote endpoint."""

    data: Path
    engine: Engine
    cache: Path
    store: Path | None
    endpoint: str | None
    graph: str | None
    timeout: float


def _run_and_render(text: str, bindings, format: ResultFormat, source: _Source) -> None:
    from edugraph.query.stores import execute, labels

    if source.endpoint is not None:
        from edugraph.query import remote
        from edugraph.query.sparql import bind_values

        credentials = remote.credentials_from_env(_password_prompt())
        result = remote.query(source.endpoint, bind_values(text, bindings), default_graph=source.graph,
                              credentials=credentials, timeout=source.timeout or remote.DEFAULT_TIMEOUT)
        store = None
    else:
        if source.graph is not None:
            from edugraph.errors import UsageError

            raise UsageError("--graph only applies with --endpoint")
        result, store = execute(text, bindings, data_dir=source.data, engine=source.engine.value,
                                cache_dir=source.cache, store_path=source.store)
    if result.form == "ASK":
        if format is ResultFormat.json:
            from edugraph.query.results import to_json

            sys.stdout.write(to_json(result))
        else:
            typer.echo("true" if result.boolean else "false")
        raise typer.Exit(0 if result.boolean else EXIT_NONCONFORMING)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        import pyoxigraph as ox

        from edugraph.vocab.namespaces import PREFIXES
        from edugraph.build.writers import sort_triples

        sys.stdout.write(ox.serialize(sort_triples(result.triples), format=ox.RdfFormat.TURTLE,
                                      prefixes=PREFIXES).decode())
        return
    label = (lambda iris: labels(store, iris)) if store is not None else None
    _render_select(result, format, label)


def _render_select(result, format: ResultFormat, label_many) -> None:
    from edugraph.query import results as r

    if format is ResultFormat.csv:
        sys.stdout.write(r.to_csv(result))
        return
    if format is ResultFormat.tsv:
        sys.stdout.write(r.to_tsv(result))
        return
    if format is ResultFormat.json:
        sys.stdout.write(r.to_json(result))
        return
    import pyoxigraph as ox

    iris = {t.value for row in result.rows for t in row if isinstance(t, ox.NamedNode)}
    found = label_many(iris) if label_many else {}
    if format is ResultFormat.md:
        sys.stdout.write(r.to_markdown(result, found.get))
        return
    _table(result.variables, r.table_rows(result, found.get))


def _table(header: list[str], rows) -> None:
    """A rich table; as wide as it needs, so piped output never wraps a cell."""
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*[str(c) for c in row])
    console = Console(highlight=False, markup=False, soft_wrap=not _is_terminal())
    if not _is_terminal():  # rich assumes 80 columns in a pipe; never fold a cell there
        console.width = max(80, console.measure(table, options=console.options.update_width(10_000)).maximum)
    console.print(table)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar per stage on a terminal (on stderr); nothing when piped or --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    tasks: dict[str, Any] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        def report(stage: str, done: int, total: int) -> None:
            for other, task in tasks.items():
                if other != stage:
                    bar.update(task, completed=bar.tasks[task].total)
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done)

        yield report


def _is_terminal() -> bool:
    """Rich output for people at a terminal; plain, stable lines when piped."""
    return sys.stdout.isatty()


def _rich_build_summary(result, written: list[Path]) -> None:
    from rich.console import Console
    from rich.table import Table

    kinds = result.records
    table = Table(title=f"{result.triples:,} triples", title_justify="left")
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
    try:
        app()
    except BrokenPipeError:
        # `edugraph show x | head`: the reader left; say nothing more and exit as a pipe would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)


from edugraph.cli import pictures as cli_pictures  # noqa: E402,F401  (registers viz, timeline, docs)
