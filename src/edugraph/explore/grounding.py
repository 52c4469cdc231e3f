"""Grounding check: each statement of the records is stated by every source it is attributed to.

A value is attributed to its own sources when it names them (``{value: ..., sources: [...]}``),
else to all the sources of the record or relationship that holds it (see
:meth:`~edugraph.model.item.Item.sources_of`). Texts are compared as :mod:`edugraph.explore.textmatch`
compares them. In the text of each source a record or relationship cites:

- a record (not a source record) is named: one of its names (``name``, ``aliases``,
  ``mentioned_as``) attributed to that source occurs there;
- a relationship names both its ends, each by one of its names attributed to that source, and gives
  the values written as the source writes them (titles, a count's value and label).

Each value is looked for in the text of each source it is attributed to: text in the source's words
(the fields without a language tag) as a phrase, dates in their written forms, counts in digits or
words, an event's number as an ordinal, a reference by one of the names, attributed to that source,
of the record it refers to. Three kinds of value need not be in every source of their holder when
they name no sources of their own: a record's names and the items of a list of its words
(``aliases``, ``mentioned_as``, ``honorifics``), which a source need not each use, though a plain
``mentioned_as``, being a source's exact words, occurs in one of them; and references, the
curator's links, except a relationship's other end. An alias or mention that a text says only as
"A, B", where the record lists A and then B, is one phrase that an unquoted YAML list split at its
comma.

A miss is not bad input: the records load, but a statement cannot be found where the record says it
comes from. Every miss is reported, at the line of the field that holds the value; the CLI exits 1
when there is any.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from edugraph.build.pipeline import load_dataset
from edugraph.build.resolve import Dataset, iter_items
from edugraph.errors import EdugraphError, InputErrors, SourceFileError, UsageError
from edugraph.explore.textmatch import SourceText, comparable_text, date_forms, ordinal_forms
from edugraph.files import Refused, read_bytes
from edugraph.model.item import Item
from edugraph.model.kinds import SOURCE, phrase
from edugraph.model.spec import FieldSpec, KindSpec, T
from edugraph.project import SOURCES_FOLDER

NAME_FIELDS: Final = ("name", "aliases", "mentioned_as")
"""The fields every record has for the ways a source names it."""
_ORDINALS: Final = ("number",)
"""Integer fields a source gives as an ordinal: an event's number in its series (8th -> 8)."""
_SPLIT_FIELDS: Final = ("aliases", "mentioned_as")
"""Name fields written as lists, where an unquoted comma splits one phrase into two items."""
_CHECKS: dict[str, tuple[tuple[FieldSpec, str], ...]] = {}


@dataclass(frozen=True, slots=True)
class Miss:
    """A statement of a record that a source it is attributed to does not state."""

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
    check = _Check(dataset, read_texts(dataset, sources_dir))
    misses: list[Miss] = []
    records = relationships = 0
    for item in iter_items(dataset.records):
        if item.parent is not None:
            relationships += 1
        elif item.kind != SOURCE:
            records += 1
        misses.extend(check.item(item))
    misses.sort(key=lambda miss: (miss.file, miss.line))  # stable: a record's misses keep their order
    return GroundingReport(misses, records, relationships, len(check.texts))


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

        if not path.exists():
            fail(f"'{path}' does not exist",
                 "put the document's text there, or fix the file name")
            continue
        try:
            raw = read_bytes(path, (sources_dir,)).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            fail(f"'{path}' is not UTF-8 text ({exc.reason} at byte {exc.start})",
                 "save the document's text as UTF-8")
            continue
        except Refused as exc:
            fail(f"'{path}' cannot be read: {exc.strerror}", "put the document's text in the sources folder")
            continue
        except OSError as exc:
            fail(f"'{path}' cannot be read ({exc.strerror})", "check the file's permissions")
            continue
        texts[source.id] = SourceText(source.id, name, comparable_text(raw))
    if errors:
        raise InputErrors(errors)
    return texts


def names_in(record: Item, source_id: str | None) -> list[str]:
    """The names of ``record`` attributed to the source ``source_id`` (all of them for None): the
    only ones that source may be found to use for it."""
    names = []
    for name in NAME_FIELDS:
        value = record.values.get(name)
        for one in value if isinstance(value, list) else [value] if value is not None else []:
            if source_id is None or source_id in record.sources_of(name, one):
                names.append(one)
    return names


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _listed(texts: list[SourceText]) -> str:
    return ", ".join(text.shown for text in texts)


def _how_checked(spec: FieldSpec) -> str | None:
    if spec.type is T.TEMPORAL:
        return "date"
    if spec.type is T.INT:
        return "number" if spec.grounded else "ordinal" if spec.name in _ORDINALS else None
    if spec.type is T.TEXT and (spec.grounded or spec.lang is None and not spec.multiline):
        return "phrase"  # text with a language tag is in the curator's words (descriptions, notes)
    if spec.type is T.REF and spec.name != "sources":
        return "reference"
    return None  # ids, vocabulary terms, choices, true/false, IRIs, file names


def value_checks(kind: KindSpec) -> tuple[tuple[FieldSpec, str], ...]:
    """The fields of ``kind`` whose values are looked for in texts, each with how, from the model:
    'phrase' (text in the source's words: the grounded fields and every text field without a
    language), 'date', 'number' (a grounded count, in digits or words), 'ordinal' or 'reference' (a
    name of the record referred to)."""
    found = _CHECKS.get(kind.name)  # by name: a spec holds dicts, so it is no cache key
    if found is None:
        checks = ((spec, _how_checked(spec)) for spec in kind.fields.values())
        found = _CHECKS[kind.name] = tuple((spec, how) for spec, how in checks if how is not None)
    return found


def _plain_in_every_source(item: Item, spec: FieldSpec, how: str) -> bool:
    """Whether a value that names no sources of its own must occur in every source of its holder."""
    if how == "reference":
        return spec.name == item.spec.other_end
    if how == "phrase":
        return spec.name not in NAME_FIELDS and not spec.many
    return True


class _Check:
    """The check of one dataset against its texts; the names of a record attributed to a source
    are worked out once, however many relationships name the record."""

    def __init__(self, dataset: Dataset, texts: dict[str, SourceText]) -> None:
        self.dataset = dataset
        self.texts = texts
        self._names: dict[tuple[str, str], list[str]] = {}

    def item(self, item: Item) -> Iterator[Miss]:
        """Every miss of one record or relationship (not of those nested in it)."""
        unnamed_in: set[str] = set()
        if item.parent is not None:
            yield from self._ends(item)
        elif item.kind != SOURCE:
            yield from self._identity(item, unnamed_in)
            yield from self._mentions(item, unnamed_in)
        for spec, how in value_checks(item.spec):
            if spec.name not in item.values:
                continue
            value = item.values[spec.name]
            for index, one in enumerate(value if spec.many else [value]):
                yield from self._value(item, spec, how, one, unnamed_in)
                if spec.name in _SPLIT_FIELDS and index + 1 < len(value):
                    yield from self._split(item, spec.name, one, value[index + 1])

    def names(self, record: Item, source_id: str) -> list[str]:
        """The names a source may use for ``record``: those attributed to it when the record cites
        it, else all of them (a record at the other end of a relationship, or referred to, need
        not cite every document that mentions it)."""
        key = (record.id, source_id)
        found = self._names.get(key)
        if found is None:
            found = names_in(record, source_id if source_id in record.cited_sources else None)
            self._names[key] = found
        return found

    def _named(self, record: Item, text: SourceText) -> bool:
        return any(text.mentions(name) for name in self.names(record, text.source_id))

    def _identity(self, record: Item, unnamed_in: set[str]) -> Iterator[Miss]:
        field = "name" if "name" in record.values else "mentioned_as"
        for source_id in record.cited_sources:
            text = self.texts[source_id]
            if self._named(record, text):
                continue
            unnamed_in.add(source_id)  # the miss lists every name attributed to it there
            names = self.names(record, source_id)
            if not names:
                message = "is cited, but none of its names is attributed to it"
            elif len(names) == 1:
                message = f"does not mention '{names[0]}'"
            else:
                message = f"does not mention any of {_quoted(names)}"
            yield _miss(record, field, f"{text.shown} {message}")

    def _mentions(self, record: Item, unnamed_in: set[str]) -> Iterator[Miss]:
        """Plain ``mentioned_as`` values, the exact words of a source, each in one of the record's."""
        cited = record.cited_sources
        if all(source_id in unnamed_in for source_id in cited):
            return  # each source's miss already lists them
        texts = [self.texts[source_id] for source_id in cited]
        for words in record.values.get("mentioned_as", []):
            if ("mentioned_as", words) in record.sourced or any(t.mentions(words) for t in texts):
                continue
            where = (f"{texts[0].shown} does not give" if len(texts) == 1
                     else f"none of {_listed(texts)} gives")
            yield _miss(record, "mentioned_as", f"{where} mentioned_as '{words}'")

    def _end(self, item: Item, record: Item, text: SourceText, field: str | None,
             role: str = "") -> Iterator[Miss]:
        if self._named(record, text):
            return
        names = self.names(record, text.source_id)
        known = _quoted(names) if names else f"none of its names is attributed to {text.source_id}"
        yield _miss(item, field, f"{text.shown} does not mention {record.label} ({known}){role}")

    def _ends(self, item: Item) -> Iterator[Miss]:
        """The relationship's own record in each text it cites (the other end is a value)."""
        assert item.parent is not None
        for source_id in item.cited_sources:
            yield from self._end(item, item.parent, self.texts[source_id], None)

    def _value(self, item: Item, spec: FieldSpec, how: str, value: Any,
               unnamed_in: set[str]) -> Iterator[Miss]:
        own = item.sourced.get((spec.name, value))
        if own is None and not _plain_in_every_source(item, spec, how):
            return
        field = spec.name
        for source_id in own if own is not None else item.cited_sources:
            text = self.texts[source_id]
            if how == "reference":
                role = "" if field == item.spec.other_end else f", its {phrase(field)}"
                yield from self._end(item, self.dataset.by_id[value], text, field, role)
                continue
            if field in NAME_FIELDS and source_id in unnamed_in:
                continue  # the source's miss already lists it
            if how == "phrase" and not text.mentions(value):
                yield _miss(item, field, f"{text.shown} does not give {field} '{value}'")
            elif how == "number" and not text.gives_number(value):
                yield _miss(item, field, f"{text.shown} does not give {field} {value} (in digits or "
                                         "words)")
            elif how == "ordinal" and not text.gives_ordinal(value):
                forms = " or ".join(f"'{form}'" for form in ordinal_forms(value)[:2])
                yield _miss(item, field, f"{text.shown} does not give {field} {value} (as {forms})")
            elif how == "date" and not text.gives_date(value.lexical):
                yield _miss(item, field, f"{text.shown} does not give {field} {value.lexical} as "
                                         f"{date_forms(value.lexical).describe()}")

    def _split(self, record: Item, field: str, first: str, second: str) -> Iterator[Miss]:
        for source_id in record.sources_of(field, first):
            text = self.texts[source_id]
            if text.splits(first, second):
                yield _miss(record, field, f"'{first}' and '{second}' are one phrase in {text.shown}: "
                                           "quote the list item")


def _miss(item: Item, field: str | None, message: str) -> Miss:
    line = item.line_of(field) if field else item.line
    return Miss(item.file, line, item.label, field, message)


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
