"""People, quoted names, positions, roles and counts in a new document, and the whole reading:
:func:`read` takes a text and the project's records to the :class:`Findings` a draft is written
from.

People are names after an honorific ('Professor Zhang Minxuan') or before a title ('Zhou Qinjian,
Director of ...'); positions are 'X, Title of Y', 'Title at Y X' and 'X ... was Title of Y'; roles
come from the words of a sentence ('chaired by', 'delivered a keynote speech', 'attended', 'hosted
by', 'implemented by', 'with the support of') and go to the event or initiative the sentence
names, else to the one last named (not sure then). A count goes to the event, initiative or
organisation its sentence names first, else to the event or initiative last named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from edugraph.explore.draftfind import (
    Mention,
    Proposal,
    Reader,
    Relation,
    Sentence,
    Target,
    Token,
    snippet,
)
from edugraph.explore.draftrules import (
    HEADS,
    HONORIFICS,
    STOP_WORDS,
    TITLE_HEADS,
    find_counts,
    find_dates,
    head_of,
    is_capitalised,
    passages,
    slug_words,
    title_parts,
)
from edugraph.explore.grounding import names_in
from edugraph.explore.textmatch import comparable_text, spans
from edugraph.model.item import Item

_QUOTED: Final = re.compile(r"(?:(?<=\s)|^)[\"“‘'](?P<name>[^\"“”‘’']{3,160})[\"”’'](?!\w)")
_TITLED: Final = re.compile(r"\b(?:titled|entitled) [\"“‘']?(?P<name>[A-Z][^,.;:\"”’]{3,120})")
_THEMED: Final = re.compile(r"\b(?:[Tt]hemed|theme (?:of [\w ]+ )?is) [\"“‘']?(?P<theme>[^\"”’]{3,160})[\"”’]")
# (cue, role in an event, role in an initiative, whose: the agents 'before' or 'after' the cue)
ROLE_CUES: Final = (
    (r"\bchaired by\b", "chair", "", "after"),
    (r"\b(?:co-)?hosted by\b", "host", "", "after"),
    (r"\borgani[sz]ed (?:jointly )?by\b", "organiser", "organiser", "after"),
    (r"\bconducted by\b", "trainer", "", "after"),
    (r"\bdelivered a keynote\b|\bkeynote (?:speech|address)\b", "keynote", "", "before"),
    (r"\bdelivered (?:opening |welcome )?(?:speeches|remarks|a speech|an address)\b|\bspoke\b",
     "speaker", "", "before"),
    (r"\bdelivered a presentation\b|\bpresented\b", "presenter", "", "before"),
    (r"\battended\b|\bwere at\b", "attendee", "", "before"),
    (r"\bparticipated\b|\btook part\b", "participant", "participant", "before"),
    (r"\bimplemented by\b", "", "implementer", "after"),
    (r"\bin (?:cooperation|collaboration|partnership) with\b", "", "partner", "after"),
    (r"\bpartners? of\b", "", "partner", "before"),
    (r"\bwith the support of\b|\bsupported by\b", "", "supporter", "after"),
    (r"\b(?:led by|leads)\b", "", "lead", "after"),
)
_CLAUSE: Final = re.compile(r";| in (?:cooperation|collaboration) with | with the support of |, (?:which|who) ")


@dataclass(slots=True)
class Findings:
    """Everything a draft is written from."""

    headline: tuple[str, int] | None
    published: tuple[str, int] | None
    existing: list[Mention]
    proposals: list[Proposal]
    relations: list[Relation]
    reader: Reader


def read(raw: str, records: list[Item], vocabularies: dict[str, dict[str, str]]) -> Findings:
    """What the text ``raw`` says, read against the project's ``records``."""
    reader = Reader(records, vocabularies)
    reader.whole = comparable_text(raw)
    found = passages(raw)
    for passage in found:
        for s in reader.sentences(passage):
            reader.special_names(s)
            _groups(reader, s)
            _topics(reader, s)
            _quoted(reader, s)
            _people(reader, s)
            reader.names(s)
            _record_facts(reader, s)
            _roles(reader, s)
            _counts(reader, s)
    headline, published = _front(found)
    return Findings(headline, published, _existing(reader, found), reader.proposals,
                    reader.relations, reader)


def _front(found: list) -> tuple[tuple[str, int] | None, tuple[str, int] | None]:
    """The headline (the first short paragraph that is not a date line or an 'ACRONYM - Name'
    banner) and the date line's date, among the first paragraphs."""
    headline = published = None
    for passage in found[:4]:
        dates = find_dates(passage.text)
        if dates and dates[0].start == 0 and len(passage.text) <= 100:
            published = published or (dates[0].lexical[:10], passage.lines[0])
            continue
        if re.match(r"[A-Z]{2,}\S* [-–—] ", passage.text) or headline:
            continue
        if len(passage.text) > 200 or len(passage.text.split()) < 3:
            break
        headline = (passage.text, passage.lines[0])
    return headline, published


def _existing(reader: Reader, found: list) -> list[Mention]:
    """The project's records the text names, each by the first name it writes that is not part of
    a longer name of another record or proposal."""
    texts = [comparable_text(p.text) for p in found]
    occupied: list[list[tuple[int, int, object]]] = [[] for _ in found]
    names: list[tuple[int, str, object]] = []
    for record in reader.records:
        names.extend((len(name), name, record) for name in names_in(record, None))
    names.extend((len(p.name), p.name, p) for p in reader.proposals)
    kept: dict[str, Mention] = {}
    for _, name, owner in sorted(names, key=lambda n: (-n[0], n[1])):
        for index, text in enumerate(texts):
            for start, end in spans(name, text):
                if any(a < end and start < b and other is not owner for a, b, other in occupied[index]):
                    continue
                occupied[index].append((start, end, owner))
                if isinstance(owner, Item) and owner.id not in kept:
                    passage = found[index]
                    kept[owner.id] = Mention(owner.id, owner.kind, name, _line_of(passage, name),
                                             snippet(passage, *_rough(passage, name)))
    order = {r.id: i for i, r in enumerate(reader.records)}
    return sorted(kept.values(), key=lambda m: (m.line, order[m.id]))


def _line_of(passage: object, name: str) -> int:
    """The line a name first occurs on in a passage of several lines."""
    lines = passage.lines  # type: ignore[attr-defined]
    text, starts = passage.text, passage.starts  # type: ignore[attr-defined]
    for j in range(len(lines)):
        upto = text[:starts[j + 1]] if j + 1 < len(lines) else text
        if spans(name, comparable_text(upto)):
            for i in range(j, -1, -1):
                if spans(name, comparable_text(upto[starts[i]:])):
                    return lines[i]
    return lines[0]


def _rough(passage: object, name: str) -> tuple[int, int]:
    at = passage.text.casefold().find(name.casefold())  # type: ignore[attr-defined]
    return (at, at + len(name)) if at >= 0 else (0, min(len(name), 40))


def _quoted(reader: Reader, s: Sentence) -> None:
    """A quoted name after a word naming its kind ('the project "ITE Model ..."'), or one with a
    head of its own (the 'Online Central Asian Symposium on Education')."""
    text = s.passage.text
    for match in _QUOTED.finditer(text, s.start, s.end):
        name = match["name"].strip()
        words = name.split()
        before = text[max(s.start, match.start() - 40):match.start()].split()[-3:]
        cue = next((HEADS[w.casefold()] for w in reversed(before) if w.casefold() in HEADS), None)
        if before and before[-1].casefold() in ("themed", "theme", "titled", "entitled", "is"):
            continue
        if not 2 <= len(words) <= 24 or not is_capitalised(words[0]):
            continue
        head = head_of([w.strip(",:") for w in words])
        kind, term = cue if cue and cue[0] in ("initiative", "event") else head[1] if head else ("", "")
        if kind not in ("initiative", "event", "organisation"):
            continue
        start, end = match.start("name"), match.start("name") + len(name)
        target = reader.propose(kind, name, s, start, end, True, head[0] if head else "", term)
        reader.mention(s, start, end, target)
        tokens = [t for t in s.tokens if start <= t.start < end]
        sub, _ = reader.sub_record(s, tokens)
        if isinstance(target, Proposal) and sub is not None and reader.kind(sub) in ("initiative", "event"):
            target.add("part_of", sub)
        s.claimed.append((start, end))
    for match in _TITLED.finditer(text, s.start, s.end):
        name = match["name"].strip()
        start, end = match.start("name"), match.start("name") + len(name)
        kind = "speech" if re.search(r"speech|keynote|address|lecture", text[s.start:start]) else "presentation"
        target = reader.propose("event", name, s, start, end, True, kind, kind)
        reader.mention(s, start, end, target)
        s.claimed.append((start, end))


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


def _people(reader: Reader, s: Sentence) -> None:
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


def _person(reader: Reader, s: Sentence, i: int, j: int, honorific: str | None) -> Target | None:
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


def _positions(reader: Reader, s: Sentence, person: Target, j: int) -> None:
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


def _organisation_at(reader: Reader, s: Sentence, k: int, title: str) -> tuple[tuple[Target, str] | None, int]:
    """The organisation named from token ``k`` (after 'of'/'at'), with the title as the position
    gives it ('Director of Continuing Education' at the school that follows), and the token after."""
    if k < len(s.tokens) and s.tokens[k].word == "the":
        k += 1
    if k >= len(s.tokens) or not is_capitalised(s.tokens[k].word):
        return None, k
    end = reader.chunk_end(s, k)
    toks = s.tokens[k:end]
    target = reader.analyse(s, toks, True, "part")
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


def _title_first(reader: Reader, s: Sentence, i: int) -> None:
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


def _positions_with(reader: Reader, s: Sentence, person: Target, org: tuple[Target, str],
                    i: int, after: int) -> None:
    values = {"organisation": org[0], "title": org[1]}
    tail = s.passage.text[s.tokens[after - 1].end:s.end]
    span = re.match(r",? from (\d{4}) to (\d{4})\b", tail)
    if span:
        values["start"], values["end"] = span.group(1), span.group(2)
    reader.relate(person, "positions", values, s, s.tokens[i].start, s.tokens[after - 1].end,
                  reader.sure(person) and reader.sure(org[0]))


def _record_facts(reader: Reader, s: Sentence) -> None:
    """An event's date, place, attendance mode and theme from the sentence that first names it."""
    text = s.text.casefold()
    dates = reader.dates(s)
    for start, end, target, _ in s.mentions:
        if not isinstance(target, Proposal) or target.kind not in ("event", "initiative"):
            continue
        if target.kind == "event" and dates and "start" not in target.fields and target.line == s.passage.line_at(start):
            when = dates[0]
            target.fields["start"] = when[1]
            if when[2]:
                target.fields["end"] = when[2]
        if target.kind == "event" and "online" not in target.fields:
            if "online" in text and "in person" in text:
                target.fields["online"] = "mixed"
            elif target.name.casefold().startswith("online"):
                target.fields["online"] = "true"
        for _, _, other, _ in s.mentions:
            if reader.kind(other) == "place" and target.line == s.passage.line_at(start) and (
                    f" in {_name(reader, other).casefold()}" in s.text.casefold()):
                target.add("location", other)
                break
    themed = _THEMED.search(s.passage.text, s.start, s.end)
    holder = reader.focus.get("event") or reader.focus.get("initiative")
    if themed and isinstance(holder, Proposal) and "theme" not in holder.fields:
        holder.fields["theme"] = themed["theme"].strip()


def _name(reader: Reader, target: Target) -> str:
    if isinstance(target, Proposal):
        return target.name
    record = next(r for r in reader.records if r.id == target)
    return record.values.get("name") or (record.values.get("mentioned_as") or [""])[0]


def _roles(reader: Reader, s: Sentence) -> None:
    text = s.passage.text
    for cue, event_role, initiative_role, side in ROLE_CUES:
        for match in re.finditer(cue, text[s.start:s.end]):
            at, end = s.start + match.start(), s.start + match.end()
            clause_start = max([s.start] + [s.start + m.end() for m in _CLAUSE.finditer(text[s.start:at])])
            clause_end = min([s.end] + [end + m.start() for m in _CLAUSE.finditer(text[end:s.end])])
            agents = [(a, t) for a, b, t, ok in s.mentions if ok and reader.kind(t) in ("person", "organisation")
                      and (clause_start <= a and b <= at if side == "before" else end <= a < clause_end)]
            holders = [t for a, _, t, _ in s.mentions if reader.kind(t) in ("event", "initiative")]
            holder = next((t for t in holders if reader.kind(t) == "event" and event_role), None) or next(
                (t for t in holders if reader.kind(t) == "initiative" and initiative_role), None)
            in_sentence = holder is not None
            if holder is None:
                holder = reader.focus.get("event") if event_role else None
                holder = holder or (reader.focus.get("initiative") if initiative_role else None)
            if holder is None:
                continue
            role = event_role if reader.kind(holder) == "event" else initiative_role
            scheme = "participation-role" if reader.kind(holder) == "event" else "involvement-role"
            if not role or role not in reader.vocabularies.get(scheme, {}):
                continue
            for a, agent in agents:
                if isinstance(holder, str) and isinstance(agent, str):
                    continue  # both in the project already: not this draft's to say
                reader.relate(holder, "participants", {"agent": agent, "role": role}, s, a, end,
                              in_sentence and reader.sure(holder) and reader.sure(agent))


def _counts(reader: Reader, s: Sentence) -> None:
    for count in find_counts(s.passage.text):
        if not s.start <= count.start < s.end:
            continue
        holders = [t for _, _, t, _ in s.mentions if reader.kind(t) in ("event", "initiative")]
        holders += [reader.focus[k] for k in ("event", "initiative") if k in reader.focus]
        holders += [t for _, _, t, _ in s.mentions if reader.kind(t) == "organisation"]
        holder = holders[0] if holders else None
        if holder is None:
            continue
        values = {"of": slug_words(count.noun), "value": count.value, "label": count.noun}
        if count.approximate:
            values["approximate"] = True
        if count.bound:
            values["bound"] = count.bound
        reader.relate(holder, "counts", values, s, count.start, count.end, False)


__all__ = ["Findings", "Token", "read"]


_GROUP: Final = re.compile(
    r"\b(?P<plural>Ministries|Departments|Offices|Commissions) of (?P<field>[A-Z][\w ]*?[\w]) in "
    r"(?P<places>(?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*)*(?:, (?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*)*)*"
    r",? and (?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*)*)")
_SINGULAR: Final = {"Ministries": "Ministry", "Departments": "Department", "Offices": "Office",
                    "Commissions": "Commission"}
_TOPIC_LISTS: Final = (
    re.compile(r"\b(?:topics|themes|modules|subjects|areas)(?: such as| including)?: (?P<list>[^.;]+)"),
    re.compile(r"\b(?:topics|themes|subjects) such as (?P<list>[^.;]+)"),
    re.compile(r"(?P<list>[^.;:]+?) and other (?:topics|themes|subjects)\b"),
)


def _groups(reader: Reader, s: Sentence) -> None:
    """'the Ministries of Education in Kazakhstan, the Kyrgyz Republic and Tajikistan': a ministry
    for each place, named by the curator's pattern and mentioned by the text's words (not sure)."""
    text = s.passage.text
    for match in _GROUP.finditer(text, s.start, s.end):
        phrase = match.group()
        singular = _SINGULAR[match["plural"]]
        for place in re.split(r",? and |, ", match["places"]):
            name = f"{singular} of {match['field']} of {place}"
            target = reader.propose("organisation", name, s, match.start(), match.end(), False,
                                    singular.casefold(), singular.casefold())
            if isinstance(target, Proposal):
                target.add("mentioned_as", phrase)
                located = reader.known(place.removeprefix("the "))
                if located is not None and reader.kind(located) == "place":
                    target.add("location", located)
            reader.mention(s, match.start(), match.end(), target)
        s.claimed.append((match.start(), match.end()))


def _topics(reader: Reader, s: Sentence) -> None:
    """The items of a list of topics ('three modules: A, B, and C'; 'A, B and C and other
    topics'), each a topic not sure; items of more than five words are not topics."""
    text = s.passage.text
    for number, pattern in enumerate(_TOPIC_LISTS):
        for match in pattern.finditer(text, s.start, s.end):
            listed = match["list"]
            capitalised = all(is_capitalised(w) for w in re.split(r",? and |, ", listed)[0].split()[:1])
            items = re.split(r", and |, " if capitalised and number == 0 else r",? and |, ", listed)
            if number == 2:
                items = items[::-1]
            for item in items:
                words = item.split()
                if not 1 <= len(words) <= 5 or words[0].casefold() in STOP_WORDS and not words[0].isupper():
                    break
                start = match.start("list") + listed.find(item)
                target = reader.propose("topic", item, s, start, start + len(item), False)
                reader.mention(s, start, start + len(item), target, False)
                s.claimed.append((start, start + len(item)))
