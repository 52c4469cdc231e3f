"""The ontology files, parsed once: the OWL ontology, the SHACL shapes, the JSON-LD context, and
the controlled vocabularies the loader checks values against.

Every other module reads them through this one: nothing else opens a file of ``ontology/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from edugraph.vocab.namespaces import CONCEPT, SKOS

if TYPE_CHECKING:
    import rdflib

ONTOLOGY_FILE = "edugraph.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"


def ontology_dir() -> Path:
    """The ``ontology/`` folder: inside the installed package, else beside ``src/`` in a checkout."""
    packaged = Path(__file__).parents[1] / "ontology"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "ontology"


def ontology_path(name: str = ONTOLOGY_FILE) -> Path:
    return ontology_dir() / name


@cache
def triples(name: str = ONTOLOGY_FILE) -> tuple[ox.Triple, ...]:
    """The triples of a Turtle file of ``ontology/`` (the ontology by default, or the shapes)."""
    return tuple(ox.parse(path=str(ontology_path(name)), format=ox.RdfFormat.TURTLE))


@cache
def ntriples(name: str = ONTOLOGY_FILE) -> str:
    """:func:`triples` as N-Triples text."""
    return ox.serialize(triples(name), format=ox.RdfFormat.N_TRIPLES).decode()


@cache
def rdflib_graph(name: str = ONTOLOGY_FILE) -> rdflib.Graph:
    """A Turtle file of ``ontology/`` as an rdflib graph (for pySHACL); do not modify it."""
    import rdflib

    return rdflib.Graph().parse(ontology_path(name), format="turtle")


@cache
def context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld``."""
    with ontology_path(CONTEXT_FILE).open(encoding="utf-8") as f:
        return json.load(f)["@context"]


def ontology_bytes() -> bytes:
    """The shapes' and the ontology's bytes: what cached validation results depend on."""
    return ontology_path(SHAPES_FILE).read_bytes() + ontology_path().read_bytes()


def memory_store(data: Iterable[ox.Triple]) -> ox.Store:
    """An in-memory Oxigraph store of some triples and the ontology (whose labels and concept
    schemes queries and shapes look at)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in [*data, *triples()])
    return store


@cache
def vocabularies() -> dict[str, dict[str, str]]:
    """``{scheme: {slug: preferred label}}`` for every concept scheme in the ontology."""
    in_scheme: dict[str, str] = {}
    labels: dict[str, str] = {}
    for triple in triples():
        p = triple.predicate.value
        if p == SKOS.inScheme:
            in_scheme[triple.subject.value] = triple.object.value
        elif p == SKOS.prefLabel:
            labels[triple.subject.value] = triple.object.value
    result: dict[str, dict[str, str]] = {}
    for concept, scheme in in_scheme.items():
        name = scheme.removeprefix(str(CONCEPT))
        slug = concept.removeprefix(f"{scheme}/")
        result.setdefault(name, {})[slug] = labels.get(concept, slug)
    return {name: dict(sorted(terms.items())) for name, terms in sorted(result.items())}
