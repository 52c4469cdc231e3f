"""A record or qualified relationship as loaded: typed values, where each came from, and the
sources that state it and each of its values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edugraph.model.kinds import KINDS, RELATIONS, SOURCE
from edugraph.model.spec import KindSpec


@dataclass(slots=True)
class Item:
    """A record or a qualified relationship, with typed field values and where each came from."""

    kind: str
    file: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    parent: Item | None = None
    index: int = 0
    """Position among the parent's entries of the same field (0-based)."""
    field_name: str = ""
    """Field of the parent that holds this relationship."""
    sourced: dict[tuple[str, Any], list[str]] = field(default_factory=dict)
    """(field, value) -> the sources of a value that names its own (``{value: ..., sources: [...]}``)."""
    sourced_lines: dict[tuple[str, Any], int] = field(default_factory=dict)
    """(field, value) -> the line of such a value."""

    @property
    def id(self) -> str:
        return self.values.get("id", "") if self.parent is None else self.parent.id

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind] if self.parent is None else RELATIONS[self.kind]

    @property
    def label(self) -> str:
        """How messages name the item: ``person 'x'`` or ``person 'x', positions #2``."""
        if self.parent is None:
            return f"{self.kind} '{self.id}'" if self.id else f"{self.kind} record"
        return f"{self.parent.label}, {self.field_name} #{self.index + 1}"

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)

    def sources_of(self, name: str, value: Any) -> list[str]:
        """Ids of the sources that state one value of field ``name``: its own, else the item's."""
        own = self.sourced.get((name, value))
        return list(own) if own is not None else self.cited_sources

    @property
    def cited_sources(self) -> list[str]:
        """Ids of the sources that state this item: its own ``sources``, else (for a
        relationship of a record that cites one source) its record's; a source record states
        itself."""
        if self.parent is None and self.kind == SOURCE:
            return [self.id]
        own = self.values.get("sources")
        if own or self.parent is None:
            return list(own or [])
        return list(self.parent.values.get("sources", []))
