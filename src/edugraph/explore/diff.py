"""What an edit changed: two versions of the records compared record by record, in the words of
the YAML, and statement by statement.

Each side is a folder of records or the data folder in a git revision (see
:mod:`edugraph.explore.sides`). Records are matched by kind and id and listed in the dataset's
stable order (kind, then id): a record is ``added``, ``removed`` or ``changed``. A record's fields
are compared as the graph holds them, so the order of a list, the file a record sits in, its
layout and comments make no difference. A value written with its own sources (``{value: ...,
sources: [...]}``, see :attr:`edugraph.model.item.Item.sourced`) carries them; a plain one is
stated by its record's sources and carries none, so adding a source to a record shows only in its
``sources``. For a list field the values removed and the values added are listed (a value whose
own sources changed is both); for a single field the old and the new value. Relationships
(positions, participants, counts, relations) are matched the way their IRIs are minted (see
:func:`edugraph.build.mapping.relation_iri`: the record, the key fields of the kind, a number for
positions), each with the sources that state it.

:func:`diff` gives both this and the statement-level difference of the two compiled graphs;
:meth:`Diff.render` writes either as ``text``, ``md`` or ``json`` (see
:data:`edugraph.formats.DIFF_FORMATS`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edugraph.build.mapping import relation_iri
from edugraph.build.resolve import Dataset
from edugraph.errors import EdugraphError, InputErrors, UsageError
from edugraph.explore.sides import DEFAULT_REVISION, Side, folder_side, open_side
from edugraph.formats import DIFF_FORMATS
from edugraph.model.item import Item
from edugraph.model.kinds import KINDS, RECORD_KINDS, RELATIONS
from edugraph.model.spec import FieldSpec, KindSpec, T
from edugraph.model.values import Temporal
from edugraph.query.stores import UNNAMED
from edugraph.vocab.namespaces import record_iri

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
_KIND_ORDER = {kind: i for i, kind in enumerate(RECORD_KINDS)}


@dataclass(frozen=True, slots=True)
class Value:
    """One value of a field, and its own sources (None: it is stated by its holder's sources)."""

    value: Any
    sources: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a record or relationship: for a single field its old and new value (none
    when absent), for a list field the values removed (``old``) and added (``new``)."""

    field: str
    many: bool
    old: tuple[Value, ...]
    new: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class RelationshipChange:
    """A relationship added, removed or changed, keyed as its IRI is."""

    field: str
    """The record's field holding it (``positions``)."""
    kind: str
    key: tuple[str, ...]
    """The values of the kind's key fields, then the number for a numbered kind."""
    iri: str
    status: str
    fields: tuple[FieldChange, ...]

    @property
    def title(self) -> str:
        """How outputs name it: ``positions harbour-university #2``."""
        parts = list(self.key)
        if RELATIONS[self.kind].numbered:
            parts[-1] = f"#{parts[-1]}"
        return " ".join([self.field, *parts])


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record added, removed or changed: its fields and relationships that differ."""

    kind: str
    id: str
    iri: str
    status: str
    name: str
    fields: tuple[FieldChange, ...]
    relationships: tuple[RelationshipChange, ...]


@dataclass(slots=True)
class Diff:
    """Two versions of the records compared: per record, and per statement."""

    old: str
    new: str
    """How each side is named: a folder, or ``REV:path``."""
    records: list[RecordChange]
    removed_triples: list[str]
    added_triples: list[str]
    """N-Triples lines (without the line break), sorted."""

    def differs(self, triples: bool = False) -> bool:
        """Whether anything differs (in the statements with ``triples``)."""
        return bool(self.removed_triples or self.added_triples) if triples else bool(self.records)

    def counts(self) -> dict[str, int]:
        """Records per status, in the order outputs give them."""
        found = Counter(r.status for r in self.records)
        return {status: found[status] for status in (ADDED, REMOVED, CHANGED)}

    def triple_lines(self) -> list[str]:
        """``- `` and ``+ `` lines, in N-Triples order."""
        marked = [(t, "-") for t in self.removed_triples] + [(t, "+") for t in self.added_triples]
        return [f"{mark} {t}" for t, mark in sorted(marked)]

    def render(self, fmt: str, triples: bool = False) -> str:
        """The diff as ``text``, ``md`` or ``json`` (see :data:`edugraph.formats.DIFF_FORMATS`):
        the records', or with ``triples`` the statements'."""
        if fmt not in DIFF_FORMATS:
            raise UsageError(f"unknown diff format '{fmt}'", hint=f"use one of: {', '.join(DIFF_FORMATS)}")
        if triples:
            return _triples_json(self) if fmt == "json" else _triples_text(self, fmt == "md")
        return {"text": _text, "md": _markdown, "json": _json}[fmt](self)


def diff(old: str | None, new: str | None, data_dir: Path, cache_dir: Path | None = None) -> Diff:
    """Compare side ``old`` (default: the data folder at ``HEAD``) with side ``new`` (default:
    the data folder as it is); each a folder of records or a git revision (see
    :func:`edugraph.explore.sides.open_side`). Raises InputErrors with the problems of both sides
    when either does not load."""
    sides: list[Side] = []
    errors: list[EdugraphError] = []
    for given in (old or DEFAULT_REVISION, new):
        try:
            sides.append(open_side(given, data_dir, cache_dir) if given is not None
                         else folder_side(data_dir, cache_dir))
        except InputErrors as exc:
            errors.extend(exc.errors)
        except EdugraphError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    before, after = sides
    old_lines = _lines(before.ntriples)
    new_lines = _lines(after.ntriples)
    return Diff(before.label, after.label, compare(before.dataset, after.dataset),
                sorted(old_lines - new_lines), sorted(new_lines - old_lines))


def compare(old: Dataset, new: Dataset) -> list[RecordChange]:
    """The records that differ between two datasets, in the stable order (kind, then id)."""
    keys = {(r.kind, r.id) for r in old.records} | {(r.kind, r.id) for r in new.records}
    changes = []
    for kind, rid in sorted(keys, key=lambda k: (_KIND_ORDER[k[0]], k[1])):
        change = _record_change(kind, rid, _of_kind(old, kind, rid), _of_kind(new, kind, rid))
        if change is not None:
            changes.append(change)
    return changes


def _of_kind(dataset: Dataset, kind: str, rid: str) -> Item | None:
    # An id that changed kind is a record removed and another added.
    found = dataset.by_id.get(rid)
    return found if found is not None and found.kind == kind else None


def _record_change(kind: str, rid: str, old: Item | None, new: Item | None) -> RecordChange | None:
    item = new or old
    assert item is not None
    fields = field_changes(item.spec, old, new)
    relationships = _relationship_changes(item.spec, old, new)
    if not fields and not relationships:
        return None
    return RecordChange(kind, rid, record_iri(kind, rid), _status(old, new), _name(item),
                        tuple(fields), tuple(relationships))


def _status(old: Item | None, new: Item | None) -> str:
    return ADDED if old is None else REMOVED if new is None else CHANGED


def _name(item: Item) -> str:
    if "name" in item.values:
        return item.values["name"]
    mentions = item.values.get("mentioned_as", [])
    return UNNAMED.format(mentions[0]) if mentions else item.id


def field_changes(spec: KindSpec, old: Item | None, new: Item | None) -> list[FieldChange]:
    """The fields (not the relationships) of a record or relationship that differ, in the
    model's order; ``None``: the item is not on that side."""
    changes = []
    for name, f in spec.fields.items():
        if name == "id" or f.type is T.NESTED:
            continue
        before, after = values_of(old, name), values_of(new, name)
        if f.many:
            before, after = (tuple(v for v in before if v not in after),
                             tuple(v for v in after if v not in before))
        elif before == after:
            continue
        if before or after:
            changes.append(FieldChange(name, f.many, before, after))
    return changes


def values_of(item: Item | None, name: str) -> tuple[Value, ...]:
    """The values of field ``name`` of ``item``, each with its own sources; a relationship's
    ``sources`` are those that state it (its record's when it names none)."""
    if item is None:
        return ()
    if name == "sources":
        return tuple(Value(s) for s in item.cited_sources)
    if name not in item.values:
        return ()
    raw = item.values[name]
    listed: Iterable[Any] = raw if item.spec.fields[name].many else [raw]
    out = []
    for value in listed:
        own = item.sourced.get((name, value))
        out.append(Value(value, tuple(sorted(own)) if own is not None else None))
    return tuple(out)


def _relationship_changes(spec: KindSpec, old: Item | None, new: Item | None) -> list[RelationshipChange]:
    before, after = _relationships(old), _relationships(new)
    order = {name: i for i, name in enumerate(spec.fields)}
    changes = []
    for iri in sorted(before.keys() | after.keys(), key=lambda i: _iri_order(i, before, after, order)):
        o, n = before.get(iri), after.get(iri)
        entry = n or o
        assert entry is not None
        fields = field_changes(entry.spec, o, n)
        if fields:
            changes.append(RelationshipChange(entry.field_name, entry.kind, _key(iri), iri,
                                              _status(o, n), tuple(fields)))
    return changes


def _relationships(record: Item | None) -> dict[str, Item]:
    """A record's relationships by IRI, numbered as the mapping numbers them."""
    if record is None:
        return {}
    numbers: Counter[tuple[str, ...]] = Counter()
    found = {}
    for f in record.spec.fields.values():
        if f.type is T.NESTED:
            for entry in record.values.get(f.name, []):
                found[relation_iri(entry, numbers)] = entry
    return found


def _key(iri: str) -> tuple[str, ...]:
    # <kind>/<record>--<key>--...: ids, terms and numbers are slugs, so '--' only separates.
    return tuple(iri.rpartition("/")[2].split("--")[1:])


def _iri_order(iri: str, before: dict[str, Item], after: dict[str, Item],
               order: dict[str, int]) -> tuple[Any, ...]:
    entry = after.get(iri) or before[iri]
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _key(iri))
    return (order[entry.field_name], parts)


def _lines(ntriples: bytes) -> set[str]:
    return {line for line in ntriples.decode("utf-8").split("\n") if line}


def plain(value: Any) -> Any:
    """A typed value as JSON holds it: dates as written, numbers and flags as themselves."""
    return value.lexical if isinstance(value, Temporal) else value


# The outputs. A text value is quoted (JSON's quoting: a comma or a line break inside it stays
# readable), every other value is written as in YAML; own sources follow in brackets.

def _shown(f: FieldSpec, value: Value) -> str:
    v = plain(value.value)
    text = json.dumps(v, ensure_ascii=False) if f.type is T.TEXT else json.dumps(v) if isinstance(v, bool) else str(v)
    return text + (f" [{', '.join(value.sources)}]" if value.sources else "")


def _specs(record: RecordChange, relationship: RelationshipChange | None) -> dict[str, FieldSpec]:
    return (RELATIONS[relationship.kind] if relationship else KINDS[record.kind]).fields


def _summary(d: Diff, arrow: str) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in d.counts().items() if n)
    return f"{d.old} {arrow} {d.new}: {counts or 'no records differ'}"


def _heading(r: RecordChange) -> str:
    return f"{r.status} {r.kind} {r.id} {json.dumps(r.name, ensure_ascii=False)}"


def _field_line(f: FieldSpec, change: FieldChange) -> str:
    old = [_shown(f, v) for v in change.old]
    new = [_shown(f, v) for v in change.new]
    if not change.many and old and new:
        return f"{change.field}: {old[0]} -> {new[0]}"
    return f"{change.field}: " + " ".join([*(f"- {v}" for v in old), *(f"+ {v}" for v in new)])


def _text(d: Diff) -> str:
    lines = [_summary(d, "->")]
    for r in d.records:
        lines.append(_heading(r))
        specs = _specs(r, None)
        lines += [f"  {_field_line(specs[c.field], c)}" for c in r.fields]
        for rel in r.relationships:
            lines.append(f"  {rel.title}: {rel.status}")
            specs = _specs(r, rel)
            lines += [f"    {_field_line(specs[c.field], c)}" for c in rel.fields]
    return "\n".join(lines) + "\n"


def _cell(values: Iterable[str]) -> str:
    return "<br>".join(v.replace("|", "\\|").replace("<", "&lt;") for v in values)


def _table(specs: dict[str, FieldSpec], changes: Iterable[FieldChange]) -> list[str]:
    rows = ["| field | old | new |", "|---|---|---|"]
    for c in changes:
        f = specs[c.field]
        rows.append(f"| {c.field} | {_cell(_shown(f, v) for v in c.old)} | {_cell(_shown(f, v) for v in c.new)} |")
    return [*rows, ""]


def _markdown(d: Diff) -> str:
    lines = [f"**{_summary(d, '→')}**", ""]
    for r in d.records:
        lines += [f"### {r.status} {r.kind} `{r.id}`: {_cell([r.name])}", ""]
        if r.fields:
            lines += _table(_specs(r, None), r.fields)
        for rel in r.relationships:
            lines += [f"**{rel.title}**: {rel.status}", "", *_table(_specs(r, rel), rel.fields)]
    return "\n".join(lines)


def _values_json(changes: Iterable[FieldChange]) -> list[dict[str, Any]]:
    def values(vs: tuple[Value, ...]) -> list[dict[str, Any]]:
        return [{"value": plain(v.value), "sources": list(v.sources) if v.sources is not None else None}
                for v in vs]

    return [{"field": c.field, "list": c.many, "old": values(c.old), "new": values(c.new)} for c in changes]


def _json(d: Diff) -> str:
    records = [{
        "kind": r.kind, "id": r.id, "iri": r.iri, "status": r.status, "name": r.name,
        "fields": _values_json(r.fields),
        "relationships": [{"field": rel.field, "kind": rel.kind, "key": list(rel.key), "iri": rel.iri,
                           "status": rel.status, "fields": _values_json(rel.fields)}
                          for rel in r.relationships],
    } for r in d.records]
    return json.dumps({"old": d.old, "new": d.new, "counts": d.counts(), "records": records},
                      ensure_ascii=False, indent=2) + "\n"


def _triples_text(d: Diff, markdown: bool) -> str:
    lines = d.triple_lines()
    if not markdown:
        return "".join(f"{line}\n" for line in lines)
    counted = f"{len(d.removed_triples)} statements removed, {len(d.added_triples)} added"
    return "\n".join([f"**{d.old} → {d.new}**: {counted}", "", "```diff", *lines, "```", ""])


def _triples_json(d: Diff) -> str:
    return json.dumps({"old": d.old, "new": d.new, "removed": d.removed_triples,
                       "added": d.added_triples}, ensure_ascii=False, indent=2) + "\n"
