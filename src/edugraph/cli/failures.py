"""How a command ends: library errors as messages on stderr and exit codes, never a traceback.

The one place for it, without Typer, so that both the Typer app (:func:`edugraph.cli.app.handle_errors`)
and the quick path that starts without Typer (:mod:`edugraph.cli.quick`) end commands alike. The
exit codes are those of :mod:`edugraph.errors` (documented in the README).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

from edugraph.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_PIPE, EdugraphError, InputErrors

T = TypeVar("T")


class Ended(Exception):
    """The command ends with exit ``code``; what it had to say is on stderr already."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def err(line: str) -> None:
    """One line on stderr."""
    sys.stderr.write(line + "\n")


def guarded(work: Callable[[], T], passes: tuple[type[BaseException], ...] = ()) -> T:
    """What ``work`` returns; a library error, Ctrl-C, a closed stdout or a bug is said on stderr
    and raised as :class:`Ended` with its exit code. Exceptions of ``passes`` (Typer's Exit) go on
    up as they are."""
    from edugraph import outputs

    outputs.forget()
    try:
        return work()
    except passes:
        raise
    except EdugraphError as exc:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        for error in errors:
            err(f"error: {error.format()}")
        if len(errors) > 1:
            err(f"{len(errors)} errors; nothing was written.")
        raise Ended(exc.exit_code) from None
    except KeyboardInterrupt:
        err(f"interrupted; {outputs.interrupted_note()}")  # what it wrote, found on disk
        raise Ended(EXIT_INTERRUPTED) from None
    except BrokenPipeError:  # the reader of stdout left (edugraph export | head)
        raise Ended(reader_left()) from None
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
        if os.environ.get("EDUGRAPH_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {exc}")
        err("this is a bug in edugraph; run again with EDUGRAPH_DEBUG=1 for the traceback.")
        raise Ended(EXIT_BUG) from None


def reader_left() -> int:
    """The reader of stdout left (``edugraph export | head``): the exit code to end with, 141, as a
    shell reports a process ended by SIGPIPE (exit 1 is for data that does not conform). What is
    still buffered goes to /dev/null, as Python's documentation of SIGPIPE advises, so that
    Python's own flush at exit finds no closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    return EXIT_PIPE


def open_streams() -> None:
    """A process started with stdout or stderr closed (``>&-``) gets /dev/null there: nowhere to
    say anything, but nothing fails for it."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def flushed(work: Callable[[], int | None]) -> int | None:
    """``work``'s exit code, with stdout flushed here (not in Python's exit, which would warn) and
    a closed stdout found anywhere ending it with exit 141."""
    try:
        try:
            return work()
        finally:
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        return reader_left()
