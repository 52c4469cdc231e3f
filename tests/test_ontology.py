"""The ontology, shapes, context and record model agree with each other."""

from __future__ import annotations

import json
import re

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from edugraph.model.kinds import KINDS, PREFIXES, RELATIONS, T
from edugraph.vocab.namespaces import EG, SCHEMES
from edugraph.vocab.ontology import CONTEXT_FILE, SHAPES_FILE, context, ontology_path, vocabularies

ONTOLOGY = rdflib.Graph().parse(ontology_path(), format="turtle")
SHAPES = rdflib.Graph().parse(ontology_path(SHAPES_FILE), format="turtle")


def own_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in graph.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(str(EG))}


def test_every_own_term_has_a_label_and_a_comment() -> None:
    terms = own_terms(ONTOLOGY)
    assert len(terms) >= 16
    for term in terms:
        assert (term, RDFS.label, None) in ONTOLOGY, term
        assert (term, RDFS.comment, None) in ONTOLOGY, term
        assert {ONTOLOGY.value(term, RDF.type)} <= {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


def test_every_own_term_the_model_uses_is_declared() -> None:
    used = set()
    for spec in [*KINDS.values(), *RELATIONS.values()]:
        used.update(c for c in spec.classes)
        for f in spec.fields.values():
            used.update([f.predicate] if f.predicate else [])
            used.update((f.by_target or {}).values())
        if spec.link:
            used.add(spec.link[0])
    declared = {str(t) for t in own_terms(ONTOLOGY)}
    assert {u for u in used if u.startswith(str(EG))} <= declared


def test_no_owl_imports() -> None:
    assert not list(ONTOLOGY.triples((None, OWL.imports, None)))
    assert not list(SHAPES.triples((None, OWL.imports, None)))


def test_every_class_and_relationship_has_a_node_shape() -> None:
    targets = set(SHAPES.objects(None, SH.targetClass))
    for spec in [*KINDS.values(), *RELATIONS.values()]:
        assert rdflib.URIRef(spec.classes[0]) in targets, spec.name


def test_shape_field_names_exist_in_the_model() -> None:
    fields = {f for spec in [*KINDS.values(), *RELATIONS.values()] for f in spec.fields}
    structural = {"person", "event", "initiative", "record"}  # inverse links, not YAML fields
    names = {str(n) for n in SHAPES.objects(None, SH.name)}
    assert names - fields <= structural


def test_vocabularies_cover_every_scheme_the_model_uses() -> None:
    schemes = {f.scheme for spec in [*KINDS.values(), *RELATIONS.values()]
               for f in spec.fields.values() if f.type is T.CONCEPT}
    assert schemes == set(SCHEMES) == set(vocabularies())
    for scheme, terms in vocabularies().items():
        assert terms, scheme
        for slug in terms:
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


def test_roles_of_the_design_are_there() -> None:
    assert set(vocabularies()["participation-role"]) == {
        "host", "organiser", "chair", "speaker", "keynote", "presenter", "trainer", "attendee",
        "participant"}
    assert {"lead", "implementer", "partner", "funder", "supporter"} <= set(
        vocabularies()["involvement-role"])
    for concept in ONTOLOGY.subjects(SKOS.inScheme, None):
        assert (concept, SKOS.prefLabel, None) in ONTOLOGY
        assert (concept, SKOS.definition, None) in ONTOLOGY


def test_context_prefixes_match_the_namespaces() -> None:
    with ontology_path(CONTEXT_FILE).open(encoding="utf-8") as f:
        ctx = json.load(f)["@context"]
    assert ctx == context()
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v[-1:] in "/#"}
    assert prefixes == PREFIXES
    assert all(isinstance(v, (str, dict, float)) for v in ctx.values())
