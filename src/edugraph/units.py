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

import hashlib
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import EdugraphError, InputErrors
from .loader import Progress, _display, _file_records, find_files
from .mapping import map_records
from .model import Item
from .namespaces import RDF_TYPE
from .ontology import vocabularies
from .resolve import Outline, check, outline
from .serialise import jsonld_parts, subject_blocks, turtle_parts
from .validate import Finding, Report, one_hop_shapes, trace, validate_part, validate_triples
from .yamlread import read_file


@dataclass(slots=True)
class Unit:
    """One file's share of the graph, ready to merge into the exports."""

    keys: list[str] = field(default_factory=list)
    """Sort key of each subject (``<iri>``: the order of N-Triples lines)."""
    nt: list[str] = field(default_factory=list)
    ttl: list[str] = field(default_factory=list)
    jsonld: list[str] = field(default_factory=list)
    types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Subject IRI -> its classes."""
    pointers: list[tuple[str, str, str]] = field(default_factory=list)
    """(object, predicate, N-Triples line) of each triple pointing to a node that is not a
    subject here (``rdf:type`` aside)."""
    properties: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)
    triples: int = 0

    @property
    def subjects(self) -> Iterator[str]:
        return (k[1:-1] for k in self.keys)


def make_unit(records: list[Item], kind_of: Callable[[str], str]) -> Unit:
    """Map and serialise one file's records."""
    return unit_of(map_records(records, kind_of).triples)


def unit_of(triples: Iterable[ox.Triple]) -> Unit:
    """A unit of some triples (without blank nodes)."""
    unit = Unit()
    unique = {f"{t} .\n": t for t in triples}
    subjects = {t.subject.value for t in unique.values()}
    types: dict[str, list[str]] = {}
    for line, t in unique.items():
        predicate, obj = t.predicate.value, t.object
        unit.properties[predicate] += 1
        if predicate == RDF_TYPE:
            types.setdefault(t.subject.value, []).append(obj.value)
            unit.classes[obj.value] += 1
        elif isinstance(obj, ox.NamedNode) and obj.value not in subjects:
            unit.pointers.append((obj.value, predicate, line))
    unit.types = {s: tuple(sorted(c)) for s, c in types.items()}
    unit.triples = len(unique)
    for key, nt, ttl, jsonld in subject_blocks(unique.values()):
        unit.keys.append(key)
        unit.nt.append(nt)
        unit.ttl.append(ttl)
        unit.jsonld.append(jsonld)
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
    from . import __version__

    vocab = repr(sorted((k, sorted(v)) for k, v in vocabularies().items()))
    return f"edugraph {__version__}\0{vocab}\0".encode()


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

    def records_of(self, i: int) -> list[Item]:
        """The records of file ``i`` (parsed again unless still at hand)."""
        return self._records(i)

    @property
    def records(self) -> int:
        return len(self.kinds)

    @property
    def triples(self) -> int:
        return sum(u.triples for u in self.units)

    def blocks(self, which: str) -> Iterator[str]:
        """Every subject's block of one format (``nt``, ``ttl``, ``jsonld``), in key order."""
        order = sorted((key, i, j) for i, u in enumerate(self.units) for j, key in enumerate(u.keys))
        columns = [getattr(u, which) for u in self.units]
        return (columns[i][j] for _, i, j in order)

    def pieces(self, fmt: str) -> Iterator[str]:
        """The text of one export (``nt``, ``ttl``, ``jsonld``) in pieces."""
        if fmt == "nt":
            return self.blocks("nt")
        if fmt == "ttl":
            return turtle_parts(self.blocks("ttl"))
        return jsonld_parts(self.blocks("jsonld"))

    def serialise(self, fmt: str) -> bytes:
        return "".join(self.pieces(fmt)).encode()


def compile_units(data_dir: Path, cache_dir: Path | None = None,
                  progress: Progress | None = None) -> Compiled:
    """Load, resolve, map and serialise every file under ``data_dir``, reusing what the cache
    holds for files that did not change; raises InputErrors on bad input."""
    paths = find_files(data_dir)
    vocab = vocabularies()
    salt = _salt()
    outlines_cache = _Pickles(cache_dir / "outlines" if cache_dir else None)
    units_cache = _Pickles(cache_dir / "units" if cache_dir else None)
    names = [_display(p, Path.cwd()) for p in paths]
    held: dict[int, list[Item]] = {}
    errors: list[EdugraphError] = []

    def parse(i: int) -> list[Item]:
        found: list[EdugraphError] = []
        try:
            records = _file_records(read_file(paths[i], names[i]), names[i], vocab, found)
        except EdugraphError as exc:
            found.append(exc)
            records = []
        errors.extend(found)
        return records

    def records_of(i: int) -> list[Item]:
        return held[i] if i in held else parse(i)

    keys: list[str] = []
    outlines: list[Outline] = []
    for i, path in enumerate(paths):
        try:
            data = path.read_bytes()
        except OSError:
            data = b""  # the reader reports it
        key = hashlib.sha256(salt + names[i].encode() + b"\0" + data).hexdigest()
        keys.append(key)
        found = outlines_cache.get(key)
        if found is None:
            before = len(errors)
            held[i] = parse(i)
            found = outline(held[i])
            if len(errors) == before:
                outlines_cache.put(key, found)
        outlines.append(found)
        if progress is not None:
            progress("load", i + 1, len(paths))
    if errors:
        raise InputErrors(errors)
    kinds = check(outlines, records_of)
    units: list[Unit] = []
    for i, o in enumerate(outlines):
        needs = sorted({(target, kinds[target]) for target, _ in o.needs})
        unit_key = hashlib.sha256(f"{keys[i]}\0{needs}".encode()).hexdigest()
        unit = units_cache.get(unit_key)
        if unit is None:
            unit = make_unit(records_of(i), kinds.__getitem__)
            units_cache.put(unit_key, unit)
        held.pop(i, None)  # records are only needed again to trace findings
        units.append(unit)
        keys[i] = unit_key
        if progress is not None:
            progress("map", i + 1, len(outlines))
    return Compiled(names, paths, keys, outlines, units, kinds, records_of)


def validate_units(compiled: Compiled, engine: str = "turbo", cache_dir: Path | None = None,
                   progress: Progress | None = None) -> Report:
    """SHACL-validate every unit, each result traced back to its YAML.

    With pyshacl-turbo and shapes that look one step from their focus node, each unit is
    validated apart with its context, and its results are cached; otherwise (``--engine
    pyshacl``, or other shapes) the whole graph is validated at once.
    """
    inverse = one_hop_shapes() if engine == "turbo" else None
    if inverse is None:
        return _validate_whole(compiled, engine)
    cache = _Pickles(cache_dir / "checks" if cache_dir else None)
    found = unit_findings(compiled.units, compiled.keys, inverse, cache, progress)
    traced: list[Finding] = []
    for i, findings in enumerate(found):
        if findings:
            origins = map_records(compiled.records_of(i), compiled.kinds.__getitem__).origins
            traced.extend(trace(findings, origins))
    return Report(trace(traced, {}))


def unit_findings(units: Sequence[Unit], keys: Sequence[str], inverse: frozenset[str],
                  cache: _Pickles | None = None, progress: Progress | None = None
                  ) -> list[list[Finding]]:
    """The SHACL results of each unit's subjects, validated unit by unit with their context
    (``inverse``: the predicates the shapes follow backwards); ``keys`` identify the units'
    triples in the ``cache``."""
    types: dict[str, tuple[str, ...]] = {}
    incoming: dict[str, list[str]] = {}
    for u in units:
        types.update(u.types)
        for obj, predicate, line in u.pointers:
            if predicate in inverse:
                incoming.setdefault(obj, []).append(line)
    salt = hashlib.sha256(_salt() + _shapes_bytes()).hexdigest()
    out: list[list[Finding]] = []
    for i, u in enumerate(units):
        context: set[str] = set()
        for obj, _, _ in u.pointers:
            context.update(f"<{obj}> <{RDF_TYPE}> <{c}> .\n" for c in types.get(obj, ()))
        for subject in u.subjects:
            for line in incoming.get(subject, ()):
                context.add(line)
                source = line[1:line.index(">")]
                context.update(f"<{source}> <{RDF_TYPE}> <{c}> .\n" for c in types.get(source, ()))
        text = "".join(sorted(context))
        key = hashlib.sha256(f"{salt}\0{keys[i]}\0{text}".encode()).hexdigest()
        found = cache.get(key) if cache is not None else None
        if found is None:
            found = validate_part("".join(u.nt) + text, list(u.subjects))
            if cache is not None:
                cache.put(key, found)
        out.append(found)
        if progress is not None:
            progress("validate", i + 1, len(units))
    return out


def _validate_whole(compiled: Compiled, engine: str) -> Report:
    origins: dict[str, Item] = {}
    for i in range(len(compiled.units)):
        origins.update(map_records(compiled.records_of(i), compiled.kinds.__getitem__).origins)
    triples = ox.parse("".join(compiled.blocks("nt")).encode(), format=ox.RdfFormat.N_TRIPLES)
    return validate_triples(list(triples), origins, engine=engine)


def _shapes_bytes() -> bytes:
    from .ontology import SHAPES_FILE, ontology_path

    return ontology_path(SHAPES_FILE).read_bytes() + ontology_path().read_bytes()
