"""The choices the library offers, in one light module (standard library only): serialisations,
report and result formats, engines. The modules that implement each choice take their list from
here, and the command line derives its options from the same tables without importing an RDF
library, so ``edugraph --help`` stays fast.
"""

from __future__ import annotations

from typing import Final

EXPORT_FORMATS: Final[dict[str, tuple[str, str]]] = {
    # name: (file extension, media type)
    "ttl": ("ttl", "text/turtle"),
    "jsonld": ("jsonld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "nq": ("nq", "application/n-quads"),
    "trig": ("trig", "application/trig"),
    "xml": ("rdf", "application/rdf+xml"),
}
"""Serialisations of the graph (``edugraph export``)."""

BUILD_FORMATS: Final = ("ttl", "jsonld", "nt")
"""The serialisations ``edugraph build`` writes to ``dist/``."""

OUTPUT_STEM: Final = "edugraph"
"""The exports' file name without its extension."""

SHACL_ENGINES: Final = ("turbo", "pyshacl")
"""SHACL engines: pyshacl-turbo (compiled, reads Oxigraph stores directly; the default) and
pySHACL. A test proves both give the same results on data with violations of every shape."""

REPORT_FORMATS: Final = ("text", "json", "turtle")
"""Formats of a validation report (``turtle``: the engine's own results graph)."""

QUERY_ENGINES: Final = ("oxigraph", "rdflib")
"""Where local queries run: Oxigraph (fast, the default) or rdflib (to compare engines)."""

RESULT_FORMATS: Final = ("table", "csv", "tsv", "json", "md")
"""Formats of query results: a table for people, the W3C CSV, TSV and JSON formats, Markdown."""

STATS_FORMATS: Final = ("table", "md", "csv", "json")
"""Formats of the coverage matrix (``edugraph stats``)."""

PICTURE_FORMATS: Final = ("html", "svg", "png", "dot")
"""Formats of ``edugraph viz``, by the output file's extension."""

TIMELINE_FORMATS: Final = ("table", "svg", "html")
"""Formats of ``edugraph timeline``."""

DIFF_FORMATS: Final = ("text", "md", "json")
"""Formats of ``edugraph diff``: lines for people, Markdown for a pull request, JSON."""
