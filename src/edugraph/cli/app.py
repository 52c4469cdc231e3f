"""The Typer app every command module registers on, and the one place library errors become
messages on stderr and exit codes.

The exit codes are those of :mod:`edugraph.errors` (documented in the README).
"""

# No `from __future__ import annotations` in the CLI: Typer reads every command's annotations on
# each run, and evaluating their text then (typing.get_type_hints) took 6 ms of a 110 ms query.

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer

from edugraph.cli.coercion import LeanTyper
from edugraph.errors import EXIT_BUG, EXIT_INTERRUPTED, EdugraphError, InputErrors

# LeanTyper: typer.Typer whose commands convert option values without loading Pydantic (about
# 100 ms a run); see coercion.py.
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


def err(line: str) -> None:
    """One line on stderr."""
    sys.stderr.write(line + "\n")


def handle_errors(func: F) -> F:
    """Turn library errors into messages on stderr and their exit codes; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from edugraph import outputs

        outputs.forget()
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except EdugraphError as exc:
            errors = exc.errors if isinstance(exc, InputErrors) else [exc]
            for error in errors:
                err(f"error: {error.format()}")
            if len(errors) > 1:
                err(f"{len(errors)} errors; nothing was written.")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err(f"interrupted; {outputs.interrupted_note()}")  # what it wrote, found on disk
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise  # the reader of a pipe left: main() ends quietly
        except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
            if os.environ.get("EDUGRAPH_DEBUG"):
                raise
            err(f"internal error: {type(exc).__name__}: {exc}")
            err("this is a bug in edugraph; run again with EDUGRAPH_DEBUG=1 for the traceback.")
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
