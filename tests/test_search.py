"""``edugraph search``: whole names and acronyms first, then words a name starts with, then near
spellings (transliterations, typos) by rapidfuzz; ties by name; exact hits on the policy and
provenance fixtures and on a few records written for the ranking. Also: ids never wrap in a table
at an 80-column terminal."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph.cli import output
from edugraph.explore.search import initials, search, search_form

from .conftest import POLICY, PROVENANCE, data_source


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("search-cache")


@pytest.fixture(scope="module")
def policy(cache: Path) -> ox.Store:
    return data_source(POLICY, cache / "policy").store()


@pytest.fixture(scope="module")
def provenance(cache: Path) -> ox.Store:
    return data_source(PROVENANCE, cache / "provenance").store()


def hits(store: ox.Store, text: str, limit: int = 20) -> list[tuple[str, str, str, str, int]]:
    return [(h.id, h.kind, h.name, h.matched, h.score) for h in search(store, text, limit)]


def test_the_search_form_and_initials() -> None:
    assert search_form("Kazakh National Women's Teacher-Training University") == (
        "kazakh national womens teacher training university")
    assert search_form("Zhanar Suléimenova") == "zhanar suleimenova"
    assert initials(search_form("Asia-Pacific Centre of Education for International Understanding").split()) == {
        "apcoefiu", "apceiu"}
    assert initials(["unesco"]) == set()  # one word has no acronym


# Written for the ranking: the report of a new user, whose `search NIS` ranked "Administrative..."
# and "Finnish universities" first (for the letters n-i-s inside their words).
RANKING_YAML = """\
organisations:
  - id: nazarbayev-intellectual-schools
    name: Nazarbayev Intellectual Schools
    sources: [doc-1]
  - id: nis-astana
    name: NIS Physics and Mathematics School in Astana
    sources: [doc-1]
  - id: nisbet-institute
    name: Nisbet Institute
    sources: [doc-1]
  - id: administrative-office
    name: Administrative Affairs Office
    sources: [doc-1]
  - id: finnish-universities
    name: Finnish universities
    sources: [doc-1]
people:
  - id: aida-sagintayeva
    name: Aida Sagintayeva
    sources: [doc-1]
  - id: ainur-sagin
    name: Ainur Sagin
    sources: [doc-1]
"""


def test_an_acronym_first_then_whole_words_then_a_name_starting_so(write_yaml, cli) -> None:
    write_yaml("records.yaml", RANKING_YAML)
    store = data_source(Path("data")).store()
    assert hits(store, "NIS") == [
        ("nazarbayev-intellectual-schools", "organisation", "Nazarbayev Intellectual Schools",
         "Nazarbayev Intellectual Schools", 90),
        ("nis-astana", "organisation", "NIS Physics and Mathematics School in Astana",
         "NIS Physics and Mathematics School in Astana", 80),
        ("nisbet-institute", "organisation", "Nisbet Institute", "Nisbet Institute", 60),
    ]  # no "Administrative" nor "Finnish": a piece inside a word is no match
    # near spellings after every exact and starting match; a short word is never matched nearly
    assert hits(store, "Sagintaeva") == [
        ("aida-sagintayeva", "person", "Aida Sagintayeva", "Aida Sagintayeva", 35)]
    assert hits(store, "sagin") == [
        ("ainur-sagin", "person", "Ainur Sagin", "Ainur Sagin", 80),
        ("aida-sagintayeva", "person", "Aida Sagintayeva", "Aida Sagintayeva", 50)]
    assert hits(store, "nus") == []
    result = cli("search", "NIS", "-n", "1")
    assert (result.exit_code, result.stdout.splitlines()[3]) == (
        0, "│ nazarbayev-intellectual-schools │ organisation │ Nazarbayev Intellectual Schools │ "
           "Nazarbayev Intellectual Schools │")


@pytest.mark.parametrize(("text", "expected"), [
    # the name, an alias equal to the text, the text as the initials of a name
    ("Jiang Mingjun", [("jiang-mingjun", "person", "Jiang Mingjun", "Jiang Mingjun", 100)]),
    ("AIU", [("astana-international-university", "organisation", "Astana International University", "AIU", 100)]),
    ("nu", [
        ("nazarbayev-university", "organisation", "Nazarbayev University", "NU", 100),
        ("nu-graduate-school-of-education", "organisation", "Graduate School of Education of Nazarbayev "
         "University", "NU Graduate School of Education", 80),
        ("serik-nurkenov", "person", "Serik Nurkenov", "Serik Nurkenov", 50),
    ]),
    ("apceiu", [("apceiu", "organisation", "Asia-Pacific Centre of Education for International Understanding",
                 "Asia-Pacific Centre of Education for International Understanding", 90)]),
    ("IRTCRE", [("irtcre", "organisation", "International Research and Training Centre for Rural Education",
                 "International Research and Training Centre for Rural Education", 90)]),
    # every word a word of the name, in any order; ties in the order of the names
    ("Ministry Education", [
        (f"{country}-ministry-of-education", "organisation", name, name, 70) for country, name in [
            ("kazakhstan", "Ministry of Education of Kazakhstan"),
            ("tajikistan", "Ministry of Education of Tajikistan"),
            ("kyrgyzstan", "Ministry of Education of the Kyrgyz Republic"),
            ("uzbekistan", "Ministry of Education of Uzbekistan")]
    ] + [("kazakhstan-ministry-of-science-and-higher-education", "organisation",
          "Ministry of Science and Higher Education of the Republic of Kazakhstan",
          "Ministry of Science and Higher Education of the Republic of Kazakhstan", 70)]),
    # the name starts so; every word starts a word of it
    ("Shanghai Normal Univ", [
        ("shanghai-normal-university", "organisation", "Shanghai Normal University", "Shanghai Normal University", 60),
        ("shnu-college-of-education", "organisation", "College of Education at Shanghai Normal University",
         "College of Education at Shanghai Normal University", 50),
    ]),
    # transliterations and typos, by rapidfuzz
    ("Sagintaeva", [("aida-sagintayeva", "person", "Aida Sagintayeva", "Aida Sagintayeva", 35)]),
    ("zhontaeva", [("zhanyl-zhontayeva", "person", "Zhanyl Zhontayeva", "Zhanyl Zhontayeva", 35)]),
    ("Suleymenova", [("zhanar-suleimenova", "person", "Zhanar Suleimenova", "Zhanar Suleimenova", 31)]),
    ("zhang minxuen", [("zhang-minxuan", "person", "Zhang Minxuan", "Zhang Minxuan", 33)]),
])
def test_ranks_on_the_policy_data(policy: ox.Store, text: str, expected: list[tuple]) -> None:
    assert hits(policy, text) == expected


def test_an_acronym_alias_and_near_words_on_the_provenance_data(provenance: ox.Store) -> None:
    assert hits(provenance, "HU") == [("harbour-university", "organisation", "Harbour University", "HU", 100)]
    assert hits(provenance, "HMP") == [("harbour-mentoring-programme", "initiative", "Harbour Mentoring Programme",
                                        "Harbour Mentoring Programme", 90)]
    # of a record's names as good as each other, the shortest; records of one score by name
    assert hits(provenance, "harbor", 3) == [
        ("harbour-city", "place", "Harbour City", "Harbour City", 32),
        ("harbour-forum-2024", "event", "Harbour Forum 2024", "Harbour Forum 2024", 32),
        ("harbour-mentoring-programme", "initiative", "Harbour Mentoring Programme",
         "Harbour Mentoring Programme", 32)]
    assert hits(provenance, "Harbour Universty", 1) == [
        ("harbour-university", "organisation", "Harbour University", "Harbour University", 37)]


# ---------------------------------------------------------------------------------------------
# Tables at a narrow terminal


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's output as at an 80-column terminal."""
    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")


def rows_of(stdout: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("│")[1:-1]] for line in stdout.splitlines() if line.startswith("│")]


def test_no_id_wraps_at_80_columns(policy_project: Path, cli, terminal: None) -> None:
    result = cli("search", "nazarbayev")
    assert {len(line) for line in result.stdout.splitlines()} == {80}  # it fits: the names wrap instead
    assert [row[0] for row in rows_of(result.stdout) if row[0]] == [
        "nu-graduate-school-of-education", "nazarbayev-university", "tec-nu-leaders-training-program-2025"]
    assert result.stdout.splitlines()[3] == (
        "│ nu-graduate-school-of-education      │ organisation │ Graduate  │ Nazarbayev │")
    # ids too long to fit beside the other columns: the table is wider, and the ids are whole
    wide = cli("search", "ministry science")
    assert [row[0] for row in rows_of(wide.stdout) if row[0]] == [
        "kazakhstan-ministry-of-science-and-higher-education"]
    assert {len(line) for line in wide.stdout.splitlines()} == {3 + 51 + 3 + 12 + 2 * (3 + 8) + 1}


def test_query_tables_keep_curies_whole_at_80_columns(policy_project: Path, cli, terminal: None) -> None:
    # a column of labels (which wrap) and CURIEs of relationships (which do not)
    result = cli("query", "source-contributions", "-p", "source=src-003")
    nodes = [row[1] for row in rows_of(result.stdout) if row[0] == "eg:Involvement"]
    assert nodes[:2] == [
        "involvement:central-asia-teacher-policies-report--kazakhstan-ministry-of-education--partner",
        "involvement:central-asia-teacher-policies-report--kyrgyzstan-ministry-of-education--partner"]
    assert len(nodes) == 8


def test_piped_tables_never_fold(policy_project: Path, cli) -> None:
    result = cli("search", "kazakh", "-n", "1")
    assert result.stdout.splitlines()[3] == (
        "│ kazakh-national-womens-teacher-training-university │ organisation │ Kazakh National Women's "
        "Teacher Training University │ Kazakh National Women's Teacher Training University │")


def test_column_widths() -> None:
    header, cells = ["id", "name"], [["a-long-identifier", "a name of several words"]]
    assert output.column_widths(header, cells, 100) is None  # it fits as it is
    assert output.column_widths(header, cells, 30) == [17, 13]
    assert output.column_widths(header, cells, 20) == [17, 8]  # the id whole, the name at NARROWEST
