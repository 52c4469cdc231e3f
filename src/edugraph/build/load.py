"""Load stage: ``data/**/*.yaml`` -> typed records that know their file and line.

Each file is a mapping from a section (``organisations``, ``people``, ``events``, ``initiatives``,
``places``, ``sources``, ``topics``) to a list of records. Every problem of every file is collected;
:func:`load` raises one :class:`InputErrors` holding them all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from edugraph.build.rules import check_item
from edugraph.build.yamlread import Map, Node, Scalar, Seq, describe, parse_text, read_file
from edugraph.errors import EdugraphError, InputErrors, RecordError, suggest
from edugraph.model import values
from edugraph.model.item import Item
from edugraph.model.kinds import KINDS, RELATIONS, SECTIONS, SOURCES, scheme_use
from edugraph.model.spec import FieldSpec, KindSpec, T, a
from edugraph.model.values import InvalidValue, Temporal

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FILENAME_RE = re.compile(r"^[^/\\\x00]+$")


Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a long stage runs."""


def load(files: Iterable[Path], vocabularies: Mapping[str, Mapping[str, str]],
         display_root: Path | None = None, progress: Progress | None = None) -> list[Item]:
    """Read and type every record of ``files``; raise InputErrors with every problem found."""
    errors: list[EdugraphError] = []
    records: list[Item] = []
    files = list(files)
    for done, path in enumerate(files, start=1):
        name = display_name(path, display_root)
        try:
            root = read_file(path, name)
        except EdugraphError as exc:
            errors.append(exc)
            continue
        records.extend(file_records(root, name, vocabularies, errors))
        if progress is not None:
            progress("load", done, len(files))
    if errors:
        raise InputErrors(errors)
    return records


def load_text(text: str, name: str, vocabularies: Mapping[str, Mapping[str, str]]) -> list[Item]:
    """Like :func:`load` for one YAML text (tests, editors)."""
    errors: list[EdugraphError] = []
    try:
        records = file_records(parse_text(text, name), name, vocabularies, errors)
    except EdugraphError as exc:
        raise InputErrors([exc]) from None
    if errors:
        raise InputErrors(errors)
    return records


def display_name(path: Path, root: Path | None) -> str:
    """How messages name a file: relative to ``root`` when it is inside it."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def file_records(root: Node | None, name: str, vocabularies: Mapping[str, Mapping[str, str]],
                  errors: list[EdugraphError]) -> list[Item]:
    """The typed records of one file's node tree; every problem is appended to ``errors``."""
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
            if fspec.type is T.TEXT:
                for message, at, hint in _split_phrases(value):
                    err(message, key, at, hint)
            for element in value.items:
                try:
                    element, own = _own_sources(fspec, element)
                    result = _scalar(fspec, element, vocabularies)
                except InvalidValue as exc:
                    err(str(exc), key, element.line, _hint(fspec))
                    continue
                if own is not None:
                    item.sourced[(key, result)] = own
                    item.sourced_lines[(key, result)] = element.line
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
                value, own = _own_sources(fspec, value)
                item.values[key] = _scalar(fspec, value, vocabularies)
            except InvalidValue as exc:
                err(str(exc), key, value.line, _hint(fspec))
                continue
            if own is not None:
                item.sourced[(key, item.values[key])] = own
                item.sourced_lines[(key, item.values[key])] = value.line
    for required in spec.required:
        if required not in node.items:
            if required == "name" and spec.unnamed and len(item.values.get("mentioned_as", [])) == 1:
                continue  # known only by the words a source uses for them
            example = "[source-id]" if required == "sources" else "..."
            hint = f"add '{required}: {example}'"
            if required == "name" and spec.unnamed:
                hint += (f", or, for {a(spec.name)} a source names only by an office, give exactly "
                         "one 'mentioned_as' with the source's words")
            err(f"has no '{required}'", None, node.line, hint)
    _check_unique_entries(item, err)
    if parent is None:
        errors.extend(check_item(item))
    return item


def _check_unique_entries(item: Item, err: Callable[..., None]) -> None:
    """Relationship entries that would get the same IRI are an error (design: flat, stable IRIs)."""
    for spec in item.spec.fields.values():
        relation = RELATIONS.get(spec.nested or "")
        if relation is None or relation.numbered:
            continue
        field_name, fields = spec.name, relation.iri_key
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


_VALUE_KEYS = ("value", "sources")
_CONTINUATION = re.compile(r"^(?:the|a|an|and|or|of|in|for|to)\s")


def _split_phrases(value: Seq) -> Iterator[tuple[str, int, str]]:
    """(message, line, hint) for each item of an unquoted flow list ``[a, b]`` that reads as the
    rest of the item before it: YAML split one phrase at its comma ("Ministries of Education in
    Kazakhstan, the Kyrgyz Republic" became two items)."""
    for before, item in zip(value.items, value.items[1:]):
        if (isinstance(item, Scalar) and item.split and item.text and _CONTINUATION.match(item.text)
                and isinstance(before, Scalar) and before.text):
            joined = f"{before.text}, {item.text}"
            yield (f"'{item.text}' reads as the rest of '{before.text}': YAML splits an unquoted "
                   "[a, b] list at every comma", item.line,
                   f'quote the phrase: ["{joined}"], or quote \'{item.text}\' if it is a value of its own')



def _own_sources(spec: FieldSpec, node: Node) -> tuple[Node, list[str] | None]:
    """A value written ``{value: ..., sources: [...]}``: its value node and its sources; any other
    node as it is, with None. Raises InvalidValue on a malformed one."""
    if not isinstance(node, Map) or spec.name in ("id", "sources"):
        return node, None
    unknown = [k for k in node.items if k not in _VALUE_KEYS]
    if unknown or set(node.items) != set(_VALUE_KEYS):
        what = f"has the key '{unknown[0]}'" if unknown else "lacks " + " and ".join(
            f"'{k}'" for k in _VALUE_KEYS if k not in node.items)
        raise InvalidValue(f"a value with its own sources {what}; write it as "
                           "{value: ..., sources: [source-id, ...]}")
    listed = node.items["sources"]
    if not isinstance(listed, Seq) or not listed.items:
        raise InvalidValue(f"the sources of a value must be a list of source ids, found {describe(listed)}")
    own: list[str] = []
    for element in listed.items:
        source = _scalar(SOURCES, element, {})
        if source not in own:
            own.append(source)
    return node.items["value"], own


def _show(value: object) -> str:
    return f"'{value.lexical}'" if isinstance(value, Temporal) else f"'{value}'"


def _hint(spec: FieldSpec) -> str | None:
    return {
        T.ID: "use lowercase letters, digits and single hyphens, e.g. 'unesco-tec'",
        T.REF: "use the id of a record, e.g. 'unesco-tec'",
        T.TEMPORAL: "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm+hh:mm",
        T.INT: "write a whole number without separators, e.g. 25",
        T.BOOL: "write true or false",
        T.CHOICE: f"write {spec.type_name}",
        T.IRI: "write a full http:// or https:// address without spaces",
        T.FILENAME: "write a file name without folders",
        T.TEXT: None,
    }.get(spec.type)


def _scalar(spec: FieldSpec, node: Node, vocabularies: Mapping[str, Mapping[str, str]]) -> object:
    """The typed value of a scalar; raises InvalidValue saying what is wrong."""
    if not isinstance(node, Scalar) or node.text is None:
        raise InvalidValue(f"must be {a(spec.type_name)}, found {describe(node)}")
    raw = node.text
    bad = _BAD_CHARS.search(raw)
    if bad:
        raise InvalidValue(f"contains the control character U+{ord(bad.group()):04X}")
    text = unicodedata.normalize("NFC", raw).strip()
    if spec.type is T.TEXT:
        if not text:
            raise InvalidValue("is blank")
        if "\n" in text and not spec.multiline:
            raise InvalidValue("must be a single line")
        return text if spec.multiline else " ".join(text.split())
    if spec.type in (T.ID, T.REF):
        return values.slug(text)
    if spec.type is T.CONCEPT:
        terms = vocabularies.get(spec.scheme or "", {})
        if text not in terms:
            allowed = ", ".join(sorted(terms))
            elsewhere = [s for s, other in vocabularies.items() if s != spec.scheme and text in other]
            if elsewhere:
                raise InvalidValue(f"'{text}' is not in the {spec.scheme} vocabulary: it is "
                                   f"{a(elsewhere[0] + ' term')}, for {scheme_use(elsewhere[0])}; "
                                   f"{spec.scheme} terms, for {scheme_use(spec.scheme or '')}, are: {allowed}")
            hint = suggest(text, terms)
            raise InvalidValue(f"'{text}' is not in the {spec.scheme} vocabulary; " + (hint or f"use one of: {allowed}"))
        return text
    if spec.type is T.CHOICE:
        if text not in spec.choices:
            raise InvalidValue(f"'{text}' is not {spec.type_name}")
        return text
    if spec.type is T.TEMPORAL:
        return values.temporal(text)
    if spec.type is T.INT:
        return values.whole_number(text)
    if spec.type is T.BOOL:
        return values.boolean(text)
    if spec.type is T.IRI:
        return values.http_iri(text)
    if spec.type is T.FILENAME:
        if not _FILENAME_RE.match(text) or text in (".", ".."):
            raise InvalidValue(f"'{text}' is not a plain file name")
        return text
    raise AssertionError(spec.type)
