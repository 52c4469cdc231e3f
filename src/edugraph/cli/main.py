"""The entry point: every command module registered on the app, and ``main``.

The library is imported inside each command, so ``edugraph --help`` loads no RDF library.
"""

import os
import sys

import typer

from edugraph.cli.app import app, reader_left

# The commands, in the order --help lists them (importing a module registers its commands).
# isort: off
from edugraph.cli import init, graph, draft, queries, records, diff, stores, pictures, vocab, schema  # noqa: F401
# isort: on

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point. A closed stdout ends every command with exit 141
    (:func:`edugraph.cli.app.reader_left`), wherever it is found: in a command, in Python's
    final flush, or in Typer, which would make it exit 1."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with the descriptor closed (>&-): nowhere to say
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    try:
        try:
            app()
        finally:
            if sys.stdout is not None:  # found here, not in Python's exit, which would warn
                sys.stdout.flush()
    except BrokenPipeError:
        _exit_reader_left()
    except SystemExit:
        # Typer wraps stdout in Click's PacifyFlushWrapper when it meets EPIPE (help, usage).
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            _exit_reader_left()
        raise


def _exit_reader_left() -> None:
    try:
        reader_left()
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
