"""The record model: which kinds of record exist, their fields, types and RDF properties.

This table drives the loader (what a field may hold), the mapping (which triples a field gives)
and the validation report (which field a SHACL result is about), so the three cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Final

from edugraph.vocab.namespaces import DCTERMS, EG, ORG, PROV, SCHEMA, SKOS, XSD
from edugraph.vocab.namespaces import SLUG_RE as _SLUG_RE


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
    FILENAME = "file name"
    NESTED = "list of mappings"


@dataclass(frozen=True, slots=True)
class FieldSpec:
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

    @property
    def type_name(self) -> str:
        if self.type is T.REF:
            return "id of " + " or ".join(a(k) for k in self.refs)
        if self.type is T.CONCEPT:
            return f"term of the {self.scheme} vocabulary"
        return self.type.value


@dataclass(frozen=True, slots=True)
class KindSpec:
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

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields.values() if f.required]


def a(noun: str) -> str:
    """``a person``, ``an organisation``: the indefinite article messages need."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _f(name: str, type_: T, doc: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, type_, doc, **kw)


def _fields(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


SOURCES = _f("sources", T.REF, "ids of the source records that state these facts", many=True,
             predicate=PROV.wasDerivedFrom, refs=("source",))
NOTE = _f("note", T.TEXT, "a curator's note: doubts, disagreements between sources",
          predicate=SKOS.editorialNote, lang="en")


def _record_fields(*extra: FieldSpec, sources: bool = True) -> dict[str, FieldSpec]:
    common = [
        _f("id", T.ID, "lowercase slug, unique across the dataset", required=True),
        _f("name", T.TEXT, "the name as the source writes it", required=True, predicate=SCHEMA.name),
        _f("aliases", T.TEXT, "other names: abbreviations, spellings, scripts", many=True,
           predicate=SKOS.altLabel),
        _f("mentioned_as", T.TEXT,
           "the exact words a source uses for it when it does not name it (a plural or group "
           "mention, a dropped name), quoted so the grounding check can find them", many=True,
           predicate=SKOS.hiddenLabel),
        _f("description", T.TEXT, "a description in the curator's own words",
           predicate=SCHEMA.description, lang="en"),
        NOTE,
        _f("same_as", T.IRI, "IRIs of the same entity elsewhere (Wikidata, ROR, ...)", many=True,
           predicate=SCHEMA.sameAs),
        _f("website", T.IRI, "the entity's own web site", predicate=SCHEMA.url),
    ]
    required_sources = [replace(SOURCES, required=True)] if sources else []
    return _fields(*common, *required_sources, *extra)


_START = _f("start", T.TEMPORAL, "start: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm+hh:mm",
            predicate=SCHEMA.startDate)
_END = _f("end", T.TEMPORAL, "end, in the same forms as start", predicate=SCHEMA.endDate)
_LOCATION = _f("location", T.REF, "ids of places", many=True, predicate=SCHEMA.location,
               refs=("place",))
_TOPICS = _f("topics", T.REF, "ids of topics", many=True, predicate=DCTERMS.subject, refs=("topic",))
_COUNTS = _f("counts", T.NESTED, "counts the sources state", many=True, nested="count")
_THEME = _f("theme", T.TEXT, "the theme or motto as the source words it", predicate=EG.theme)

KINDS: Final[dict[str, KindSpec]] = {}


def _kind(spec: KindSpec) -> None:
    KINDS[spec.name] = spec


_kind(KindSpec(
    "organisation", "organisations", (EG.Organisation, ORG.Organization),
    _record_fields(
        _f("type", T.CONCEPT, "kind of organisation", predicate=DCTERMS.type,
           scheme="organisation-type"),
        _f("part_of", T.REF, "id of the parent organisation", predicate=ORG.subOrganizationOf,
           refs=("organisation",)),
        _LOCATION,
        _COUNTS,
    ),
    "An organisation or a unit of one (ministry, university, school, division, UNESCO office).",
))
_kind(KindSpec(
    "person", "people", (EG.Person, SCHEMA.Person),
    _record_fields(
        _f("honorifics", T.TEXT, "honorifics as written (Professor, Dr., Ms.)", many=True,
           predicate=SCHEMA.honorificPrefix),
        _f("positions", T.NESTED, "positions held", many=True, nested="position"),
    ),
    "A person named in a source.",
))
_kind(KindSpec(
    "event", "events", (EG.Event, SCHEMA.Event),
    _record_fields(
        _f("type", T.CONCEPT, "kind of event", predicate=DCTERMS.type, scheme="event-type"),
        _START, _END,
        _f("online", T.BOOL, "true when the event took place online",
           predicate=SCHEMA.eventAttendanceMode),
        _LOCATION,
        _f("part_of", T.REF, "ids of the events or initiatives this event belongs to", many=True,
           refs=("event", "initiative"),
           by_target={"event": SCHEMA.superEvent, "initiative": DCTERMS.isPartOf}),
        _f("number", T.INT, "its number in a series, as the source gives it (8th -> 8)",
           predicate=EG.ordinal),
        _THEME,
        _TOPICS,
        _f("participants", T.NESTED, "who took part, in what role", many=True,
           nested="participation"),
        _COUNTS,
    ),
    "An event: a meeting, ceremony, workshop, training programme, speech.",
))
_kind(KindSpec(
    "initiative", "initiatives", (EG.Initiative, PROV.Activity),
    _record_fields(
        _f("type", T.CONCEPT, "kind of initiative", predicate=DCTERMS.type,
           scheme="initiative-type"),
        _START, _END, _LOCATION,
        _f("part_of", T.REF, "ids of the initiatives this one belongs to", many=True,
           predicate=DCTERMS.isPartOf, refs=("initiative",)),
        _THEME,
        _TOPICS,
        _f("participants", T.NESTED, "who was involved, in what role", many=True,
           nested="involvement"),
        _COUNTS,
    ),
    "An initiative: a project, programme, network or series of activities.",
))
_kind(KindSpec(
    "place", "places", (EG.Place, SCHEMA.Place),
    _record_fields(
        _f("type", T.CONCEPT, "kind of place", predicate=DCTERMS.type, scheme="place-type"),
        _f("part_of", T.REF, "ids of the places that contain it", many=True,
           predicate=SCHEMA.containedInPlace, refs=("place",)),
    ),
    "A place: a city, village, region or country.",
))
_kind(KindSpec(
    "source", "sources", (EG.SourceDocument, PROV.Entity),
    _record_fields(
        _f("title", T.TEXT, "the document's headline as written", predicate=DCTERMS.title),
        _f("file", T.FILENAME, "file name of the document's text", required=True,
           predicate=DCTERMS.identifier),
        _f("published", T.TEMPORAL, "date of publication", predicate=DCTERMS.issued),
        _f("publisher", T.REF, "id of the organisation that published it",
           predicate=DCTERMS.publisher, refs=("organisation",)),
        sources=False,
    ),
    "A source document the facts come from.",
))
_kind(KindSpec(
    "topic", "topics", (EG.Topic, SKOS.Concept),
    _record_fields(
        _f("broader", T.REF, "ids of broader topics", many=True, predicate=SKOS.broader,
           refs=("topic",)),
    ),
    "A topic or theme the records are about.",
))

# Qualified relationships: mappings nested in a record, each a node with a flat IRI of its own.
_REL_SOURCES = _f("sources", T.REF, "ids of sources, when they differ from the record's",
                  many=True, predicate=PROV.wasDerivedFrom, refs=("source",))
RELATIONS: Final[dict[str, KindSpec]] = {
    "position": KindSpec(
        "position", "", (EG.Position, ORG.Membership),
        _fields(
            _f("organisation", T.REF, "id of the organisation", required=True,
               predicate=ORG.organization, refs=("organisation",)),
            _f("title", T.TEXT, "the title as the source writes it", predicate=EG.title),
            _START, _END, NOTE, _REL_SOURCES,
        ),
        "A position a person holds in an organisation.",
        link=(ORG.member, False),
    ),
    "participation": KindSpec(
        "participation", "", (EG.Participation, PROV.Association),
        _fields(
            _f("agent", T.REF, "id of the person or organisation", required=True,
               predicate=PROV.agent, refs=("person", "organisation")),
            _f("role", T.CONCEPT, "their role", required=True, predicate=PROV.hadRole,
               scheme="participation-role"),
            NOTE, _REL_SOURCES,
        ),
        "Taking part in an event in a role.",
        link=(PROV.qualifiedAssociation, True),
    ),
    "involvement": KindSpec(
        "involvement", "", (EG.Involvement, PROV.Association),
        _fields(
            _f("agent", T.REF, "id of the person or organisation", required=True,
               predicate=PROV.agent, refs=("person", "organisation")),
            _f("role", T.CONCEPT, "their role", required=True, predicate=PROV.hadRole,
               scheme="involvement-role"),
            _f("title", T.TEXT, "their title in the initiative, as written", predicate=EG.title),
            NOTE, _REL_SOURCES,
        ),
        "Involvement in an initiative in a role.",
        link=(PROV.qualifiedAssociation, True),
    ),
    "count": KindSpec(
        "count", "", (EG.StatedCount, SCHEMA.QuantitativeValue),
        _fields(
            _f("of", T.ID, "what is counted, as a slug (participants, universities)",
               required=True, predicate=SCHEMA.unitText),
            _f("value", T.INT, "the number the source gives", required=True,
               predicate=SCHEMA.value),
            _f("label", T.TEXT, "what is counted, in the source's words",
               predicate=SCHEMA.description),
            _f("approximate", T.BOOL, "true when the source says 'about' or 'some'",
               predicate=EG.approximate),
            NOTE, _REL_SOURCES,
        ),
        "A number a source states about a record.",
        link=(EG.statedCount, True),
    ),
}

SECTIONS: Final[dict[str, str]] = {spec.section: name for name, spec in KINDS.items()}

SLUG_RE: Final = _SLUG_RE  # defined beside the IRIs, so a query can check an id without this module
MAX_SLUG = 100

# Datatypes of temporal values, by lexical form.
TEMPORAL_FORMS: Final = (
    (re.compile(r"^\d{4}$"), XSD.gYear),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
    (re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?$"), XSD.dateTime),
)


@dataclass(frozen=True, slots=True)
class Temporal:
    """A date as written, with the XSD datatype its form gives."""

    lexical: str
    datatype: str


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

    @property
    def cited_sources(self) -> list[str]:
        """Ids of the sources that state this item: its own ``sources``, else (for a
        relationship) its record's; a source record states itself."""
        if self.parent is None and self.kind == "source":
            return [self.id]
        own = self.values.get("sources")
        if own or self.parent is None:
            return list(own or [])
        return list(self.parent.values.get("sources", []))
