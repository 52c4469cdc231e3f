"""Grounding check: every name, title, count and date in the records occurs in the texts of the
sources they cite.

Texts and phrases are compared after :func:`comparable_text` (NFKC, casefolded, one dash, no quotes, single
spaces) and only as whole words, so 'AI' does not occur in 'training' and 25 does not occur in 2025.
A miss is not bad input: the records load, but a fact cannot be found where the record says it comes
from. Every miss is reported; the CLI exits 1 when there is any.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from edugraph.build.pipeline import load_dataset
from edugraph.build.resolve import Dataset, iter_items
from edugraph.errors import EdugraphError, InputErrors, SourceFileError, UsageError
from edugraph.model.item import Item
from edugraph.model.kinds import SOURCE, T
from edugraph.model.values import Temporal
from edugraph.project import SOURCES_FOLDER

_DASHES: Final = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"  # ‐ ‑ ‒ – — ― − -
_QUOTES: Final = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a'\"`\u00b4"
# Quotes are removed rather than unified: a source may quote a name the record writes bare.
_FOLD: Final = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_QUOTES, None)})

MONTHS: Final = ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")
_ONES: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                "eighteen", "nineteen")
_TENS: Final = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_CHAR: Final = re.compile(r"\w")


# --- comparing text ---------------------------------------------------------------------------

def comparable_text(text: str) -> str:
    """Text as the check compares it: NFKC, casefolded, every dash '-', no quotes, single spaces."""
    # Fold before NFKC too: NFKC turns the acute accent ´ into a space and a combining mark.
    folded = unicodedata.normalize("NFKC", text.translate(_FOLD)).translate(_FOLD)
    return " ".join(folded.casefold().split())


@lru_cache(maxsize=8192)
def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    needle = comparable_text(phrase)
    if not needle:
        return None
    # Whole words only where the phrase starts or ends with a letter or digit.
    before = r"(?<!\w)" if _WORD_CHAR.match(needle[0]) else ""
    after = r"(?!\w)" if _WORD_CHAR.match(needle[-1]) else ""
    return re.compile(before + re.escape(needle) + after)


def occurs(phrase: str, text: str) -> bool:
    """Whether ``phrase`` occurs as whole words in ``text``, which :func:`comparable_text` has prepared."""
    pattern = _phrase_pattern(phrase)
    return pattern is not None and pattern.search(text) is not None


def number_words(value: int) -> list[str]:
    """English spellings of ``value`` below a million ('twenty-five', 'two thousand', ...)."""
    if not 0 <= value < 1_000_000:
        return []
    thousands, rest = divmod(value, 1000)
    if not thousands:
        return sorted(_below_1000(value))
    heads = {f"{words} thousand" for words in _below_1000(thousands)}
    if thousands == 1:
        heads.add("a thousand")
    if not rest:
        return sorted(heads)
    tails = _below_1000(rest)
    if rest < 100:
        tails |= {f"and {words}" for words in _below_100(rest)}  # two thousand and five
    return sorted(f"{head} {tail}" for head in heads for tail in tails)


def _below_100(value: int) -> set[str]:
    if value < 20:
        return {_ONES[value]}
    tens, ones = divmod(value, 10)
    if not ones:
        return {_TENS[tens]}
    # 'twenty five' as well: dash unification only makes every hyphen the same hyphen.
    return {f"{_TENS[tens]}-{_ONES[ones]}", f"{_TENS[tens]} {_ONES[ones]}"}


def _below_1000(value: int) -> set[str]:
    hundreds, rest = divmod(value, 100)
    if not hundreds:
        return _below_100(rest)
    heads = {f"{_ONES[hundreds]} hundred"} | ({"a hundred"} if hundreds == 1 else set())
    if not rest:
        return heads
    return {f"{head}{joint}{tail}" for head in heads for joint in (" and ", " ")
            for tail in _below_100(rest)}


@lru_cache(maxsize=1024)
def _digits_pattern(value: int) -> re.Pattern[str]:
    forms = "|".join(re.escape(form) for form in dict.fromkeys((str(value), f"{value:,}")))
    # Not part of a longer number: 25 is not in 2025, 1,250 or 25.5.
    return re.compile(rf"(?<!\w)(?<!\d[.,])(?:{forms})(?!\w)(?![.,]\d)")


def number_occurs(value: int, text: str) -> bool:
    """Whether ``value`` occurs in the normalised ``text`` as digits (2150, 2,150) or in words."""
    if _digits_pattern(value).search(text):
        return True
    return any(occurs(words, text) for words in number_words(value))


@dataclass(frozen=True, slots=True)
class DateForms:
    """How a text may write a date: one of ``any_of``, and every one of ``all_of`` as well."""

    any_of: tuple[str, ...]
    all_of: tuple[str, ...] = ()

    def describe(self) -> str:
        shown = [f"'{form}'" for form in self.any_of]
        text = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
        if self.all_of:
            text += " with " + " and ".join(f"'{form}'" for form in self.all_of)
        return text


def date_forms(lexical: str) -> DateForms:
    """The written forms of a date in the forms :class:`~edugraph.model.Temporal` allows.

    A date: 'July 2, 2025', '2 July 2025', '07/02/2025' or '2025-07-02'; a date-time: those with
    its time '17:00'; a year-month: the month's name with the year anywhere; a year: the year.
    """
    year = lexical[:4]
    if len(lexical) == 4:
        return DateForms((year,))
    month_number = lexical[5:7]
    month = MONTHS[int(month_number) - 1]
    if len(lexical) == 7:
        return DateForms((month,), (year,))
    day = lexical[8:10]
    dates = (f"{month} {int(day)}, {year}", f"{int(day)} {month} {year}",
             f"{month_number}/{day}/{year}", f"{year}-{month_number}-{day}")
    if len(lexical) == 10:
        return DateForms(dates)
    return DateForms(dates, (lexical[11:16],))


def date_occurs(lexical: str, text: str) -> bool:
    """Whether the date ``lexical`` occurs in the normalised ``text`` in one of its written forms."""
    forms = date_forms(lexical)
    return (any(occurs(form, text) for form in forms.any_of)
            and all(occurs(form, text) for form in forms.all_of))


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
class SourceText:
    """A source document's text, normalised once for every comparison."""

    source_id: str
    file: str
    text: str

    @property
    def shown(self) -> str:
        return f"{self.source_id} ({self.file})"


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
