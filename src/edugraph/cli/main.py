"""The entry point: every command module registered on the app, and ``main``.

The library is imported inside each command, so ``edugraph --help`` loads no RDF library.
"""

import sys

from edugraph.cli import failures
from edugraph.cli.app import app

# The commands, in the order --help lists them (importing a module registers its commands).
# isort: off
from edugraph.cli import init, graph, draft, queries, records, diff, stores, pictures, vocab, schema  # noqa: F401
# isort: on

__all__ = ["app", "main"]


def main() -> None:
    """The whole command line, through Typer (the console script, :func:`edugraph.cli.quick.main`,
    comes here for everything it does not answer itself). A closed stdout ends every command with
    exit 141 (:func:`edugraph.cli.failures.reader_left`), wherever it is found: in a command, in
    Python's final flush, or in Typer, which would make it exit 1."""
    failures.open_streams()
    try:
        code = failures.flushed(app)
    except SystemExit:
        # Typer wraps stdout in Click's PacifyFlushWrapper when it meets EPIPE (help, usage).
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            sys.exit(failures.reader_left())
        raise
    sys.exit(code)
