"""Exact provenance and the new fields on the provenance fixture (tests/fixtures/provenance): the
stored queries' rows (the same on Oxigraph and rdflib), labels of an unnamed person wherever a name
is shown, and ``edugraph show``'s cards, every row and line checked against the fixture's YAML.

The fixture: Harbour University cites src-a and src-b, its alias "Harbour Uni" only src-b; its tie
to the Teachers Alliance (a member since 2024-06) and its count (more than 20 countries) src-b;
the forum it hosts (both sources) started on 2024-05-10 by src-a alone, was held in person and
online, and had about 120 participants (src-a). Lena Park is Dean of the Faculty of Education
(both sources, the title src-a's), the former Vice Rector of the university and chaired the
alliance 2020-2022 (src-b). The Vice Harbour City Mayor, known only by office, attended (src-a).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph.explore.card import card, card_of
from edugraph.explore.neighbourhood import Edge, Node, neighbourhood
from edugraph.explore.search import search
from edugraph.explore.timeline import timeline
from edugraph.query import stored as queries
from edugraph.query.results import QueryResult
from edugraph.query.stores import label_of, labels
from edugraph.render.cardtext import card_text
from edugraph.render.site.links import Links
from edugraph.render.site.record import record_page

from .conftest import PROVENANCE, data_source
from .test_queries import sort_key

ID = "https://w3id.org/edugraph/id/"
EG = "https://w3id.org/edugraph/ontology#"
STATEMENT_CLASS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
ROLE = "https://w3id.org/edugraph/concept/participation-role/"
IROLE = "https://w3id.org/edugraph/concept/involvement-role/"
TIEROLE = "https://w3id.org/edugraph/concept/organisation-relation-role/"
BY_NAME = {q.name: q for q in queries.catalogue()}
CHECKS = [name for name, q in BY_NAME.items() if q.is_check]


def node(kind: str, x: str) -> str:
    return f"{ID}{kind}/{x}"


def O(x: str) -> str:  # noqa: E743 - short IRI builders keep the expected rows readable
    return node("organisation", x)


def P(x: str) -> str:
    return node("person", x)


A, B = node("source", "src-a"), node("source", "src-b")
HU, TA, FACULTY = O("harbour-university"), O("teachers-alliance"), O("harbour-faculty-of-education")
LENA, MAYOR = P("lena-park"), P("vice-harbour-city-mayor")
FORUM, PROGRAMME = node("event", "harbour-forum-2024"), node("initiative", "harbour-mentoring-programme")
DEAN = node("position", "lena-park--harbour-faculty-of-education--1")
RECTOR = node("position", "lena-park--harbour-university--1")
CHAIR = node("position", "lena-park--teachers-alliance--1")
TIE = node("tie", "harbour-university--teachers-alliance--member")
ALIAS = node("statement", "harbour-university--aliases--0e34aa23e7ea")
TITLE = node("statement", "lena-park--title--842b7401d7d2")
START = node("statement", "harbour-forum-2024--start--80e510627b09")
HOST = node("participation", "harbour-forum-2024--harbour-university--host")
SPEAKER = node("participation", "harbour-forum-2024--lena-park--speaker")
ATTENDEE = node("participation", "harbour-forum-2024--vice-harbour-city-mayor--attendee")
LEAD = node("involvement", "harbour-mentoring-programme--harbour-university--lead")
COUNTRIES = node("count", "harbour-university--countries")
PARTICIPANTS = node("count", "harbour-forum-2024--participants")
SCHOOLS = node("count", "harbour-mentoring-programme--schools")
TOPIC = node("topic", "teacher-education")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("provenance-cache")


@pytest.fixture(scope="module")
def store(cache: Path) -> ox.Store:
    return data_source(PROVENANCE, cache).store()


def run(cache: Path, name: str, params: dict[str, str] | None = None) -> QueryResult:
    """The query on Oxigraph, after checking that rdflib gives the same rows."""
    query = BY_NAME[name]
    bound = queries.bind(query, {k: [v] for k, v in (params or {}).items()})
    oxigraph = data_source(PROVENANCE, cache).run(query.text, bound)
    rdflib = data_source(PROVENANCE, cache, engine="rdflib").run(query.text, bound)
    assert rdflib.variables == oxigraph.variables
    assert sorted(rdflib.values(), key=sort_key) == sorted(oxigraph.values(), key=sort_key)
    return oxigraph


def rows(kind: str, *pairs: tuple[str, str]) -> list[tuple[str | None, ...]]:
    """record-provenance rows of a record or relationship: (node, source) pairs of one kind."""
    return [(iri, EG + kind, None, None, source) for iri, source in pairs]


# ---------------------------------------------------------------------------------------------
# Stored queries


EXACT = [
    pytest.param("record-provenance", {"record": "harbour-university"}, [
        (ALIAS, STATEMENT_CLASS, "http://www.w3.org/2004/02/skos/core#altLabel", "Harbour Uni", B),
        *rows("Involvement", (LEAD, B)),
        *rows("Organisation", (HU, A), (HU, B)),
        *rows("OrganisationTie", (TIE, B)),
        *rows("Participation", (HOST, A), (HOST, B)),
        *rows("Position", (RECTOR, B)),
        *rows("StatedCount", (COUNTRIES, B)),
    ], id="record-provenance-organisation"),
    pytest.param("record-provenance", {"record": "teachers-alliance"}, [
        *rows("Organisation", (TA, B)),
        *rows("OrganisationTie", (TIE, B)),  # the tie to it, from the organisation having it
        *rows("Position", (CHAIR, B)),
    ], id="record-provenance-tied-to"),
    pytest.param("record-provenance", {"record": "lena-park"}, [
        # the title of a position, which only one of the position's sources states
        (TITLE, STATEMENT_CLASS, EG + "title", "Dean", A),
        *rows("Participation", (SPEAKER, A)),
        *rows("Person", (LENA, A), (LENA, B)),
        *rows("Position", (DEAN, A), (DEAN, B), (RECTOR, B), (CHAIR, B)),
    ], id="record-provenance-person"),
    pytest.param("record-provenance", {"record": "harbour-forum-2024"}, [
        (START, STATEMENT_CLASS, "https://schema.org/startDate", "2024-05-10", A),
        *rows("Event", (FORUM, A), (FORUM, B)),
        *rows("Participation", (HOST, A), (HOST, B), (SPEAKER, A), (ATTENDEE, A)),
        *rows("StatedCount", (PARTICIPANTS, A)),
    ], id="record-provenance-event"),
    pytest.param("record-provenance", {"record": "vice-harbour-city-mayor"}, [
        *rows("Participation", (ATTENDEE, A)),
        *rows("Person", (MAYOR, A)),
    ], id="record-provenance-unnamed"),
    pytest.param("record-provenance", {"record": "lena-park--harbour-faculty-of-education--1"}, [
        (TITLE, STATEMENT_CLASS, EG + "title", "Dean", A),
        *rows("Position", (DEAN, A), (DEAN, B)),
    ], id="record-provenance-relationship"),
    pytest.param("positions", {}, [
        (LENA, "Dean", FACULTY, HU, "2019", None, "current"),
        (LENA, "Vice Rector", HU, None, None, None, "former"),
        (LENA, "Chair", TA, None, "2020", "2022", "ended"),
    ], id="positions"),
    pytest.param("people-of-organisation", {"org": "harbour-university"}, [
        (LENA, "Dean", FACULTY, "current"),
        (LENA, "Vice Rector", HU, "former"),
    ], id="people-of-organisation"),
    pytest.param("stated-counts", {}, [
        (FORUM, "participants", "120", "exact", "true", "about 120 teachers", A),
        (PROGRAMME, "schools", "15", "at-most", "false", "up to 15 schools", B),
        (HU, "countries", "20", "at-least", "false", "students from more than 20 countries", B),
    ], id="stated-counts"),
    pytest.param("online-events", {"online": "true"}, [
        (FORUM, "2024-05-10", None, "https://w3id.org/edugraph/concept/event-type/meeting", "true"),
    ], id="online-events-mixed-online"),
    pytest.param("online-events", {"online": "false"}, [
        (FORUM, "2024-05-10", None, "https://w3id.org/edugraph/concept/event-type/meeting", "true"),
    ], id="online-events-mixed-in-person"),
    pytest.param("collaboration-network", {}, [
        (HU, TA, "1", "0", "0", "1"),
    ], id="collaboration-network-tie"),
    pytest.param("topic-actors", {}, [
        # the university works on teacher education itself, and hosted the forum about it
        (TOPIC, None, HU, None),
        (TOPIC, FORUM, HU, ROLE + "host"),
        (TOPIC, FORUM, LENA, ROLE + "speaker"),
        (TOPIC, FORUM, MAYOR, ROLE + "attendee"),
    ], id="topic-actors-organisation"),
    pytest.param("source-contributions", {"source": "src-b"}, [
        (EG + "Event", FORUM), (EG + "Initiative", PROGRAMME), (EG + "Involvement", LEAD),
        (EG + "Organisation", HU), (EG + "Organisation", TA), (EG + "OrganisationTie", TIE),
        (EG + "Participation", HOST), (EG + "Person", LENA), (EG + "Place", node("place", "harbour-city")),
        (EG + "Position", DEAN), (EG + "Position", RECTOR), (EG + "Position", CHAIR),
        (EG + "StatedCount", SCHOOLS), (EG + "StatedCount", COUNTRIES),
    ], id="source-contributions-tie"),
    pytest.param("event-participants", {}, [
        (FORUM, ROLE + "attendee", MAYOR, None, A),
        (FORUM, ROLE + "host", HU, None, A),
        (FORUM, ROLE + "host", HU, None, B),
        (FORUM, ROLE + "speaker", LENA, None, A),
    ], id="event-participants-per-source"),
    # --- the three of issue 15 --------------------------------------------------------------------
    pytest.param("people-with-several-organisations", {}, [
        # a faculty and the university it belongs to are two organisations; the former and the
        # ended posts count
        (LENA, "3", FACULTY), (LENA, "3", HU), (LENA, "3", TA),
    ], id="people-with-several-organisations"),
    pytest.param("people-with-several-organisations", {"at_least": "4"}, [],
                 id="people-with-several-organisations-none"),
    pytest.param("organisations-in-several-sources", {}, [
        # the faculty's record cites src-a alone; Lena Park's post in it is stated by both
        (FACULTY, "2", A), (FACULTY, "2", B),
        (HU, "2", A), (HU, "2", B),
    ], id="organisations-in-several-sources"),
    pytest.param("organisations-in-several-sources", {"at_least": "1"}, [
        (FACULTY, "2", A), (FACULTY, "2", B), (HU, "2", A), (HU, "2", B), (TA, "1", B),
    ], id="organisations-in-several-sources-all"),
    pytest.param("record-connections", {"record": "lena-park"}, [
        (EG + "Participation", ROLE + "speaker", "harbour-forum-2024", "Harbour Forum 2024", A),
        (EG + "Position", "Dean", "harbour-faculty-of-education", "Faculty of Education", A),
        (EG + "Position", "Dean", "harbour-faculty-of-education", "Faculty of Education", B),
        (EG + "Position", "Vice Rector", "harbour-university", "Harbour University", B),
        (EG + "Position", "Chair", "teachers-alliance", "Teachers Alliance", B),
    ], id="record-connections-person"),
    pytest.param("record-connections", {"record": "harbour-university"}, [
        (EG + "Involvement", IROLE + "lead", "harbour-mentoring-programme", "Harbour Mentoring Programme", B),
        (EG + "OrganisationTie", TIEROLE + "member", "teachers-alliance", "Teachers Alliance", B),
        (EG + "Participation", ROLE + "host", "harbour-forum-2024", "Harbour Forum 2024", A),
        (EG + "Participation", ROLE + "host", "harbour-forum-2024", "Harbour Forum 2024", B),
        (EG + "Position", "Vice Rector", "lena-park", "Lena Park", B),
    ], id="record-connections-organisation"),
    pytest.param("record-connections", {"record": "teachers-alliance"}, [
        # the tie to it: the role is the member's, the university's
        (EG + "OrganisationTie", TIEROLE + "member", "harbour-university", "Harbour University", B),
        (EG + "Position", "Chair", "lena-park", "Lena Park", B),
    ], id="record-connections-tied-to"),
    pytest.param("record-connections", {"record": "harbour-forum-2024"}, [
        (EG + "Participation", ROLE + "host", "harbour-university", "Harbour University", A),
        (EG + "Participation", ROLE + "host", "harbour-university", "Harbour University", B),
        (EG + "Participation", ROLE + "speaker", "lena-park", "Lena Park", A),
        (EG + "Participation", ROLE + "attendee", "vice-harbour-city-mayor", "Vice Harbour City Mayor (unnamed)", A),
    ], id="record-connections-event"),
    pytest.param("record-connections", {"record": "harbour-city"}, [], id="record-connections-none"),
    pytest.param("record-connections", {"record": "no such record"}, [], id="record-connections-unknown"),
]


@pytest.mark.parametrize(("name", "params", "expected"), EXACT)
def test_exact_rows(cache: Path, name: str, params: dict[str, str], expected: list[tuple]) -> None:
    assert run(cache, name, params).values() == expected


def test_record_provenance_columns(cache: Path) -> None:
    assert run(cache, "record-provenance", {"record": "src-a"}).variables == [
        "statement", "kind", "property", "value", "source"]


@pytest.mark.parametrize("name", CHECKS)
def test_checks_pass(cache: Path, name: str) -> None:
    result = run(cache, name)
    assert (result.variables, result.values()) == (["node", "problem"], [])


# ---------------------------------------------------------------------------------------------
# Labels: one rule everywhere a record is named


@pytest.mark.parametrize(("name", "mentions", "pref", "expected"), [
    ("Lena Park", ["Dean Park"], None, "Lena Park"),
    (None, ["Vice Harbour City Mayor"], None, "Vice Harbour City Mayor (unnamed)"),
    (None, [], "host", "host"),
    ("", [], None, None),
])
def test_label_of(name: str | None, mentions: list[str], pref: str | None, expected: str | None) -> None:
    assert label_of(name, mentions, pref) == expected


def test_labels(store: ox.Store) -> None:
    assert labels(store, [MAYOR, LENA, ROLE + "attendee", TIE, node("person", "nobody")]) == {
        MAYOR: "Vice Harbour City Mayor (unnamed)", LENA: "Lena Park", ROLE + "attendee": "attendee"}


def test_a_table_names_the_unnamed(provenance_project: Path, cli) -> None:
    result = cli("query", "event-participants", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == (
        "| Harbour Forum 2024 | attendee | Vice Harbour City Mayor (unnamed) |  | "
        "Harbour University hosts the Harbour Forum |")


def test_search_finds_the_unnamed_by_their_mention(store: ox.Store) -> None:
    assert [(h.id, h.kind, h.name, h.matched, h.score) for h in search(store, "vice mayor")] == [
        ("vice-harbour-city-mayor", "person", "Vice Harbour City Mayor (unnamed)",
         "Vice Harbour City Mayor", 70)]


def test_pictures_name_the_unnamed_and_draw_the_tie(store: ox.Store) -> None:
    around = neighbourhood(store, "vice-harbour-city-mayor", 1)
    assert around.title == "Around Vice Harbour City Mayor (unnamed) (1 hop)"
    assert around.nodes == [
        Node("harbour-forum-2024", "event", "Harbour Forum 2024", FORUM),
        Node("vice-harbour-city-mayor", "person", "Vice Harbour City Mayor (unnamed)", MAYOR)]
    assert around.edges == [Edge("harbour-forum-2024", "vice-harbour-city-mayor", "attendee")]
    alliance = neighbourhood(store, "teachers-alliance", 1)
    assert [n.id for n in alliance.nodes] == ["harbour-university", "lena-park", "teachers-alliance"]
    assert alliance.edges == [Edge("harbour-university", "teachers-alliance", "member"),
                              Edge("lena-park", "harbour-university", "Vice Rector"),
                              Edge("lena-park", "teachers-alliance", "Chair")]


def test_the_timeline_keeps_to_events_and_initiatives(store: ox.Store) -> None:
    # the organisations' founding years are no spans; the programme has no dates
    found = timeline(store)
    assert [item.row() for item in found.items] == [
        ("2024-05-10", "", "event", "Harbour Forum 2024", "Harbour City")]
    assert found.left_out() == "1 undated initiative left out (no start or end)"


# ---------------------------------------------------------------------------------------------
# edugraph show: the sources of each statement


CARDS = {
    "harbour-university": """\
Harbour University  (organisation harbour-university)
  also: HU; Harbour Uni [src-b]
  type: university
  location: Harbour City (harbour-city)
  start: 1950
  topics: Teacher education (teacher-education)
relationships:
  count: countries: value=at least 20, label=students from more than 20 countries  [src-b]
  involvement: Harbour Mentoring Programme (harbour-mentoring-programme): role=lead  [src-b]
  participation: Harbour Forum 2024 (harbour-forum-2024): role=host  [src-a, src-b]
  position: Lena Park (lena-park): title=Vice Rector, former=true  [src-b]
  tie: member of Teachers Alliance (teachers-alliance): start=2024-06  [src-b]
referenced by:
  part_of: Faculty of Education (harbour-faculty-of-education)
  publisher: Harbour University hosts the Harbour Forum (src-a)
sources: src-a, src-b
""",
    "teachers-alliance": """\
Teachers Alliance  (organisation teachers-alliance)
  type: network
  start: 2010
relationships:
  position: Lena Park (lena-park): title=Chair, start=2020, end=2022  [src-b]
  tie: Harbour University (harbour-university), its member: start=2024-06  [src-b]
sources: src-b
""",
    "lena-park": """\
Lena Park  (person lena-park)
relationships:
  participation: Harbour Forum 2024 (harbour-forum-2024): role=speaker, start=2024-05-10T10:00:00+08:00, \
end=2024-05-10T11:00:00+08:00  [src-a]
  position: Faculty of Education (harbour-faculty-of-education): title=Dean [src-a], start=2019  [src-a, src-b]
  position: Harbour University (harbour-university): title=Vice Rector, former=true  [src-b]
  position: Teachers Alliance (teachers-alliance): title=Chair, start=2020, end=2022  [src-b]
sources: src-a, src-b
""",
    "harbour-forum-2024": """\
Harbour Forum 2024  (event harbour-forum-2024)
  type: meeting
  start: 2024-05-10 [src-a]
  online: mixed
  location: Harbour City (harbour-city)
  topics: Teacher education (teacher-education)
relationships:
  count: participants: value=120, label=about 120 teachers, approximate=true  [src-a]
  participation: Harbour University (harbour-university): role=host  [src-a, src-b]
  participation: Lena Park (lena-park): role=speaker, start=2024-05-10T10:00:00+08:00, \
end=2024-05-10T11:00:00+08:00  [src-a]
  participation: Vice Harbour City Mayor (unnamed) (vice-harbour-city-mayor): role=attendee  [src-a]
sources: src-a, src-b
""",
    "vice-harbour-city-mayor": """\
Vice Harbour City Mayor (unnamed)  (person vice-harbour-city-mayor)
relationships:
  participation: Harbour Forum 2024 (harbour-forum-2024): role=attendee  [src-a]
sources: src-a
""",
    "harbour-mentoring-programme": """\
Harbour Mentoring Programme  (initiative harbour-mentoring-programme)
  type: programme
relationships:
  count: schools: value=at most 15, label=up to 15 schools  [src-b]
  involvement: Harbour University (harbour-university): role=lead  [src-b]
sources: src-b
""",
}
"""The cards as ``card`` and ``card_text`` give them from a store: no file to point to."""


@pytest.mark.parametrize("record", CARDS)
def test_card_text(store: ox.Store, record: str) -> None:
    assert card_text(card(store, record)) == CARDS[record]


def test_the_card_keeps_each_values_own_sources(store: ox.Store) -> None:
    found = card(store, "harbour-university")
    assert [(a.value.value, a.sources) for a in found.aliases] == [("HU", ()), ("Harbour Uni", (B,))]
    assert found.sources == [A, B]  # the record's: every source of its statements
    assert [(r.kind, r.other, r.own, r.sources) for r in found.relationships] == [
        ("count", None, True, [B]), ("involvement", PROGRAMME, False, [B]),
        ("participation", FORUM, False, [A, B]), ("position", LENA, False, [B]),
        ("tie", TA, True, [B])]


def test_show_prints_the_card_and_where_its_yaml_is(provenance_project: Path, cli) -> None:
    result = cli("show", "vice-harbour-city-mayor")
    first, rest = CARDS["vice-harbour-city-mayor"].split("\n", 1)
    assert (result.exit_code, result.stdout) == (0, f"{first}\n  in data/people.yaml:21\n{rest}")


def test_the_record_page_shows_a_values_own_sources(store: ox.Store) -> None:
    page = record_page(Links(store), card_of(store, HU))
    assert ('<p>Also: HU; Harbour Uni <span class=muted>[<a href="../../entities/source/src-b.html">'
            "Harbour University joins the Teachers Alliance</a>]</span></p>") in page
    assert "value: at least 20" in page


def test_the_fixture_is_grounded_per_cited_source(provenance_project: Path, cli) -> None:
    result = cli("check-sources", "--data", "data")
    assert (result.exit_code, result.stderr, result.stdout) == (
        0, "", "grounded: 9 records, 11 relationships in 2 sources\n")


def test_a_data_folder_brings_its_own_texts(provenance_project: Path, cli) -> None:
    """--data given, --dir not: the texts are <data>/sources, whatever edugraph.toml above says."""
    (provenance_project / "elsewhere").mkdir()
    (provenance_project / "edugraph.toml").write_text('sources = "elsewhere"\n', encoding="utf-8")
    assert cli("check-sources", "--data", "data").exit_code == 0
    assert cli("check-sources").exit_code == 2
