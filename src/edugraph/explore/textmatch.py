"""Text as the grounding check compares it: phrases, numbers, ordinals and dates looked for in a
source's text.

Texts and phrases are compared after :func:`comparable_text` (NFKC, casefolded, one dash, no quotes,
single spaces) and only as whole words, so 'AI' does not occur in 'training' and 25 does not occur in
2025. A :class:`SourceText` answers each question once: at scale, many records ask one text for the
same names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

_DASHES: Final = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"  # ‐ ‑ ‒ – — ― − -
_QUOTES: Final = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a'\"`\u00b4"
# Quotes are removed rather than unified: a source may quote a name the record writes bare.
_FOLD: Final = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_QUOTES, None)})

MONTHS: Final = ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")
_ONES: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                "eighteen", "nineteen")
_TENS: Final = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINAL_ONES: Final = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                        "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                        "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth")
_ORDINAL_TENS: Final = ("", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
                        "seventieth", "eightieth", "ninetieth")


# --- comparing text ---------------------------------------------------------------------------

def comparable_text(text: str) -> str:
    """Text as the check compares it: NFKC, casefolded, every dash '-', no quotes, single spaces."""
    # Fold before NFKC too: NFKC turns the acute accent ´ into a space and a combining mark.
    folded = unicodedata.normalize("NFKC", text.translate(_FOLD)).translate(_FOLD)
    return " ".join(folded.casefold().split())


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a regular expression


@lru_cache(maxsize=65536)
def _needle(phrase: str) -> tuple[str, bool, bool]:
    """The phrase as texts are prepared, and whether it must start and end at a word's edge: only
    where it starts or ends with a letter or digit ('Dr.' may be followed by anything)."""
    needle = comparable_text(phrase)
    return needle, bool(needle) and _is_word(needle[0]), bool(needle) and _is_word(needle[-1])


def _ends(phrase: str, text: str) -> Iterator[int]:
    """Where each occurrence of ``phrase`` as whole words in ``text`` ends."""
    # str.find and a look at the characters either side: a regular expression that starts with a
    # look-behind tries every position of the text, some thirty times slower on a long one.
    needle, word_start, word_end = _needle(phrase)
    if not needle:
        return
    at = text.find(needle)
    while at != -1:
        end = at + len(needle)
        if not (word_start and at and _is_word(text[at - 1])) and not (
                word_end and end < len(text) and _is_word(text[end])):
            yield end
        at = text.find(needle, at + 1)


def occurs(phrase: str, text: str) -> bool:
    """Whether ``phrase`` occurs as whole words in ``text``, which :func:`comparable_text` has prepared."""
    return next(_ends(phrase, text), None) is not None


def spans(phrase: str, text: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of ``phrase`` as whole words in ``text``, which
    :func:`comparable_text` has prepared (what :func:`occurs` finds, and where)."""
    length = len(_needle(phrase)[0])
    return [(end - length, end) for end in _ends(phrase, text)]


def number_words(value: int) -> list[str]:
    """English spellings of ``value`` below a million ('twenty-five', 'two thousand', ...)."""
    if not 0 <= value < 1_000_000:
        return []
    thousands, rest = divmod(value, 1000)
    if not thousands:
        return sorted(_below_1000(value))
    heads = {f"{words} thousand" for words in _below_1000(thousands)}
    if thousands == 1:
        heads.add("a thousand")
    if not rest:
        return sorted(heads)
    tails = _below_1000(rest)
    if rest < 100:
        tails |= {f"and {words}" for words in _below_100(rest)}  # two thousand and five
    return sorted(f"{head} {tail}" for head in heads for tail in tails)


def _below_100(value: int) -> set[str]:
    if value < 20:
        return {_ONES[value]}
    tens, ones = divmod(value, 10)
    if not ones:
        return {_TENS[tens]}
    # 'twenty five' as well: dash unification only makes every hyphen the same hyphen.
    return {f"{_TENS[tens]}-{_ONES[ones]}", f"{_TENS[tens]} {_ONES[ones]}"}


def _below_1000(value: int) -> set[str]:
    hundreds, rest = divmod(value, 100)
    if not hundreds:
        return _below_100(rest)
    heads = {f"{_ONES[hundreds]} hundred"} | ({"a hundred"} if hundreds == 1 else set())
    if not rest:
        return heads
    return {f"{head}{joint}{tail}" for head in heads for joint in (" and ", " ")
            for tail in _below_100(rest)}


def _digits_occur(value: int, text: str) -> bool:
    for form in dict.fromkeys((str(value), f"{value:,}")):
        at = text.find(form)
        while at != -1:
            end = at + len(form)
            # Not part of a longer number: 25 is not in 2025, 1,250 or 25.5.
            alone_before = not (at and _is_word(text[at - 1])) and not (
                at >= 2 and text[at - 1] in ".," and text[at - 2].isdecimal())
            alone_after = not (end < len(text) and _is_word(text[end])) and not (
                end + 1 < len(text) and text[end] in ".," and text[end + 1].isdecimal())
            if alone_before and alone_after:
                return True
            at = text.find(form, at + 1)
    return False


def number_occurs(value: int, text: str) -> bool:
    """Whether ``value`` occurs in the normalised ``text`` as digits (2150, 2,150) or in words."""
    return _digits_occur(value, text) or any(occurs(words, text) for words in number_words(value))


def ordinal_forms(value: int) -> list[str]:
    """How a text may write ``value`` as an ordinal: '8th', '22nd', and in words below a hundred
    ('eighth', 'twenty-second')."""
    if value < 0:
        return []
    suffix = "th" if value % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    forms = [f"{value}{suffix}"]
    if value < 20:
        forms.append(_ORDINAL_ONES[value])
    elif value < 100:
        tens, ones = divmod(value, 10)
        forms += ([_ORDINAL_TENS[tens]] if not ones else
                  [f"{_TENS[tens]}-{_ORDINAL_ONES[ones]}", f"{_TENS[tens]} {_ORDINAL_ONES[ones]}"])
    return forms


def ordinal_occurs(value: int, text: str) -> bool:
    """Whether ``value`` occurs in the normalised ``text`` as an ordinal (8th, eighth)."""
    return any(occurs(form, text) for form in ordinal_forms(value))


@dataclass(frozen=True, slots=True)
class DateForms:
    """How a text may write a date: one of ``any_of``, and every one of ``all_of`` as well."""

    any_of: tuple[str, ...]
    all_of: tuple[str, ...] = ()

    def describe(self) -> str:
        shown = [f"'{form}'" for form in self.any_of]
        text = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
        if self.all_of:
            text += " with " + " and ".join(f"'{form}'" for form in self.all_of)
        return text


def date_forms(lexical: str) -> DateForms:
    """The written forms of a date in the forms :class:`~edugraph.model.Temporal` allows.

    A date: 'July 2, 2025', '2 July 2025', '07/02/2025' or '2025-07-02'; a date-time: those with
    its time '17:00'; a year-month: the month's name with the year anywhere; a year: the year.
    """
    year = lexical[:4]
    if len(lexical) == 4:
        return DateForms((year,))
    month_number = lexical[5:7]
    month = MONTHS[int(month_number) - 1]
    if len(lexical) == 7:
        return DateForms((month,), (year,))
    day = lexical[8:10]
    dates = (f"{month} {int(day)}, {year}", f"{int(day)} {month} {year}",
             f"{month_number}/{day}/{year}", f"{year}-{month_number}-{day}")
    if len(lexical) == 10:
        return DateForms(dates)
    return DateForms(dates, (lexical[11:16],))


def date_occurs(lexical: str, text: str) -> bool:
    """Whether the date ``lexical`` occurs in the normalised ``text`` in one of its written forms."""
    forms = date_forms(lexical)
    return (any(occurs(form, text) for form in forms.any_of)
            and all(occurs(form, text) for form in forms.all_of))


@lru_cache(maxsize=1024)
def _follower_pattern(phrase: str) -> re.Pattern[str] | None:
    needle, _, word_end = _needle(phrase)
    if not needle:
        return None
    return re.compile(r" ?, ?" + re.escape(needle) + (r"(?!\w)" if word_end else ""))


def only_before(phrase: str, follower: str, text: str) -> bool:
    """Whether ``phrase`` occurs in the normalised ``text`` and every time is followed at once by a
    comma and ``follower`` (whole words): the text says "A, B" where a record lists A and B apart."""
    tail = _follower_pattern(follower)
    ends = list(_ends(phrase, text))
    return tail is not None and bool(ends) and all(tail.match(text, end) for end in ends)


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source document's text, normalised once, that answers each question once: at scale many
    records and relationships ask one text for the same names."""

    source_id: str
    file: str
    text: str
    _answers: dict[tuple[str, object], bool] = field(default_factory=dict, init=False, repr=False,
                                                      compare=False)

    @property
    def shown(self) -> str:
        """How messages name the source: ``src-001 (001_x.txt)``."""
        return f"{self.source_id} ({self.file})"

    def _answer(self, question: str, subject: object, test: Callable[[], bool]) -> bool:
        key = (question, subject)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = test()
        return answer

    def mentions(self, phrase: str) -> bool:
        """Whether ``phrase`` occurs in the text (:func:`occurs`)."""
        return self._answer("phrase", phrase, lambda: occurs(phrase, self.text))

    def gives_number(self, value: int) -> bool:
        """Whether ``value`` occurs in digits or words (:func:`number_occurs`)."""
        return self._answer("number", value, lambda: number_occurs(value, self.text))

    def gives_ordinal(self, value: int) -> bool:
        """Whether ``value`` occurs as an ordinal (:func:`ordinal_occurs`)."""
        return self._answer("ordinal", value, lambda: ordinal_occurs(value, self.text))

    def gives_date(self, lexical: str) -> bool:
        """Whether the date occurs in one of its written forms (:func:`date_occurs`)."""
        return self._answer("date", lexical, lambda: date_occurs(lexical, self.text))

    def splits(self, phrase: str, follower: str) -> bool:
        """Whether ``phrase`` occurs only as the start of "phrase, follower" (:func:`only_before`)."""
        return only_before(phrase, follower, self.text)
