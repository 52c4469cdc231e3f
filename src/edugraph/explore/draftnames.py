"""The names of a sentence read as records: :class:`Names`, the :class:`~edugraph.explore.draftfind.Reader`
that finds the capitalised names a sentence writes ('Ministry of Science and Higher Education of the
Republic of Kazakhstan'), splits the ones that hold several ('UNESCO TEC and Nazarbayev
University'), tells each one's kind by its head word (:data:`~edugraph.explore.draftrules.HEADS`)
and links a name to the one inside it ('College of Education at Shanghai Normal University':
part of the university).
"""

from __future__ import annotations

import re
from typing import Final

from edugraph.explore.draftfind import Proposal, Reader, Sentence, Target, Token
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
    find_dates,
    head_of,
    is_acronym,
    is_capitalised,
)
from edugraph.explore.textmatch import spans

GENERIC: Final = frozenset(("each", "every", "other", "another", "any", "various", "participating"))
"""Words before a name that make it a kind of thing, not a record ('each participating Category
II Centre')."""
_AGENT_CUE: Final = re.compile(r"\b(?:in (?:cooperation|collaboration|partnership) with|supported by|"
                               r"funded by|organi[sz]ed by|hosted by|implemented by) $")


class Names(Reader):
    """A reader that finds the names of each sentence (see the module's doc)."""

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
            focus = self.focus.get(HEADS[head][0])
            if focus is not None and stem in self.name_of(focus).casefold():
                found = focus
        if found is None:
            found = next((p for p in reversed(self.proposals) if p.kind == HEADS[head][0]
                          and stem in p.name.casefold()), None)
        if found is None and k < i and HEADS[head][0] == "event":  # 'the large-scale project': no name
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


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def _may_link(kind: str, other: str, link: str) -> bool:
    if link == "location":
        return kind in ("organisation", "event", "initiative")
    allowed = {"organisation": ("organisation",), "event": ("event", "initiative"),
               "initiative": ("initiative",), "place": ("place",)}
    return other in allowed.get(kind, ())
