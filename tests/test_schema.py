"""``edugraph schema``: the JSON Schema editors check the records with, as a YAML language server
sees them (YAML 1.2's core types: a plain ``2024`` is a number, ``true`` a boolean).

Every file edugraph loads validates; every value the loader accepts, written plain, quoted or with
its own sources, validates as an editor sees it; what the loader rejects for an unknown section or
field, a wrong form or an unknown term the schema rejects too, and what it cannot tell apart is
listed. The schema is valid draft 2020-12, its patterns compile as ECMA-262 (the editors' regular
expressions), its bytes are stable, and the project's terms are in its enums.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator, Draft202012Validator

from edugraph.build.load import file_records
from edugraph.build.yamlread import Map, Node, Seq, parse_text, read_file
from edugraph.errors import EdugraphError, YamlSyntaxError
from edugraph.model.kinds import KINDS, RELATIONS, FieldSpec, KindSpec, T
from edugraph.model.schema import core_scalar, record_schema, schema_text
from edugraph.starter import EDITOR_SETTINGS, SCHEMA_FILE, starter_files
from edugraph.vocab import ontology
from edugraph.vocab.ontology import vocabularies

from .conftest import BUNDLED, FIXTURES, ROOT


def editor_view(node: Node | None) -> Any:
    """The value a YAML 1.2 language server makes of a node tree: plain scalars typed by the core
    schema, quoted and block ones text."""
    if isinstance(node, Map):
        return {key: editor_view(value) for key, value in node.items.items()}
    if isinstance(node, Seq):
        return [editor_view(item) for item in node.items]
    if node is None or node.text is None:
        return None
    return core_scalar(node.text) if node.plain else node.text


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(record_schema(vocabularies()))


def loader_errors(root: Node | None) -> list[str]:
    errors: list[EdugraphError] = []
    file_records(root, "f.yaml", vocabularies(), errors)
    return [error.format() for error in errors]


def schema_errors(root: Node | None) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator().iter_errors(editor_view(root)))


# ---------------------------------------------------------------------------------------------
# The schema itself


@pytest.mark.parametrize(("text", "value"), [
    ("2024", 2024), ("0999", 999), ("-5", -5), ("+5", 5), ("0o17", 15), ("0x1F", 31),
    ("1.10", 1.1), ("1e3", 1000.0), ("1.", 1.0), (".5", 0.5), (".inf", math.inf), ("-.Inf", -math.inf),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False),
    ("~", None), ("null", None), ("Null", None), ("", None),
    ("NO", "NO"), ("yes", "yes"), ("tRUE", "tRUE"), ("nULL", "nULL"), ("2024-11-10", "2024-11-10"),
    ("1_000", "1_000"), ("0b101", "0b101"), ("1,000", "1,000"), ("0x", "0x"), ("e3", "e3"),
    ("inf", "inf"), ("12:30", "12:30"), ("a-b", "a-b"),
])
def test_plain_scalars_are_typed_as_yaml_1_2_types_them(text: str, value: object) -> None:
    typed = core_scalar(text)
    assert (type(typed), typed) == (type(value), value)


def test_not_a_number_is_a_float() -> None:
    for text in (".nan", ".NaN", ".NAN"):
        typed = core_scalar(text)
        assert isinstance(typed, float) and math.isnan(typed)


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = record_schema(vocabularies())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_section_kind_and_field_is_in_the_schema_with_its_doc() -> None:
    schema = record_schema(vocabularies())
    assert sorted(schema["properties"]) == sorted(spec.section for spec in KINDS.values())
    assert schema["additionalProperties"] is False
    for spec in (*KINDS.values(), *RELATIONS.values()):
        entry = schema["$defs"][spec.name]
        assert (entry["type"], entry["additionalProperties"]) == ("object", False)
        assert {name: f["description"] for name, f in entry["properties"].items()} == {
            name: f.doc for name, f in spec.fields.items()}
        assert entry["required"] == sorted(set(spec.required) - ({"name"} if spec.unnamed else set()))


def test_the_output_is_stable_and_sorted() -> None:
    text = schema_text(vocabularies())
    assert text == schema_text(vocabularies())
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert record_schema(vocabularies())["$defs"]["participation-role"]["enum"] == sorted(
        vocabularies()["participation-role"])


def patterns(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "pattern" and isinstance(inner, str):
                yield inner
            else:
                yield from patterns(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from patterns(inner)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js, the editors' JavaScript")
def test_every_pattern_is_an_ecma_regexp_that_agrees_with_python() -> None:
    """The language servers run the patterns as JavaScript ``RegExp`` with the ``u`` flag."""
    found = sorted(set(patterns(record_schema(vocabularies()))))
    samples = ["2024", " 2024-02-29 ", "2023-02-29", "2025-07-02T17:00:59+14:00", "2025-07-02T24:00",
               "unesco-tec", "Not_A_Slug", "https://example.org/a%20b", "https://exa mple.org", "a/b",
               "..", " .. x", "true", "1000000000000000", "1000000000000001", "a\nb", " a \n", "\u00a0",
               "\x01", "é", ""]
    script = ("const [ps, ss] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(ps.map(p => ss.map(s => new RegExp(p, 'u').test(s)))));")
    out = subprocess.run(["node", "-e", script], input=json.dumps([found, samples]), capture_output=True,
                         text=True, timeout=60, check=True)
    assert json.loads(out.stdout) == [[re.search(p, s) is not None for s in samples] for p in found]


# ---------------------------------------------------------------------------------------------
# Every file edugraph loads validates


def data_files() -> list[Path]:
    return sorted([*BUNDLED.rglob("*.yaml"), *FIXTURES.rglob("*.yaml")])


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_that_loads_validates(path: Path) -> None:
    root = read_file(path)
    if loader_errors(root):
        pytest.skip("the loader rejects it")  # none does today: every fixture is meant to load
    assert schema_errors(root) == []


def test_the_starter_files_validate_and_point_at_the_schema() -> None:
    files = starter_files(schema_text(vocabularies()))
    assert json.loads(files[Path(SCHEMA_FILE)]) == record_schema(vocabularies())
    records = [path for path in files if path.suffix == ".yaml"]
    assert records
    for path in records:
        text = files[path].decode("utf-8")
        first, _, _ = text.partition("\n")
        assert first == "# yaml-language-server: $schema=../edugraph.schema.json"
        target = first.partition("$schema=")[2]
        assert os.path.normpath(path.parent / target) == SCHEMA_FILE
        root = parse_text(text, str(path))
        assert (loader_errors(root), schema_errors(root)) == ([], [])
    settings_ = json.loads(files[Path(EDITOR_SETTINGS)])
    assert settings_ == {"yaml.schemas": {"./edugraph.schema.json": ["data/*.yaml", "data/**/*.yaml"]}}


def simple_glob(pattern: str) -> re.Pattern[str]:
    """Globs as older YAML language servers read them: '*' is '.*', matched at the path's end."""
    return re.compile(re.escape(pattern).replace(r"\*", ".*") + "$")


def globstar(pattern: str) -> re.Pattern[str]:
    """Globs as newer ones read them: '**/' any folders or none, '*' within one, anywhere."""
    parts = re.escape(pattern).replace(r"\*\*/", "\0").replace(r"\*", "[^/]*").replace("\0", "(?:.*/)?")
    return re.compile("(?:^|/)" + parts + "$")


@pytest.mark.parametrize("read", [simple_glob, globstar])
def test_the_editor_settings_reach_every_record_file(read) -> None:
    [globs] = json.loads(starter_files("{}")[Path(EDITOR_SETTINGS)])["yaml.schemas"].values()
    for path in ("file:///home/me/p/data/people.yaml", "file:///home/me/p/data/more/deeper/x.yaml"):
        assert any(read(glob).search(path) for glob in globs), path
    assert not any(read(glob).search("file:///home/me/p/queries/x.yaml") for glob in globs)


# ---------------------------------------------------------------------------------------------
# What the loader rejects, the schema rejects (where a JSON value can tell)

ORG = "organisations:\n  - id: o\n    name: O\n    sources: [s]\n"
EVENT = "events:\n  - id: e\n    name: E\n    note: n\n    sources: [s]\n"
PERSON = "people:\n  - id: p\n    name: P\n    sources: [s]\n"
COUNT = ORG + "    counts:\n      - of: staff\n"

REJECTED = {
    # Unknown sections and fields; shapes that are not a file of records
    "unknown section": "peple:\n  - id: p\n",
    "unknown field": ORG + "    nmae: X\n",
    "unknown field of a relationship": COUNT + "        value: 1\n        colour: red\n",
    "a file that is a list": "- id: p\n",
    "a section that is a mapping": "people:\n  id: p\n",
    "a record that is text": "people:\n  - just a name\n",
    "a relationship list that is a mapping": PERSON + "    positions:\n      organisation: o\n",
    # Required fields
    "no name, no sources": "people:\n  - id: p\n",
    "no file": "sources:\n  - id: s\n    name: S\n",
    "a count without value": COUNT,
    "a participation without role": EVENT + "    participants:\n      - agent: a\n",
    "no name and two mentioned_as": "people:\n  - id: p\n    mentioned_as: [a, b]\n    sources: [s]\n",
    "no name and no mentioned_as": "people:\n  - id: p\n    honorifics: [Dr.]\n    sources: [s]\n",
    # Empty and blank values, lists
    "an empty value": ORG + "    description:\n",
    "a null value": ORG + "    website: null\n",
    "a blank name": "organisations:\n  - id: o\n    name: '   '\n    sources: [s]\n",
    "a name over two lines": 'organisations:\n  - id: o\n    name: "a\\nb"\n    sources: [s]\n',
    "a control character": 'organisations:\n  - id: o\n    name: "a\\u0007b"\n    sources: [s]\n',
    "a control character in a note": ORG + '    note: "bad \\x01 char"\n',
    "a list given as text": ORG + "    aliases: AU\n",
    "a value given as a list": ORG + "    website: [https://example.org/]\n",
    "an empty list": ORG + "    aliases: []\n",
    "a value listed twice": ORG + "    aliases: [A, A]\n",
    "a source listed twice": "organisations:\n  - id: o\n    name: O\n    sources: [s, s]\n",
    # Ids and references
    "an id that is not a slug": "organisations:\n  - id: Not_A_Slug\n    name: O\n    sources: [s]\n",
    "a reference that is not a slug": ORG + "    part_of: Not_A_Slug\n",
    "a negative id": "organisations:\n  - id: -1\n    name: O\n    sources: [s]\n",
    "an id over 100 characters": f"organisations:\n  - id: {'a' * 101}\n    name: O\n    sources: [s]\n",
    # Vocabularies and choices
    "an unknown term": ORG + "    type: univercity\n",
    "a term of another vocabulary": ORG + "    type: partner\n",
    "an unknown role": EVENT + "    participants:\n      - agent: a\n        role: chairperson\n",
    "online: NO": EVENT + "    online: NO\n",
    "online: maybe": EVENT + "    online: maybe\n",
    "a bound that is not one": COUNT + "        value: 20\n        bound: above\n",
    # Numbers and flags
    "a number with a separator": COUNT + "        value: 1,000\n",
    "a negative number": COUNT + "        value: -1\n",
    "a fraction": COUNT + "        value: 2.5\n",
    "a number past the limit": COUNT + "        value: 1000000000000001\n",
    "a number as words": EVENT + "    number: eighth\n",
    "a flag written yes": COUNT + "        value: 1\n        approximate: yes\n",
    "a flag written 1": PERSON + "    positions:\n      - organisation: o\n        former: 1\n",
    # Dates
    "not a date": EVENT + "    start: yesterday\n",
    "a day past the month's end": EVENT + "    start: 2025-02-30\n",
    "the 29th of February of a common year": EVENT + "    start: 2023-02-29\n",
    "month 13": EVENT + "    start: 2025-13\n",
    "a month of one digit": EVENT + "    start: 2025-7-02\n",
    "the year 0000": EVENT + "    start: 0000\n",
    "the year 10000": EVENT + "    start: 10000\n",
    "hour 24": EVENT + "    start: 2025-07-02T24:00\n",
    "a time zone beyond 14 hours": EVENT + "    start: 2025-07-02T10:00-23:59\n",
    "a date and time with a space": EVENT + "    start: 2025-07-02 10:00\n",
    "a date given as true": "sources:\n  - id: s\n    name: S\n    file: s.txt\n    published: true\n",
    # Addresses and file names
    "not an address": ORG + "    website: not a url\n",
    "an address with a space": ORG + "    website: https://exa mple.org\n",
    "a bad percent escape": ORG + "    same_as: [https://example.org/a%zz]\n",
    "an ftp address": ORG + "    website: ftp://example.org/\n",
    "a file name with a folder": "sources:\n  - id: s\n    name: S\n    file: texts/s.txt\n",
    "a file name that is ..": "sources:\n  - id: s\n    name: S\n    file: '..'\n",
    # Values with their own sources
    "own sources missing": ORG + "    aliases:\n      - {value: OO}\n",
    "own sources empty": ORG + "    aliases:\n      - {value: OO, sources: []}\n",
    "own sources with another key": ORG + "    aliases:\n      - {value: OO, sources: [s], note: x}\n",
    "own sources not a list": ORG + "    website: {value: 'https://example.org/', sources: s}\n",
    "own sources that are not ids": ORG + "    aliases:\n      - {value: OO, sources: [Not An Id]}\n",
    "own sources of an id": ("organisations:\n  - id: {value: o, sources: [s]}\n    name: O\n"
                             "    sources: [s]\n"),
    "own sources of sources": ("organisations:\n  - id: o\n    name: O\n    sources:\n"
                               "      - {value: s, sources: [s]}\n"),
    "own sources of a relationship list": PERSON + "    positions: {value: [], sources: [s]}\n",
    "own sources around a list": ORG + "    aliases: {value: [OO], sources: [s]}\n",
    "a wrong value with its own sources": EVENT + "    online: {value: maybe, sources: [s]}\n",
}


@pytest.mark.parametrize("text", [ORG, EVENT, PERSON, COUNT + "        value: 1\n"])
def test_the_cases_below_start_from_records_that_load_and_validate(text: str) -> None:
    root = parse_text(text, "f.yaml")
    assert (loader_errors(root), schema_errors(root)) == ([], [])


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_what_the_loader_rejects_the_schema_rejects(name: str) -> None:
    root = parse_text(REJECTED[name], "f.yaml")
    assert loader_errors(root) != []
    assert schema_errors(root) != []


# The loader reads what was written; an editor sees only the value YAML 1.2 makes of it, which is
# also the value of a form the loader accepts.
INDISTINGUISHABLE = {
    "0777 (the editor sees 777)": EVENT + "    number: 0777\n",
    "0x19 (25)": COUNT + "        value: 0x19\n",
    "25.0 (a whole number)": COUNT + "        value: 25.0\n",
    "1e3 (1000)": COUNT + "        value: 1e3\n",
    "+2024 (2024)": EVENT + "    start: +2024\n",
    "online: True (true)": EVENT + "    online: True\n",
    "former: FALSE (false)": PERSON + "    positions:\n      - organisation: o\n        former: FALSE\n",
    "an id 1.5 (an id such as 15e-1)": "organisations:\n  - id: 1.5\n    name: O\n    sources: [s]\n",
    "an end before the start (rules across fields)": EVENT + "    start: 2025\n    end: 2024\n",
    "a relationship without sources in a record citing two": (
        "people:\n  - id: p\n    name: P\n    sources: [s, t]\n    positions:\n      - organisation: o\n"),
    "two entries with the same IRI": (EVENT + "    participants:\n      - agent: a\n        role: chair\n"
                                      "      - agent: a\n        role: chair\n"),
    "a list item split at its comma": ORG + "    mentioned_as: [Ministries in K, the Kyrgyz Republic]\n",
    "a term quoted with spaces in the quotes (terms match exactly)": ORG + "    type: ' university'\n",
}


def test_draft_07_reads_the_schema_alike() -> None:
    """Most editors' YAML language servers implement draft-07: the schema means the same there."""
    schema = record_schema(vocabularies())
    Draft7Validator.check_schema(schema)
    draft7 = Draft7Validator(schema)
    texts = [*REJECTED.values(), *INDISTINGUISHABLE.values(),
             *(path.read_text(encoding="utf-8") for path in data_files())]
    for text in texts:
        view = editor_view(parse_text(text, "f.yaml"))
        assert draft7.is_valid(view) == validator().is_valid(view), text


@pytest.mark.parametrize("name", sorted(INDISTINGUISHABLE))
def test_what_the_schema_cannot_tell_is_the_loaders(name: str) -> None:
    root = parse_text(INDISTINGUISHABLE[name], "f.yaml")
    loaded = loader_errors(root)
    if "quoted with spaces" in name:
        assert loaded == []  # the loader strips them; the schema's enum does not
        assert schema_errors(root) != []
        return
    assert loaded != []
    assert schema_errors(root) == []


def test_a_year_in_other_digits_is_refused_by_both() -> None:
    root = parse_text(EVENT + "    start: '\u0662\u0660\u0662\u0664'\n", "f.yaml")
    assert loader_errors(root) != []  # ASCII digits only: XML Schema dates have no others
    assert schema_errors(root) == ["events/0/start: '٢٠٢٤' is not valid under any of the given schemas"]


def test_unnamed_person_with_one_mentioned_as_validates() -> None:
    root = parse_text("people:\n  - id: p\n    mentioned_as: [the Vice Mayor]\n    sources: [s]\n", "f.yaml")
    assert (loader_errors(root), schema_errors(root)) == ([], [])


# ---------------------------------------------------------------------------------------------
# Every value the loader accepts validates as an editor sees it


def example(spec: FieldSpec) -> str:
    """A value of ``spec`` the loader accepts."""
    if spec.type is T.CONCEPT:
        return next(iter(vocabularies()[spec.scheme or ""]))
    if spec.type is T.CHOICE:
        return spec.choices[0]
    return {T.ID: "x", T.REF: "x", T.TEXT: "X", T.TEMPORAL: "2020", T.INT: "1", T.BOOL: "true",
            T.IRI: "https://example.org/", T.FILENAME: "f.txt"}[spec.type]


def holder(relation: str) -> tuple[KindSpec, str]:
    """The first kind of record with a field of ``relation`` entries, and that field."""
    return next((spec, f.name) for spec in KINDS.values() for f in spec.fields.values()
                if f.nested == relation)


def fields_of(spec: KindSpec, tested: str, written: str, indent: str) -> list[str]:
    lines = []
    for f in spec.fields.values():
        if f.name == tested:
            value = written
        elif f.required:
            value = example(f)
        else:
            continue
        if f.many:
            lines.append(f"{indent}{f.name}:\n{indent}  - {value}")
        else:
            lines.append(f"{indent}{f.name}: {value}")
    return lines


def case_text(owner: KindSpec, tested: str, written: str) -> str:
    """A file with one record whose field ``tested`` (or, for a relationship, whose one entry's
    field) is ``written`` (YAML for the value)."""
    if owner.section:
        lines = fields_of(owner, tested, written, "    ")
        return f"{owner.section}:\n  - " + "\n".join(lines)[4:] + "\n"
    record, field = holder(owner.name)
    entry = fields_of(owner, tested, written, "        ")
    lines = [*fields_of(record, "", "", "    "), f"    {field}:", "      - " + "\n".join(entry)[8:]]
    return f"{record.section}:\n  - " + "\n".join(lines)[4:] + "\n"


FIELDS = [(spec, name) for spec in (*KINDS.values(), *RELATIONS.values())
          for name, f in spec.fields.items() if f.type is not T.NESTED]
WORDS = ["2024", "0999", "2024-02-29", "2023-02-29", "2025-07-02T17:00+06:00", "2025-07-02T17:00:59Z",
         "2025-13", "0000", "true", "false", "True", "NO", "yes", "mixed", "at-least", "at-most", "0",
         "0777", "25", "1,000", "1e3", "15e-1", "0x1f", "0o17", ".inf", ".nan", "1.10", "-5", "+5",
         "1000000000000000", "1000000000000001", "a-b", "unesco-tec", "Not_A_Slug", "x",
         "https://example.org/a%20b", "https://example.org/a%zz", "http://x y", "f.txt", "a/b", "..",
         ".", " padded ", "a\nb", " a\n", "", "   ", "\x01", "\u0085", "caf\u00e9", "Cafe\u0301",
         "workshop", "university", "partner", "chair", "host", "city"]
STYLES = ["plain", "double", "single", "own sources"]


def written_as(word: str, style: str) -> str | None:
    if style == "double":
        return json.dumps(word, ensure_ascii=False)
    if style == "own sources":
        # x: every record's sources (example() of a reference)
        return "{value: " + json.dumps(word, ensure_ascii=False) + ", sources: [x]}"
    if "\n" in word:
        return None
    return word if style == "plain" else "'" + word.replace("'", "''") + "'"


def accepted_is_valid(owner: KindSpec, tested: str, written: str) -> None:
    text = case_text(owner, tested, written)
    try:
        root = parse_text(text, "f.yaml")
    except YamlSyntaxError:
        return  # no value reaches either
    if loader_errors(root):
        return
    assert schema_errors(root) == [], text


@pytest.mark.parametrize(("owner", "tested"), FIELDS, ids=[f"{o.name}.{n}" for o, n in FIELDS])
def test_every_value_the_loader_accepts_validates(owner: KindSpec, tested: str) -> None:
    for word in WORDS:
        if word == " padded " and owner.fields[tested].type in (T.CONCEPT, T.CHOICE):
            continue  # see test_what_the_schema_cannot_tell_is_the_loaders
        for style in STYLES:
            written = written_as(word, style)
            if written is not None:
                accepted_is_valid(owner, tested, written)


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(FIELDS),
       word=st.one_of(
           st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?"
                         r"(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?", fullmatch=True),
           st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True),
           st.integers(-10, 10**16).map(str),
           st.text(alphabet=" \t\nabcAZ09-+.:,/\\%~#'\"\x01\u00a0\u00e9e", max_size=8)),
       style=st.sampled_from(STYLES))
def test_random_values_the_loader_accepts_validate(case: tuple[KindSpec, str], word: str, style: str) -> None:
    owner, tested = case
    if owner.fields[tested].type in (T.CONCEPT, T.CHOICE) and word != word.strip():
        return  # terms and choices match exactly: see above
    written = written_as(word, style)
    if written is not None:
        accepted_is_valid(owner, tested, written)


# ---------------------------------------------------------------------------------------------
# The command, and the project's vocabulary

TERM = "https://example.org/vocab/workshop-series"
VOCABULARY = f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{TERM}> a skos:Concept ;
    skos:inScheme <https://w3id.org/edugraph/concept/event-type> ;
    skos:prefLabel "workshop series"@en .
"""


@pytest.fixture
def project_vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "vocabulary.ttl").write_text(VOCABULARY, encoding="utf-8")
    (tmp_path / "edugraph.toml").write_text('vocabulary = ["vocabulary.ttl"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    ontology.use_vocabulary([])


def test_schema_prints_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("schema")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == schema_text(vocabularies())


def test_schema_writes_the_file_with_the_projects_terms(project_vocabulary: Path, cli) -> None:
    result = cli("schema", "-o", "edugraph.schema.json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "wrote edugraph.schema.json\n", "")
    written = json.loads((project_vocabulary / "edugraph.schema.json").read_text(encoding="utf-8"))
    terms = written["$defs"]["event-type"]["enum"]
    assert "workshop-series" in terms and "workshop" in terms
    assert terms == sorted(terms)
    records = ("events:\n  - id: e\n    name: E\n    type: workshop-series\n    start: 2026\n"
               "    sources: [s]\n")
    assert list(Draft202012Validator(written).iter_errors(editor_view(parse_text(records, "f.yaml")))) == []


def test_without_the_project_the_term_is_not_in_the_enum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          cli) -> None:
    monkeypatch.chdir(tmp_path)
    ontology.use_vocabulary([])
    result = cli("schema")
    assert "workshop-series" not in json.loads(result.stdout)["$defs"]["event-type"]["enum"]


def test_a_bad_vocabulary_file_is_an_error(project_vocabulary: Path, cli) -> None:
    (project_vocabulary / "vocabulary.ttl").write_text("not turtle\n", encoding="utf-8")
    result = cli("schema", "-o", "edugraph.schema.json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: ")
    assert not (project_vocabulary / "edugraph.schema.json").exists()


def test_init_writes_the_schema_the_command_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   cli) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("init", "p").exit_code == 0
    monkeypatch.chdir(tmp_path / "p")
    assert cli("schema").stdout == Path(SCHEMA_FILE).read_text(encoding="utf-8")
