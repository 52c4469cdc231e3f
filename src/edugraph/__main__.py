"""``python -m edugraph``: the command line."""

from edugraph.cli.main import main

main()
