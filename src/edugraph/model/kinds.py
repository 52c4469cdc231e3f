"""The record model: which kinds of record exist, their fields, types and RDF properties.

This table is the one place that knows kinds and fields: the loader (what a field may hold, which
fields run over several lines), resolution (hierarchy fields), the mapping (which triples a field
gives, the key of each relationship's IRI), the validation report (how a message names a field),
the prefixes of the instance namespaces and the CLI's choices are all derived from it. Adding a
kind of record means adding it here (and to the ontology and shapes).
"""

from __future__ import annotations

from typing import Any, Final

from edugraph.model.spec import FieldSpec, KindSpec, T, a
from edugraph.vocab.namespaces import (
    DCTERMS,
    EG,
    ID,
    ORG,
    PROV,
    SCHEMA,
    SCHEME_PREFIXES,
    SKOS,
    STANDARD_PREFIXES,
    Prefixes,
    set_instance_base,
)


def _f(name: str, type_: T, doc: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, type_, doc, **kw)


def _fields(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


SOURCE: Final = "source"
"""The kind of the records that the others cite as the documents stating their facts."""

SOURCES = _f("sources", T.REF, "ids of the source records that state these facts", many=True,
             predicate=PROV.wasDerivedFrom, refs=(SOURCE,), phrase="source")
NOTE = _f("note", T.TEXT, "a curator's note: doubts, disagreements between sources",
          predicate=SKOS.editorialNote, lang="en", multiline=True)


def _record_fields(*extra: FieldSpec, sources: bool = True) -> dict[str, FieldSpec]:
    common = [
        _f("id", T.ID, "lowercase slug, unique across the dataset", required=True),
        _f("name", T.TEXT, "the name as the source writes it", required=True, predicate=SCHEMA.name,
           phrase="name"),
        _f("aliases", T.TEXT, "other names: abbreviations, spellings, scripts", many=True,
           predicate=SKOS.altLabel),
        _f("mentioned_as", T.TEXT,
           "the exact words a source uses for it when it does not name it (a plural or group "
           "mention, a dropped name), quoted so the grounding check can find them", many=True,
           predicate=SKOS.hiddenLabel),
        _f("description", T.TEXT, "a description in the curator's own words",
           predicate=SCHEMA.description, lang="en", multiline=True),
        NOTE,
        _f("same_as", T.IRI, "IRIs of the same entity elsewhere (Wikidata, ROR, ...)", many=True,
           predicate=SCHEMA.sameAs),
        _f("website", T.IRI, "the entity's own web site", predicate=SCHEMA.url),
    ]
    required_sources = [SOURCES._replace(required=True)] if sources else []
    return _fields(*common, *required_sources, *extra)


_START = _f("start", T.TEMPORAL, "start: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm+hh:mm",
            predicate=SCHEMA.startDate, phrase="start date")
_END = _f("end", T.TEMPORAL, "end, in the same forms as start", predicate=SCHEMA.endDate,
          phrase="end date")
_LOCATION = _f("location", T.REF, "ids of places", many=True, predicate=SCHEMA.location,
               refs=("place",), phrase="location")
_TOPICS = _f("topics", T.REF, "ids of topics", many=True, predicate=DCTERMS.subject, refs=("topic",),
             phrase="topic")
_COUNTS = _f("counts", T.NESTED, "counts the sources state", many=True, nested="count")
_FOUNDED = _f("start", T.TEMPORAL, "when it was founded, in the same forms as an event's start",
              predicate=SCHEMA.foundingDate, phrase="start date")
_DISSOLVED = _f("end", T.TEMPORAL, "when it was dissolved or closed",
                predicate=SCHEMA.dissolutionDate, phrase="end date")
_THEME = _f("theme", T.TEXT, "the theme or motto as the source words it", predicate=EG.theme)

KINDS: Final[dict[str, KindSpec]] = {}


def _kind(spec: KindSpec) -> None:
    KINDS[spec.name] = spec


_kind(KindSpec(
    "organisation", "organisations", (EG.Organisation, ORG.Organization),
    _record_fields(
        _f("type", T.CONCEPT, "kind of organisation", predicate=DCTERMS.type,
           scheme="organisation-type", phrase="type"),
        _f("part_of", T.REF, "id of the parent organisation", predicate=ORG.subOrganizationOf,
           refs=("organisation",), phrase="'part_of'"),
        _LOCATION,
        _FOUNDED, _DISSOLVED,
        _TOPICS,
        _f("relations", T.NESTED, "qualified ties to other organisations (partner, funder...)",
           many=True, nested="tie"),
        _COUNTS,
    ),
    "An organisation or a unit of one (ministry, university, school, division, UNESCO office).",
    hierarchy="part_of",
))
_kind(KindSpec(
    "person", "people", (EG.Person, SCHEMA.Person),
    _record_fields(
        _f("honorifics", T.TEXT, "honorifics as written (Professor, Dr., Ms.)", many=True,
           predicate=SCHEMA.honorificPrefix),
        _f("positions", T.NESTED, "positions held", many=True, nested="position"),
    ),
    "A person named in a source, or known from it only by an office ('the Vice Shanghai Mayor').",
    unnamed=True,
))
_kind(KindSpec(
    "event", "events", (EG.Event, SCHEMA.Event),
    _record_fields(
        _f("type", T.CONCEPT, "kind of event", predicate=DCTERMS.type, scheme="event-type",
           phrase="type"),
        _START, _END,
        _f("online", T.CHOICE, "true: held online; false: in person; mixed: both",
           predicate=SCHEMA.eventAttendanceMode, choices=("true", "false", "mixed"),
           value_iris={"true": SCHEMA.OnlineEventAttendanceMode,
                       "false": SCHEMA.OfflineEventAttendanceMode,
                       "mixed": SCHEMA.MixedEventAttendanceMode}),
        _LOCATION,
        _f("part_of", T.REF, "ids of the events or initiatives this event belongs to", many=True,
           refs=("event", "initiative"),
           by_target={"event": SCHEMA.superEvent, "initiative": DCTERMS.isPartOf}, phrase="'part_of'"),
        _f("number", T.INT, "its number in a series, as the source gives it (8th -> 8)",
           predicate=EG.ordinal),
        _THEME,
        _TOPICS,
        _f("participants", T.NESTED, "who took part, in what role", many=True,
           nested="participation"),
        _COUNTS,
    ),
    "An event: a meeting, ceremony, workshop, training programme, speech.",
    hierarchy="part_of",
))
_kind(KindSpec(
    "initiative", "initiatives", (EG.Initiative, PROV.Activity),
    _record_fields(
        _f("type", T.CONCEPT, "kind of initiative", predicate=DCTERMS.type,
           scheme="initiative-type", phrase="type"),
        _START, _END, _LOCATION,
        _f("part_of", T.REF, "ids of the initiatives this one belongs to", many=True,
           predicate=DCTERMS.isPartOf, refs=("initiative",), phrase="'part_of'"),
        _THEME,
        _TOPICS,
        _f("participants", T.NESTED, "who was involved, in what role", many=True,
           nested="involvement"),
        _COUNTS,
    ),
    "An initiative: a project, programme, network or series of activities.",
    hierarchy="part_of",
))
_kind(KindSpec(
    "place", "places", (EG.Place, SCHEMA.Place),
    _record_fields(
        _f("type", T.CONCEPT, "kind of place", predicate=DCTERMS.type, scheme="place-type",
           phrase="type"),
        _f("part_of", T.REF, "ids of the places that contain it", many=True,
           predicate=SCHEMA.containedInPlace, refs=("place",), phrase="'part_of'"),
    ),
    "A place: a city, village, region or country.",
    hierarchy="part_of",
))
_kind(KindSpec(
    SOURCE, "sources", (EG.SourceDocument, PROV.Entity),
    _record_fields(
        _f("title", T.TEXT, "the document's headline as written", predicate=DCTERMS.title,
           phrase="title"),
        _f("file", T.FILENAME, "file name of the document's text", required=True,
           predicate=DCTERMS.identifier, phrase="file name"),
        _f("published", T.TEMPORAL, "date of publication", predicate=DCTERMS.issued,
           phrase="publication date"),
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
    hierarchy="broader",
))

# Qualified relationships: mappings nested in a record, each a node with a flat IRI of its own.
_AGENT = _f("agent", T.REF, "id of the person or organisation", required=True,
            predicate=PROV.agent, refs=("person", "organisation"), phrase="agent")
_REL_SOURCES = _f("sources", T.REF, "ids of sources, when they differ from the record's",
                  many=True, predicate=PROV.wasDerivedFrom, refs=(SOURCE,), phrase="source")
RELATIONS: Final[dict[str, KindSpec]] = {
    "position": KindSpec(
        "position", "", (EG.Position, ORG.Membership),
        _fields(
            _f("organisation", T.REF, "id of the organisation", required=True,
               predicate=ORG.organization, refs=("organisation",), phrase="organisation"),
            _f("title", T.TEXT, "the title as the source writes it", predicate=EG.title,
               phrase="title", grounded=True),
            _START, _END,
            _f("former", T.BOOL, "true when the source calls the post former but gives no end",
               predicate=EG.former),
            NOTE, _REL_SOURCES,
        ),
        "A position a person holds in an organisation.",
        link=(ORG.member, False), iri_key=("organisation",), numbered=True,
        other_end="organisation",
    ),
    "participation": KindSpec(
        "participation", "", (EG.Participation, PROV.Association),
        _fields(
            _AGENT,
            _f("role", T.CONCEPT, "their role", required=True, predicate=PROV.hadRole,
               scheme="participation-role", phrase="role"),
            _START, _END, NOTE, _REL_SOURCES,
        ),
        "Taking part in an event in a role.",
        link=(PROV.qualifiedAssociation, True), iri_key=("agent", "role"), other_end="agent",
    ),
    "involvement": KindSpec(
        "involvement", "", (EG.Involvement, PROV.Association),
        _fields(
            _AGENT,
            _f("role", T.CONCEPT, "their role", required=True, predicate=PROV.hadRole,
               scheme="involvement-role", phrase="role"),
            _f("title", T.TEXT, "their title in the initiative, as written", predicate=EG.title,
               phrase="title", grounded=True),
            _START, _END, NOTE, _REL_SOURCES,
        ),
        "Involvement in an initiative in a role.",
        link=(PROV.qualifiedAssociation, True), iri_key=("agent", "role"), other_end="agent",
    ),
    "count": KindSpec(
        "count", "", (EG.StatedCount, SCHEMA.QuantitativeValue),
        _fields(
            _f("of", T.ID, "what is counted, as a slug (participants, universities)",
               required=True, predicate=SCHEMA.unitText, phrase="'of' (what is counted)"),
            _f("value", T.INT, "the number the source gives", required=True,
               predicate=SCHEMA.value, phrase="value", grounded=True,
               predicate_by=("bound", {"at-least": SCHEMA.minValue, "at-most": SCHEMA.maxValue})),
            _f("label", T.TEXT, "what is counted, in the source's words",
               predicate=SCHEMA.description, grounded=True),
            _f("approximate", T.BOOL, "true when the source says 'about' or 'some'",
               predicate=EG.approximate),
            _f("bound", T.CHOICE, "at-least ('more than 20'), at-most ('up to 20'): the value "
               "is a bound, not the count", choices=("at-least", "at-most")),
            NOTE, _REL_SOURCES,
        ),
        "A number a source states about a record.",
        link=(EG.statedCount, True), iri_key=("of",),
    ),
    "tie": KindSpec(
        "tie", "", (EG.OrganisationTie, SCHEMA.Role),
        _fields(
            _f("organisation", T.REF, "id of the other organisation", required=True,
               predicate=EG.tiedTo, refs=("organisation",), phrase="organisation"),
            _f("role", T.CONCEPT, "what the record's organisation is to the other one (its "
               "partner, member, funder...)", required=True, predicate=EG.tieRole,
               scheme="organisation-relation-role", phrase="role"),
            _START, _END, NOTE, _REL_SOURCES,
        ),
        "A tie of an organisation to another: it is the other's partner, member, funder...",
        link=(EG.qualifiedTie, True), iri_key=("organisation", "role"),
        other_end="organisation",
    ),
}

STATEMENT: Final = "statement"
"""The IRI segment of the rdf:Statement nodes that give a value the sources that state it, where
those are not all of its record's (``statement/<record>--<field>--<digest>``)."""

SECTIONS: Final[dict[str, str]] = {spec.section: name for name, spec in KINDS.items()}
"""YAML section -> kind of record."""
RECORD_KINDS: Final = tuple(KINDS)
"""Kinds of record, in the order datasets and tables list them."""

_LINK_PHRASES = {"event": "event linking to it", "initiative": "initiative linking to it",
                 "record": "record linking to it", "person": "person"}
PHRASES: Final[dict[str, str]] = {
    **{f.name: f.phrase for spec in (*KINDS.values(), *RELATIONS.values())
       for f in spec.fields.values() if f.phrase},
    **_LINK_PHRASES,
}
"""How messages name a field, or (``event``, ``person``...) the record linking to a node, by the
``sh:name`` the shapes give it."""


def phrase(name: str | None) -> str:
    """How a message names the field ``name`` (``start date``, ``'aliases'``, ``value``)."""
    if not name:
        return "value"
    return PHRASES.get(name, f"'{name}'")


def _prefix_table() -> dict[str, str]:
    return {**STANDARD_PREFIXES, **{kind: f"{ID}{kind}/" for kind in (*KINDS, *RELATIONS, STATEMENT)}, **SCHEME_PREFIXES}


PREFIXES: Final = Prefixes(_prefix_table())
"""Prefixes bound in every serialisation and used in every table (instance namespaces take the
kind as prefix: ``person:zhang-minxuan``); they follow the base IRI in use (:func:`use_base`)."""


def use_base(base: str) -> None:
    """Mint the records under ``base`` from now on: every IRI, prefix, the JSON-LD context and
    the shapes' patterns follow it."""
    if base != str(ID):
        set_instance_base(base)
        PREFIXES.replace(_prefix_table())

OWN_CLASSES: Final[dict[str, str]] = {spec.own_class: name for name, spec in KINDS.items()}
"""edugraph's own class of each kind of record -> the kind."""


def kind_and_id(iri: str) -> tuple[str, str] | None:
    """``(kind, id)`` of the IRI of a record or a relationship node, else None."""
    base = str(ID)
    if not iri.startswith(base):
        return None
    kind, _, rest = iri[len(base):].partition("/")
    if kind not in KINDS and kind not in RELATIONS and kind != STATEMENT or not rest or "/" in rest:
        return None
    return kind, rest


def _scheme_uses() -> dict[str, str]:
    uses: dict[str, list[str]] = {}
    for kind, spec in KINDS.items():
        for f in spec.fields.values():
            if f.type is T.CONCEPT and f.scheme:
                uses.setdefault(f.scheme, []).append(f"the {f.name} of {a(kind)}")
            for g in RELATIONS[f.nested].fields.values() if f.nested else ():
                if g.type is T.CONCEPT and g.scheme:
                    uses.setdefault(g.scheme, []).append(f"the {g.name} in {a(kind)}'s {f.name}")
    return {scheme: " or ".join(places) for scheme, places in uses.items()}


SCHEME_USES: Final = _scheme_uses()
"""Concept scheme -> where the record model uses it, in a message's words ("the role in an
initiative's participants")."""


def scheme_use(scheme: str) -> str:
    """Where the model uses ``scheme``; project vocabularies the model does not use: 'no field'."""
    return SCHEME_USES.get(scheme, "no field of the record model")
