#!/usr/bin/env python
"""Generate a synthetic edugraph dataset of N valid records for the performance benchmark.

    python benchmarks/generate.py N OUTDIR [--seed S] [--per-file K]

Writes OUTDIR/<section>-<chunk>.yaml (``people-0007.yaml``: records 7000-7999 of the people with
the default K=1000). The mix follows the bundled data: ~5 sources (plus one per 2000 records),
organisations ~30% (hierarchies through ``part_of``), people ~30% (1-3 positions each, with
titles), events ~15% (dates, date-times with offsets, locations, ``part_of`` events or
initiatives, 2-8 participants with roles, counts), initiatives ~8% (involvements with roles and
titles), places ~7% (cities in regions in countries in world regions) and topics ~5% (``broader``),
with aliases, descriptions and notes on some. References pick popular targets more often than
others (a few hubs, a long tail), as real data does.

Every record is valid: the output loads, resolves and validates with no SHACL result. The same
N, seed and K always give byte-identical files (one ``random.Random(seed)``, no dict or set order,
no clock). YAML is written by formatting strings, every text value double-quoted the way
``json.dumps`` quotes it (a valid YAML double-quoted scalar, so any text is safe).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

DEFAULT_SEED = 42
DEFAULT_PER_FILE = 1000

# Kind -> (YAML section, share of the non-source records). The shares of the brief add up to 95%;
# they are normalised over the records that are not sources.
MIX: dict[str, tuple[str, float]] = {
    "organisation": ("organisations", 0.30),
    "person": ("people", 0.30),
    "event": ("events", 0.15),
    "initiative": ("initiatives", 0.08),
    "place": ("places", 0.07),
    "topic": ("topics", 0.05),
}
SECTIONS = {"source": "sources", **{kind: section for kind, (section, _) in MIX.items()}}
MINIMUM = {"organisation": 3, "person": 2, "event": 2, "initiative": 1, "place": 3, "topic": 1}
FILE_RE = re.compile(r"^(?:%s)-\d{4,}\.yaml$" % "|".join(SECTIONS.values()))

# ---------------------------------------------------------------------------------------------
# Words the records are made of (some with accents, Cyrillic and CJK, as the real sources have).

FIRST = ["Aigerim", "Askar", "Zhanyl", "Laura", "Dana", "Nurlan", "Gulnara", "Timur", "Madina",
         "Yerlan", "Saule", "Bakyt", "Minxuan", "Wei", "Jing", "Bo", "Li", "Mingjun", "Aino",
         "Juha", "Päivi", "Mikko", "Søren", "José", "Ana", "Hélène", "Jean", "Maria", "Olga",
         "Dmitri", "Farrukh", "Dilnoza", "Rustam", "Nigora", "Bolot", "Cholpon", "Ji-woo", "Min-jun"]
LAST = ["Sagintayeva", "Zhontayeva", "Butabayeva", "Omarbek", "Nurpeisova", "Abenov", "Iskakov",
        "Zhang", "Ning", "Jiang", "Zhou", "Xiao", "Hu", "Guo", "Wang", "Virtanen", "Korhonen",
        "Mäkinen", "Nielsen", "García", "Dupont", "Müller", "Ivanova", "Petrov", "Karimov",
        "Yusupova", "Rakhimov", "Toktogulov", "Asanova", "Kim", "Park", "Lee", "O'Brien", "Dubois"]
NATIVE_NAMES = [("Айгерім Нұрланқызы", "Aigerim Nurlankyzy"), ("Бакыт Асанов", "Bakyt Asanov"),
                ("张敏选", "Zhang Minxuan"), ("宁波", "Ning Bo"), ("Гүлнара Серікова", "Gulnara Serikova")]
HONORIFICS = ["Professor", "Dr.", "Prof.", "Ms.", "Mr.", "Academician"]
TITLES = ["Director", "Deputy Director", "Dean", "Vice Dean", "Rector", "Vice-Rector",
          "Head of Department", "Minister", "Vice Minister", "Chief Expert", "Programme Specialist",
          "Senior Lecturer", "Professor", "Teacher", "Principal", "Chair of the Board",
          "Director of Continuing Education", "Deputy Director (on secondment)", "Coordinator"]
INVOLVEMENT_TITLES = ["project lead", "vice head of the project", "national coordinator",
                      "lead author", "trainer", "expert", "focal point", "team member"]
COUNTRIES = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Turkmenistan", "China",
             "Finland", "Republic of Korea", "Saudi Arabia", "France", "Germany", "Mongolia",
             "India", "Japan", "Türkiye", "Côte d'Ivoire", "Brazil", "Kenya", "Norway", "Chile"]
WORLD_REGIONS = ["Central Asia", "East Asia", "Northern Europe", "Western Europe", "Arab States",
                 "Latin America", "Sub-Saharan Africa", "South Asia"]
REGION_WORDS = ["Almaty", "Mangystau", "Akmola", "Turkistan", "Osh", "Chüy", "Sughd", "Khatlon",
                "Ferghana", "Samarkand", "Uusimaa", "Pirkanmaa", "Gyeonggi", "Zhejiang", "Jiangsu",
                "Bavaria", "Normandy", "Nairobi", "Valparaíso", "Västra Götaland"]
CITY_WORDS = ["Astana", "Almaty", "Shymkent", "Aktau", "Bishkek", "Osh", "Dushanbe", "Khujand",
              "Tashkent", "Samarkand", "Shanghai", "Beijing", "Shenzhen", "Helsinki", "Tampere",
              "Seoul", "Riyadh", "Paris", "Munich", "Ulaanbaatar", "Zharmukhambet", "Kökshetau",
              "Turkistan", "Nukus", "Karakol", "Tokmok", "Alma-Ata", "Hangzhou", "Oulu", "Lyon"]
CYRILLIC_CITIES = ["Алматы", "Бишкек", "Душанбе"]
DISCIPLINES = ["Education", "Teacher Education", "Pedagogy", "Educational Leadership",
               "Inclusive and Special Education", "Mathematics Education", "Education Policy",
               "Digital Learning", "Early Childhood Education", "Science Education",
               "Languages", "Psychology", "Assessment", "Rural Education", "Higher Education"]
UNIT_WORDS = {
    "academic-unit": ["Faculty of {d}", "Department of {d}", "Graduate School of {d}",
                      "Institute of {d}", "College of {d}", "Chair of {d}"],
    "administrative-unit": ["International Exchange Division", "Department of {d}",
                            "Office of {d}", "Secretariat", "Division for {d}",
                            "Administrative Affairs Office", "Section for {d}"],
    "government-agency": ["National Centre for {d}", "Agency for {d}", "Committee for {d}"],
    "unesco-office": ["{c} Regional Office", "{c} Cluster Office", "Liaison Office in {c}"],
    "school": ["Secondary School No. {n}", "Lyceum No. {n}", "Gymnasium No. {n}"],
}
ROOT_WORDS = {
    "intergovernmental-organisation": ["International Organisation for {d}", "Regional Council on {d}",
                                       "{w} Bank", "Organisation of {w} States for {d}"],
    "ministry": ["Ministry of Education of {c}", "Ministry of Science and Higher Education of {c}",
                 "Ministry of Enlightenment of {c}"],
    "university": ["{city} State University", "{city} Pedagogical University",
                   "National University of {c}", "{city} University of Education",
                   "{c}'s National Women's Teacher Training University"],
    "national-commission": ["{c} National Commission for UNESCO"],
    "network": ["{w} Network for {d}", "Network of {d} Schools", "{d} Alliance"],
    "civil-society-organisation": ["Teachers' Union of {c}", "Foundation for {d}",
                                   "{city} Teachers' Lab", "Association for {d}"],
    "government-agency": ["National Centre for {d} of {c}", "{c} Agency for Quality in {d}"],
    "unesco-category-2-centre": ["International Centre for {d}", "Regional Centre for {d} in {w}"],
    "school": ["{city} Secondary School No. {n}", "{city} Specialised Lyceum No. {n}"],
}
GENERIC_ORG = ["{d} Organisation of {c}"]  # for organisation types added to the ontology later
TOPIC_HEADS = ["teacher education", "artificial intelligence", "teacher professional development",
               "digital transformation of education", "inclusive education", "teacher leadership",
               "teacher policies", "rural and remote schools", "student-centred learning",
               "educational assessment", "early childhood education", "education for sustainable "
               "development", "STEM education", "language policy", "school leadership",
               "teacher careers", "initial teacher education", "quality monitoring",
               "curriculum reform", "open educational resources", "girls' education",
               "education financing", "lifelong learning", "teachers' voices", "mentoring"]
TOPIC_QUALIFIERS = ["", "rural", "digital", "regional", "national", "comparative", "evidence on",
                    "gender and", "policy for", "research on", "innovation in", "equity in"]
EVENT_TEMPLATES = {
    "meeting": ["{o} Meeting of {g}", "Annual Meeting of the {t} Network"],
    "workshop": ["Workshop on {t}", "Validation workshop on {t}", "{t}: a hands-on workshop"],
    "symposium": ["{w} Symposium on {t}", "Online Symposium: Spotlight on {t}"],
    "training": ["Training of trainers on {t}", "Training on {t} for teachers of {city}"],
    "training-programme": ["Regional Educational Leaders Training Program in {city}",
                           "Training programme on {t}"],
    "ceremony": ["Opening ceremony in {city}", "Award ceremony for {t}"],
    "speech": ["Keynote: \"{t}\" and the future of teaching", "Studying {t} to support teachers"],
    "presentation": ["Presentation of the report on {t}", "Presentation on {t}"],
    "observance": ["World Teachers' Day {y} in {city}", "International Day of Education {y}"],
    "network-event": ["Network event of teacher leaders in {city}", "Teachers' forum on {t}"],
}
GENERIC_EVENT = ["{t} event in {city}"]
INITIATIVE_TEMPLATES = {
    "project": ["Project on {t} in {c}", "Strengthening {t} in {w}"],
    "programme": ["{w} Programme for {t}", "National programme on {t}"],
    "initiative": ["Skilled Teachers - Skilled {c}", "Initiative on {t}"],
    "network": ["{t} partner network", "Global network on {t}"],
    "event-series": ["Series of workshops on {t}", "Meetings of centres on {t}"],
    "report": ["Regional report on {t} in {w}", "Global report on {t}"],
}
GENERIC_INITIATIVE = ["{t} initiative"]
COUNT_OF = ["participants", "professors", "universities", "schools", "teachers", "modules",
            "countries", "students", "sessions", "trainers", "educational-programs",
            "rural-school-principals", "centres", "experts"]
COUNT_LABELS = {"participants": "officials, experts and scholars",
                "professors": "about {v} professors", "schools": "principals from {v} rural schools",
                "teachers": "{v} teachers", "educational-programs": "adaptation of {v} programmes"}
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}
PARTICIPANT_WEIGHTS = [(2, 44), (3, 25), (4, 11), (5, 7), (6, 5), (7, 4), (8, 4)]
INVOLVEMENT_WEIGHTS = [(1, 25), (2, 30), (3, 25), (4, 12), (5, 5), (6, 3)]
POSITION_WEIGHTS = [(1, 70), (2, 23), (3, 7)]
SOURCE_WEIGHTS = [(1, 88), (2, 11), (3, 1)]
DESCRIPTIONS = [
    'Works on {t} in {c}; the source calls it "a leading actor".',
    "A body active in {t}: research, training and policy advice.",
    'Described in the source as "the main partner" for {t}.',
    "One of the three modules of the programme on {t}.",
    "Brought together officials, experts and teachers from {c} to discuss {t}.",
]
NOTES = [
    "The source gives no date; none is guessed.",
    'The source says "this year" without naming the year, so no date is recorded.',
    "Two sources spell the name differently; recorded as the first writes it.",
    "The date is read as day/month, which fits the events the source reports.",
]


class Summary:
    """What a run of the generator wrote. (A plain class, not a dataclass, so the module also
    works when loaded from its path without being in ``sys.modules``.)"""

    def __init__(self, n: int, seed: int, per_file: int) -> None:
        self.n, self.seed, self.per_file = n, seed, per_file
        self.records: dict[str, int] = {}
        self.relationships: dict[str, int] = {}
        self.files: list[str] = []
        self.triples = 0
        """The instance triples the records map to (edugraph's mapping rules, counted here)."""
        self.seconds = 0.0

    @property
    def triples_per_record(self) -> float:
        return self.triples / self.n if self.n else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "seed": self.seed, "per_file": self.per_file, "records": self.records,
                "relationships": self.relationships, "files": len(self.files),
                "triples": self.triples, "triples_per_record": round(self.triples_per_record, 3)}


# ---------------------------------------------------------------------------------------------
# Helpers


def slug(text: str) -> str:
    """A lowercase ASCII slug of ``text`` (accents dropped); '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:60].strip("-")


def q(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is a subset of YAML's."""
    return json.dumps(text, ensure_ascii=False)


class Picker:
    """Seeded choices; ``skewed`` favours the front of a list (hubs first, a long tail after)."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def one(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def skewed(self, seq, power: float = 2.5):
        return seq[int(len(seq) * self.rng.random() ** power)]

    def weighted(self, pairs: list[tuple[Any, int]]):
        total = sum(w for _, w in pairs)
        r = self.rng.random() * total
        for value, w in pairs:
            r -= w
            if r < 0:
                return value
        return pairs[-1][0]

    def distinct(self, seq, k: int, power: float = 2.0) -> list:
        """Up to ``k`` different elements, skewed to the front, in the order drawn."""
        k = min(k, len(seq))
        out: list = []
        seen: set = set()
        tries = 0
        while len(out) < k and tries < 20 * k:
            tries += 1
            value = self.skewed(seq, power)
            if value not in seen:
                seen.add(value)
                out.append(value)
        return out


class Ids:
    """Unique slugs across the whole dataset (a clash gets a numeric suffix)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, base: str, fallback: str) -> str:
        stem = (base or fallback)[:80].strip("-") or fallback
        candidate, n = stem, 1
        while candidate in self.used:
            n += 1
            candidate = f"{stem}-{n}"
        self.used.add(candidate)
        return candidate


def plan(n: int) -> dict[str, int]:
    """How many records of each kind make up ``n`` records."""
    sources = 5 + n // 2000
    rest = n - sources
    if rest < sum(MINIMUM.values()):
        raise ValueError(f"N must be at least {sources + sum(MINIMUM.values())}")
    total_share = sum(share for _, share in MIX.values())
    counts = {kind: max(MINIMUM[kind], int(rest * share / total_share))
              for kind, (_, share) in MIX.items()}
    # What rounding left over (or took too much) goes to the people and organisations.
    diff = rest - sum(counts.values())
    order = ["person", "organisation", "event", "initiative", "place", "topic"]
    i = 0
    while diff:
        kind = order[i % len(order)]
        step = 1 if diff > 0 else -1
        if counts[kind] + step >= MINIMUM[kind]:
            counts[kind] += step
            diff -= step
        i += 1
    return {"source": sources, **counts}


def _date(pick: Picker, start_year: int = 2010, end_year: int = 2025) -> date:
    return date(pick.rng.randint(start_year, end_year), pick.rng.randint(1, 12), pick.rng.randint(1, 28))


# ---------------------------------------------------------------------------------------------
# The dataset


class Generator:
    def __init__(self, n: int, seed: int, vocabularies: dict[str, dict[str, str]]) -> None:
        self.n = n
        self.pick = Picker(seed)
        self.ids = Ids()
        self.vocab = {scheme: list(terms) for scheme, terms in vocabularies.items()}
        self.counts = plan(n)
        self.records: dict[str, list[dict[str, Any]]] = {kind: [] for kind in SECTIONS}

    # -- shared fields -------------------------------------------------------------------------

    def sources(self) -> list[str]:
        k = self.pick.weighted(SOURCE_WEIGHTS)
        return self.pick.distinct(self.source_ids, k, power=1.6)

    def topic_word(self) -> str:
        return self.pick.one(TOPIC_HEADS)

    def fill(self, template: str, **extra: Any) -> str:
        p = self.pick
        values = {"d": p.one(DISCIPLINES), "c": p.one(COUNTRIES), "w": p.one(WORLD_REGIONS),
                  "city": p.one(CITY_WORDS), "n": p.rng.randint(1, 250), "t": self.topic_word(),
                  "y": p.rng.randint(2010, 2025), "g": "UNESCO Category II Centres",
                  "o": ORDINALS.get(k := p.rng.randint(1, 12), f"{k}th")}
        values.update(extra)
        text = template.format(**values)
        return text[:1].upper() + text[1:]

    def extras(self, record: dict[str, Any], alias: float, description: float, note: float = 0.03,
               name: str = "") -> None:
        p = self.pick
        if p.chance(alias):
            words = [w for w in re.findall(r"[A-Za-zÀ-ÿ]+", name) if w[:1].isupper()]
            short = "".join(w[0] for w in words) if len(words) > 1 else ""
            record["aliases"] = [short] if len(short) > 1 else [name.lower() if name.lower() != name
                                                                   else name.upper()]
        if p.chance(description):
            record["description"] = self.fill(p.one(DESCRIPTIONS))
        if p.chance(note):
            record["note"] = p.one(NOTES)

    def counts_field(self, record: dict[str, Any], chance: float, most: int) -> None:
        p = self.pick
        if not p.chance(chance):
            return
        entries = []
        for of in p.distinct(COUNT_OF, p.rng.randint(1, most), power=1.5):
            value = p.weighted([(p.rng.randint(1, 12), 40), (p.rng.randint(10, 99), 40),
                                (p.rng.randint(100, 5000), 20)])
            entry: dict[str, Any] = {"of": of, "value": value}
            if p.chance(0.4):
                entry["label"] = COUNT_LABELS.get(of, "{v} " + of.replace("-", " ")).format(v=value)
            if p.chance(0.15):
                entry["approximate"] = p.chance(0.8)
            entries.append(entry)
        record["counts"] = entries

    # -- kinds ---------------------------------------------------------------------------------

    def make_ids(self) -> None:
        """Names and ids first, so any record can refer to any other (forward references)."""
        self.names: dict[str, list[str]] = {kind: [] for kind in SECTIONS}
        self.kind_ids: dict[str, list[str]] = {kind: [] for kind in SECTIONS}
        self.source_ids = [f"src-{i:03d}" for i in range(self.counts["source"])]
        self.ids.used.update(self.source_ids)
        self.kind_ids["source"] = self.source_ids

    def gen_places(self) -> None:
        p = self.pick
        total = self.counts["place"]
        worlds = min(len(WORLD_REGIONS), total // 40)
        countries = max(1, int(total * 0.12))
        regions = max(1, int(total * 0.25))
        if worlds + countries + regions >= total:
            worlds, countries, regions = 0, 1, 1
        layers = (["world-region"] * worlds + ["country"] * countries + ["region"] * regions
                  + ["city"] * (total - worlds - countries - regions))
        by_type: dict[str, list[str]] = {}
        for i, ptype in enumerate(layers):
            if ptype == "city" and p.chance(0.08):
                ptype_used = "village"
            else:
                ptype_used = ptype
            if ptype == "world-region":
                name = WORLD_REGIONS[i % len(WORLD_REGIONS)]
            elif ptype == "country":
                k = len(by_type.get("country", []))
                name = COUNTRIES[k % len(COUNTRIES)] + (f" {k // len(COUNTRIES) + 1}" if k >= len(COUNTRIES) else "")
            elif ptype == "region":
                name = f"{p.one(REGION_WORDS)} {p.one(['region', 'oblast', 'province'])}"
            else:
                name = p.one(CYRILLIC_CITIES) if p.chance(0.03) else p.one(CITY_WORDS)
            rid = self.ids.make(slug(name), "place")
            record: dict[str, Any] = {"id": rid, "name": name}
            if ptype_used in self.vocab.get("place-type", []):
                record["type"] = ptype_used
            parent_layer = {"country": "world-region", "region": "country", "city": "region"}.get(ptype)
            parents = by_type.get(parent_layer or "", [])
            if parents:
                record["part_of"] = [p.skewed(parents, 1.5)]
            self.extras(record, alias=0.2, description=0.05, name=name)
            record["sources"] = self.sources()
            by_type.setdefault(ptype, []).append(rid)
            self.records["place"].append(record)
        self.place_ids = [r["id"] for r in self.records["place"]]
        self.countries = by_type.get("country", [])
        self.cities = by_type.get("city", []) or self.place_ids

    def gen_topics(self) -> None:
        p = self.pick
        made: list[str] = []
        for i in range(self.counts["topic"]):
            head = TOPIC_HEADS[i % len(TOPIC_HEADS)]
            qualifier = TOPIC_QUALIFIERS[(i // len(TOPIC_HEADS)) % len(TOPIC_QUALIFIERS)]
            round_ = i // (len(TOPIC_HEADS) * len(TOPIC_QUALIFIERS))
            name = f"{qualifier} {head}".strip() + (f" ({round_ + 1})" if round_ else "")
            rid = self.ids.make(slug(name), "topic")
            record: dict[str, Any] = {"id": rid, "name": name}
            if made and p.chance(0.6):
                record["broader"] = p.distinct(made, 1 if p.chance(0.85) else 2, power=1.5)
            self.extras(record, alias=0.1, description=0.2, name=name)
            record["sources"] = self.sources()
            made.append(rid)
            self.records["topic"].append(record)
        self.topic_ids = made

    def gen_organisations(self) -> None:
        p = self.pick
        types = self.vocab.get("organisation-type", [])
        root_types = [t for t in ROOT_WORDS if t in types] or types
        made: list[tuple[str, str]] = []  # (id, type)
        for i in range(self.counts["organisation"]):
            root = i < 10 or not made or p.chance(0.35)
            if root:
                otype = p.weighted([(t, 6 if t in ("university", "ministry", "school") else 2)
                                    for t in root_types])
                template = p.one(ROOT_WORDS.get(otype, GENERIC_ORG))
                parent = None
            else:
                parent_id, parent_type = p.skewed(made, 2.2)
                unit_types = {"university": ["academic-unit", "academic-unit", "administrative-unit"],
                              "ministry": ["administrative-unit", "government-agency", "school"],
                              "intergovernmental-organisation": ["unesco-office", "administrative-unit"],
                              "academic-unit": ["academic-unit", "administrative-unit"]}
                options = [t for t in unit_types.get(parent_type, ["administrative-unit"]) if t in types]
                otype = p.one(options or types)
                template = p.one(UNIT_WORDS.get(otype, GENERIC_ORG))
                parent = parent_id
            name = self.fill(template)
            rid = self.ids.make(slug(name), "organisation")
            record: dict[str, Any] = {"id": rid, "name": name, "type": otype}
            if parent:
                record["part_of"] = parent
            if (root or p.chance(0.2)) and p.chance(0.6):
                record["location"] = [p.skewed(self.cities if p.chance(0.6) else self.countries or
                                               self.place_ids, 1.8)]
            if p.chance(0.05):
                record["website"] = f"https://www.example.org/{rid}"
            if p.chance(0.03):
                record["same_as"] = [f"http://www.wikidata.org/entity/Q{p.rng.randint(100, 10**7)}"]
            self.extras(record, alias=0.22, description=0.12, name=name)
            self.counts_field(record, 0.04, 2)
            record["sources"] = self.sources()
            made.append((rid, otype))
            self.records["organisation"].append(record)
        self.org_ids = [rid for rid, _ in made]

    def gen_people(self) -> None:
        p = self.pick
        for _ in range(self.counts["person"]):
            native = p.one(NATIVE_NAMES) if p.chance(0.02) else None
            name = native[0] if native else f"{p.one(FIRST)} {p.one(LAST)}"
            rid = self.ids.make(slug(native[1] if native else name), "person")
            record: dict[str, Any] = {"id": rid, "name": name}
            if native:
                record["aliases"] = [native[1]]
            if p.chance(0.35):
                record["honorifics"] = p.distinct(HONORIFICS, 1 if p.chance(0.85) else 2, power=1.3)
            sources = self.sources()
            positions = []
            for org in p.distinct(self.org_ids, p.weighted(POSITION_WEIGHTS), power=2.2):
                entry: dict[str, Any] = {"organisation": org, "title": p.one(TITLES)}
                if p.chance(0.12):
                    entry["start"] = str(p.rng.randint(1995, 2024))
                if p.chance(0.05):
                    entry["end"] = str(p.rng.randint(2024, 2025))
                if p.chance(0.06):
                    entry["sources"] = p.distinct(self.source_ids, 1)
                positions.append(entry)
            record["positions"] = positions
            self.extras(record, alias=0.05, description=0.06, name=name)
            record["sources"] = sources
            self.records["person"].append(record)
        self.person_ids = [r["id"] for r in self.records["person"]]

    def gen_initiatives_ids(self) -> None:
        """Initiative ids before events, since events may be part of them."""
        p = self.pick
        types = self.vocab.get("initiative-type", [])
        self.initiative_plan = []
        for _ in range(self.counts["initiative"]):
            itype = p.one(types)
            name = self.fill(p.one(INITIATIVE_TEMPLATES.get(itype, GENERIC_INITIATIVE)))
            self.initiative_plan.append((self.ids.make(slug(name), "initiative"), itype, name))
        self.initiative_ids = [rid for rid, _, _ in self.initiative_plan]

    def agents(self, k: int) -> list[str]:
        p = self.pick
        out: list[str] = []
        seen: set[str] = set()
        for _ in range(k * 3):
            if len(out) == k:
                break
            agent = p.skewed(self.person_ids, 1.8) if p.chance(0.6) else p.skewed(self.org_ids, 2.5)
            if agent not in seen:
                seen.add(agent)
                out.append(agent)
        return out

    def gen_initiatives(self) -> None:
        p = self.pick
        roles = self.vocab.get("involvement-role", [])
        for i, (rid, itype, name) in enumerate(self.initiative_plan):
            record: dict[str, Any] = {"id": rid, "name": name, "type": itype}
            if p.chance(0.65):
                start = p.rng.randint(2005, 2024)
                record["start"] = str(start) if p.chance(0.7) else f"{start}-{p.rng.randint(1, 12):02d}"
                if p.chance(0.4):
                    record["end"] = str(start + p.rng.randint(0, 5))
            if p.chance(0.55):
                record["location"] = p.distinct(self.countries or self.place_ids, p.rng.randint(1, 3), 1.5)
            if i > 0 and p.chance(0.2):
                record["part_of"] = [p.skewed(self.initiative_ids[:i], 1.5)]
            if p.chance(0.1):
                record["theme"] = self.fill("{t}: building a professional community of teachers")
            if self.topic_ids and p.chance(0.5):
                record["topics"] = p.distinct(self.topic_ids, p.rng.randint(1, 2), 1.8)
            participants = []
            for agent in self.agents(p.weighted(INVOLVEMENT_WEIGHTS)):
                entry: dict[str, Any] = {"agent": agent, "role": p.one(roles)}
                if p.chance(0.35):
                    entry["title"] = p.one(INVOLVEMENT_TITLES)
                if p.chance(0.04):
                    entry["note"] = "The source names the agent, not its part in the initiative."
                participants.append(entry)
            if participants:
                record["participants"] = participants
            self.extras(record, alias=0.1, description=0.45, note=0.08, name=name)
            self.counts_field(record, 0.2, 2)
            record["sources"] = self.sources()
            self.records["initiative"].append(record)

    def gen_events(self) -> None:
        p = self.pick
        types = self.vocab.get("event-type", [])
        roles = self.vocab.get("participation-role", [])
        made: list[str] = []
        for _ in range(self.counts["event"]):
            etype = p.one(types)
            name = self.fill(p.one(EVENT_TEMPLATES.get(etype, GENERIC_EVENT)))
            rid = self.ids.make(slug(name), "event")
            record: dict[str, Any] = {"id": rid, "name": name, "type": etype}
            form = p.weighted([("date", 74), ("datetime", 12), ("month", 5), ("year", 3), (None, 6)])
            day = _date(p)
            if form == "date":
                record["start"] = day.isoformat()
                if p.chance(0.2):
                    record["end"] = (day + timedelta(days=p.rng.randint(1, 7))).isoformat()
            elif form == "datetime":
                hour = p.rng.randint(8, 17)
                offset = p.one(["+05:00", "+06:00", "+08:00", "+02:00", "-03:00", "+00:00"])
                seconds = ":00" if p.chance(0.3) else ""
                record["start"] = f"{day.isoformat()}T{hour:02d}:{p.one(['00', '30'])}{seconds}{offset}"
                if p.chance(0.4):
                    record["end"] = f"{day.isoformat()}T{hour + 2:02d}:00{offset}"
            elif form == "month":
                record["start"] = day.isoformat()[:7]
            elif form == "year":
                record["start"] = str(day.year)
            if p.chance(0.28):
                record["online"] = p.chance(0.5)
            if p.chance(0.7):
                record["location"] = [p.skewed(self.cities, 1.8)]
            if p.chance(0.35) and (made or self.initiative_ids):
                if made and p.chance(0.6):
                    record["part_of"] = [p.skewed(made, 1.5)]
                else:
                    record["part_of"] = [p.skewed(self.initiative_ids, 1.5)]
            if p.chance(0.08):
                record["number"] = p.rng.randint(1, 30)
            if p.chance(0.12):
                record["theme"] = self.fill("{t}: towards a new social contract for education")
            if self.topic_ids and p.chance(0.35):
                record["topics"] = p.distinct(self.topic_ids, p.rng.randint(1, 2), 1.8)
            participants = []
            pairs: set[tuple[str, str]] = set()
            for agent in self.agents(p.weighted(PARTICIPANT_WEIGHTS)):
                for _ in range(2 if p.chance(0.08) else 1):  # attendee and speaker, say
                    role = p.one(roles)
                    if (agent, role) in pairs:
                        continue
                    pairs.add((agent, role))
                    entry: dict[str, Any] = {"agent": agent, "role": role}
                    if p.chance(0.04):
                        entry["note"] = "Spoke on behalf of the delegation."
                    participants.append(entry)
            record["participants"] = participants
            self.extras(record, alias=0.08, description=0.25, note=0.04, name=name)
            if form is None:
                record["note"] = "The sources give no date for the event; none is guessed."
            self.counts_field(record, 0.15, 2)
            record["sources"] = self.sources()
            made.append(rid)
            self.records["event"].append(record)

    def gen_sources(self) -> None:
        p = self.pick
        for i, sid in enumerate(self.source_ids):
            name = self.fill("Report on {t} in {c}")
            record: dict[str, Any] = {"id": sid, "name": name}
            if p.chance(0.6):
                record["title"] = f"{name}: learn best practices, share with colleagues"
            record["file"] = f"{i:03d}_{p.rng.getrandbits(64):016x}.txt"
            if p.chance(0.7):
                record["published"] = _date(p, 2018).isoformat()
            if p.chance(0.6):
                record["publisher"] = p.skewed(self.org_ids, 3)
            if p.chance(0.5):
                record["description"] = self.fill("News item on {t} in {city}, with quotes from \"{d}\" experts.")
            self.records["source"].append(record)

    def run(self) -> dict[str, list[dict[str, Any]]]:
        self.make_ids()
        self.gen_places()
        self.gen_topics()
        self.gen_organisations()
        self.gen_people()
        self.gen_initiatives_ids()
        self.gen_events()
        self.gen_initiatives()
        self.gen_sources()
        for records in self.records.values():
            for record in records:
                cite_exactly(record)
        return self.records


def cite_exactly(record: dict[str, Any]) -> None:
    """The record model's provenance rule: in a record citing several sources, every
    relationship names its own, among the record's (here the first, or the one it had if the
    record cites it). Consumes no randomness, so the rest of the data stays as it was."""
    record_sources = record.get("sources", [])
    for key in NESTED:
        for entry in record.get(key, []):
            own = [s for s in entry.get("sources", []) if s in record_sources]
            if own:
                entry["sources"] = own
            elif len(record_sources) > 1:
                entry["sources"] = record_sources[:1]
            else:
                entry.pop("sources", None)


# ---------------------------------------------------------------------------------------------
# Triples (edugraph's mapping: 2 rdf:type per node, one triple per value, nested entries get a
# node of their own with a link to the record and the record's sources unless they give theirs)

NESTED = {"positions": "position", "participants": None, "counts": "count"}


def count_triples(kind: str, record: dict[str, Any], relationships: dict[str, int]) -> int:
    total = 2
    record_sources = len(record.get("sources", []))
    for key, value in record.items():
        if key == "id":
            continue
        if key in NESTED:
            rel = NESTED[key] or ("participation" if kind == "event" else "involvement")
            for entry in value:
                relationships[rel] = relationships.get(rel, 0) + 1
                total += 3  # two rdf:type and the link
                for k2, v2 in entry.items():
                    total += len(v2) if isinstance(v2, list) else 1
                if "sources" not in entry:
                    total += record_sources
            continue
        total += len(value) if isinstance(value, list) else 1
    return total


# ---------------------------------------------------------------------------------------------
# YAML


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(q(v) for v in value) + "]"
    return q(value)


KEY_ORDER = {key: i for i, key in enumerate([
    "id", "name", "aliases", "honorifics", "type", "title", "file", "published", "publisher",
    "start", "end", "online", "location", "part_of", "broader", "number", "theme", "topics",
    "website", "same_as", "description", "note", "positions", "participants", "counts", "sources"])}


def format_record(record: dict[str, Any], out: list[str]) -> None:
    first = True
    for key, value in sorted(record.items(), key=lambda kv: KEY_ORDER[kv[0]]):
        lead = "  - " if first else "    "
        first = False
        if key in NESTED:
            out.append(f"{lead}{key}:")
            for entry in value:
                inner = True
                for k2, v2 in entry.items():
                    out.append(f"{'      - ' if inner else '        '}{k2}: {_scalar(v2)}")
                    inner = False
            continue
        out.append(f"{lead}{key}: {_scalar(value)}")
    out.append("")


def write(records: dict[str, list[dict[str, Any]]], outdir: Path, per_file: int) -> list[str]:
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.iterdir():  # files of an earlier run with another N
        if FILE_RE.match(old.name):
            old.unlink()
    names = []
    for kind, section in SECTIONS.items():
        items = records[kind]
        for chunk, start in enumerate(range(0, len(items), per_file)):
            lines = [f"# Generated by benchmarks/generate.py: {kind} records {start}-"
                     f"{min(start + per_file, len(items)) - 1}", f"{section}:"]
            for record in items[start:start + per_file]:
                format_record(record, lines)
            name = f"{section}-{chunk:04d}.yaml"
            (outdir / name).write_text("\n".join(lines), encoding="utf-8")
            names.append(name)
    return sorted(names)


def generate(n: int, outdir: Path, seed: int = DEFAULT_SEED, per_file: int = DEFAULT_PER_FILE) -> Summary:
    """Write ``n`` records into ``outdir``; returns what was written."""
    from edugraph.vocab.ontology import vocabularies

    if per_file < 1:
        raise ValueError("--per-file must be at least 1")
    started = time.perf_counter()
    records = Generator(n, seed, vocabularies()).run()
    summary = Summary(n, seed, per_file)
    for kind, items in records.items():
        summary.records[kind] = len(items)
        summary.triples += sum(count_triples(kind, r, summary.relationships) for r in items)
    summary.relationships = dict(sorted(summary.relationships.items()))
    summary.files = write(records, outdir, per_file)
    summary.seconds = time.perf_counter() - started
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("outdir", type=Path, help="folder for the *.yaml files")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--per-file", type=int, default=DEFAULT_PER_FILE,
                        help=f"records per file (default {DEFAULT_PER_FILE})")
    args = parser.parse_args(argv)
    try:
        s = generate(args.n, args.outdir, args.seed, args.per_file)
    except ValueError as exc:
        parser.error(str(exc))
    mix = ", ".join(f"{k} {v}" for k, v in s.records.items())
    rels = ", ".join(f"{k} {v}" for k, v in s.relationships.items())
    print(f"wrote {s.n:,} records in {len(s.files)} files to {args.outdir} in {s.seconds:.2f} s")
    print(f"records: {mix}")
    print(f"relationships: {rels}")
    print(f"triples: {s.triples:,} ({s.triples_per_record:.2f} per record)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
