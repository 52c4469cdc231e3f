from edugraph.cli.base import main

main()
