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
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from edugraph.cli.coercion import LeanTyper
from edugraph.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_PIPE, EdugraphError, InputErrors, UsageError

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
            _check_text(func, kwargs)
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
        except BrokenPipeError:  # the reader of stdout left (edugraph export | head)
            reader_left()
        except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
            if os.environ.get("EDUGRAPH_DEBUG"):
                raise
            err(f"internal error: {type(exc).__name__}: {exc}")
            err("this is a bug in edugraph; run again with EDUGRAPH_DEBUG=1 for the traceback.")
            raise typer.Exit(EXIT_BUG) from None

    return wrapper  # type: ignore[return-value]


def reader_left() -> NoReturn:
    """The reader of stdout left (``edugraph export | head``): say nothing more, and exit 141,
    as a shell reports a process ended by SIGPIPE (exit 1 is for data that does not conform).
    What is still buffered goes to /dev/null, as Python's documentation of SIGPIPE advises, so
    that Python's own flush at exit finds no closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    raise typer.Exit(EXIT_PIPE)


def _check_text(func: Callable[..., Any], values: dict[str, Any]) -> None:
    """A UsageError for a text argument or option holding bytes that are not UTF-8 (Python
    hands them over as lone surrogates), which no message, IRI or query could carry. Paths may
    hold such bytes (a file's name is bytes): a ``Path`` is not checked, nor a text naming a file
    or folder that exists (``query FILE.rq``, ``diff OLD``); nor are ``-p`` values, which
    :func:`edugraph.query.stored.bind` reports naming the parameter."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            if os.path.lexists(value):
                continue
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise UsageError(f"{_spelled(func, name)} is not UTF-8 text: '{shown}'",
                             hint="give it in UTF-8 (see the terminal's encoding: LANG, LC_ALL)") from None


def _spelled(func: Callable[..., Any], name: str) -> str:
    """How the command line spells a command's parameter (``--graph``, ``the argument TEXT``),
    read from its Annotated declaration."""
    import inspect
    from typing import get_args

    from typer.models import ArgumentInfo, OptionInfo

    parameter = inspect.signature(func).parameters.get(name)
    for info in get_args(parameter.annotation)[1:] if parameter is not None else ():
        if isinstance(info, OptionInfo):
            spellings = [d for d in (info.param_decls or ()) if d.startswith("--")]
            return spellings[0] if spellings else "--" + name.replace("_", "-")
        if isinstance(info, ArgumentInfo):
            return f"the argument {info.metavar or name.upper()}"
    return name


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
