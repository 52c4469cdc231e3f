"""Options shared by several commands, and the choices of every option, derived from the
library's own tables (:mod:`edugraph.formats`, the record model) rather than typed again."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from edugraph.formats import (
    DIFF_FORMATS,
    EXPORT_FORMATS,
    QUERY_ENGINES,
    REPORT_FORMATS,
    RESULT_FORMATS,
    SHACL_ENGINES,
    STATS_FORMATS,
    TIMELINE_FORMATS,
)
from edugraph.model.kinds import RECORD_KINDS
from edugraph.query.run import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, MAX_SECONDS


def choices(name: str, values: tuple[str, ...] | list[str]) -> type[Enum]:
    """A str Enum of ``values`` for a Typer option (Typer shows and checks the choices)."""
    return Enum(name, {value: value for value in values}, type=str)  # type: ignore[return-value]


ExportFormat = choices("ExportFormat", list(EXPORT_FORMATS))
ReportFormat = choices("ReportFormat", REPORT_FORMATS)
ResultFormat = choices("ResultFormat", RESULT_FORMATS)
StatsFormat = choices("StatsFormat", STATS_FORMATS)
TimelineFormat = choices("TimelineFormat", TIMELINE_FORMATS)
DiffFormat = choices("DiffFormat", DIFF_FORMATS)
Engine = choices("Engine", QUERY_ENGINES)
ShaclEngine = choices("ShaclEngine", SHACL_ENGINES)
Kind = choices("Kind", RECORD_KINDS)

# None: not given; the project file's value holds, else edugraph.project's default.
DEFAULT_DATA: Path | None = None
DEFAULT_QUERIES: list[Path] | None = None
DEFAULT_CACHE: Path | None = None
DEFAULT_OUT: Path | None = None
DEFAULT_TIMEOUT = DEFAULT_SECONDS
DEFAULT_MAX_MEMORY = DEFAULT_MEMORY_MB

DataOption = Annotated[Path | None, typer.Option(
    "--data", help="Folder of *.yaml records (default: the project's, else data/).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
QueriesOption = Annotated[list[Path] | None, typer.Option(
    "--queries", metavar="DIR", help="A folder of *.rq queries added to the built-in ones (a query "
    "of the same name replaces the built-in one); repeat for several. Default: the project's "
    "queries, else ./queries when it exists.")]
CacheOption = Annotated[Path | None, typer.Option(
    "--cache", help="Folder for the build's cache and the query store, safe to delete (default: the "
    "project's, else .edugraph-cache/).")]
FormatOption = Annotated[ResultFormat, typer.Option(
    "--format", "-f", help="table (labels for people), csv/tsv (W3C), json (W3C), md.")]
EngineOption = Annotated[Engine, typer.Option(
    "--engine", help="oxigraph (fast, the default) or rdflib (to compare engines).")]
ShaclOption = Annotated[ShaclEngine, typer.Option(
    "--engine", help="SHACL engine: turbo (pyshacl-turbo, fast) or pyshacl (the reference).")]
# No min= here: every out-of-range value gets the one message of querying.seconds().
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", metavar="SECONDS", help=f"Stop after this many seconds (above 0, at most "
    f"{MAX_SECONDS:g}); on a local engine, for all the command's queries together.")]
MaxMemoryOption = Annotated[int, typer.Option(
    "--max-memory", metavar="MB", help="Stop a local query that needs more than this many MB of "
    "memory (exit 2).")]
StoreOption = Annotated[Path | None, typer.Option(
    "--store", help="Read from this Oxigraph store (written by 'edugraph load') instead of data/.")]
EndpointOption = Annotated[str | None, typer.Option(
    "--endpoint", help="Run on this SPARQL 1.1 Protocol endpoint URL instead (credentials from "
    "EDUGRAPH_ENDPOINT_USER / EDUGRAPH_ENDPOINT_PASSWORD).")]
GraphOption = Annotated[str | None, typer.Option(
    "--graph", help="With --endpoint: the named graph to query as the default graph.")]
