"""rapidyaml's fast path reads every file as libyaml does: the same tree, or libyaml's message.

Every fixture and data file, the hostile inputs of the strict-YAML tests, the mutations the fuzz
tests make and random record-like texts go through both engines. The fast path (``engine="ryml"``)
either builds the very tree libyaml builds (node types, texts, lines, flags) or declines
(UnsureError), and then ``auto`` reads the file with libyaml, so every message stays libyaml's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edugraph.build import yamlfast, yamlread, yamltable
from edugraph.build.yamlread import UnsureError, parse_text
from edugraph.errors import YamlSyntaxError

from . import test_fuzz, test_security, test_yamlread
from .conftest import ROOT

FILES = sorted({*(ROOT / "tests" / "fixtures").rglob("*.yaml"), *(ROOT / "data").rglob("*.yaml")})
HOSTILE = [text for text, _ in test_yamlread.test_rejections_name_file_and_line.pytestmark[0].args[1]] + [
    text for text, _ in test_security.test_strict_records.pytestmark[0].args[1]] + [
    "[" * 5000, "a: " + "[" * 70 + "]" * 70 + "\n", "- " * 70 + "x\n", "a: ''\nb: ''\n", "a:\nb: ~\n"]


def outcome(text: str, engine: yamlread.Engine) -> object:
    """The tree an engine reads, or the message it raises."""
    try:
        return parse_text(text, "f.yaml", engine=engine)
    except YamlSyntaxError as exc:
        return str(exc)


def same(text: str) -> bool:
    """Both engines agree on ``text``; True where the fast path read it itself."""
    expected = outcome(text, "libyaml")
    assert outcome(text, "auto") == expected
    try:
        fast = parse_text(text, "f.yaml", engine="ryml")
    except UnsureError:
        return False
    assert fast == expected
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_and_data_file_reads_the_same(path: Path) -> None:
    same(path.read_text(encoding="utf-8"))


def test_the_fast_path_reads_most_files_itself() -> None:
    """A fast path that always declined would pass the comparisons and be useless."""
    read = [same(path.read_text(encoding="utf-8")) for path in FILES]
    assert sum(read) >= len(read) // 3, [str(p) for p, r in zip(FILES, read) if not r]


def test_generated_records_read_the_same_by_the_fast_path(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate.generate(300, tmp_path, 7, 100)
    files = sorted(tmp_path.glob("*.yaml"))
    assert files and all(same(p.read_text(encoding="utf-8")) for p in files)


def test_the_node_table_read_through_the_binding_gives_the_same_trees(monkeypatch) -> None:
    """Where the tree's node array does not hold what the SWIG calls answer (another build of
    rapidyaml), the table is read through the calls: that path builds the same trees."""
    assert yamlfast._nodes is yamltable.raw_nodes  # this build: read straight from the array
    monkeypatch.setattr(yamlfast, "_nodes", yamltable.api_nodes)
    assert sum(same(path.read_text(encoding="utf-8")) for path in FILES) >= len(FILES) // 3


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_inputs_give_the_same_tree_or_message(text: str) -> None:
    same(text)


@pytest.mark.parametrize("name", sorted(test_fuzz.REAL))
def test_mutated_policy_files_read_the_same(name: str) -> None:
    text = test_fuzz.REAL[name].decode("utf-8")
    lines = text.splitlines(keepends=True)
    for n in range(0, len(lines), max(1, len(lines) // 25)):
        for cut in (lines[:n] + lines[n + 1:], lines[:n] + ["  " + lines[n]] + lines[n + 1:],
                    lines[:n] + [lines[n].replace(":", ": :", 1)] + lines[n + 1:],
                    lines[:n] + [lines[n].replace('"', "'", 1)] + lines[n + 1:]):
            same("".join(cut))


# Record-like texts: block mappings and lists, flow lists and mappings, every scalar style,
# comments, blank lines, odd spacing and the nasty texts of the fuzz tests as keys and values.
_simple = st.sampled_from(["id", "name", "a b", "x-y", "é", "-1", "a:b", "a#b", "q'q", 'q"q', "~", "",
                           "Ta\\ck", "2024-01-02", "https://e.org/a?b=c", "1.10", "null", "x" * 40])
_words = st.one_of(*[_simple] * 12, st.sampled_from(test_fuzz.NASTY),
                   st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8))
_keys = st.one_of(*[st.sampled_from(["id", "name", "a b", "x-y", "é", "q'q", "sources", "type"])] * 8, _words)


def _scalar(text: str, style: str) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return json.dumps(text, ensure_ascii=bool(len(text) % 2))
    return text


@st.composite
def record_texts(draw: st.DrawFn) -> str:
    styles = st.sampled_from(["plain", "plain", "single", "double"])
    lines: list[str] = [draw(st.sampled_from(["", "# a comment\n", "\n"]))]
    for _ in range(draw(st.integers(1, 3))):
        lines.append(_scalar(draw(_keys), draw(styles)) + ":" + draw(st.sampled_from(["", " "])) + "\n")
        dash = draw(st.sampled_from(["  - ", "- ", "  -   ", "  -\n    "]))
        for _ in range(draw(st.integers(0, 3))):
            for i in range(draw(st.integers(1, 3))):
                key = _scalar(draw(_keys), draw(styles))
                kind = draw(st.sampled_from(["scalar", "flow", "map", "empty", "list"]))
                if kind == "flow":
                    items = [_scalar(draw(_words), draw(styles)) for _ in range(draw(st.integers(0, 3)))]
                    value = " [" + draw(st.sampled_from([", ", ",", " ,\n      "])).join(items) + "]"
                elif kind == "map":
                    value = " {" + ", ".join(f"{_scalar(draw(_keys), 'plain')}: {_scalar(draw(_words), s)}"
                                             for s in draw(st.lists(styles, max_size=2))) + "}"
                elif kind == "list":
                    value = "".join(f"\n      - {_scalar(draw(_words), draw(styles))}"
                                    for _ in range(draw(st.integers(1, 2))))
                elif kind == "empty":
                    value = ""
                else:
                    value = " " + _scalar(draw(_words), draw(styles)) + draw(
                        st.sampled_from(["", "  # c", " #", "   "]))
                indent = dash if i == 0 else " " * len(dash.split("\n")[-1])
                lines.append(f"{indent}{key}:{value}\n")
    return "".join(lines)


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(text=record_texts())
def test_random_record_texts_read_the_same(text: str) -> None:
    same(text)


# Texts for the shortcuts of the walk: keys checked once per distinct key, openers once per
# indentation, the buffer compared once where rapidyaml unescaped nothing (and scalar by scalar
# where it did), a value's line taken from its key's where both are on one line.
WALK_TEXTS = [
    'a:\n  - id: "x"\n    b: "y"\n  - id: "z"\n    b: "w"\n',  # the same keys and prefixes again
    'a:\n  - id: "x\\"y"\n    b: "p"\n  - id: "q"\n',  # rapidyaml unescaped one scalar in the buffer
    'a: "x\\ty"\nb: "c"\nid: "d"\n',
    'a:\n  "x"\nb: c\n',  # the value on the line after its key
    'a:\n  b\nc: d\n',
    'a: ["x",\n  "y"]\nb:\n  - "z"\n  -   "w"\n',
    'a:\n  - b: c\n  -\n    b: d\n',  # an item's mapping on the line after its dash
    'a: [b, c]\nd: [e]\n- f\n',
]


@pytest.mark.parametrize("text", WALK_TEXTS)
def test_the_walk_shortcuts_give_libyaml_tree_or_message(text: str) -> None:
    same(text)


def test_the_fast_path_reads_the_usual_shapes_itself() -> None:
    read = [same(text) for text in WALK_TEXTS[:3] + WALK_TEXTS[5:6]]
    assert read == [True, True, True, True]
