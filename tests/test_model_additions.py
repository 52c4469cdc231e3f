"""What the record model says beyond names and positions, as exact triples (compared as graphs):
participation and involvement dates, former posts, mixed attendance, unnamed people, bounded
counts, an organisation's founding, topics and ties, and a value with sources of its own."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from edugraph.vocab.terms import to_rdflib

from .conftest import compile_whole, validate_whole

RECORDS = """\
sources:
  - id: doc-2
    name: Doc 2
    file: doc-2.txt
organisations:
  - id: o
    name: O
    start: 1998
    topics: [t]
    relations:
      - organisation: n
        role: regional-partner
        start: 2020-04
        sources: [doc-2]
    sources: [doc-1, doc-2]
  - id: n
    name: N
    sources: [doc-2]
topics:
  - id: t
    name: T
    sources: [doc-1]
people:
  - id: vice-mayor
    mentioned_as: [Vice Shanghai Mayor]
    sources: [doc-1]
  - id: z
    name: Z
    aliases:
      - Zed
      - {value: Zee, sources: [doc-2]}
    positions:
      - organisation: o
        title: President
        former: true
        sources: [doc-1]
    sources: [doc-1, doc-2]
events:
  - id: e
    name: E
    start: 2024-11-10
    online: mixed
    participants:
      - agent: vice-mayor
        role: speaker
        start: 2024-11-10
    counts:
      - of: countries
        value: 20
        bound: at-least
    sources: [doc-1]
initiatives:
  - id: i
    name: I
    participants:
      - agent: n
        role: partner
        start: 2020-04
    sources: [doc-2]
"""

EXPECTED = """\
@prefix eg: <https://w3id.org/edugraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/edugraph/id/> .
@prefix role: <https://w3id.org/edugraph/concept/participation-role/> .
@prefix irole: <https://w3id.org/edugraph/concept/involvement-role/> .
@prefix tierole: <https://w3id.org/edugraph/concept/organisation-relation-role/> .

<https://w3id.org/edugraph/id/source/doc-1> a eg:SourceDocument , prov:Entity ;
    schema:name "Test document" ; dcterms:identifier "doc-1.txt" .
<https://w3id.org/edugraph/id/source/doc-2> a eg:SourceDocument , prov:Entity ;
    schema:name "Doc 2" ; dcterms:identifier "doc-2.txt" .

<https://w3id.org/edugraph/id/organisation/o> a eg:Organisation , org:Organization ;
    schema:name "O" ; schema:foundingDate "1998"^^xsd:gYear ;
    dcterms:subject <https://w3id.org/edugraph/id/topic/t> ;
    eg:qualifiedTie <https://w3id.org/edugraph/id/tie/o--n--regional-partner> ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> , <https://w3id.org/edugraph/id/source/doc-2> .
<https://w3id.org/edugraph/id/tie/o--n--regional-partner> a eg:OrganisationTie , schema:Role ;
    eg:tiedTo <https://w3id.org/edugraph/id/organisation/n> ;
    eg:tieRole tierole:regional-partner ;
    schema:startDate "2020-04"^^xsd:gYearMonth ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-2> .
<https://w3id.org/edugraph/id/organisation/n> a eg:Organisation , org:Organization ;
    schema:name "N" ; prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-2> .
<https://w3id.org/edugraph/id/topic/t> a eg:Topic , skos:Concept ;
    schema:name "T" ; prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> .

<https://w3id.org/edugraph/id/person/vice-mayor> a eg:Person , schema:Person ;
    skos:hiddenLabel "Vice Shanghai Mayor" ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> .
<https://w3id.org/edugraph/id/person/z> a eg:Person , schema:Person ;
    schema:name "Z" ; skos:altLabel "Zed" , "Zee" ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> , <https://w3id.org/edugraph/id/source/doc-2> .
<https://w3id.org/edugraph/id/statement/z--aliases--DIGEST> a rdf:Statement ;
    rdf:subject <https://w3id.org/edugraph/id/person/z> ;
    rdf:predicate skos:altLabel ;
    rdf:object "Zee" ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-2> .
<https://w3id.org/edugraph/id/position/z--o--1> a eg:Position , org:Membership ;
    org:member <https://w3id.org/edugraph/id/person/z> ;
    org:organization <https://w3id.org/edugraph/id/organisation/o> ;
    eg:title "President" ; eg:former true ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> .

<https://w3id.org/edugraph/id/event/e> a eg:Event , schema:Event ;
    schema:name "E" ; schema:startDate "2024-11-10"^^xsd:date ;
    schema:eventAttendanceMode schema:MixedEventAttendanceMode ;
    prov:qualifiedAssociation <https://w3id.org/edugraph/id/participation/e--vice-mayor--speaker> ;
    eg:statedCount <https://w3id.org/edugraph/id/count/e--countries> ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> .
<https://w3id.org/edugraph/id/participation/e--vice-mayor--speaker> a eg:Participation , prov:Association ;
    prov:agent <https://w3id.org/edugraph/id/person/vice-mayor> ;
    prov:hadRole role:speaker ;
    schema:startDate "2024-11-10"^^xsd:date ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> .
<https://w3id.org/edugraph/id/count/e--countries> a eg:StatedCount , schema:QuantitativeValue ;
    schema:unitText "countries" ; schema:minValue 20 ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-1> .

<https://w3id.org/edugraph/id/initiative/i> a eg:Initiative , prov:Activity ;
    schema:name "I" ;
    prov:qualifiedAssociation <https://w3id.org/edugraph/id/involvement/i--n--partner> ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-2> .
<https://w3id.org/edugraph/id/involvement/i--n--partner> a eg:Involvement , prov:Association ;
    prov:agent <https://w3id.org/edugraph/id/organisation/n> ;
    prov:hadRole irole:partner ;
    schema:startDate "2020-04"^^xsd:gYearMonth ;
    prov:wasDerivedFrom <https://w3id.org/edugraph/id/source/doc-2> .
"""


def test_the_additions_give_exactly_these_triples(write_yaml) -> None:
    write_yaml("r.yaml", RECORDS)
    compiled = compile_whole(Path("data"))
    actual = to_rdflib(compiled.triples)
    (statement,) = [iri for iri in compiled.mapped.origins if "/statement/" in iri]
    digest = statement.rsplit("--", 1)[1]
    assert len(digest) == 12 and set(digest) <= set("0123456789abcdef")
    expected = rdflib.Graph().parse(data=EXPECTED.replace("DIGEST", digest), format="turtle")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        raise AssertionError("unexpected:\n" + only_actual.serialize(format="nt")
                             + "\nmissing:\n" + only_expected.serialize(format="nt"))


def test_the_additions_conform_on_both_engines(write_yaml) -> None:
    write_yaml("r.yaml", RECORDS)
    for engine in ("turbo", "pyshacl"):
        report = validate_whole(Path("data"), engine)
        assert report.conforms, [r.format() for r in report.results]


def test_the_statement_iri_is_the_same_wherever_the_value_is_listed(write_yaml) -> None:
    write_yaml("r.yaml", RECORDS)
    first = [i for i in compile_whole(Path("data")).mapped.origins if "/statement/" in i]
    write_yaml("r.yaml", RECORDS.replace("      - Zed\n      - {value: Zee, sources: [doc-2]}\n",
                                         "      - {value: Zee, sources: [doc-2]}\n      - Zed\n"))
    assert [i for i in compile_whole(Path("data")).mapped.origins if "/statement/" in i] == first
