"""Build units: each YAML file's share of the graph, mapped, serialised and validated on its own
and cached, so that a rebuild after an edit redoes only what the edit touched.

A file's triples depend on its bytes and on the kinds of the records it refers to (a reference
becomes ``.../id/<kind>/<id>``), so its :class:`Unit` (sorted N-Triples, Turtle and JSON-LD of
each subject, and what validation and ``void.ttl`` need) is cached under a hash of both. Files
own disjoint sets of subjects, so each export is the units' subject blocks merged in key order:
the same bytes as serialising every triple at once.

SHACL results of a unit are cached under a hash of its triples and its *context*, the triples
from elsewhere that the shapes can look at from its nodes: the ``rdf:type`` of each node it
points to, and the triples of other files pointing into it with a predicate that a shape follows
backwards (see :func:`edugraph.validate.one_hop_shapes`). The cache folder is safe to delete.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import os
import pickle
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import EdugraphError, InputErrors
from edugraph.build.load import Progress, _display, _file_records, find_files
from edugraph.build.mapping import map_records
from edugraph.model.kinds import Item
from edugraph.vocab.namespaces import RDF_TYPE
from edugraph.vocab.ontology import vocabularies
from edugraph.build.resolve import Outline, check, outline
from edugraph.build.writers import JSONLD_SEPARATOR, Chunk, jsonld_parts, subject_blocks, turtle_parts
from edugraph.build.shacl import Finding, Report, one_hop_shapes, trace, validate_part, validate_triples
from edugraph.build.yamlread import read_file


@dataclass(slots=True)
class Unit:
    """One file's share of the graph, ready to merge into the exports."""

    key_text: str = ""
    """Sort key of each subject (``<iri>``: the order of N-Triples lines), one per line."""
    text: dict[str, bytes] = field(default_factory=dict)
    """Format (nt, ttl, jsonld) -> the subjects' blocks, UTF-8, one after the other (one string
    unpickles many times faster than thousands, and is written out without a copy)."""
    ends: dict[str, array] = field(default_factory=dict)
    """Format -> where each subject's block ends in ``text``."""
    type_text: str = ""
    """The ``rdf:type`` triples (N-Triples, sorted)."""
    type_digest: str = ""
    """A hash of ``type_text``: what other units' SHACL results may depend on."""
    external_text: str = ""
    """The nodes this unit's triples point to that are not subjects here (classes aside), one
    per line."""
    inward: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Predicate -> (object, N-Triples line) of the triples pointing to an external node, for
    the predicates the shapes follow backwards."""
    properties: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)
    triples: int = 0

    @property
    def keys(self) -> list[str]:
        return self.key_text.split("\n") if self.key_text else []

    @property
    def externals(self) -> list[str]:
        return self.external_text.split("\n") if self.external_text else []

    def types(self) -> dict[str, list[str]]:
        """Subject IRI -> its ``rdf:type`` lines."""
        out: dict[str, list[str]] = {}
        for line in self.type_text.splitlines(keepends=True):
            out.setdefault(line[1:line.index(">")], []).append(line)
        return out

    @property
    def subjects(self) -> Iterator[str]:
        return (k[1:-1] for k in self.keys)

    def block(self, fmt: str, j: int, k: int) -> memoryview:
        """Blocks ``j`` to ``k`` (exclusive) of one format (JSON-LD nodes with their commas)."""
        ends = self.ends[fmt]
        start = ends[j - 1] + len(_SEPARATORS[fmt]) if j else 0
        return memoryview(self.text[fmt])[start:ends[k - 1]]


_SEPARATORS = {"nt": b"", "ttl": b"", "jsonld": JSONLD_SEPARATOR.encode()}


def make_unit(records: list[Item], kind_of: Callable[[str], str]) -> Unit:
    """Map and serialise one file's records."""
    return unit_of(map_records(records, kind_of).triples)


def unit_of(triples: Iterable[ox.Triple]) -> Unit:
    """A unit of some triples (without blank nodes)."""
    unit = Unit()
    inverse = one_hop_shapes() or frozenset()
    unique = {f"{t} .\n": t for t in triples}
    subjects = {t.subject.value for t in unique.values()}
    types: list[str] = []
    externals: set[str] = set()
    for line, t in unique.items():
        predicate, obj = t.predicate.value, t.object
        unit.properties[predicate] += 1
        if predicate == RDF_TYPE:
            types.append(line)
            unit.classes[obj.value] += 1
        elif isinstance(obj, ox.NamedNode) and obj.value not in subjects:
            externals.add(obj.value)
            if predicate in inverse:
                unit.inward.setdefault(predicate, []).append((obj.value, line))
    unit.type_text = "".join(sorted(types))
    unit.type_digest = hashlib.sha256(unit.type_text.encode()).hexdigest()
    unit.external_text = "\n".join(sorted(externals))
    unit.triples = len(unique)
    keys: list[str] = []
    texts: dict[str, list[str]] = {"nt": [], "ttl": [], "jsonld": []}
    for key, *blocks in subject_blocks(unique.values()):
        keys.append(key)
        for fmt, block in zip(texts, blocks):
            texts[fmt].append(block)
    unit.key_text = "\n".join(keys)
    for fmt, blocks in texts.items():
        separator = _SEPARATORS[fmt]
        encoded = [b.encode() for b in blocks]
        unit.text[fmt] = separator.join(encoded)
        ends = itertools.accumulate(len(b) + len(separator) for b in encoded)
        unit.ends[fmt] = array("q", (end - len(separator) for end in ends))
    return unit


class _Pickles:
    """Objects kept under a key as pickles in a folder (missing or unreadable: None)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str):  # noqa: ANN201
        if self.folder is None:
            return None
        try:
            with (self.folder / f"{key}.pickle").open("rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None  # missing or from another version: make it again

    def put(self, key: str, value: object) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.folder / f"{key}.pickle")


def _salt() -> bytes:
    from edugraph import __version__

    vocab = repr(sorted((k, sorted(v)) for k, v in vocabularies().items()))
    return f"edugraph {__version__}\0{vocab}\0".encode() + _shapes_bytes()


@dataclass(slots=True)
class Compiled:
    """Every file's outline and unit, and the kind of every id."""

    names: list[str]
    paths: list[Path]
    keys: list[str]
    outlines: list[Outline]
    units: list[Unit]
    kinds: dict[str, str]
    _records: Callable[[int], list[Item]]
    _runs: list[tuple[int, int, int]] | None = None
    used: dict[str, list[str]] = field(default_factory=dict)
    """Cache folder -> the keys this build read or wrote there (see :func:`prune`)."""

    def records_of(self, i: int) -> list[Item]:
        """The records of file ``i`` (parsed again unless still at hand)."""
        return self._records(i)

    @property
    def records(self) -> int:
        return len(self.kinds)

    @property
    def triples(self) -> int:
        return sum(u.triples for u in self.units)

    def runs(self) -> list[tuple[int, int, int]]:
        """(unit, first, end) of the runs of consecutive subjects of one unit, in key order."""
        if self._runs is None:
            order = sorted((key, i, j) for i, u in enumerate(self.units) for j, key in enumerate(u.keys))
            runs: list[tuple[int, int, int]] = []
            for _, i, j in order:
                if runs and runs[-1][0] == i and runs[-1][2] == j:
                    runs[-1] = (i, runs[-1][1], j + 1)
                else:
                    runs.append((i, j, j + 1))
            self._runs = runs
        return self._runs

    def blocks(self, fmt: str) -> Iterator[memoryview]:
        """Every subject's block of one format (``nt``, ``ttl``, ``jsonld``), in key order (a
        piece per run of subjects from the same unit)."""
        return (self.units[i].block(fmt, j, k) for i, j, k in self.runs())

    def pieces(self, fmt: str) -> Iterator[Chunk]:
        """One export (``nt``, ``ttl``, ``jsonld``) in pieces."""
        if fmt == "nt":
            return self.blocks("nt")
        if fmt == "ttl":
            return turtle_parts(self.blocks("ttl"))
        return jsonld_parts(self.blocks("jsonld"))

    def serialise(self, fmt: str) -> bytes:
        return b"".join(self.pieces(fmt))


PARALLEL_BYTES = 2_000_000
"""Data at least this big (about 7,000 records) is loaded, mapped and validated by a pool of
worker processes, one per core; below it, starting them costs more than it saves."""


MIN_JOBS = 4
"""Fewer files to do than this are done in the main process (a rebuild after an edit)."""


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


def _in_order(pool: Executor, fn: Callable, *iterables: Iterable) -> Iterator:
    """``pool.map`` that takes its arguments as it goes (a few jobs ahead of the results):
    ``Executor.map`` makes every argument at once, here hundreds of MB of text."""
    from collections import deque

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
        records = _file_records(read_file(path, name), name, vocabularies(), found)
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
    _Pickles(cache_dir / "unit-records").put(key, records)
    found = outline(records)
    _Pickles(cache_dir / "outlines").put(key, found)
    del records
    gc.collect()  # records link to their parents: cycles, which the disabled collector keeps
    return found


def _map_job(path: Path, name: str, key: str, unit_key: str, cache_dir: Path,
             kinds: dict[str, str]) -> None:
    """In a worker: the unit of a file, into the cache."""
    records = _Pickles(cache_dir / "unit-records").get(key)
    if records is None:
        records, _ = _parse(path, name)
    _Pickles(cache_dir / "units").put(unit_key, make_unit(records, kinds.__getitem__))
    del records
    gc.collect()


def compile_units(data_dir: Path, cache_dir: Path | None = None,
                  progress: Progress | None = None, pool: Executor | None = None) -> Compiled:
    """Load, resolve, map and serialise every file under ``data_dir``, reusing what the cache
    holds for files that did not change; raises InputErrors on bad input.

    With a ``pool`` (see :func:`worker_pool`), files are parsed and mapped in its workers.
    """
    paths = find_files(data_dir)
    salt = _salt()
    outlines_cache = _Pickles(cache_dir / "outlines" if cache_dir else None)
    units_cache = _Pickles(cache_dir / "units" if cache_dir else None)
    names = [_display(p, Path.cwd()) for p in paths]
    held: dict[int, list[Item]] = {}
    errors: list[EdugraphError] = []

    def parse(i: int) -> list[Item]:
        records, found = _parse(paths[i], names[i])
        errors.extend(found)
        return records

    def records_of(i: int) -> list[Item]:
        return held[i] if i in held else parse(i)

    keys: list[str] = []
    outlines: list[Outline | None] = []
    for i, path in enumerate(paths):
        try:
            data = path.read_bytes()
        except OSError:
            data = b""  # the reader reports it
        keys.append(hashlib.sha256(salt + names[i].encode() + b"\0" + data).hexdigest())
        outlines.append(outlines_cache.get(keys[i]))
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
    if errors:
        raise InputErrors(errors)
    checked = [o for o in outlines if o is not None]
    kinds = check(checked, records_of)
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
    used = {"outlines": keys, "unit-records": keys, "units": unit_keys}
    return Compiled(names, paths, unit_keys, checked, [u for u in units if u is not None],
                    kinds, records_of, used=used)


def validate_units(compiled: Compiled, engine: str = "turbo", cache_dir: Path | None = None,
                   progress: Progress | None = None, pool: Executor | None = None) -> Report:
    """SHACL-validate every unit, each result traced back to its YAML.

    With pyshacl-turbo and shapes that look one step from their focus node, each unit is
    validated apart with its context, and its results are cached; otherwise (``--engine
    pyshacl``, or other shapes) the whole graph is validated at once.
    """
    inverse = one_hop_shapes() if engine == "turbo" else None
    if inverse is None:
        return _validate_whole(compiled, engine)
    cache = _Pickles(cache_dir / "checks" if cache_dir else None)
    found = unit_findings(compiled.units, compiled.keys, inverse, cache, progress, pool,
                          compiled.used.setdefault("checks", []))
    traced: list[Finding] = []
    for i, findings in enumerate(found):
        if findings:
            origins = map_records(compiled.records_of(i), compiled.kinds.__getitem__).origins
            traced.extend(trace(findings, origins))
    return Report(trace(traced, {}))


def unit_findings(units: Sequence[Unit], keys: Sequence[str], inverse: frozenset[str],
                  cache: _Pickles | None = None, progress: Progress | None = None,
                  pool: Executor | None = None, used: list[str] | None = None
                  ) -> list[list[Finding]]:
    """The SHACL results of each unit's subjects, validated unit by unit with their context
    (``inverse``: the predicates the shapes follow backwards); ``keys`` identify the units'
    triples in the ``cache``."""
    owner: dict[str, int] = {}
    incoming: dict[str, list[str]] = {}
    for i, u in enumerate(units):
        owner.update(dict.fromkeys(u.subjects, i))
        for predicate in inverse:
            for obj, line in u.inward.get(predicate, ()):
                incoming.setdefault(obj, []).append(line)
    salt = hashlib.sha256(_salt()).hexdigest()
    types: dict[int, dict[str, list[str]]] = {}

    def types_of(node: str) -> list[str]:
        i = owner.get(node)
        if i is None:
            return []
        if i not in types:
            types[i] = units[i].types()
        return types[i].get(node, [])

    def context(externals: list[str], inward: list[str], sources: list[str]) -> str:
        lines = {*inward}
        for node in itertools.chain(externals, sources):
            lines.update(types_of(node))
        return "".join(sorted(lines))

    out: list[list[Finding] | None] = []
    todo: list[tuple[int, str, list[str], list[str], list[str]]] = []
    for i, u in enumerate(units):
        # The context is the types in other units and the lines pointing in: their digests and
        # the lines identify it, and it is only put together when its results are not cached.
        externals = u.externals
        inward = [line for subject in u.subjects for line in incoming.get(subject, ())]
        sources = [line[1:line.index(">")] for line in inward]
        neighbours = sorted({units[owner[n]].type_digest
                             for n in itertools.chain(externals, sources) if n in owner})
        key = hashlib.sha256("\0".join([salt, keys[i], *neighbours, *inward]).encode()).hexdigest()
        out.append(cache.get(key) if cache is not None else None)
        if used is not None:
            used.append(key)
        if out[i] is None:
            todo.append((i, key, externals, inward, sources))
    texts = (units[i].text["nt"].decode() + context(*parts) for i, _, *parts in todo)
    focus = (list(units[i].subjects) for i, *_ in todo)
    parallel = pool is not None and len(todo) >= MIN_JOBS
    jobs = _in_order(pool, validate_part, texts, focus) if parallel else map(validate_part, texts, focus)
    for done, ((i, key, *_), found) in enumerate(zip(todo, jobs), start=1):
        out[i] = found
        if cache is not None:
            cache.put(key, found)
        if progress is not None:
            progress("validate", done, len(todo))
    return [found or [] for found in out]


def _validate_whole(compiled: Compiled, engine: str) -> Report:
    origins: dict[str, Item] = {}
    for i in range(len(compiled.units)):
        origins.update(map_records(compiled.records_of(i), compiled.kinds.__getitem__).origins)
    triples = ox.parse(compiled.serialise("nt"), format=ox.RdfFormat.N_TRIPLES)
    return validate_triples(list(triples), origins, engine=engine)


def _shapes_bytes() -> bytes:
    from edugraph.vocab.ontology import SHAPES_FILE, ontology_path

    return ontology_path(SHAPES_FILE).read_bytes() + ontology_path().read_bytes()


def prune(cache_dir: Path, data_dir: Path, used: dict[str, list[str]]) -> None:
    """Record what a build of ``data_dir`` used, and delete every cached entry that no build of
    any data folder sharing ``cache_dir`` uses (old versions of edited files)."""
    import json

    manifests = cache_dir / "builds"
    manifests.mkdir(parents=True, exist_ok=True)
    place = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    tmp = manifests / f".{place}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(used, sort_keys=True), encoding="utf-8")
    os.replace(tmp, manifests / f"{place}.json")
    keep: dict[str, set[str]] = {}
    for manifest in manifests.glob("*.json"):
        try:
            for folder, keys in json.loads(manifest.read_text(encoding="utf-8")).items():
                keep.setdefault(folder, set()).update(keys)
        except (OSError, ValueError, AttributeError):
            return  # being replaced by another build: prune next time
    for folder, keys in keep.items():
        for entry in (cache_dir / folder).glob("*.pickle"):  # never a file still being written
            if entry.stem not in keys:
                entry.unlink(missing_ok=True)
