"""Validate stage: pySHACL against ``ontology/shapes.ttl``, each result traced back to its YAML.

pySHACL runs with the ontology as ontology graph (so ``sh:class`` checks see the concept
schemes), without inference and without ``owl:imports``. Each SHACL result becomes a
:class:`Finding` that names the file, line, record and field and says in plain words what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from edugraph.errors import EngineError, UsageError, one_line
from edugraph.formats import SHACL_ENGINES
from edugraph.model.item import Item
from edugraph.model.kinds import PREFIXES, phrase
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import RDF, SH
from edugraph.vocab.ontology import SHAPES_FILE
from edugraph.vocab.terms import to_rdflib

if TYPE_CHECKING:
    import rdflib

@dataclass(frozen=True, slots=True)
class Finding:
    """One SHACL result, in the words of the YAML."""

    severity: str  # violation | warning | info
    file: str | None
    line: int | None
    record: str  # "event 'x'" or "person 'y', positions #2", or the node's IRI
    field: str | None
    message: str
    focus: str
    shape: str | None
    component: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        field = f" (field '{self.field}')" if self.field else ""
        return one_line(f"{where}{self.severity}: {self.record} {self.message}{field}")


@dataclass(slots=True)
class Report:
    """All findings of a validation; ``conforms`` ignores warnings and infos."""

    findings: list[Finding]
    results_graph: rdflib.Graph | None = None

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)

    def render(self, fmt: str) -> str:
        """The report in one of :data:`edugraph.formats.REPORT_FORMATS`, ending in a newline."""
        if fmt == "json":
            return self.to_json()
        if fmt == "turtle":
            return self.to_turtle()
        return self.to_text() + "\n"

    def to_text(self) -> str:
        if not self.findings:
            return "conforms: no SHACL results"
        return "\n".join(f.format() for f in self.findings)

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms,
                           "results": [asdict(f) for f in self.findings]},
                          indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        if self.results_graph is None:
            return ""
        for prefix in ("sh", "rdf"):
            self.results_graph.bind(prefix, {"sh": SH, "rdf": RDF}[prefix])
        return self.results_graph.serialize(format="turtle")


def _shapes_and_ontology() -> tuple[rdflib.Graph, rdflib.Graph]:
    return ontology.rdflib_graph(SHAPES_FILE), ontology.rdflib_graph()




def validate_triples(triples: Iterable[ox.Triple], origins: dict[str, Item] | None = None, *,
                     engine: str = "turbo", shapes: rdflib.Graph | None = None,
                     alone: bool = False) -> Report:
    """Validate instance triples (the ontology is added, unless ``alone``: a file that should
    carry the terms it uses, as edugraph's exports do) with the chosen engine."""
    if alone and engine == "pyshacl":
        return _report(to_rdflib(triples), origins, shapes, engine)
    if alone:
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return _report(store, origins, shapes, engine)
    if engine == "pyshacl":
        return validate_graph(to_rdflib(triples), origins, shapes, engine="pyshacl")
    return _report(ontology.memory_store(triples), origins, shapes, engine)


def validate_graph(data: rdflib.Graph, origins: dict[str, Item] | None = None,
                   shapes: rdflib.Graph | None = None, engine: str = "pyshacl") -> Report:
    """Validate an rdflib graph; ``origins`` maps subject IRIs to the items they came from.

    ``shapes`` replaces ``ontology/shapes.ttl`` (tests, other shape sets).
    """
    # The concept schemes must be visible to sh:class checks; pySHACL mixes its ont_graph in only
    # when inferencing, so add the (small) ontology to the data graph here.
    data += ontology.rdflib_graph()
    return _report(data, origins, shapes, engine)


def _report(data, origins: dict[str, Item] | None, shapes: rdflib.Graph | None, engine: str) -> Report:
    import warnings

    import rdflib

    if engine not in SHACL_ENGINES:
        raise UsageError(f"unknown SHACL engine '{engine}'", hint=f"engines: {', '.join(SHACL_ENGINES)}")
    default_shapes, _ = _shapes_and_ontology()
    shapes = default_shapes if shapes is None else shapes
    if engine == "pyshacl":
        from pyshacl import validate as run
        from pyshacl.errors import ShapeRecursionWarning
    else:
        from pyshacl_turbo import ShapeRecursionWarning
        from pyshacl_turbo import validate as run

    with warnings.catch_warnings():
        # pySHACL stops following recursive shapes after a few levels and only warns, reporting
        # conforms=True for violations it did not reach: that must fail, never pass silently.
        warnings.simplefilter("error", ShapeRecursionWarning)
        try:
            _, results, _ = run(
                data, shacl_graph=shapes, inference="none",
                abort_on_first=False, allow_warnings=True, allow_infos=True,
                advanced=False, meta_shacl=False, do_owl_imports=False,
            )
        except ShapeRecursionWarning as exc:
            raise EngineError(f"the shapes recurse deeper than pySHACL follows ({exc}); its results "
                              "would be incomplete", hint="make the shapes in ontology/shapes.ttl "
                              "non-recursive") from None
    findings = [_finding(results, r, shapes)
                for r in results.subjects(rdflib.RDF.type, rdflib.URIRef(SH.ValidationResult))]
    return Report(trace(findings, origins or {}), results)


def trace(findings: Iterable[Finding], origins: dict[str, Item]) -> list[Finding]:
    """Findings with the file, line and record of their focus node, sorted as reports show them."""
    traced = []
    for f in findings:
        item = origins.get(f.focus)
        if item is not None:
            line = item.line_of(f.field) if f.field else item.line
            f = replace(f, file=item.file, line=line, record=item.label)
        traced.append(f)
    return sorted(traced, key=lambda f: (f.file or "", f.line or 0, f.record, f.field or "", f.message))


_MESSAGES = {
    "MinCountConstraintComponent": "has no {phrase}",
    "MaxCountConstraintComponent": "has more than one {phrase}",
    "ClassConstraintComponent": "{phrase} {value} is not a {expected}",
    "DatatypeConstraintComponent": "{phrase} {value} has the wrong datatype",
    "InConstraintComponent": "{phrase} {value} is not one of the allowed values",
    "NodeKindConstraintComponent": "{phrase} {value} is not an IRI",
    "MinInclusiveConstraintComponent": "{phrase} {value} is too small",
    "MinLengthConstraintComponent": "{phrase} is empty",
}


def _finding(results: rdflib.Graph, result, shapes: rdflib.Graph) -> Finding:
    """One result, worded; it names its focus node's IRI until :func:`trace` finds its YAML."""
    import rdflib

    def one(predicate: str):
        return results.value(result, rdflib.URIRef(predicate))

    focus = str(one(SH.focusNode))
    component = str(one(SH.sourceConstraintComponent)).removeprefix(str(SH))
    severity = str(one(SH.resultSeverity)).removeprefix(str(SH)).lower()
    shape, value, path = one(SH.sourceShape), one(SH.value), one(SH.resultPath)
    name = shapes.value(shape, rdflib.URIRef(SH.name)) if shape is not None else None
    field = str(name) if name is not None else None
    shown = PREFIXES.curie(str(value)) if isinstance(value, rdflib.URIRef) else repr(str(value))
    if component == "PatternConstraintComponent":
        if path is None:
            field, template = "id", "has an IRI that does not follow the edugraph pattern"
        else:
            template = "{phrase} {value} is not a term of the expected vocabulary"
    elif component == "OrConstraintComponent" and path is not None:
        template = "{phrase} {value} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or a date-time)"
    else:
        template = _MESSAGES.get(component, "")
    expected = shapes.value(shape, rdflib.URIRef(SH["class"])) if shape is not None else None
    if template:
        message = template.format(phrase=phrase(field),
                                  value=shown, expected=PREFIXES.curie(str(expected)))
    else:  # the shape's own sh:message (the engines word their own messages differently)
        own = shapes.value(shape, rdflib.URIRef(SH.message)) if shape is not None else None
        message = str(own or f"breaks the {component} constraint")
    shape_iri = str(shape) if isinstance(shape, rdflib.URIRef) else None
    return Finding(severity, None, None, PREFIXES.curie(focus), field, message, focus, shape_iri, component)


# ---------------------------------------------------------------------------------------------
# Validating a part of the graph on its own

# What a shape may say and still look at nothing but its focus node's own triples, the rdf:type
# of the nodes one step away (either way) and the ontology: then each file's triples can be
# validated apart, with that context, and give exactly the results of the whole graph.
_LOCAL = frozenset(SH[name] for name in (
    "targetClass", "property", "path", "inversePath", "name", "description", "message", "severity",
    "minCount", "maxCount", "class", "datatype", "in", "pattern", "flags", "nodeKind", "minLength",
    "maxLength", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "or", "and",
    "xone", "not", "languageIn", "uniqueLang", "hasValue", "deactivated", "order", "group",
    "defaultValue"))


def one_hop_shapes() -> frozenset[str] | None:
    """The predicates the shapes follow backwards (``sh:inversePath``), when every shape looks
    only one step from its focus node; None when one does more (then only the whole graph can be
    validated)."""
    return _one_hop_shapes(ontology.generation())


@cache
def _one_hop_shapes(generation: tuple[str, tuple[Path, ...]]) -> frozenset[str] | None:
    import rdflib

    shapes, _ = _shapes_and_ontology()
    inverse: set[str] = set()
    for s, p, o in shapes:
        if str(p).startswith(str(SH)) and str(p) not in _LOCAL:
            return None
        if str(p) == SH.path and isinstance(o, rdflib.BNode):
            steps = list(shapes.predicate_objects(o))
            if len(steps) != 1 or str(steps[0][0]) != SH.inversePath or not isinstance(
                    steps[0][1], rdflib.URIRef):
                return None
            inverse.add(str(steps[0][1]))
    return frozenset(inverse)


def _turbo_program():  # noqa: ANN202 - pyshacl_turbo's compiled program
    return _turbo_program_of(ontology.generation())


@cache
def _turbo_program_of(generation: tuple[str, tuple[Path, ...]]):  # noqa: ANN202
    import pyshacl_turbo

    shapes, _ = _shapes_and_ontology()
    return pyshacl_turbo.compile_shapes(shapes)


def validate_part(text: str, focus: list[str]) -> list[Finding]:
    """SHACL results (not yet traced to YAML) of the ``focus`` nodes, in a graph of ``text``
    (N-Triples: their triples and their context) and the ontology; pyshacl-turbo."""
    import warnings

    import rdflib
    from pyshacl_turbo import ShapeRecursionWarning

    # Text handed over as the package's own input record: giving it as a str would make
    # pyshacl-turbo parse it into an rdflib graph first (60 s at 100k records, not 20 s).
    from pyshacl_turbo.rdf import Input

    shapes, _ = _shapes_and_ontology()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ShapeRecursionWarning)
        try:
            _, results, _ = _turbo_program().validate(
                Input(text + ontology.ntriples(), "nt", None, {}, preserve_ids=True),
                allow_infos=True, allow_warnings=True, abort_on_first=False,
                focus_nodes=[rdflib.URIRef(f) for f in focus])
        except ShapeRecursionWarning as exc:
            raise EngineError(f"the shapes recurse deeper than pySHACL follows ({exc})",
                              hint="make the shapes in ontology/shapes.ttl non-recursive") from None
    return [_finding(results, r, shapes)
            for r in results.subjects(rdflib.RDF.type, rdflib.URIRef(SH.ValidationResult))]
