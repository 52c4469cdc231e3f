"""Records found in a new document: the names its sentences write, each read as a mention of a
record of the project or as a proposed new one, by the rules of :mod:`edugraph.explore.draftrules`.

A :class:`Reader` reads one text sentence by sentence, and knows every name found so far (the
project's records' names, aliases and mentions, and the names of what it proposed), so that a later
'SHNU' or 'the ceremony' is the record an earlier sentence found. Mentions of the project's records
are found as ``check-sources`` finds them (:mod:`edugraph.explore.textmatch`), except a name found
only inside a longer name of another record ('UNESCO' in 'UNESCO Teacher Education Centre').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union

from edugraph.explore.draftrules import (
    CONNECTORS,
    WORD_RE,
    Passage,
    sentences,
)
from edugraph.explore.grounding import names_in
from edugraph.explore.textmatch import comparable_text
from edugraph.model.item import Item
from edugraph.model.kinds import SOURCE

Target = Union[str, "Proposal"]
"""What a name stands for: the id of a record of the project, or a proposed record."""
SNIPPET = 72
"""Characters of the text a proposal's comment quotes at most."""


@dataclass(eq=False, slots=True)
class Proposal:
    """A new record the text suggests."""

    kind: str
    name: str
    line: int
    snippet: str
    sure: bool
    head: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    """Further values by field name: type, aliases, honorifics, start, location (targets)..."""
    id: str = ""

    def add(self, name: str, value: Any) -> None:
        """Add ``value`` to the list field ``name`` once."""
        values = self.fields.setdefault(name, [])
        if all(value is not other for other in values) and value not in values:
            values.append(value)


@dataclass(eq=False, slots=True)
class Relation:
    """A position, participation, involvement or count the text suggests; ``holder`` holds it."""

    holder: Target
    field: str
    values: dict[str, Any]
    line: int
    snippet: str
    sure: bool


@dataclass(frozen=True, slots=True)
class Mention:
    """A record of the project the text names."""

    id: str
    kind: str
    name: str
    line: int
    snippet: str


@dataclass(slots=True)
class Token:
    start: int
    end: int
    word: str


@dataclass(slots=True)
class Sentence:
    """One sentence being read: its passage, where it is, its words and what it mentions."""

    passage: Passage
    start: int
    end: int
    tokens: list[Token]
    mentions: list[tuple[int, int, Target, bool]] = field(default_factory=list)
    """(start, end, target, may be an agent of an event or initiative), in the passage's offsets."""
    claimed: list[tuple[int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]

    def gap(self, i: int) -> str:
        """The text between token ``i`` and the next."""
        return self.passage.text[self.tokens[i].end:self.tokens[i + 1].start]

    def free(self, token: Token) -> bool:
        return not any(a <= token.start < b for a, b in self.claimed)


def snippet(passage: Passage, start: int, end: int) -> str:
    """Up to :data:`SNIPPET` characters of the passage around ``start:end``, marked where cut."""
    text = passage.text
    if end - start >= SNIPPET:
        return text[start:start + SNIPPET - 1].rstrip() + "…"
    left = max(0, start - (SNIPPET - (end - start)) // 2)
    right = min(len(text), left + SNIPPET)
    left = max(0, right - SNIPPET)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


class Reader:
    """The names a text writes, read against the project's records (see the module's doc)."""

    def __init__(self, records: list[Item], vocabularies: dict[str, dict[str, str]]) -> None:
        self.records = [r for r in records if r.kind != SOURCE]
        self.kinds = {r.id: r.kind for r in self.records}
        self.by_id = {r.id: r for r in self.records}
        self.vocabularies = vocabularies
        self.lexicon: dict[str, Target] = {}
        for record in self.records:
            for name in names_in(record, None):
                self.lexicon.setdefault(comparable_text(name), record.id)
        self.special: dict[str, tuple[re.Pattern[str], Target]] = {
            comparable_text(name): (_pattern(name), record.id) for record in self.records
            for name in names_in(record, None) if _special(name)}
        """Names the capitalised words of a name cannot give (a comma, lowercase words), found
        as they are written."""
        self.proposals: list[Proposal] = []
        self.relations: list[Relation] = []
        self.focus: dict[str, Target] = {}
        """The event and the initiative last mentioned, by kind."""

    # --- targets -------------------------------------------------------------------------

    def kind(self, target: Target) -> str:
        return target.kind if isinstance(target, Proposal) else self.kinds[target]

    def sure(self, target: Target) -> bool:
        return target.sure if isinstance(target, Proposal) else True

    def known(self, name: str) -> Target | None:
        return self.lexicon.get(comparable_text(name))

    def propose(self, kind: str, name: str, s: Sentence, start: int, end: int, sure: bool,
                head: str = "", term: str = "") -> Target:
        """The record ``name`` stands for: a known one, else a new proposal of ``kind``."""
        found = self.known(name)
        if found is None and kind == "place" and head:
            base = comparable_text(name.rsplit(" ", 1)[0])
            found = next((p for p in self.proposals if p.kind == "place" and p.head and
                          comparable_text(p.name.rsplit(" ", 1)[0]) == base), None)
            if found is not None and "mentioned_as" in found.fields:
                self.lexicon[comparable_text(name)] = found
                found.name, found.line = name, s.passage.line_at(start)
                found.snippet = snippet(s.passage, start, end)
        if found is not None:
            if isinstance(found, Proposal) and sure:
                found.sure = True
            return found
        proposal = Proposal(kind, name, s.passage.line_at(start), snippet(s.passage, start, end),
                            sure, head)
        if term and term in self.vocabularies.get(f"{kind}-type", {}):
            proposal.fields["type"] = term
        self.proposals.append(proposal)
        self.lexicon[comparable_text(name)] = proposal
        if _special(name):
            self.special[comparable_text(name)] = (_pattern(name), proposal)
        return proposal

    def name_of(self, target: Target) -> str:
        """The name of a proposal or record (a record known only by a mention: the mention)."""
        if isinstance(target, Proposal):
            return target.name
        record = self.by_id[target]
        return str(record.values.get("name") or (record.values.get("mentioned_as") or [""])[0])

    def person_named(self, word: str) -> Target | None:
        """The person, proposed or of the project, one of whose names has the word ``word``."""
        folded = word.casefold()
        for proposal in reversed(self.proposals):
            if proposal.kind == "person" and folded in proposal.name.casefold().split():
                return proposal
        for record in self.records:
            if record.kind == "person" and folded in str(record.values.get("name", "")).casefold().split():
                return record.id
        return None

    def special_names(self, s: Sentence) -> None:
        """The names of :attr:`special` the sentence writes, each a mention, its words claimed."""
        text = comparable_text(s.text)
        for name, (pattern, target) in self.special.items():
            if name in text:
                match = pattern.search(s.passage.text, s.start, s.end)
                if match:
                    self.mention(s, match.start(), match.end(), target)
                    s.claimed.append((match.start(), match.end()))

    def alias(self, target: Target, alias: str) -> None:
        if isinstance(target, Proposal) and comparable_text(alias) != comparable_text(target.name):
            target.add("aliases", alias)
        self.lexicon.setdefault(comparable_text(alias), target)

    def relate(self, holder: Target, field_name: str, values: dict[str, Any], s: Sentence,
               start: int, end: int, sure: bool) -> None:
        for old in self.relations:
            if old.holder is holder and old.field == field_name and _same(old.values, values):
                old.sure = old.sure or sure
                return
        self.relations.append(Relation(holder, field_name, values, s.passage.line_at(start),
                                       snippet(s.passage, start, end), sure))

    def mention(self, s: Sentence, start: int, end: int, target: Target, agent: bool = True) -> None:
        s.mentions.append((start, end, target, agent))
        kind = self.kind(target)
        if kind in ("event", "initiative"):
            self.focus[kind] = target

    # --- sentences -----------------------------------------------------------------------

    def sentences(self, passage: Passage) -> list[Sentence]:
        found = []
        for start, end in sentences(passage.text):
            tokens = [Token(m.start(), m.end(), m.group())
                      for m in WORD_RE.finditer(passage.text, start, end)]
            found.append(Sentence(passage, start, end, tokens))
        return found


def _pattern(name: str) -> re.Pattern[str]:
    """``name`` as a text may write it: any case, spacing, dash and quotes."""
    parts = []
    for char in name:
        parts.append(r"['’‘\"“”]?" if char in "'’‘\"“”" else r"\s+" if char.isspace()
                     else "[-‐‑‒–—―−]" if char in "-‐‑‒–—―−" else re.escape(char))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.IGNORECASE)


def _special(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and words[0][:1].isupper() and (any(w.endswith(("'s", "’s")) for w in words) or not all(re.fullmatch(r"[\w'’.-]+", w) for w in words) or any(
        w.islower() and w not in CONNECTORS for w in words[1:]))


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("organisation", "agent", "role", "of")
    return all(a.get(k) is b.get(k) or a.get(k) == b.get(k) for k in keys)
