"""Load stage: ``data/**/*.yaml`` -> typed records that know their file and line.

Each file is a mapping from a section (``organisations``, ``people``, ``events``, ``initiatives``,
``places``, ``sources``, ``topics``) to a list of records. Every problem of every file is collected;
:func:`load` raises one :class:`InputErrors` holding them all.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import pickle
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import EdugraphError, InputErrors, RecordError, UsageError
from edugraph.model.kinds import (
    KINDS,
    MAX_SLUG,
    RELATIONS,
    SECTIONS,
    SLUG_RE,
    TEMPORAL_FORMS,
    FieldSpec,
    Item,
    KindSpec,
    T,
    Temporal,
    a,
)
from edugraph.vocab.namespaces import XSD
from edugraph.build.yamlread import Map, Node, Scalar, Seq, describe, read_file

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_FILENAME_RE = re.compile(r"^[^/\\\x00]+$")
_MULTILINE = frozenset({"description", "note"})
MAX_INT = 10**15


class _Invalid(Exception):
    """A scalar that does not fit its field's type; the message says how."""


MAX_SUGGESTION_CANDIDATES = 5000


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """A did-you-mean hint, or None when nothing is close.

    difflib is quadratic in the word's length and linear in the choices, so both are bounded:
    thousands of bad references in a hostile file must not take minutes to report.
    """
    word = word[:100]
    candidates = [c for c in choices if c[:1] == word[:1]] or list(choices)
    close = difflib.get_close_matches(word, candidates[:MAX_SUGGESTION_CANDIDATES], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def find_files(data_dir: Path) -> list[Path]:
    """Every ``*.yaml`` under ``data_dir`` in a stable order, hidden folders skipped."""
    if not data_dir.is_dir():
        raise UsageError(f"data directory '{data_dir}' does not exist",
                         hint="pass --data DIR with the folder that holds the *.yaml records")
    return sorted(
        p for p in data_dir.rglob("*.yaml")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
    )


Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a long stage runs."""


class RecordCache:
    """Typed records of a file, kept under its content hash so an unchanged file is not parsed
    again (a pickle per file in ``folder``; safe to delete)."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt.encode()

    def key(self, path: Path, name: str) -> str | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None  # the reader reports it
        return hashlib.sha256(self.salt + name.encode() + b"\0" + data).hexdigest()

    def get(self, key: str) -> list[Item] | None:
        try:
            with (self.folder / f"{key}.pickle").open("rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # missing or from another version: parse again

    def put(self, key: str, items: list[Item]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        with tmp.open("wb") as f:
            pickle.dump(items, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.folder / f"{key}.pickle")


def load(files: Iterable[Path], vocabularies: Mapping[str, Mapping[str, str]],
         display_root: Path | None = None, cache: RecordCache | None = None,
         progress: Progress | None = None) -> list[Item]:
    """Read and type every record of ``files``; raise InputErrors with every problem found.

    With a ``cache``, a file whose bytes did not change since it last loaded cleanly is not parsed.
    """
    errors: list[EdugraphError] = []
    records: list[Item] = []
    files = list(files)
    for done, path in enumerate(files, start=1):
        name = _display(path, display_root)
        key = cache.key(path, name) if cache is not None else None
        cached = cache.get(key) if cache is not None and key is not None else None
        if cached is not None:
            records.extend(cached)
        else:
            try:
                root = read_file(path, name)
            except EdugraphError as exc:
                errors.append(exc)
                continue
            before = len(errors)
            items = _file_records(root, name, vocabularies, errors)
            records.extend(items)
            if cache is not None and key is not None and len(errors) == before:
                cache.put(key, items)
        if progress is not None:
            progress("load", done, len(files))
    if errors:
        raise InputErrors(errors)
    return records


def load_text(text: str, name: str, vocabularies: Mapping[str, Mapping[str, str]]) -> list[Item]:
    """Like :func:`load` for one YAML text (tests, editors)."""
    from edugraph.build.yamlread import parse_text

    errors: list[EdugraphError] = []
    try:
        records = _file_records(parse_text(text, name), name, vocabularies, errors)
    except EdugraphError as exc:
        raise InputErrors([exc]) from None
    if errors:
        raise InputErrors(errors)
    return records


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def _file_records(root: Node | None, name: str, vocabularies: Mapping[str, Mapping[str, str]],
                  errors: list[EdugraphError]) -> list[Item]:
    if root is None:
        return []
    if not isinstance(root, Map):
        errors.append(RecordError(
            f"the file holds {describe(root)}, not a mapping of sections",
            file=name, line=root.line,
            hint="start the file with a section such as 'organisations:' followed by a list of records"))
        return []
    records: list[Item] = []
    for section, node in root.items.items():
        line = root.key_lines[section]
        kind = SECTIONS.get(section)
        if kind is None:
            hint = suggest(section, SECTIONS) or f"sections are: {', '.join(SECTIONS)}"
            errors.append(RecordError(f"unknown section '{section}'", file=name, line=line, hint=hint))
            continue
        if isinstance(node, Scalar) and node.text is None:
            continue
        if not isinstance(node, Seq):
            errors.append(RecordError(
                f"section '{section}' holds {describe(node)}, not a list of records",
                file=name, line=node.line, hint="write each record as a list item starting with '- id:'"))
            continue
        for entry in node.items:
            item = _item(KINDS[kind], entry, name, vocabularies, errors, None, "", 0)
            if item is not None:
                records.append(item)
    return records


def _item(spec: KindSpec, node: Node, name: str, vocabularies: Mapping[str, Mapping[str, str]],
          errors: list[EdugraphError], parent: Item | None, field_name: str, index: int) -> Item | None:
    if not isinstance(node, Map):
        where = f"{parent.label}, {field_name} #{index + 1}" if parent else None
        what = f"{a(spec.name)} record" if parent is None else f"each entry of '{field_name}'"
        errors.append(RecordError(
            f"{what} must be a mapping of fields, found {describe(node)}",
            file=name, line=node.line, record=where,
            hint=f"write it as 'field: value' lines, e.g. '{next(iter(spec.required))}: ...'"))
        return None
    item = Item(spec.name, name, node.line, parent=parent, index=index, field_name=field_name)
    id_node = node.items.get("id")
    if parent is None and isinstance(id_node, Scalar) and id_node.text:
        item.values["id"] = id_node.text  # provisional, so messages can name the record

    def err(message: str, field: str | None, line: int, hint: str | None = None) -> None:
        errors.append(RecordError(message, file=name, line=line, record=item.label, field=field,
                                  hint=hint))

    for key, value in node.items.items():
        line = node.key_lines[key]
        fspec = spec.fields.get(key)
        if fspec is None:
            err(f"unknown field '{key}'", None, line,
                suggest(key, spec.fields) or f"{spec.name} fields are: {', '.join(spec.fields)}")
            continue
        item.lines[key] = line
        if isinstance(value, Scalar) and value.text is None:
            err("is empty", key, line, f"give {a(fspec.type_name)} or remove the field")
            continue
        if fspec.type is T.NESTED:
            rel = RELATIONS[fspec.nested or ""]
            if not isinstance(value, Seq):
                err(f"must be a list of mappings, found {describe(value)}", key, line,
                    f"write each entry as '- {rel.required[0]}: ...'")
                continue
            entries = []
            for i, entry in enumerate(value.items):
                child = _item(rel, entry, name, vocabularies, errors, item, key, i)
                if child is not None:
                    entries.append(child)
            item.values[key] = entries
            continue
        if fspec.many:
            if not isinstance(value, Seq):
                err(f"must be a list, found {describe(value)}", key, line,
                    f"write it as [{value.text}]" if isinstance(value, Scalar) else "write a list")
                continue
            typed, seen = [], set()
            for element in value.items:
                try:
                    result = _scalar(fspec, element, vocabularies)
                except _Invalid as exc:
                    err(str(exc), key, element.line, _hint(fspec))
                    continue
                if result in seen:
                    err(f"lists {_show(result)} twice", key, element.line, "remove one")
                else:
                    seen.add(result)
                    typed.append(result)
            if not value.items:
                err("is an empty list", key, line, "give at least one value or remove the field")
            item.values[key] = typed
        else:
            try:
                item.values[key] = _scalar(fspec, value, vocabularies)
            except _Invalid as exc:
                err(str(exc), key, value.line, _hint(fspec))
    for required in spec.required:
        if required not in node.items:
            example = "[source-id]" if required == "sources" else "..."
            err(f"has no '{required}'", None, node.line, f"add '{required}: {example}'")
    _check_unique_entries(item, err)
    return item


def _check_unique_entries(item: Item, err) -> None:
    """Relationship entries that would get the same IRI are an error (design: flat, stable IRIs)."""
    keys = {"participants": ("agent", "role"), "counts": ("of",)}
    for field_name, fields in keys.items():
        seen: dict[tuple, int] = {}
        for entry in item.values.get(field_name, []):
            key = tuple(entry.values.get(f) for f in fields)
            if None in key:
                continue
            if key in seen:
                what = " and ".join(f"{f} '{v}'" for f, v in zip(fields, key))
                err(f"#{entry.index + 1} repeats {what} of #{seen[key] + 1}", field_name, entry.line,
                    "merge the two entries")
            else:
                seen[key] = entry.index


def _show(value: object) -> str:
    return f"'{value.lexical}'" if isinstance(value, Temporal) else f"'{value}'"


def _hint(spec: FieldSpec) -> str | None:
    return {
        T.ID: "use lowercase letters, digits and single hyphens, e.g. 'unesco-tec'",
        T.REF: "use the id of a record, e.g. 'unesco-tec'",
        T.TEMPORAL: "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm+hh:mm",
        T.INT: "write a whole number without separators, e.g. 25",
        T.BOOL: "write true or false",
        T.IRI: "write a full http:// or https:// address without spaces",
        T.FILENAME: "write a file name without folders",
        T.TEXT: None,
    }.get(spec.type)


def _scalar(spec: FieldSpec, node: Node, vocabularies: Mapping[str, Mapping[str, str]]) -> object:
    """The typed value of a scalar; raises _Invalid saying what is wrong."""
    if not isinstance(node, Scalar) or node.text is None:
        raise _Invalid(f"must be {a(spec.type_name)}, found {describe(node)}")
    raw = node.text
    bad = _BAD_CHARS.search(raw)
    if bad:
        raise _Invalid(f"contains the control character U+{ord(bad.group()):04X}")
    text = unicodedata.normalize("NFC", raw).strip()
    if spec.type is T.TEXT:
        if not text:
            raise _Invalid("is blank")
        if "\n" in text and spec.name not in _MULTILINE:
            raise _Invalid("must be a single line")
        return text if spec.name in _MULTILINE else " ".join(text.split())
    if spec.type in (T.ID, T.REF):
        if not SLUG_RE.match(text) or len(text) > MAX_SLUG:
            raise _Invalid(f"'{text}' is not a valid id")
        return text
    if spec.type is T.CONCEPT:
        terms = vocabularies.get(spec.scheme or "", {})
        if text not in terms:
            hint = suggest(text, terms)
            allowed = ", ".join(sorted(terms))
            raise _Invalid(f"'{text}' is not in the {spec.scheme} vocabulary; " + (hint or f"use one of: {allowed}"))
        return text
    if spec.type is T.TEMPORAL:
        return _temporal(text)
    if spec.type is T.INT:
        if not re.fullmatch(r"0|[1-9][0-9]*", text) or int(text) > MAX_INT:
            raise _Invalid(f"'{text}' is not a whole number")
        return int(text)
    if spec.type is T.BOOL:
        if text not in ("true", "false"):
            raise _Invalid(f"'{text}' is not true or false")
        return text == "true"
    if spec.type is T.IRI:
        if not _IRI_RE.match(text) or len(text) > 2000:
            raise _Invalid(f"'{text}' is not a valid http(s) IRI")
        try:
            ox.NamedNode(text)
        except ValueError as exc:
            raise _Invalid(f"'{text}' is not a valid IRI ({exc})") from None
        return text
    if spec.type is T.FILENAME:
        if not _FILENAME_RE.match(text) or text in (".", ".."):
            raise _Invalid(f"'{text}' is not a plain file name")
        return text
    raise AssertionError(spec.type)


def _temporal(text: str) -> Temporal:
    for pattern, datatype in TEMPORAL_FORMS:
        if pattern.match(text):
            break
    else:
        raise _Invalid(f"'{text}' is not a date")
    if text[:4] == "0000":
        raise _Invalid(f"'{text}' has the year 0000, which XML Schema dates do not have")
    try:
        if len(text) == 7:
            date(int(text[:4]), int(text[5:7]), 1)
        elif len(text) == 10:
            date.fromisoformat(text)
        elif len(text) > 10:
            moment = datetime.fromisoformat(text)
            offset = moment.utcoffset()
            if offset is not None and abs(offset.total_seconds()) > 14 * 3600:
                raise ValueError("time zone offset beyond ±14:00")
    except ValueError as exc:
        raise _Invalid(f"'{text}' is not a real date ({exc})") from None
    if datatype == XSD.dateTime and text[16:17] != ":":
        text = f"{text[:16]}:00{text[16:]}"  # xsd:dateTime requires seconds
    return Temporal(text, datatype)
