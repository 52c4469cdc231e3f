"""Reading RDF that comes from elsewhere (``edugraph validate --graph FILE``), safely.

Accepted: Turtle, N-Triples, N-Quads, TriG and JSON-LD, parsed by Oxigraph. Refused:
RDF/XML and TriX (XML entity expansion: a 920-byte document cost rdflib 327 s and Oxigraph 9 GB),
JSON-LD whose ``@context`` or ``@import`` is a string (a URL or a file path that a parser would
fetch), and files over the size limit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import InputError, excerpt
from edugraph.files import read_bytes

MAX_RDF_BYTES = 512 * 1024 * 1024
_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
}
_REFUSED = {".rdf", ".xml", ".owl", ".trix", ".xhtml", ".html"}


def read_rdf(path: Path) -> list[ox.Triple]:
    """The triples of an RDF file (all graphs of a dataset merged)."""
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise InputError("RDF/XML, TriX and other XML formats are not accepted as input",
                         file=path, hint="convert the file to Turtle or N-Triples first")
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        raise InputError(f"unknown RDF file type '{suffix or path.name}'", file=path,
                         hint="use .ttl, .nt, .nq, .trig or .jsonld")
    try:
        size = path.stat().st_size
        if size > MAX_RDF_BYTES:
            raise InputError(f"file is {size:,} bytes, over the limit of {MAX_RDF_BYTES:,}", file=path)
        data = read_bytes(path)  # a FIFO, device or socket refused at once, never waited on
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=path) from None
    if fmt == ox.RdfFormat.JSON_LD:
        _screen_jsonld(data, path)
    try:
        return [ox.Triple(q.subject, q.predicate, q.object) if isinstance(q, ox.Quad) else q
                for q in ox.parse(data, format=fmt)]
    except SyntaxError as exc:
        raise InputError(f"not valid {suffix[1:]}: {excerpt(str(exc))}", file=path, line=_line(exc)) from None


def _line(exc: SyntaxError) -> int | None:
    return exc.lineno if isinstance(exc.lineno, int) else None


def _screen_jsonld(data: bytes, path: Path) -> None:
    """Refuse contexts a JSON-LD processor would fetch: every ``@context``/``@import`` string."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"not valid JSON: {excerpt(str(exc))}", file=path) from None
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@import" or (key == "@context" and _has_string(value)):
                    raise InputError(
                        f"JSON-LD {key} refers to a remote or local document; edugraph does not "
                        "fetch contexts", file=path,
                        hint="inline the context as a JSON object")
                stack.append(value)


def _has_string(context: object) -> bool:
    return isinstance(context, str) or (isinstance(context, list) and any(isinstance(c, str) for c in context))
