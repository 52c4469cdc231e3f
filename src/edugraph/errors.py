"""The one error hierarchy of edugraph.

Library code raises these; only the CLI turns them into messages and exit codes:

* ``EXIT_OK`` (0): success;
* ``EXIT_NONCONFORMING`` (1): the data does not conform (SHACL violations, failed checks);
* ``EXIT_INPUT`` (2): bad input or usage (YAML error, unknown id, unknown query, bad parameter);
* ``EXIT_BUG`` (3): an internal error, a bug in edugraph;
* ``EXIT_INTERRUPTED`` (130): interrupted (Ctrl-C); the message says what was written;
* ``EXIT_PIPE`` (141): the reader of stdout left (a closed pipe).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_INPUT = 2
EXIT_BUG = 3
"""An internal error: a bug in edugraph (the message says how to get the traceback)."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C), as a shell reports a process ended by SIGINT."""
EXIT_PIPE = 141
"""The reader of stdout left (``edugraph export | head``), as a shell reports SIGPIPE."""

# Characters that would break a message over lines or hide in a terminal: C0 and C1 controls
# (line feed, carriage return, NEL...), the Unicode line and paragraph separators, and lone
# surrogates (what undecodable bytes of a command line or file name become).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (``\\n``, ``\\x85``,
    ``\\u2028``), so a message quoting the input stays one line however odd the input is."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


MAX_EXCERPT = 80
"""The most characters of a file's content a message quotes."""


def excerpt(text: str, limit: int = MAX_EXCERPT) -> str:
    """At most ``limit`` characters of ``text`` (``…`` marks a cut): how a message quotes what a
    file holds, so that no message shows more than a glimpse of a file it should not have read."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


_LONG_QUOTE = re.compile(r"'([^'\n]{200,})'")
"""A quoted span of 200 characters or more: a value from a file, never a name or a path."""


def cap_quotes(text: str) -> str:
    """``text`` with each quoted span of 200 characters or more cut to an :func:`excerpt`: the
    safety net under every message, whatever quotes a value whole."""
    return _LONG_QUOTE.sub(lambda m: f"'{excerpt(m.group(1))}'", text)


MAX_SUGGESTION_CANDIDATES = 5000


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word``, or None when nothing is close.

    difflib is quadratic in the word's length and linear in the choices, so both are bounded:
    thousands of bad references in a hostile file must not take minutes to report.
    """
    import difflib  # only when a hint is worded: every command's start-up would pay for it

    word, pool = word[:100], list(choices)
    candidates = [c for c in pool if c[:1] == word[:1]] or pool
    close = difflib.get_close_matches(word, candidates[:MAX_SUGGESTION_CANDIDATES], n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """A did-you-mean hint (``did you mean 'x'?``), or None when nothing is close (see
    :func:`closest`)."""
    close = closest(word, choices)
    return f"did you mean '{close}'?" if close is not None else None


class Location(NamedTuple):
    """Where a problem is: the file and line, the record (as messages name it) and the field."""

    file: str | None = None
    line: int | None = None
    record: str | None = None
    field: str | None = None

    @property
    def place(self) -> str:
        """``file:line`` (or just ``file``), empty when unknown."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def prefix(self) -> str:
        """``file:line: record, field 'x': ``: what a message about this place starts with."""
        parts = [f"{self.place}: "] if self.place else []
        subject = [s for s in (self.record, f"field '{self.field}'" if self.field else None) if s]
        if subject:
            parts.append(", ".join(subject) + ": ")
        return "".join(parts)


class EdugraphError(Exception):
    """Base class: a problem with a location (file, line, record, field) and a plain message.

    ``hint`` says what would fix it. ``str(error)`` is the one-line form the CLI prints (any line
    break or control character a quoted value holds is escaped):
    ``data/people.yaml:12: person 'x', field 'positions[1].organisation': unknown id 'y'; did you
    mean 'z'?``
    """

    exit_code: int = EXIT_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.at = Location(str(file) if file is not None else None, line, record, field)
        self.hint = hint
        super().__init__(self.format())

    @property
    def file(self) -> str | None:
        return self.at.file

    @property
    def line(self) -> int | None:
        return self.at.line

    @property
    def record(self) -> str | None:
        return self.at.record

    @property
    def field(self) -> str | None:
        return self.at.field

    def format(self) -> str:
        """The one-line message: ``file:line: record, field 'x': message; hint``."""
        hint = f"; {self.hint}" if self.hint else ""
        return one_line(cap_quotes(f"{self.at.prefix()}{self.message}{hint}"))

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file or "", self.line or 0, self.message)


class InputError(EdugraphError):
    """Bad input: the YAML, a record, a reference, a query or a parameter is wrong (exit 2)."""


class YamlSyntaxError(InputError):
    """The file is not the strict YAML edugraph reads."""


class RecordError(InputError):
    """A record breaks the record model: unknown field, wrong type, impossible date, bad id."""


class DatasetError(InputError):
    """A reference names no record of the right kind, or an id is defined twice."""


class SourceFileError(InputError):
    """A source record names a document text that is not in the sources folder or is unreadable."""


class UsageError(InputError):
    """The command line asks for something impossible (missing directory, unknown format)."""


class OutputError(EdugraphError):
    """An output cannot be written: a read-only or full disk, a path under a file, a folder where
    a file is wanted (exit 2); the message says what was left as it was."""


class InputErrors(InputError):
    """Every input error of a run, reported together."""

    def __init__(self, errors: Iterable[EdugraphError]) -> None:
        self.errors = sorted(errors, key=EdugraphError.sort_key)
        count = len(self.errors)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the input")

    def format(self) -> str:
        return "\n".join(e.format() for e in getattr(self, "errors", [])) or self.message


class EngineError(EdugraphError):
    """A query engine or store failed on a valid request (exit 2: the request must change)."""


class NonConformingError(EdugraphError):
    """The data loaded but does not conform to the shapes or the integrity checks (exit 1)."""

    exit_code = EXIT_NONCONFORMING
