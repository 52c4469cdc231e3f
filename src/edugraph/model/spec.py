"""The shapes of the record model: value types, fields and kinds (the tables themselves are in
:mod:`edugraph.model.kinds`)."""

from __future__ import annotations

from enum import Enum
from typing import Any, NamedTuple


class T(Enum):
    """Value types of fields."""

    ID = "id"  # a lowercase slug
    TEXT = "text"
    REF = "reference"
    TEMPORAL = "date"  # year, year-month, date or date-time
    INT = "integer"
    BOOL = "boolean"
    IRI = "IRI"
    CONCEPT = "vocabulary term"
    CHOICE = "choice"  # one of a few fixed words (``choices``)
    FILENAME = "file name"
    NESTED = "list of mappings"


# Named tuples rather than dataclasses: as immutable, and every command's start-up makes these
# classes (a dataclass costs about a millisecond to make, a named tuple a fifth of that).
class FieldSpec(NamedTuple):
    """One field of a record or of a qualified relationship."""

    name: str
    type: T
    doc: str
    required: bool = False
    many: bool = False
    predicate: str | None = None
    """Property the field maps to (subject: the record or relationship node)."""
    by_target: dict[str, str] | None = None
    """For references whose property depends on the kind of the target."""
    refs: tuple[str, ...] = ()
    """Kinds a reference may point to."""
    scheme: str | None = None
    """Concept scheme of a CONCEPT field."""
    lang: str | None = None
    """Language tag of a TEXT field's literals."""
    nested: str | None = None
    """Name of the relationship spec of a NESTED field."""
    value_iris: dict[Any, str] | None = None
    """For fields whose values map to IRIs rather than literals: value -> IRI."""
    grounded: bool = False
    """For relationships: the value is written as the source writes it, so the grounding check
    looks for it in each text that states the relationship (titles, counts)."""
    multiline: bool = False
    """A TEXT field that may run over several lines (kept as written, not joined)."""
    phrase: str | None = None
    """How a message names the field (``start date``); None: the field's name in quotes."""
    choices: tuple[str, ...] = ()
    """The words a CHOICE field takes."""
    predicate_by: tuple[str, dict[str, str]] | None = None
    """(field, value -> predicate): the property depends on another field's value (a count's
    ``value`` is schema:minValue when its ``bound`` is at-least); ``predicate`` otherwise."""

    @property
    def type_name(self) -> str:
        if self.type is T.REF:
            return "id of " + " or ".join(a(k) for k in self.refs)
        if self.type is T.CONCEPT:
            return f"term of the {self.scheme} vocabulary"
        if self.type is T.CHOICE:
            return f"{', '.join(self.choices[:-1])} or {self.choices[-1]}"
        return self.type.value


class KindSpec(NamedTuple):
    """A kind of record, or of qualified relationship (``is_node``)."""

    name: str
    section: str
    """YAML top-level key that holds records of this kind (empty for relationships)."""
    classes: tuple[str, ...]
    """rdf:type values of every instance: the own class first, then the standard one."""
    fields: dict[str, FieldSpec]
    doc: str
    link: tuple[str, bool] | None = None
    """For relationships: (property, True if parent -> node, False if node -> parent)."""
    label: str = ""
    hierarchy: str | None = None
    """For records: the field that links a record to its parents of the same kind (no cycles)."""
    iri_key: tuple[str, ...] = ()
    """For relationships: the fields whose values, after the record's id, make the node's IRI."""
    numbered: bool = False
    """For relationships: entries with the same key are numbered (1, 2...) in the IRI; otherwise
    two entries with the same key are an error."""
    other_end: str | None = None
    """For relationships: the reference field naming the record at the other end."""
    unnamed: bool = False
    """For records: one may have no ``name`` when it has exactly one ``mentioned_as`` (a person
    a source names only by an office: "the Vice Shanghai Mayor")."""

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields.values() if f.required]

    @property
    def own_class(self) -> str:
        """edugraph's own class of the kind (``eg:Person``)."""
        return self.classes[0]


def a(noun: str) -> str:
    """``a person``, ``an organisation``: the indefinite article messages need."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
