"""``edugraph init``: a new project that builds at once."""

from pathlib import Path
from typing import Annotated

import typer

from edugraph.cli.app import app, handle_errors
from edugraph.cli.output import shown


@app.command()
@handle_errors
def init(
    folder: Annotated[Path, typer.Argument(
        help="The project's folder: new (it is made), empty, or with --force any folder.")] = Path("."),
    force: Annotated[bool, typer.Option(
        "--force", help="Write into a folder that is not empty, keeping every file it has.")] = False,
) -> None:
    """Start a project: edugraph.toml, example records citing an example source, queries/, and the
    records' JSON Schema with the settings that point editors at it."""
    import shlex

    from edugraph.model.schema import schema_text
    from edugraph.starter import start_project
    from edugraph.vocab.ontology import vocabularies

    # edugraph's own vocabularies: the new project has none of its own yet.
    started = start_project(folder, schema_text(vocabularies()), force=force)
    for path in started.created:
        typer.echo(f"created {shown(folder / path)}")
    for path in started.kept:
        typer.echo(f"kept    {shown(folder / path)} (it exists; not overwritten)")
    here = folder.resolve() == Path.cwd().resolve()
    typer.echo("\nnext steps:")
    typer.echo(f"  {'' if here else f'cd {shlex.quote(str(folder))} && '}edugraph build")
    typer.echo("  edugraph check && edugraph check-sources   # the records' integrity and their sources")
    typer.echo("  then replace the example in data/ and data/sources/ with your own records and texts")
