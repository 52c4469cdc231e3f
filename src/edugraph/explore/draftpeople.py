"""People and their positions in a sentence of a new document: names after an honorific
('Professor Zhang Minxuan') or before a title ('Zhou Qinjian, Director of ...'), and positions
from 'X, Title of Y and Title of Z', 'Title at Y X' and '... was Title of Y'.
"""

from __future__ import annotations

import re

from edugraph.explore.draftfind import Proposal, Sentence, Target
from edugraph.explore.draftnames import Names
from edugraph.explore.draftrules import (
    HEADS,
    HONORIFICS,
    STOP_WORDS,
    TITLE_HEADS,
    is_capitalised,
    title_parts,
)


def people(reader: Names, s: Sentence) -> None:
    """Every person the sentence names, with the positions it gives them."""
    _people(reader, s)


def _name_tokens(s: Sentence, i: int, limit: int = 3) -> int:
    """The token after a person's name starting at token ``i`` (2 or 3 capitalised words), or
    ``i`` when there is none."""
    j = i
    while j < len(s.tokens) and j - i < limit and s.free(s.tokens[j]):
        word = s.tokens[j].word
        if not word[:1].isupper() or word.casefold() in STOP_WORDS or word.casefold() in HEADS or (
                word.casefold() in TITLE_HEADS) or (j > i and s.gap(j - 1) != " "):
            break
        j += 1
    return j


def _people(reader: Names, s: Sentence) -> None:
    tokens, text = s.tokens, s.passage.text
    i = 0
    while i < len(tokens):
        at = tokens[i].start
        honorific = next((h for h in sorted(HONORIFICS, key=len, reverse=True)
                          if text.startswith(h + " ", at) and (h[-1] == "." or tokens[i].word == h.split()[-1]
                                                                or h.count(" "))), None)
        if honorific and s.free(tokens[i]):
            first = i + len(honorific.replace(".", " ").split())
            j = _name_tokens(s, first)
            if j - first >= 1:
                person = _person(reader, s, first, j, honorific)
                if person is not None:
                    s.claimed.append((at, tokens[j - 1].end))
                    _positions(reader, s, person, j)
                    i = j
                    continue
        if s.free(tokens[i]) and tokens[i].word[:1].isupper() and (
                i == 0 or not tokens[i - 1].word[:1].isupper() or s.gap(i - 1) != " "
                or tokens[i - 1].word.casefold() in STOP_WORDS):
            j = _name_tokens(s, i)
            if j - i >= 2 and j < len(tokens) and s.gap(j - 1) == ", " and _title_at(s, j)[0]:
                person = _person(reader, s, i, j, None)
                if person is not None:
                    s.claimed.append((at, tokens[j - 1].end))
                    _positions(reader, s, person, j)
                    i = j
                    continue
        _title_first(reader, s, i)
        i += 1


def _person(reader: Names, s: Sentence, i: int, j: int, honorific: str | None) -> Target | None:
    start, end = s.tokens[i].start, s.tokens[j - 1].end
    name = s.passage.text[start:end]
    if j - i == 1:  # 'Ms. GE': someone named before
        s.claimed.append((start, end))
        found = reader.person_named(name)
        if found is not None:
            reader.mention(s, start, end, found)
        return found
    person = reader.propose("person", name, s, start, end, True)
    if reader.kind(person) != "person":
        return None
    if honorific and isinstance(person, Proposal):
        person.add("honorifics", honorific)
    reader.mention(s, start, end, person)
    return person


def _title_at(s: Sentence, j: int) -> tuple[tuple[str, bool] | None, int, int]:
    """A title written from token ``j`` ('the Sciences subject teacher', 'Chief (a.i.)'), up to
    the 'of', 'at' or 'from' before its organisation: (title, former), the token of that word,
    and where the title ends in the text."""
    tokens, text = s.tokens, s.passage.text
    k = j + (1 if j < len(tokens) and tokens[j].word == "the" else 0)
    for m in range(k, min(k + 6, len(tokens))):
        if tokens[m].word in ("of", "at", "from") and m > k:
            title = title_parts([t.word for t in tokens[k:m]])
            if title is None:
                return None, m, 0
            end = tokens[m - 1].end
            extra = re.match(r" \([^()]{1,20}\)", text[end:tokens[m].start])
            if extra:
                title = (title[0] + extra.group(), title[1])
                end += len(extra.group())
            return title, m, end
        if m > k and s.gap(m - 1) not in (" ", " (", ") ", ". ") and not s.gap(m - 1).startswith(" ("):
            break
    return None, 0, 0


def _positions(reader: Names, s: Sentence, person: Target, j: int) -> None:
    """'X, Title of Y and Title of Z': a position for each."""
    while j < len(s.tokens) and s.gap(j - 1) in (", ", " and "):
        title, m, _ = _title_at(s, j)
        if title is None:
            return
        org, after = _organisation_at(reader, s, m + 1, title[0])
        if org is None:
            return
        name, former = org[1], title[1]
        values = {"organisation": org[0], "title": name}
        if former:
            values["former"] = True
        tail = s.passage.text[s.tokens[after - 1].end:s.end]
        since = re.match(r" since (\d{4})\b", tail)
        span = re.match(r",? from (\d{4}) to (\d{4})\b", tail)
        if since:
            values["start"] = since.group(1)
        elif span:
            values["start"], values["end"] = span.group(1), span.group(2)
        reader.relate(person, "positions", values, s, s.tokens[j].start, s.tokens[after - 1].end,
                      reader.sure(person) and reader.sure(org[0]))
        j = after


def _organisation_at(reader: Names, s: Sentence, k: int, title: str) -> tuple[tuple[Target, str] | None, int]:
    """The organisation named from token ``k`` (after 'of'/'at'), with the title as the position
    gives it ('Director of Continuing Education' at the school that follows), and the token after."""
    if k < len(s.tokens) and s.tokens[k].word == "the":
        k += 1
    if k >= len(s.tokens) or not is_capitalised(s.tokens[k].word):
        return None, k
    end = reader.chunk_end(s, k)
    toks = s.tokens[k:end]
    target = reader.analyse(s, toks, True, "part")
    if target is not None:
        reader.parenthesis(s, end, target)
    if target is None:
        sub, at = reader.sub_record(s, toks)
        if sub is None or at is None or reader.kind(sub) != "organisation":
            return None, end
        title = f"{title} of {s.passage.text[toks[0].start:toks[at - 1].end]}"
        target = sub
    if reader.kind(target) != "organisation":
        return None, end
    under = re.match(r" under the ", s.passage.text[s.tokens[end - 1].end:s.end])
    if under and isinstance(target, Proposal):
        k2 = next((n for n, t in enumerate(s.tokens) if t.start >= s.tokens[end - 1].end + under.end()), None)
        if k2 is not None and is_capitalised(s.tokens[k2].word):
            end2 = reader.chunk_end(s, k2)
            parent = reader.analyse(s, s.tokens[k2:end2], True, "part")
            if parent is not None and reader.kind(parent) == "organisation":
                target.add("part_of", parent)
            end = end2
    return (target, title), end


def _title_first(reader: Names, s: Sentence, i: int) -> None:
    """'Professor at Astana International University (AIU) Serik Nurkenov', and '... was Chair of
    the Teachers Alliance' of the person the sentence named last."""
    tokens, text = s.tokens, s.passage.text
    word = tokens[i].word
    if word.casefold() not in TITLE_HEADS or not s.free(tokens[i]):
        return
    if i > 0 and tokens[i - 1].word in ("was", "is", "became") and i + 1 < len(tokens) and (
            tokens[i + 1].word == "of"):
        person = next((t for _, _, t, _ in reversed(s.mentions) if reader.kind(t) == "person"), None)
        org, after = _organisation_at(reader, s, i + 2, word)
        if person is not None and org is not None:
            _positions_with(reader, s, person, org, i, after)
        return
    if not word[:1].isupper() or i + 1 >= len(tokens) or tokens[i + 1].word not in ("at", "of"):
        return
    org, after = _organisation_at(reader, s, i + 2, word)
    if org is None or after >= len(tokens):
        return
    at = after
    paren = re.match(r" \([^()]{1,20}\) ", text[tokens[after - 1].end:])
    while paren and at < len(tokens) and tokens[at].start < tokens[after - 1].end + paren.end():
        at += 1
    j = _name_tokens(s, at)
    if at < len(tokens) and text[tokens[at - 1].end:tokens[at].start] not in (" ",) and not paren:
        return
    if j - at >= 2 and (j == len(tokens) or s.gap(j - 1)[:1] in ".,;" or tokens[j - 1].end == s.end):
        person = _person(reader, s, at, j, None)
        if person is not None:
            s.claimed.append((tokens[at].start, tokens[j - 1].end))
            _positions_with(reader, s, person, org, i, after)


def _positions_with(reader: Names, s: Sentence, person: Target, org: tuple[Target, str],
                    i: int, after: int) -> None:
    values = {"organisation": org[0], "title": org[1]}
    tail = s.passage.text[s.tokens[after - 1].end:s.end]
    span = re.match(r",? from (\d{4}) to (\d{4})\b", tail)
    if span:
        values["start"], values["end"] = span.group(1), span.group(2)
    reader.relate(person, "positions", values, s, s.tokens[i].start, s.tokens[after - 1].end,
                  reader.sure(person) and reader.sure(org[0]))
