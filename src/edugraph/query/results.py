"""Query results in one engine-neutral form, and their serialisations.

``csv`` and ``tsv`` follow the W3C SPARQL 1.1 Query Results CSV and TSV formats, ``json`` the
SPARQL 1.1 Query Results JSON format; ``md`` is a GitHub table. Terms are pyoxigraph terms
whichever engine answered, so every engine's rows compare equal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from edugraph.errors import EXIT_NONCONFORMING, EXIT_OK
from edugraph.model.kinds import PREFIXES
from edugraph.vocab.namespaces import XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = tuple[Term | None, ...]


class QueryResult:
    """SELECT: ``variables`` and ``rows``; ASK: ``boolean``; CONSTRUCT/DESCRIBE: ``triples``."""

    # A plain class, not a dataclass: see edugraph.model.values.Temporal.
    __slots__ = ("form", "variables", "rows", "boolean", "triples")

    def __init__(self, form: str, variables: list[str] | None = None, rows: list[Row] | None = None,
                 boolean: bool | None = None, triples: list[ox.Triple] | None = None) -> None:
        self.form = form
        self.variables: list[str] = [] if variables is None else variables
        self.rows: list[Row] = [] if rows is None else rows
        self.boolean = boolean
        self.triples: list[ox.Triple] = [] if triples is None else triples

    def _fields(self) -> tuple[Any, ...]:
        return self.form, self.variables, self.rows, self.boolean, self.triples

    def __eq__(self, other: object) -> bool:
        return self._fields() == other._fields() if isinstance(other, QueryResult) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass without frozen

    def __repr__(self) -> str:
        return (f"QueryResult(form={self.form!r}, variables={self.variables!r}, rows={self.rows!r}, "
                f"boolean={self.boolean!r}, triples={self.triples!r})")

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (IRI, lexical form), handy for tests and comparisons."""
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    @property
    def exit_code(self) -> int:
        """What a command answering this result exits with: an ASK query 0 for true and 1 for
        false (so a shell can branch on it), every other form 0."""
        return EXIT_NONCONFORMING if self.form == "ASK" and not self.boolean else EXIT_OK


def to_turtle(result: QueryResult) -> str:
    """The triples of a CONSTRUCT or DESCRIBE result as Turtle, sorted, with edugraph's prefixes."""
    unique = {str(t): t for t in result.triples}
    return ox.serialize([unique[k] for k in sorted(unique)], format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES).decode()


def to_csv(result: QueryResult) -> str:
    """W3C SPARQL results CSV: header of variable names, IRIs bare, literals by lexical form."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value
                         for t in row])
    return out.getvalue()


def to_tsv(result: QueryResult) -> str:
    """W3C SPARQL results TSV: ``?var`` header, terms in their SPARQL/N-Triples form."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Term) -> str:
    text = str(term)
    return text.replace("\t", "\\t") if isinstance(term, ox.Literal) else text


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD.string:
        out["datatype"] = term.datatype.value
    return out


def to_json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    import json

    document: dict[str, Any]
    if result.form == "ASK":
        document = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{var: _json_term(t) for var, t in zip(result.variables, row) if t is not None}
                    for row in result.rows]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def display(term: Term | None, label: Callable[[str], str | None] | None = None) -> str:
    """How a person reads a term: a label or CURIE for IRIs, the lexical form for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        found = label(term.value) if label else None
        return found if found else PREFIXES.curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def table_rows(result: QueryResult, label: Callable[[str], str | None] | None = None) -> list[list[str]]:
    return [[display(t, label) for t in row] for row in result.rows]


def to_markdown(result: QueryResult, label: Callable[[str], str | None] | None = None) -> str:
    """A GitHub table with labels or CURIEs; ``|`` in values escaped."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.variables) + " |",
             "|" + "|".join("---" for _ in result.variables) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in table_rows(result, label)]
    return "\n".join(lines) + "\n"


def iris(result: QueryResult) -> set[str]:
    """Every IRI in the rows (those a table may show a label for)."""
    return {t.value for row in result.rows for t in row if isinstance(t, ox.NamedNode)}


def render(result: QueryResult, fmt: str, label: Callable[[str], str | None] | None = None) -> str:
    """The result in one of the text formats: ``csv``, ``tsv``, ``json`` or ``md`` (with labels)."""
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "md":
        return to_markdown(result, label)
    raise ValueError(f"no text rendering for {fmt!r}")
