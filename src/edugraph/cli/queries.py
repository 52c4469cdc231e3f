"""``edugraph queries``, ``query``, ``sparql`` and ``check``: stored and ad-hoc SPARQL on the
graph of the data folder, a store folder or a remote endpoint."""

from typing import Annotated, Any

import typer

from edugraph.cli.app import app, ended, handle_errors
from edugraph.cli.failures import err
from edugraph.cli.options import (
    DEFAULT_CACHE,
    DEFAULT_DATA,
    DEFAULT_MAX_MEMORY,
    DEFAULT_QUERIES,
    DEFAULT_TIMEOUT,
    CacheOption,
    DataOption,
    EndpointOption,
    Engine,
    EngineOption,
    FormatOption,
    GraphOption,
    MaxMemoryOption,
    QueriesOption,
    ResultFormat,
    StoreOption,
    TimeoutOption,
)
from edugraph.cli.output import show_result, table
from edugraph.cli.querying import limits, run_query, run_sparql
from edugraph.cli.settings import project, query_folders
from edugraph.cli.sources import open_source
from edugraph.errors import EXIT_NONCONFORMING


@app.command("queries")
@handle_errors
def list_queries(
    name: Annotated[str | None, typer.Argument(help="Show this query in full.")] = None,
    queries: QueriesOption = DEFAULT_QUERIES,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """List the stored queries (name, title, parameters, origin), or show one with an example call;
    check each header (description, parameters, an example that runs on the data): exit 1 when one
    has a problem."""
    from edugraph.query.audit import audit
    from edugraph.query.stored import catalogue, find

    p = project(data=data, cache=cache)  # the project's vocabulary types the parameters
    folders = query_folders(queries, p)
    shown = catalogue(folders) if name is None else [find(folders, name)]
    bounds = limits(DEFAULT_TIMEOUT, what="the queries' examples")
    source = open_source(p, limits=bounds) if p.data.is_dir() else None
    found = audit(shown, source)
    if name is None:
        rows = [(q.name, q.title, ", ".join(p.signature for p in q.params), q.origin) for q in shown]
        table(["name", "title", "parameters", "origin"], rows)
    else:
        _show_query(shown[0])
    for query_name, problems in found.items():
        for problem in problems:
            typer.echo(f"problem: {query_name}: {problem}")
    if source is None:
        err(f"the examples were not run: there is no data folder '{p.data}' (give --data DIR)")
    if found:
        err(f"{len(found)} stored quer{'ies have' if len(found) > 1 else 'y has'} problems.")
        raise typer.Exit(EXIT_NONCONFORMING)


def _show_query(query: Any) -> None:
    typer.echo(f"{query.name}: {query.title}")
    typer.echo(f"origin: {query.origin}\n")
    if query.description:
        typer.echo(query.description + "\n")
    for param in query.params:
        typer.echo(f"  -p {param.signature}" + (f"  {param.description}" if param.description else ""))
    typer.echo(f"\nexample: {query.example_call}\n")
    typer.echo(query.text.rstrip("\n"))


@app.command()
@handle_errors
def query(
    name: Annotated[str, typer.Argument(help="A stored query's name, or a path to a .rq file.")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="KEY=VALUE; repeat for several parameters or list values. An id "
        "parameter takes a record's id (a name is not taken for its record).")] = None,
    format: FormatOption = ResultFormat.table,
    data: DataOption = DEFAULT_DATA,
    queries: QueriesOption = DEFAULT_QUERIES,
    engine: EngineOption = Engine.oxigraph,
    cache: CacheOption = DEFAULT_CACHE,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = DEFAULT_MAX_MEMORY,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
) -> None:
    """Run a stored query (or a .rq file) with typed parameters; ASK exits 0 for true, 1 for false."""
    ended(run_query(name=name, param=param, format=format.value, data=data, queries=queries,
                    engine=engine.value, cache=cache, timeout=timeout, max_memory=max_memory, store=store,
                    endpoint=endpoint, graph=graph))


@app.command()
@handle_errors
def sparql(
    text: Annotated[str, typer.Argument(help="The SPARQL query text.")],
    format: FormatOption = ResultFormat.table,
    data: DataOption = DEFAULT_DATA,
    engine: EngineOption = Engine.oxigraph,
    cache: CacheOption = DEFAULT_CACHE,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = DEFAULT_MAX_MEMORY,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
) -> None:
    """Run an ad-hoc SPARQL query on the graph (the ontology's terms included); edugraph's prefixes
    (eg, schema, org, person...) need no PREFIX line."""
    ended(run_sparql(text=text, format=format.value, data=data, engine=engine.value, cache=cache,
                     timeout=timeout, max_memory=max_memory, store=store, endpoint=endpoint, graph=graph))


@app.command()
@handle_errors
def check(
    data: DataOption = DEFAULT_DATA,
    queries: QueriesOption = DEFAULT_QUERIES,
    cache: CacheOption = DEFAULT_CACHE,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory: MaxMemoryOption = DEFAULT_MAX_MEMORY,
    store: StoreOption = None,
) -> None:
    """Run every integrity check (check-*.rq, built-in and the project's); exit 1 and show the rows of
    any that fail."""
    from edugraph.explore.checks import run_checks

    bounds = limits(timeout, max_memory, "the integrity checks")
    p = project(data=data, cache=cache)
    source = open_source(p, store=store, limits=bounds)
    failed = 0
    outcomes = run_checks(source, query_folders(queries, p))
    for stored, result in outcomes:
        if not result.rows:
            typer.echo(f"ok      {stored.name}: {stored.title}")
            continue
        failed += 1
        typer.echo(f"FAILED  {stored.name}: {stored.title} ({len(result.rows)} rows)")
        show_result(result, "table", source.labels)
    if failed:
        err(f"{failed} integrity check{'s' if failed > 1 else ''} failed.")
        raise typer.Exit(EXIT_NONCONFORMING)


