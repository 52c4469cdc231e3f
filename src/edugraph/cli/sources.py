"""Where a command's graph comes from, from its options: the data folder (through the build's
cache), a store folder, or a remote endpoint (credentials from the environment or a prompt).

The build is imported only when the query store must be built again, so a query on an unchanged
data folder loads neither the record loader nor PyYAML.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from edugraph.cli.output import password_prompt
from edugraph.query.run import DEFAULT_SECONDS


def compiler(data: Path, cache: Path) -> Callable[[], bytes]:
    """The build's way from the data folder to its graph, handed to the query side."""

    def compile() -> bytes:
        from edugraph.build.pipeline import graph_ntriples

        return graph_ntriples(data, cache)

    return compile


def locator(data: Path, cache: Path) -> Callable[[str], str | None]:
    """Where a record of the data folder is written (``file:line``), through the build's cache."""

    def locate(record_id: str) -> str | None:
        from edugraph.build.pipeline import record_place

        return record_place(data, cache, record_id)

    return locate


def open_source(p: Any, *, store: Path | None = None, engine: str = "oxigraph",
                endpoint: str | None = None, graph: str | None = None,
                timeout: float = DEFAULT_SECONDS, limits: Any = None) -> Any:
    """The :class:`edugraph.query.source.Source` the options name, over the data folder and
    cache of the project ``p`` (:func:`edugraph.cli.settings.project`); its local queries
    within ``limits`` (:func:`edugraph.cli.querying.limits`), else in this process, unbounded."""
    if endpoint is not None:  # the HTTP side is loaded only then
        from edugraph.query import remote
        from edugraph.query.endpoint import endpoint_source

        remote.check_endpoint(endpoint)  # before a password is asked for
        credentials = remote.credentials_from_env(password_prompt())
        return endpoint_source(endpoint, graph, credentials, timeout)
    if graph is not None:
        from edugraph.errors import UsageError

        raise UsageError("--graph only applies with --endpoint")
    from edugraph.query.source import open_source as library_open

    return library_open(p.data, compiler(p.data, p.cache), cache_dir=p.cache, engine=engine, store=store,
                        limits=limits)
