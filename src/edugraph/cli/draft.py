"""``edugraph draft``: a YAML draft of the records a new source document gives."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.options import DEFAULT_CACHE, DEFAULT_DATA, CacheOption, DataOption
from edugraph.cli.settings import project


@app.command()
@handle_errors
def draft(
    text: Annotated[Path, typer.Argument(help="The new source document, as plain UTF-8 text.")],
    source_id: Annotated[str | None, typer.Option(
        "--id", help="The new source record's id (default: the next free src-NNN).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the draft to this file, atomically (default: stdout).")] = None,
    data: DataOption = DEFAULT_DATA,
    cache: CacheOption = DEFAULT_CACHE,
) -> None:
    """Draft the records of a new document: its source record, the project's records it names,
    and new records and relationships, the unsure ones commented out."""
    from edugraph.explore.draft import draft as run_draft
    from edugraph.files import write_atomic

    p = project(data=data, cache=cache)
    yaml_text = run_draft(text, p.data, source_id, p.cache)
    if output is None:
        sys.stdout.write(yaml_text)
    else:
        write_atomic(output, yaml_text.encode("utf-8"))
