"""The timeline: dated events and initiatives in date order (:mod:`edugraph.render.timeline`
draws them).

An event or initiative is dated when it has a start or an end. It is kept for a span of years
when the years it runs overlap the span, as in ``queries/timeline.rq``: from its start (or its end,
when it has no start) to its end (or its start, when it has no end). Those with neither are left
out, and counted (:attr:`Timeline.undated`), so that a reader knows the timeline is not all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.model.kinds import KINDS, kind_and_id
from edugraph.query.stores import labels
from edugraph.vocab.namespaces import SCHEMA

TIMELINE_KINDS: Final = tuple(kind for kind, spec in KINDS.items()
                              if "start" in spec.fields and spec.fields["start"].predicate == SCHEMA.startDate)
"""Kinds of record that run from a start to an end: events and initiatives (an organisation's
``start`` is its founding, not a time it runs)."""
_FIELDS = KINDS[TIMELINE_KINDS[0]].fields
_START, _END, _LOCATION = (_FIELDS[name].predicate for name in ("start", "end", "location"))
HEADER = ("start", "end", "kind", "name", "place")
"""The columns of :meth:`Dated.row`, as the table and the pages head them."""


def _kind_id(iri: str) -> tuple[str, str]:
    """``(kind, id)`` of a record's IRI."""
    found = kind_and_id(iri)
    return found if found else ("", iri)


@dataclass(frozen=True, slots=True)
class Dated:
    """An event or initiative with its dates as the data gives them (lexical forms)."""

    iri: str
    kind: str
    name: str
    start: str | None
    end: str | None
    places: tuple[str, ...]

    @property
    def id(self) -> str:
        return _kind_id(self.iri)[1]

    @property
    def first_year(self) -> int:
        return int((self.start or self.end or "0")[:4])

    @property
    def last_year(self) -> int:
        return int((self.end or self.start or "0")[:4])

    def row(self) -> tuple[str, str, str, str, str]:
        """``(start, end, kind, name, place)`` as the table shows them."""
        return (self.start or "", self.end or "", self.kind, self.name, "; ".join(self.places))


@dataclass(frozen=True, slots=True)
class Timeline:
    """The dated events and initiatives of a span, and how many of each kind have no date at all."""

    items: list[Dated]
    undated: dict[str, int]
    """Kind -> how many records of it have neither a start nor an end (none: not in it)."""

    def left_out(self) -> str | None:
        """``5 undated events and 1 undated initiative left out (no start or end)``; None when
        nothing is."""
        if not self.undated:
            return None
        counts = " and ".join(f"{n} undated {kind}{'s' if n != 1 else ''}" for kind, n in self.undated.items())
        return f"{counts} left out (no start or end)"


def timeline(store: ox.Store, first: int | None = None, last: int | None = None) -> Timeline:
    """Dated events and initiatives, in date order, kept when they overlap ``first``..``last``;
    with the count of those that have no date (whatever the span: they are in none)."""
    if first is not None and last is not None and first > last:
        raise UsageError(f"--from {first} is after --to {last}")
    classes = " ".join(f"<{KINDS[k].own_class}>" for k in TIMELINE_KINDS)
    query = (f"SELECT ?s ?start ?end WHERE {{ VALUES ?cls {{ {classes} }} ?s a ?cls . "
             f"OPTIONAL {{ ?s <{_START}> ?start }} OPTIONAL {{ ?s <{_END}> ?end }} }}")
    found: dict[str, tuple[str | None, str | None]] = {}
    undated: dict[str, int] = {}
    for row in store.query(query):
        start, end = row["start"], row["end"]
        if start is None and end is None:
            kind = _kind_id(row["s"].value)[0]
            undated[kind] = undated.get(kind, 0) + 1
            continue
        found[row["s"].value] = (start.value if start else None, end.value if end else None)
    places = _places(store, found)
    names = labels(store, {*found, *(p for ps in places.values() for p in ps)})  # in one look-up

    def name(iri: str) -> str:
        return names.get(iri, _kind_id(iri)[1])

    items = [Dated(iri, _kind_id(iri)[0], name(iri), start, end,
                   tuple(sorted(map(name, places.get(iri, ())), key=str.casefold)))
             for iri, (start, end) in found.items()]
    items = [i for i in items if (first is None or i.last_year >= first)
             and (last is None or i.first_year <= last)]
    ordered = sorted(items, key=lambda i: ((i.start or i.end or ""), i.end or "", i.kind, i.name, i.iri))
    return Timeline(ordered, {kind: undated[kind] for kind in TIMELINE_KINDS if kind in undated})


def _places(store: ox.Store, iris: dict[str, object]) -> dict[str, set[str]]:
    """IRI -> the IRIs of its places."""
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    query = f"SELECT ?s ?p WHERE {{ VALUES ?s {{ {values} }} ?s <{_LOCATION}> ?p }}"
    found: dict[str, set[str]] = {}
    for row in store.query(query):
        found.setdefault(row["s"].value, set()).add(row["p"].value)
    return found


# ---------------------------------------------------------------------------------------------
# The picture


