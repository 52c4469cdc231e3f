"""The nodes strict YAML reading builds (build/yamlread.py, build/yamlfast.py): each knows its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

MAX_DEPTH = 64
NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(slots=True)
class Scalar:
    """A scalar as written; ``text`` is None for a plain null (``~``, ``null`` or nothing)."""

    text: str | None
    line: int
    split: bool = False
    """Written plain (unquoted) in a flow list ``[a, b]``, where YAML ends it at any comma."""
    plain: bool = True
    """Written plain (not quoted, not a block scalar): what YAML's core schema would type, as an
    editor's language server does (a plain ``2024`` is a number there, ``"2024"`` text)."""


@dataclass(slots=True)
class Seq:
    items: list[Node]
    line: int
    flow: bool = False


@dataclass(slots=True)
class Map:
    """A mapping; ``items`` keeps key order, ``key_lines`` the line of each key."""

    items: dict[str, Node]
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)


Node = Union[Scalar, Seq, Map]
