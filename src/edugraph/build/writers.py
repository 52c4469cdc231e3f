"""Serialise stage: triples -> Turtle, N-Triples (sorted), JSON-LD (compacted) and more.

Turtle, N-Triples, N-Quads, TriG and RDF/XML are written by Oxigraph (under a second at 1.5M
triples, where rdflib takes a minute). JSON-LD is compacted here against ``ontology/context.jsonld``
by a small writer made for edugraph's flat, blank-node-free graphs: rdflib's JSON-LD writer took
45 s and 3 GB at 100k records. Everything is sorted, so the same triples give the same bytes.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from edugraph.files import Chunk
from edugraph.model.kinds import PREFIXES
from edugraph.vocab.namespaces import RDF_TYPE, XSD, Prefixes
from edugraph.vocab.ontology import context, generation

_OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
}


def sort_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Triples in N-Triples line order, without duplicates (the order every writer uses)."""
    unique = {str(t): t for t in triples}
    return [unique[key] for key in sorted(unique)]


def serialise(triples: list[ox.Triple], fmt: str) -> bytes:
    """``triples`` (already sorted) in one of :data:`edugraph.formats.EXPORT_FORMATS`."""
    if fmt == "jsonld":
        return to_jsonld(triples)
    if fmt == "ttl":
        return to_turtle(triples)
    if fmt in ("nq", "trig"):
        return serialise_quads([ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                                for t in triples], fmt)
    prefixes = PREFIXES if fmt in ("ttl", "xml") else None
    return ox.serialize(triples, format=_OX_FORMATS[fmt], prefixes=prefixes)


def serialise_quads(quads: list[ox.Quad], fmt: str) -> bytes:
    """Quads (already sorted, graph by graph) as N-Quads or TriG."""
    return ox.serialize(quads, format=_OX_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)


# ---------------------------------------------------------------------------------------------
# JSON-LD


def _terms() -> tuple[dict[str, str], dict[str, tuple[str, dict[str, Any]]]]:
    """(prefix -> namespace, property IRI -> (term, definition)) from the context."""
    return _terms_of(generation())


@cache
def _terms_of(generation: tuple[str, tuple[Path, ...]]) -> tuple[dict[str, str], dict[str, tuple[str, dict[str, Any]]]]:
    ctx = context()
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")
                and v[-1] in "/#"}

    def expand(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else curie

    terms: dict[str, tuple[str, dict[str, Any]]] = {}
    for key, value in ctx.items():
        if key.startswith("@") or key in prefixes:
            continue
        definition = {"@id": value} if isinstance(value, str) else dict(value)
        iri = expand(definition["@id"])
        if "@type" in definition and definition["@type"] != "@id":
            definition["@type"] = expand(definition["@type"])
        terms[iri] = (key, definition)
    return prefixes, terms


def _compact_iri(iri: str, prefixes: Prefixes) -> str:
    """A compact IRI for JSON-LD, unless its local part would read as an authority (``//``)."""
    found = prefixes.split(iri)
    return f"{found[0]}:{found[1]}" if found and not found[1].startswith("//") else iri


def _fit(term: dict[str, Any], value: ox.NamedNode | ox.Literal) -> bool | None:
    """How ``value`` sits under ``term``: True coerced (bare string), False as a value object,
    None not at all (it then goes under the property's compact IRI)."""
    coercion, language = term.get("@type"), term.get("@language")
    if isinstance(value, ox.NamedNode):
        return True if coercion == "@id" else None if coercion or language else False
    if coercion == "@id":
        return None
    if language is not None:
        return True if value.language == language else None
    if coercion is not None:
        return True if value.language is None and value.datatype.value == coercion else None
    return False


def _value(value: ox.NamedNode | ox.Literal, coerced: bool,
           compact: Callable[[str], str]) -> Any:
    if isinstance(value, ox.NamedNode):
        return compact(value.value) if coerced else {"@id": compact(value.value)}
    if coerced:
        return value.value
    if value.language:
        return {"@value": value.value, "@language": value.language}
    if value.datatype.value == _XSD_STRING:
        return value.value
    return {"@value": value.value, "@type": compact(value.datatype.value)}


_XSD_STRING, _XSD_INTEGER = str(XSD.string), str(XSD.integer)
_BARE = (_XSD_INTEGER, str(XSD.boolean))
"""Datatypes Turtle writes bare (an integer's digits, true and false)."""
_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
"""One encoder for every node (``json.dumps`` with options makes one per call)."""


class _Names(dict):
    """IRI -> its short form, remembered for the IRIs that repeat (predicates, classes, concepts,
    hubs; at most 100,000, so memory stays bounded). Read as ``names[iri]``: a dict look-up in C
    for the IRIs seen before, which are most (this is the writers' innermost call)."""

    def __init__(self, prefixes: dict[str, str], shorten: Callable[[str, str | None, str], str]) -> None:
        super().__init__()
        self.by_namespace = {ns: prefix for prefix, ns in prefixes.items()}
        self.shorten = shorten  # (iri, prefix of its namespace or None, local name) -> short form

    def __missing__(self, iri: str) -> str:
        # Our IRIs end in a local name after the namespace's last '/' or '#': one dict look-up.
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        found = self.shorten(iri, self.by_namespace.get(iri[:cut]), iri[cut:])
        if len(self) < 100_000:
            self[iri] = found
        return found


class _JsonLd:
    """Compacts node objects against the project's context (one per subject)."""

    def __init__(self) -> None:
        prefixes, self.terms = _terms()
        table = Prefixes(prefixes)
        self.compact = _Names(prefixes, lambda iri, prefix, local: (
            f"{prefix}:{local}" if prefix and local else _compact_iri(iri, table)))

    def value(self, predicate: str, value: ox.NamedNode | ox.Literal) -> tuple[str, Any, bool]:
        """(key, JSON value, whether the key is a ``@set``) of one value of ``predicate`` (not
        ``rdf:type``) in a node object."""
        term = self.terms.get(predicate)
        fit = None if term is None else _fit(term[1], value)
        if fit is None:
            return self.compact[predicate], _value(value, False, self.compact.__getitem__), False
        return term[0], _value(value, fit, self.compact.__getitem__), term[1].get("@container") == "@set"  # type: ignore[index]

    def node(self, subject: str, triples: Iterable[ox.Triple]) -> str:
        """The node object of ``subject`` (its triples sorted) as one line of JSON."""
        names = self.compact
        properties: dict[str, list[ox.NamedNode | ox.Literal]] = {}
        for t in triples:
            properties.setdefault(t.predicate.value, []).append(t.object)
        types = [names[o.value] for o in properties.pop(RDF_TYPE, [])]
        values = [self.value(predicate, value) for predicate, found in properties.items()
                  for value in (sorted(found, key=str) if len(found) > 1 else found)]
        return self.assemble(subject, types, values)

    def assemble(self, subject: str, types: list[str], values: Iterable[tuple[str, Any, bool]]) -> str:
        """The node object of ``subject`` from the compact IRIs of its types and its
        :meth:`value` s (in the order of its sorted triples), as one line of JSON."""
        node: dict[str, Any] = {"@id": self.compact[subject]}
        if types:
            node["@type"] = types[0] if len(types) == 1 else sorted(types)
        keyed: dict[str, list[Any]] = {}
        sets: set[str] = set()
        for key, value, is_set in values:
            keyed.setdefault(key, []).append(value)
            if is_set:
                sets.add(key)
        for key in sorted(keyed):
            found = keyed[key]
            node[key] = found if len(found) > 1 or key in sets else found[0]
        return _JSON.encode(node)


JSONLD_SEPARATOR = ",\n    "
"""Between two node objects of a JSON-LD document."""


def jsonld_document(nodes: Iterable[str]) -> bytes:
    """A JSON-LD document of node-object lines, with the project's context inlined."""
    return b"".join(framed("jsonld", (node.encode() for node in nodes)))


def framed(fmt: str, pieces: Iterable[Chunk]) -> Iterator[Chunk]:
    """An export of subject blocks (``nt``, ``ttl``, ``jsonld``) in pieces, to write without
    holding the whole text: the head of :func:`frame`, the pieces with the separator between
    each two, the tail. A piece may hold several blocks with their separators."""
    head, separator, tail = frame(fmt)
    yield head
    for i, piece in enumerate(pieces):
        if i and separator:
            yield separator
        yield piece
    yield tail


def frame(fmt: str) -> tuple[bytes, bytes, bytes]:
    """(head, separator, tail) of an export made of subject blocks: what lies before the first
    block, between two blocks and after the last (Turtle's prefixes, JSON-LD's context)."""
    if fmt == "ttl":
        prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
        return f"{prefixes}\n".encode(), b"", b""
    if fmt == "jsonld":
        head = json.dumps(context(), indent=2, ensure_ascii=False).replace("\n", "\n  ")
        return (f'{{\n  "@context": {head},\n  "@graph": [\n    '.encode(), JSONLD_SEPARATOR.encode(),
                b"\n  ]\n}\n")
    return b"", b"", b""


def to_jsonld(triples: list[ox.Triple]) -> bytes:
    """Compacted JSON-LD with the project's context inlined (no remote context is ever needed).

    One node object per line, in the order of the (sorted) triples: readable, diffable, and
    written by json's C encoder (an indented dump is five times slower at scale).
    """
    writer = _JsonLd()
    return jsonld_document(writer.node(subject, group) for subject, group
                           in itertools.groupby(triples, key=lambda t: t.subject.value))


# ---------------------------------------------------------------------------------------------
# Turtle

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


class _Turtle:
    """Writes one subject's triples as a Turtle block, with the prefixes of :data:`PREFIXES`.

    Written here rather than by Oxigraph so that a build can keep each subject's block and put
    a file together from blocks of unchanged files (an edit re-serialises only its own file).
    """

    def __init__(self) -> None:
        self.iri = _Names(PREFIXES, lambda iri, prefix, local: (
            f"{prefix}:{local}" if prefix and _PN_LOCAL.match(local) else f"<{iri}>"))

    def term(self, term: ox.NamedNode | ox.Literal) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri[term.value]
        datatype = term.datatype.value
        if datatype in _BARE and (
                _INTEGER.match(term.value) if datatype == _XSD_INTEGER else term.value in ("true", "false")):
            return term.value
        text = str(term)  # N-Triples form: the escaping is Oxigraph's, and valid Turtle
        if term.language or datatype == _XSD_STRING:
            return text
        return f"{text[:text.rindex(chr(34)) + 1]}^^{self.iri[datatype]}"

    def block(self, subject: str, triples: Iterable[ox.Triple]) -> str:
        """``subject``'s triples (sorted) as one Turtle statement."""
        types: list[str] = []
        predicates: dict[str, list[str]] = {}
        term = self.term
        for t in triples:
            predicate = t.predicate.value
            if predicate == RDF_TYPE:
                types.append(term(t.object))
            else:
                predicates.setdefault(predicate, []).append(term(t.object))
        return self.assemble(subject, types, predicates)

    def assemble(self, subject: str, types: list[str], predicates: dict[str, list[str]]) -> str:
        """One Turtle statement of ``subject`` from its types' and its other objects' terms, by
        predicate (in the order of its sorted triples)."""
        iri = self.iri
        parts = [f"a {' , '.join(types)}"] if types else []
        parts += [f"{iri[p]} {' , '.join(objects)}" for p, objects in predicates.items()]
        return f"{iri[subject]} " + " ;\n\t".join(parts) + " .\n"


def turtle_document(blocks: Iterable[str]) -> bytes:
    """A Turtle document of subject blocks, headed by every prefix of :data:`PREFIXES`."""
    return b"".join(framed("ttl", (block.encode() for block in blocks)))


def to_turtle(triples: list[ox.Triple]) -> bytes:
    """Turtle of sorted triples, one block per subject."""
    writer = _Turtle()
    return turtle_document(writer.block(subject, group) for subject, group
                           in itertools.groupby(triples, key=lambda t: t.subject.value))


def subject_blocks(triples: Iterable[ox.Triple] | dict[str, ox.Triple]) -> Iterator[tuple[str, str, str, str]]:
    """(sort key, N-Triples, Turtle, JSON-LD) of each subject of ``triples``, in file order
    (``triples`` may be given as their N-Triples lines, each to its triple, made once).

    Blocks of disjoint sets of subjects, sorted by their keys, make the same files as all the
    triples at once: what lets a build reuse the blocks of files that did not change. The same
    as :meth:`_Turtle.block` and :meth:`_JsonLd.node` of each subject's triples, with what a
    (predicate, object) pair becomes worked out once: two thirds of the pairs of a file repeat
    (types, vocabulary terms, records referred to), and a subject's objects of one predicate
    are already in the order JSON-LD sorts them to, their N-Triples text's.
    """
    keyed = triples if isinstance(triples, dict) else {f"{t} .\n": t for t in triples}
    turtle, jsonld = _Turtle(), _JsonLd()
    term, names = turtle.term, jsonld.compact
    # "<predicate> object .\n" -> (predicate, Turtle term, None, the compact IRI) of a type, else
    # (predicate, Turtle term, (JSON-LD key, JSON value, whether the key is a @set), None)
    pairs: dict[str, tuple[str, str, tuple[str, Any, bool] | None, str | None]] = {}
    for subject, group in itertools.groupby(sorted(keyed), key=_line_subject):
        lines = list(group)
        cut = len(subject) + 3
        types: list[str] = []
        type_names: list[str] = []
        predicates: dict[str, list[str]] = {}
        values: list[tuple[str, Any, bool]] = []
        for line in lines:
            found = pairs.get(line[cut:])
            if found is None:
                t = keyed[line]
                predicate, obj = t.predicate.value, t.object
                found = pairs[line[cut:]] = (
                    (predicate, term(obj), None, names[obj.value]) if predicate == RDF_TYPE
                    else (predicate, term(obj), jsonld.value(predicate, obj), None))
            predicate, text, value, type_name = found
            if value is None:
                types.append(text)
                type_names.append(type_name)  # type: ignore[arg-type]
            else:
                predicates.setdefault(predicate, []).append(text)
                values.append(value)
        yield (f"<{subject}>", "".join(lines), turtle.assemble(subject, types, predicates),
               jsonld.assemble(subject, type_names, values))


def _line_subject(line: str) -> str:
    """The subject IRI of an N-Triples line (an IRI holds no '>')."""
    return line[1:line.index(">")]
