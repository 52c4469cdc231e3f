"""Rules across the fields of one record, checked once the whole record is loaded: who states
what (a relationship's and a value's sources among the record's) and dates in order.

A relationship takes its record's sources only when the record cites exactly one: in a record
citing several, inheriting them all would claim that every one states it, now and whenever a
source is added to the record later.
"""

from __future__ import annotations

from collections.abc import Iterator

from edugraph.errors import RecordError
from edugraph.model.item import Item
from edugraph.model.kinds import phrase
from edugraph.model.spec import T
from edugraph.model.values import Temporal


def check_item(record: Item) -> list[RecordError]:
    """Every problem of ``record`` and its relationships that no single field shows."""
    problems: list[RecordError] = []
    record_sources = record.values.get("sources")
    for item in _with_entries(record):
        problems.extend(_value_sources(item))
        problems.extend(_dates(item))
        if item.parent is not None and record_sources:
            problems.extend(_entry_sources(item, record_sources))
    return problems


def _with_entries(record: Item) -> Iterator[Item]:
    yield record
    for spec in record.spec.fields.values():
        if spec.type is T.NESTED:
            yield from record.values.get(spec.name, [])


def _error(item: Item, message: str, field: str | None, line: int, hint: str) -> RecordError:
    return RecordError(message, file=item.file, line=line, record=item.label, field=field, hint=hint)


def _listed(ids: list[str]) -> str:
    return ", ".join(ids)


def _entry_sources(entry: Item, record_sources: list[str]) -> Iterator[RecordError]:
    own = entry.values.get("sources")
    what = entry.kind
    if own is None:
        if len(record_sources) > 1:
            yield _error(entry, f"has no 'sources', and its record cites {len(record_sources)} "
                         f"({_listed(record_sources)})", None, entry.line,
                         f"add 'sources: [...]' with those of {_listed(record_sources)} that state "
                         f"this {what}")
        return
    foreign = [s for s in own if s not in record_sources]
    if foreign:
        yield _error(entry, f"cites {_listed(foreign)}, which its record does not cite", "sources",
                     entry.line_of("sources"),
                     f"add {_listed(foreign)} to the record's sources, or cite only some of "
                     f"{_listed(record_sources)}")


def _value_sources(item: Item) -> Iterator[RecordError]:
    holder = item.values.get("sources") or item.cited_sources
    for (name, value), own in item.sourced.items():
        foreign = [s for s in own if s not in holder]
        if foreign:
            shown = value.lexical if isinstance(value, Temporal) else value
            whose = "the record" if item.parent is None else f"the {item.kind}"
            yield _error(item, f"the value '{shown}' cites {_listed(foreign)}, which {whose} does "
                         "not cite", name, item.sourced_lines.get((name, value), item.line_of(name)),
                         f"add {_listed(foreign)} to {whose}'s sources, or cite only some of "
                         f"{_listed(holder)}")


def _dates(item: Item) -> Iterator[RecordError]:
    values = item.values
    start, end = values.get("start"), values.get("end")
    if isinstance(start, Temporal) and isinstance(end, Temporal) and end.before(start):
        yield _error(item, f"ends ({end.lexical}) before it starts ({start.lexical})", "end",
                     item.line_of("end"), "swap the two dates, or fix the one the source gives "
                     "differently")
    if values.get("former") and isinstance(end, Temporal):
        yield _error(item, f"is 'former' and has an end date ({end.lexical})", "former",
                     item.line_of("former"), "remove 'former': the end date already says the "
                     "post is over")
    parent = item.parent
    if parent is None:
        return
    outer_start, outer_end = parent.values.get("start"), parent.values.get("end")
    for name in ("start", "end"):
        date = values.get(name)
        if not isinstance(date, Temporal):
            continue
        if isinstance(outer_start, Temporal) and date.before(outer_start):
            yield _error(item, f"{phrase(name)} {date.lexical} is before its record's "
                         f"{phrase('start')} {outer_start.lexical}", name, item.line_of(name),
                         "fix the date, or the record's, to what the sources say")
        elif isinstance(outer_end, Temporal) and outer_end.before(date):
            yield _error(item, f"{phrase(name)} {date.lexical} is after its record's "
                         f"{phrase('end')} {outer_end.lexical}", name, item.line_of(name),
                         "fix the date, or the record's, to what the sources say")
