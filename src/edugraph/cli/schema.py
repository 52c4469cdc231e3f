"""``edugraph schema``: the JSON Schema of the record files, for editors."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.output import shown
from edugraph.cli.settings import project


@app.command()
@handle_errors
def schema(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write, atomically (default: stdout); edugraph init's "
        "editor settings name edugraph.schema.json.")] = None,
) -> None:
    """Write a JSON Schema (draft 2020-12) of the record files, the project's vocabulary terms
    included, for editors to complete and check fields, terms and values."""
    from edugraph.files import write_atomic
    from edugraph.model.schema import schema_text
    from edugraph.vocab.ontology import vocabularies

    project()  # its vocabulary files add terms
    text = schema_text(vocabularies())
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text.encode("utf-8"))
    typer.echo(f"wrote {shown(output)}")
