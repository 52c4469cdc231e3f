"""``edugraph vocab``: the controlled vocabularies, their terms and where each comes from."""

from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.output import table
from edugraph.cli.settings import project


@app.command()
@handle_errors
def vocab(
    scheme: Annotated[str | None, typer.Argument(
        help="Show only this scheme's terms (e.g. participation-role).")] = None,
) -> None:
    """List the vocabularies' terms (type and role values): scheme, term, label, where it comes from."""
    from edugraph.vocab.ontology import terms

    project()  # its vocabulary files add terms
    table(["scheme", "term", "label", "from"], [(t.scheme, t.slug, t.label, t.origin) for t in terms(scheme)])
