"""The whole reading of a new document: :func:`read` takes a text and the project's records to
the :class:`Findings` a draft is written from, sentence by sentence (people and positions are
:mod:`edugraph.explore.draftpeople`'s, names :mod:`edugraph.explore.draftnames`').

Here: quoted names after a word naming their kind ('the project "..."'), titles of speeches,
groups ('the Ministries of Education in A, B and C'), lists of topics, an event's date, place and
theme; roles from the words of a sentence ('chaired by', 'delivered a keynote speech', 'attended',
'hosted by', 'implemented by', 'with the support of'), given to the event or initiative the
sentence names, else to the one last named (not sure then); counts, given to the event or
initiative the sentence names, else the one last named, else an organisation it names (never
sure); and the project's records the text names, as ``check-sources`` finds names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from edugraph.explore.draftfind import (
    Mention,
    Proposal,
    Relation,
    Sentence,
    Target,
    Token,
    snippet,
)
from edugraph.explore.draftnames import Names
from edugraph.explore.draftpeople import people
from edugraph.explore.draftrules import (
    HEADS,
    STOP_WORDS,
    find_counts,
    find_dates,
    head_of,
    is_capitalised,
    passages,
    slug_words,
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
    (r"\bled by\b", "", "lead", "after"),
    (r"\blead(?:s)? the\b", "", "lead", "before"),
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
    reader: Names


def read(raw: str, records: list[Item], vocabularies: dict[str, dict[str, str]]) -> Findings:
    """What the text ``raw`` says, read against the project's ``records``."""
    reader = Names(records, vocabularies)
    reader.whole = comparable_text(raw)
    found = passages(raw)
    for passage in found:
        for s in reader.sentences(passage):
            reader.special_names(s)
            _groups(reader, s)
            _topics(reader, s)
            _quoted(reader, s)
            people(reader, s)
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


def _existing(reader: Names, found: list) -> list[Mention]:
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


def _quoted(reader: Names, s: Sentence) -> None:
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


def _record_facts(reader: Names, s: Sentence) -> None:
    """An event's date, place, attendance mode and theme from the sentence that first names it."""
    text = s.text.casefold()
    dates = reader.dates(s)
    for start, end, target, _ in s.mentions:
        if not isinstance(target, Proposal) or target.kind not in ("event", "initiative"):
            continue
        by_name = comparable_text(s.passage.text[start:end]) == comparable_text(target.name)
        if target.kind == "event" and dates and "start" not in target.fields and by_name:
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
            if reader.kind(other) == "place" and by_name and "location" not in target.fields and (
                    f" in {_name(reader, other).casefold()}" in s.text.casefold()):
                target.add("location", other)
                break
    themed = _THEMED.search(s.passage.text, s.start, s.end)
    holder = reader.focus.get("event") or reader.focus.get("initiative")
    if themed and isinstance(holder, Proposal) and "theme" not in holder.fields:
        holder.fields["theme"] = themed["theme"].strip()


def _name(reader: Names, target: Target) -> str:
    if isinstance(target, Proposal):
        return target.name
    record = next(r for r in reader.records if r.id == target)
    return record.values.get("name") or (record.values.get("mentioned_as") or [""])[0]


def _roles(reader: Names, s: Sentence) -> None:
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


def _counts(reader: Names, s: Sentence) -> None:
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


def _groups(reader: Names, s: Sentence) -> None:
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


def _topics(reader: Names, s: Sentence) -> None:
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
