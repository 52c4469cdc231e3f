"""Where queries run: a cached on-disk Oxigraph store of the built graph, or rdflib in memory.

The store is keyed by a content hash of the data, the ontology and the edugraph version, so a
query from the CLI opens it read-only in milliseconds and the data is only compiled again when a
file changed. The cache folder (``.edugraph-cache/`` by default) is safe to delete.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from edugraph import __version__
from edugraph.errors import EngineError, UsageError
from edugraph.vocab.namespaces import SCHEMA, SKOS
from edugraph.vocab.ontology import ONTOLOGY_FILE, ontology_path
from edugraph.query.results import QueryResult
from edugraph.query.sparql import bind_values, screen

# A query from the CLI is mostly start-up time, so this module imports only what a query needs:
# the loader (and PyYAML), the pipeline, the writers and what builds a store are imported where
# they are used.

DEFAULT_CACHE = Path(".edugraph-cache")
ENGINES = ("oxigraph", "rdflib")
_READY = "READY"
_MARK = "EDUGRAPH-STORE"


def fingerprint(data_dir: Path) -> str:
    """A key that changes whenever a file the graph depends on changes.

    Built from each file's path, size and modification time (nanoseconds), not its content: a
    query must not read 50 MB of YAML to learn that nothing changed. Editing a file always moves
    its mtime; a file touched without a change only costs one rebuild.
    """
    if not data_dir.is_dir():
        from edugraph.build.load import find_files

        find_files(data_dir)  # raises the loader's error for a missing data folder
    digest = hashlib.sha256(f"edugraph {__version__}\n".encode())
    for path in [*_data_files(data_dir), ontology_path(ONTOLOGY_FILE)]:
        try:
            stat = path.stat()
        except OSError:  # a dangling link, or a file removed meanwhile: not one the loader reads
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    return digest.hexdigest()


def _data_files(data_dir: Path) -> list[Path]:
    """Every file under ``data_dir`` outside hidden folders, hidden files left out, sorted.

    A superset of the ``*.yaml`` files ``loader.find_files`` reads (it skips the same hidden
    parts and, like ``Path.rglob``, does not enter linked folders): a file outside the records
    can only cost an unneeded rebuild, never a stale store. Walking the folder here spares every
    query importing the loader and PyYAML (about 30 ms of a 150 ms run).
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(data_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, name) for name in files if not name.startswith("."))
    return sorted(found)


def ontology_triples() -> list[ox.Triple]:
    return list(ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE))


def open_store(data_dir: Path, cache_dir: Path = DEFAULT_CACHE,
               triples: list[ox.Triple] | None = None) -> ox.Store:
    """A read-only store of the data's graph and the ontology, built only if the data changed.

    ``triples``: the data's triples when the caller compiled them already. Otherwise the data
    is compiled through the build's cache (after ``edugraph build`` only changed files are read).
    """
    key = fingerprint(data_dir)
    # One folder per data folder, so two datasets sharing a cache never prune each other's store.
    place = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    stores = cache_dir / "stores" / place
    target = stores / key[:32]
    if not (target / _READY).is_file():
        import shutil
        import tempfile

        from edugraph.build.units import compile_units

        if triples is None:  # raises InputErrors on bad input
            content: list[ox.Triple] | bytes = compile_units(data_dir, cache_dir).serialise("nt")
        else:
            content = triples
        stores.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=stores, prefix=".build-"))
        try:
            _write_store(content, tmp / "db")
            (tmp / _READY).write_text(key, encoding="utf-8")
            try:
                os.rename(tmp, target)
            except OSError:  # another process built the same store first: use theirs
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(stores, keep=target)
    return ox.Store.read_only(str(target / "db"))


def _write_store(content: list[ox.Triple] | bytes, folder: Path) -> None:
    """A new on-disk store of the triples (or N-Triples) and the ontology in ``folder`` (which
    must not exist)."""
    store = ox.Store(str(folder))
    if isinstance(content, bytes):  # parsed and loaded in Oxigraph, no Python object per triple
        store.bulk_load(content, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        content = []
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in [*content, *ontology_triples()])
    store.flush()
    store.optimize()


def load_store(data_dir: Path, path: Path) -> int:
    """Write the data's graph (and the ontology) into an Oxigraph store at ``path``, replacing it.

    The new store is written beside ``path`` and swapped in only when complete, so a reader (or a
    crash) never sees a half-loaded store. Returns the number of instance triples.
    """
    from edugraph.build.pipeline import compile_data
    from edugraph.build.writers import replacing_folder

    triples = compile_data(data_dir).triples
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and not (path / _MARK).is_file():
        raise UsageError(f"'{path}' exists and is not an edugraph store",
                         hint="give a new folder, or one 'edugraph load' wrote")
    with replacing_folder(path) as tmp:
        _write_store(triples, tmp / "db")
        (tmp / _MARK).write_text("edugraph store\n", encoding="utf-8")
    return len(triples)


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


def memory_store(triples: Iterable[ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in [*triples, *ontology_triples()])
    return store


def run_oxigraph(store: ox.Store, text: str) -> QueryResult:
    form = screen(text)
    try:
        answer = store.query(text)
    except SyntaxError as exc:
        raise UsageError(f"the SPARQL query is not valid: {exc}") from None
    if form == "ASK":
        return QueryResult(form, boolean=bool(answer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(form, triples=list(answer))
    variables = [v.value for v in answer.variables]
    return QueryResult(form, variables, [tuple(solution) for solution in answer])


def run_rdflib(triples: Iterable[ox.Triple], text: str) -> QueryResult:
    """The same query on rdflib's engine (slow at scale; kept to prove both engines agree)."""
    from edugraph.build.mapping import to_rdflib

    graph = to_rdflib([*triples, *ontology_triples()])
    form = screen(text)
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(text)
    except Exception as exc:  # pyparsing's ParseException, and rdflib's errors in translation
        raise UsageError(f"the SPARQL query is not valid: {exc}") from None
    try:
        answer = graph.query(prepared)
    except Exception as exc:  # an evaluation rdflib's engine does not support
        raise EngineError(f"rdflib's engine failed on this query: {type(exc).__name__}: {exc}",
                          hint="run it with --engine oxigraph") from None
    if form == "ASK":
        return QueryResult(form, boolean=bool(answer.askAnswer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(form, triples=[ox.Triple(*(_ox(t) for t in triple)) for triple in answer])
    variables = [str(v) for v in answer.vars]
    return QueryResult(form, variables, [tuple(_ox(row[v]) if row[v] is not None else None
                                              for v in answer.vars) for row in answer])


def _ox(term):
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """Display labels (schema:name, else skos:prefLabel) of the given IRIs."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    values = " ".join(f"<{iri}>" for iri in wanted)
    text = (f"SELECT ?s ?name ?pref WHERE {{ VALUES ?s {{ {values} }} "
            f"OPTIONAL {{ ?s <{SCHEMA.name}> ?name }} OPTIONAL {{ ?s <{SKOS.prefLabel}> ?pref }} }}")
    found: dict[str, str] = {}
    for row in store.query(text):
        label = row["name"] or row["pref"]
        if label is not None:
            found.setdefault(row["s"].value, label.value)
    return found


def execute(text: str, bindings: Mapping[str, Sequence[ox.NamedNode | ox.Literal]] | None = None, *,
            data_dir: Path, engine: str = "oxigraph", cache_dir: Path = DEFAULT_CACHE,
            store_path: Path | None = None) -> tuple[QueryResult, ox.Store | None]:
    """Run a query (parameters bound as VALUES) on the data's graph, or on the store at
    ``store_path``.

    Returns the result and, for the Oxigraph engine, the store (for label look-ups).
    """
    bound = bind_values(text, bindings or {})
    if store_path is not None:
        store = open_path_store(store_path)
        return run_oxigraph(store, bound), store
    if engine == "rdflib":
        from edugraph.build.pipeline import compile_data

        return run_rdflib(compile_data(data_dir).triples, bound), None
    store = open_store(data_dir, cache_dir)
    return run_oxigraph(store, bound), store
