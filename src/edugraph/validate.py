"""Validate stage: pySHACL against ``ontology/shapes.ttl``, each result traced back to its YAML.

pySHACL runs with the ontology as ontology graph (so ``sh:class`` checks see the concept
schemes), without inference and without ``owl:imports``. Each SHACL result becomes a
:class:`Finding` that names the file, line, record and field and says in plain words what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import EngineError, UsageError, one_line
from .model import Item
from .namespaces import PREFIXES, RDF, SH
from .ontology import SHAPES_FILE, ontology_path

if TYPE_CHECKING:
    import rdflib

_PHRASES = {
    "start": "start date", "end": "end date", "sources": "source", "name": "name",
    "title": "title", "file": "file name", "published": "publication date",
    "agent": "agent", "role": "role", "of": "'of' (what is counted)", "value": "value",
    "event": "event linking to it", "initiative": "initiative linking to it",
    "record": "record linking to it", "person": "person", "organisation": "organisation",
    "type": "type", "part_of": "'part_of'", "location": "location", "topics": "topic",
}


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


@cache
def _shapes_and_ontology() -> tuple[rdflib.Graph, rdflib.Graph]:
    import rdflib

    shapes = rdflib.Graph().parse(ontology_path(SHAPES_FILE), format="turtle")
    ontology = rdflib.Graph().parse(ontology_path(), format="turtle")
    return shapes, ontology


ENGINES = ("turbo", "pyshacl")
"""SHACL engines: pyshacl-turbo (compiled, reads Oxigraph stores directly; the default) and
pySHACL. A test proves both give the same results on data with violations of every shape."""


def validate_triples(triples: Iterable[ox.Triple], origins: dict[str, Item] | None = None, *,
                     engine: str = "turbo", shapes: rdflib.Graph | None = None) -> Report:
    """Validate instance triples (the ontology is added) with the chosen engine."""
    if engine == "pyshacl":
        from .mapping import to_rdflib

        return validate_graph(to_rdflib(triples), origins, shapes, engine="pyshacl")
    from .graphstore import memory_store

    return _report(memory_store(triples), origins, shapes, engine)


def validate_graph(data: rdflib.Graph, origins: dict[str, Item] | None = None,
                   shapes: rdflib.Graph | None = None, engine: str = "pyshacl") -> Report:
    """Validate an rdflib graph; ``origins`` maps subject IRIs to the items they came from.

    ``shapes`` replaces ``ontology/shapes.ttl`` (tests, other shape sets).
    """
    _, ontology = _shapes_and_ontology()
    # The concept schemes must be visible to sh:class checks; pySHACL mixes its ont_graph in only
    # when inferencing, so add the (small) ontology to the data graph here.
    data += ontology
    return _report(data, origins, shapes, engine)


def _report(data, origins: dict[str, Item] | None, shapes: rdflib.Graph | None, engine: str) -> Report:
    import warnings

    import rdflib

    if engine not in ENGINES:
        raise UsageError(f"unknown SHACL engine '{engine}'", hint=f"engines: {', '.join(ENGINES)}")
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
    findings = sorted(
        (_finding(results, r, shapes, origins or {})
         for r in results.subjects(rdflib.RDF.type, rdflib.URIRef(SH.ValidationResult))),
        key=lambda f: (f.file or "", f.line or 0, f.record, f.field or "", f.message),
    )
    return Report(findings, results)


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


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


def _finding(results: rdflib.Graph, result, shapes: rdflib.Graph, origins: dict[str, Item]) -> Finding:
    import rdflib

    def one(predicate: str):
        return results.value(result, rdflib.URIRef(predicate))

    focus = str(one(SH.focusNode))
    component = str(one(SH.sourceConstraintComponent)).removeprefix(str(SH))
    severity = str(one(SH.resultSeverity)).removeprefix(str(SH)).lower()
    shape, value, path = one(SH.sourceShape), one(SH.value), one(SH.resultPath)
    name = shapes.value(shape, rdflib.URIRef(SH.name)) if shape is not None else None
    field = str(name) if name is not None else None
    shown = _curie(str(value)) if isinstance(value, rdflib.URIRef) else repr(str(value))
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
        message = template.format(phrase=_PHRASES.get(field or "", f"'{field}'" if field else "value"),
                                  value=shown, expected=_curie(str(expected)))
    else:  # the shape's own sh:message (the engines word their own messages differently)
        own = shapes.value(shape, rdflib.URIRef(SH.message)) if shape is not None else None
        message = str(own or f"breaks the {component} constraint")
    item = origins.get(focus)
    shape_iri = str(shape) if isinstance(shape, rdflib.URIRef) else None
    if item is None:
        return Finding(severity, None, None, _curie(focus), field, message, focus, shape_iri, component)
    line = item.line_of(field) if field else item.line
    return Finding(severity, item.file, line, item.label, field, message, focus, shape_iri, component)
