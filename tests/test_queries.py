"""The stored research queries (queries/*.rq): their headers, their exact answers on the frozen
policy dataset (every expected row checked against tests/fixtures/policy/data/*.yaml), the same rows
on Oxigraph and rdflib, parameter binding and its errors, and the integrity checks on the policy
dataset and on broken data. (The bundled data/ gets the rules that hold as it grows, in
test_dataset.py.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph.errors import UsageError
from edugraph.query import audit
from edugraph.query import stored as queries
from edugraph.query import stores as graphstore
from edugraph.query.results import QueryResult
from edugraph.query.sparql import bind_values
from edugraph.vocab import ontology as vocab_ontology

from .conftest import POLICY, ROOT, data_source, graph_ntriples

QUERIES = ROOT / "queries"
CATALOGUE = queries.catalogue()  # the built-in queries: in a checkout, those of QUERIES
BY_NAME = {q.name: q for q in CATALOGUE}
RESEARCH = [q.name for q in CATALOGUE if not q.is_check]
CHECKS = [q.name for q in CATALOGUE if q.is_check]
INJECTION = 'x" } ; DROP ALL ; #'

ID = "https://w3id.org/edugraph/id/"
CONCEPT = "https://w3id.org/edugraph/concept/"
EG = "https://w3id.org/edugraph/ontology#"
EVENT, INITIATIVE, PLACE_CLASS = EG + "Event", EG + "Initiative", EG + "Place"


def O(x: str) -> str:  # noqa: E743 - short IRI builders keep the expected rows readable
    return f"{ID}organisation/{x}"


def P(x: str) -> str:
    return f"{ID}person/{x}"


def EV(x: str) -> str:
    return f"{ID}event/{x}"


def IN(x: str) -> str:
    return f"{ID}initiative/{x}"


def PL(x: str) -> str:
    return f"{ID}place/{x}"


def TP(x: str) -> str:
    return f"{ID}topic/{x}"


def S(n: int) -> str:
    return f"{ID}source/src-00{n}"


def node(kind: str, x: str) -> str:
    return f"{ID}{kind}/{x}"


def ROLE(x: str) -> str:
    return f"{CONCEPT}participation-role/{x}"


def IROLE(x: str) -> str:
    return f"{CONCEPT}involvement-role/{x}"


def OT(x: str) -> str:
    return f"{CONCEPT}organisation-type/{x}"


def ET(x: str) -> str:
    return f"{CONCEPT}event-type/{x}"


Params = Mapping[str, str | Sequence[str]]


def as_lists(params: Params) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}


example_params = queries.example_params
"""The ``-p name=value`` pairs of a query's ``#+ example:`` line, as ``edugraph queries`` reads them."""


def sort_key(row: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is not None, value or "") for value in row)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cached store of the policy dataset for the whole module, outside the repository."""
    return tmp_path_factory.mktemp("edugraph-cache")


Run = Callable[..., QueryResult]


@pytest.fixture(scope="module")
def run(cache: Path) -> Run:
    def run_query(name: str, params: Params | None = None, *, engine: str = "oxigraph",
                  data_dir: Path = POLICY) -> QueryResult:
        query = BY_NAME[name]
        # other data gets a cache of its own: a store of new data replaces the older ones in its folder
        cache_dir = cache if data_dir == POLICY else data_dir.parent / ".edugraph-cache"
        return data_source(data_dir, cache_dir, engine).run(query.text, queries.bind(query, as_lists(params or {})))

    return run_query


# ---------------------------------------------------------------------------------------------
# Headers


def test_the_catalogue() -> None:
    assert len(RESEARCH) >= 16
    assert {"check-missing-source", "check-event-without-date", "check-dangling-sub-organisation",
            "check-person-without-role", "check-dangling-reference"} <= set(CHECKS)
    assert [q.name for q in CATALOGUE] == sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert all(q.builtin and q.origin == "built-in" for q in CATALOGUE)


def test_no_stored_query_names_the_instance_namespace() -> None:
    """The namespace is the project's: a query binds or reads off the graph whatever IRI a record has."""
    assert [q.name for q in CATALOGUE if ID in q.text or "w3id.org/edugraph/id" in q.text] == []


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE])
def test_header(name: str) -> None:
    query = BY_NAME[name]
    # a description, every parameter described and used, an example that binds: what `edugraph
    # queries` checks of every query (its example's run is checked in test_the_example_gives_rows)
    assert audit.problems(query) == []
    assert query.text.startswith("# title: ")
    assert "#+ example:" in query.text
    assert "ORDER BY" in query.text, "rows come in a defined order"
    assert "GROUP_CONCAT" not in query.text and "SAMPLE" not in query.text
    if not query.is_check:
        assert query.example, "a research query shows an example call"


def rq(folder: Path, name: str, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.rq"
    path.write_text(f"# title: {title}\n# description: {title}.\n#+ example:\n"
                    "SELECT ?s WHERE { ?s a ?c } ORDER BY ?s\n", encoding="utf-8")
    return path


def test_project_folders_add_to_the_built_in_queries_and_replace_same_names(tmp_path: Path) -> None:
    first, second = tmp_path / "project", tmp_path / "more"
    mine = rq(first, "positions", "My positions")
    rq(first, "mine", "Mine")
    theirs = rq(second, "mine", "Theirs")
    found = {q.name: q for q in queries.catalogue([first, second])}
    assert sorted(found) == sorted([*BY_NAME, "mine"])
    assert (found["positions"].title, found["positions"].path, found["positions"].origin) == (
        "My positions", mine, str(mine))
    assert (found["mine"].title, found["mine"].origin) == ("Theirs", str(theirs))  # the later folder wins
    assert all(found[n].builtin and found[n].text == BY_NAME[n].text for n in BY_NAME if n != "positions")
    assert queries.find([first, second], "positions").origin == str(mine)
    assert queries.find([first, second], "mine").title == "Theirs"
    assert queries.find([], "positions").origin == "built-in"
    assert queries.find(first, "mine").title == "Mine"  # one folder alone, as a Path


def test_the_checkouts_own_folder_is_the_built_in_one(tmp_path: Path) -> None:
    assert queries.builtin_dir().resolve() == QUERIES
    for folders in ([QUERIES], [QUERIES, QUERIES], []):
        assert [(q.name, q.origin) for q in queries.catalogue(folders)] == [(n, "built-in") for n in BY_NAME]
    # given again after a project's query replaced it, the built-in one is back
    rq(tmp_path / "p", "positions", "Mine")
    assert queries.find([tmp_path / "p", QUERIES], "positions").builtin


def test_catalogue_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        queries.catalogue([tmp_path / "nope"])
    assert str(caught.value) == (f"queries directory '{tmp_path / 'nope'}' does not exist; "
                                 "pass --queries DIR with the folder of *.rq files")
    with pytest.raises(UsageError) as caught:
        queries.find([tmp_path / "nope"], "positions")
    assert "does not exist" in str(caught.value)
    with pytest.raises(UsageError) as caught:
        queries.find([], "positons")
    assert str(caught.value) == "unknown query 'positons'; did you mean 'positions'?"
    rq(tmp_path / "p", "my-own-query", "Mine")
    with pytest.raises(UsageError) as caught:
        queries.find([tmp_path / "p"], "my-own-qery")
    assert str(caught.value) == "unknown query 'my-own-qery'; did you mean 'my-own-query'?"
    with pytest.raises(UsageError) as caught:
        queries.find([], "../queries/positions")
    assert str(caught.value).startswith("unknown query '../queries/positions'")
    with pytest.raises(UsageError) as caught:
        queries.find([], "nothing.rq")
    assert str(caught.value) == "query file 'nothing.rq' does not exist"


def test_the_built_in_queries_are_found_inside_an_installed_package(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed, the queries are edugraph/queries/ beside edugraph/query/ (the wheel puts them
    there: pyproject force-includes queries/ as edugraph/queries, as it does ontology/)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["queries"] == "edugraph/queries" and included["ontology"] == "edugraph/ontology"
    package = tmp_path / "site-packages" / "edugraph"
    monkeypatch.setattr(queries, "__file__", str(package / "query" / "stored.py"))
    rq(package / "queries", "packaged", "Packaged")
    assert queries.builtin_dir() == package / "queries"
    assert [(q.name, q.origin) for q in queries.catalogue()] == [("packaged", "built-in")]


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE])
def test_the_example_runs_and_a_research_querys_gives_rows(cache: Path, run: Run, name: str) -> None:
    assert audit.problems(BY_NAME[name], data_source(POLICY, cache)) == []
    if not BY_NAME[name].is_check:
        assert run(name, example_params(BY_NAME[name])).rows


# ---------------------------------------------------------------------------------------------
# Exact answers on the policy dataset (every row checked against its *.yaml)

NU_GSE = O("nu-graduate-school-of-education")
MEETING_8 = EV("category-ii-centres-meeting-8")
TEC_NU = EV("tec-nu-leaders-training-program-2025")
OPENING = EV("tec-nu-leaders-training-program-2025-opening-ceremony")
KEYNOTE = EV("zhang-minxuan-keynote-global-trends-2025")
SYMPOSIUM = EV("central-asian-symposium-validation-workshop-2022")
SKILLED_EVENT = EV("skilled-teachers-event-2021-10-13")
NETWORK_EVENTS = EV("teacher-leadership-network-events-2024")
ITE_TRAINING = EV("ite-model-professor-training")
ITE_PROJECT = IN("ite-model-implementation-project")
LEADERSHIP = IN("teacher-leadership-project")
REPORT = IN("central-asia-teacher-policies-report")
WORKSHOPS = IN("central-asia-teacher-workshop-series")
SKILLED = IN("skilled-teachers-skilled-nation")
MINISTRIES = [O(f"{c}-ministry-of-education") for c in ("kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan")]
SYMPOSIUM_START, SYMPOSIUM_END = "2022-05-26T17:00:00+06:00", "2022-05-26T19:00:00+06:00"

EXACT = [
    # --- positions -----------------------------------------------------------------------------
    pytest.param("positions", {"person": "zhang-minxuan"}, [
        (P("zhang-minxuan"), "Director", O("unesco-tec"), None, None, None, "current"),
    ], id="positions-person"),
    pytest.param("positions", {"person": "carlos-vargas"}, [
        (P("carlos-vargas"), "Head", O("international-task-force-on-teachers-secretariat"),
         O("international-task-force-on-teachers"), None, None, "current"),
        (P("carlos-vargas"), "Chief", O("unesco-section-for-teacher-development"),
         O("unesco-headquarters"), None, None, "current"),
    ], id="positions-two-positions"),
    pytest.param("positions", {"org": "nu-graduate-school-of-education"}, [
        (P("aida-sagintayeva"), "dean", NU_GSE, O("nazarbayev-university"), None, None, "current"),
        (P("zhanyl-zhontayeva"), "Director of Continuing Education", NU_GSE, O("nazarbayev-university"),
         None, None, "current"),
    ], id="positions-org"),
    # --- event-participants --------------------------------------------------------------------
    pytest.param("event-participants", {"event": "category-ii-centres-meeting-8", "role": ["host", "speaker"]}, [
        (MEETING_8, ROLE("host"), O("unesco-tec"), None, S(4)),
        (MEETING_8, ROLE("speaker"), P("carlos-vargas"), "Delivered opening remarks.", S(4)),
        (MEETING_8, ROLE("speaker"), P("ge-siying"), "Delivered opening remarks online.", S(4)),
        (MEETING_8, ROLE("speaker"), P("zhang-minxuan"), "Delivered opening remarks.", S(4)),
    ], id="event-participants-roles"),
    pytest.param("event-participants", {"event": "tec-nu-leaders-training-program-2025"}, [
        (TEC_NU, ROLE("host"), O("nazarbayev-university"), None, S(0)),
        (TEC_NU, ROLE("host"), O("unesco-tec"), None, S(0)),
    ], id="event-participants-event"),
    pytest.param("event-participants", {"event": "ite-model-professor-training"}, [
        (ITE_TRAINING, ROLE("participant"), P("serik-nurkenov"), None, S(1)),
        (ITE_TRAINING, ROLE("participant"), P("zhanar-suleimenova"), None, S(1)),
        (ITE_TRAINING, ROLE("trainer"), NU_GSE, "Professors of the Graduate School of Education conduct "
         "the trainings, with experts from Finland.", S(1)),
    ], id="event-participants-note"),
    pytest.param("event-participants", {"role": "keynote"}, [
        (KEYNOTE, ROLE("keynote"), P("zhang-minxuan"), None, S(0)),
    ], id="event-participants-role-only"),
    # --- events-by-year ------------------------------------------------------------------------
    pytest.param("events-by-year", {"from": "2024", "to": "2025"}, [
        ("2024", "2024-11-10", None, MEETING_8, ET("meeting")),
        ("2025", "2025-07-02", None, TEC_NU, ET("training-programme")),
        ("2025", "2025-07-02", None, OPENING, ET("ceremony")),
    ], id="events-by-year-span"),
    pytest.param("events-by-year", {"from": "2022", "to": "2022"}, [
        ("2022", SYMPOSIUM_START, SYMPOSIUM_END, SYMPOSIUM, ET("workshop")),
    ], id="events-by-year-datetime"),
    pytest.param("events-by-year", {}, [
        ("2021", "2021-10-13", None, SKILLED_EVENT, ET("meeting")),
        ("2022", SYMPOSIUM_START, SYMPOSIUM_END, SYMPOSIUM, ET("workshop")),
        ("2024", "2024-11-10", None, MEETING_8, ET("meeting")),
        ("2025", "2025-07-02", None, TEC_NU, ET("training-programme")),
        ("2025", "2025-07-02", None, OPENING, ET("ceremony")),
    ], id="events-by-year-all"),
    pytest.param("events-by-year", {"from": "2026"}, [], id="events-by-year-none"),
    # --- events-by-place -----------------------------------------------------------------------
    pytest.param("events-by-place", {"place": "china"}, [
        (PL("china"), MEETING_8, PL("shanghai"), "2024-11-10"),
        (PL("china"), TEC_NU, PL("shanghai"), "2025-07-02"),
        (PL("china"), OPENING, PL("shanghai"), "2025-07-02"),
    ], id="events-by-place-country"),
    pytest.param("events-by-place", {"place": "central-asia"}, [
        (PL("central-asia"), ITE_TRAINING, PL("kazakhstan"), None),
        (PL("central-asia"), NETWORK_EVENTS, PL("almaty-region"), None),
        (PL("central-asia"), NETWORK_EVENTS, PL("mangystau-region"), None),
    ], id="events-by-place-two-levels"),
    pytest.param("events-by-place", {"place": "almaty-region"}, [
        (PL("almaty-region"), NETWORK_EVENTS, PL("almaty-region"), None),
    ], id="events-by-place-itself"),
    pytest.param("events-by-place", {"place": "finland"}, [], id="events-by-place-none"),
    # --- events-by-organiser -------------------------------------------------------------------
    pytest.param("events-by-organiser", {"org": "unesco"}, [
        (O("unesco"), SYMPOSIUM, O("unesco"), ROLE("organiser"), SYMPOSIUM_START),
        (O("unesco"), NETWORK_EVENTS, O("unesco-almaty-regional-office"), ROLE("organiser"), None),
    ], id="events-by-organiser-with-units"),
    pytest.param("events-by-organiser", {}, [
        (O("nazarbayev-university"), TEC_NU, O("nazarbayev-university"), ROLE("host"), "2025-07-02"),
        (O("unesco"), SYMPOSIUM, O("unesco"), ROLE("organiser"), SYMPOSIUM_START),
        (O("unesco"), NETWORK_EVENTS, O("unesco-almaty-regional-office"), ROLE("organiser"), None),
        (O("unesco-almaty-regional-office"), NETWORK_EVENTS, O("unesco-almaty-regional-office"),
         ROLE("organiser"), None),
        (O("unesco-tec"), MEETING_8, O("unesco-tec"), ROLE("host"), "2024-11-10"),
        (O("unesco-tec"), TEC_NU, O("unesco-tec"), ROLE("host"), "2025-07-02"),
        (O("world-bank"), SYMPOSIUM, O("world-bank"), ROLE("organiser"), SYMPOSIUM_START),
    ], id="events-by-organiser-all"),
    # --- initiative-participants ---------------------------------------------------------------
    pytest.param("initiative-participants",
                 {"initiative": "teacher-leadership-project", "role": ["partner", "supporter"]}, [
        (LEADERSHIP, IROLE("partner"), O("hertscam"), None, S(2)),
        (LEADERSHIP, IROLE("partner"), O("kazakh-national-womens-teacher-training-university"), None, S(2)),
        (LEADERSHIP, IROLE("partner"), O("teachers-lab"), None, S(2)),
        (LEADERSHIP, IROLE("supporter"), O("kazakhstan-national-commission-for-unesco"), None, S(2)),
    ], id="initiative-participants-roles"),
    pytest.param("initiative-participants", {"initiative": "ite-model-implementation-project"}, [
        (ITE_PROJECT, IROLE("lead"), P("aida-sagintayeva"), "vice head of the project", S(1)),
        (ITE_PROJECT, IROLE("partner"), O("finnish-universities"), None, S(1)),
        (ITE_PROJECT, IROLE("partner"), NU_GSE, None, S(1)),
        (ITE_PROJECT, IROLE("supporter"), O("kazakhstan-ministry-of-science-and-higher-education"), None, S(1)),
        (ITE_PROJECT, IROLE("supporter"), O("world-bank"), None, S(1)),
    ], id="initiative-participants-title"),
    pytest.param("initiative-participants", {"role": "implementer"}, [
        (LEADERSHIP, IROLE("implementer"), O("unesco-almaty-regional-office"), None, S(2)),
    ], id="initiative-participants-role-only"),
    pytest.param("initiative-participants", {"role": "funder"}, [], id="initiative-participants-none"),
    # --- collaboration-network -----------------------------------------------------------------
    pytest.param("collaboration-network", {"min_weight": "2"}, [
        # two initiatives (the report, the workshop series) and one event (the symposium)
        (O("unesco"), O("world-bank"), "3", "1", "2", "0"),
        # the event of 13 October 2021 and the regional report
        (MINISTRIES[0], MINISTRIES[1], "2", "1", "1", "0"),
        (MINISTRIES[0], MINISTRIES[2], "2", "1", "1", "0"),
        (MINISTRIES[0], MINISTRIES[3], "2", "1", "1", "0"),
        (MINISTRIES[1], MINISTRIES[2], "2", "1", "1", "0"),
        (MINISTRIES[1], MINISTRIES[3], "2", "1", "1", "0"),
        (MINISTRIES[2], MINISTRIES[3], "2", "1", "1", "0"),
    ], id="collaboration-network-strong"),
    pytest.param("collaboration-network", {"min_weight": "3"}, [
        (O("unesco"), O("world-bank"), "3", "1", "2", "0"),
    ], id="collaboration-network-strongest"),
    # --- people-connecting-countries -----------------------------------------------------------
    pytest.param("people-connecting-countries", {"country_a": "kazakhstan", "country_b": "finland"}, [
        (P("aida-sagintayeva"), PL("kazakhstan"), O("kazakhstan-ministry-of-science-and-higher-education"),
         PL("finland"), O("finnish-universities")),
        (P("aida-sagintayeva"), PL("kazakhstan"), NU_GSE, PL("finland"), O("finnish-universities")),
    ], id="people-connecting-countries-pair"),
    pytest.param("people-connecting-countries", {"country_a": "finland"}, [
        (P("aida-sagintayeva"), PL("finland"), O("finnish-universities"), PL("kazakhstan"),
         O("kazakhstan-ministry-of-science-and-higher-education")),
        (P("aida-sagintayeva"), PL("finland"), O("finnish-universities"), PL("kazakhstan"), NU_GSE),
    ], id="people-connecting-countries-from"),
    pytest.param("people-connecting-countries", {"country_a": "seychelles", "country_b": "united-arab-emirates"}, [
        (P("carlos-vargas"), PL("seychelles"), O("iecd"), PL("united-arab-emirates"), O("rcep")),
        (P("ge-siying"), PL("seychelles"), O("iecd"), PL("united-arab-emirates"), O("rcep")),
        (P("zhang-minxuan"), PL("seychelles"), O("iecd"), PL("united-arab-emirates"), O("rcep")),
    ], id="people-connecting-countries-speakers"),
    pytest.param("people-connecting-countries", {"country_b": "finland", "country_a": "china"}, [],
                 id="people-connecting-countries-none"),
    # --- timeline ------------------------------------------------------------------------------
    pytest.param("timeline", {"from": "2022"}, [
        (SYMPOSIUM_START, SYMPOSIUM_END, SYMPOSIUM, EVENT, ET("workshop")),
        ("2024-11-10", None, MEETING_8, EVENT, ET("meeting")),
        ("2025-07-02", None, TEC_NU, EVENT, ET("training-programme")),
        ("2025-07-02", None, OPENING, EVENT, ET("ceremony")),
    ], id="timeline-from"),
    pytest.param("timeline", {"to": "2021"}, [
        ("2021-10-13", None, SKILLED_EVENT, EVENT, ET("meeting")),
    ], id="timeline-to"),
    # --- organisations-by-country --------------------------------------------------------------
    pytest.param("organisations-by-country", {"country": "finland"}, [
        (PL("finland"), O("finnish-universities"), OT("university"), O("finnish-universities")),
    ], id="organisations-by-country-one"),
    pytest.param("organisations-by-country", {"country": "china"}, [
        (PL("china"), O("chinese-natcom-secretariat"), OT("administrative-unit"),
         O("chinese-national-commission-for-unesco")),
        (PL("china"), O("chinese-national-commission-for-unesco"), OT("national-commission"),
         O("chinese-national-commission-for-unesco")),
        (PL("china"), O("irtcre"), OT("unesco-category-2-centre"), O("irtcre")),
    ], id="organisations-by-country-via-parent"),
    pytest.param("organisations-by-country", {"country": "kazakhstan"}, [
        (PL("kazakhstan"), O(x), OT(t), O(located or x)) for x, t, located in [
            ("astana-international-university", "university", None),
            ("atyrau-state-university", "university", None),
            ("kazakh-national-womens-teacher-training-university", "university", None),
            ("kazakhstan-ministry-of-education", "ministry", None),
            ("kazakhstan-ministry-of-science-and-higher-education", "ministry", None),
            ("kazakhstan-national-commission-for-unesco", "national-commission", None),
            ("kz-moe-department-of-inclusive-and-special-education", "administrative-unit",
             "kazakhstan-ministry-of-education"),
            ("nazarbayev-university", "university", None),
            ("nu-graduate-school-of-education", "academic-unit", "nazarbayev-university"),
            # located in a village and a region of Kazakhstan: one row
            ("zharmukhambet-village-secondary-school", "school", None),
        ]
    ], id="organisations-by-country-kazakhstan"),
    pytest.param("organisations-by-country", {"country": "central-asia"}, [],
                 id="organisations-by-country-not-a-country"),
    # --- organisations-by-type -----------------------------------------------------------------
    pytest.param("organisations-by-type", {"type": ["ministry", "national-commission"]}, [
        (OT("ministry"), MINISTRIES[0], None),
        (OT("ministry"), O("kazakhstan-ministry-of-science-and-higher-education"), None),
        (OT("ministry"), MINISTRIES[1], None),
        (OT("ministry"), MINISTRIES[2], None),
        (OT("ministry"), MINISTRIES[3], None),
        (OT("national-commission"), O("chinese-national-commission-for-unesco"), None),
        (OT("national-commission"), O("kazakhstan-national-commission-for-unesco"), None),
    ], id="organisations-by-type-two"),
    pytest.param("organisations-by-type", {"type": "unesco-office"}, [
        (OT("unesco-office"), O("unesco-almaty-regional-office"), O("unesco")),
        (OT("unesco-office"), O("unesco-headquarters"), O("unesco")),
    ], id="organisations-by-type-parent"),
    # --- record-provenance ---------------------------------------------------------------------
    pytest.param("record-provenance", {"record": "zhang-minxuan"}, [
        (node("participation", "category-ii-centres-meeting-8--zhang-minxuan--speaker"),
         EG + "Participation", None, None, S(4)),
        (node("participation", "tec-nu-leaders-training-program-2025-opening-ceremony--zhang-minxuan--attendee"),
         EG + "Participation", None, None, S(0)),
        (node("participation", "tec-nu-leaders-training-program-2025-opening-ceremony--zhang-minxuan--speaker"),
         EG + "Participation", None, None, S(0)),
        (node("participation", "zhang-minxuan-keynote-global-trends-2025--zhang-minxuan--keynote"),
         EG + "Participation", None, None, S(0)),
        (P("zhang-minxuan"), EG + "Person", None, None, S(0)),
        (P("zhang-minxuan"), EG + "Person", None, None, S(4)),
        (node("position", "zhang-minxuan--unesco-tec--1"), EG + "Position", None, None, S(0)),
        (node("position", "zhang-minxuan--unesco-tec--1"), EG + "Position", None, None, S(4)),
    ], id="record-provenance-person"),
    pytest.param("record-provenance", {"record": "unesco-tec"}, [
        (O("unesco-tec"), EG + "Organisation", None, None, S(0)),
        (O("unesco-tec"), EG + "Organisation", None, None, S(4)),
        (node("participation", "category-ii-centres-meeting-8--unesco-tec--host"), EG + "Participation",
         None, None, S(4)),
        (node("participation", "tec-nu-leaders-training-program-2025--unesco-tec--host"),
         EG + "Participation", None, None, S(0)),
        (node("position", "guo-jing--unesco-tec--1"), EG + "Position", None, None, S(0)),
        (node("position", "hu-guoyong--unesco-tec--1"), EG + "Position", None, None, S(0)),
        (node("position", "zhang-minxuan--unesco-tec--1"), EG + "Position", None, None, S(0)),
        (node("position", "zhang-minxuan--unesco-tec--1"), EG + "Position", None, None, S(4)),
    ], id="record-provenance-organisation"),
    pytest.param("record-provenance", {"record": "ite-model-implementation-project"}, [
        (ITE_PROJECT, EG + "Initiative", None, None, S(1)),
        *[(node("involvement", f"ite-model-implementation-project--{x}"), EG + "Involvement", None, None, S(1))
          for x in (
            "aida-sagintayeva--lead", "finnish-universities--partner",
            "kazakhstan-ministry-of-science-and-higher-education--supporter",
            "nu-graduate-school-of-education--partner", "world-bank--supporter")],
        *[(node("count", f"ite-model-implementation-project--{x}"), EG + "StatedCount", None, None, S(1))
          for x in (
            "educational-programs", "professors", "rural-school-principals", "universities")],
    ], id="record-provenance-initiative"),
    pytest.param("record-provenance", {"record": "shanghai"}, [
        (PL("shanghai"), PLACE_CLASS, None, None, S(0)),
        (PL("shanghai"), PLACE_CLASS, None, None, S(4)),
    ], id="record-provenance-place"),
    pytest.param("record-provenance", {"record": "src-001"}, [], id="record-provenance-source"),
    pytest.param("record-provenance", {"record": "no-such-record"}, [], id="record-provenance-unknown"),
    # --- source-contributions ------------------------------------------------------------------
    pytest.param("source-contributions", {"source": "src-002"}, [
        (EG + "Event", NETWORK_EVENTS),
        (EG + "Event", EV("world-teachers-day-2024")),
        (EG + "Initiative", LEADERSHIP),
        *[(EG + "Involvement", node("involvement", f"teacher-leadership-project--{x}")) for x in (
            "hertscam--partner", "kazakh-national-womens-teacher-training-university--partner",
            "kazakhstan-national-commission-for-unesco--supporter", "teachers-lab--partner",
            "unesco--lead", "unesco-almaty-regional-office--implementer", "zhauhar-omarbek--participant")],
        *[(EG + "Organisation", O(x)) for x in (
            "hertscam", "kazakh-national-womens-teacher-training-university",
            "kazakhstan-national-commission-for-unesco", "teachers-lab", "unesco",
            "unesco-almaty-regional-office", "zharmukhambet-village-secondary-school")],
        (EG + "Participation",
         node("participation", "teacher-leadership-network-events-2024--unesco-almaty-regional-office--organiser")),
        (EG + "Person", P("zhauhar-omarbek")),
        *[(PLACE_CLASS, PL(x)) for x in ("almaty-region", "kazakhstan", "mangystau-region", "zharmukhambet")],
        (EG + "Position", node("position", "zhauhar-omarbek--zharmukhambet-village-secondary-school--1")),
        *[(EG + "Topic", TP(x)) for x in ("rural-and-remote-schools", "teacher-leadership", "teachers-voices")],
    ], id="source-contributions"),
    # --- topic-actors --------------------------------------------------------------------------
    pytest.param("topic-actors", {"topic": "teacher-policies"}, [
        (TP("teacher-policies"), SYMPOSIUM, O("unesco"), ROLE("organiser")),
        (TP("teacher-policies"), SYMPOSIUM, O("world-bank"), ROLE("organiser")),
        *[(TP("teacher-policies"), SKILLED_EVENT, m, ROLE("presenter")) for m in MINISTRIES],
        (TP("teacher-policies"), REPORT, MINISTRIES[0], IROLE("partner")),
        (TP("teacher-policies"), REPORT, MINISTRIES[1], IROLE("partner")),
        (TP("teacher-policies"), REPORT, MINISTRIES[2], IROLE("partner")),
        (TP("teacher-policies"), REPORT, O("unesco"), IROLE("lead")),
        (TP("teacher-policies"), REPORT, MINISTRIES[3], IROLE("partner")),
        (TP("teacher-policies"), REPORT, O("world-bank"), IROLE("lead")),
        (TP("teacher-policies"), WORKSHOPS, O("unesco"), IROLE("organiser")),
        (TP("teacher-policies"), WORKSHOPS, O("world-bank"), IROLE("organiser")),
        (TP("teacher-policies"), SKILLED, None, None),  # no participants on record
    ], id="topic-actors-topic"),
    pytest.param("topic-actors", {"topic": "teacher-education-reform"}, [
        (TP("teacher-education-reform"), KEYNOTE, P("zhang-minxuan"), ROLE("keynote")),
    ], id="topic-actors-one"),
    pytest.param("topic-actors", {"topic": "digital-transformation-of-education"}, [],
                 id="topic-actors-none"),
    # --- stated-counts -------------------------------------------------------------------------
    pytest.param("stated-counts", {"what": "professors"}, [
        (ITE_TRAINING, "professors", "2000", "exact", "true", "About two thousand professors of "
         "educational institutions in different regions of Kazakhstan", S(1)),
        (ITE_PROJECT, "professors", "2150", "exact", "true", "about 2150 professors", S(1)),
    ], id="stated-counts-what"),
    pytest.param("stated-counts", {}, [
        (MEETING_8, "countries", "5", "exact", "false",
         "UNESCO Category II Centres from five countries participated", S(4)),
        (ITE_TRAINING, "professors", "2000", "exact", "true", "About two thousand professors of "
         "educational institutions in different regions of Kazakhstan", S(1)),
        (TEC_NU, "modules", "3", "exact", "false", None, S(0)),
        (TEC_NU, "participants", "25", "exact", "false", "officials, experts, and scholars from the Republic of "
         "Kazakhstan", S(0)),
        (KEYNOTE, "trends", "9", "exact", "false", "major trends in current global educational development",
         S(0)),
        (ITE_PROJECT, "educational-programs", "30", "exact", "false", "adaptation of 30 educational programs",
         S(1)),
        (ITE_PROJECT, "professors", "2150", "exact", "true", "about 2150 professors", S(1)),
        (ITE_PROJECT, "rural-school-principals", "50", "exact", "false", "principals from 50 rural schools",
         S(1)),
        (ITE_PROJECT, "universities", "42", "exact", "false", None, S(1)),
    ], id="stated-counts-all"),
    pytest.param("stated-counts", {"what": INJECTION}, [], id="stated-counts-injection"),
    # --- people-of-organisation ----------------------------------------------------------------
    pytest.param("people-of-organisation", {"org": "shanghai-normal-university"}, [
        (P("jiang-mingjun"), "Vice President", O("shanghai-normal-university"), "current"),
        (P("ning-bo"), "Vice Dean", O("shnu-college-of-education"), "current"),
        (P("xiao-shengxiong"), "Director", O("shnu-international-exchange-division"), "current"),
    ], id="people-of-organisation-units"),
    pytest.param("people-of-organisation", {"org": "unesco"}, [
        # two levels down: Section for Teacher Development < UNESCO Headquarters < UNESCO
        (P("carlos-vargas"), "Chief", O("unesco-section-for-teacher-development"), "current"),
    ], id="people-of-organisation-depth-2"),
    pytest.param("people-of-organisation", {"org": "unesco-tec"}, [
        (P("guo-jing"), "Deputy Director (on secondment)", O("unesco-tec"), "current"),
        (P("hu-guoyong"), "Deputy Director", O("unesco-tec"), "current"),
        (P("zhang-minxuan"), "Director", O("unesco-tec"), "current"),
    ], id="people-of-organisation-itself"),
    pytest.param("people-of-organisation", {"org": "world-bank"}, [], id="people-of-organisation-none"),
    # --- organisation-hierarchy ----------------------------------------------------------------
    pytest.param("organisation-hierarchy", {"org": "unesco"}, [
        (O("unesco"), O("unesco"), None, "0"),
        (O("unesco"), O("unesco-almaty-regional-office"), O("unesco"), "1"),
        (O("unesco"), O("unesco-headquarters"), O("unesco"), "1"),
        (O("unesco"), O("unesco-section-for-teacher-development"), O("unesco-headquarters"), "2"),
    ], id="organisation-hierarchy-top"),
    pytest.param("organisation-hierarchy", {"org": "unesco-headquarters"}, [
        (O("unesco"), O("unesco-headquarters"), O("unesco"), "1"),
        (O("unesco"), O("unesco-section-for-teacher-development"), O("unesco-headquarters"), "2"),
    ], id="organisation-hierarchy-middle"),
    pytest.param("organisation-hierarchy", {"org": "world-bank"}, [], id="organisation-hierarchy-alone"),
    # --- online-events -------------------------------------------------------------------------
    pytest.param("online-events", {"online": "true"}, [
        (SYMPOSIUM, SYMPOSIUM_START, SYMPOSIUM_END, ET("workshop"), "false"),
    ], id="online-events"),
    pytest.param("online-events", {"online": "false"}, [], id="online-events-in-person"),
    # --- people-with-several-organisations -----------------------------------------------------
    pytest.param("people-with-several-organisations", {}, [
        (P("carlos-vargas"), "2", O("international-task-force-on-teachers-secretariat")),
        (P("carlos-vargas"), "2", O("unesco-section-for-teacher-development")),
    ], id="people-with-several-organisations"),
    pytest.param("people-with-several-organisations", {"at_least": "3"}, [],
                 id="people-with-several-organisations-none"),
    # --- organisations-in-several-sources ------------------------------------------------------
    pytest.param("organisations-in-several-sources", {}, [
        # here each cites the sources itself (one named only by a relationship's source: the
        # faculty of the provenance fixture, test_provenance.py)
        (O("unesco"), "3", S(2)), (O("unesco"), "3", S(3)), (O("unesco"), "3", S(4)),
        (MINISTRIES[0], "2", S(0)), (MINISTRIES[0], "2", S(3)),
        (O("nazarbayev-university"), "2", S(0)), (O("nazarbayev-university"), "2", S(1)),
        (NU_GSE, "2", S(0)), (NU_GSE, "2", S(1)),
        (O("unesco-tec"), "2", S(0)), (O("unesco-tec"), "2", S(4)),
        (O("world-bank"), "2", S(1)), (O("world-bank"), "2", S(3)),
    ], id="organisations-in-several-sources"),
    pytest.param("organisations-in-several-sources", {"at_least": "3"}, [
        (O("unesco"), "3", S(2)), (O("unesco"), "3", S(3)), (O("unesco"), "3", S(4)),
    ], id="organisations-in-several-sources-three"),
    # --- record-connections --------------------------------------------------------------------
    pytest.param("record-connections", {"record": "zhang-minxuan"}, [
        (EG + "Participation", ROLE("speaker"), "category-ii-centres-meeting-8",
         "8th Meeting of UNESCO Category II Centres in Education", S(4)),
        (EG + "Participation", ROLE("attendee"), "tec-nu-leaders-training-program-2025-opening-ceremony",
         "Opening ceremony of the Regional Educational Leaders Training Program", S(0)),
        (EG + "Participation", ROLE("speaker"), "tec-nu-leaders-training-program-2025-opening-ceremony",
         "Opening ceremony of the Regional Educational Leaders Training Program", S(0)),
        (EG + "Participation", ROLE("keynote"), "zhang-minxuan-keynote-global-trends-2025",
         "Studying Global Trends to Support Educational Development", S(0)),
        (EG + "Position", "Director", "unesco-tec", "UNESCO Teacher Education Centre", S(0)),
        (EG + "Position", "Director", "unesco-tec", "UNESCO Teacher Education Centre", S(4)),
    ], id="record-connections-person"),
    pytest.param("record-connections", {"record": "unesco-almaty-regional-office"}, [
        (EG + "Involvement", IROLE("implementer"), "teacher-leadership-project",
         "Introducing non-position teacher leadership in rural and remote schools in Kazakhstan to improve "
         "the quality of education", S(2)),
        (EG + "Participation", ROLE("organiser"), "teacher-leadership-network-events-2024",
         "Network events of the non-position teacher leadership project", S(2)),
    ], id="record-connections-organisation"),
    pytest.param("record-connections", {"record": "src-001"}, [], id="record-connections-source"),
]


@pytest.mark.parametrize(("name", "params", "expected"), EXACT)
def test_exact_rows(run: Run, name: str, params: Params, expected: list[tuple]) -> None:
    assert run(name, params).values() == expected


def test_every_research_query_has_an_exact_case() -> None:
    assert {p.values[0] for p in EXACT} == set(RESEARCH)


# Bigger answers: the exact first rows and the exact number of rows (each checked against the data).
FIRST_ROWS = [
    pytest.param("positions", {}, 17, [
        (P("aida-sagintayeva"), "dean", NU_GSE, O("nazarbayev-university"), None, None, "current"),
        (P("carlos-vargas"), "Head", O("international-task-force-on-teachers-secretariat"),
         O("international-task-force-on-teachers"), None, None, "current"),
    ], id="positions"),
    pytest.param("event-participants", {}, 42, [
        (MEETING_8, ROLE("attendee"), O("apceiu"), None, S(4)),
        (MEETING_8, ROLE("attendee"), O("iecd"), None, S(4)),
    ], id="event-participants"),
    pytest.param("events-by-place", {}, 14, [
        (PL("almaty-region"), NETWORK_EVENTS, PL("almaty-region"), None),
        (PL("central-asia"), ITE_TRAINING, PL("kazakhstan"), None),
    ], id="events-by-place"),
    pytest.param("initiative-participants", {}, 28, [
        (REPORT, IROLE("lead"), O("unesco"), None, S(3)),
        (REPORT, IROLE("lead"), O("world-bank"), None, S(3)),
    ], id="initiative-participants"),
    pytest.param("collaboration-network", {}, 58, [
        (O("unesco"), O("world-bank"), "3", "1", "2", "0"),
        *[(a, b, "2", "1", "1", "0") for i, a in enumerate(MINISTRIES) for b in MINISTRIES[i + 1:]],
        # the seven organisations at the 8th meeting make 21 pairs, APCEIU's first
        (O("apceiu"), O("iecd"), "1", "1", "0", "0"),
        (O("apceiu"), O("irtcre"), "1", "1", "0", "0"),
    ], id="collaboration-network"),
    pytest.param("people-connecting-countries", {}, 36, [
        (P("aida-sagintayeva"), PL("finland"), O("finnish-universities"), PL("kazakhstan"),
         O("kazakhstan-ministry-of-science-and-higher-education")),
        (P("aida-sagintayeva"), PL("finland"), O("finnish-universities"), PL("kazakhstan"), NU_GSE),
        (P("carlos-vargas"), PL("china"), O("irtcre"), PL("republic-of-korea"), O("apceiu")),
    ], id="people-connecting-countries"),
    pytest.param("timeline", {}, 5, [
        ("2021-10-13", None, SKILLED_EVENT, EVENT, ET("meeting")),
    ], id="timeline"),
    pytest.param("organisations-by-country", {}, 21, [
        (PL("china"), O("chinese-natcom-secretariat"), OT("administrative-unit"),
         O("chinese-national-commission-for-unesco")),
    ], id="organisations-by-country"),
    pytest.param("organisations-by-type", {}, 37, [
        (OT("academic-unit"), NU_GSE, O("nazarbayev-university")),
        (OT("academic-unit"), O("shnu-college-of-education"), O("shanghai-normal-university")),
    ], id="organisations-by-type"),
    pytest.param("source-contributions", {"source": "src-003"}, 32, [
        (EG + "Event", SYMPOSIUM),
        (EG + "Event", SKILLED_EVENT),
        (EG + "Initiative", REPORT),
    ], id="source-contributions"),
    pytest.param("topic-actors", {}, 125, [
        (TP("ai-empowering-educational-development"), TEC_NU, O("nazarbayev-university"), ROLE("host")),
        (TP("ai-empowering-educational-development"), TEC_NU, O("unesco-tec"), ROLE("host")),
    ], id="topic-actors"),
    pytest.param("organisation-hierarchy", {}, 19, [
        (O("chinese-national-commission-for-unesco"), O("chinese-national-commission-for-unesco"), None, "0"),
        (O("chinese-national-commission-for-unesco"), O("chinese-natcom-secretariat"),
         O("chinese-national-commission-for-unesco"), "1"),
    ], id="organisation-hierarchy"),
]


@pytest.mark.parametrize(("name", "params", "count", "first"), FIRST_ROWS)
def test_first_rows_and_count(run: Run, name: str, params: Params, count: int, first: list[tuple]) -> None:
    values = run(name, params).values()
    assert values[:len(first)] == first
    assert len(values) == count


def test_people_connecting_countries_lists_each_pair_once(run: Run) -> None:
    values = run("people-connecting-countries").values()
    assert all(c1 < c2 for _, c1, _, c2, _ in values)
    assert len(set(values)) == len(values)
    # the three speakers of the 8th meeting connect the five countries of the centres (10 pairs
    # each; GE Siying also through her own Chinese secretariat), Aida Sagintayeva Finland and Kazakhstan
    people = [row[0] for row in values]
    assert {p: people.count(p) for p in people} == {
        P("aida-sagintayeva"): 2, P("carlos-vargas"): 10, P("ge-siying"): 14, P("zhang-minxuan"): 10}


# ---------------------------------------------------------------------------------------------
# Both engines


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE])
def test_engines_agree_on_the_example(run: Run, name: str) -> None:
    params = example_params(BY_NAME[name])
    oxigraph, rdflib = run(name, params), run(name, params, engine="rdflib")
    assert rdflib.variables == oxigraph.variables
    assert sorted(rdflib.values(), key=sort_key) == sorted(oxigraph.values(), key=sort_key)


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE
                                  if q.example and not any(p.required for p in q.params)])
def test_engines_agree_without_parameters(run: Run, name: str) -> None:
    oxigraph, rdflib = run(name), run(name, engine="rdflib")
    assert rdflib.variables == oxigraph.variables
    assert sorted(rdflib.values(), key=sort_key) == sorted(oxigraph.values(), key=sort_key)


# ---------------------------------------------------------------------------------------------
# Binding parameters


@pytest.mark.parametrize(("name", "params", "message"), [
    ("positions", {"persn": "zhang-minxuan"},
     "query 'positions' has no parameter 'persn'; did you mean 'person'?"),
    ("positions", {"colour": "red"}, "query 'positions' has no parameter 'colour'; its parameters are: person, org"),
    ("check-missing-source", {"kind": "Person"},
     "query 'check-missing-source' has no parameter 'kind'; it takes no parameters"),
    ("people-of-organisation", {},
     "query 'people-of-organisation' needs parameter 'org' (id:organisation); add -p org=VALUE: the organisation"),
    ("source-contributions", {},
     "query 'source-contributions' needs parameter 'source' (id:source); add -p source=VALUE: the source document"),
    ("events-by-year", {"from": "abc"},
     "parameter 'from' of query 'events-by-year' must be a year (four digits), not 'abc'"),
    ("collaboration-network", {"min_weight": "two"},
     "parameter 'min_weight' of query 'collaboration-network' must be an integer, not 'two'"),
    ("online-events", {"online": "yes"},
     "parameter 'online' of query 'online-events' must be true or false, not 'yes'"),
    ("positions", {"person": "zhang minxuan"},
     "parameter 'person' of query 'positions' must be the id of a person (a lowercase slug such as "
     "'unesco-tec'), not 'zhang minxuan'"),
    ("event-participants", {"role": "speakr"},
     "parameter 'role' must be a term of the participation-role vocabulary, not 'speakr'; did you mean 'speaker'?"),
    ("event-participants", {"role": "moderator"},
     "parameter 'role' must be a term of the participation-role vocabulary, not 'moderator'; terms: attendee, "
     "chair, host, keynote, organiser, participant, presenter, speaker, trainer"),
    ("initiative-participants", {"role": "host"},  # a participation role, not an involvement role
     "parameter 'role' must be a term of the involvement-role vocabulary, not 'host'; terms: funder, "
     "implementer, lead, organiser, participant, partner, supporter"),
    ("positions", {"person": ["ning-bo", "zhang-minxuan"]},
     "parameter 'person' takes one value, got 2; give -p person=... once"),
    ("positions", {"person": INJECTION},
     "parameter 'person' of query 'positions' must be the id of a person (a lowercase slug such as "
     "'unesco-tec'), not 'x\" } ; DROP ALL ; #'"),
])
def test_binding_errors(name: str, params: Params, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        queries.bind(BY_NAME[name], as_lists(params))
    assert str(caught.value) == message


def test_defaults_and_lists_bind_as_typed_terms() -> None:
    bound = queries.bind(BY_NAME["events-by-year"], {"to": ["2024"]})
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert bound == {"from": [ox.Literal("1900", datatype=integer)], "to": [ox.Literal("2024", datatype=integer)]}
    roles = queries.bind(BY_NAME["event-participants"], {"role": ["host", "speaker"]})
    assert roles == {"role": [ox.NamedNode(ROLE("host")), ox.NamedNode(ROLE("speaker"))]}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_injection_string_is_only_a_string(run: Run, engine: str) -> None:
    query = BY_NAME["record-provenance"]
    bound = queries.bind(query, {"record": [INJECTION]})
    assert 'VALUES ?record { "x\\" } ; DROP ALL ; #" }' in bind_values(query.text, bound)
    assert run("record-provenance", {"record": INJECTION}, engine=engine).values() == []
    assert len(run("positions", engine=engine).values()) == 17  # and the data is all there


# ---------------------------------------------------------------------------------------------
# Integrity checks


@pytest.mark.parametrize("name", CHECKS)
def test_checks_pass_on_the_policy_dataset(run: Run, name: str) -> None:
    result = run(name)
    assert result.variables == ["node", "problem"]
    assert result.values() == []


BROKEN_YAML = {
    "organisations.yaml": """\
organisations:
  - id: acme
    name: Acme
    sources: [doc-1]
""",
    "people.yaml": """\
people:
  - id: nobody
    name: Nobody
    sources: [doc-1]
  - id: somebody
    name: Somebody
    positions:
      - organisation: acme
        title: Head
    sources: [doc-1]
  - id: speaker
    name: Speaker
    sources: [doc-1]
""",
    "events.yaml": """\
events:
  - id: undated
    name: Undated
    participants:
      - agent: speaker
        role: speaker
    sources: [doc-1]
  - id: undated-with-note
    name: Undated with a note
    note: The source gives no date.
    sources: [doc-1]
  - id: dated
    name: Dated
    start: 2024
    sources: [doc-1]
""",
}


@pytest.fixture
def broken_data(write_yaml) -> Path:
    for name, text in BROKEN_YAML.items():
        write_yaml(name, text)
    return Path("data").resolve()


def test_checks_find_what_is_wrong_in_the_yaml(run: Run, broken_data: Path) -> None:
    found = {name: run(name, data_dir=broken_data).values() for name in CHECKS}
    assert found == {
        "check-dangling-reference": [],
        "check-dangling-sub-organisation": [],
        "check-event-without-date": [(EV("undated"), "event has no start date and no note saying why")],
        "check-missing-source": [],
        "check-person-without-role": [(P("nobody"), "person has no position, participation or involvement")],
        "check-source-not-cited-by-record": [],
    }


# What the YAML loader never lets through (references to nothing, no sources), built as a graph.
BROKEN_TURTLE = f"""
@prefix eg: <{EG}> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{ID}source/doc-1> a eg:SourceDocument .
<{ID}source/doc-2> a eg:SourceDocument .
<{O("unit")}> a eg:Organisation ;
    org:subOrganizationOf <{O("ghost")}> ;
    prov:wasDerivedFrom <{ID}source/doc-1> .
<{O("branch")}> a eg:Organisation ;
    org:subOrganizationOf <{PL("somewhere")}> ;
    prov:wasDerivedFrom <{ID}source/doc-1> .
<{PL("somewhere")}> a eg:Place ;
    prov:wasDerivedFrom <{ID}source/doc-1> .
<{P("orphan")}> a eg:Person .
<{ID}position/orphan--unit--1> a eg:Position ;
    org:member <{P("orphan")}> ;
    org:organization <{O("unit")}> .
<{EV("e")}> a eg:Event ;
    schema:startDate "2024-01-01"^^xsd:date ;
    prov:qualifiedAssociation <{ID}participation/e--nobody--speaker> ;
    prov:wasDerivedFrom <{P("orphan")}> .
# a tie and a value without sources; a value, a count and a tie citing what their record does not
<{O("unit")}> skos:altLabel "U" , "Unit" ;
    eg:qualifiedTie <{ID}tie/unit--branch--partner> , <{ID}tie/unit--branch--funder> .
<{ID}tie/unit--branch--partner> a eg:OrganisationTie ;
    eg:tiedTo <{O("branch")}> .
<{ID}tie/unit--branch--funder> a eg:OrganisationTie ;
    eg:tiedTo <{O("branch")}> ;
    prov:wasDerivedFrom <{ID}source/doc-2> .
<{ID}statement/unit--aliases--000000000001> a rdf:Statement ;
    rdf:subject <{O("unit")}> ; rdf:predicate skos:altLabel ; rdf:object "U" .
<{ID}statement/unit--aliases--000000000002> a rdf:Statement ;
    rdf:subject <{O("unit")}> ; rdf:predicate skos:altLabel ; rdf:object "Unit" ;
    prov:wasDerivedFrom <{ID}source/doc-1> , <{ID}source/doc-2> .
<{O("branch")}> eg:statedCount <{ID}count/branch--offices> .
<{ID}count/branch--offices> a eg:StatedCount ;
    prov:wasDerivedFrom <{ID}source/doc-1> , <{ID}source/doc-2> .
"""

BROKEN_GRAPH_FINDS = {
    "check-dangling-reference": [
        (O("ghost"), f"referenced by {O('unit')} (http://www.w3.org/ns/org#subOrganizationOf) but has no rdf:type"),
        (f"{ID}participation/e--nobody--speaker",
         f"referenced by {EV('e')} (http://www.w3.org/ns/prov#qualifiedAssociation) but has no rdf:type"),
    ],
    "check-dangling-sub-organisation": [
        (O("branch"), f"org:subOrganizationOf {PL('somewhere')}, which is not an organisation"),
        (O("unit"), f"org:subOrganizationOf {O('ghost')}, which is not an organisation"),
    ],
    "check-event-without-date": [],
    "check-missing-source": [
        (EV("e"), f"cites {P('orphan')}, which is not a source document"),
        (P("orphan"), "cites no source (no prov:wasDerivedFrom)"),
        (f"{ID}position/orphan--unit--1", "cites no source (no prov:wasDerivedFrom)"),
        (f"{ID}statement/unit--aliases--000000000001", "cites no source (no prov:wasDerivedFrom)"),
        (f"{ID}tie/unit--branch--partner", "cites no source (no prov:wasDerivedFrom)"),
    ],
    "check-person-without-role": [],
    "check-source-not-cited-by-record": [
        (f"{ID}count/branch--offices", f"cites {ID}source/doc-2, which its record {O('branch')} does not cite"),
        (f"{ID}statement/unit--aliases--000000000002",
         f"cites {ID}source/doc-2, which {O('unit')}, whose value it gives, does not cite"),
        (f"{ID}tie/unit--branch--funder", f"cites {ID}source/doc-2, which its record {O('unit')} does not cite"),
    ],
}


@pytest.mark.parametrize("name", CHECKS)
def test_checks_find_what_is_wrong_in_a_graph(name: str) -> None:
    store = ox.Store()
    store.load(input=BROKEN_TURTLE, format=ox.RdfFormat.TURTLE)
    result = graphstore.run_oxigraph(store, BY_NAME[name].text)
    assert result.values() == BROKEN_GRAPH_FINDS[name]
    ntriples = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in store], format=ox.RdfFormat.N_TRIPLES)
    assert graphstore.run_rdflib(ntriples, BY_NAME[name].text).values() == BROKEN_GRAPH_FINDS[name]


# ---------------------------------------------------------------------------------------------
# Another instance namespace: the queries name none, so they answer the same with any


OTHER = "https://example.org/kb/"


def renamed(ntriples: bytes) -> bytes:
    return ntriples.replace(f"<{ID}".encode(), f"<{OTHER}".encode())


def on_both_engines(ntriples: bytes, text: str) -> list[list[tuple[str | None, ...]]]:
    store = vocab_ontology.memory_store(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return [graphstore.run_oxigraph(store, text).values(), graphstore.run_rdflib(ntriples, text).values()]


def test_every_query_gives_the_same_rows_in_another_namespace(cache: Path) -> None:
    graph = graph_ntriples(POLICY, cache)
    for query in CATALOGUE:
        bound = queries.bind(query, example_params(query))
        here, _ = on_both_engines(graph, bind_values(query.text, bound))
        there = [tuple(None if v is None else v.replace(ID, OTHER) for v in row) for row in here]
        # an id parameter binds the record's IRI, in whatever namespace the project has
        bound = {name: [ox.NamedNode(t.value.replace(ID, OTHER)) if isinstance(t, ox.NamedNode) else t
                        for t in terms] for name, terms in bound.items()}
        assert on_both_engines(renamed(graph), bind_values(query.text, bound)) == [there, there], query.name
    assert here and all(OTHER in v for row in there for v in row if v and v.startswith("https://example"))


@pytest.mark.parametrize("name", CHECKS)
def test_checks_find_the_same_in_another_namespace(name: str) -> None:
    store = ox.Store()
    store.load(input=BROKEN_TURTLE.replace(ID, OTHER), format=ox.RdfFormat.TURTLE)
    expected = [tuple(v.replace(ID, OTHER) for v in row) for row in BROKEN_GRAPH_FINDS[name]]
    assert graphstore.run_oxigraph(store, BY_NAME[name].text).values() == expected
    ntriples = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in store], format=ox.RdfFormat.N_TRIPLES)
    assert graphstore.run_rdflib(ntriples, BY_NAME[name].text).values() == expected


# ---------------------------------------------------------------------------------------------
# Dates in every precision (the policy dataset has no year-only dates and no dated initiatives)

DATED_YAML = """\
events:
  - id: year-only
    name: Year only
    start: 2023
    sources: [doc-1]
  - id: month-only
    name: Month only
    start: 2023-05
    sources: [doc-1]
  - id: late-evening
    name: Late evening
    start: 2024-12-31T23:30+05:00
    sources: [doc-1]
initiatives:
  - id: long-project
    name: Long project
    start: 2019
    end: 2021-06
    sources: [doc-1]
  - id: ended-project
    name: Ended project
    end: 2022
    sources: [doc-1]
  - id: undated-project
    name: Undated project
    sources: [doc-1]
"""


@pytest.fixture
def dated_data(write_yaml) -> Path:
    write_yaml("records.yaml", DATED_YAML)
    return Path("data").resolve()


@pytest.mark.parametrize(("name", "params", "expected"), [
    ("events-by-year", {"from": "2023", "to": "2023"}, [
        ("2023", "2023", None, EV("year-only"), None),
        ("2023", "2023-05", None, EV("month-only"), None),
    ]),
    ("events-by-year", {"from": "2024"}, [
        ("2024", "2024-12-31T23:30:00+05:00", None, EV("late-evening"), None),
    ]),
    ("timeline", {}, [
        ("2019", "2021-06", IN("long-project"), INITIATIVE, None),
        (None, "2022", IN("ended-project"), INITIATIVE, None),
        ("2023", None, EV("year-only"), EVENT, None),
        ("2023-05", None, EV("month-only"), EVENT, None),
        ("2024-12-31T23:30:00+05:00", None, EV("late-evening"), EVENT, None),
    ]),
    # the long project runs 2019 to 2021: it overlaps 2020 though neither date is in 2020
    ("timeline", {"from": "2020", "to": "2020"}, [
        ("2019", "2021-06", IN("long-project"), INITIATIVE, None),
    ]),
    ("timeline", {"from": "2022", "to": "2022"}, [
        (None, "2022", IN("ended-project"), INITIATIVE, None),
    ]),
])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_dates_of_every_precision(run: Run, dated_data: Path, engine: str, name: str, params: Params,
                                  expected: list[tuple]) -> None:
    assert run(name, params, engine=engine, data_dir=dated_data).values() == expected
