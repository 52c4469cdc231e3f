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
from typing import Any, Final, Union

from edugraph.explore.draftrules import (
    CONNECTORS,
    GROUP_OK,
    HEADS,
    LOWER_HEADS,
    PLURAL_HEADS,
    SPLITTERS,
    STOP_WORDS,
    TITLE_HEADS,
    TITLE_MODIFIERS,
    WORD_RE,
    Passage,
    find_dates,
    head_of,
    is_acronym,
    is_capitalised,
    sentences,
)
from edugraph.explore.grounding import names_in
from edugraph.explore.textmatch import comparable_text, spans
from edugraph.model.item import Item
from edugraph.model.kinds import SOURCE

GENERIC: Final = frozenset(("each", "every", "other", "another", "any", "various", "participating"))
"""Words before a name that make it a kind of thing, not a record ('each participating Category
II Centre')."""
_AGENT_CUE: Final = re.compile(r"\b(?:in (?:cooperation|collaboration|partnership) with|supported by|"
                               r"funded by|organi[sz]ed by|hosted by|implemented by) $")
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

    def chunk_end(self, s: Sentence, i: int) -> int:
        """The token after the name that starts at token ``i`` (capitalised words, joined by
        :data:`CONNECTORS`; 'and' not before a title, 'in' not before a known place)."""
        tokens, j = s.tokens, i + 1
        while j < len(tokens) and s.gap(j - 1) == " " and s.free(tokens[j]):
            if _possessive(tokens[j - 1].word) and self._recognised(
                    [*tokens[i:j - 1], Token(tokens[j - 1].start, tokens[j - 1].end - 2,
                                             tokens[j - 1].word[:-2])]):
                break
            word = tokens[j].word
            if is_capitalised(word) and word.casefold() not in STOP_WORDS:
                j += 1
                continue
            k = j + 1
            if word in CONNECTORS and k < len(tokens) and s.gap(j) == " ":
                if tokens[k].word == "the" and k + 1 < len(tokens) and s.gap(k) == " ":
                    k += 1
                nxt = tokens[k].word
                if (is_capitalised(nxt) and not nxt.isdigit() and nxt.casefold() not in STOP_WORDS
                        and not (word == "and" and nxt.casefold() in TITLE_HEADS | TITLE_MODIFIERS)
                        and not (word == "in" and (self._place_at(s, k) or _place_head_after(s, k)))):
                    j = k + 1
                    continue
            break
        return j

    def _place_at(self, s: Sentence, k: int) -> bool:
        for size in (3, 2, 1):
            words = [t.word for t in s.tokens[k:k + size]]
            found = self.known(" ".join(words)) if len(words) == size else None
            if found is not None and self.kind(found) == "place":
                return True
        return False

    def analyse(self, s: Sentence, toks: list[Token], sure: bool = True,
                context: str = "") -> Target | None:
        """What the name written by ``toks`` stands for (proposing it when new), or None.

        ``context`` is 'place' where the text's words make it a place ('in X', '(X)'), and
        'organisation' where they make it an organisation.
        """
        while toks and toks[-1].word in CONNECTORS:
            toks = toks[:-1]
        if not toks:
            return None
        words = [t.word for t in toks]
        name = s.passage.text[toks[0].start:toks[-1].end]
        start, end = toks[0].start, toks[-1].end
        found = self.known(name)
        if found is None and _possessive(words[-1]):
            found = self.known(name[:-2])
            name, words[-1] = name[:-2], words[-1][:-2]
        if found is not None:
            self.mention(s, start, end, found, context != "part")
            return found
        for p, word in enumerate(words):  # 'UNESCO and the World Bank': two records
            if word == "and" and 0 < p < len(words) - 1:
                left, right = toks[:p], toks[p + 1:]
                right = right[1:] if right[0].word == "the" and len(right) > 1 else right
                if self._recognised(left) and self._recognised(right):
                    first = self.analyse(s, left, sure, context)
                    self.analyse(s, right, sure, context)
                    return first
        for k in range(len(toks) - 1, 0, -1):  # 'Kazakhstan on the Occasion of ...'
            if words[k] in SPLITTERS and self.known(" ".join(words[:k])) is not None and (
                    context == "place" or self.kind(self.known(" ".join(words[:k]))) == "place"):
                return self.analyse(s, toks[:k], sure, context)
        for k in range(len(toks) - 1, 0, -1):  # a known name, then another: split them
            if words[k - 1].casefold() in HEADS and (self.known(" ".join(words[:k])) is not None or (
                    HEADS[words[k - 1].casefold()][0] == "organisation"
                    and head_of(words[k:]) is not None)):
                if is_capitalised(words[k]) and words[k] not in CONNECTORS:
                    first = self.analyse(s, toks[:k], sure, context)
                    self.analyse(s, toks[k:], sure, context)
                    return first
        head = head_of(words)
        if head is None:
            if context == "place" and not is_acronym(name):
                target = self.propose("place", name, s, start, end, False)
            elif context == "organisation" or (context != "part" and len(words) == 1
                                              and is_acronym(name) and self.repeated(name, s)):
                target = self.propose("organisation", name, s, start, end, False, term="")
            else:
                return None
            self.mention(s, start, end, target, context != "part")
            return target
        key, (kind, term) = head
        if key in PLURAL_HEADS and key not in GROUP_OK and context != "group":
            return None
        number = None
        if re.fullmatch(r"\d+(st|nd|rd|th)", words[0]) and len(words) > 1:
            number = int(re.match(r"\d+", words[0]).group())  # type: ignore[union-attr]
        if key in PLURAL_HEADS and kind == "place" and "and" in words:
            return self._places(s, toks, words, key, term)
        sub, at = self.sub_record(s, toks)
        cut = next((n for n, t in enumerate(toks) if t.word in ("at", "under") and n
                    and self._recognised(toks[n + 1 + (toks[n + 1].word == "the"):])), None)
        if cut is not None and kind != "place":
            name, end = s.passage.text[start:toks[cut - 1].end], toks[cut - 1].end
            if sub is None or at is not None and at > cut:
                sub, at = self.sub_record(s, toks[cut:])
        is_sure = sure and len(words) > 1 and kind in ("organisation", "event", "initiative") and (
            key not in PLURAL_HEADS)
        if "national commission" in name.casefold() and kind == "organisation":
            term = "national-commission"
        target = self.propose(kind, name, s, start, end, is_sure, key, term)
        self.mention(s, start, end, target, context != "part")
        if isinstance(target, Proposal) and sub is not None:
            link = "location" if self.kind(sub) == "place" else "part_of"
            if _may_link(kind, self.kind(sub), link):
                target.add(link, sub)
        if isinstance(target, Proposal) and number is not None and kind == "event":
            target.fields["number"] = number
            series = self.propose("initiative", " ".join(words[1:]), s, toks[1].start, end,
                                  target.sure, "series", "event-series")
            target.add("part_of", series)
        return target

    def _places(self, s: Sentence, toks: list[Token], words: list[str], key: str,
                term: str) -> Target | None:
        """'Almaty and Mangystau oblasts': a place each ('Mangystau oblast'), mentioned so."""
        singular = key[:-1]
        first: Target | None = None
        parts = " ".join(words[:-1]).split(" and ")
        for n, part in enumerate(parts):
            if not part or not is_capitalised(part):
                continue
            at = toks[0].start if n == 0 else toks[-1].start
            known = self.known(f"{part} {singular}") or self.known(part)
            place = known or self.propose("place", f"{part} {singular}", s, at, toks[-1].end, False,
                                          singular, term)
            if isinstance(place, Proposal):
                last = f"{part} {words[-1]}"
                place.add("mentioned_as", last if n == len(parts) - 1 else s.passage.text[
                    toks[0].start:toks[-1].end])
            self.mention(s, at, toks[-1].end, place)
            first = first or place
        return first

    def _recognised(self, toks: list[Token]) -> bool:
        words = [t.word for t in toks]
        return bool(words) and (self.known(" ".join(words)) is not None or head_of(words) is not None)

    def sub_record(self, s: Sentence, toks: list[Token]) -> tuple[Target | None, int | None]:
        """The record a name names after its head ('Shanghai Normal University' in 'College of
        Education at Shanghai Normal University'), with the index of the word before it."""
        for at in range(1, len(toks) - 1):
            if toks[at].word not in SPLITTERS:
                continue
            rest = toks[at + 1:]
            for n in range(1, len(rest)):
                if s.passage.text[rest[n - 1].end:rest[n].start] != " ":
                    rest = rest[:n]
                    break
            if rest[0].word == "the" and len(rest) > 1:
                rest = rest[1:]
            if not is_capitalised(rest[0].word) or not self._recognised(rest):
                continue
            found = self.analyse(s, rest, True, "part")
            if found is not None:
                return found, at
        return None, None

    def repeated(self, name: str, s: Sentence) -> bool:
        """Whether the text writes ``name`` more than once (an acronym used as a name)."""
        return len(spans(name, self.whole)) > 1

    whole: str = ""
    """The whole text as :func:`~edugraph.explore.textmatch.comparable_text` prepares it."""

    def names(self, s: Sentence) -> None:
        """Every capitalised name of the sentence, and the lowercase phrases naming an event."""
        tokens, i = s.tokens, 0
        list_kind, cue_list = "", False
        while i < len(tokens):
            token = tokens[i]
            word = token.word
            ordinal = bool(re.fullmatch(r"\d+(st|nd|rd|th)", word))
            if not s.free(token) or not (is_capitalised(word) and (not word.isdigit() or ordinal)) or (
                    word.casefold() in STOP_WORDS):
                if word.casefold() in LOWER_HEADS and word.islower() and s.free(token):
                    self._lower_phrase(s, i)
                i += 1
                continue
            j = self.chunk_end(s, i)
            j, context = self._extension(s, j)
            before = tokens[i - 1].word if i else ""
            if before.casefold() in GENERIC:
                i = j
                continue
            listed = list_kind if i and (s.gap(i - 1) in (", ", " and ", ", and ") or before == "and") else ""
            if not context and (before in ("in", "from") and s.gap(i - 1) == " " or listed == "place"):
                context = "place"
            cued = bool(_AGENT_CUE.search(s.passage.text, s.start, token.start)) or (
                cue_list and bool(listed))
            if not context and cued and word.casefold() not in TITLE_HEADS:
                context = "organisation"
            target = self.analyse(s, tokens[i:j], True, context if context != "place" else "")
            if target is None and context == "place":
                target = self.analyse(s, tokens[i:j], True, "place")
            if target is not None:
                self.parenthesis(s, j, target)
            list_kind = self.kind(target) if target is not None else ""
            cue_list = cued and list_kind == "organisation"
            i = j

    def _extension(self, s: Sentence, j: int) -> tuple[int, str]:
        """A name followed by lowercase words ending in a head ('Almaty region', 'IIOE partner
        network', 'Finnish universities'): the token after them, and 'group' for a plural."""
        tokens = s.tokens
        for size in (1, 2, 3):
            k = j + size
            if k > len(tokens) or any(s.gap(m - 1) != " " for m in range(j, k)):
                break
            words = [t.word for t in tokens[j:k]]
            if not all(w.islower() and w not in STOP_WORDS and w not in CONNECTORS for w in words):
                break
            kind = HEADS.get(words[-1], ("",))[0]
            if kind in ("place", "initiative", "event") or words[-1] == "universities":
                after = s.passage.text[tokens[k - 1].end:tokens[k - 1].end + 2]
                if after[1:2] in "\"“‘'" and after[:1] == " " and after[1:2]:
                    return j, ""  # 'the project "Name"': the quoted name is the record
                return k, "group" if words[-1] in PLURAL_HEADS else ""
        return j, ""

    def parenthesis(self, s: Sentence, j: int, target: Target) -> None:
        """'Shanghai Normal University (SHNU)': an alias; 'Institute of ... (Seychelles)': a
        place the organisation is in."""
        text = s.passage.text
        at = s.tokens[j - 1].end
        match = re.match(r" \(([^()]{1,60})\)", text[at:s.end])
        if not match:
            return
        inner = match.group(1)
        words = inner.split()
        if not words or not all(is_capitalised(w) or w in CONNECTORS for w in words) or "," in inner:
            return
        start, end = at + 2, at + 1 + len(inner) + 1
        s.claimed.append((start, end))
        known = self.known(inner)
        if known is not None and self.kind(known) == "place" or (
                known is None and not any(is_acronym(w) for w in words) and len(words) <= 4
                and head_of(words) is None and self.kind(target) == "organisation"):
            place = known if known is not None else self.propose(
                "place", inner, s, start, end, True)
            self.mention(s, start, end, place, False)
            if isinstance(target, Proposal) and self.kind(target) != "place":
                target.add("location", place)
        elif known is None or known is target:
            self.alias(target, inner)

    def _lower_phrase(self, s: Sentence, i: int) -> None:
        """'the opening ceremony', 'network events': an event an earlier name proposed whose name
        holds the word, else (with a word before the head) a new one, not sure."""
        tokens, head = s.tokens, s.tokens[i].word
        k = i
        while k > 0 and i - k < 2 and s.gap(k - 1) == " " and tokens[k - 1].word.islower() and (
                tokens[k - 1].word not in STOP_WORDS | CONNECTORS) and HEADS.get(
                    tokens[k - 1].word, ("",))[0] != "event":
            k -= 1
        phrase = s.passage.text[tokens[k].start:tokens[i].end]
        found = self.known(phrase)
        if found is None:
            stem = head.rstrip("s")
            found = next((p for p in reversed(self.proposals) if p.kind == HEADS[head][0]
                          and stem in p.name.casefold()), None)
        if found is None and k < i:
            found = self.propose(HEADS[head][0], phrase, s, tokens[k].start, tokens[i].end, False,
                                 head, HEADS[head][1])
        if found is not None:
            self.mention(s, tokens[k].start, tokens[i].end, found)

    def dates(self, s: Sentence) -> list[tuple[int, str, str | None]]:
        return [(d.start, d.lexical, d.until) for d in find_dates(s.passage.text)
                if s.start <= d.start < s.end]


def _place_head_after(s: Sentence, k: int) -> bool:
    """Whether the capitalised words from token ``k`` end in a lowercase place word ('Almaty region')."""
    while k < len(s.tokens) and is_capitalised(s.tokens[k].word) and k + 1 < len(s.tokens) and (
            s.gap(k) == " "):
        k += 1
    return HEADS.get(s.tokens[k].word, ("",))[0] == "place" and s.tokens[k].word.islower()


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


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def _may_link(kind: str, other: str, link: str) -> bool:
    if link == "location":
        return kind in ("organisation", "event", "initiative")
    allowed = {"organisation": ("organisation",), "event": ("event", "initiative"),
               "initiative": ("initiative",), "place": ("place",)}
    return other in allowed.get(kind, ())


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("organisation", "agent", "role", "of")
    return all(a.get(k) is b.get(k) or a.get(k) == b.get(k) for k in keys)
