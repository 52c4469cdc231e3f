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


_S = "https://schema.org/"
_PICKS = {
    "iri": [ox.NamedNode("https://w3id.org/edugraph/id/organisation/unesco"),
            ox.NamedNode("https://w3id.org/edugraph/concept/participation-role/organiser"),
            ox.NamedNode("https://example.org/a(path)?q=1"), ox.NamedNode("https://example.org/x.")],
    "literal": [ox.Literal("Name"), ox.Literal('quote " and \\ back'), ox.Literal("line\nbreak"),
                ox.Literal("Имя", language="ru"), ox.Literal("text", language="en"),
                ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                ox.Literal("07", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
                ox.Literal("2021-10-13", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))],
}
# Predicates with a term of each kind in the context (plain, @language, @type @id with @set, a
# datatype), one without a term, and rdf:type.
_PREDICATES = [f"{_S}name", f"{_S}description", f"{_S}location", f"{_S}url",
               "https://w3id.org/edugraph/ontology#ordinal", "http://www.w3.org/2004/02/skos/core#altLabel",
               "https://example.org/unknown", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]


def test_subject_blocks_write_what_the_writers_write_of_each_subject() -> None:
    """Blocks made with each (predicate, object) pair worked out once are the Turtle and JSON-LD
    documents of the same triples, whatever fits the context's terms and whatever repeats."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from edugraph.build.writers import framed, subject_blocks, to_jsonld, to_turtle

    subjects = st.sampled_from([f"https://w3id.org/edugraph/id/person/p{i}" for i in range(4)])
    objects = st.sampled_from(_PICKS["iri"] + _PICKS["literal"])
    triple = st.builds(lambda s, p, o: ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o),
                       subjects, st.sampled_from(_PREDICATES), objects)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(triple, min_size=1, max_size=40))
    def check(triples: list[ox.Triple]) -> None:
        ordered = sorted({str(t): t for t in triples}.items())
        whole = [t for _, t in ordered]
        blocks = list(subject_blocks(triples))
        assert [b[0] for b in blocks] == sorted({f"<{t.subject.value}>" for t in whole})
        assert b"".join(framed("ttl", (b[2].encode() for b in blocks))) == to_turtle(whole)
        assert b"".join(framed("jsonld", (b[3].encode() for b in blocks))) == to_jsonld(whole)
        assert "".join(b[1] for b in blocks) == "".join(f"{key} .\n" for key, _ in ordered)

    check()
