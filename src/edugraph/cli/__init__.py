"""The ``edugraph`` command line: a thin layer over the library.

Each module of this package is one family of commands, registering itself on the app of
:mod:`edugraph.cli.app`; a command parses its options, calls one library function and renders
what it returns (:mod:`edugraph.cli.output`). :mod:`edugraph.cli.main` puts them together and is
the entry point; nothing imports it but ``python -m edugraph``.
"""
