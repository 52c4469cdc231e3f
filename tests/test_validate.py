"""SHACL results are traced to file, line, record and field, and said in plain words."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib

from edugraph.build.shacl import validate_graph

from .conftest import POLICY, validate_whole

UNDATED = (
    "organisations:\n  - id: o\n    name: O\n    sources: [doc-1]\n"
    "people:\n  - id: p\n    name: P\n    sources: [doc-1]\n    positions:\n"
    "      - organisation: o\n"
    "events:\n  - id: x\n    name: X\n    sources: [doc-1]\n"
)


def test_the_policy_dataset_conforms() -> None:
    report = validate_whole(POLICY)
    assert report.conforms, report.to_text()
    assert report.findings == []


def test_results_point_at_yaml(write_yaml) -> None:
    write_yaml("r.yaml", UNDATED)
    report = validate_whole(Path("data"))
    assert not report.conforms
    assert [f.format() for f in report.findings] == [
        "data/r.yaml:10: violation: person 'p', positions #1 has no title (field 'title')",
        "data/r.yaml:12: violation: event 'x' has no start date, and no note saying why (field 'start')",
    ]


def test_a_note_excuses_a_missing_date(write_yaml) -> None:
    write_yaml("r.yaml", "events:\n  - id: x\n    name: X\n    sources: [doc-1]\n"
                         "    note: The source gives no date.\n")
    assert validate_whole(Path("data")).conforms


def test_json_report(write_yaml) -> None:
    write_yaml("r.yaml", UNDATED)
    document = json.loads(validate_whole(Path("data")).to_json())
    assert document["conforms"] is False
    assert document["results"][1] == {
        "severity": "violation", "file": "data/r.yaml", "line": 12, "record": "event 'x'",
        "field": "start", "message": "has no start date, and no note saying why",
        "focus": "https://w3id.org/edugraph/id/event/x",
        "shape": "https://w3id.org/edugraph/shapes#EventDateShape",
        "component": "OrConstraintComponent",
    }


def test_graph_from_elsewhere_is_reported_by_iri() -> None:
    graph = rdflib.Graph().parse(data="""
        @prefix eg: <https://w3id.org/edugraph/ontology#> .
        @prefix schema: <https://schema.org/> .
        <https://w3id.org/edugraph/id/person/Bad_Id> a eg:Person ;
            schema:name "A" , "B" .
    """, format="turtle")
    lines = [f.format() for f in validate_graph(graph).findings]
    assert sorted(lines) == [
        "violation: person:Bad_Id has an IRI that does not follow the edugraph pattern (field 'id')",
        "violation: person:Bad_Id has more than one name (field 'name')",
        "violation: person:Bad_Id has no source (field 'sources')",
    ]
