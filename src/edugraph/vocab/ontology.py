"""The ontology files and the controlled vocabularies the loader checks values against."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from edugraph.vocab.namespaces import CONCEPT, SKOS

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
def vocabularies() -> dict[str, dict[str, str]]:
    """``{scheme: {slug: preferred label}}`` for every concept scheme in the ontology."""
    import pyoxigraph as ox

    in_scheme: dict[str, str] = {}
    labels: dict[str, str] = {}
    for triple in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
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
