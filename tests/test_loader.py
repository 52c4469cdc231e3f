"""The loader types every field by the record model and reports every problem with its place."""

from __future__ import annotations

import pytest

from edugraph.build.load import load_text
from edugraph.errors import InputErrors
from edugraph.model.values import Temporal
from edugraph.vocab.namespaces import XSD
from edugraph.vocab.ontology import vocabularies


def load(text: str):
    return load_text(text, "f.yaml", vocabularies())


def messages(text: str) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load(text)
    return [e.format() for e in info.value.errors]


def test_fields_are_typed() -> None:
    [event] = load(
        "events:\n"
        "  - id: e\n"
        "    name: '  An   event '\n"
        "    start: 2025-07-02T17:00+06:00\n"
        "    end: 2025\n"
        "    online: false\n"
        "    number: 8\n"
        "    sources: [s]\n"
    )
    assert event.kind == "event"
    assert event.values == {
        "id": "e",
        "name": "An event",
        "start": Temporal("2025-07-02T17:00:00+06:00", XSD.dateTime),
        "end": Temporal("2025", XSD.gYear),
        "online": "false",
        "number": 8,
        "sources": ["s"],
    }
    assert event.lines == {"id": 2, "name": 3, "start": 4, "end": 5, "online": 6, "number": 7,
                           "sources": 8}


def test_text_is_nfc_normalised() -> None:
    [org] = load("organisations:\n  - id: o\n    name: \"Cafe\\u0301\"\n    sources: [s]\n")
    assert org.values["name"] == "Caf\u00e9"


def test_nested_relationships_know_their_parent_and_line() -> None:
    [person] = load(
        "people:\n  - id: p\n    name: P\n    sources: [s]\n    positions:\n"
        "      - organisation: o\n        title: Dean\n"
    )
    [position] = person.values["positions"]
    assert position.parent is person
    assert position.line == 6
    assert position.label == "person 'p', positions #1"
    assert position.values == {"organisation": "o", "title": "Dean"}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ("    nmae: X\n",
         "f.yaml:4: organisation 'o': unknown field 'nmae'; did you mean 'name'?"),
        ("    type: univercity\n",
         "f.yaml:4: organisation 'o', field 'type': 'univercity' is not in the organisation-type "
         "vocabulary; did you mean 'university'?"),
        ("    aliases: AU\n",
         "f.yaml:4: organisation 'o', field 'aliases': must be a list, found the text 'AU'; write it as [AU]"),
        ("    aliases: [A, A]\n",
         "f.yaml:4: organisation 'o', field 'aliases': lists 'A' twice; remove one"),
        ("    website: not a url\n",
         "f.yaml:4: organisation 'o', field 'website': 'not a url' is not a valid http(s) IRI; "
         "write a full http:// or https:// address without spaces"),
        ("    part_of: Not_A_Slug\n",
         "f.yaml:4: organisation 'o', field 'part_of': 'Not_A_Slug' is not a valid id; "
         "use the id of a record, e.g. 'unesco-tec'"),
        ("    description: \"bad \\x01 char\"\n",
         "f.yaml:4: organisation 'o', field 'description': contains the control character U+0001"),
        ("    counts:\n      - of: staff\n        value: 1,000\n",
         "f.yaml:6: organisation 'o', counts #1, field 'value': '1,000' is not a whole number; "
         "write a whole number without separators, e.g. 25"),
        ("    counts:\n      - of: staff\n        value: 1\n        approximate: yes\n",
         "f.yaml:7: organisation 'o', counts #1, field 'approximate': 'yes' is not true or false; "
         "write true or false"),
    ],
)
def test_field_errors(record: str, expected: str) -> None:
    text = "organisations:\n  - id: o\n    name: O\n" + record + "    sources: [s]\n"
    assert messages(text) == [expected]


def test_impossible_date() -> None:
    assert messages("events:\n  - id: e\n    name: E\n    start: 2025-02-30\n    sources: [s]\n") == [
        "f.yaml:4: event 'e', field 'start': '2025-02-30' is not a real date (day is out of range "
        "for month); write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm+hh:mm"
    ]


def test_missing_required_fields_are_all_reported() -> None:
    assert messages("people:\n  - id: p\n") == [
        "f.yaml:2: person 'p': has no 'name'; add 'name: ...', or, for a person a source names "
        "only by an office, give exactly one 'mentioned_as' with the source's words",
        "f.yaml:2: person 'p': has no 'sources'; add 'sources: [source-id]'",
    ]


def test_record_that_is_not_a_mapping() -> None:
    assert messages("people:\n  - just a name\n") == [
        "f.yaml:2: a person record must be a mapping of fields, found the text 'just a name'; "
        "write it as 'field: value' lines, e.g. 'id: ...'"
    ]


def test_unknown_section() -> None:
    assert messages("peple:\n  - id: p\n") == [
        "f.yaml:1: unknown section 'peple'; did you mean 'people'?"
    ]


def test_file_that_is_a_list() -> None:
    assert messages("- id: p\n") == [
        "f.yaml:1: the file holds a list, not a mapping of sections; start the file with a section "
        "such as 'organisations:' followed by a list of records"
    ]


def test_repeated_participation_would_share_an_iri() -> None:
    text = ("events:\n  - id: e\n    name: E\n    sources: [s]\n    participants:\n"
            "      - agent: a\n        role: chair\n      - agent: a\n        role: chair\n")
    assert messages(text) == [
        "f.yaml:8: event 'e', field 'participants': #2 repeats agent 'a' and role 'chair' of #1; "
        "merge the two entries"
    ]


def test_all_errors_of_a_file_are_collected() -> None:
    text = ("organisations:\n  - id: o\n    name: O\n    colour: red\n    sources: [s]\n"
            "  - id: p\n    name: P\n    type: nothing\n")
    assert len(messages(text)) == 3


@pytest.mark.parametrize(("value", "problem"), [
    ("0000", "'0000' has the year 0000, which XML Schema dates do not have"),
    ("2025-07-02T10:00-23:59", "'2025-07-02T10:00-23:59' is not a real date (time zone offset beyond ±14:00)"),
])
def test_dates_xml_schema_cannot_hold(value: str, problem: str) -> None:
    assert messages(f"events:\n  - id: e\n    name: E\n    start: {value}\n    sources: [s]\n") == [
        f"f.yaml:4: event 'e', field 'start': {problem}; write YYYY, YYYY-MM, YYYY-MM-DD or "
        "YYYY-MM-DDThh:mm+hh:mm"]
