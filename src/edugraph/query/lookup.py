"""Records named on a command line: an id checked against the graph, and when it names no record
of the kind wanted, a message saying what the text is instead.

``show`` and ``viz`` take a record's id, and so does a stored query's ``id:<kind>`` parameter. The
text must be the id of a record (of that kind); otherwise the UsageError says what it is: the
name, an alias or a mention of a record (matched without regard to case or spacing), the id of a
record of another kind ("'shanghai' is a place, not a person"), or close to a record's id or name
(a did-you-mean). A name is never taken for the record it names, even when it names just one: a
command line must mean the same record after a record of the same name is added.

The look-up is SPARQL, run on a :class:`edugraph.query.source.Source` (or an Oxigraph store), so
it works on every source alike, an endpoint included: one small query when every id is right, and
one more, listing the records' ids and names, only when one is not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import pyoxigraph as ox

from edugraph.errors import UsageError, closest
from edugraph.model import values
from edugraph.model.kinds import KINDS, OWN_CLASSES, RECORD_KINDS, kind_and_id
from edugraph.model.spec import a
from edugraph.query.source import Bindings, Source
from edugraph.query.stored import StoredQuery, bind
from edugraph.vocab.namespaces import RDF_TYPE, record_iri

Where = Source | ox.Store
"""Where records are looked up: a query source, or an Oxigraph store read directly."""

_NAMING: dict[str, str] = {"id": "the id of", "name": "the name of", "aliases": "an alias of",
                           "mentioned_as": "how a source mentions"}
"""How a text names a record (the id, or a field whose values name it) -> how a message says so."""
_NAMED_BY: dict[str, str] = {predicate: name for spec in KINDS.values() for name in _NAMING
                             if name in spec.fields and (predicate := spec.fields[name].predicate)}
"""Property -> the naming field it comes from (``schema:name`` -> ``name``)."""
SEARCH_HINT = "try 'edugraph search TEXT'"


class _Named(NamedTuple):  # not a dataclass: see edugraph.model.values.Temporal
    """A way a record is named: its IRI, kind and id, the text and what that text is of it."""

    iri: str
    kind: str
    id: str
    how: str  # id | name | aliases | mentioned_as
    text: str

    def phrase(self) -> str:
        """``the name of person 'zhang-minxuan'``."""
        return f"{_NAMING[self.how]} {self.kind} '{self.id}'"


def _rows(where: Where, text: str) -> list[tuple[str | None, ...]]:
    """The rows of one of edugraph's own SELECT queries, as plain strings."""
    if isinstance(where, Source):
        return where.own(text).values()
    return [tuple(None if t is None else t.value for t in row) for row in where.query(text)]


def _iris(iris: Sequence[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _is_id(text: str) -> bool:
    try:
        values.slug(text)
    except values.InvalidValue:
        return False
    return True


def _record(iri: str | None, type_: str | None) -> tuple[str, str] | None:
    """``(kind, id)`` when ``iri`` is a record's and ``type_`` its kind's own class."""
    found = kind_and_id(iri or "")
    return found if found and OWN_CLASSES.get(type_ or "") == found[0] else None


def existing(where: Where, texts: Sequence[str]) -> dict[str, list[str]]:
    """Text -> the kinds of record it is the id of, in the model's order (an id is unique across
    a dataset, but a store loaded from elsewhere may reuse one); one query for all of them."""
    ids = sorted({t for t in texts if _is_id(t)})
    if not ids:
        return {}
    iris = [record_iri(kind, i) for i in ids for kind in RECORD_KINDS]
    found: dict[str, set[str]] = {}
    query = f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {_iris(iris)} }} ?s <{RDF_TYPE}> ?t }}"
    for s, t in _rows(where, query):
        if record := _record(s, t):
            found.setdefault(record[1], set()).add(record[0])
    return {i: [k for k in RECORD_KINDS if k in kinds] for i, kinds in found.items()}


def _key(text: str) -> str:
    """How texts are compared: without regard to case or runs of spaces."""
    return " ".join(text.casefold().split())


def _records(where: Where, kind: str | None = None,
             subjects: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
    """Record IRI -> ``(kind, id)``, for the records of ``kind`` (every kind when None), or for
    those of ``subjects``."""
    classes = [c for c, k in OWN_CLASSES.items() if kind in (None, k)]
    chosen = f"VALUES ?s {{ {_iris(subjects)} }} " if subjects is not None else ""
    query = f"SELECT ?s ?t WHERE {{ {chosen}VALUES ?t {{ {_iris(classes)} }} ?s <{RDF_TYPE}> ?t }}"
    return {s: record for s, t in _rows(where, query) if s and (record := _record(s, t))}


def _namings(where: Where) -> list[tuple[str, str, str]]:
    """(subject, how, text) of every name, alias and mention in the graph."""
    query = f"SELECT ?s ?p ?label WHERE {{ VALUES ?p {{ {_iris(list(_NAMED_BY))} }} ?s ?p ?label }}"
    return [(s, _NAMED_BY[p], label) for s, p, label in _rows(where, query)
            if s and label and p in _NAMED_BY]


def _catalogue(records: Mapping[str, tuple[str, str]],
               namings: Sequence[tuple[str, str, str]]) -> list[_Named]:
    """``records`` by their ids and by the ``namings`` of theirs, sorted."""
    named = {_Named(s, *record, "id", record[1]) for s, record in records.items()}
    named.update(_Named(s, *records[s], how, label) for s, how, label in namings if s in records)
    order = {how: i for i, how in enumerate(_NAMING)}
    return sorted(named, key=lambda n: (RECORD_KINDS.index(n.kind), n.id, order[n.how], n.text))


def _listing(named: Sequence[_Named]) -> str:
    """``the name of person 'a' and an alias of event 'b'``."""
    phrases = list(dict.fromkeys(n.phrase() for n in named))
    return phrases[0] if len(phrases) == 1 else f"{', '.join(phrases[:-1])} and {phrases[-1]}"


def not_found(where: Where, text: str, kind: str | None = None,
              other_kinds: Sequence[str] = ()) -> UsageError:
    """The error for a ``text`` that is no id of a record (of ``kind``, when given), saying what
    it is instead; ``other_kinds``: the kinds of the records it is the id of."""
    wanted = kind or "record"
    if other_kinds:  # only when a kind is wanted: any kind would have done otherwise
        return UsageError(f"'{text}' is {' and '.join(a(k) for k in other_kinds)}, not {a(wanted)}")
    # Every naming is read (a name of a record of any kind may be what was meant), but records
    # only for the few that match, then those of the kind wanted for a did-you-mean: listing
    # every record with its names at once took seconds at 100k records.
    namings = _namings(where)
    wanted_key = _key(text)
    matching = [n for n in namings if _key(n[2]) == wanted_key]
    found = _records(where, subjects=sorted({n[0] for n in matching})) if matching else {}
    same = [n for n in _catalogue(found, matching) if n.how != "id"]
    mine = [n for n in same if kind in (None, n.kind)]
    if mine:
        its = "its id" if len({n.iri for n in mine}) == 1 else "the id of the one you mean"
        return UsageError(f"'{text}' is {_listing(mine)}", hint=f"use {its}")
    if same:
        return UsageError(f"'{text}' is {_listing(same)}, not {a(wanted)}")
    named = _catalogue(_records(where, kind), namings)
    candidates = {_key(n.text): n for n in reversed(named) if kind in (None, n.kind)}
    close = closest(_key(text), candidates)
    hint = SEARCH_HINT
    if close is not None:
        near = candidates[close]
        hint = f"did you mean '{near.id}'" + ("" if near.how == "id" else f" ({near.text})") + "?"
    return UsageError(f"no {wanted} has the id '{text}'", hint=hint)


def find_record(where: Where, text: str, kind: str | None = None) -> str:
    """The IRI of the record whose id is ``text`` (of ``kind``, when given); else the UsageError
    of :func:`not_found`."""
    return find_records(where, [text], kind)[text]


def find_records(where: Where, texts: Sequence[str], kind: str | None = None) -> dict[str, str]:
    """Text -> the IRI of the record whose id it is, for each of ``texts`` (of ``kind``, when
    given), in one query; the first text that names none raises :func:`not_found`'s error."""
    kinds = existing(where, texts)
    found: dict[str, str] = {}
    for text in texts:
        fits = [k for k in kinds.get(text, ()) if kind in (None, k)]
        if not fits:
            raise not_found(where, text, kind, kinds.get(text, ()))
        found[text] = record_iri(fits[0], text)
    return found


def checked_bindings(source: Source, query: StoredQuery, given: Mapping[str, Sequence[str]]) -> Bindings:
    """The bound parameters of :func:`edugraph.query.stored.bind`, each value of an ``id:<kind>``
    parameter checked to be the id of a record of that kind in ``source`` (one query for all of
    them); a UsageError naming the parameter otherwise."""
    ids = [(param, value) for param in query.params if param.type.startswith("id:")
           for value in given.get(param.name, ()) if _printable(value)]
    # Every other mistake first, as bind reports it (an unknown parameter, a missing one, two
    # values for one): a name given for an id stands in as an id meanwhile, to be worded below.
    standing = {name: ["x" if not _is_id(v) and _printable(v) and _takes_ids(query, name) else v
                       for v in vs] for name, vs in given.items()}
    bind(query, standing)
    kinds = existing(source, [value for _, value in ids]) if ids else {}
    for param, value in ids:
        kind = param.type.partition(":")[2]
        if kind not in kinds.get(value, ()):
            error = not_found(source, value, kind, kinds.get(value, ()))
            raise UsageError(f"parameter '{param.name}' of query '{query.name}': {error.message}",
                             hint=error.hint)
    return bind(query, given)


def _takes_ids(query: StoredQuery, name: str) -> bool:
    param = query.param(name)
    return param is not None and param.type.startswith("id:") and not param.choices


def _printable(text: str) -> bool:
    """Whether ``text`` is valid UTF-8 (undecodable bytes of a command line are left to
    :func:`edugraph.query.stored.bind`, which names them)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
