"""Strict YAML: every scalar a string, nothing YAML would guess, every problem with its line."""

from __future__ import annotations

import pytest

from edugraph.build.yamlread import Map, Scalar, Seq, parse_text
from edugraph.errors import YamlSyntaxError


def test_scalars_stay_strings_as_written() -> None:
    root = parse_text("a: NO\nb: 0777\nc: 1.10\nd: 2025-02-30\n", "f.yaml")
    assert isinstance(root, Map)
    assert {k: v.text for k, v in root.items.items()} == {  # type: ignore[union-attr]
        "a": "NO", "b": "0777", "c": "1.10", "d": "2025-02-30"}


def test_lines_are_kept_for_keys_and_values() -> None:
    root = parse_text("records:\n  - id: x\n    name: y\n", "f.yaml")
    assert isinstance(root, Map)
    seq = root.items["records"]
    assert isinstance(seq, Seq) and seq.line == 2
    record = seq.items[0]
    assert isinstance(record, Map)
    assert record.key_lines == {"id": 2, "name": 3}
    assert record.items["name"] == Scalar("y", 3)


def test_plain_nulls_and_quoted_empty_strings_differ() -> None:
    root = parse_text("a: ~\nb:\nc: ''\n", "f.yaml")
    assert isinstance(root, Map)
    assert [v.text for v in root.items.values()] == [None, None, ""]  # type: ignore[union-attr]


def test_empty_file_is_none() -> None:
    assert parse_text("# only a comment\n", "f.yaml") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "f.yaml:2: duplicate key 'a' (first at line 1); keep one of the two"),
        ("a: &x 1\nb: *x\n", "f.yaml:1: anchors (&x) are not allowed; write the value out"),
        ("a: [1]\nb: *x\n", "f.yaml:2: aliases (*x) are not allowed; write the value out"),
        ("<<: {a: 1}\n", "f.yaml:1: merge keys (<<) are not allowed; write the fields out"),
        ("a: !!python/object:os.system x\n",
         "f.yaml:1: tags (tag:yaml.org,2002:python/object:os.system) are not allowed; remove the tag"),
        ("a: 1\n---\nb: 2\n",
         "f.yaml:2: more than one YAML document (---) in a file; put each document in a file of its own"),
        ("a:\n\t- b\n",
         "f.yaml:2: YAML syntax error: a tab character, where YAML allows only spaces; indent with spaces"),
        ('a: "open\nb: 2\n',
         "f.yaml:3: YAML syntax error: found unexpected end of stream while scanning a quoted scalar "
         "started at line 1; close the quote"),
        ("? [a]\n: 1\n", "f.yaml:1: a mapping key must be plain text"),
        ("a: \x07\n", "f.yaml:1: YAML syntax error: control characters are not allowed"),
    ],
)
def test_rejections_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(YamlSyntaxError) as info:
        parse_text(text, "f.yaml")
    assert str(info.value) == message


def test_deep_nesting_is_an_error_not_a_recursion_crash() -> None:
    with pytest.raises(YamlSyntaxError, match=r"^f\.yaml:1: nesting deeper than 64 levels$"):
        parse_text("[" * 5000, "f.yaml")
