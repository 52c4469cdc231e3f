"""The rules :mod:`edugraph.explore.draft` reads a new document with: its text as passages that
know their lines, and the word lists and regular expressions that find names, titles, dates and
counts in them. Nothing here knows the project's records; :mod:`edugraph.explore.draftfind`
applies the rules with them.

The words that name a kind of record (``University``, ``Workshop``, ``Project``) are English and
are listed here; the vocabulary terms they suggest (an event's or organisation's ``type``) are used
only when the project's vocabularies have them.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from edugraph.explore.textmatch import MONTHS, number_words

WRAPPED_WIDTH: Final = 150
"""A text none of whose lines is longer than this is hard-wrapped: its paragraphs are the runs of
lines between blank lines. In a longer-lined text every line is a paragraph of its own."""

# The word that ends a name (its head, before any 'of', 'for'...) tells its kind; two-word heads
# are tried first. Each maps to (kind, the vocabulary term it suggests, or '').
HEADS: Final[dict[str, tuple[str, str]]] = {
    **dict.fromkeys(("university", "universities"), ("organisation", "university")),
    **dict.fromkeys(("ministry",), ("organisation", "ministry")),
    **dict.fromkeys(("office", "division", "department", "secretariat", "section", "unit",
                     "headquarters", "bureau"), ("organisation", "administrative-unit")),
    **dict.fromkeys(("faculty", "college"), ("organisation", "academic-unit")),
    **dict.fromkeys(("school",), ("organisation", "school")),
    **dict.fromkeys(("task force", "alliance"), ("organisation", "network")),
    **dict.fromkeys(("bank",), ("organisation", "intergovernmental-organisation")),
    **dict.fromkeys(("centre", "center", "commission", "institute", "agency", "council", "committee",
                     "foundation", "association", "academy", "lab", "laboratory", "organization",
                     "organisation", "natcom", "government", "board", "authority", "federation",
                     "society", "union", "corporation", "company"), ("organisation", "")),
    "training programme": ("event", "training-programme"),
    "training program": ("event", "training-programme"),
    **{word: ("event", word) for word in ("meeting", "ceremony", "workshop", "symposium", "training",
                                          "speech", "presentation")},
    **dict.fromkeys(("forum", "conference", "summit", "congress", "roundtable"), ("event", "meeting")),
    **dict.fromkeys(("seminar", "webinar"), ("event", "workshop")),
    **dict.fromkeys(("day",), ("event", "observance")),
    **dict.fromkeys(("events", "event"), ("event", "network-event")),
    **dict.fromkeys(("lecture", "session", "festival", "exhibition", "celebration", "launch"),
                    ("event", "")),
    **{word: ("initiative", word) for word in ("project", "programme", "initiative", "network",
                                               "report")},
    **dict.fromkeys(("program",), ("initiative", "programme")),
    **dict.fromkeys(("series",), ("initiative", "event-series")),
    **dict.fromkeys(("award", "mechanism", "plan", "strategy", "campaign", "partnership", "platform",
                     "fund", "scheme"), ("initiative", "")),
    **dict.fromkeys(("region", "oblast", "oblasts", "regions", "province", "district", "county"),
                    ("place", "region")),
    **dict.fromkeys(("city",), ("place", "city")),
    **dict.fromkeys(("village",), ("place", "village")),
    **dict.fromkeys(("goal", "goals"), ("topic", "")),
}
PLURAL_HEADS: Final = frozenset(("universities", "oblasts", "regions", "events", "goals"))
"""Heads that name several records at once ('Finnish universities', 'network events')."""
GROUP_OK: Final = frozenset(("events",))
"""Plural heads a record may still be named by (an event held in several places)."""

HONORIFICS: Final = ("Associate Professor", "Assistant Professor", "Professor", "Prof.", "Dr.",
                     "Dr", "Mr.", "Mrs.", "Ms.", "Miss", "Mr", "Ms", "Mrs", "Sir", "Dame",
                     "H.E.", "Academician")
TITLE_HEADS: Final = frozenset((
    "director", "director-general", "dean", "president", "rector", "chair", "chairman",
    "chairwoman", "chairperson", "head", "chief", "minister", "secretary-general", "secretary",
    "professor", "lecturer", "coordinator", "manager", "officer", "specialist", "advisor", "adviser",
    "expert", "teacher", "principal", "mayor", "governor", "ambassador", "representative",
    "founder", "researcher", "commissioner", "consultant", "leader", "vice-president",
    "vice-rector", "counsellor", "editor", "fellow", "inspector", "trainer", "coach"))
TITLE_MODIFIERS: Final = frozenset(("vice", "deputy", "associate", "assistant", "acting",
                                    "executive", "senior", "honorary", "former", "general",
                                    "co-director", "first", "regional", "national", "programme"))
STOP_WORDS: Final = frozenset((
    "the", "a", "an", "on", "in", "at", "of", "for", "to", "by", "with", "from", "and", "or", "as",
    "this", "that", "these", "those", "it", "its", "he", "she", "his", "her", "they", "their",
    "we", "our", "i", "my", "you", "your", "there", "here", "after", "before", "both", "all",
    "each", "every", "however", "subsequently", "within", "under", "according", "often", "so",
    "therefore", "also", "but", "if", "when", "while", "during", "since", "until", "about",
    "more", "most", "some", "many", "other", "such", "not", "no", "yes", "one", "two", "three",
    "then", "thus", "further", "moreover", "finally", "first", "second", "third", "last", "next",
    "what", "who", "how", "why", "where", "which", "learn", "share", "implement", "introduction",
    "text", "photos", "news", "release", "distributed", "public", "agenda", "ensure", "themed",
    "towards", "together", "valuing", "in-service", "pre-service", "high",
    *(month.casefold() for month in MONTHS)))
"""Capitalised words that start no name: sentence openers, function words, months."""
CONNECTORS: Final = frozenset(("of", "for", "on", "in", "and", "the", "at", "de", "du", "des",
                               "la", "le", "von", "van", "&"))
"""Lowercase words that may join the capitalised words of one name (Ministry of Science and
Higher Education of the Republic of Kazakhstan)."""
SPLITTERS: Final = ("of", "for", "at", "under", "in", "on")
"""Where a name's head ends: 'Division' in 'International Exchange Division of SHNU'."""
LOWER_HEADS: Final = frozenset(("ceremony", "events", "workshop", "symposium", "forum", "meeting",
                                "summit", "conference", "seminar", "project", "programme"))
"""Heads a lowercase phrase may name a record by (the opening ceremony, network events)."""

WORD_RE: Final = re.compile(r"\w+(?:[-'’.]\w+)*(?:['’](?!\w))?")
_ABBREVIATIONS: Final = frozenset(("prof", "dr", "mr", "ms", "mrs", "st", "no", "vs", "etc",
                                   "a.i", "e.g", "i.e", "h.e", "jr", "sr", "co", "inc", "ltd"))
_SENTENCE_END: Final = re.compile(r"[.!?][\"”’»)]*\s+(?=[\"“‘«(]?[\w(])")


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph of the text as one line of prose, knowing the text line each offset is on."""

    text: str
    starts: tuple[int, ...]
    """Offset in ``text`` where each of the paragraph's lines starts."""
    lines: tuple[int, ...]
    """The 1-based line number of each of those lines."""

    def line_at(self, offset: int) -> int:
        """The line of the text the character at ``offset`` comes from."""
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


def prose(line: str) -> str:
    """A line as the rules read it: NFC, single spaces, no control characters."""
    return " ".join(unicodedata.normalize("NFC", line).split())


def passages(raw: str) -> list[Passage]:
    """The text's paragraphs (see :data:`WRAPPED_WIDTH`), each with the lines it spans."""
    lines = raw.splitlines()
    wrapped = max((len(line) for line in lines), default=0) <= WRAPPED_WIDTH
    found: list[Passage] = []
    run: list[tuple[int, str]] = []

    def close() -> None:
        if run:
            starts, at = [], 0
            for _, text in run:
                starts.append(at)
                at += len(text) + 1
            found.append(Passage(" ".join(text for _, text in run), tuple(starts),
                                 tuple(number for number, _ in run)))
            run.clear()

    for number, line in enumerate(lines, start=1):
        text = prose(line)
        if not text or not wrapped:
            close()
        if text:
            run.append((number, text))
    close()
    return found


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of a passage; a period after an abbreviation ends none."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start() + 1].rsplit(None, 1)[-1].rstrip(".").lstrip("(").casefold()
        if text[match.start()] == "." and (before in _ABBREVIATIONS or len(before) == 1):
            continue
        yield start, match.start() + 1
        start = match.end()
    if start < len(text):
        yield start, len(text)


def is_capitalised(word: str) -> bool:
    """Whether a word may stand in a name: it starts with a capital letter or is a number."""
    return word[:1].isupper() or word.isdigit() or bool(re.fullmatch(r"\d+(st|nd|rd|th)", word))


def is_acronym(word: str) -> bool:
    """UNESCO, SHNU, UNESCO-ICHEI, SDG4: two or more capitals, nothing in lowercase."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def head_of(words: list[str]) -> tuple[str, tuple[str, str]] | None:
    """The head word(s) of a name and what they make it, from the words before its first
    :data:`SPLITTERS` word (the last such words that are a head; a trailing number is skipped)."""
    part: list[str] = []
    for word in words:
        if word in SPLITTERS and part:
            break
        part.append(word)
    while part and (part[-1].isdigit() or part[-1] in CONNECTORS):
        part.pop()
    for size in (2, 1):
        if len(part) >= size:
            key = " ".join(part[-size:]).casefold()
            if key in HEADS:
                return key, HEADS[key]
    return None


def title_parts(words: list[str]) -> tuple[str, bool] | None:
    """A title as written ('Vice Dean', 'Sciences subject teacher') and whether it is former,
    when ``words`` end in a title head; None when they are no title."""
    if not words or len(words) > 5 or words[-1].casefold() not in TITLE_HEADS:
        return None
    former = words[0].casefold() == "former"
    kept = words[1:] if former else words
    return (" ".join(kept), former) if kept else None


# --- dates ---------------------------------------------------------------------------------

_MONTH: Final = "|".join(MONTHS)
DATE_RE: Final = re.compile(
    rf"\b(?:(?P<m1>{_MONTH}) (?P<d1>\d{{1,2}}), (?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}}) (?P<m2>{_MONTH}) (?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})"
    rf"|(?P<m4>\d{{2}})/(?P<d4>\d{{2}})/(?P<y4>\d{{4}})"
    rf"|(?P<m5>{_MONTH}) (?P<y5>\d{{4}}))\b")
_TIMES: Final = re.compile(r",? (?P<from>\d{1,2}:\d{2})(?: ?[–—-] ?(?P<to>\d{1,2}:\d{2}))?")
_OFFSET: Final = re.compile(r"\b(?:GMT|UTC) ?(?P<sign>[+−-])(?P<hours>\d{1,2})(?::(?P<minutes>\d{2}))?")


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int
    end: int
    lexical: str
    """YYYY-MM-DD, YYYY-MM, or YYYY-MM-DDThh:mm±hh:mm when the sentence gives the time zone."""
    until: str | None = None
    """The end of a time range ('17:00 – 19:00'), as a date-time."""


def find_dates(text: str) -> list[FoundDate]:
    """Every date a passage writes in a form :func:`~edugraph.explore.textmatch.date_forms` knows,
    with its time when the passage gives a time and a time zone ('GMT+6')."""
    offset = _OFFSET.search(text)
    zone = (f"{'-' if offset['sign'] in '-−' else '+'}{int(offset['hours']):02d}:"
            f"{offset['minutes'] or '00'}") if offset else None
    found = []
    for match in DATE_RE.finditer(text):
        groups = {k: v for k, v in match.groupdict().items() if v}
        year = next(v for k, v in groups.items() if k[0] == "y")
        month = next(v for k, v in groups.items() if k[0] == "m")
        month = f"{MONTHS.index(month) + 1:02d}" if month in MONTHS else month
        day = next((v for k, v in groups.items() if k[0] == "d"), None)
        if not 1 <= int(month) <= 12 or (day is not None and not 1 <= int(day) <= 31):
            continue
        lexical = f"{year}-{month}" + (f"-{int(day):02d}" if day else "")
        end, until = match.end(), None
        times = _TIMES.match(text, end) if day and zone else None
        if times:
            end = times.end()
            until = f"{lexical}T{int(times['to'][:-3]):02d}{times['to'][-3:]}{zone}" if times["to"] else None
            lexical = f"{lexical}T{int(times['from'][:-3]):02d}{times['from'][-3:]}{zone}"
        found.append(FoundDate(match.start(), end, lexical, until))
    return found


# --- counts --------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for value in [*range(1, 100), *range(100, 1000, 100), *range(1000, 100_000, 1000)]:
        for form in number_words(value):
            words.setdefault(form, value)
    return words


@lru_cache(maxsize=1)
def count_re() -> re.Pattern[str]:
    """A stated count: a qualifier, a number in digits or words, and the plural noun counted."""
    spelled = "|".join(re.escape(w) for w in sorted(_number_words(), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w,.])(?:(?P<qualifier>about|around|approximately|some|nearly|almost|over|more than"
        rf"|at least|up to|at most|no more than|fewer than|less than) )?"
        rf"(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+|{spelled})(?![\w:/.,]\d|[\w-])"
        rf" (?P<noun>(?:[a-z][\w-]* ){{0,2}}?[a-z][\w-]*s)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FoundCount:
    start: int
    end: int
    value: int
    noun: str
    """The counted noun with its adjectives ('rural schools'), as written."""
    approximate: bool
    bound: str | None


def find_counts(text: str) -> list[FoundCount]:
    """Stated counts ('25 officials', 'about 2150 professors', 'more than 20 countries'); years
    and numbers after 'the' ('the two countries') are not counts."""
    found = []
    for match in count_re().finditer(text):
        number, noun = match["number"].casefold(), match["noun"]
        value = int(number.replace(",", "")) if number[0].isdigit() else _number_words()[number]
        before = text[:match.start()].rsplit(None, 1)[-1:] or [""]
        if before[0].casefold() in ("the", "these", "those") or noun.split()[0].casefold() in STOP_WORDS:
            continue
        if number.isdigit() and len(number) == 4 and 1800 <= value <= 2100:
            continue
        qualifier = (match["qualifier"] or "").casefold()
        bound = ("at-least" if qualifier in ("more than", "over", "at least") else
                 "at-most" if qualifier in ("up to", "at most", "no more than", "fewer than",
                                            "less than") else None)
        approximate = qualifier in ("about", "around", "approximately", "some", "nearly", "almost")
        found.append(FoundCount(match.start(), match.end(), value, noun, approximate, bound))
    return found


def slug_words(text: str, limit: int = 60) -> str:
    """``text`` as an id: ASCII letters and digits joined by single hyphens, cut at a hyphen to
    at most ``limit`` characters (empty when nothing is left)."""
    bare = unicodedata.normalize("NFKD", text.replace("&", " and "))
    ascii_text = "".join(c for c in bare if not unicodedata.combining(c)).encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", ascii_text.decode().casefold().replace("'", ""))
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word[:limit]
    return out
