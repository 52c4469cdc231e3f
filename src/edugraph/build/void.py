"""``dist/void.ttl``: a VoID and DCAT description of the built dataset.

Counts come from the triples the exports hold, the vocabulary terms used included (triples,
entities, entities per class, properties); it names the shapes the exports conform to and the
ontology; the vocabularies come from the namespaces of the classes and properties used, the sources from the source
records. Nothing in it depends on the clock, so it is as byte-stable as the exports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from edugraph import __version__
from edugraph.build.compile import Compiled
from edugraph.build.writers import sort_triples
from edugraph.formats import EXPORT_FORMATS
from edugraph.model.kinds import PREFIXES, SOURCE
from edugraph.project import DEFAULT_LICENSE, DEFAULT_TITLE
from edugraph.vocab.namespaces import (
    DCAT,
    DCTERMS,
    FOAF,
    ID,
    ONTOLOGY_IRI,
    OWL,
    RDF_TYPE,
    RDFS,
    SHAPES_IRI,
    VOID,
    XSD,
    dataset_iri,
    record_iri,
)


@dataclass(frozen=True, slots=True)
class About:
    """What the description says of the dataset besides its counts (a project's ``title``,
    ``license`` and ``publisher``)."""

    title: str = DEFAULT_TITLE
    license: str = DEFAULT_LICENSE
    publisher: str | None = None


def _vocabularies() -> list[str]:
    """The vocabularies' namespaces (not the instance data's nor the concept schemes')."""
    return sorted({ns for ns in PREFIXES.values() if not ns.startswith(str(ID)) and "/concept/" not in ns},
                  key=len, reverse=True)


@dataclass(slots=True)
class Counts:
    """What the description counts."""

    triples: int
    records: int
    subjects: int
    properties: Counter[str]
    classes: Counter[str]
    """Class -> how many subjects have it."""
    sources: list[str]
    """Ids of the source records, sorted."""

    @classmethod
    def of_units(cls, compiled: Compiled) -> Counts:
        properties: Counter[str] = Counter()
        classes: Counter[str] = Counter()
        # The exports carry the vocabulary terms the data uses: they are counted as what they hold.
        units = [*compiled.units, *([compiled.terms] if compiled.terms is not None else [])]
        for u in units:
            properties.update(u.properties)
            classes.update(u.classes)
        return cls(sum(u.triples for u in units), compiled.records, sum(len(u.keys) for u in units),
                   properties, classes, sorted(i for i, k in compiled.kinds.items() if k == SOURCE))


def describe(counts: Counts, formats: Sequence[str], stem: str, about: About = About()) -> bytes:
    """The description as Turtle, naming the distributions ``stem.<extension>`` of ``formats``."""
    prefixes = {"void": str(VOID), "dcat": str(DCAT), "dcterms": str(DCTERMS), "owl": str(OWL),
                "rdfs": str(RDFS), "xsd": str(XSD), SOURCE: f"{ID}{SOURCE}/",
                "classpartition": f"{dataset_iri()}/class/", "propertypartition": f"{dataset_iri()}/property/",
                "distribution": f"{dataset_iri()}/distribution/", **{p: PREFIXES[p] for p in ("eg", "org", "prov",
                                                                         "schema", "skos")}}
    if about.publisher is not None:  # only then: the same data gives the same bytes as before
        prefixes["foaf"] = str(FOAF)
    return ox.serialize(sort_triples(description(counts, formats, stem, about)), format=ox.RdfFormat.TURTLE,
                        prefixes=prefixes)


def description(counts: Counts, formats: Sequence[str], stem: str, about: About = About()) -> list[ox.Triple]:
    """The description's triples."""
    base = dataset_iri()
    dataset = ox.NamedNode(base)
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD.integer))

    classes, properties = counts.classes, counts.properties
    add(dataset, RDF_TYPE, ox.NamedNode(VOID.Dataset))
    add(dataset, RDF_TYPE, ox.NamedNode(DCAT.Dataset))
    add(dataset, DCTERMS.title, ox.Literal(about.title, language="en"))
    add(dataset, DCTERMS.license, ox.NamedNode(about.license))
    if about.publisher is not None:
        publisher = ox.NamedNode(f"{base}/publisher")
        add(dataset, DCTERMS.publisher, publisher)
        add(publisher, RDF_TYPE, ox.NamedNode(FOAF.Agent))
        add(publisher, FOAF.name, ox.Literal(about.publisher))
    add(dataset, DCAT.version, ox.Literal(__version__))
    add(dataset, OWL.versionInfo, ox.Literal(__version__))
    add(dataset, VOID.uriSpace, ox.Literal(str(ID)))
    # dcterms:conformsTo is DCAT's "standard to which the resource conforms": the shapes, which
    # the exports satisfy on their own; void:vocabulary takes namespaces (listed below), so the
    # ontology, the document defining the classes and concepts, is named by rdfs:seeAlso.
    add(dataset, DCTERMS.conformsTo, ox.NamedNode(SHAPES_IRI))
    add(dataset, RDFS.seeAlso, ox.NamedNode(ONTOLOGY_IRI))
    add(dataset, VOID.triples, integer(counts.triples))
    add(dataset, VOID.entities, integer(counts.records))
    add(dataset, VOID.distinctSubjects, integer(counts.subjects))
    add(dataset, VOID.properties, integer(len(properties)))
    add(dataset, VOID.classes, integer(len(classes)))
    used = set(properties) | set(classes)
    for ns in _vocabularies():
        if any(iri.startswith(ns) for iri in used):
            add(dataset, VOID.vocabulary, ox.NamedNode(ns))
    for source in counts.sources:
        add(dataset, DCTERMS.source, ox.NamedNode(record_iri(SOURCE, source)))
    for cls, subjects in sorted(classes.items()):
        partition = ox.NamedNode(f"{dataset_iri()}/class/{_slug(cls)}")
        add(dataset, VOID.classPartition, partition)
        add(partition, VOID["class"], ox.NamedNode(cls))
        add(partition, VOID.entities, integer(subjects))
    for prop, count in sorted(properties.items()):
        partition = ox.NamedNode(f"{dataset_iri()}/property/{_slug(prop)}")
        add(dataset, VOID.propertyPartition, partition)
        add(partition, VOID.property, ox.NamedNode(prop))
        add(partition, VOID.triples, integer(count))
    for fmt in formats:
        extension, media_type = EXPORT_FORMATS[fmt]
        distribution = ox.NamedNode(f"{dataset_iri()}/distribution/{fmt}")
        add(dataset, DCAT.distribution, distribution)
        add(distribution, RDF_TYPE, ox.NamedNode(DCAT.Distribution))
        add(distribution, DCTERMS.title, ox.Literal(f"{stem}.{extension}"))
        add(distribution, DCAT.mediaType, ox.Literal(media_type))
        add(distribution, DCTERMS.license, ox.NamedNode(about.license))
    add(dataset, RDFS.comment, ox.Literal(
        "Every statement cites its source document with prov:wasDerivedFrom; the TriG and N-Quads "
        "exports hold each source's statements in a named graph named after the source. Every export "
        "carries the vocabulary terms the data uses (type, scheme, preferred label), so it conforms "
        "to the shapes with no other file.", language="en"))
    return out


def _slug(iri: str) -> str:
    found = PREFIXES.split(iri)
    return f"{found[0]}-{found[1]}" if found else iri.rsplit("/", 1)[-1].replace("#", "-")
