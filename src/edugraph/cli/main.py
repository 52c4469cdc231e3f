"""The entry point: every command module registered on the app, and ``main``.

The library is imported inside each command, so ``edugraph --help`` loads no RDF library.
"""

import os
import sys

from edugraph.cli.app import app

# The commands, in the order --help lists them (importing a module registers its commands).
# isort: off
from edugraph.cli import init, graph, draft, queries, records, diff, stores, pictures, vocab, schema  # noqa: F401
# isort: on

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        # `edugraph show x | head`: the reader left; say nothing more and exit as a pipe would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
