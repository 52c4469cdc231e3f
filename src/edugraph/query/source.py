"""Where a query runs, behind one interface: the cached Oxigraph store of a data folder, rdflib's
engine over the same graph, a store folder ``edugraph load`` wrote, or a remote SPARQL endpoint.

``show``, ``search``, ``check``, ``viz``, ``timeline`` and ``docs`` read the same sources; they
take :meth:`Source.store` (an Oxigraph store), which a remote endpoint cannot give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.model import values
from edugraph.query import remote
from edugraph.query.results import QueryResult
from edugraph.query.run import Limits
from edugraph.query.sparql import bind_terms, bind_values
from edugraph.query.stores import (
    DEFAULT_CACHE,
    Compiler,
    label_of,
    labels,
    open_path_store,
    open_store,
    run_oxigraph,
    run_rdflib,
)
from edugraph.vocab.namespaces import SCHEMA, SKOS
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


class EndpointSource(Source):
    """A SPARQL 1.1 Protocol endpoint; ``graph`` is queried as the default graph."""

    def __init__(self, url: str, graph: str | None = None, credentials: remote.Credentials | None = None,
                 timeout: float = remote.DEFAULT_TIMEOUT) -> None:
        self.url, self.graph, self.credentials, self.timeout = url, graph, credentials, timeout

    def run(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a query, each single-valued parameter's escaped term written in place of its
        variable (:func:`edugraph.query.sparql.bind_terms`): some stores cannot start a path
        from a VALUES-bound variable. Several values are still bound in a VALUES block."""
        return self._run(bind_terms(text, bindings or {}))

    def _run(self, text: str) -> QueryResult:  # bounded by its HTTP timeout
        return remote.query(self.url, text, default_graph=self.graph, credentials=self.credentials,
                            timeout=self.timeout)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The same labels as a local graph gives, read off the endpoint in one query (none
        where the store lacks them: push with ``--with-ontology`` for the concepts' labels)."""
        wanted = sorted(set(iris))
        if not wanted:
            return {}
        values = " ".join(str(ox.NamedNode(iri)) for iri in wanted)
        text = (f"SELECT ?s ?name ?pref ?mention WHERE {{ VALUES ?s {{ {values} }} "
                f"{{ ?s <{SCHEMA.name}> ?name }} UNION {{ ?s <{SKOS.prefLabel}> ?pref }} "
                f"UNION {{ ?s <{SKOS.hiddenLabel}> ?mention }} }}")
        found: dict[str, dict[str, list[str]]] = {}
        for row in self._run(text).rows:
            subject, *terms = row
            if subject is None:
                continue
            for key, term in zip(("name", "pref", "mention"), terms):
                if term is not None:
                    found.setdefault(subject.value, {}).setdefault(key, []).append(term.value)
        out: dict[str, str] = {}
        for iri, parts in found.items():
            name = min(parts.get("name", ()), default=None)
            pref = min(parts.get("pref", ()), default=None)
            # as a local graph: the mentions count only for what has neither a name nor a label
            mentions = parts.get("mention", ()) if name is None and pref is None else ()
            label = label_of(name, mentions, pref)
            if label is not None:
                out[iri] = label
        return out


def open_source(data_dir: Path, compile: Compiler, *, cache_dir: Path = DEFAULT_CACHE,
                engine: str = "oxigraph", store: Path | None = None, endpoint: str | None = None,
                graph: str | None = None, credentials: remote.Credentials | None = None,
                timeout: float = remote.DEFAULT_TIMEOUT, limits: Limits | None = None) -> Source:
    """The source the options name: an endpoint (bounded by ``timeout``), else a store folder,
    else the data folder in the chosen engine (bounded by ``limits``)."""
    if endpoint is not None:
        if graph is not None:
            try:
                values.iri(graph)
            except values.InvalidValue as exc:
                raise UsageError(f"--graph {exc}", hint="give the graph's full IRI, e.g. "
                                 "https://example.org/graph") from None
        return EndpointSource(endpoint, graph, credentials, timeout or remote.DEFAULT_TIMEOUT)
    if graph is not None:
        raise UsageError("--graph only applies with --endpoint")
    local: LocalSource
    if store is not None:
        local = StoreSource(store)
    elif engine == "rdflib":
        local = RdflibSource(compile)
    else:
        local = DataSource(data_dir, compile, cache_dir)
    local.limits = limits
    return local
