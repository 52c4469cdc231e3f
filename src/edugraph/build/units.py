"""Build units: each YAML file's share of the graph, mapped and serialised on its own.

A file's triples depend on its bytes and on the kinds of the records it refers to (a reference
becomes ``.../id/<kind>/<id>``), so its :class:`Unit` (sorted N-Triples, Turtle and JSON-LD of
each subject, and what validation and ``void.ttl`` need) can be cached under a hash of both (see
:mod:`edugraph.build.compile`). Files own disjoint sets of subjects, so each export is the units'
subject blocks merged in key order: the same bytes as serialising every triple at once.
"""

from __future__ import annotations

import hashlib
import itertools
import mmap
import os
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from edugraph.build.mapping import map_records
from edugraph.build.shacl import one_hop_shapes
from edugraph.build.writers import JSONLD_SEPARATOR, subject_blocks
from edugraph.files import Cache
from edugraph.model.item import Item
from edugraph.vocab.namespaces import RDF_TYPE
from edugraph.vocab.ontology import concept_iris, term_triples


@dataclass(slots=True)
class Unit:
    """One file's share of the graph, ready to merge into the exports."""

    key_text: str = ""
    """Sort key of each subject (``<iri>``: the order of N-Triples lines), one per line."""
    text: dict[str, bytes | mmap.mmap] = field(default_factory=dict)
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
    concept_text: str = ""
    """The concepts of the vocabularies this unit's triples use as values, one per line (what
    the export's unit of terms is made of, see :func:`terms_unit`)."""
    properties: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    origin: str = ""
    """Where a cached unit's texts are (``origin.nt``, ...), read when first needed; "" when
    they are all in ``text``."""

    def data(self, fmt: str) -> bytes:
        """The blocks of one format, one after the other (read from the cache when not at hand)."""
        found = self.text.get(fmt)
        if found is None:
            with open(f"{self.origin}.{fmt}", "rb") as f:
                found = self.text[fmt] = f.read()
        return found if isinstance(found, bytes) else bytes(found)

    def view(self, fmt: str) -> memoryview:
        """The blocks of one format as a view. A cached text is mapped rather than read: an export
        hands its pages to ``writev``, so the kernel copies them once, as ``cp`` does, instead of
        ``read`` copying them into Python first (half a second a rebuild at 100k records)."""
        found = self.text.get(fmt)
        if found is None:
            with open(f"{self.origin}.{fmt}", "rb") as f:
                # An empty file cannot be mapped. The cache replaces files (rename), never
                # truncates them, so a mapping never loses its pages.
                found = self.text[fmt] = (mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                                          if os.fstat(f.fileno()).st_size else b"")
        return memoryview(found)

    def release(self, fmt: str) -> None:
        """Forget the text of one format when the cache holds it (memory for the next export)."""
        if self.origin:
            self.text.pop(fmt, None)

    @property
    def keys(self) -> list[str]:
        return self.key_text.split("\n") if self.key_text else []

    @property
    def externals(self) -> list[str]:
        return self.external_text.split("\n") if self.external_text else []

    @property
    def concepts(self) -> list[str]:
        return self.concept_text.split("\n") if self.concept_text else []

    @property
    def subjects(self) -> list[str]:
        # Each key is "<iri>" and an IRI holds no ">": one split, not a string op a key in Python.
        return self.key_text[1:-1].split(">\n<") if self.key_text else []

    def span(self, fmt: str, j: int, k: int) -> tuple[int, int]:
        """Where blocks ``j`` to ``k`` (exclusive) of one format start and end in its text."""
        ends = self.ends[fmt]
        return (ends[j - 1] + len(_SEPARATORS[fmt]) if j else 0), ends[k - 1]

    def block(self, fmt: str, j: int, k: int) -> memoryview:
        """Blocks ``j`` to ``k`` (exclusive) of one format (JSON-LD nodes with their commas)."""
        start, end = self.span(fmt, j, k)
        return self.view(fmt)[start:end]


_SEPARATORS = {"nt": b"", "ttl": b"", "jsonld": JSONLD_SEPARATOR.encode()}
FORMATS = tuple(_SEPARATORS)


class UnitCache(Cache):
    """Units in the cache: a pickle of everything but their texts, and each format's text in a
    file of its own beside it (``KEY.nt``, ``KEY.ttl``, ``KEY.jsonld``), read only when an export
    or validation needs it. A build's main process then never unpickles hundreds of MB it only
    passes on, and an export holds one format's texts at a time."""

    def get(self, key: str) -> Unit | None:
        unit = super().get(key)
        if not isinstance(unit, Unit) or self.folder is None:
            return None
        origin = str(self.folder / key)
        for fmt in FORMATS:
            ends = unit.ends.get(fmt)
            try:
                # The pickle is written last, so its texts are whole unless something removed them.
                if ends is None or os.stat(f"{origin}.{fmt}").st_size != (ends[-1] if ends else 0):
                    return None
            except OSError:
                return None
        unit.origin = origin
        return unit

    def put(self, key: str, value: object) -> None:
        if self.folder is None or not isinstance(value, Unit):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for fmt in FORMATS:
                target = self.folder / f"{key}.{fmt}"
                tmp = self.folder / f".{key}.{fmt}.{os.getpid()}.tmp"
                try:
                    tmp.write_bytes(value.data(fmt))
                    os.replace(tmp, target)
                finally:
                    tmp.unlink(missing_ok=True)
        except OSError:
            return  # a cache that cannot be written only costs the work next time
        super().put(key, replace(value, text={}, origin=""))


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
    predicates: list[str] = []
    classes: list[str] = []
    named = ox.NamedNode
    for line, t in unique.items():
        predicate, obj = t.predicate.value, t.object
        predicates.append(predicate)
        if predicate == RDF_TYPE:
            types.append(line)
            classes.append(obj.value)
        elif isinstance(obj, named) and obj.value not in subjects:
            externals.add(obj.value)
            if predicate in inverse:
                unit.inward.setdefault(predicate, []).append((obj.value, line))
    unit.properties.update(predicates)
    unit.classes.update(classes)
    unit.type_text = "".join(sorted(types))
    unit.type_digest = hashlib.sha256(unit.type_text.encode()).hexdigest()
    unit.external_text = "\n".join(sorted(externals))
    unit.concept_text = "\n".join(sorted(externals & concept_iris()))
    unit.triples = len(unique)
    keys: list[str] = []
    texts: dict[str, list[str]] = {"nt": [], "ttl": [], "jsonld": []}
    for key, *blocks in subject_blocks(unique):
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



def used_concepts(units: Iterable[Unit]) -> list[str]:
    """The concepts some unit uses as a value, sorted."""
    return sorted({c for u in units for c in u.concepts})


def terms_unit(used: Iterable[str]) -> Unit:
    """The unit of the vocabulary terms the data uses (see
    :func:`edugraph.vocab.ontology.term_triples`): its subjects are concepts and schemes, never
    a record's, so it merges into the exports like any file's unit."""
    return unit_of(term_triples(used))
