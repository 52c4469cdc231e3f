from edugraph.cli.main import main

main()
