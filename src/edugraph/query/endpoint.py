"""A remote SPARQL 1.1 Protocol endpoint as a :class:`edugraph.query.source.Source`.

Apart from the local sources so that a query on a local graph never imports the HTTP side
(:mod:`edugraph.query.remote` and what it needs cost a query's start-up milliseconds).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.model import values
from edugraph.query import remote
from edugraph.query.results import QueryResult
from edugraph.query.source import Bindings, Source
from edugraph.query.sparql import bind_terms
from edugraph.query.stores import label_of
from edugraph.query.transport import Credentials
from edugraph.vocab.namespaces import SCHEMA, SKOS


class EndpointSource(Source):
    """A SPARQL 1.1 Protocol endpoint; ``graph`` is queried as the default graph."""

    def __init__(self, url: str, graph: str | None = None, credentials: Credentials | None = None,
                 timeout: float | None = None) -> None:
        """``timeout``: seconds an answer may take; None: :data:`edugraph.query.remote.DEFAULT_TIMEOUT`."""
        self.url, self.graph, self.credentials = url, graph, credentials
        self.timeout = timeout or remote.DEFAULT_TIMEOUT

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
        listed = " ".join(str(ox.NamedNode(iri)) for iri in wanted)
        text = (f"SELECT ?s ?name ?pref ?mention WHERE {{ VALUES ?s {{ {listed} }} "
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


def endpoint_source(url: str, graph: str | None = None, credentials: Credentials | None = None,
                    timeout: float | None = None) -> EndpointSource:
    """The endpoint at ``url``, ``graph`` (a full IRI) as its default graph, each answer bounded
    by ``timeout`` seconds (None: :data:`edugraph.query.remote.DEFAULT_TIMEOUT`)."""
    if graph is not None:
        try:
            values.iri(graph)
        except values.InvalidValue as exc:
            raise UsageError(f"--graph {exc}", hint="give the graph's full IRI, e.g. "
                             "https://example.org/graph") from None
    return EndpointSource(url, graph, credentials, timeout)
