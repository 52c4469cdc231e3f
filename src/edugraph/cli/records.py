"""``edugraph show`` and ``search``: one record's card, and records found by name."""

from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.failures import err
from edugraph.cli.options import DEFAULT_CACHE, DEFAULT_DATA, CacheOption, DataOption, StoreOption
from edugraph.cli.output import table
from edugraph.cli.settings import project
from edugraph.cli.sources import locator, open_source
from edugraph.errors import EXIT_NONCONFORMING


@app.command()
@handle_errors
def show(
    record: Annotated[str, typer.Argument(
        help="The id of a record, e.g. zhang-minxuan (a name or alias is not taken for its "
        "record: the error names the id to use).")],
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
    store: StoreOption = None,
) -> None:
    """Show one record's card: where its YAML is, names, kind, fields, every relationship with the
    other end's label and id, role and dates, the sources of each statement."""
    from edugraph.explore.card import card
    from edugraph.render.cardtext import card_text

    p = project(data=data, cache=cache)
    graph = open_source(p, store=store).store()
    # A store has no files to point to; the data folder's records know theirs.
    locate = locator(p.data, p.cache) if store is None else None
    typer.echo(card_text(card(graph, record, locate)), nl=False)


@app.command()
@handle_errors
def search(
    text: Annotated[str, typer.Argument(help="Words of a name or alias, in any case or accents.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
    store: StoreOption = None,
) -> None:
    """Find records by name or alias, best matches first."""
    from edugraph.explore.search import search as run_search

    hits = run_search(open_source(project(data=data, cache=cache), store=store).store(), text, limit)
    if not hits:
        err(f"nothing matches '{text}'.")
        raise typer.Exit(EXIT_NONCONFORMING)
    table(["id", "kind", "name", "matched"], [(h.id, h.kind, h.name, h.matched) for h in hits])
