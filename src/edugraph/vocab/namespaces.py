"""Every IRI and prefix edugraph uses, in one place.

Other modules build IRIs only through the objects defined here, so a change of base IRI or of a
vocabulary term happens in this file alone.
"""

from __future__ import annotations

import re
from typing import Final


class Vocab:
    """A namespace IRI; attribute or item access gives the full IRI of a term as ``str``.

    Not a ``str`` subclass on purpose: ``DCTERMS.title`` must be the term, not ``str.title``.
    """

    __slots__ = ("iri",)

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.iri + name

    def __getitem__(self, name: str) -> str:
        return self.iri + name

    def __str__(self) -> str:
        return self.iri

    def __repr__(self) -> str:
        return f"Vocab({self.iri!r})"


BASE: Final = "https://w3id.org/edugraph/"

EG = Vocab(BASE + "ontology#")
"""Own terms of the edugraph ontology."""
ID = Vocab(BASE + "id/")
"""Instance data: ``ID/<kind>/<id>``."""
CONCEPT = Vocab(BASE + "concept/")
"""SKOS concepts of the controlled vocabularies: ``CONCEPT/<scheme>/<slug>``."""
ONTOLOGY_IRI: Final = BASE + "ontology"
SHAPES_IRI: Final = BASE + "shapes"
DATASET_IRI: Final = BASE + "dataset"

RDF = Vocab("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocab("http://www.w3.org/2000/01/rdf-schema#")
XSD = Vocab("http://www.w3.org/2001/XMLSchema#")
OWL = Vocab("http://www.w3.org/2002/07/owl#")
SH = Vocab("http://www.w3.org/ns/shacl#")
SKOS = Vocab("http://www.w3.org/2004/02/skos/core#")
ORG = Vocab("http://www.w3.org/ns/org#")
PROV = Vocab("http://www.w3.org/ns/prov#")
SCHEMA = Vocab("https://schema.org/")
DCTERMS = Vocab("http://purl.org/dc/terms/")
FOAF = Vocab("http://xmlns.com/foaf/0.1/")
VOID = Vocab("http://rdfs.org/ns/void#")
SVG_NS: Final = "http://www.w3.org/2000/svg"
"""The SVG XML namespace (for pictures; not an RDF vocabulary)."""
DCAT = Vocab("http://www.w3.org/ns/dcat#")

RDF_TYPE: Final = RDF.type

# Kinds of record and the relationship nodes that have IRIs of their own (design: flat IRIs).
RECORD_KINDS: Final = ("organisation", "person", "event", "initiative", "place", "source", "topic")
NODE_KINDS: Final = ("position", "participation", "involvement", "count")


SLUG_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A record id: the last segment of its IRI (also ``model.SLUG_RE``)."""


def record_iri(kind: str, record_id: str) -> str:
    """IRI of a record: ``https://w3id.org/edugraph/id/<kind>/<id>``."""
    return f"{ID}{kind}/{record_id}"


def node_iri(kind: str, *parts: str) -> str:
    """Flat IRI of a qualified relationship: ``.../id/<kind>/<part>--<part>...``."""
    return f"{ID}{kind}/{'--'.join(parts)}"


def concept_iri(scheme: str, slug: str) -> str:
    """IRI of a SKOS concept in one of the controlled vocabularies."""
    return f"{CONCEPT}{scheme}/{slug}"


def scheme_iri(scheme: str) -> str:
    """IRI of a SKOS concept scheme."""
    return f"{CONCEPT}{scheme}"


# Concept schemes: name -> short prefix used in Turtle and JSON-LD.
SCHEMES: Final = {
    "participation-role": "role",
    "involvement-role": "irole",
    "organisation-type": "orgtype",
    "event-type": "eventtype",
    "initiative-type": "inittype",
    "place-type": "placetype",
}

PREFIXES: Final[dict[str, str]] = {
    "eg": str(EG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    **{kind: f"{ID}{kind}/" for kind in RECORD_KINDS + NODE_KINDS},
    **{prefix: f"{CONCEPT}{scheme}/" for scheme, prefix in SCHEMES.items()},
}
"""Prefixes bound in every serialisation (instance namespaces use the kind as prefix)."""
