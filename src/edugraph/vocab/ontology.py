"""The ontology files, parsed once: the OWL ontology, the SHACL shapes, the JSON-LD context, and
the controlled vocabularies the loader checks values against; with a project's own terms.

Every other module reads them through this one: nothing else opens a file of ``ontology/``. A
project may add SKOS concepts of its own (``vocabulary`` in ``edugraph.toml``, see
:func:`use_vocabulary`) and mint its records under a base IRI of its own
(:func:`edugraph.vocab.namespaces.set_instance_base`); what is read here follows both, and
:func:`generation` changes whenever they do, for the caches of other modules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pyoxigraph as ox

from edugraph.errors import InputError, InputErrors, UsageError, excerpt, suggest
from edugraph.files import read_bytes
from edugraph.vocab.namespaces import CONCEPT, DEFAULT_INSTANCE_BASE, ID, RDF_TYPE, SH, SKOS, concept_iri
from edugraph.vocab.terms import to_rdflib

if TYPE_CHECKING:
    import rdflib

ONTOLOGY_FILE = "edugraph.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"


class VocabularyError(InputError):
    """A project's vocabulary file does not parse, or a concept in it lacks a label or a scheme."""


def ontology_dir() -> Path:
    """The ``ontology/`` folder: inside the installed package, else beside ``src/`` in a checkout."""
    packaged = Path(__file__).parents[1] / "ontology"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "ontology"


def ontology_path(name: str = ONTOLOGY_FILE) -> Path:
    return ontology_dir() / name


# ---------------------------------------------------------------------------------------------
# What a project adds: its vocabulary files and its base IRI

_state: dict[str, tuple[Path, ...]] = {"files": ()}
# Everything read here is cached under what it depends on: the vocabulary files and the base IRI
# in use (see generation()), so changing either is seen at once, with nothing to reset.


def use_vocabulary(files: Sequence[Path]) -> None:
    """Add the SKOS concepts of these Turtle files to the controlled vocabularies (replacing
    those of earlier calls); raises VocabularyError when a file is wrong."""
    # Absolute, links not followed: messages name the file the project names, and a link is
    # checked for where it leads when the file is read.
    _state["files"] = tuple(Path(os.path.abspath(f)) for f in files)
    if _state["files"]:
        project_terms()  # a bad file fails now, naming itself, not in the middle of a build


def vocabulary_files() -> tuple[Path, ...]:
    """The project's vocabulary files in use."""
    return _state["files"]


def generation() -> tuple[str, tuple[Path, ...]]:
    """What the ontology as read depends on: the base IRI and the vocabulary files in use (a key
    for the caches of other modules)."""
    return str(ID), _state["files"]


class ProjectTerm(NamedTuple):
    """A concept of a project's vocabulary file."""

    iri: str
    scheme: str
    slug: str
    label: str
    file: Path


def project_terms() -> tuple[ProjectTerm, ...]:
    """The concepts of the project's vocabulary files; raises VocabularyError naming each file
    and line that is wrong."""
    return _vocabulary(_state["files"])[0]


@cache
def _vocabulary(files: tuple[Path, ...]) -> tuple[tuple[ProjectTerm, ...], tuple[ox.Triple, ...]]:
    """The concepts of the vocabulary files, and every triple of the files (each read once)."""
    errors: list[InputError] = []
    terms: list[ProjectTerm] = []
    triples_read: list[ox.Triple] = []
    builtin = _builtin_vocabularies()
    for path in files:
        try:
            text = read_bytes(path, ()).decode("utf-8")  # inside the project, a regular file
            parsed = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=None))
        except OSError as exc:
            errors.append(VocabularyError(f"cannot be read ({exc.strerror or exc})", file=path))
            continue
        except UnicodeDecodeError as exc:
            errors.append(VocabularyError(f"cannot be read (not UTF-8: {exc.reason} at byte {exc.start})",
                                          file=path))
            continue
        except SyntaxError as exc:
            line = _syntax_line(exc)
            errors.append(VocabularyError(f"is not valid Turtle: {excerpt(str(exc).splitlines()[0])}", file=path,
                                          line=line))
            continue
        found, problems = _concepts(parsed, text, path, builtin)
        triples_read += parsed
        terms += found
        errors += problems
    seen: dict[tuple[str, str], ProjectTerm] = {}
    for term in terms:
        other = seen.get((term.scheme, term.slug))
        if other is not None or term.slug in builtin.get(term.scheme, {}):
            where = f"{other.file}" if other is not None else "the built-in vocabulary"
            errors.append(VocabularyError(f"the {term.scheme} term '{term.slug}' is already defined in {where}",
                                          file=term.file, line=_line_of(term.file, term.iri),
                                          hint="give the concept another name, or remove one"))
        seen[(term.scheme, term.slug)] = term
    if errors:
        raise InputErrors(errors)
    return tuple(sorted(terms, key=lambda t: (t.scheme, t.slug))), tuple(triples_read)


def _concepts(triples: list[ox.Triple], text: str, path: Path,
              builtin: dict[str, dict[str, str]]) -> tuple[list[ProjectTerm], list[InputError]]:
    schemes: dict[str, str] = {}
    labels: dict[str, str] = {}
    concepts: set[str] = set()
    new_schemes = {t.subject.value for t in triples
                   if t.predicate.value == RDF_TYPE and t.object.value == SKOS.ConceptScheme}
    for t in triples:
        s, p = t.subject.value, t.predicate.value
        if p == SKOS.inScheme:
            schemes[s] = t.object.value
        elif p == SKOS.prefLabel and isinstance(t.object, ox.Literal):
            labels.setdefault(s, t.object.value)
        elif p == RDF_TYPE and t.object.value == SKOS.Concept:
            concepts.add(s)
    found: list[ProjectTerm] = []
    errors: list[InputError] = []
    for iri in sorted(concepts | set(schemes)):
        line = _line_of(path, iri, text)
        scheme_iri = schemes.get(iri)
        if scheme_iri is None:
            errors.append(VocabularyError(f"the concept <{iri}> has no skos:inScheme", file=path, line=line,
                                          hint="add skos:inScheme with one of the schemes edugraph vocab lists"))
            continue
        scheme = scheme_name(scheme_iri)
        if scheme not in builtin and scheme_iri not in new_schemes:
            errors.append(VocabularyError(f"the concept <{iri}> is in the scheme <{scheme_iri}>, which is "
                                          "neither edugraph's nor declared a skos:ConceptScheme here",
                                          file=path, line=line, hint="use a scheme edugraph vocab lists, or "
                                          "declare the new scheme 'a skos:ConceptScheme'"))
            continue
        if iri not in labels:
            errors.append(VocabularyError(f"the concept <{iri}> has no skos:prefLabel", file=path, line=line,
                                          hint='add skos:prefLabel "..."@en'))
            continue
        slug = re.split(r"[/#]", iri.removeprefix(f"{scheme_iri}/"))[-1]
        found.append(ProjectTerm(iri, scheme, slug, labels[iri], path))
    return found, errors


def scheme_name(scheme_iri: str) -> str:
    """How fields and commands name a concept scheme: edugraph's by their slug
    (``organisation-type``), a project's new scheme by the last segment of its IRI."""
    if scheme_iri.startswith(str(CONCEPT)):
        return scheme_iri.removeprefix(str(CONCEPT))
    return re.split(r"[/#]", scheme_iri.rstrip("/#"))[-1]


def _syntax_line(exc: SyntaxError) -> int | None:
    found = re.search(r"line (\d+)|(\d+):\d+", str(exc))
    return int(found.group(1) or found.group(2)) if found else None


def _line_of(path: Path, iri: str, text: str | None = None) -> int | None:
    """The first line of a Turtle file naming ``iri`` (in full or by its local name)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
    local = re.split(r"[/#:]", iri)[-1]
    for number, line in enumerate(text.splitlines(), start=1):
        if iri in line or re.search(rf":{re.escape(local)}\b", line):
            return number
    return None


# ---------------------------------------------------------------------------------------------
# The files, parsed once (for the vocabulary and base in use)


def triples(name: str = ONTOLOGY_FILE) -> tuple[ox.Triple, ...]:
    """The ontology's triples (with the project's concepts), or the shapes' (with their patterns
    following the base IRI and the project's concepts)."""
    base, files = generation()
    return _shapes_triples(base, files) if name == SHAPES_FILE else _ontology_triples(files)


@cache
def _file_triples(name: str) -> tuple[ox.Triple, ...]:
    return tuple(ox.parse(path=str(ontology_path(name)), format=ox.RdfFormat.TURTLE))


@cache
def _ontology_triples(files: tuple[Path, ...]) -> tuple[ox.Triple, ...]:
    terms, extra = _vocabulary(files)
    added: list[ox.Triple] = []
    for term in terms:
        concept = ox.NamedNode(term.iri)
        added.append(ox.Triple(concept, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS.Concept)))
    unique = {str(t): t for t in (*_file_triples(ONTOLOGY_FILE), *extra, *added)}
    return tuple(unique.values())


@cache
def _shapes_triples(base: str, files: tuple[Path, ...]) -> tuple[ox.Triple, ...]:
    # The patterns as shapes.ttl writes them: a namespace with its dots escaped.
    instance = "^" + _dots(DEFAULT_INSTANCE_BASE)
    outside: dict[str, list[str]] = {}
    for term in _vocabulary(files)[0]:
        if not term.iri.startswith(f"{CONCEPT}{term.scheme}/"):
            outside.setdefault(term.scheme, []).append(term.iri)
    out = []
    for t in _file_triples(SHAPES_FILE):
        if t.predicate.value == SH.pattern and isinstance(t.object, ox.Literal):
            pattern = t.object.value
            if pattern.startswith(instance):
                pattern = "^" + re.escape(base) + pattern[len(instance):]
            for scheme, iris in outside.items():
                if pattern == "^" + _dots(f"{CONCEPT}{scheme}/"):
                    pattern = f"^(?:{pattern[1:]}|" + "|".join(re.escape(i) + "$" for i in iris) + ")"
            t = ox.Triple(t.subject, t.predicate, ox.Literal(pattern, datatype=t.object.datatype))
        out.append(t)
    return tuple(out)


def _dots(namespace: str) -> str:
    return namespace.replace(".", "\\.")


def ntriples(name: str = ONTOLOGY_FILE) -> str:
    """:func:`triples` as N-Triples text."""
    return ox.serialize(triples(name), format=ox.RdfFormat.N_TRIPLES).decode()


def rdflib_graph(name: str = ONTOLOGY_FILE) -> rdflib.Graph:
    """:func:`triples` as an rdflib graph (for pySHACL); do not modify it."""
    return _rdflib_graph(name, generation())


@cache
def _rdflib_graph(name: str, generation: tuple[str, tuple[Path, ...]]) -> rdflib.Graph:
    return to_rdflib(triples(name))


def context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld``, its instance prefixes under the
    base IRI in use."""
    return _context(str(ID))


@cache
def _context(base: str) -> dict[str, Any]:
    import json  # only the JSON-LD writer needs the context: a query's start-up need not pay for json

    with ontology_path(CONTEXT_FILE).open(encoding="utf-8") as f:
        ctx = json.load(f)["@context"]
    return {k: (base + v[len(DEFAULT_INSTANCE_BASE):]) if isinstance(v, str) and v.startswith(DEFAULT_INSTANCE_BASE)
            else v for k, v in ctx.items()}


def ontology_bytes() -> bytes:
    """What cached results depend on besides the data: the shapes, the ontology, the project's
    vocabulary files and the base IRI."""
    parts = [ontology_path(SHAPES_FILE).read_bytes(), ontology_path().read_bytes(), str(ID).encode()]
    parts += [p.read_bytes() for p in _state["files"]]
    return b"\0".join(parts)


def memory_store(data: Iterable[ox.Triple]) -> ox.Store:
    """An in-memory Oxigraph store of some triples and the ontology (whose labels and concept
    schemes queries and shapes look at)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in [*data, *triples()])
    return store


def concept_iris() -> frozenset[str]:
    """The IRI of every concept of every scheme (the project's included): the values a
    ``type`` or ``role`` field maps to."""
    return frozenset(iri for scheme in concepts().values() for iri in scheme.values())


_TERM_PREDICATES = frozenset({RDF_TYPE, SKOS.inScheme, SKOS.prefLabel})


def term_triples(used: Iterable[str]) -> list[ox.Triple]:
    """The vocabulary triples an export carries for the concepts ``used``: each concept's types,
    scheme and preferred labels, and its scheme's type and preferred labels, as the ontology (and
    the project's vocabulary files) state them; enough for the shapes with no other file."""
    wanted = set(used)
    found = [t for t in triples() if t.subject.value in wanted and t.predicate.value in _TERM_PREDICATES]
    schemes = {t.object.value for t in found if t.predicate.value == SKOS.inScheme}
    found += [t for t in triples() if t.subject.value in schemes and t.predicate.value in _TERM_PREDICATES
              and (t.predicate.value != RDF_TYPE or t.object.value == SKOS.ConceptScheme)]
    return found


@cache
def _builtin_vocabularies() -> dict[str, dict[str, str]]:
    return _schemes_of(_file_triples(ONTOLOGY_FILE))[0]


def vocabularies() -> dict[str, dict[str, str]]:
    """``{scheme: {slug: preferred label}}`` for every concept scheme, the project's terms
    included."""
    return _schemes(_state["files"])[0]


def concepts() -> dict[str, dict[str, str]]:
    """``{scheme: {slug: concept IRI}}``: the IRI a ``type`` or ``role`` value stands for."""
    return _schemes(_state["files"])[1]


@cache
def _schemes(files: tuple[Path, ...]) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    return _schemes_of(_ontology_triples(files))


def concept(scheme: str, slug: str) -> str:
    """The IRI of a term of a scheme (a project's term keeps the IRI its file gives it)."""
    return concepts().get(scheme, {}).get(slug) or concept_iri(scheme, slug)


def _schemes_of(found: Iterable[ox.Triple]) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    in_scheme: dict[str, str] = {}
    labels: dict[str, str] = {}
    within, label = SKOS.inScheme, SKOS.prefLabel  # once, not for every triple of the ontology
    for triple in found:
        p = triple.predicate.value
        if p == within:
            in_scheme[triple.subject.value] = triple.object.value
        elif p == label:
            labels.setdefault(triple.subject.value, triple.object.value)
    names: dict[str, dict[str, str]] = {}
    iris: dict[str, dict[str, str]] = {}
    for iri, scheme in in_scheme.items():
        name = scheme_name(scheme)
        slug = iri.removeprefix(f"{scheme}/") if iri.startswith(f"{scheme}/") else re.split(r"[/#]", iri)[-1]
        names.setdefault(name, {})[slug] = labels.get(iri, slug)
        iris.setdefault(name, {})[slug] = iri
    order = sorted(names)
    return ({n: dict(sorted(names[n].items())) for n in order}, {n: dict(sorted(iris[n].items())) for n in order})


class Term(NamedTuple):
    """A term of a controlled vocabulary, and where it comes from."""

    scheme: str
    slug: str
    label: str
    iri: str
    origin: str
    """``built-in`` (``ontology/edugraph.ttl``) or the project's vocabulary file."""


def terms(scheme: str | None = None) -> list[Term]:
    """Every term of every scheme (or of one), by scheme and slug; UsageError for an unknown scheme."""
    labels, iris = vocabularies(), concepts()
    if scheme is not None and scheme not in labels:
        raise UsageError(f"unknown vocabulary '{scheme}'",
                         hint=suggest(scheme, labels) or f"vocabularies are: {', '.join(labels)}")
    origin = {(t.scheme, t.slug): str(t.file) for t in project_terms()}
    return [Term(name, slug, label, iris[name][slug], origin.get((name, slug), "built-in"))
            for name in labels if scheme in (None, name) for slug, label in labels[name].items()]
