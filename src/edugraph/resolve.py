"""Resolve stage: records -> a dataset in which every id is unique and every reference resolves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .errors import DatasetError, EdugraphError, InputErrors
from .loader import suggest
from .model import FieldSpec, Item, T, a
from .namespaces import RECORD_KINDS

_KIND_ORDER = {kind: i for i, kind in enumerate(RECORD_KINDS)}
_HIERARCHIES = {"organisation": "part_of", "place": "part_of", "event": "part_of",
                "initiative": "part_of", "topic": "broader"}


@dataclass(slots=True)
class Dataset:
    """Records in a stable order (kind, then id), each findable by id."""

    records: list[Item]
    by_id: dict[str, Item]

    def kind_of(self, record_id: str) -> str:
        return self.by_id[record_id].kind

    def of_kind(self, kind: str) -> list[Item]:
        return [r for r in self.records if r.kind == kind]


def iter_items(records: list[Item]) -> Iterator[Item]:
    """Every record and every qualified relationship nested in it."""
    for record in records:
        yield record
        for spec in record.spec.fields.values():
            if spec.type is T.NESTED:
                yield from record.values.get(spec.name, [])


def resolve(records: list[Item]) -> Dataset:
    """Check ids and references across all files; raise InputErrors with every problem."""
    errors: list[EdugraphError] = []
    by_id: dict[str, Item] = {}
    for record in records:
        rid = record.values.get("id")
        if not rid:
            continue
        first = by_id.get(rid)
        if first is not None:
            errors.append(DatasetError(
                f"id '{rid}' is already used by the {first.kind} at {first.file}:{first.line}",
                file=record.file, line=record.line, record=record.label, field="id",
                hint="give each record an id of its own, or merge the two records"))
            continue
        by_id[rid] = record
    for item in iter_items(records):
        for spec in item.spec.fields.values():
            if spec.type is T.REF and spec.name in item.values:
                values = item.values[spec.name]
                for target in values if spec.many else [values]:
                    problem = _check_ref(spec, target, by_id)
                    if problem:
                        errors.append(DatasetError(problem[0], file=item.file,
                                                   line=item.line_of(spec.name), record=item.label,
                                                   field=spec.name, hint=problem[1]))
    errors.extend(_cycles(by_id))
    if errors:
        raise InputErrors(errors)
    ordered = sorted(by_id.values(), key=lambda r: (_KIND_ORDER[r.kind], r.id))
    return Dataset(ordered, {r.id: r for r in ordered})


def _check_ref(spec: FieldSpec, target: str, by_id: dict[str, Item]) -> tuple[str, str | None] | None:
    found = by_id.get(target)
    wanted = " or ".join(a(k) for k in spec.refs)
    if found is None:
        candidates = [i for i, r in by_id.items() if r.kind in spec.refs]
        return (f"unknown id '{target}'",
                suggest(target, candidates) or f"add {wanted} record with this id, or fix the id")
    if found.kind not in spec.refs:
        return (f"'{target}' is {a(found.kind)}, not {wanted}",
                f"refer to {wanted} here")
    return None


def _cycles(by_id: dict[str, Item]) -> list[EdugraphError]:
    """A record that is, through its hierarchy field, part of itself."""
    errors: list[EdugraphError] = []
    for rid in sorted(by_id):
        record = by_id[rid]
        field = _HIERARCHIES.get(record.kind)
        if field is None or field not in record.values:
            continue
        seen, frontier = set(), _as_list(record.values[field])
        while frontier:
            nxt = frontier.pop()
            if nxt == rid:
                errors.append(DatasetError(
                    f"is, through '{field}', part of itself",
                    file=record.file, line=record.line_of(field), record=record.label,
                    field=field, hint="remove one link of the cycle"))
                break
            if nxt in seen or nxt not in by_id:
                continue
            seen.add(nxt)
            other = by_id[nxt]
            if other.kind == record.kind:
                frontier.extend(_as_list(other.values.get(field, [])))
    return errors


def _as_list(value: object) -> list[str]:
    return list(value) if isinstance(value, list) else [value]  # type: ignore[list-item]


