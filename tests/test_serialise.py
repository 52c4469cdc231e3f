"""Exports: byte-identical across builds, and each one means the same graph to rdflib and Oxigraph."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from edugraph.build.pipeline import build
from edugraph.build.writers import serialise
from edugraph.files import write_atomic
from edugraph.formats import EXPORT_FORMATS as FORMATS
from edugraph.vocab.ontology import context
from edugraph.vocab.terms import to_rdflib

from .conftest import POLICY, compile_whole

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "nq": "nquads", "trig": "trig",
                  "xml": "xml"}
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD, "nq": ox.RdfFormat.N_QUADS,
              "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def compiled():
    return compile_whole(POLICY)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(POLICY, tmp_path / "a")
    build(POLICY, tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir() if not p.name.startswith("."))
    assert names == ["edugraph.jsonld", "edugraph.nt", "edugraph.ttl", "void.ttl"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_through_rdflib_and_oxigraph(compiled, fmt: str) -> None:
    expected = to_rdflib(compiled.triples)
    data = serialise(compiled.triples, fmt)
    by_rdflib = rdflib.Dataset() if fmt in ("nq", "trig") else rdflib.Graph()
    by_rdflib.parse(data=data, format=RDFLIB_FORMATS[fmt])
    if isinstance(by_rdflib, rdflib.Dataset):
        by_rdflib = rdflib.Graph() + by_rdflib.default_graph  # type: ignore[assignment]
    assert isomorphic(by_rdflib, expected)
    by_oxigraph = to_rdflib(ox.parse(data, format=OX_FORMATS[fmt]))
    assert isomorphic(by_oxigraph, expected)
    assert len(by_oxigraph) == len(compiled.triples)


def test_ntriples_are_sorted_lines(compiled) -> None:
    lines = serialise(compiled.triples, "nt").decode().splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(set(lines)) == len(compiled.triples)


def test_jsonld_is_compacted_with_the_project_context(compiled) -> None:
    document = json.loads(serialise(compiled.triples, "jsonld"))
    assert document["@context"] == context()
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert nodes["person:zhang-minxuan"] == {
        "@id": "person:zhang-minxuan",
        "@type": ["eg:Person", "schema:Person"],
        "honorificPrefix": ["Prof.", "Professor"],
        "name": "Zhang Minxuan",
        "wasDerivedFrom": ["source:src-000", "source:src-004"],
    }


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_atomic(target, object())  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]
