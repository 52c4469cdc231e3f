"""The bundled dataset (data/): the rules it must keep as curators add correct records to it.

It builds, conforms to the shapes (both SHACL engines agreeing), passes every integrity check, is
grounded in its source texts (data/sources/), answers every stored query the same on Oxigraph and
rdflib, exports the same bytes twice, has no blank nodes, cites a source for every node and gives
each name to one record. No exact counts or rows: those are asserted on the frozen copy in
tests/fixtures/policy (test_policy_facts.py, test_queries.py, ...), which no curator edits.

Every rule runs on data/ and on an extended copy of it, to which the fixture ``extended`` adds what
a curator would: a new source (its text too), a new organisation, a new position of a person
already in the data and a new event with participants old and new. The rules passing there is the
proof that correct additions keep the suite green; a last test makes one added fact ungrounded and
sees the checks catch it, so the proof cannot pass by checking nothing.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib

from edugraph.build.pipeline import build
from edugraph.build.shacl import validate_graph
from edugraph.query import stored as queries
from edugraph.vocab.terms import to_rdflib

from .conftest import BUNDLED, QUERIES, compile_whole, data_source
from .test_queries import example_params, sort_key

CATALOGUE = queries.catalogue(QUERIES)
SCHEMA_NAME = rdflib.URIRef("https://schema.org/name")
SOURCE_CLASS = rdflib.URIRef("https://w3id.org/edugraph/ontology#SourceDocument")
DERIVED = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


@dataclass(frozen=True)
class Dataset:
    """A data folder to check, the stored queries to run on it and a query cache of its own."""

    data: Path
    queries: Path
    cache: Path


# --- what a curator adds ----------------------------------------------------------------------

NEW_SOURCE_FILE = "005_lakeside_institute.txt"
# Made up for this test (no such institute exists); it states every fact of the records below.
NEW_SOURCE_TEXT = """\
Lakeside Institute of Teacher Education opens its doors

March 3, 2025

(An invented news item, written for edugraph's tests: it states the facts of the records a test adds.)

On March 3, 2025, the Lakeside Institute of Teacher Education opened in Kazakhstan. Professor Zhang \
Minxuan was appointed Honorary Advisor of the Lakeside Institute of Teacher Education.

The Lakeside Institute opening ceremony was hosted by the Lakeside Institute of Teacher Education. \
Zhang Minxuan delivered the keynote speech, and colleagues from Nazarbayev University attended the \
ceremony, together with 40 teachers from the region.
"""

NEW_RECORDS = f"""\
sources:
  - id: src-005
    name: Lakeside Institute of Teacher Education opens its doors
    title: Lakeside Institute of Teacher Education opens its doors
    file: {NEW_SOURCE_FILE}
    published: 2025-03-03
    publisher: lakeside-institute-of-teacher-education

organisations:
  - id: lakeside-institute-of-teacher-education
    name: Lakeside Institute of Teacher Education
    aliases: [Lakeside Institute]
    type: university
    location: [kazakhstan]
    sources: [src-005]

events:
  - id: lakeside-institute-opening-ceremony-2025
    name: Lakeside Institute opening ceremony
    type: ceremony
    start: 2025-03-03
    location: [kazakhstan]
    participants:
      - agent: lakeside-institute-of-teacher-education
        role: host
      - agent: zhang-minxuan
        role: keynote
      - agent: nazarbayev-university
        role: attendee
    counts:
      - of: teachers
        value: 40
        label: teachers from the region
    sources: [src-005]
"""

# A person's positions live in the person's record: the new one goes first in Zhang Minxuan's, and
# the new source joins the record's sources (a relationship's sources are among its record's).
RECORD_START = "  - id: zhang-minxuan\n"
NEW_POSITION = """\
      - organisation: lakeside-institute-of-teacher-education
        title: Honorary Advisor
        start: 2025-03-03
        sources: [src-005]
"""


def _add_position(text: str) -> str:
    assert text.count(RECORD_START) == 1, "Zhang Minxuan's record is not where the test expects"
    head, record = text.split(RECORD_START)
    record, sep, rest = record.partition("\n  - ")
    lines = record.splitlines(keepends=True)
    (positions,) = [i for i, line in enumerate(lines) if line == "    positions:\n"]
    (cited,) = [i for i, line in enumerate(lines) if line.startswith("    sources: [")]
    lines[cited] = lines[cited].replace("]", ", src-005]")
    lines.insert(positions + 1, NEW_POSITION)
    return head + RECORD_START + "".join(lines) + sep + rest


def extend(root: Path) -> Dataset:
    """A copy of data/ (with data/sources/) and queries/ under ``root``, with the additions."""
    data = root / "data"
    shutil.copytree(BUNDLED, data)
    shutil.copytree(QUERIES, root / "queries")
    (data / "sources" / NEW_SOURCE_FILE).write_text(NEW_SOURCE_TEXT, encoding="utf-8")
    (data / "lakeside.yaml").write_text(NEW_RECORDS, encoding="utf-8")
    people = data / "people.yaml"
    people.write_text(_add_position(people.read_text(encoding="utf-8")), encoding="utf-8")
    return Dataset(data, root / "queries", root / "cache")


@pytest.fixture(scope="module", params=["bundled", "extended"])
def dataset(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """data/ itself (read only; caches outside the checkout), then the extended copy."""
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "bundled":
        return Dataset(BUNDLED, QUERIES, root / "cache")
    return extend(root)


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in tmp_path: what they cache in the working directory stays out of the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def graph(dataset: Dataset) -> rdflib.Graph:
    return to_rdflib(compile_whole(dataset.data).triples)


# --- the checks, the same for both ------------------------------------------------------------

def test_it_builds(dataset: Dataset, cli, tmp_path: Path) -> None:
    result = cli("build", "--data", str(dataset.data), "--out", str(tmp_path / "dist"), "--quiet")
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    assert sorted(p.name for p in (tmp_path / "dist").iterdir() if not p.name.startswith(".")) == [
        "edugraph.jsonld", "edugraph.nt", "edugraph.ttl", "void.ttl"]


def test_it_validates(dataset: Dataset, cli) -> None:
    result = cli("validate", "--data", str(dataset.data))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "conforms: no SHACL results\n", "")


def test_both_shacl_engines_find_nothing(graph: rdflib.Graph) -> None:
    for engine in ("pyshacl", "turbo"):
        report = validate_graph(rdflib.Graph() + graph, engine=engine)
        assert [f.format() for f in report.findings] == [], engine


def test_every_integrity_check_passes(dataset: Dataset, cli) -> None:
    result = cli("check", "--data", str(dataset.data), "--queries", str(dataset.queries),
                 "--cache", str(dataset.cache))
    assert (result.exit_code, result.stderr) == (0, ""), result.stdout
    checks = sorted(q.name for q in CATALOGUE if q.is_check)
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [
        ["ok", f"{name}:"] for name in checks]


def test_every_fact_is_grounded_in_its_source_texts(dataset: Dataset, cli) -> None:
    result = cli("check-sources", "--data", str(dataset.data))  # the texts in <data>/sources
    assert (result.exit_code, result.stderr) == (0, ""), result.stdout
    assert result.stdout.startswith("grounded: ") and len(result.stdout.splitlines()) == 1, result.stdout


def test_every_source_text_belongs_to_a_source_record(dataset: Dataset) -> None:
    """data/sources/ holds the sources' texts and its README, nothing a record does not name."""
    named = {r.values["file"] for r in compile_whole(dataset.data).dataset.of_kind("source")}
    texts = {p.name for p in (dataset.data / "sources").iterdir()} - {"README.md"}
    assert texts == named


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE])
def test_every_stored_query_gives_the_same_rows_on_both_engines(dataset: Dataset, name: str) -> None:
    query = next(q for q in CATALOGUE if q.name == name)
    calls = [example_params(query)]
    if not any(p.required for p in query.params):
        calls.append({})
    for params in calls:
        bound = queries.bind(query, params)
        oxigraph = data_source(dataset.data, dataset.cache).run(query.text, bound)
        rdflib_ = data_source(dataset.data, dataset.cache, engine="rdflib").run(query.text, bound)
        assert rdflib_.variables == oxigraph.variables, params
        assert sorted(rdflib_.values(), key=sort_key) == sorted(oxigraph.values(), key=sort_key), params


def test_two_builds_give_the_same_bytes(dataset: Dataset, tmp_path: Path) -> None:
    build(dataset.data, tmp_path / "a")
    build(dataset.data, tmp_path / "b", cache_dir=tmp_path / "cache")
    names = sorted(p.name for p in (tmp_path / "a").iterdir() if not p.name.startswith("."))
    assert names == ["edugraph.jsonld", "edugraph.nt", "edugraph.ttl", "void.ttl"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_no_blank_nodes_and_every_node_cites_a_source(dataset: Dataset, graph: rdflib.Graph) -> None:
    assert [t for t in graph if any(isinstance(term, rdflib.BNode) for term in t)] == []
    for iri, item in compile_whole(dataset.data).mapped.origins.items():
        if item.kind == "source":
            assert (rdflib.URIRef(iri), rdflib.RDF.type, SOURCE_CLASS) in graph, iri
        else:
            assert graph.value(rdflib.URIRef(iri), DERIVED) is not None, iri


def test_every_name_names_one_record(graph: rdflib.Graph) -> None:
    """One node per real-world entity: two records (of any kind but source) with one name are one
    entity recorded twice, to merge into one record with the other's names as aliases."""
    seen: dict[str, set] = {}
    for s, _, o in graph.triples((None, SCHEMA_NAME, None)):
        if (s, rdflib.RDF.type, SOURCE_CLASS) not in graph:
            seen.setdefault(str(o).casefold(), set()).add(s)
    assert {name: subjects for name, subjects in seen.items() if len(subjects) > 1} == {}


# A comma, then what reads as the next item of a list: an uppercase word, or an article.
_LIST_GOES_ON = re.compile(r",\s*(?:[A-Z]|(?:the|a|an)\s)")


def test_every_mention_is_a_whole_phrase_of_its_source(dataset: Dataset) -> None:
    """A `mentioned_as` value is the source's words, not a piece of them that YAML split off at a
    comma: each occurs in a text it is attributed to, somewhere the text does not go on with a
    comma and another item of a list."""
    records = compile_whole(dataset.data).dataset
    texts = {s.id: " ".join(unicodedata.normalize("NFKC", (dataset.data / "sources" / s.values["file"])
                                                   .read_text(encoding="utf-8")).split())
             for s in records.of_kind("source")}
    fragments = []
    for record in records.records:
        for words in record.values.get("mentioned_as", []):
            found = [m for source in record.sources_of("mentioned_as", words)
                     for m in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", texts[source], re.I)]
            if not any(not _LIST_GOES_ON.match(m.string, m.end()) for m in found):
                fragments.append((record.id, words))
    assert fragments == []


# --- the proof is not vacuous -----------------------------------------------------------------

def test_the_extended_copy_holds_the_additions(tmp_path: Path) -> None:
    """The rules above ran on the additions, not on data/ alone under another name."""
    graph = to_rdflib(compile_whole(extend(tmp_path).data).triples)
    base = "https://w3id.org/edugraph/id/"
    added = {
        "source/src-005", "organisation/lakeside-institute-of-teacher-education",
        "position/zhang-minxuan--lakeside-institute-of-teacher-education--1",
        "event/lakeside-institute-opening-ceremony-2025",
        "participation/lakeside-institute-opening-ceremony-2025--zhang-minxuan--keynote",
        "participation/lakeside-institute-opening-ceremony-2025--nazarbayev-university--attendee",
        "participation/lakeside-institute-opening-ceremony-2025--lakeside-institute-of-teacher-education--host",
        "count/lakeside-institute-opening-ceremony-2025--teachers",
    }
    assert {iri for iri in added if (rdflib.URIRef(base + iri), None, None) not in graph} == set()
    member = rdflib.URIRef("http://www.w3.org/ns/org#member")
    position = rdflib.URIRef(base + "position/zhang-minxuan--lakeside-institute-of-teacher-education--1")
    assert graph.value(position, member) == rdflib.URIRef(base + "person/zhang-minxuan")


def test_an_ungrounded_addition_is_caught(tmp_path: Path, cli) -> None:
    people = extend(tmp_path).data / "people.yaml"
    lines = people.read_text(encoding="utf-8").splitlines(keepends=True)
    (at,) = [n for n, line in enumerate(lines) if line == "        title: Honorary Advisor\n"]
    lines[at] = "        title: Honorary Dean\n"
    people.write_text("".join(lines), encoding="utf-8")
    result = cli("check-sources", "--data", "data")
    assert (result.exit_code, result.stderr) == (1, "")
    # The one miss, at the title's line; the summary's counts are data/'s and may grow.
    first, summary = result.stdout.splitlines()
    assert first == (f"data/people.yaml:{at + 1}: person 'zhang-minxuan', positions #1: src-005 "
                     f"({NEW_SOURCE_FILE}) does not give title 'Honorary Dean'")
    assert summary.startswith("not grounded: 1 miss; checked ")
