"""Ids are unique across files and every reference resolves to a record of the right kind."""

from __future__ import annotations

import pytest

from edugraph.build.load import load_text
from edugraph.build.resolve import resolve
from edugraph.errors import InputErrors
from edugraph.vocab.ontology import vocabularies

SOURCE = "sources:\n  - id: s\n    name: S\n    file: s.txt\n"


def resolve_texts(*texts: str):
    records = []
    for i, text in enumerate(texts):
        records += load_text(text, f"f{i}.yaml", vocabularies())
    return resolve(records)


def messages(*texts: str) -> list[str]:
    with pytest.raises(InputErrors) as info:
        resolve_texts(*texts)
    return [e.format() for e in info.value.errors]


def test_records_are_ordered_by_kind_then_id() -> None:
    dataset = resolve_texts(
        SOURCE, "places:\n  - id: b\n    name: B\n    sources: [s]\n"
                "  - id: a\n    name: A\n    sources: [s]\n"
                "organisations:\n  - id: z\n    name: Z\n    sources: [s]\n")
    assert [(r.kind, r.id) for r in dataset.records] == [
        ("organisation", "z"), ("place", "a"), ("place", "b"), ("source", "s")]


def test_duplicate_id_across_files_names_both_places() -> None:
    assert messages(SOURCE, "places:\n  - id: s\n    name: S\n    sources: [s]\n") == [
        "f1.yaml:2: place 's', field 'id': id 's' is already used by the source at f0.yaml:2; "
        "give each record an id of its own, or merge the two records"
    ]


def test_unknown_reference_suggests_a_close_id() -> None:
    text = ("organisations:\n  - id: unesco-tec\n    name: T\n    sources: [s]\n"
            "people:\n  - id: p\n    name: P\n    sources: [s]\n    positions:\n"
            "      - organisation: unesco-tek\n        title: Director\n")
    assert messages(SOURCE, text) == [
        "f1.yaml:10: person 'p', positions #1, field 'organisation': unknown id 'unesco-tek'; "
        "did you mean 'unesco-tec'?"
    ]


def test_reference_to_the_wrong_kind() -> None:
    assert messages(SOURCE, "places:\n  - id: p\n    name: P\n    sources: [s]\n"
                            "  - id: q\n    name: Q\n    part_of: [s]\n    sources: [s]\n") == [
        "f1.yaml:7: place 'q', field 'part_of': 's' is a source, not a place; refer to a place here"
    ]


def test_hierarchy_cycle() -> None:
    text = ("organisations:\n  - id: a\n    name: A\n    part_of: b\n    sources: [s]\n"
            "  - id: b\n    name: B\n    part_of: a\n    sources: [s]\n")
    assert messages(SOURCE, text) == [
        "f1.yaml:4: organisation 'a', field 'part_of': is, through 'part_of', part of itself; "
        "remove one link of the cycle",
        "f1.yaml:8: organisation 'b', field 'part_of': is, through 'part_of', part of itself; "
        "remove one link of the cycle",
    ]
