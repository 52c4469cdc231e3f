"""The mapping gives exactly the triples the design prescribes (golden test, compared as graphs)."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from edugraph.vocab.terms import to_rdflib

from .conftest import POLICY, PROVENANCE, SMALL, compile_whole

ID = "https://w3id.org/edugraph/id/"


def test_small_fixture_gives_the_expected_graph(small_data: Path) -> None:
    compiled = compile_whole(small_data)
    actual = to_rdflib(compiled.triples)
    expected = rdflib.Graph().parse(SMALL / "expected.ttl", format="turtle")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        raise AssertionError(
            "unexpected:\n" + only_actual.serialize(format="nt")
            + "\nmissing:\n" + only_expected.serialize(format="nt"))


def test_provenance_fixture_gives_the_expected_graph() -> None:
    actual = to_rdflib(compile_whole(PROVENANCE).triples)
    expected = rdflib.Graph().parse(PROVENANCE.parent / "expected.ttl", format="turtle")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        raise AssertionError(
            "unexpected:\n" + only_actual.serialize(format="nt")
            + "\nmissing:\n" + only_expected.serialize(format="nt"))


def test_no_blank_nodes_and_every_node_cites_a_source() -> None:
    compiled = compile_whole(POLICY)
    graph = to_rdflib(compiled.triples)
    assert not any(isinstance(term, rdflib.BNode) for triple in graph for term in triple)
    derived = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    source_class = rdflib.URIRef("https://w3id.org/edugraph/ontology#SourceDocument")
    for iri, item in compiled.mapped.origins.items():
        if item.kind == "source":
            assert (rdflib.URIRef(iri), rdflib.RDF.type, source_class) in graph
        else:
            assert graph.value(rdflib.URIRef(iri), derived) is not None, iri


def test_positions_at_the_same_organisation_are_numbered(write_yaml) -> None:
    write_yaml("p.yaml", "organisations:\n  - id: o\n    name: O\n    sources: [doc-1]\n"
                         "people:\n  - id: p\n    name: P\n    sources: [doc-1]\n    positions:\n"
                         "      - organisation: o\n        title: Dean\n"
                         "      - organisation: o\n        title: Rector\n")
    compiled = compile_whole(Path("data"))
    positions = sorted(iri for iri, item in compiled.mapped.origins.items() if item.kind == "position")
    assert positions == ["https://w3id.org/edugraph/id/position/p--o--1",
                         "https://w3id.org/edugraph/id/position/p--o--2"]


def test_relationship_sources_override_the_records(write_yaml) -> None:
    """In a record citing two sources, a relationship is derived from the ones it names; in a
    record citing one, from that one. The record is derived from all of its own."""
    write_yaml("s2.yaml", "sources:\n  - id: doc-2\n    name: Doc 2\n    file: doc-2.txt\n")
    write_yaml("p.yaml", "organisations:\n  - id: o\n    name: O\n    sources: [doc-1]\n"
                         "people:\n  - id: p\n    name: P\n    sources: [doc-1, doc-2]\n    positions:\n"
                         "      - organisation: o\n        title: Dean\n        sources: [doc-2]\n"
                         "  - id: q\n    name: Q\n    sources: [doc-1]\n    positions:\n"
                         "      - organisation: o\n        title: Rector\n")
    graph = to_rdflib(compile_whole(Path("data")).triples)
    derived = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    found = {str(s).removeprefix(ID): {str(o).removeprefix(ID) for o in graph.objects(s, derived)}
             for s in set(graph.subjects(derived, None))}
    assert found == {"organisation/o": {"source/doc-1"}, "person/p": {"source/doc-1", "source/doc-2"},
                     "person/q": {"source/doc-1"}, "position/p--o--1": {"source/doc-2"},
                     "position/q--o--1": {"source/doc-1"}}


def test_values_with_sources_of_their_own_are_reified() -> None:
    """A value only some of its record's (or relationship's) sources state gets an rdf:Statement
    derived from those; every other value is derived from all of the node's sources."""
    graph = to_rdflib(compile_whole(PROVENANCE).triples)
    statement = rdflib.URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement")
    reified = rdflib.Graph()
    for node in graph.subjects(rdflib.RDF.type, statement):
        for p, o in graph.predicate_objects(node):
            reified.add((node, p, o))
    expected = rdflib.Graph().parse(data=f"""
        @prefix eg: <https://w3id.org/edugraph/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix schema: <https://schema.org/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{ID}statement/harbour-university--aliases--0e34aa23e7ea> a rdf:Statement ;
            rdf:subject <{ID}organisation/harbour-university> ; rdf:predicate skos:altLabel ;
            rdf:object "Harbour Uni" ; prov:wasDerivedFrom <{ID}source/src-b> .
        <{ID}statement/harbour-forum-2024--start--80e510627b09> a rdf:Statement ;
            rdf:subject <{ID}event/harbour-forum-2024> ; rdf:predicate schema:startDate ;
            rdf:object "2024-05-10"^^xsd:date ; prov:wasDerivedFrom <{ID}source/src-a> .
        <{ID}statement/lena-park--title--842b7401d7d2> a rdf:Statement ;
            rdf:subject <{ID}position/lena-park--harbour-faculty-of-education--1> ; rdf:predicate eg:title ;
            rdf:object "Dean" ; prov:wasDerivedFrom <{ID}source/src-a> .
        """, format="turtle")
    assert isomorphic(reified, expected)
    # the statements themselves are in the graph, as any other value
    for s, p, o in expected.triples((None, rdflib.RDF.subject, None)):
        assert (o, expected.value(s, rdflib.RDF.predicate), expected.value(s, rdflib.RDF.object)) in graph
