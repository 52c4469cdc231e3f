"""The mapping gives exactly the triples the design prescribes (golden test, compared as graphs)."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from edugraph.vocab.terms import to_rdflib

from .conftest import POLICY, SMALL, compile_whole


def test_small_fixture_gives_the_expected_graph(small_data: Path) -> None:
    compiled = compile_whole(small_data)
    actual = to_rdflib(compiled.triples)
    expected = rdflib.Graph().parse(SMALL / "expected.ttl", format="turtle")
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
    write_yaml("s2.yaml", "sources:\n  - id: doc-2\n    name: Doc 2\n    file: doc-2.txt\n")
    write_yaml("p.yaml", "organisations:\n  - id: o\n    name: O\n    sources: [doc-1]\n"
                         "people:\n  - id: p\n    name: P\n    sources: [doc-1]\n    positions:\n"
                         "      - organisation: o\n        title: Dean\n        sources: [doc-2]\n")
    graph = to_rdflib(compile_whole(Path("data")).triples)
    position = rdflib.URIRef("https://w3id.org/edugraph/id/position/p--o--1")
    derived = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert set(graph.objects(position, derived)) == {
        rdflib.URIRef("https://w3id.org/edugraph/id/source/doc-2")}
