from edugraph.cli import main

main()
