"""Every IRI and prefix edugraph uses, and the one way to shorten an IRI to a CURIE.

Other modules build IRIs only through the objects defined here, so a change of base IRI or of a
vocabulary term happens in this file alone. The prefixes of the instance namespaces (one per kind
of record) are added by the record model (:data:`edugraph.model.kinds.PREFIXES`), which knows
the kinds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
DEFAULT_INSTANCE_BASE: Final = BASE + "id/"
ID = Vocab(DEFAULT_INSTANCE_BASE)
"""Instance data: ``ID/<kind>/<id>``; a project may mint its records under a base of its own
(:func:`set_instance_base`), and every IRI function follows it."""
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

SLUG_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A record id: the last segment of its IRI."""


def set_instance_base(base: str) -> None:
    """Mint records under ``base`` from now on (an absolute IRI ending in ``/`` or ``#``).

    Use :func:`edugraph.model.kinds.use_base`, which also updates the prefixes and what the
    ontology module derives from the base.
    """
    ID.iri = base


def dataset_iri() -> str:
    """IRI of the dataset a build describes (``void.ttl``): edugraph's own for the default base,
    else ``<base>dataset``."""
    return DATASET_IRI if str(ID) == DEFAULT_INSTANCE_BASE else f"{ID}dataset"


def record_iri(kind: str, record_id: str) -> str:
    """IRI of a record: ``<base>/<kind>/<id>`` (by default ``https://w3id.org/edugraph/id/...``)."""
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
    "organisation-relation-role": "tierole",
}

STANDARD_PREFIXES: Final[dict[str, str]] = {
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
}
"""The prefixes of the standard vocabularies and edugraph's own."""

SCHEME_PREFIXES: Final[dict[str, str]] = {prefix: f"{CONCEPT}{scheme}/" for scheme, prefix in SCHEMES.items()}
"""The prefixes of the concept schemes' namespaces."""


class Prefixes(dict[str, str]):
    """A prefix table (prefix -> namespace IRI) that shortens IRIs: the one CURIE shortener.

    An IRI takes the longest namespace it extends (with at least one character after it); an IRI
    in no namespace of the table is shown whole in angle brackets. A ``dict`` so that writers take
    it as it is; treat it as read-only (:meth:`with_prefixes` makes a larger one).
    """

    def __init__(self, table: Mapping[str, str]) -> None:
        super().__init__(table)
        self._longest_first = sorted(self.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def replace(self, table: Mapping[str, str]) -> None:
        """Hold ``table`` instead (the instance namespaces follow a project's base IRI)."""
        self.clear()
        self.update(table)
        self._longest_first = sorted(self.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def with_prefixes(self, more: Mapping[str, str]) -> Prefixes:
        """This table and some more prefixes."""
        return Prefixes({**self, **more})

    def split(self, iri: str) -> tuple[str, str] | None:
        """``(prefix, local name)`` of the longest namespace ``iri`` extends, else None."""
        for prefix, namespace in self._longest_first:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return prefix, iri[len(namespace):]
        return None

    def curie(self, iri: str) -> str:
        """``prefix:local`` when a namespace of the table fits, else ``<iri>``."""
        found = self.split(iri)
        return f"{found[0]}:{found[1]}" if found else f"<{iri}>"
