"""``edugraph draft``: a YAML draft of the records a new source document gives, for a curator to
confirm.

The draft holds the source record, the project's records the text names (a comment block: their
ids, to add the new source to), and the new records and relationships the text suggests
(:mod:`edugraph.explore.draftlinks`), each after a comment with the line of the text it comes
from. What the rules are not sure of is commented out, so the draft as written loads with the
project's data: its live records refer only to the project's ids and to each other, its ids are
unique slugs, and a relationship of a record of the project (which then cites two sources) is
a comment naming the new source as its ``sources``. The same text and data give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from edugraph.build.pipeline import load_dataset
from edugraph.errors import SourceFileError, UsageError
from edugraph.explore.draftfind import Proposal, Relation, Target
from edugraph.explore.draftlinks import Findings, read
from edugraph.explore.draftrules import slug_words
from edugraph.files import read_bytes
from edugraph.model.item import Item
from edugraph.model.kinds import KINDS, RELATIONS, SOURCE
from edugraph.model.values import MAX_SLUG
from edugraph.vocab.namespaces import SLUG_RE
from edugraph.vocab.ontology import vocabularies

_PLAIN: Final = re.compile(r"[A-Za-z0-9][\w .,'’()/&-]*[\w.)']|[A-Za-z0-9]")
_FIELD_ORDER: Final = ("honorifics", "aliases", "mentioned_as", "type", "start", "end", "online",
                       "number", "location", "part_of", "theme")
_NESTED: Final = {kind: [f.name for f in spec.fields.values() if f.nested] for kind, spec in KINDS.items()}


def draft(text_path: Path, data_dir: Path, source_id: str | None = None,
          cache_dir: Path | None = None) -> str:
    """The draft of the text at ``text_path`` against the records under ``data_dir``.

    Raises SourceFileError when the text is missing or not UTF-8, UsageError when ``source_id``
    is no slug or is taken, InputErrors when the project's records do not load.
    """
    raw = read_text(text_path)
    records = load_dataset(data_dir, cache_dir).records
    return draft_text(raw, text_path.name, records, source_id)


def read_text(path: Path) -> str:
    """The text of a document, UTF-8 (a byte-order mark is dropped)."""
    try:
        data = read_bytes(path)  # a FIFO or a device refused, never waited on
    except FileNotFoundError:
        raise SourceFileError("the text does not exist", file=path,
                              hint="give the path of the document's plain text") from None
    except OSError as exc:
        raise SourceFileError(f"the text cannot be read ({exc.strerror})", file=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SourceFileError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path,
                              line=line, hint="save the document's text as UTF-8") from None


def draft_text(raw: str, file_name: str, records: list[Item], source_id: str | None = None) -> str:
    """The draft of the text ``raw`` (the document ``file_name``) against ``records``."""
    taken = {r.id for r in records}
    source = _source_id(source_id, taken, records)
    findings = read(raw, records, vocabularies())
    _assign_ids(findings.proposals, taken | {source})
    return "".join(line + "\n" for line in _render(findings, file_name, source))


def _source_id(given: str | None, taken: set[str], records: list[Item]) -> str:
    if given is not None:
        if not SLUG_RE.match(given) or len(given) > MAX_SLUG:
            raise UsageError(f"'{given}' is not a valid id",
                             hint="use lowercase letters, digits and single hyphens: src-005")
        if given in taken:
            raise UsageError(f"the id '{given}' is taken", hint="leave --id out for the next free src-NNN")
        return given
    numbers = [int(r.id[4:]) for r in records if r.kind == SOURCE and re.fullmatch(r"src-\d+", r.id)]
    number = max(numbers, default=-1) + 1
    while f"src-{number:03d}" in taken:
        number += 1
    return f"src-{number:03d}"


def _assign_ids(proposals: list[Proposal], taken: set[str]) -> None:
    used = set(taken)
    for proposal in proposals:
        base = slug_words(proposal.name) or proposal.kind
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        proposal.id = candidate
        used.add(candidate)


def scalar(value: Any, flow: bool = False) -> str:
    """A value as YAML the loader reads back as written: plain where that is safe, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not (flow and "," in text) and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


class _Writer:
    """The draft's lines; a proposal not sure, and what refers to one, as comments."""

    def __init__(self, findings: Findings, source: str) -> None:
        self.findings = findings
        self.source = source
        self.reader = findings.reader

    def ref(self, target: Target) -> str:
        return target.id if isinstance(target, Proposal) else target

    def live(self, target: Target) -> bool:
        return not isinstance(target, Proposal) or _sure(target)

    def relation_lines(self, relation: Relation, existing_holder: bool) -> tuple[list[str], bool]:
        values = dict(relation.values)
        fields = RELATIONS[_relation_kind(self.reader.kind(relation.holder), relation.field)].fields
        live = relation.sure and all(self.live(v) for v in values.values()
                                     if isinstance(v, (Proposal, str)) and _is_ref(v, fields, values))
        if existing_holder:
            values["sources"] = [self.source]
        parts = []
        for key in fields:
            if key not in values:
                continue
            value = values[key]
            if key == "sources":
                parts.append(f"{key}: [{', '.join(value)}]")
            elif fields[key].type.name == "REF":
                parts.append(f"{key}: {self.ref(value)}")
            else:
                parts.append(f"{key}: {scalar(value, flow=True)}")
        comment = f'# line {relation.line}: "{relation.snippet}"'
        return [comment, "- {" + ", ".join(parts) + "}"], live

    def record_lines(self, proposal: Proposal) -> list[str]:
        out = [f"- id: {proposal.id}", f"  name: {scalar(proposal.name)}"]
        fields = KINDS[proposal.kind].fields
        for key in _FIELD_ORDER:
            if key not in proposal.fields or key not in fields:
                continue
            value = proposal.fields[key]
            if isinstance(value, list) and not fields[key].many:
                live = [v for v in value if self.live(v)]
                if live:
                    out.append(f"  {key}: {self.ref(live[0])}")
                out += [f"  # {key}: {self.ref(v)}" for v in value if not live or v is not live[0]]
            elif isinstance(value, list):
                refs = fields[key].type.name == "REF"
                items = [(self.ref(v) if refs else scalar(v, flow=True), not refs or self.live(v))
                         for v in value]
                out += _list_field(key, items, "  ")
            else:
                out.append(f"  {key}: {scalar(value)}")
        for field_name in _NESTED[proposal.kind]:
            entries = [self.relation_lines(r, False) for r in self.findings.relations
                       if r.holder is proposal and r.field == field_name]
            if entries:
                any_live = any(live for _, live in entries)
                out.append(f"  {field_name}:" if any_live else f"  # {field_name}:")
                for lines, live in entries:
                    out += [f"    {line}" if line.startswith("#") or live else f"    # {line}" for line in lines]
        out.append(f"  sources: [{self.source}]")
        return out


def _list_field(key: str, items: list[tuple[str, bool]], indent: str) -> list[str]:
    if all(live for _, live in items):
        return [f"{indent}{key}: [{', '.join(text for text, _ in items)}]"]
    lines = [f"{indent}{key}:" if any(live for _, live in items) else f"{indent}# {key}:"]
    lines += [f"{indent}  {'' if live else '# '}- {text}" for text, live in items]
    return lines


def _is_ref(value: Any, fields: dict, values: dict) -> bool:
    return any(values.get(name) is value and spec.type.name == "REF" for name, spec in fields.items())


def _relation_kind(holder_kind: str, field_name: str) -> str:
    spec = KINDS[holder_kind].fields[field_name]
    assert spec.nested is not None
    return spec.nested


def _sure(proposal: Proposal) -> bool:
    """Sure enough to be written live: an event needs a date (else the shapes want a note)."""
    return proposal.sure and (proposal.kind != "event" or "start" in proposal.fields)


def _render(findings: Findings, file_name: str, source: str) -> Iterator[str]:
    writer = _Writer(findings, source)
    yield f"# Draft of the records {file_name} gives (edugraph draft), for a curator to confirm:"
    yield "# correct what is wrong, uncomment what holds, delete what does not, then move the records"
    yield "# into the project's files. Each proposal follows the line of the text it comes from."
    yield ""
    if findings.existing:
        yield f"# Records of the project the text names: add {source} to the sources of each it states"
        yield "# something about."
        yield "# existing:"
        for mention in findings.existing:
            yield f'#   - {mention.id}  # {mention.kind}, line {mention.line}: "{mention.snippet}"'
        yield ""
    additions = [r for r in findings.relations if isinstance(r.holder, str)]
    if additions:
        yield "# Relationships of records of the project: add them to those records (with the new source)."
        for relation in additions:
            kind = findings.reader.kind(relation.holder)
            lines, _ = writer.relation_lines(relation, True)
            yield f"# {kind} {relation.holder}, {relation.field}:"
            yield from (f"#   {line.removeprefix('# ')}" for line in lines)
        yield ""
    yield from _source_lines(findings, file_name, source)
    for kind, spec in KINDS.items():
        proposals = [p for p in findings.proposals if p.kind == kind]
        if not proposals:
            continue
        yield ""
        yield f"{spec.section}:"
        for proposal in proposals:
            note = "" if _sure(proposal) else (
                "  (not sure: no date found)" if proposal.sure else "  (not sure)")
            yield f'  # line {proposal.line}: "{proposal.snippet}"{note}'
            for line in writer.record_lines(proposal):
                yield f"  {line}" if _sure(proposal) else f"  # {line}"


def _source_lines(findings: Findings, file_name: str, source: str) -> Iterator[str]:
    yield "sources:"
    if findings.headline:
        headline, line = findings.headline
        yield f'  # line {line}: the headline'
        yield f"  - id: {source}"
        yield f"    name: {scalar(headline)}"
        yield f"    title: {scalar(headline)}"
    else:
        yield "  # the text has no headline: the name is its file's, to be replaced"
        yield f"  - id: {source}"
        yield f"    name: {scalar(file_name)}"
    yield f"    file: {scalar(file_name)}"
    if findings.published:
        date, line = findings.published
        yield f"    published: {date}  # line {line}: the date line"
