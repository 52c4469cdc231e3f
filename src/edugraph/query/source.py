"""Where a query runs, behind one interface: the cached Oxigraph store of a data folder, rdflib's
engine over the same graph, a store folder ``edugraph load`` wrote, or a remote SPARQL endpoint
(:mod:`edugraph.query.endpoint`, kept apart so that a local query never loads the HTTP side).

``show``, ``search``, ``check``, ``viz``, ``timeline`` and ``docs`` read the same sources; they
take :meth:`Source.store` (an Oxigraph store), which a remote endpoint cannot give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.query.results import QueryResult
from edugraph.query.run import Limits
from edugraph.query.sparql import bind_values
from edugraph.query.stores import (
    DEFAULT_CACHE,
    Compiler,
    labels,
    open_path_store,
    open_store,
    run_oxigraph,
    run_rdflib,
)
from edugraph.vocab.ontology import memory_store

Bindings = Mapping[str, Sequence[ox.NamedNode | ox.Literal]]
"""Parameter name -> its values, as RDF terms (see :func:`edugraph.query.stored.bind`)."""


class Source:
    """Somewhere to run SPARQL; subclasses say where."""

    def run(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a query, its parameters bound in VALUES blocks (never pasted into the text)."""
        return self._run(bind_values(text, bindings or {}))

    def own(self, text: str) -> QueryResult:
        """Run one of edugraph's own small queries (the look-up of ids)."""
        return self._run(text)

    def _run(self, text: str) -> QueryResult:
        raise NotImplementedError

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """Display labels of IRIs, where known (:func:`edugraph.query.stores.label_of`)."""
        return labels(self.store(), iris)

    def store(self) -> ox.Store:
        """The Oxigraph store behind this source, for the commands that read it directly."""
        raise UsageError("this command reads a local graph", hint="leave out --endpoint")


class LocalSource(Source):
    """A graph queried by an engine in this process's reach (Oxigraph or rdflib).

    ``limits`` bound what :meth:`run` may take: each query runs in a child process stopped at
    the deadline, on Ctrl-C or past the memory allowed (:mod:`edugraph.query.run`); None (the
    library's default): in this process, unbounded. edugraph's own small queries (:meth:`own`)
    always run in this process: a fork would cost more than they do.
    """

    limits: Limits | None = None

    def _run(self, text: str) -> QueryResult:
        return self._query(text, self.limits)

    def own(self, text: str) -> QueryResult:
        return self._query(text, None)

    def _query(self, text: str, limits: Limits | None) -> QueryResult:
        raise NotImplementedError


class DataSource(LocalSource):
    """The graph of a data folder: a cached on-disk Oxigraph store, rebuilt only after a change."""

    # Plain classes, not dataclasses: a query's start-up makes them, and a dataclass costs a
    # millisecond to make.
    def __init__(self, data_dir: Path, compile: Compiler, cache_dir: Path = DEFAULT_CACHE) -> None:
        self.data_dir, self.compile, self.cache_dir = data_dir, compile, cache_dir
        self._opened: ox.Store | None = None

    def store(self) -> ox.Store:
        if self._opened is None:
            self._opened = open_store(self.data_dir, self.cache_dir, self.compile)
        return self._opened

    def _query(self, text: str, limits: Limits | None) -> QueryResult:
        return run_oxigraph(self.store(), text, limits)


class RdflibSource(LocalSource):
    """The graph of a data folder in rdflib's engine (slow at scale; to compare the engines).

    Its :meth:`store` is the same graph in an in-memory Oxigraph store, for what is shown beside
    the answers (the labels of a table), so that tables read the same whichever engine answered.
    """

    def __init__(self, compile: Compiler) -> None:
        self.compile = compile
        self._graph: bytes | None = None
        self._opened: ox.Store | None = None

    def ntriples(self) -> bytes:
        """The graph, compiled once however often it is queried."""
        if self._graph is None:
            self._graph = self.compile()
        return self._graph

    def _query(self, text: str, limits: Limits | None) -> QueryResult:
        return run_rdflib(self.ntriples(), text, limits)

    def store(self) -> ox.Store:
        if self._opened is None:
            self._opened = memory_store(ox.parse(self.ntriples(), format=ox.RdfFormat.N_TRIPLES))
        return self._opened


class StoreSource(LocalSource):
    """A store folder written by ``edugraph load``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._opened: ox.Store | None = None

    def store(self) -> ox.Store:
        if self._opened is None:
            self._opened = open_path_store(self.path)
        return self._opened

    def _query(self, text: str, limits: Limits | None) -> QueryResult:
        return run_oxigraph(self.store(), text, limits)


def open_source(data_dir: Path, compile: Compiler, *, cache_dir: Path = DEFAULT_CACHE,
                engine: str = "oxigraph", store: Path | None = None, limits: Limits | None = None) -> LocalSource:
    """The local source the options name: a store folder, else the data folder in the chosen
    engine; its queries bounded by ``limits`` (an endpoint: :func:`edugraph.query.endpoint.endpoint_source`)."""
    local: LocalSource
    if store is not None:
        local = StoreSource(store)
    elif engine == "rdflib":
        local = RdflibSource(compile)
    else:
        local = DataSource(data_dir, compile, cache_dir)
    local.limits = limits
    return local
