"""``edugraph load`` and ``push``: the graph into an Oxigraph store folder or a triple store."""

from pathlib import Path
from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.options import DEFAULT_CACHE, DEFAULT_DATA, CacheOption, DataOption
from edugraph.cli.output import password_prompt
from edugraph.cli.querying import seconds
from edugraph.cli.settings import project


@app.command()
@handle_errors
def load(
    store: Annotated[Path, typer.Option("--store", help="Folder of the Oxigraph store to write.")],
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Write the graph (with the ontology) into an on-disk Oxigraph store, replacing it whole."""
    from edugraph.build.pipeline import graph_ntriples
    from edugraph.query.stores import load_store

    p = project(data=data, cache=cache)
    count = load_store(graph_ntriples(p.data, p.cache), store)
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
    with_ontology: Annotated[bool, typer.Option(
        "--with-ontology", help="Upload the whole ontology too (classes, properties, every concept).")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds the whole request may take (connect, send and read together).")] = 120.0,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Upload the graph to a triple store; credentials come from the environment or a prompt."""
    from edugraph.build.pipeline import export
    from edugraph.query import remote

    seconds(timeout)  # finite, above 0
    remote.check_endpoint(endpoint)  # before the export is built or a password asked for
    p = project(data=data, cache=cache)
    # The N-Triples export: the data with the vocabulary terms it uses, so that the labels of
    # roles and kinds resolve on the server without the ontology.
    payload = export(p.data, "nt", p.cache)
    credentials = remote.credentials_from_env(password_prompt())
    extra = remote.push(endpoint, payload, graph=graph, replace=replace, with_ontology=with_ontology,
                        credentials=credentials, timeout=timeout)
    lines = payload.count(b"\n")
    also = f" and {extra} of the ontology" if with_ontology else ""
    typer.echo(f"{'replaced' if replace else 'added'} {lines} triples{also} "
               f"{'in <' + graph + '>' if graph else 'in the default graph'} at {remote.display_url(endpoint)}")
