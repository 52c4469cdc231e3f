"""``edugraph diff``: what an edit changed, record by record or statement by statement."""

import sys
from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.options import DEFAULT_CACHE, DEFAULT_DATA, CacheOption, DataOption, DiffFormat
from edugraph.cli.settings import project
from edugraph.errors import EXIT_NONCONFORMING


@app.command()
@handle_errors
def diff(
    old: Annotated[str | None, typer.Argument(
        help="A folder of records, or a git revision of the data folder (default: HEAD).")] = None,
    new: Annotated[str | None, typer.Argument(
        help="A folder of records, or a git revision (default: the data folder as it is).")] = None,
    format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text (the default), md (to paste into a pull request) or json.")
    ] = DiffFormat.text,
    triples: Annotated[bool, typer.Option(
        "--triples", help="The statements that differ instead: sorted N-Triples lines marked - "
        "(removed) and + (added).")] = False,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Show what changed between two versions of the records (default: the last commit and the
    data folder as it is): records added, removed and changed, field by field, with the sources
    of each value and relationship. Exit 1 when anything differs."""
    from edugraph.explore.diff import diff as run_diff

    p = project(data=data, cache=cache)
    result = run_diff(old, new, p.data, p.cache)
    sys.stdout.write(result.render(format.value, triples))
    if result.differs(triples):
        raise typer.Exit(EXIT_NONCONFORMING)
