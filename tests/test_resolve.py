"""Ids are unique across files and every reference resolves to a record of the right kind."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edugraph.build.load import load_text
from edugraph.build.resolve import _on_cycles, resolve
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


def test_a_record_on_no_cycle_is_not_reported() -> None:
    # c and e hang below the cycle a <-> b, d is its own part: only a, b and d are on a cycle
    text = ("organisations:\n  - id: a\n    name: A\n    part_of: b\n    sources: [s]\n"
            "  - id: b\n    name: B\n    part_of: a\n    sources: [s]\n"
            "  - id: c\n    name: C\n    part_of: a\n    sources: [s]\n"
            "  - id: d\n    name: D\n    part_of: d\n    sources: [s]\n"
            "  - id: e\n    name: E\n    part_of: c\n    sources: [s]\n")
    assert [m.split(":")[1] + " " + m.split("'")[1] for m in messages(SOURCE, text)] == [
        "4 a", "8 b", "16 d"]


def _walked(links: dict[str, list[str]], kinds: dict[str, str]) -> set[str]:
    """The ids that reach themselves through links between records of their own kind, found by
    walking from each one (the plain definition the one-pass search must agree with)."""
    found = set()
    for rid in links:
        seen, frontier = set(), list(links[rid])
        while frontier:
            nxt = frontier.pop()
            if nxt == rid:
                found.add(rid)
                break
            if nxt in seen or nxt not in kinds:
                continue
            seen.add(nxt)
            if kinds[nxt] == kinds[rid] and nxt in links:
                frontier.extend(links[nxt])
    return found


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefghij"),
                       st.lists(st.sampled_from("abcdefghijkl"), max_size=3), max_size=10),
       st.dictionaries(st.sampled_from("abcdefghijk"), st.sampled_from(["organisation", "place"]),
                       min_size=11, max_size=11))
def test_cycles_are_those_a_walk_from_each_record_finds(links: dict[str, list[str]],
                                                        kinds: dict[str, str]) -> None:
    entries = {rid: (targets, 1, "f.yaml", 1) for rid, targets in links.items()}
    assert _on_cycles(entries, kinds) == _walked(links, kinds)


ORGS = ("organisations:\n  - id: a\n    name: A\n    part_of: b\n    sources: [s]\n"
        "  - id: b\n    name: B\n    sources: [s]\n")


def test_a_structure_found_free_of_cycles_is_not_walked_again(tmp_path, monkeypatch) -> None:
    from edugraph.build import resolve as module
    from edugraph.build.compile import compile_units

    walks: list[int] = []
    walk = module._on_cycles
    monkeypatch.setattr(module, "_on_cycles", lambda links, kinds: walks.append(len(links)) or walk(links, kinds))
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    monkeypatch.chdir(data)
    (data / "f0.yaml").write_text(SOURCE, encoding="utf-8")
    orgs = data / "f1.yaml"

    def compiled(text: str) -> dict[str, str]:
        orgs.write_text(text, encoding="utf-8")
        return compile_units(data, cache).kinds

    kinds = {"s": "source", "a": "organisation", "b": "organisation"}
    assert compiled(ORGS) == kinds and walks == [1]
    # Another name and a line more: no id, kind or parent changed, so no walk.
    assert compiled(ORGS.replace("name: B\n", "name: Bee\n    aliases: [B]\n")) == kinds and walks == [1]
    # A new parent is walked, and the cycle it makes is reported as before.
    cycle = ORGS.replace("name: B\n", "name: B\n    part_of: a\n")
    with pytest.raises(InputErrors) as info:
        compiled(cycle)
    assert [e.format() for e in info.value.errors] == [
        "f1.yaml:4: organisation 'a', field 'part_of': is, through 'part_of', part of itself; "
        "remove one link of the cycle",
        "f1.yaml:8: organisation 'b', field 'part_of': is, through 'part_of', part of itself; "
        "remove one link of the cycle",
    ] and walks == [1, 2]
    with pytest.raises(InputErrors):  # a structure with a cycle is never taken as free of them
        compiled(cycle.replace("name: A\n", "name: Ay\n"))
    assert walks == [1, 2, 2]
    # The link removed again: the structure of the first build, known to have no cycle.
    assert compiled(ORGS) == kinds and walks == [1, 2, 2]
    # Without a cache every check walks.
    assert compile_units(data).kinds == kinds and walks == [1, 2, 2, 1]


def test_the_structure_of_a_file_is_what_the_cycle_check_reads() -> None:
    from edugraph.build.resolve import outline

    def structure(text: str) -> str:
        return outline(load_text(text, "f1.yaml", vocabularies())).structure

    first = structure(ORGS)
    assert structure(ORGS.replace("name: A\n", "name: Ay\n    aliases: [A]\n")) == first
    assert structure(ORGS.replace("    part_of: b\n", "")) != first
    assert structure(ORGS.replace("id: b\n", "id: c\n")) != first
    topics = ORGS.replace("organisations:", "topics:").replace("part_of: b", "broader: [b]")
    assert structure(topics) != first
