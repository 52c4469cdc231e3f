"""``python -m edugraph``: the command line."""

from edugraph.cli.quick import main

main(program="python -m edugraph")
