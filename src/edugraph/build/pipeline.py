"""The stages put together: what ``edugraph build``, ``validate``, ``export`` and every other
command that needs the graph call. Each goes through :func:`edugraph.build.compile.compile_units`
and its cache, so a command after a build reads only what changed since.
"""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from edugraph.build.compile import Compiled, compile_units, record_files, worker_pool
from edugraph.build.exports import LAYOUTS, keep_layout, plan, write_export, write_file
from edugraph.build.load import Progress
from edugraph.build.partition import validate_units, validate_whole
from edugraph.build.resolve import Dataset
from edugraph.build.shacl import Report
from edugraph.build.stamp import OUTPUT_MARK, previous, stamp, up_to_date, write_mark
from edugraph.build.void import About, Counts, describe
from edugraph.build.writers import serialise, serialise_quads
from edugraph.errors import Location, UsageError
from edugraph.files import place_key, prune
from edugraph.formats import BUILD_FORMATS, EXPORT_FORMATS, OUTPUT_STEM
from edugraph.model.kinds import SOURCE
from edugraph.outputs import NEW_FOLDER, STAGING, pause, replacing_folder, shown
from edugraph.vocab.namespaces import record_iri

VOID_FILE = "void.ttl"
_LEGACY = (".edugraph.lock",)
"""What builds before the folder swap left in the folder besides the exports."""


@dataclass(slots=True)
class BuildResult:
    records: Counter[str]
    """Records per kind."""
    triples: int
    report: Report
    written: list[Path] = field(default_factory=list)
    """The files written; none when the exports were already those of the data (``unchanged``)."""
    unchanged: bool = False


def compile_project(data_dir: Path, cache_dir: Path | None = None,
                    progress: Progress | None = None,
                    shown: Callable[[Path], str] | None = None) -> Compiled:
    """Every file under ``data_dir`` compiled through the cache; raises InputErrors on bad input.
    ``shown``: how messages name each file (see :func:`edugraph.build.compile.compile_units`)."""
    with _no_gc():
        return compile_units(data_dir, cache_dir, progress, shown=shown)


def load_dataset(data_dir: Path, cache_dir: Path | None = None) -> Dataset:
    """Every record under ``data_dir``, resolved; raises InputErrors on bad input."""
    return compile_project(data_dir, cache_dir).dataset()


def record_place(data_dir: Path, cache_dir: Path | None, record_id: str) -> str | None:
    """``file:line`` of the record ``record_id`` under ``data_dir`` (read through the build's
    cache), None when no file defines it."""
    for found in compile_project(data_dir, cache_dir).outlines:
        for defined, _, file, line, _ in found.defined:
            if defined == record_id:
                return Location(file, line).place
    return None


def graph_ntriples(data_dir: Path, cache_dir: Path | None = None) -> bytes:
    """The instance graph as sorted N-Triples: what the query side builds its stores from."""
    return compile_project(data_dir, cache_dir).serialise("nt")


def build(data_dir: Path, out_dir: Path, engine: str = "turbo", cache_dir: Path | None = None,
          progress: Progress | None = None, about: About = About()) -> BuildResult:
    """Compile, validate and, when the data conforms, write the three exports to ``out_dir``.

    Works file by file: with a ``cache_dir``, a rebuild maps, serialises and validates again only
    the files an edit touched. Nothing is written when the data does not conform. The exports are
    written into a new folder swapped in for ``out_dir`` whole (:mod:`edugraph.outputs`): a
    failed, full or interrupted build leaves the previous set as it was. ``out_dir`` must be
    missing, empty or a build's (it holds only the exports); any other folder is refused.
    When ``out_dir`` already holds the exports of the same data, as written, nothing is done
    (see :mod:`edugraph.build.stamp`).
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"'{out_dir}' is a file, not a folder for the exports",
                         hint="pass --out DIR with a folder (it is created if missing)")
    _check_own(out_dir)
    found = record_files(data_dir)
    built = stamp(found.keys, engine, about)
    if progress is not None:
        progress("stamp", 1, 1)
    done = up_to_date(out_dir, built)
    if done is not None:
        return BuildResult(done.records, done.triples, Report([]), unchanged=True)
    with _no_gc(), worker_pool(data_dir, cache_dir) as pool:
        compiled = compile_units(data_dir, cache_dir, progress, pool, found=found)
        report = validate_units(compiled, engine, cache_dir, progress, pool)
        kinds = Counter(kind for kind in compiled.kinds.values())
        result = BuildResult(kinds, compiled.triples, report)
        if cache_dir is not None:
            # The layout of the exports in out_dir now, and of those this build writes.
            layouts = [built, *(found[0] for found in [previous(out_dir)] if found is not None)]
            prune(cache_dir, place_key(data_dir), {**compiled.used, LAYOUTS: layouts})
        if not report.conforms:
            return result
        # Every file into a new folder, swapped in for out_dir whole: all new, or all as it was.
        names = [f"{OUTPUT_STEM}.{EXPORT_FORMATS[fmt][0]}" for fmt in BUILD_FORMATS]
        pause("compile")
        with replacing_folder(out_dir, "the exports") as tmp:
            _check_own(out_dir)  # again, under the lock
            planned = plan(cache_dir, out_dir, compiled)
            starts = {}
            for fmt, name in zip(BUILD_FORMATS, names):
                if progress is not None:
                    progress(f"write {fmt}", 0, 1)
                starts[fmt] = write_export(tmp / name, fmt, compiled, planned)
                compiled.release(fmt)
                if progress is not None:
                    progress(f"write {fmt}", 1, 1)
                pause("write")
            write_file(tmp / VOID_FILE, [describe(Counts.of_units(compiled), BUILD_FORMATS, OUTPUT_STEM, about)])
            write_mark(tmp, [*names, VOID_FILE], built, kinds, compiled.triples)
            if cache_dir is not None:
                keep_layout(cache_dir, built, compiled, planned, starts)
        result.written = [out_dir / name for name in [*names, VOID_FILE]]
    return result


def validate_files(data_dir: Path, engine: str = "turbo", cache_dir: Path | None = None,
                   progress: Progress | None = None, *, results_graph: bool = False) -> Report:
    """SHACL results of the records under ``data_dir``, validated file by file as :func:`build`
    does (with its cache); raises InputErrors on bad input.

    ``results_graph``: the engine's own results graph is wanted too (``Report.to_turtle``), which
    only validating the whole graph at once gives.
    """
    with _no_gc(), worker_pool(data_dir, cache_dir) as pool:
        compiled = compile_units(data_dir, cache_dir, progress, pool)
        if results_graph:
            return validate_whole(compiled, engine)
        return validate_units(compiled, engine, cache_dir, progress, pool)


def source_quads(compiled: Compiled) -> list[ox.Quad]:
    """Every statement in the named graph of each source that states it (graph IRI = the
    source record's IRI), and only there: a value or relationship that names its own sources
    sits in their graphs, not in those of every source its record cites."""
    graphs: dict[str, ox.NamedNode] = {}
    stated: dict[ox.Triple, set[str]] = {}
    for mapped in compiled.mapped(attributed=True):
        for triple, sources in zip(mapped.triples, mapped.attribution or ()):
            stated.setdefault(triple, set()).update(sources)
    quads = []
    for triple, sources in stated.items():
        for source in sources:
            graph = graphs.get(source) or graphs.setdefault(source, ox.NamedNode(record_iri(SOURCE, source)))
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    return sorted(quads, key=lambda q: (q.graph_name.value, str(q)))


def export(data_dir: Path, fmt: str, cache_dir: Path | None = None) -> bytes:
    """One serialisation of the data (no SHACL validation: use ``validate`` or ``build``), with
    the vocabulary terms it uses (concepts and schemes, typed and labelled), so that it stands
    alone against the shapes.

    TriG and N-Quads put each source's statements in a named graph of its own, the terms in the
    default graph.
    """
    compiled = compile_project(data_dir, cache_dir)
    if fmt in BUILD_FORMATS:
        return compiled.serialise(fmt, with_terms=True)
    if fmt in ("trig", "nq"):
        # The terms used sit in the default graph: no source states them, the ontology does.
        terms = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                 for t in sorted(compiled.term_triples(), key=str)]
        return serialise_quads(terms + source_quads(compiled), fmt)
    return serialise(compiled.sorted_triples(with_terms=True), fmt)


def _check_own(out_dir: Path) -> None:
    """Refuse an output folder that holds anything a build did not write: it is replaced whole."""
    if not out_dir.is_dir():
        return
    ours = {f"{OUTPUT_STEM}.{EXPORT_FORMATS[fmt][0]}" for fmt in BUILD_FORMATS} | {VOID_FILE, OUTPUT_MARK,
                                                                                  STAGING, *_LEGACY}
    try:
        names = sorted(os.listdir(out_dir))
    except OSError as exc:
        raise UsageError(f"'{out_dir}' cannot be read ({(exc.strerror or '').lower()})") from None
    # Earlier builds' temporary files ('.edugraph.ttl.abc123.tmp') are theirs too.
    foreign = [n for n in names if n not in ours and not n.startswith(NEW_FOLDER)
               and not (n.endswith(".tmp") and any(n.startswith(f".{o}.") for o in ours))]
    if foreign:
        raise UsageError(f"'{shown(out_dir)}' holds '{foreign[0]}', which 'edugraph build' did not write; "
                         "the exports replace the folder whole",
                         hint="pass --out DIR with a folder of its own (new, empty or a build's)")


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
            # What the build made counts as old: re-enabled as it was, the collector's next pass
            # over the youngest objects walked every one of them (0.1 s after a rebuild at 100k).
            # Old objects are still collected, when the collector next looks at all of them.
            gc.freeze()
            gc.enable()
            gc.unfreeze()
