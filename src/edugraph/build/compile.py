"""Compiling a data folder: every YAML file loaded, resolved, mapped and serialised as a unit,
each step cached so that a rebuild after an edit redoes only what the edit touched.

This is the one way from records to triples: ``build``, ``validate``, ``export``, ``load``,
``stats``, ``docs`` and the query store all start from a :class:`Compiled`. A file's outline
(what resolution needs) and its records are cached under a hash of its bytes, its unit under
that hash and the kinds of the ids it refers to. Above :data:`PARALLEL_BYTES` of YAML, worker
processes parse and map the files and hand their results over through the cache.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from edugraph import __version__
from edugraph.build.load import Progress, display_name, file_records
from edugraph.build.mapping import Mapped, map_records
from edugraph.build.resolve import Dataset, Outline, check, outline, structure_key
from edugraph.build.units import Unit, UnitCache, make_unit, terms_unit, used_concepts
from edugraph.build.writers import framed
from edugraph.build.yamlread import read_file
from edugraph.errors import EdugraphError, InputErrors, YamlSyntaxError
from edugraph.files import Cache, Chunk, find_files, read_bytes
from edugraph.model.item import Item
from edugraph.vocab.ontology import ontology_bytes, vocabularies

CACHE_FORMAT = 10
"""Raised whenever what the cache holds changes shape, so an old cache is never misread."""

PARALLEL_BYTES = 2_000_000
"""Data at least this big (about 7,000 records) is loaded, mapped and validated by a pool of
worker processes, one per core; below it, starting them costs more than it saves."""

MIN_JOBS = 4
"""Fewer files to do than this are done in the main process (a rebuild after an edit)."""

# Sections of the cache folder (see edugraph.files.Cache).
OUTLINES, RECORDS, UNITS, CHECKS, ACYCLIC = "outlines", "records", "units", "checks", "acyclic"


def cache_salt() -> bytes:
    """What every cache key includes: edugraph's version, the vocabularies and the shapes."""
    vocab = repr(sorted((k, sorted(v)) for k, v in vocabularies().items()))
    return f"edugraph {__version__} cache {CACHE_FORMAT}\0{vocab}\0".encode() + ontology_bytes()


@dataclass(slots=True)
class Compiled:
    """Every file's outline and unit, and the kind of every id."""

    names: list[str]
    paths: list[Path]
    keys: list[str]
    """Each unit's cache key (a hash of its file's bytes and of the kinds it refers to)."""
    outlines: list[Outline]
    units: list[Unit]
    kinds: dict[str, str]
    _records: Callable[[int], list[Item]]
    terms: Unit | None = None
    """The vocabulary terms the units use as values (concepts and their schemes): a unit of its
    own, merged into the exports (``with_terms``) so that they stand alone against the shapes."""
    terms_key: str = ""
    """The cache key of :attr:`terms`."""
    _runs: dict[bool, list[tuple[int, int, int]]] = field(default_factory=dict)
    used: dict[str, list[str]] = field(default_factory=dict)
    """Cache section -> the keys this build read or wrote there (see :func:`edugraph.files.prune`)."""

    def records_of(self, i: int) -> list[Item]:
        """The records of file ``i`` (from the cache, or parsed again, unless still at hand)."""
        return self._records(i)

    @property
    def records(self) -> int:
        return len(self.kinds)

    @property
    def triples(self) -> int:
        return sum(u.triples for u in self.units)

    def parts(self, with_terms: bool) -> list[Unit]:
        """The files' units, and with ``with_terms`` the unit of terms after them."""
        return [*self.units, self.terms] if with_terms and self.terms is not None else self.units

    def part_keys(self, with_terms: bool) -> list[str]:
        """The cache key of each of :meth:`parts`."""
        return [*self.keys, self.terms_key] if with_terms and self.terms is not None else self.keys

    def runs(self, with_terms: bool = False) -> list[tuple[int, int, int]]:
        """(unit, first, end) of the runs of consecutive subjects of one unit, in key order (with
        ``with_terms``, the unit of terms is the one after the last file's)."""
        if with_terms not in self._runs:
            parts = self.parts(with_terms)
            order = sorted((key, i, j) for i, u in enumerate(parts) for j, key in enumerate(u.keys))
            runs: list[tuple[int, int, int]] = []
            for _, i, j in order:
                if runs and runs[-1][0] == i and runs[-1][2] == j:
                    runs[-1] = (i, runs[-1][1], j + 1)
                else:
                    runs.append((i, j, j + 1))
            self._runs[with_terms] = runs
        return self._runs[with_terms]

    def blocks(self, fmt: str, with_terms: bool = False) -> Iterator[memoryview]:
        """Every subject's block of one format (``nt``, ``ttl``, ``jsonld``), in key order (a
        piece per run of subjects from the same unit)."""
        parts = self.parts(with_terms)
        return (parts[i].block(fmt, j, k) for i, j, k in self.runs(with_terms))

    def pieces(self, fmt: str, with_terms: bool = False) -> Iterator[Chunk]:
        """One export (``nt``, ``ttl``, ``jsonld``) in pieces; ``with_terms``: with the
        vocabulary terms the data uses (what the exports carry; the query side and validation
        have the whole ontology instead)."""
        return framed(fmt, self.blocks(fmt, with_terms))

    def release(self, fmt: str) -> None:
        """Forget the texts of one format the cache holds (read again when next needed)."""
        for unit in self.parts(True):
            unit.release(fmt)

    def serialise(self, fmt: str, with_terms: bool = False) -> bytes:
        """One export (``nt``, ``ttl``, ``jsonld``) whole."""
        return b"".join(self.pieces(fmt, with_terms))

    def sorted_triples(self, with_terms: bool = False) -> list[ox.Triple]:
        """Every instance triple (and the terms used, ``with_terms``), in N-Triples line order."""
        return list(ox.parse(self.serialise("nt", with_terms), format=ox.RdfFormat.N_TRIPLES))

    def term_triples(self) -> list[ox.Triple]:
        """The triples of the unit of terms."""
        text = self.terms.data("nt") if self.terms is not None else b""
        return list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))

    def mapped(self, attributed: bool = False) -> Iterator[Mapped]:
        """Each file's triples and the record or relationship behind each subject, file by file
        (with ``attributed``, the sources stating each triple)."""
        for i in range(len(self.units)):
            yield map_records(self.records_of(i), self.kinds.__getitem__, attributed)

    def origins_of(self, i: int) -> dict[str, Item]:
        """Subject IRI -> the record or relationship of file ``i`` it came from."""
        return map_records(self.records_of(i), self.kinds.__getitem__).origins

    def origins(self) -> dict[str, Item]:
        """Subject IRI -> the record or relationship it came from, for the whole dataset."""
        found: dict[str, Item] = {}
        for i in range(len(self.units)):
            found.update(self.origins_of(i))
        return found

    def dataset(self) -> Dataset:
        """Every record, in the dataset's stable order (ids and references already checked)."""
        return Dataset.of([r for i in range(len(self.units)) for r in self.records_of(i)])


@contextmanager
def worker_pool(data_dir: Path, cache_dir: Path | None) -> Iterator[Executor | None]:
    """Worker processes for a build of ``data_dir``, or None when one process will do (the
    workers hand their results over through ``cache_dir``, so there is none without it)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cache_dir is None or cpus < 2 or sum(p.stat().st_size for p in find_files(data_dir)) < PARALLEL_BYTES:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork, not spawn or forkserver: those import the caller's __main__ again in each worker,
    # which re-runs a script without a main guard. A build runs no threads that fork could break.
    with ProcessPoolExecutor(min(cpus, 8), mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def in_order(pool: Executor, fn: Callable, *iterables: Iterable) -> Iterator:
    """``pool.map`` that takes its arguments as it goes (a few jobs ahead of the results):
    ``Executor.map`` makes every argument at once, here hundreds of MB of text."""
    pending: deque = deque()
    for args in zip(*iterables):
        pending.append(pool.submit(fn, *args))
        if len(pending) > 4:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _parse(path: Path, name: str) -> tuple[list[Item], list[EdugraphError]]:
    found: list[EdugraphError] = []
    try:
        records = file_records(read_file(path, name), name, vocabularies(), found)
    except EdugraphError as exc:
        found.append(exc)
        records = []
    return records, found


def _load_job(path: Path, name: str, key: str, cache_dir: Path) -> Outline | None:
    """In a worker: parse a file, keep its records for :func:`_map_job`; its outline, or None
    when the file has errors (the main process parses it again to report them)."""
    records, errors = _parse(path, name)
    if errors:
        return None
    Cache(cache_dir / RECORDS).put(key, records)
    found = outline(records)
    Cache(cache_dir / OUTLINES).put(key, found)
    del records
    _collected()
    return found


def _map_job(path: Path, name: str, key: str, unit_key: str, cache_dir: Path,
             kinds: dict[str, str]) -> None:
    """In a worker: the unit of a file, into the cache."""
    records = Cache(cache_dir / RECORDS).get(key)
    if records is None:
        records, _ = _parse(path, name)
    UnitCache(cache_dir / UNITS).put(unit_key, make_unit(records, kinds.__getitem__))
    del records
    _collected()


def _collected() -> None:
    """In a worker after a job: free the cycles it left (records link to their parents, and the
    collector is off), then set aside what survives, so that the next job's collection looks only
    at what that job made, not again at every object imported and inherited (3-8 ms a job)."""
    gc.collect()
    gc.freeze()


@dataclass(frozen=True, slots=True)
class RecordFiles:
    """The record files of a data folder, each with the name messages give it and its cache key
    (a hash of the cache's salt, that name and the file's bytes)."""

    paths: list[Path]
    names: list[str]
    keys: list[str]


def record_files(data_dir: Path, shown: Callable[[Path], str] | None = None) -> RecordFiles:
    """Every record file under ``data_dir``, read once to key it (see :func:`compile_units` for
    ``shown``); a file that cannot be read is keyed as empty, and the reader reports it."""
    paths = find_files(data_dir)
    salt = cache_salt()
    names = [shown(p) if shown is not None else display_name(p, Path.cwd()) for p in paths]
    keys = []
    for path, name in zip(paths, names):
        try:
            data = read_bytes(path)
        except OSError:
            data = b""
        keys.append(hashlib.sha256(salt + name.encode() + b"\0" + data).hexdigest())
    return RecordFiles(paths, names, keys)


def compile_units(data_dir: Path, cache_dir: Path | None = None,
                  progress: Progress | None = None, pool: Executor | None = None,
                  shown: Callable[[Path], str] | None = None, found: RecordFiles | None = None) -> Compiled:
    """Load, resolve, map and serialise every file under ``data_dir``, reusing what the cache
    holds for files that did not change; raises InputErrors on bad input.

    With a ``pool`` (see :func:`worker_pool`), files are parsed and mapped in its workers.
    ``shown`` names each file in messages and records (default: relative to the current folder);
    a folder standing in for another place, such as a git revision, names its files as there.
    ``found``: the folder's :func:`record_files`, when the caller has them already.
    """
    found = found or record_files(data_dir, shown)
    paths, names, keys = found.paths, found.names, found.keys
    section: Callable[[str], Cache] = lambda name: Cache(cache_dir / name if cache_dir else None)  # noqa: E731
    outlines_cache, records_cache = section(OUTLINES), section(RECORDS)
    units_cache = UnitCache(cache_dir / UNITS if cache_dir else None)
    held: dict[int, list[Item]] = {}
    errors: list[EdugraphError] = []

    def parse(i: int) -> list[Item]:
        records, found = _parse(paths[i], names[i])
        errors.extend(found)
        return records

    def records_of(i: int) -> list[Item]:
        if i in held:
            return held[i]
        records = records_cache.get(keys[i])
        if records is None:
            records = parse(i)
            records_cache.put(keys[i], records)
        return records

    outlines: list[Outline | None] = [outlines_cache.get(key) for key in keys]
    todo = [i for i, o in enumerate(outlines) if o is None]
    if pool is not None and cache_dir is not None and len(todo) >= MIN_JOBS:
        jobs = pool.map(_load_job, [paths[i] for i in todo], [names[i] for i in todo],
                        [keys[i] for i in todo], [cache_dir] * len(todo))
        for done, (i, found) in enumerate(zip(todo, jobs), start=1):
            outlines[i] = found
            if progress is not None:
                progress("load", done, len(todo))
        todo = [i for i in todo if outlines[i] is None]  # files with errors: reported below
    for done, i in enumerate(todo, start=1):
        before = len(errors)
        held[i] = parse(i)
        outlines[i] = outline(held[i])
        if len(errors) == before:
            outlines_cache.put(keys[i], outlines[i])
        if progress is not None:
            progress("load", done, len(todo))
    checked = [o for o in outlines if o is not None]
    # The hierarchies of a structure found free of cycles once are not walked again: an edit
    # that changes no id, kind or parent (most do not) keeps it (0.15 s a rebuild at 100k).
    acyclic_cache, structure = section(ACYCLIC), structure_key(checked)
    acyclic = acyclic_cache.get(structure) is True
    if errors:
        # Resolve what did load, so one run reports every problem of every stage; an id in a
        # file that could not be read at all may be the one a reference names, so those stay
        # unreported until the file reads.
        whole = not any(isinstance(e, YamlSyntaxError) for e in errors)
        try:
            check(checked, records_of, unknown_ids=whole, acyclic=acyclic)
        except InputErrors as more:
            errors.extend(more.errors)
        raise InputErrors(errors)
    kinds = check(checked, records_of, acyclic=acyclic)
    if not acyclic:
        acyclic_cache.put(structure, True)
    if progress is not None:
        progress("resolve", 1, 1)
    unit_keys = [hashlib.sha256(f"{keys[i]}\0{chr(0).join(map(kinds.__getitem__, o.targets))}".encode())
                 .hexdigest() for i, o in enumerate(checked)]
    units: list[Unit | None] = [units_cache.get(k) for k in unit_keys]
    todo = [i for i, u in enumerate(units) if u is None]
    if pool is not None and cache_dir is not None and len(todo) >= MIN_JOBS:
        needs = [{t: kinds[t] for t in checked[i].targets} for i in todo]
        jobs = pool.map(_map_job, [paths[i] for i in todo], [names[i] for i in todo],
                        [keys[i] for i in todo], [unit_keys[i] for i in todo],
                        [cache_dir] * len(todo), needs)
        for done, (i, _) in enumerate(zip(todo, jobs), start=1):
            units[i] = units_cache.get(unit_keys[i])
            if progress is not None:
                progress("map", done, len(todo))
        todo = [i for i in todo if units[i] is None]
    for done, i in enumerate(todo, start=1):
        units[i] = make_unit(records_of(i), kinds.__getitem__)
        units_cache.put(unit_keys[i], units[i])
        held.pop(i, None)  # records are only needed again to trace findings
        if progress is not None:
            progress("map", done, len(todo))
    done_units = [u for u in units if u is not None]
    # The unit of terms is cached under the concepts used, so an edit that uses no new concept
    # finds it in the cache (it is a few hundred triples: made again, it costs milliseconds).
    used_terms = used_concepts(done_units)
    terms_key = hashlib.sha256(cache_salt() + b"terms\0" + "\n".join(used_terms).encode()).hexdigest()
    terms = units_cache.get(terms_key)
    if terms is None:
        terms = terms_unit(used_terms)
        units_cache.put(terms_key, terms)
    used = {OUTLINES: keys, RECORDS: keys, UNITS: [*unit_keys, terms_key], ACYCLIC: [structure]}
    return Compiled(names, paths, unit_keys, checked, done_units, kinds, records_of, terms=terms,
                    terms_key=terms_key, used=used)
