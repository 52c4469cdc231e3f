"""The Typer app every command module registers on; its commands end through
:mod:`edugraph.cli.failures`, where library errors become messages on stderr and exit codes."""

# No `from __future__ import annotations` in the CLI: Typer reads every command's annotations on
# each run, and evaluating their text then (typing.get_type_hints) took 6 ms of a 110 ms query.

import os
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from edugraph.cli import failures
from edugraph.cli.coercion import LeanTyper
from edugraph.cli.failures import Ended, guarded
from edugraph.errors import UsageError

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


def handle_errors(func: F) -> F:
    """Turn library errors into messages on stderr and their exit codes; never a traceback
    (:func:`edugraph.cli.failures.guarded`)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        def work() -> Any:
            _check_text(func, kwargs)
            return func(*args, **kwargs)

        try:
            return guarded(work, passes=(typer.Exit,))
        except Ended as end:
            raise typer.Exit(end.code) from None

    return wrapper  # type: ignore[return-value]


def reader_left() -> NoReturn:
    """The reader of stdout left: exit 141 (:func:`edugraph.cli.failures.reader_left`)."""
    raise typer.Exit(failures.reader_left())


def ended(code: int) -> None:
    """End the command with exit ``code`` unless it is 0 (what the quick path's work returns)."""
    if code:
        raise typer.Exit(code)


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
