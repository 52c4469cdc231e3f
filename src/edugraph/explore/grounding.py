"""Grounding check: every name, title, count and date in the records occurs in the texts of the
sources they cite.

Texts are compared as :mod:`edugraph.explore.textmatch` compares them: whole words, without regard
to case, dashes, quotes or spacing.

A miss is not bad input: the records load, but a fact cannot be found where the record says it comes
from. Every miss is reported; the CLI exits 1 when there is any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from edugraph.build.pipeline import load_dataset
from edugraph.build.resolve import Dataset, iter_items
from edugraph.errors import EdugraphError, InputErrors, SourceFileError, UsageError

# The text helpers are re-exported ('as'): callers import them from here, where they used to live.
from edugraph.explore.textmatch import MONTHS as MONTHS
from edugraph.explore.textmatch import DateForms as DateForms
from edugraph.explore.textmatch import (
    SourceText,
    comparable_text,
    date_forms,
    date_occurs,
    number_occurs,
    occurs,
)
from edugraph.explore.textmatch import number_words as number_words
from edugraph.model.item import Item
from edugraph.model.kinds import SOURCE, T
from edugraph.model.values import Temporal
from edugraph.project import SOURCES_FOLDER


# --- the check --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Miss:
    """A fact of a record that does not occur in the sources it cites."""

    file: str
    line: int
    record: str
    """The record or relationship, as :attr:`~edugraph.model.Item.label` names it."""
    field: str | None
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.record}: {self.message}"


@dataclass(slots=True)
class GroundingReport:
    """Every miss, sorted by file and line, and how much was checked."""

    misses: list[Miss]
    records: int
    """Records checked (source records are not: they are the texts)."""
    relationships: int
    sources: int

    @property
    def grounded(self) -> bool:
        return not self.misses

    def summary(self) -> str:
        checked = (f"{_count(self.records, 'record')}, {_count(self.relationships, 'relationship')} "
                   f"in {_count(self.sources, 'source')}")
        if self.grounded:
            return f"grounded: {checked}"
        return f"not grounded: {_count(len(self.misses), 'miss', 'misses')}; checked {checked}"


@dataclass(frozen=True, slots=True)
class _Need:
    """A phrase a relationship needs in the text that grounds it."""

    what: str
    field: str | None
    test: Callable[[str], bool]


def check_sources(data_dir: Path, sources_dir: Path | None = None,
                  cache_dir: Path | None = None) -> GroundingReport:
    """Check the records under ``data_dir`` against the source texts in ``sources_dir``
    (``data_dir/sources`` when not given: the texts travel with the records they ground).

    Raises UsageError when the sources folder is missing, InputErrors on bad records or when a
    source record's text is missing or unreadable.
    """
    if sources_dir is None:
        sources_dir = data_dir / SOURCES_FOLDER
    if not sources_dir.is_dir():
        raise UsageError(f"sources directory '{sources_dir}' does not exist",
                         hint="put the source documents' texts there, or pass --dir DIR with the "
                         "folder that holds them")
    dataset = load_dataset(data_dir, cache_dir)
    texts = read_texts(dataset, sources_dir)
    misses: list[Miss] = []
    records = relationships = 0
    for item in iter_items(dataset.records):
        cited = [texts[source_id] for source_id in item.cited_sources]
        if item.parent is not None:
            relationships += 1
            misses.extend(_check_relationship(item, cited, dataset))
        elif item.kind != SOURCE:
            records += 1
            misses.extend(_check_names(item, cited))
        misses.extend(_check_dates(item, cited))
    misses.sort(key=lambda miss: (miss.file, miss.line))  # stable: a record's misses keep their order
    return GroundingReport(misses, records, relationships, len(texts))


def read_texts(dataset: Dataset, sources_dir: Path) -> dict[str, SourceText]:
    """The normalised text of every source record; raises InputErrors naming each missing file."""
    errors: list[EdugraphError] = []
    texts: dict[str, SourceText] = {}
    for source in dataset.of_kind(SOURCE):
        name = source.values["file"]
        path = sources_dir / name

        def fail(message: str, hint: str) -> None:
            errors.append(SourceFileError(message, file=source.file, line=source.line_of("file"),
                                          record=source.label, field="file", hint=hint))

        if not path.is_file():
            fail(f"'{path}' does not exist",
                 "put the document's text there, or fix the file name")
            continue
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            fail(f"'{path}' is not UTF-8 text ({exc.reason} at byte {exc.start})",
                 "save the document's text as UTF-8")
            continue
        except OSError as exc:
            fail(f"'{path}' cannot be read ({exc.strerror})", "check the file's permissions")
            continue
        texts[source.id] = SourceText(source.id, name, comparable_text(raw))
    if errors:
        raise InputErrors(errors)
    return texts


def _names(record: Item) -> list[str]:
    """Every way a source may refer to a record: its name, aliases and the words it is mentioned as."""
    values = record.values
    return [values["name"], *values.get("aliases", []), *values.get("mentioned_as", [])]


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _in(cited: list[SourceText]) -> str:
    return " or ".join(text.shown for text in cited)


def _miss(item: Item, field: str | None, message: str) -> Miss:
    line = item.line_of(field) if field else item.line
    return Miss(item.file, line, item.label, field, message)


def _check_names(record: Item, cited: list[SourceText]) -> list[Miss]:
    names = _names(record)
    if any(occurs(name, text.text) for text in cited for name in names):
        return []
    ids = ", ".join(text.source_id for text in cited)
    if len(names) == 1:
        return [_miss(record, "name", f"its name '{names[0]}' does not occur in its sources ({ids})")]
    return [_miss(record, "name", f"none of its names ({_quoted(names)}) occurs in its sources ({ids})")]


def _record_need(record: Item, field: str | None) -> _Need:
    names = _names(record)
    return _Need(f"{record.label} ({_quoted(names)})", field,
                 lambda text: any(occurs(name, text) for name in names))


def _phrase_need(field: str, phrase: str) -> _Need:
    return _Need(f"{field} '{phrase}'", field, lambda text: occurs(phrase, text))


def _needs(item: Item, dataset: Dataset) -> list[_Need]:
    """What must occur, all in one cited text, for a relationship to be grounded: its record, the
    record at its other end, and the numbers and words it holds as the source writes them."""
    parent = item.parent
    assert parent is not None
    values = item.values
    needs = [_record_need(parent, None)]
    other = item.spec.other_end
    if other is not None:
        needs.append(_record_need(dataset.by_id[values[other]], other))
    for spec in item.spec.fields.values():
        if not spec.grounded or spec.name not in values:
            continue
        value = values[spec.name]
        if spec.type is T.INT:
            needs.append(_Need(f"{spec.name} {value} (in digits or words)", spec.name,
                               lambda text, value=value: number_occurs(value, text)))
        else:
            needs.append(_phrase_need(spec.name, value))
    return needs


def _check_relationship(item: Item, cited: list[SourceText], dataset: Dataset) -> list[Miss]:
    needs = _needs(item, dataset)
    found = [{i for i, need in enumerate(needs) if need.test(text.text)} for text in cited]
    if any(len(hits) == len(needs) for hits in found):
        return []
    anywhere = set().union(*found)
    missing = [need for i, need in enumerate(needs) if i not in anywhere]
    if missing:
        return [_miss(item, need.field, f"{need.what} does not occur in {_in(cited)}")
                for need in missing]
    # Each occurs somewhere, but no one text states them all.
    whats = [need.what for need in needs]
    listed = f"{', '.join(whats[:-1])} and {whats[-1]}"
    return [_miss(item, None, f"{listed} do not occur together in any one of "
                              f"{', '.join(text.shown for text in cited)}")]


def _check_dates(item: Item, cited: list[SourceText]) -> list[Miss]:
    misses = []
    for field in (f.name for f in item.spec.fields.values() if f.type is T.TEMPORAL):
        value = item.values.get(field)
        if not isinstance(value, Temporal):
            continue
        if not any(date_occurs(value.lexical, text.text) for text in cited):
            misses.append(_miss(item, field, f"{field} {value.lexical} does not occur in {_in(cited)} "
                                             f"as {date_forms(value.lexical).describe()}"))
    return misses


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
