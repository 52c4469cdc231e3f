"""The work of ``edugraph query`` and ``edugraph sparql``, without Typer.

The Typer commands (:mod:`edugraph.cli.queries`) call these with the values Typer parsed; the quick
path (:mod:`edugraph.cli.quick`), which answers the same command lines without loading Typer, calls
them with the values it parsed from the same table of options. Choices arrive as their text
(``"csv"``), not as Typer's enums. Each returns the command's exit code.
"""

from __future__ import annotations

import math
from pathlib import Path

from edugraph.errors import UsageError
from edugraph.query.run import DEFAULT_MEMORY_MB, MAX_MEMORY_MB, MAX_SECONDS, Limits


def seconds(value: float, option: str = "--timeout") -> float:
    """A timeout as given, when it is a finite number of seconds above 0 and at most a day."""
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise UsageError(f"{option} must be a number of seconds above 0 and at most {MAX_SECONDS:g}, "
                         f"not '{value:g}'")
    return value


def limits(timeout: float, max_memory: int = DEFAULT_MEMORY_MB, what: str = "the query") -> Limits:
    """The bounds of a command's local queries, from ``--timeout`` and ``--max-memory``."""
    if not 0 < max_memory <= MAX_MEMORY_MB:
        raise UsageError(f"--max-memory must be a number of MB above 0 and at most {MAX_MEMORY_MB}, "
                         f"not '{max_memory}'")
    return Limits(seconds(timeout), max_memory, what)


def run_query(name: str, param: list[str] | None, format: str, data: Path | None, queries: list[Path] | None,
              engine: str, cache: Path | None, timeout: float, max_memory: int, store: Path | None,
              endpoint: str | None, graph: str | None) -> int:
    """``edugraph query``: a stored query (or a .rq file) with typed parameters, its result on
    stdout."""
    from edugraph.cli.output import show_result
    from edugraph.cli.settings import project, query_folders
    from edugraph.cli.sources import open_source
    from edugraph.query.lookup import checked_bindings
    from edugraph.query.stored import find, parse_pairs

    bounds = limits(timeout, max_memory)
    p = project(data=data, cache=cache)  # its vocabulary and base type the parameters
    stored = find(query_folders(queries, p), name)
    bounds.what = f"query '{stored.name}'"
    given = parse_pairs(param or [])
    source = open_source(p, store=store, engine=engine, endpoint=endpoint, graph=graph,
                         timeout=timeout, limits=bounds)
    bindings = checked_bindings(source, stored, given)  # ids must name records of their kind
    return show_result(source.run(stored.text, bindings), format, source.labels)


def run_sparql(text: str, format: str, data: Path | None, engine: str, cache: Path | None, timeout: float,
               max_memory: int, store: Path | None, endpoint: str | None, graph: str | None) -> int:
    """``edugraph sparql``: an ad-hoc query, its result on stdout."""
    from edugraph.cli.output import show_result
    from edugraph.cli.settings import project
    from edugraph.cli.sources import open_source

    bounds = limits(timeout, max_memory)
    source = open_source(project(data=data, cache=cache), store=store, engine=engine,
                         endpoint=endpoint, graph=graph, timeout=timeout, limits=bounds)
    return show_result(source.run(text), format, source.labels)
