"""Finding records by name: ``edugraph search``, case-, accent- and punctuation-insensitive."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox

from edugraph.errors import UsageError
from edugraph.model.kinds import OWN_CLASSES, kind_and_id
from edugraph.query.stores import labels
from edugraph.vocab.namespaces import SCHEMA, SKOS

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def search_form(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: ``"Zhanar Suléimenova"`` -> ``"zhanar suleimenova"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", bare.casefold()).split())


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
    """Records whose name or alias matches ``text``, best first."""
    query = search_form(text)
    if not query:
        raise UsageError("the search text has no letters or digits")
    words = query.split()
    # Every name and mention, of named records and of those known only by a mention.
    sparql = (f"SELECT ?s ?type ?label WHERE {{ ?s a ?type . "
              f"VALUES ?type {{ {' '.join(f'<{c}>' for c in OWN_CLASSES)} }} "
              f"{{ ?s <{SCHEMA.name}> ?label }} UNION {{ ?s <{SKOS.altLabel}> ?label }} "
              f"UNION {{ ?s <{SKOS.hiddenLabel}> ?label }} }}")
    best: dict[str, tuple[int, str, str]] = {}  # IRI -> (score, what matched, kind)
    for row in store.query(sparql):
        label = row["label"].value
        score = _score(query, words, search_form(label))
        if score == 0:
            continue
        iri = row["s"].value
        if iri not in best or (score, -len(label)) > (best[iri][0], -len(best[iri][1])):
            best[iri] = (score, label, OWN_CLASSES[row["type"].value])
    names = labels(store, best)
    hits = [Hit(iri, kind, names.get(iri, matched), matched, score)
            for iri, (score, matched, kind) in best.items()]
    return sorted(hits, key=lambda h: (-h.score, h.name.casefold(), h.iri))[:limit]


def _score(query: str, words: list[str], label: str) -> int:
    if label == query:
        return 100
    if label.startswith(query + " ") or label.startswith(query):
        return 80
    padded = f" {label} "
    if f" {query} " in padded:
        return 60
    if all(f" {w}" in padded for w in words):
        return 40
    if query in label:
        return 20
    return 0
