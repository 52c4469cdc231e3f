"""Where queries run: a cached on-disk Oxigraph store of the built graph, or rdflib in memory.

The store is keyed by a content hash of the data, the ontology and the edugraph version, so a
query from the CLI opens it read-only in milliseconds and the data is only compiled again when a
file changed. The cache folder (``.edugraph-cache/`` by default) is safe to delete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final, TypeVar

import pyoxigraph as ox

from edugraph import __version__
from edugraph.errors import EngineError, UsageError
from edugraph.files import data_files, hasher, place_key
from edugraph.netguard import REFUSED_ERRNO, offline
from edugraph.outputs import replacing_folder, shown
from edugraph.query.results import QueryResult
from edugraph.query.run import Limits, isolated
from edugraph.query.screen import keywords, refusal
from edugraph.query.sparql import invalid, needed_prefixes, screen
from edugraph.query.syntax import deep_recursion
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import ID, SCHEMA, SKOS
from edugraph.vocab.terms import from_rdflib, to_rdflib

DEFAULT_CACHE = Path(".edugraph-cache")
_READY = "READY"
_MARK = "EDUGRAPH-STORE"

Compiler = Callable[[], bytes]
"""Gives the instance graph as sorted N-Triples (the build hands one over; the query side never
compiles records itself). Raises InputErrors on bad input."""

T = TypeVar("T")


def fingerprint(data_dir: Path) -> str:
    """A key that changes whenever a file the graph depends on changes.

    Built from each file's path, size and modification time (nanoseconds), not its content: a
    query must not read 50 MB of YAML to learn that nothing changed. Editing a file always moves
    its mtime; a file touched without a change only costs one rebuild. Every file under the data
    folder counts (a superset of the records), which spares a query importing the loader.
    """
    # The base IRI and the project's vocabulary change the graph too.
    digest = hasher(f"edugraph {__version__}\n{ID}\n".encode())
    watched = [ontology.ontology_path(), ontology.ontology_path(ontology.SHAPES_FILE), *ontology.vocabulary_files()]
    for path in [*data_files(data_dir), *watched]:
        try:
            stat = path.stat()
        except OSError:  # a dangling link, or a file removed meanwhile: not one the loader reads
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    return digest.hexdigest()


def open_store(data_dir: Path, cache_dir: Path, compile: Compiler) -> ox.Store:
    """A read-only store of the data's graph and the ontology, built (from what ``compile``
    gives) only if a file of the data changed since the store was last built."""
    key = fingerprint(data_dir)
    # One folder per data folder, so two datasets sharing a cache never prune each other's store.
    stores = cache_dir / "stores" / place_key(data_dir)
    target = stores / key[:32]
    if not (target / _READY).is_file():
        import shutil  # only to build a store: a query on a built one does without them
        import tempfile

        content = compile()
        try:
            stores.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(dir=stores, prefix=".build-"))
        except OSError:  # a cache that cannot be written (read-only, a file): a store in memory
            return _memory_store(content)
        try:
            _write_store(content, tmp / "db")
            (tmp / _READY).write_text(key, encoding="utf-8")
            try:
                os.rename(tmp, target)
            except OSError:  # another process built the same store first: use theirs
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:  # the cache's disk is full or failing: a store in memory this time
            shutil.rmtree(tmp, ignore_errors=True)
            return _memory_store(content)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(stores, keep=target)
    return ox.Store.read_only(str(target / "db"))


def _memory_store(ntriples: bytes) -> ox.Store:
    """The store :func:`open_store` would write, in memory (built again on every run)."""
    return _fill(ox.Store(), ntriples)


def _fill(store: ox.Store, ntriples: bytes) -> ox.Store:
    # Parsed and loaded in Oxigraph, with no Python object per triple.
    store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology.triples())
    return store


def _write_store(ntriples: bytes, folder: Path) -> None:
    """A new on-disk store of the N-Triples and the ontology in ``folder`` (which must not exist)."""
    store = _fill(ox.Store(str(folder)), ntriples)
    store.flush()
    store.optimize()


def load_store(ntriples: bytes, path: Path) -> int:
    """Write a graph (N-Triples) and the ontology into an Oxigraph store at ``path``, replacing it.

    The new store is written beside ``path`` and swapped in only when complete
    (:func:`edugraph.outputs.replacing_folder`), so a reader (or a crash) never sees a half-loaded
    store; a folder that is not a store this function wrote is refused, never removed. Returns the
    number of instance triples.
    """
    if path.exists() and not (path / _MARK).is_file():
        # Refused, never removed: only a folder 'edugraph load' wrote is replaced.
        raise UsageError(f"'{shown(path)}' exists and is not an edugraph store",
                         hint="give a new folder, or one 'edugraph load' wrote")
    with replacing_folder(path, "the store's files") as tmp:
        _write_store(ntriples, tmp / "db")
        (tmp / _MARK).write_text("edugraph store\n", encoding="utf-8")
    return ntriples.count(b"\n")


def open_path_store(path: Path) -> ox.Store:
    """A store ``edugraph load`` wrote, opened read-only."""
    if not (path / _MARK).is_file():
        raise UsageError(f"'{path}' is not an edugraph store",
                         hint=f"write one with 'edugraph load --store {path}'")
    return ox.Store.read_only(str(path / "db"))


def _prune(stores: Path, keep: Path) -> None:
    """Drop this data folder's stores of older data; they are never read again."""
    import shutil

    for old in stores.iterdir():
        if old != keep and not old.name.startswith(".") and (old / _READY).is_file():
            shutil.rmtree(old, ignore_errors=True)


def run_oxigraph(store: ox.Store, text: str, limits: Limits | None = None) -> QueryResult:
    """A query on an Oxigraph store, screened, the predefined prefixes it uses given to it; run in
    a thread that cannot open a connection (:func:`edugraph.netguard.offline`), and in a child
    process within ``limits`` when given (:mod:`edugraph.query.run`)."""
    form = screen(text)
    prefixes = needed_prefixes(text)

    def run(convert: Callable[[str, Any], T]) -> T:
        try:
            return offline(lambda: convert(form, store.query(text, prefixes=prefixes)))
        except SyntaxError as exc:
            raise invalid(text, str(exc)) from None
        except OSError as exc:
            if f"(os error {REFUSED_ERRNO})" in str(exc):  # the screen let a SERVICE through
                raise EngineError(f"the query tried to open a network connection, which edugraph does "
                                  f"not allow ({exc})") from None
            raise

    if limits is None:
        return run(_oxigraph_result)
    # The child sends Oxigraph's own serialisation of the answer, parsed again here.
    payload = isolated(lambda: run(_serialised), limits)
    if form == "ASK":
        return QueryResult(form, boolean=payload == b"true")
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(form, triples=list(ox.parse(payload, format=ox.RdfFormat.N_TRIPLES)))
    return _oxigraph_result(form, ox.parse_query_results(payload, format=ox.QueryResultsFormat.TSV))


def _oxigraph_result(form: str, answer: Any) -> QueryResult:
    if form == "ASK":
        return QueryResult(form, boolean=bool(answer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(form, triples=list(answer))
    variables = [v.value for v in answer.variables]
    return QueryResult(form, variables, [tuple(solution) for solution in answer])


def _serialised(form: str, answer: Any) -> bytes:
    """An answer as bytes that keep every term: SPARQL TSV results, N-Triples, true or false."""
    if form == "ASK":
        return b"true" if bool(answer) else b"false"
    if form in ("CONSTRUCT", "DESCRIBE"):
        return answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    return answer.serialize(format=ox.QueryResultsFormat.TSV) or b""


def run_rdflib(ntriples: bytes, text: str, limits: Limits | None = None) -> QueryResult:
    """The same query on rdflib's engine over a graph (N-Triples) and the ontology (slow at
    scale; kept to prove both engines agree); in a child process within ``limits`` when given:
    its regular expressions run in C, which only ending the process stops."""
    if limits is None:
        return _rdflib_result(ntriples, text)
    import pickle

    return pickle.loads(isolated(lambda: pickle.dumps(_rdflib_result(ntriples, text)), limits))


def _rdflib_result(ntriples: bytes, text: str) -> QueryResult:
    from rdflib.plugins.sparql import prepareQuery

    form = screen(text)
    prefixes = needed_prefixes(text)
    graph = to_rdflib([*ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), *ontology.triples()])

    try:
        with deep_recursion():
            prepared = prepareQuery(text, initNs=prefixes)
    except Exception as exc:  # pyparsing's ParseException, and rdflib's errors in translation
        raise invalid(text, str(exc)) from None
    # the query exactly as rdflib will run it, screened again: SERVICE and FROM in its algebra
    for keyword in keywords(prepared.algebra):
        raise refusal(keyword)

    def run() -> QueryResult:
        with deep_recursion():
            answer = graph.query(prepared)
            if form == "ASK":
                return QueryResult(form, boolean=bool(answer.askAnswer))
            if form in ("CONSTRUCT", "DESCRIBE"):
                return QueryResult(form, triples=[ox.Triple(*(from_rdflib(t) for t in triple))
                                                  for triple in answer])
            variables = [str(v) for v in answer.vars]
            return QueryResult(form, variables, [tuple(from_rdflib(row[v]) if row[v] is not None else None
                                                      for v in answer.vars) for row in answer])

    try:
        return offline(run)
    except MemoryError:  # past --max-memory: the worker says so (edugraph.query.run)
        raise
    except Exception as exc:  # an evaluation rdflib's engine does not support
        raise EngineError(f"rdflib's engine failed on this query: {type(exc).__name__}: {exc}",
                          hint="run it with --engine oxigraph") from None


UNNAMED: Final = "{} (unnamed)"
"""How a label marks a record known only by the words a source uses for it."""


def label_of(name: str | None, mentions: Iterable[str] = (), pref: str | None = None) -> str | None:
    """How tables, cards and pictures name a node: its ``schema:name``; else, for a record known
    only by the words a source uses for it (a person with no name and one ``skos:hiddenLabel``,
    "Vice Shanghai Mayor"), those words marked unnamed (``Vice Shanghai Mayor (unnamed)``); else its
    ``skos:prefLabel`` (a concept); else None."""
    if name:
        return name
    words = sorted(mentions)
    if words:
        return UNNAMED.format(words[0])
    return pref or None


def labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """Display labels of the given IRIs, where known (see :func:`label_of`)."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    names = _first_values(store, wanted, f"{{ ?s <{SCHEMA.name}> ?v }}")
    prefs = _first_values(store, [iri for iri in wanted if iri not in names], f"{{ ?s <{SKOS.prefLabel}> ?v }}")
    # The mentions only of what has neither (few IRIs): a named record's are never its label.
    unnamed = [iri for iri in wanted if iri not in names and iri not in prefs]
    mentions: dict[str, list[str]] = {}
    if unnamed:
        text = f"SELECT ?s ?v WHERE {{ VALUES ?s {{ {_values(unnamed)} }} ?s <{SKOS.hiddenLabel}> ?v }}"
        for row in store.query(text):
            mentions.setdefault(row["s"].value, []).append(row["v"].value)
    out: dict[str, str] = {}
    for iri in wanted:
        label = label_of(names.get(iri), mentions.get(iri, ()), prefs.get(iri))
        if label is not None:
            out[iri] = label
    return out


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _first_values(store: ox.Store, iris: list[str], pattern: str) -> dict[str, str]:
    """IRI -> the least value ``?v`` of ``pattern`` for ``?s``, of those that have one."""
    found: dict[str, str] = {}
    if not iris:
        return found
    for row in store.query(f"SELECT ?s ?v WHERE {{ VALUES ?s {{ {_values(iris)} }} {pattern} }}"):
        iri, value = row["s"].value, row["v"].value
        found[iri] = min(found.get(iri, value), value)
    return found
