"""The ``edugraph`` command line: a thin layer over the library.

Each module of this package is one family of commands, registering itself on the app of
:mod:`edugraph.cli.app`; a command parses its options, calls one library function and renders
what it returns (:mod:`edugraph.cli.output`). The library is imported inside each command, so
``edugraph --help`` loads no RDF library. Importing this package registers every command.
"""

import os
import sys

from edugraph.cli.app import app

# The commands, in the order --help lists them (importing a module registers its commands).
# isort: off
from edugraph.cli import graph, queries, records, stores, pictures  # noqa: F401
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
