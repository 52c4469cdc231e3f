"""The fast SHACL engine (pyshacl-turbo) reports exactly what pySHACL reports: on the policy dataset,
on generated data, and on both with violations of every constraint of every shape injected."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from edugraph.build.shacl import validate_graph
from edugraph.vocab.ontology import SHAPES_FILE, ontology_path
from edugraph.vocab.terms import to_rdflib

from .conftest import POLICY, ROOT, compile_whole
from .test_model_additions import RECORDS as ADDITIONS

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDF = rdflib.RDF
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SHAPES = rdflib.Graph().parse(ontology_path(SHAPES_FILE), format="turtle")


def _bad_iri(n: int) -> URIRef:
    return URIRef(f"https://w3id.org/edugraph/id/unknown/Not_A_Slug_{n}")


def inject(graph: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``graph`` with one violation of every constraint of every shape."""
    g = rdflib.Graph() + graph
    counter = itertools.count()
    other = URIRef("https://w3id.org/edugraph/id/unknown/thing")
    g.add((other, RDF.type, URIRef("https://example.org/Other")))
    for shape in sorted(set(SHAPES.subjects(SH.targetClass, None))):
        cls = SHAPES.value(shape, SH.targetClass)
        focus = sorted(set(g.subjects(RDF.type, cls)))
        if not focus:
            continue
        # A node of the class whose IRI breaks the pattern.
        bad = _bad_iri(next(counter))
        g.add((bad, RDF.type, cls))
        for prop in SHAPES.objects(shape, SH.property):
            path = SHAPES.value(prop, SH.path)
            if isinstance(path, BNode):
                continue  # inverse paths: the bad node above already breaks their minCount
            target = focus[next(counter) % len(focus)]
            if SHAPES.value(prop, SH.minCount) is not None:
                g.remove((target, path, None))
                target = focus[next(counter) % len(focus)]
            if SHAPES.value(prop, SH.maxCount) is not None:
                g.add((target, path, Literal(f"extra {next(counter)}")))
                g.add((target, path, Literal(f"extra {next(counter)}")))
            if SHAPES.value(prop, SH.datatype) is not None or SHAPES.value(prop, SH["or"]) is not None:
                g.add((target, path, Literal(next(counter))))
            if SHAPES.value(prop, SH["class"]) is not None or SHAPES.value(prop, SH.nodeKind) is not None:
                g.add((target, path, other))
                g.add((target, path, Literal("not an IRI")))
            if SHAPES.value(prop, SH.pattern) is not None:
                g.add((target, path, URIRef("https://example.org/not-in-the-scheme")))
            if SHAPES.value(prop, SH["in"]) is not None:
                g.add((target, path, URIRef("https://example.org/not-allowed")))
            if SHAPES.value(prop, SH.minInclusive) is not None:
                g.add((target, path, Literal(-1)))
        if SHAPES.value(shape, SH["or"]) is not None:  # the event date rule
            g.remove((focus[0], URIRef("https://schema.org/startDate"), None))
            g.remove((focus[0], URIRef("http://www.w3.org/2004/02/skos/core#editorialNote"), None))
    return g


def signature(report) -> list[tuple]:
    """Results as comparable tuples (blank-node shapes by their path)."""
    out = []
    for f in report.findings:
        out.append((f.focus, f.field, f.component, f.severity, f.message, f.shape or ""))
    return sorted(out)


def both(graph: rdflib.Graph) -> tuple[list[tuple], list[tuple]]:
    return (signature(validate_graph(rdflib.Graph() + graph, engine="pyshacl")),
            signature(validate_graph(rdflib.Graph() + graph, engine="turbo")))


def test_same_results_on_the_policy_dataset() -> None:
    graph = to_rdflib(compile_whole(POLICY).triples)
    reference, turbo = both(graph)
    assert reference == turbo == []


def test_same_results_with_every_constraint_broken(write_yaml) -> None:
    # The policy data and the model's additions (ties, statements of a value's own sources...).
    write_yaml("additions.yaml", ADDITIONS)
    graph = inject(to_rdflib(compile_whole(POLICY).triples) + to_rdflib(compile_whole(Path("data")).triples))
    reference, turbo = both(graph)
    assert turbo == reference
    components = {r[2] for r in reference}
    # every kind of constraint the shapes use was broken at least once
    assert components >= {"MinCountConstraintComponent", "MaxCountConstraintComponent",
                          "DatatypeConstraintComponent", "ClassConstraintComponent",
                          "PatternConstraintComponent", "InConstraintComponent",
                          "NodeKindConstraintComponent", "OrConstraintComponent",
                          "MinInclusiveConstraintComponent"}
    shapes_hit = {r[5] for r in reference if r[5]}
    node_shapes = {str(s) for s in SHAPES.subjects(RDF.type, SH.NodeShape)}
    assert node_shapes <= shapes_hit  # every node shape reported at least one result


def _generator():
    path = ROOT / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("edugraph_benchmark_generate", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize("n", [300])
def test_same_results_on_generated_data_with_violations(tmp_path: Path, n: int) -> None:
    import subprocess
    import sys

    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), str(out)],
                   check=True, capture_output=True)
    graph = to_rdflib(compile_whole(out).triples)
    clean_reference, clean_turbo = both(graph)
    assert clean_reference == clean_turbo == []
    reference, turbo = both(inject(graph))
    assert turbo == reference
    assert len(reference) > 50
