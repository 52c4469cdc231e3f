"""The console script: the command lines people run most, answered without loading Typer.

Importing Typer and building its commands takes 60-80 ms, six times Python's own start-up and more
than a query on a built graph. So ``main`` first looks its command line up in a table that
:mod:`edugraph.cli.quicktable` derives from the Typer app (:mod:`edugraph.cli.quickdata`):

* ``edugraph``, ``--help``, ``--version`` and ``COMMAND --help``: the table holds what Typer
  prints, byte for byte, for a terminal at least 80 columns wide (Click's widest);
* ``query`` and ``sparql``: the table holds their options as Typer declares them; a command line
  made only of those (``--opt value``, ``--opt=value``, repeated options, arguments) is parsed here
  and handed to the same work the Typer commands call (:mod:`edugraph.cli.querying`).

Anything else goes to Typer (:func:`edugraph.cli.main.main`), which also answers every command
line the table cannot vouch for: an unknown option, a value Typer would refuse or word an error
about, a value that is not UTF-8, a narrower terminal, another name for the program. The table
names the files it was derived from, with a CRC of their bytes and of Typer's ``__init__``; when
any differs (an edited command, another Typer), the table is not used at all.
"""

from __future__ import annotations

import os
import sys
import zlib
from types import ModuleType

FORMAT = 1
"""The layout of :mod:`edugraph.cli.quickdata` this module reads (and quicktable writes)."""
WIDTH = 80
"""Help as a terminal at least this wide shows it (Click's widest); narrower ones go to Typer."""
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(program: str | None = None) -> None:
    """Run the command line (``program`` is the name it goes by; by default that of the script)."""
    table = _table()
    if table is not None:
        code = _answer(table, sys.argv[1:], program or os.path.basename(sys.argv[0]))
        if code is not None:
            sys.exit(code)
    from edugraph.cli.main import main as typer_main

    typer_main()


def _table() -> ModuleType | None:
    """:mod:`edugraph.cli.quickdata` when it was derived from the files as they are now, else None."""
    try:
        from edugraph.cli import quickdata
    except ImportError:
        return None
    typer_init = typer_location()
    if getattr(quickdata, "FORMAT", None) != FORMAT or typer_init is None:
        return None
    try:
        return quickdata if digest(quickdata.SOURCES, typer_init) == quickdata.DIGEST else None
    except OSError:
        return None


def digest(sources: tuple[str, ...] | list[str], typer_init: str) -> int:
    """A CRC of the table's sources (paths in the package) and of Typer's ``__init__.py`` (which
    names its version): when one changes, the table may no longer say what Typer would. A guard
    against a stale table, not against tampering."""
    crc = 0
    for name in sources:
        with open(os.path.join(PACKAGE, name), "rb") as source:
            crc = zlib.crc32(name.encode() + b"\0" + source.read(), crc)
    with open(typer_init, "rb") as source:
        return zlib.crc32(source.read(), crc)


def typer_location() -> str | None:
    """Where ``import typer`` would find its ``__init__.py``, without importing it."""
    for folder in sys.path:
        candidate = os.path.join(folder or ".", "typer", "__init__.py")
        if os.path.isfile(candidate):
            return candidate
    return None


def _answer(table: ModuleType, argv: list[str], program: str) -> int | None:
    """The exit code of ``argv`` answered from the table, or None: Typer's to answer."""
    if os.name == "nt" or sys.stdout is None or sys.stderr is None or not _utf8(argv):
        return None  # (a closed stdout or stderr is for Typer's path to put /dev/null in)
    said = table.HELP.get(program, {}).get(tuple(argv))
    if said is not None and _columns() >= WIDTH:
        out, errors, code = said
        try:
            sys.stdout.write(out)
            sys.stderr.write(errors)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader left: exit 141, as every command does
            from edugraph.cli.failures import reader_left

            return reader_left()
        return code
    spec = table.QUICK.get(argv[0]) if argv else None
    values = parse(spec, argv[1:]) if spec is not None else None
    if values is None:
        return None
    return _run(spec["work"], values)


def _run(work: str, values: dict[str, object]) -> int:
    """The quick command's work (:mod:`edugraph.cli.querying`), ended as Typer's commands end."""
    from edugraph.cli import failures, querying
    from edugraph.netguard import install

    def command() -> int:
        install()  # as the app's callback does for every command
        return getattr(querying, work)(**values)

    def ended() -> int:
        try:
            return failures.guarded(command)
        except failures.Ended as end:
            return end.code

    code = failures.flushed(ended)
    return code or 0


def parse(spec: dict, tokens: list[str]) -> dict[str, object] | None:
    """The values of a quick command's ``tokens`` as Typer would hand them to the command, choices
    as their text; None for anything Typer should see (an unknown or malformed option, a missing
    or extra argument, a value it might refuse)."""
    options, values, given = spec["options"], dict(spec["defaults"]), []
    lists: dict[str, list[object]] = {}  # the repeatable options given, in order
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--":
            given += tokens[i:]
            break
        if not token.startswith("-") or token == "-":
            given.append(token)
            continue
        spelling, equals, text = token.partition("=") if token.startswith("--") else (token, "", "")
        if spelling not in options:
            return None
        if not equals:
            if i == len(tokens) or tokens[i].startswith("-"):
                return None  # a value that looks like an option: Typer decides
            text = tokens[i]
            i += 1
        name, kind, many = options[spelling]
        value = _value(kind, text)
        if value is None:
            return None
        if many:
            lists.setdefault(name, []).append(value)
        else:
            values[name] = value  # given twice: the last, as Click takes it
    values.update(lists)
    if len(given) != len(spec["arguments"]):
        return None
    for (name, kind), text in zip(spec["arguments"], given, strict=True):
        value = _value(kind, text)
        if value is None:
            return None
        values[name] = value
    return values


def _value(kind: str | list[str], text: str) -> object:
    """``text`` converted as Typer converts a value of ``kind``, or None where Typer might refuse it
    or convert it otherwise (it then says so in its own words)."""
    if kind == "str":
        return text
    if isinstance(kind, list):
        return text if text in kind else None
    if kind == "path":
        from pathlib import Path

        path = Path(text)
        return path if str(path) == text else None
    if kind == "int":
        body = text[1:] if text[:1] in "+-" else text
        return int(text) if body.isascii() and body.isdigit() else None
    if kind == "float":
        body = text[1:] if text[:1] in "+-" else text
        whole, _, part = body.partition(".")
        digits = whole + part
        if digits and digits.isascii() and digits.isdigit() and (whole or part):
            return float(text)
        return None
    return None


def _utf8(argv: list[str]) -> bool:
    """Whether every argument is text Typer's checks would let through (bytes that are not UTF-8
    come as lone surrogates, and Typer words their error)."""
    try:
        for token in argv:
            token.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _columns() -> int:
    """The terminal's width as Click reads it (``shutil.get_terminal_size``, without importing
    shutil): ``COLUMNS``, else the terminal of stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80
