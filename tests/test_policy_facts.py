"""The policy dataset (tests/fixtures/policy, the bundled records frozen): what each source
contributes, a sample of facts as exact triples, and one node per real-world entity.

Exact values belong here, on a copy no curator edits; test_dataset.py checks the bundled data/
against the rules that stay true as it grows."""

from __future__ import annotations

from collections import Counter

import pytest
import rdflib
from rdflib import Literal, URIRef

from edugraph.vocab.terms import to_rdflib

from .conftest import POLICY, compile_whole

ID = "https://w3id.org/edugraph/id/"
SCHEMA = rdflib.Namespace("https://schema.org/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
EG = rdflib.Namespace("https://w3id.org/edugraph/ontology#")
CONCEPT = "https://w3id.org/edugraph/concept/"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")


def i(path: str) -> URIRef:
    return URIRef(ID + path)


def c(path: str) -> URIRef:
    return URIRef(CONCEPT + path)


@pytest.fixture(scope="module")
def compiled():
    return compile_whole(POLICY)


@pytest.fixture(scope="module")
def graph(compiled) -> rdflib.Graph:
    return to_rdflib(compiled.triples)


def test_records_citing_each_source(compiled) -> None:
    counts = Counter(s for r in compiled.dataset.records for s in r.values.get("sources", []))
    assert dict(counts) == {"src-000": 32, "src-001": 20, "src-002": 18, "src-003": 18, "src-004": 40}


def test_records_per_kind(compiled) -> None:
    assert Counter(r.kind for r in compiled.dataset.records) == {
        "organisation": 38, "topic": 19, "person": 16, "place": 15, "initiative": 14, "event": 10,
        "source": 5}


def src(n: int) -> URIRef:
    return i(f"source/src-00{n}")


# Each fact: the source it comes from, and the exact triples that state it.
FACTS: dict[str, tuple[int, list[tuple[URIRef, URIRef, rdflib.term.Node]]]] = {
    "the programme opened on 2 July 2025 in Shanghai": (0, [
        (i("event/tec-nu-leaders-training-program-2025"), SCHEMA.startDate, Literal("2025-07-02", datatype=XSD.date)),
        (i("event/tec-nu-leaders-training-program-2025"), SCHEMA.location, i("place/shanghai")),
    ]),
    "UNESCO TEC and Nazarbayev University co-hosted it": (0, [
        (i("event/tec-nu-leaders-training-program-2025"), PROV.qualifiedAssociation,
         i("participation/tec-nu-leaders-training-program-2025--unesco-tec--host")),
        (i("participation/tec-nu-leaders-training-program-2025--unesco-tec--host"), PROV.agent, i("organisation/unesco-tec")),
        (i("participation/tec-nu-leaders-training-program-2025--nazarbayev-university--host"), PROV.hadRole,
         c("participation-role/host")),
    ]),
    "25 officials, experts and scholars from Kazakhstan took part": (0, [
        (i("event/tec-nu-leaders-training-program-2025"), EG.statedCount, i("count/tec-nu-leaders-training-program-2025--participants")),
        (i("count/tec-nu-leaders-training-program-2025--participants"), SCHEMA.value, Literal(25)),
        (i("count/tec-nu-leaders-training-program-2025--participants"), PROV.wasDerivedFrom, src(0)),
    ]),
    "Ning Bo chaired the opening ceremony": (0, [
        (i("participation/tec-nu-leaders-training-program-2025-opening-ceremony--ning-bo--chair"), PROV.agent, i("person/ning-bo")),
        (i("event/tec-nu-leaders-training-program-2025-opening-ceremony"), SCHEMA.superEvent,
         i("event/tec-nu-leaders-training-program-2025")),
    ]),
    "Ning Bo is Vice Dean of the College of Education at SHNU": (0, [
        (i("position/ning-bo--shnu-college-of-education--1"), ORG.member, i("person/ning-bo")),
        (i("position/ning-bo--shnu-college-of-education--1"), EG.title, Literal("Vice Dean")),
        (i("organisation/shnu-college-of-education"), ORG.subOrganizationOf, i("organisation/shanghai-normal-university")),
    ]),
    "Guo Jing is Deputy Director (on secondment) of UNESCO TEC": (0, [
        (i("position/guo-jing--unesco-tec--1"), EG.title, Literal("Deputy Director (on secondment)")),
    ]),
    "Zhang Minxuan gave the keynote with nine trends": (0, [
        (i("participation/zhang-minxuan-keynote-global-trends-2025--zhang-minxuan--keynote"), PROV.hadRole,
         c("participation-role/keynote")),
        (i("count/zhang-minxuan-keynote-global-trends-2025--trends"), SCHEMA.value, Literal(9)),
    ]),
    "about 2150 professors from 42 universities and principals from 50 rural schools": (1, [
        (i("count/ite-model-implementation-project--professors"), SCHEMA.value, Literal(2150)),
        (i("count/ite-model-implementation-project--professors"), EG.approximate, Literal(True)),
        (i("count/ite-model-implementation-project--universities"), SCHEMA.value, Literal(42)),
        (i("count/ite-model-implementation-project--rural-school-principals"), SCHEMA.value, Literal(50)),
    ]),
    "the World Bank supports the ITE project": (1, [
        (i("involvement/ite-model-implementation-project--world-bank--supporter"), PROV.agent, i("organisation/world-bank")),
        (i("involvement/ite-model-implementation-project--world-bank--supporter"), PROV.wasDerivedFrom, src(1)),
    ]),
    "Aida Sagintayeva is vice head of the project and dean of the NU GSE": (1, [
        (i("involvement/ite-model-implementation-project--aida-sagintayeva--lead"), EG.title,
         Literal("vice head of the project")),
        (i("position/aida-sagintayeva--nu-graduate-school-of-education--1"), EG.title, Literal("dean")),
    ]),
    "Serik Nurkenov is a professor at AIU": (1, [
        (i("position/serik-nurkenov--astana-international-university--1"), ORG.organization,
         i("organisation/astana-international-university")),
        (i("organisation/astana-international-university"), SKOS.altLabel, Literal("AIU")),
    ]),
    "the UNESCO Almaty Regional Office implements the teacher-leadership project": (2, [
        (i("involvement/teacher-leadership-project--unesco-almaty-regional-office--implementer"), PROV.hadRole,
         c("involvement-role/implementer")),
    ]),
    "the National Commission supports it": (2, [
        (i("involvement/teacher-leadership-project--kazakhstan-national-commission-for-unesco--supporter"), PROV.agent,
         i("organisation/kazakhstan-national-commission-for-unesco")),
    ]),
    "network events in Almaty and Mangystau oblasts": (2, [
        (i("event/teacher-leadership-network-events-2024"), SCHEMA.location, i("place/almaty-region")),
        (i("event/teacher-leadership-network-events-2024"), SCHEMA.location, i("place/mangystau-region")),
        (i("place/mangystau-region"), SCHEMA.containedInPlace, i("place/kazakhstan")),
    ]),
    "World Teachers' Day 2024 theme": (2, [
        (i("event/world-teachers-day-2024"), EG.theme,
         Literal("Valuing Teachers' Voices: Towards a New Social Contract for Education")),
    ]),
    "Zhauhar Omarbek teaches Sciences in Zharmukhambet": (2, [
        (i("position/zhauhar-omarbek--zharmukhambet-village-secondary-school--1"), EG.title,
         Literal("Sciences subject teacher")),
    ]),
    "the validation workshop: online, 26 May 2022, 17:00-19:00 GMT+6": (3, [
        (i("event/central-asian-symposium-validation-workshop-2022"), SCHEMA.startDate,
         Literal("2022-05-26T17:00:00+06:00", datatype=XSD.dateTime)),
        (i("event/central-asian-symposium-validation-workshop-2022"), SCHEMA.endDate,
         Literal("2022-05-26T19:00:00+06:00", datatype=XSD.dateTime)),
        (i("event/central-asian-symposium-validation-workshop-2022"), SCHEMA.eventAttendanceMode,
         SCHEMA.OnlineEventAttendanceMode),
    ]),
    "it is the second workshop of the series, under Skilled Teachers - Skilled Nation": (3, [
        (i("event/central-asian-symposium-validation-workshop-2022"), EG.ordinal, Literal(2)),
        (i("event/central-asian-symposium-validation-workshop-2022"), DCT.isPartOf,
         i("initiative/central-asia-teacher-workshop-series")),
        (i("initiative/central-asia-teacher-workshop-series"), DCT.isPartOf, i("initiative/skilled-teachers-skilled-nation")),
    ]),
    "an event took place on 13 October 2021": (3, [
        (i("event/skilled-teachers-event-2021-10-13"), SCHEMA.startDate, Literal("2021-10-13", datatype=XSD.date)),
    ]),
    "the Kyrgyz ministry is a partner of the regional report": (3, [
        (i("involvement/central-asia-teacher-policies-report--kyrgyzstan-ministry-of-education--partner"), PROV.hadRole,
         c("involvement-role/partner")),
    ]),
    "the 8th meeting of Category II centres, 10 November 2024, Shanghai": (4, [
        (i("event/category-ii-centres-meeting-8"), EG.ordinal, Literal(8)),
        (i("event/category-ii-centres-meeting-8"), SCHEMA.startDate, Literal("2024-11-10", datatype=XSD.date)),
        (i("event/category-ii-centres-meeting-8"), EG.theme, Literal("Together, We Can Make a Change")),
        (i("place/shanghai"), SCHEMA.containedInPlace, i("place/china")),
    ]),
    "hosted by UNESCO-TEC, attended by UNESCO-ICHEI": (4, [
        (i("participation/category-ii-centres-meeting-8--unesco-tec--host"), PROV.wasDerivedFrom, src(4)),
        (i("participation/category-ii-centres-meeting-8--unesco-ichei--attendee"), PROV.agent, i("organisation/unesco-ichei")),
    ]),
    "Carlos VARGAS is Chief of the Section for Teacher Development": (4, [
        (i("position/carlos-vargas--unesco-section-for-teacher-development--1"), EG.title, Literal("Chief")),
        (i("organisation/unesco-section-for-teacher-development"), ORG.subOrganizationOf,
         i("organisation/unesco-headquarters")),
    ]),
    "the Seychelles centre": (4, [
        (i("organisation/iecd"), SCHEMA.location, i("place/seychelles")),
        (i("organisation/iecd"), DCT.type, c("organisation-type/unesco-category-2-centre")),
    ]),
    "GE Siying spoke online": (4, [
        (i("participation/category-ii-centres-meeting-8--ge-siying--speaker"), SKOS.editorialNote,
         Literal("Delivered opening remarks online.", lang="en")),
    ]),
}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_fact(graph: rdflib.Graph, fact: str) -> None:
    source, triples = FACTS[fact]
    for triple in triples:
        assert triple in graph, triple
        # Every subject of the fact cites the source the fact comes from.
        assert (triple[0], PROV.wasDerivedFrom, src(source)) in graph, triple[0]


def test_the_sample_covers_every_source() -> None:
    assert len(FACTS) >= 20
    assert {source for source, _ in FACTS.values()} == {0, 1, 2, 3, 4}


SHARED = {
    # entity IRI: (names used in different documents, sources)
    "organisation/unesco-tec": ({"UNESCO TEC", "UNESCO-TEC", "Teacher Education Centre under the auspices of UNESCO",
                                 "UNESCO Teacher Education Centre"}, {0, 4}),
    "person/zhang-minxuan": ({"Zhang Minxuan"}, {0, 4}),
    "organisation/nazarbayev-university": ({"Nazarbayev University", "NU"}, {0, 1}),
    "organisation/nu-graduate-school-of-education": ({"Graduate School of Education of Nazarbayev University",
                                                      "NU Graduate School of Education"}, {0, 1}),
    "organisation/world-bank": ({"World Bank"}, {1, 3}),
    "organisation/unesco": ({"UNESCO"}, {2, 3, 4}),
    "organisation/kazakhstan-ministry-of-education": ({"Ministry of Education of Kazakhstan"}, {0, 3}),
    "place/kazakhstan": ({"Kazakhstan", "Republic of Kazakhstan"}, {0, 1, 2, 3}),
    "topic/inclusion-in-education": ({"inclusion in education"}, {1, 4}),
}


@pytest.mark.parametrize("iri", sorted(SHARED))
def test_entities_in_several_documents_are_one_node(graph: rdflib.Graph, iri: str) -> None:
    names, sources = SHARED[iri]
    for name in names:
        holders = {s for p in (SCHEMA.name, SKOS.altLabel) for s in graph.subjects(p, Literal(name))}
        assert holders == {i(iri)}, name
    assert {src(n) for n in sources} <= set(graph.objects(i(iri), PROV.wasDerivedFrom))

