"""The exports stand alone: they carry the vocabulary terms the data uses (each concept's types,
scheme and preferred label, and its scheme's type and label), so that they conform to
``ontology/shapes.ttl`` with no other file, in pySHACL and in rudof (an independent engine);
``void.ttl`` names the shapes and the ontology; ``validate --graph`` validates a file alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pyrudof
import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic

from edugraph.build.pipeline import export
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import CONCEPT, DCTERMS, RDF_TYPE, RDFS, SKOS, dataset_iri

from .conftest import ROOT

SHAPES = ROOT / "ontology" / "shapes.ttl"


def _pyshacl_conforms(path: Path) -> tuple[bool, str]:
    data = rdflib.Graph().parse(path)
    conforms, _, text = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(SHAPES))
    return conforms, text


def _rudof_violations(path: Path) -> int:
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(path)
    rudof.read_shacl(SHAPES)
    report = rudof.validate_shacl()
    return 0 if report.conforms else len(report)


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled data (``data/``), with the working directory at tmp_path."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("dataset", ["bundled", "provenance_project"])
@pytest.mark.parametrize("extension", ["ttl", "jsonld", "nt"])
def test_the_export_conforms_to_the_shapes_alone_in_two_engines(
        dataset: str, extension: str, cli, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue(dataset)
    assert cli("build", "--quiet").exit_code == 0
    path = Path("dist") / f"edugraph.{extension}"
    conforms, text = _pyshacl_conforms(path)
    assert conforms, text
    if extension != "jsonld":  # rudof reads no JSON-LD
        assert _rudof_violations(path) == 0


def test_an_export_without_its_terms_does_not_conform(provenance_project: Path, cli) -> None:
    """The terms are what makes the export conform: without them, both engines find the
    violations the issue found."""
    assert cli("build", "--quiet").exit_code == 0
    kept = [t for t in ox.parse(path="dist/edugraph.nt", format=ox.RdfFormat.N_TRIPLES)
            if not t.subject.value.startswith(str(CONCEPT))]
    Path("bare.nt").write_bytes(ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES))
    assert not _pyshacl_conforms(Path("bare.nt"))[0]
    assert _rudof_violations(Path("bare.nt")) > 0
    result = cli("validate", "--graph", "bare.nt")
    assert result.exit_code == 1
    assert result.stderr == "validated bare.nt alone, against the shapes (no ontology added)\n"


def test_the_export_carries_exactly_the_terms_the_data_uses(provenance_project: Path) -> None:
    data = Path("data")
    triples = list(ox.parse(export(data, "nt"), format=ox.RdfFormat.N_TRIPLES))
    used = {t.object.value for t in triples if t.object.value in ontology.concept_iris()}
    assert used
    concepts = {t.subject.value for t in triples if t.subject.value in ontology.concept_iris()}
    assert concepts == used
    whole = ontology.triples()
    for concept in used:
        mine = {(t.predicate.value, t.object) for t in triples if t.subject.value == concept}
        theirs = {(t.predicate.value, t.object) for t in whole if t.subject.value == concept
                  and t.predicate.value in (RDF_TYPE, SKOS.inScheme, SKOS.prefLabel)}
        assert mine == theirs and (RDF_TYPE, ox.NamedNode(SKOS.Concept)) in mine
    schemes = {t.object.value for t in triples if t.predicate.value == SKOS.inScheme}
    for scheme in schemes:
        mine = {(t.predicate.value, t.object) for t in triples if t.subject.value == scheme}
        assert (RDF_TYPE, ox.NamedNode(SKOS.ConceptScheme)) in mine
        assert any(p == SKOS.prefLabel for p, _ in mine)
    # A role the ontology calls a prov:Role is one in the export too.
    roles = {t.subject.value for t in whole if t.predicate.value == RDF_TYPE
             and t.object.value == "http://www.w3.org/ns/prov#Role"}
    assert roles & used
    lines = {str(t) for t in triples}
    assert all(f"<{r}> <{RDF_TYPE}> <http://www.w3.org/ns/prov#Role>" in lines for r in roles & used)


def test_every_export_format_carries_the_same_terms(provenance_project: Path) -> None:
    data = Path("data")
    expected = rdflib.Graph().parse(data=export(data, "nt"), format="nt")
    for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld"), ("xml", "xml")):
        assert isomorphic(rdflib.Graph().parse(data=export(data, fmt), format=parser), expected), fmt
    terms = {t for t in expected if str(t[0]).startswith(str(CONCEPT))}
    for fmt, parser in (("trig", "trig"), ("nq", "nquads")):
        dataset = rdflib.Dataset()
        dataset.parse(data=export(data, fmt), format=parser)
        assert set(dataset.default_graph) == terms, fmt  # the terms sit in the default graph


def test_void_names_the_shapes_and_the_ontology(provenance_project: Path, cli) -> None:
    assert cli("build", "--quiet").exit_code == 0
    void = {(t.predicate.value, t.object.value) for t in ox.parse(path="dist/void.ttl", format=ox.RdfFormat.TURTLE)
            if t.subject.value == dataset_iri()}
    assert (DCTERMS.conformsTo, "https://w3id.org/edugraph/shapes") in void
    assert (RDFS.seeAlso, "https://w3id.org/edugraph/ontology") in void
    triples = len(Path("dist/edugraph.nt").read_text(encoding="utf-8").splitlines())
    assert ("http://rdfs.org/ns/void#triples", str(triples)) in void


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_validate_graph_says_it_validates_the_file_alone(provenance_project: Path, cli, engine: str) -> None:
    assert cli("build", "--quiet").exit_code == 0
    result = cli("validate", "--graph", "dist/edugraph.ttl", "--engine", engine)
    assert result.exit_code == 0
    assert result.stdout == "conforms: no SHACL results\n"
    assert result.stderr == "validated dist/edugraph.ttl alone, against the shapes (no ontology added)\n"
