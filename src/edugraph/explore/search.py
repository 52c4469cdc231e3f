"""Finding records by name: ``edugraph search``.

Every name, alias and ``mentioned_as`` of a record is compared with the search text in a plain
form (:func:`search_form`: case, accents and punctuation left out), and a record ranks by its best
label (:attr:`Hit.score`):

* 100: the label is the text;
* 90: the text is the label's initials, with or without its little words ("nis" for "Nazarbayev
  Intellectual Schools", "apceiu" for "Asia-Pacific Centre of Education for International
  Understanding");
* 80: the text is a run of whole words of the label; 70: every word of the text is a word of it;
* 60: the label starts with the text; 50: every word of the text starts a word of it;
* 20 to 39: every word of the text is found, at least one of them only nearly (a transliteration
  or a typo: "Sagintaeva" for "Sagintayeva"), by rapidfuzz's normalised Indel similarity of one word
  with another, at least 80 of 100 and only for words of four or more letters; the score is the
  words' mean similarity less 60.

A piece inside a word does not count ("nis" is not found in "administrative"). Hits of one score
are in the order of their names, then IRIs, so the same data always gives the same list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.model.kinds import OWN_CLASSES, kind_and_id
from edugraph.query.stores import labels
from edugraph.vocab.namespaces import SCHEMA, SKOS

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
# An apostrophe joins the letters around it ("Women's" is one word, its initial W), so it goes
# before the punctuation does.
_APOSTROPHES = re.compile("['\u2019\u02bc`\u00b4]")
LITTLE_WORDS: Final = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"})
"""Words an acronym may leave out: the APCEIU is the Asia-Pacific Centre *of* Education *for*
International Understanding."""
NEAR: Final = 80
"""The least similarity (rapidfuzz's ``fuzz.ratio``, 0 to 100) of a nearly matching word."""
NEAR_LENGTH: Final = 4
"""Shorter words of the text must match exactly or as a word's start: "nis" is near "nu"."""


def search_form(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: ``"Zhanar Suléimenova"`` -> ``"zhanar suleimenova"``."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", bare.casefold()).split())


def initials(words: list[str]) -> set[str]:
    """A name's acronyms: the first letters of all its words, and of those that are not little words."""
    found = {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in LITTLE_WORDS)}
    return {a for a in found if len(a) > 1}


@dataclass(frozen=True, slots=True)
class Hit:
    iri: str
    kind: str
    name: str
    matched: str  # the name or alias that matched
    score: int

    @property
    def id(self) -> str:
        found = kind_and_id(self.iri)
        return found[1] if found else self.iri


def search(store: ox.Store, text: str, limit: int = 20) -> list[Hit]:
    """Records whose name, alias or mention matches ``text``, best first (see the module's text)."""
    query = search_form(text)
    if not query:
        raise UsageError("the search text has no letters or digits")
    words = query.split()
    # Every name and mention, of named records and of those known only by a mention.
    sparql = (f"SELECT ?s ?type ?label WHERE {{ ?s a ?type . "
              f"VALUES ?type {{ {' '.join(f'<{c}>' for c in OWN_CLASSES)} }} "
              f"{{ ?s <{SCHEMA.name}> ?label }} UNION {{ ?s <{SKOS.altLabel}> ?label }} "
              f"UNION {{ ?s <{SKOS.hiddenLabel}> ?label }} }}")
    found = [(row["s"].value, OWN_CLASSES[row["type"].value], row["label"].value) for row in store.query(sparql)]
    forms = {label: search_form(label) for _, _, label in found}
    near = _near_words(words, {w for form in forms.values() for w in form.split()})
    best: dict[str, tuple[int, str, str]] = {}  # IRI -> (score, what matched, kind)
    for iri, kind, label in found:
        score = _score(query, words, forms[label], near)
        if score == 0:
            continue
        # the best label; of two as good, the shorter, then the first in code-point order
        if iri not in best or (-score, len(label), label) < (-best[iri][0], len(best[iri][1]), best[iri][1]):
            best[iri] = (score, label, kind)
    names = labels(store, best)
    hits = [Hit(iri, kind, names.get(iri, matched), matched, score)
            for iri, (score, matched, kind) in best.items()]
    return sorted(hits, key=lambda h: (-h.score, h.name.casefold(), h.name, h.iri))[:limit]


def _near_words(words: list[str], vocabulary: Iterable[str]) -> dict[str, dict[str, float]]:
    """Each long enough word of the text -> the words of the labels near it, with their similarity."""
    long_words = [w for w in words if len(w) >= NEAR_LENGTH]
    if not long_words:
        return {}
    from rapidfuzz import fuzz, process  # only a search compares words: --help stays light

    choices = sorted(vocabulary)
    return {w: {choice: score for choice, score, _ in process.extract(
        w, choices, scorer=fuzz.ratio, score_cutoff=NEAR, limit=None)} for w in long_words}


def _score(query: str, words: list[str], form: str, near: Mapping[str, Mapping[str, float]]) -> int:
    if form == query:
        return 100
    label_words = form.split()
    if len(words) == 1 and query in initials(label_words):
        return 90
    if f" {query} " in f" {form} ":
        return 80
    whole = set(label_words)
    if all(w in whole for w in words):
        return 70
    if form.startswith(query):
        return 60
    starts = [any(x.startswith(w) for x in label_words) for w in words]
    if all(starts):
        return 50
    similarities = []
    for w, starting in zip(words, starts):
        nearby = near.get(w, {})
        similarity = 100.0 if starting else max((nearby.get(x, 0.0) for x in label_words), default=0.0)
        if similarity < NEAR:
            return 0
        similarities.append(similarity)
    return min(39, round(sum(similarities) / len(similarities)) - 60)
