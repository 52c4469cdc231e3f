"""The record files as a JSON Schema (draft 2020-12), so that editors complete and check sections,
fields, vocabulary terms and the forms of values while a curator types.

Everything is derived from the record model (:data:`~edugraph.model.kinds.KINDS`,
:data:`~edugraph.model.kinds.RELATIONS`, each field's type) and the vocabularies the caller passes
in (the project's terms included). A file is an object of sections, each a list of records; a
record and a relationship entry take only their own fields.

Editors see YAML through a language server that types plain scalars by YAML 1.2's core schema
(:func:`core_scalar`: a plain ``2024`` is a number there, ``true`` a boolean, ``2024-11-10``
text), where edugraph keeps every scalar as text and types it by the field. So each field accepts
every value the loader accepts, as the language server sees it (a year as a number or as text, a
flag as a boolean or as the text "true"), and rejects what the loader rejects wherever the value
the server sees can tell (month 13, a day past the month's end, an unknown term, a field or
section that does not exist). What it cannot tell stays the loader's: a number written ``0777``
reaches the server as 777, a flag written ``True`` as true; and so do the rules across fields
(dates in order, who states what, relationships that would share an IRI).

Only keywords that draft-07 reads the same way are used (``$ref`` beside nothing but a
description, no ``prefixItems`` or ``unevaluatedProperties``), since most editors' YAML language
servers implement draft-07; every pattern is valid in ECMA-262 (with the ``u`` flag) and in
Python's ``re``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

from edugraph.model.kinds import KINDS, RELATIONS, SECTIONS
from edugraph.model.spec import FieldSpec, KindSpec, T
from edugraph.model.values import MAX_INT, MAX_IRI, MAX_SLUG

Vocabularies = Mapping[str, Mapping[str, str]]
"""``{scheme: {term: label}}``, as :func:`edugraph.vocab.ontology.vocabularies` gives them."""

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
UNSOURCED: Final = ("id", "sources")
"""Fields whose value may not be written ``{value: ..., sources: [...]}`` (nor may a nested one)."""

# The loader refuses these characters anywhere in a value (the lone surrogates it also refuses
# never reach an editor: YAML readers refuse them first).
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
_YEAR = "(?!0000)[0-9]{4}"
_MONTH = "(?:0[1-9]|1[0-2])"
_MONTH_DAY = ("(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
              "|(?:0[13578]|1[02])-31)")
_LEAP_DAY = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29"
_DAY = f"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_DAY})"
_TIME = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
_ZONE = "(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))"  # XML Schema's offsets: at most 14 hours
_SLUG = "[a-z0-9]+(?:-[a-z0-9]+)*"
_ANY_NUMBER: Final = {"type": "number"}
_ANY_FLAG: Final = {"type": "boolean"}


def _at_most(limit: int) -> str:
    """The digits, without a leading zero, of the numbers 1 to ``limit``."""
    digits = str(limit)
    forms = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):  # as long as the limit: smaller at the first digit that differs
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - i - 1
            forms.append(f"{digits[:i]}[{lowest}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "|".join([*forms, digits])


def _padded(pattern: str) -> str:
    """The whole text, with the spaces around it that the loader strips."""
    return rf"^\s*(?:{pattern})\s*$"


def _text(pattern: str) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern, "not": {"pattern": _CONTROL}}


# Each form of value: its description, and the JSON values a YAML 1.2 reader makes of the
# scalars the loader accepts for it.
_FORMS: Final[dict[str, tuple[str, list[dict[str, Any]]]]] = {
    "text": ("text, over several lines if need be",
             [_text(r"\S"), _ANY_NUMBER, _ANY_FLAG]),
    "line": ("text on one line",
             [_text(r"^\s*\S(?:[^\n]*\S)?\s*$"), _ANY_NUMBER, _ANY_FLAG]),
    # A slug of digits, 0o17, 0x1f or 1e3 is a number to a YAML 1.2 reader; true and false flags.
    "slug": ("an id: lowercase letters, digits and single hyphens",
             [{"type": "string", "pattern": _padded(rf"(?=[a-z0-9-]{{1,{MAX_SLUG}}}\s*$){_SLUG}")},
              {"type": "number", "minimum": 0}, _ANY_FLAG]),
    "date": ("YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|+hh:mm]",
             [{"type": "integer", "minimum": 1, "maximum": 9999},
              {"type": "string", "pattern": _padded(
                  f"{_YEAR}|{_YEAR}-{_MONTH}|{_DAY}|{_DAY}T{_TIME}{_ZONE}?")}]),
    "whole-number": ("a whole number without sign or separators",
                     [{"type": "integer", "minimum": 0, "maximum": MAX_INT},
                      {"type": "string", "pattern": _padded(f"0|{_at_most(MAX_INT)}")}]),
    "flag": ("true or false",
             [_ANY_FLAG, {"type": "string", "pattern": _padded("true|false")}]),
    "iri": ("a full http:// or https:// address",
            [{"type": "string", "pattern": _padded(
                rf'(?=\S{{1,{MAX_IRI}}}\s*$)https?://(?:[^\s<>"{{}}|\\^`%]|%[0-9A-Fa-f]{{2}})+')}]),
    "file-name": ("a file name without folders",
                  [_text(r"^(?!\s*\.\.?\s*$)[^/\\]*[^/\\\s][^/\\]*$"), _ANY_NUMBER, _ANY_FLAG]),
}
_FORM_OF: Final = {T.ID: "slug", T.REF: "slug", T.TEMPORAL: "date", T.INT: "whole-number",
                   T.BOOL: "flag", T.IRI: "iri", T.FILENAME: "file-name"}

_CORE: Final = (
    (re.compile(r"~|null|Null|NULL|"), lambda s: None),
    (re.compile(r"true|True|TRUE"), lambda s: True),
    (re.compile(r"false|False|FALSE"), lambda s: False),
    (re.compile(r"[-+]?[0-9]+"), int),
    (re.compile(r"0o[0-7]+"), lambda s: int(s[2:], 8)),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda s: int(s[2:], 16)),
    (re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"), float),
    (re.compile(r"[-+]?\.(?:inf|Inf|INF)"), lambda s: float(s.replace(".", "").lower())),
    (re.compile(r"\.(?:nan|NaN|NAN)"), lambda s: float("nan")),
)


def core_scalar(text: str) -> None | bool | int | float | str:
    """A plain scalar as YAML 1.2's core schema types it, as editors' language servers read it
    (``2024`` -> 2024, ``True`` -> True, ``NO`` and ``2024-11-10`` stay text)."""
    for pattern, make in _CORE:
        if pattern.fullmatch(text):
            return make(text)
    return text


def record_schema(vocabularies: Vocabularies) -> dict[str, Any]:
    """The JSON Schema of a record file, its vocabulary fields taking the terms of
    ``vocabularies`` (``{scheme: {term: label}}``)."""
    defs: dict[str, Any] = {}
    for spec in (*KINDS.values(), *RELATIONS.values()):
        defs[spec.name] = _kind(spec, vocabularies, defs)
    return {
        "$schema": DIALECT,
        "$comment": "Written by `edugraph schema` from edugraph's record model and the project's "
                    "vocabularies; write it again when they change (a term added to the project).",
        "title": "edugraph records",
        "description": "A file of edugraph records: sections, each a list of records of one kind.",
        "type": ["object", "null"],
        "properties": {
            section: {"description": f"{kind} records: {KINDS[kind].doc}", "type": ["array", "null"],
                      "items": {"$ref": f"#/$defs/{kind}"}}
            for section, kind in SECTIONS.items()},
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_text(vocabularies: Vocabularies) -> str:
    """:func:`record_schema` as JSON text: keys sorted, two-space indents, a final newline; the
    same model and vocabularies always give the same bytes."""
    return json.dumps(record_schema(vocabularies), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _kind(spec: KindSpec, vocabularies: Vocabularies, defs: dict[str, Any]) -> dict[str, Any]:
    required = spec.required
    schema: dict[str, Any] = {
        "title": spec.name,
        "description": spec.doc,
        "type": "object",
        "properties": {name: _field(f, vocabularies, defs) for name, f in spec.fields.items()},
        "additionalProperties": False,
    }
    if spec.unnamed:
        required = [name for name in required if name != "name"]
        # Known only by the words a source uses for them: exactly one mentioned_as.
        schema["anyOf"] = [{"required": ["name"]},
                           {"required": ["mentioned_as"], "properties": {"mentioned_as": {"maxItems": 1}}}]
    schema["required"] = sorted(required)
    return schema


def _field(spec: FieldSpec, vocabularies: Vocabularies, defs: dict[str, Any]) -> dict[str, Any]:
    if spec.type is T.NESTED:
        return {"description": spec.doc, "type": "array", "items": {"$ref": f"#/$defs/{spec.nested}"}}
    form = _form(spec, vocabularies, defs)
    value: dict[str, Any] = {"$ref": f"#/$defs/{form}"}
    if spec.name not in UNSOURCED:
        value = {"anyOf": [value, {"$ref": f"#/$defs/{_with_sources(form, defs)}"}]}
    if spec.many:
        return {"description": spec.doc, "type": "array", "items": value, "minItems": 1,
                "uniqueItems": True}
    return {"description": spec.doc, **value}


def _form(spec: FieldSpec, vocabularies: Vocabularies, defs: dict[str, Any]) -> str:
    """The name in ``$defs`` of the values ``spec`` takes, added there when new."""
    if spec.type is T.CONCEPT:
        name = spec.scheme or ""
        words = list(vocabularies.get(name, {}))
        description = f"a term of the {name} vocabulary"
    elif spec.type is T.CHOICE:
        name, words = f"{spec.name}-choice", list(spec.choices)
        description = spec.type_name
    else:
        name = _FORM_OF.get(spec.type) or ("text" if spec.multiline else "line")
        description, forms = _FORMS[name]
        defs.setdefault(name, {"description": description, "anyOf": forms})
        return name
    # A word YAML 1.2 would type (true, 2024) reaches the editor typed, unless it is quoted.
    allowed = {_enum_order(v): v for w in words for v in (w, core_scalar(w)) if v is not None}
    entry = {"description": description, "enum": [allowed[key] for key in sorted(allowed)]}
    if defs.setdefault(name, entry) != entry or name in KINDS or name in RELATIONS:
        raise AssertionError(f"two forms of value would share the name {name!r}")
    return name


def _with_sources(form: str, defs: dict[str, Any]) -> str:
    name = f"{form}-with-sources"
    defs.setdefault(name, {
        "description": "the value with the sources that state it, when only some of the record's do",
        "type": "object",
        "properties": {"value": {"$ref": f"#/$defs/{form}"},
                       "sources": {"description": "ids of the source records that state the value",
                                   "type": "array", "minItems": 1, "items": {"$ref": "#/$defs/slug"}}},
        "required": ["sources", "value"],
        "additionalProperties": False,
    })
    defs.setdefault("slug", {"description": _FORMS["slug"][0], "anyOf": _FORMS["slug"][1]})
    return name


def _enum_order(value: object) -> tuple[bool, str, str]:
    return (not isinstance(value, str), type(value).__name__, str(value))
