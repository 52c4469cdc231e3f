"""The ``edugraph`` command line."""

from edugraph.cli.base import app, main

__all__ = ["app", "main"]
