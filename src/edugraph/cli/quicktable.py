"""Writes :mod:`edugraph.cli.quickdata`, the table the quick path (:mod:`edugraph.cli.quick`)
answers from: every help text exactly as Typer prints it, and the options of the quick commands
as Typer declares them. Derived from the Typer app, never typed: run it after changing a command,
an option or a help text (a test fails until then, and the quick path steps aside meanwhile)::

    python -m edugraph.cli.quicktable          # writes src/edugraph/cli/quickdata.py
    python -m edugraph.cli.quicktable --print  # prints it instead

It runs in a process of its own, so that the modules it records as the table's sources are those
the command line loads, not those some other work had loaded.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from edugraph.cli.quick import FORMAT, PACKAGE, WIDTH, digest, typer_location

PROGRAMS = ("edugraph", "python -m edugraph")
"""The names the command line goes by (the console script, ``python -m``); help names it."""
QUICK = {"query": "run_query", "sparql": "run_sparql"}
"""The commands the quick path runs, and their work in :mod:`edugraph.cli.querying`."""
TARGET = Path(__file__).with_name("quickdata.py")


def _said(group: Any, argv: list[str], program: str) -> tuple[str, str, int]:
    """What the command line writes on stdout and stderr for ``argv``, and its exit code."""
    out, errors = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(errors):
        try:
            group.main(args=argv, prog_name=program, standalone_mode=True)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return out.getvalue(), errors.getvalue(), code


def _kind(annotation: Any, info: Any) -> Any:
    """How the quick path converts a value of this annotation: "str", "int", "float", "path", or
    the choices' texts; a ValueError for anything it does not convert as Typer does."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        if not info.case_sensitive:
            raise ValueError("a case-insensitive choice")
        return [member.value for member in annotation]
    if annotation in (str, int, float):
        if annotation is not str and (info.min is not None or info.max is not None or info.clamp):
            raise ValueError("a bounded number")
        return annotation.__name__
    if annotation is Path:
        if info.exists or info.resolve_path or info.allow_dash or info.path_type is not None:
            raise ValueError("a path with checks")
        return "path"
    raise ValueError(f"a value of type {annotation}")


def _options(command: Any) -> dict[str, Any]:
    """A quick command's parameters: its arguments in order, each option's spellings, and the
    defaults, as Typer declares them."""
    arguments: list[list[Any]] = []
    options: dict[str, list[Any]] = {}
    defaults: dict[str, Any] = {}
    for param in command.params:
        descriptor = param.type_descriptor
        info = descriptor.parameter_info
        if (param.callback is not None or param.envvar or not param.expose_value or param.is_eager
                or info.parser is not None or param.nargs != 1):
            raise ValueError(f"{command.name} {param.name}: the quick path cannot parse it")
        annotation, many = descriptor.annotation, False
        if get_origin(annotation) is list:
            (annotation,) = get_args(annotation)
            many = True
        kind = _kind(annotation, info)
        if param.param_type_name == "argument":
            if many or not param.required:
                raise ValueError(f"{command.name} {param.name}: an argument the quick path cannot parse")
            arguments.append([param.name, kind])
            continue
        if param.is_flag or param.secondary_opts:
            raise ValueError(f"{command.name} {param.name}: a flag the quick path cannot parse")
        for spelling in param.opts:
            options[spelling] = [param.name, kind, many]
        default = param.default
        defaults[param.name] = default.value if isinstance(default, Enum) else default
    return {"arguments": arguments, "options": options, "defaults": defaults}


def build() -> dict[str, Any]:
    """The table, from the Typer app of :mod:`edugraph.cli.main`."""
    os.environ["COLUMNS"] = str(WIDTH)  # help as at a terminal at least WIDTH wide
    import typer
    import typer.main

    from edugraph.cli.main import app

    group = typer.main.get_command(app)
    calls = [[], ["--help"], ["--version"]] + [[name, "--help"] for name in group.commands]
    help_texts = {program: {tuple(argv): _said(group, argv, program) for argv in calls}
                  for program in PROGRAMS}
    quick = {name: {"work": work, **_options(group.commands[name])} for name, work in QUICK.items()}
    sources = sorted(Path(module.__file__).resolve().relative_to(Path(PACKAGE).resolve()).as_posix()
                     for name, module in list(sys.modules.items())
                     if (name == "edugraph" or name.startswith("edugraph.")) and getattr(module, "__file__", None)
                     and name != "edugraph.cli.quickdata")
    typer_init = typer_location()
    if typer_init is None or Path(typer_init).resolve() != Path(typer.__file__).resolve():
        raise RuntimeError(f"the quick path would find Typer at {typer_init}, not at {typer.__file__}")
    return {"format": FORMAT, "sources": sources, "digest": digest(sources, typer_init),
            "help": help_texts, "quick": quick}


def text(table: dict[str, Any]) -> str:
    """The module :mod:`edugraph.cli.quickdata` holding ``table``: one entry a line, the same
    table giving the same bytes."""
    lines = ['"""Generated by ``python -m edugraph.cli.quicktable`` from the Typer app: do not edit."""',
             "", "FORMAT = " + repr(table["format"]), "DIGEST = " + repr(table["digest"]), "SOURCES = ("]
    lines += [f"    {name!r}," for name in table["sources"]]
    lines += [")", *_nested("HELP", table["help"]), *_nested("QUICK", table["quick"])]
    return "\n".join(lines) + "\n"


def _nested(name: str, outer: dict[str, dict[Any, Any]]) -> list[str]:
    """``name = {...}`` of a dict of dicts, one inner entry a line."""
    lines = [f"{name} = {{"]
    for key, inner in outer.items():
        lines.append(f"    {key!r}: {{")
        lines += [f"        {k!r}: {v!r}," for k, v in inner.items()]
        lines.append("    },")
    return [*lines, "}"]


def main() -> None:
    try:
        written = text(build())
    except (RuntimeError, ValueError) as exc:  # a parameter the quick path cannot parse, another Typer
        sys.exit(f"error: {exc}")
    if "--print" in sys.argv[1:]:
        sys.stdout.write(written)
        return
    temporary = TARGET.with_name(TARGET.name + ".tmp")
    temporary.write_text(written, encoding="utf-8")
    os.replace(temporary, TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
