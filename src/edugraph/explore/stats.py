"""Coverage: how many records, relationships and triples of the dataset each source gives.

A matrix with a row per kind of record (in :data:`~edugraph.model.KINDS` order), a total row, a row
per kind of relationship and a row of triples, and a column per source id plus a total column. An
item counts under every source it cites (see :attr:`~edugraph.model.kinds.Item.cited_sources`) but once in
the total, so a row's cells may add up to more than its total. A triple counts under the sources of
the record or relationship it describes.

:func:`write_into` keeps a document's copy of the Markdown table (the README's Coverage section)
up to date: it rewrites what lies between the two marker lines, and nothing else.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from edugraph.build.compile import Compiled
from edugraph.build.pipeline import compile_project
from edugraph.build.resolve import iter_items
from edugraph.errors import UsageError
from edugraph.files import write_atomic
from edugraph.model.item import Item
from edugraph.model.kinds import KINDS, RELATIONS, SOURCE

LABEL_HEADER = "kind"
TOTAL = "total"
TRIPLES = "triples"
BEGIN_MARK = "<!-- stats:begin -->"
END_MARK = "<!-- stats:end -->"


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the matrix: a count per source id and the count of distinct items."""

    label: str
    by_source: dict[str, int]
    total: int


@dataclass(slots=True)
class Stats:
    """The coverage matrix, renderable as Markdown, CSV and JSON."""

    sources: list[str]
    records: list[Row]
    total: Row
    relationships: list[Row]
    triples: Row

    @property
    def rows(self) -> list[Row]:
        return [*self.records, self.total, *self.relationships, self.triples]

    def header(self) -> list[str]:
        return [LABEL_HEADER, *self.sources, TOTAL]

    def values(self, row: Row) -> list[int]:
        return [*(row.by_source[source] for source in self.sources), row.total]

    def render(self, fmt: str) -> str:
        """The matrix as ``md``, ``csv`` or ``json`` text (``table`` is drawn by the CLI)."""
        return {"md": self.to_markdown, "csv": self.to_csv, "json": self.to_json}[fmt]()

    def to_markdown(self) -> str:
        """A GitHub table, numbers right-aligned (what the README's Coverage section holds)."""
        lines = [_md_line(self.header()), "|---|" + "---:|" * (len(self.sources) + 1)]
        lines += [_md_line([row.label, *(f"{n:,}" for n in self.values(row))]) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """RFC 4180 CSV: a header row, then one row per line of the matrix, plain integers."""
        out = io.StringIO()
        writer = csv.writer(out)  # the csv module's default dialect ends lines with CRLF, as RFC 4180
        writer.writerow(self.header())
        writer.writerows([row.label, *self.values(row)] for row in self.rows)
        return out.getvalue()

    def to_json(self) -> str:
        """``{"sources", "records": {kind: cells}, "total", "relationships", "triples"}``."""
        def cells(row: Row) -> dict[str, int]:
            return {**row.by_source, TOTAL: row.total}

        document = {
            "sources": self.sources,
            "records": {row.label: cells(row) for row in self.records},
            TOTAL: cells(self.total),
            "relationships": {row.label: cells(row) for row in self.relationships},
            TRIPLES: cells(self.triples),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def coverage(data_dir: Path, cache_dir: Path | None = None) -> Stats:
    """The coverage matrix of the records under ``data_dir``; raises InputErrors on bad input."""
    return stats_of(compile_project(data_dir, cache_dir))


def stats_of(compiled: Compiled) -> Stats:
    """The coverage matrix of compiled data."""
    dataset = compiled.dataset()
    sources = sorted(record.id for record in dataset.of_kind(SOURCE))
    by_kind: dict[str, list[Item]] = {kind: [] for kind in (*KINDS, *RELATIONS)}
    for item in iter_items(dataset.records):
        by_kind[item.kind].append(item)

    def row(label: str, items: list[Item]) -> Row:
        return Row(label, _per_source(sources, (item.cited_sources for item in items)), len(items))

    def triple_sources() -> Iterator[set[str]]:
        # Exactly the sources stating each triple, as the named graphs of an export hold it: a
        # relationship's and a value's own, not all of their record's.
        for mapped in compiled.mapped(attributed=True):
            stated: dict[str, set[str]] = {}
            for t, ids in zip(mapped.triples, mapped.attribution or ()):
                stated.setdefault(str(t), set()).update(ids)
            yield from stated.values()

    return Stats(
        sources=sources,
        records=[row(kind, by_kind[kind]) for kind in KINDS],
        total=row(TOTAL, list(dataset.records)),
        relationships=[row(kind, by_kind[kind]) for kind in RELATIONS],
        triples=Row(TRIPLES, _per_source(sources, triple_sources()), compiled.triples),
    )


def _per_source(sources: list[str], cited: Iterable[Iterable[str]]) -> dict[str, int]:
    counts = dict.fromkeys(sources, 0)
    for ids in cited:
        for source in set(ids):
            counts[source] += 1
    return counts


def _md_line(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def replace_block(text: str, table: str, file: Path) -> str:
    """``text`` with the lines between its :data:`BEGIN_MARK` line and its :data:`END_MARK` line
    replaced by ``table``; raises UsageError, naming ``file``, unless ``text`` has exactly one line
    of each marker, the begin line first.

    Markers count only as lines of their own, so a document may quote them in its prose.
    """
    def refuse(message: str) -> UsageError:
        return UsageError(message, file=file, hint=f"put one '{BEGIN_MARK}' line and one "
                          f"'{END_MARK}' line where the table goes")

    found = []
    for mark in (BEGIN_MARK, END_MARK):
        lines = list(re.finditer(rf"^[ \t]*{re.escape(mark)}[ \t]*\r?$", text, re.MULTILINE))
        if not lines:
            raise refuse(f"has no '{mark}' line")
        if len(lines) > 1:  # which pair would be meant is a guess; a wrong one would eat the text between
            raise refuse(f"has {len(lines)} '{mark}' lines")
        found.append(lines[0])
    begin, end = found
    if end.start() < begin.start():
        raise refuse(f"has its '{END_MARK}' line before its '{BEGIN_MARK}' line")
    return text[:begin.end() + 1] + table + text[end.start():]


def write_into(path: Path, stats: Stats) -> bool:
    """Put the Markdown table of ``stats`` between the markers of the UTF-8 file ``path``, through a
    temporary file and a rename (a reader never sees half a document); False when the file already
    held it, and then it is left untouched. Raises UsageError when the file is missing, not UTF-8
    or without its markers."""
    try:
        # Bytes, not read_text: a document's CRLF line ends must come back as they were.
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"file '{path}' does not exist",
                         hint="give --into the document that holds the table's markers") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"'{path}' is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"'{path}' cannot be read ({exc.strerror})") from None
    updated = replace_block(text, stats.to_markdown(), path)
    if updated == text:
        return False
    write_atomic(path, updated.encode("utf-8"))
    return True
