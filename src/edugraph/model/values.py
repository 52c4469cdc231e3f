"""Typed values: the one parser of the scalars that records and query parameters hold.

Each function takes text as written and returns the typed value, or raises :class:`InvalidValue`
saying what is wrong in words a message can quote (the caller adds where: a record's field, or a
query's parameter). Nothing here imports YAML or a SPARQL engine, so a query parameter is typed
without loading the record loader.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final, NamedTuple

from edugraph.vocab.namespaces import SLUG_RE, XSD


class InvalidValue(ValueError):
    """Text that does not fit its type; the message says how (``'x' is not a date``)."""


MAX_SLUG: Final = 100
MAX_INT: Final = 10**15
MAX_IRI: Final = 2000

# Datatypes of temporal values, by lexical form (matched whole). ASCII digits only: [0-9], never
# \d, int() or str.isdigit(), which take any script's digits ("２０２４" is no XML Schema year).
TEMPORAL_FORMS: Final = (
    (re.compile(r"[0-9]{4}"), XSD.gYear),
    (re.compile(r"[0-9]{4}-[0-9]{2}"), XSD.gYearMonth),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), XSD.date),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:[0-9]{2})?"), XSD.dateTime),
)
HTTP_IRI_RE: Final = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_WHOLE = re.compile(r"0|[1-9][0-9]*")
_SIGNED = re.compile(r"-?[0-9]{1,15}")


# A named tuple, not a dataclass: importing dataclasses (and inspect with it) costs a query's
# start-up about 10 ms.
class Temporal(NamedTuple):
    """A date as written, with the XSD datatype its form gives."""

    lexical: str
    datatype: str

    @property
    def earliest(self) -> str:
        """The first day it may mean, as YYYY-MM-DD (2020-04 -> 2020-04-01)."""
        return (self.lexical[:10] + "-01-01"[len(self.lexical[:10]) - 4:])[:10]

    @property
    def latest(self) -> str:
        """The last day it may mean, as comparable text (2020-04 -> 2020-04-31: no real date
        lies between it and the month's true last day)."""
        return (self.lexical[:10] + "-12-31"[len(self.lexical[:10]) - 4:])[:10]

    def before(self, other: Temporal) -> bool:
        """Whether this ends before ``other`` can begin (2019 is before 2020-04; 2020 is not)."""
        return self.latest < other.earliest


def slug(text: str) -> str:
    """A record id: lowercase letters, digits and single hyphens, at most :data:`MAX_SLUG` long."""
    if not SLUG_RE.fullmatch(text) or len(text) > MAX_SLUG:  # fullmatch: "$" allows a final "\n"
        raise InvalidValue(f"'{text}' is not a valid id")
    return text


def temporal(text: str) -> Temporal:
    """A year, year-month, date or date-time (seconds added where XML Schema needs them)."""
    for pattern, datatype in TEMPORAL_FORMS:
        if pattern.fullmatch(text):
            break
    else:
        raise InvalidValue(f"'{text}' is not a date")
    if text[:4] == "0000":
        raise InvalidValue(f"'{text}' has the year 0000, which XML Schema dates do not have")
    try:
        if len(text) == 7:
            date(int(text[:4]), int(text[5:7]), 1)
        elif len(text) == 10:
            date.fromisoformat(text)
        elif len(text) > 10:
            moment = datetime.fromisoformat(text)
            offset = moment.utcoffset()
            if offset is not None and abs(offset.total_seconds()) > 14 * 3600:
                raise ValueError("time zone offset beyond ±14:00")
    except ValueError as exc:
        raise InvalidValue(f"'{text}' is not a real date ({exc})") from None
    if datatype == XSD.dateTime and text[16:17] != ":":
        text = f"{text[:16]}:00{text[16:]}"  # xsd:dateTime requires seconds
    return Temporal(text, datatype)


def whole_number(text: str) -> int:
    """A count as records write it: digits, no sign, no leading zero, at most :data:`MAX_INT`."""
    if not _WHOLE.fullmatch(text):
        raise InvalidValue(f"'{_cut(text)}' is not a whole number")
    # The length first: int() refuses text of over 4,300 digits with a ValueError of its own.
    if len(text) > len(str(MAX_INT)) or int(text) > MAX_INT:
        raise InvalidValue(f"'{_cut(text)}' is larger than {MAX_INT}")
    return int(text)


def _cut(text: str, most: int = 40) -> str:
    """``text`` as a message quotes it: its first ``most`` characters."""
    return text if len(text) <= most else f"{text[:most]}..."


def integer(text: str) -> int:
    """An integer as a query parameter may be written: an optional minus and up to 15 digits."""
    if not _SIGNED.fullmatch(text):
        raise InvalidValue(f"'{text}' is not an integer")
    return int(text)


def boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise InvalidValue(f"'{text}' is not true or false")
    return text == "true"


def http_iri(text: str) -> str:
    """An absolute http(s) IRI that Oxigraph accepts."""
    if not HTTP_IRI_RE.fullmatch(text) or len(text) > MAX_IRI:
        raise InvalidValue(f"'{text}' is not a valid http(s) IRI")
    import pyoxigraph as ox  # only when an IRI is typed: a command's start-up need not pay for it

    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise InvalidValue(f"'{text}' is not a valid IRI ({exc})") from None
    return text


def iri(text: str) -> str:
    """An absolute IRI of any scheme that Oxigraph accepts (a graph's name)."""
    if len(text) > MAX_IRI:
        raise InvalidValue(f"'{text[:40]}...' is not a valid IRI: longer than {MAX_IRI} characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(f"'{text}' is not a valid IRI: not UTF-8 text") from None
    import pyoxigraph as ox  # as in http_iri

    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise InvalidValue(f"'{text}' is not a valid IRI ({exc})") from None
    return text
