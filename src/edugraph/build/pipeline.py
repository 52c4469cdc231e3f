"""The stages put together: what ``edugraph build``, ``validate`` and ``export`` call."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.build.load import Progress, RecordCache, find_files, load
from edugraph.build.mapping import Mapped, map_dataset
from edugraph.vocab.ontology import vocabularies
from edugraph.build.resolve import Dataset, resolve
from edugraph.build.writers import FORMATS, locked, serialise, serialise_quads, sort_triples, write_atomic
from edugraph.build.shacl import Report, validate_triples

BUILD_FORMATS = ("ttl", "jsonld", "nt")
OUTPUT_STEM = "edugraph"
VOID_FILE = "void.ttl"


@dataclass(slots=True)
class Compiled:
    """A dataset and its triples, sorted as every writer needs them."""

    dataset: Dataset
    mapped: Mapped
    triples: list[ox.Triple]


@dataclass(slots=True)
class BuildResult:
    records: Counter[str]
    """Records per kind."""
    triples: int
    report: Report
    written: list[Path] = field(default_factory=list)


def record_cache(cache_dir: Path | None) -> RecordCache | None:
    """The per-file record cache under ``cache_dir`` (None: no caching)."""
    if cache_dir is None:
        return None
    from edugraph import __version__

    vocab = repr(sorted((k, sorted(v)) for k, v in vocabularies().items()))
    return RecordCache(cache_dir / "records", f"{__version__}\0{vocab}\0")


def load_dataset(data_dir: Path, cache_dir: Path | None = None,
                 progress: Progress | None = None) -> Dataset:
    """Load and resolve every record under ``data_dir``; raises InputErrors on bad input."""
    records = load(find_files(data_dir), vocabularies(), display_root=Path.cwd(),
                   cache=record_cache(cache_dir), progress=progress)
    if progress is not None:
        progress("resolve", 0, 1)
    return resolve(records)


def compile_data(data_dir: Path, cache_dir: Path | None = None,
                 progress: Progress | None = None) -> Compiled:
    """Load, resolve and map every record under ``data_dir``; raises InputErrors on bad input."""
    dataset = load_dataset(data_dir, cache_dir, progress)
    if progress is not None:
        progress("map", 0, 1)
    mapped = map_dataset(dataset)
    if progress is not None:
        progress("sort", 0, 1)
    return Compiled(dataset, mapped, sort_triples(mapped.triples))


def validate(compiled: Compiled, engine: str = "turbo") -> Report:
    """SHACL-validate compiled data, tracing every result back to its YAML."""
    return validate_triples(compiled.triples, compiled.mapped.origins, engine=engine)


def source_quads(compiled: Compiled) -> list[ox.Quad]:
    """Every statement in the named graph of each source that states it (graph IRI = the
    source record's IRI); a statement two sources state is in both graphs."""
    from edugraph.vocab.namespaces import EG, PROV, record_iri

    origins = compiled.mapped.origins
    links = {PROV.qualifiedAssociation, EG.statedCount}
    graphs: dict[str, ox.NamedNode] = {}
    quads = []
    for t in compiled.triples:
        # The link from a record to its relationship node is stated by the relationship's source.
        owner = origins[t.object.value] if t.predicate.value in links else origins[t.subject.value]
        for source in owner.cited_sources:
            graph = graphs.get(source) or graphs.setdefault(source, ox.NamedNode(record_iri("source", source)))
            quads.append(ox.Quad(t.subject, t.predicate, t.object, graph))
    return sorted(quads, key=lambda q: (q.graph_name.value, str(q)))


def build(data_dir: Path, out_dir: Path, engine: str = "turbo", cache_dir: Path | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Compile, validate and, when the data conforms, write the three exports to ``out_dir``.

    Works file by file (see :mod:`edugraph.units`): with a ``cache_dir``, a rebuild maps,
    serialises and validates again only the files an edit touched. Nothing is written when the
    data does not conform, so the previous build stays whole.
    """
    from edugraph.build.units import compile_units, prune, validate_units, worker_pool
    from edugraph.build.void import Counts, describe

    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"'{out_dir}' is a file, not a folder for the exports",
                         hint="pass --out DIR with a folder (it is created if missing)")
    with _no_gc(), worker_pool(data_dir, cache_dir) as pool:
        compiled = compile_units(data_dir, cache_dir, progress, pool)
        report = validate_units(compiled, engine, cache_dir, progress, pool)
        kinds = Counter(kind for kind in compiled.kinds.values())
        result = BuildResult(kinds, compiled.triples, report)
        if cache_dir is not None:
            prune(cache_dir, data_dir, compiled.used)
        if not report.conforms:
            return result
        # Each file is replaced atomically; the lock keeps two builds from interleaving their files.
        with locked(out_dir):
            for fmt in BUILD_FORMATS:
                if progress is not None:
                    progress(f"write {fmt}", 0, 1)
                path = out_dir / f"{OUTPUT_STEM}.{FORMATS[fmt][0]}"
                write_atomic(path, compiled.pieces(fmt))
                result.written.append(path)
            write_atomic(out_dir / VOID_FILE, describe(Counts.of_units(compiled)))
            result.written.append(out_dir / VOID_FILE)
    return result


def validate_files(data_dir: Path, engine: str = "turbo", cache_dir: Path | None = None,
                   progress: Progress | None = None) -> Report:
    """SHACL results of the records under ``data_dir``, validated file by file as :func:`build`
    does (with its cache); raises InputErrors on bad input."""
    from edugraph.build.units import compile_units, validate_units, worker_pool

    with _no_gc(), worker_pool(data_dir, cache_dir) as pool:
        compiled = compile_units(data_dir, cache_dir, progress, pool)
        return validate_units(compiled, engine, cache_dir, progress, pool)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Run without Python's cycle collector: a build makes millions of small objects and few
    cycles, and the collector, walking them over and over, took a third of the time at 100k."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def export(data_dir: Path, fmt: str) -> bytes:
    """One serialisation of the data (no SHACL validation: use ``validate`` or ``build``).

    TriG and N-Quads put each source's statements in a named graph of its own.
    """
    compiled = compile_data(data_dir)
    if fmt in ("trig", "nq"):
        return serialise_quads(source_quads(compiled), fmt)
    return serialise(compiled.triples, fmt)
