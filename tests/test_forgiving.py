"""A command line that forgives: a name, an alias or a mistyped id where a record's id belongs is
exit 2 naming the id to use (on every query source), a stored query's id parameter must name a
record of its kind, ad-hoc SPARQL knows edugraph's prefixes, and its mistakes are one line with
line:column. Exact messages on the frozen policy data and the provenance fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from edugraph.errors import UsageError
from edugraph.query import remote
from edugraph.query.lookup import find_record
from edugraph.query.source import StoreSource
from edugraph.query.sparql import needed_prefixes, tokens, with_prefixes

from .conftest import data_source
from .test_stores import server  # noqa: F401 - the fixture of a real Oxigraph server

ID = "https://w3id.org/edugraph/id/"
ZHANG = f"{ID}person/zhang-minxuan"


def run(cli, *args: str) -> tuple[int, str, str]:
    result = cli(*args)
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------------------------------------------------------
# show and viz: an id, and what a name or a wrong id is told

SHOWN = [
    ("Zhang Minxuan", "error: 'Zhang Minxuan' is the name of person 'zhang-minxuan'; use its id"),
    ("zhang  MINXUAN", "error: 'zhang  MINXUAN' is the name of person 'zhang-minxuan'; use its id"),
    ("UNESCO TEC", "error: 'UNESCO TEC' is an alias of organisation 'unesco-tec'; use its id"),
    ("Mangystau oblasts",
     "error: 'Mangystau oblasts' is how a source mentions place 'mangystau-region'; use its id"),
    ("Zhang-Minxuan", "error: no record has the id 'Zhang-Minxuan'; did you mean 'zhang-minxuan'?"),
    ("zhang-minxuen", "error: no record has the id 'zhang-minxuen'; did you mean 'zhang-minxuan'?"),
    ("Shanghai Normal Universty", "error: no record has the id 'Shanghai Normal Universty'; did you "
     "mean 'shanghai-normal-university' (Shanghai Normal University)?"),
    ("qwertyuiop", "error: no record has the id 'qwertyuiop'; try 'edugraph search TEXT'"),
    ("a\nb", "error: no record has the id 'a\\nb'; try 'edugraph search TEXT'"),
]


@pytest.mark.parametrize(("text", "message"), SHOWN)
def test_show_names_the_id_to_use(policy_project: Path, cli, text: str, message: str) -> None:
    assert run(cli, "show", text) == (2, "", message + "\n")


@pytest.mark.parametrize(("text", "message"), SHOWN[:1] + SHOWN[5:6])
def test_viz_names_the_id_to_use_and_writes_nothing(policy_project: Path, cli, text: str,
                                                    message: str) -> None:
    assert run(cli, "viz", text, "-o", "x.html") == (2, "", message + "\n")
    assert not Path("x.html").exists()


def test_show_and_viz_from_a_store_say_the_same(policy_project: Path, cli) -> None:
    assert cli("load", "--store", "db").exit_code == 0
    for text, message in SHOWN[:2]:
        assert run(cli, "show", text, "--store", "db") == (2, "", message + "\n")
        assert run(cli, "viz", text, "-o", "x.svg", "--store", "db") == (2, "", message + "\n")


def test_a_name_of_several_records_lists_them(write_yaml, cli) -> None:
    write_yaml("x.yaml", "places:\n  - id: paris\n    name: Paris\n    sources: [doc-1]\n"
               "  - id: paris-texas\n    name: Paris Texas\n    aliases: [paris]\n    sources: [doc-1]\n"
               "organisations:\n  - id: forum\n    name: Forum\n    sources: [doc-1]\n")
    assert run(cli, "show", "Paris") == (
        2, "", "error: 'Paris' is the name of place 'paris' and an alias of place 'paris-texas'; use the "
        "id of the one you mean\n")
    assert run(cli, "query", "organisations-by-country", "-p", "country=Forum") == (
        2, "", "error: parameter 'country' of query 'organisations-by-country': 'Forum' is the name of "
        "organisation 'forum', not a place\n")


@pytest.fixture
def pushed(server: str, policy_project: Path, cli) -> str:  # noqa: F811 - the fixture imported above
    """The policy graph pushed into a real Oxigraph server; its query URL."""
    assert cli("push", "--endpoint", f"{server}/store").exit_code == 0
    return f"{server}/query"


LOOKED_UP = [
    ("zhang-minxuan", None, ZHANG),
    ("zhang-minxuan", "person", ZHANG),
    ("Zhang Minxuan", None, "'Zhang Minxuan' is the name of person 'zhang-minxuan'; use its id"),
    ("zhang-minxuann", "person", "no person has the id 'zhang-minxuann'; did you mean 'zhang-minxuan'?"),
    ("shanghai", "person", "'shanghai' is a place, not a person"),
    ("Shanghai", "person", "'Shanghai' is the name of place 'shanghai', not a person"),
    ("UNESCO TEC", "person", "'UNESCO TEC' is an alias of organisation 'unesco-tec', not a person"),
]


def looked_up(where, text: str, kind: str | None) -> str:
    try:
        return find_record(where, text, kind)
    except UsageError as exc:
        return exc.format()


def test_the_look_up_is_the_same_on_every_source(pushed: str, tmp_path: Path, cli) -> None:
    assert cli("load", "--store", "db").exit_code == 0
    sources = {
        "data folder": data_source(Path("data"), tmp_path / "cache"),
        "rdflib": data_source(Path("data"), tmp_path / "cache", engine="rdflib"),
        "store folder": StoreSource(Path("db")),
        "endpoint": remote_source(pushed),
    }
    for name, source in sources.items():
        assert [looked_up(source, text, kind) for text, kind, _ in LOOKED_UP] == \
            [expected for _, _, expected in LOOKED_UP], name


def remote_source(url: str):
    from edugraph.query.endpoint import EndpointSource

    return EndpointSource(url)


# ---------------------------------------------------------------------------------------------
# The id parameters of stored queries

PARAMETERS = [
    ("person=zhang-minxuann", "no person has the id 'zhang-minxuann'; did you mean 'zhang-minxuan'?"),
    ("person=shanghai", "'shanghai' is a place, not a person"),
    ("person=Zhang Minxuan", "'Zhang Minxuan' is the name of person 'zhang-minxuan'; use its id"),
    ("person=UNESCO TEC", "'UNESCO TEC' is an alias of organisation 'unesco-tec', not a person"),
]


@pytest.mark.parametrize(("pair", "message"), PARAMETERS)
def test_an_id_parameter_names_a_record_of_its_kind(policy_project: Path, cli, pair: str,
                                                     message: str) -> None:
    expected = (2, "", f"error: parameter 'person' of query 'positions': {message}\n")
    assert run(cli, "query", "positions", "-p", pair) == expected
    assert run(cli, "query", "positions", "-p", pair, "--engine", "rdflib") == expected


def test_the_parameter_check_runs_on_stores_and_endpoints(pushed: str, cli) -> None:
    assert cli("load", "--store", "db").exit_code == 0
    for where in (["--store", "db"], ["--endpoint", pushed]):
        for pair, message in PARAMETERS:
            assert run(cli, "query", "positions", "-p", pair, *where) == (
                2, "", f"error: parameter 'person' of query 'positions': {message}\n"), (where, pair)
        good = run(cli, "query", "positions", "-p", "person=zhang-minxuan", "--format", "csv", *where)
        assert good == (0, "person,title,org,parent,start,end,status\n"
                        f"{ZHANG},Director,{ID}organisation/unesco-tec,,,,current\n", ""), where


def test_other_mistakes_come_first_and_good_ids_pass(policy_project: Path, cli) -> None:
    assert run(cli, "query", "positions", "-p", "person=Zhang Minxuan", "-p", "person=x") == (
        2, "", "error: parameter 'person' takes one value, got 2; give -p person=... once\n")
    assert run(cli, "query", "positions", "-p", "persn=Zhang Minxuan")[2] == (
        "error: query 'positions' has no parameter 'persn'; did you mean 'person'?\n")
    listed = run(cli, "query", "event-participants", "-p", "event=category-ii-centres-meeting-8",
                 "-p", "role=host", "--format", "csv")
    assert listed[0] == 0 and listed[1].startswith("event,role,agent,note,source\n")
    assert run(cli, "query", "source-contributions", "-p", "source=src-02") == (
        2, "", "error: parameter 'source' of query 'source-contributions': no source has the id "
        "'src-02'; did you mean 'src-002'?\n")


# ---------------------------------------------------------------------------------------------
# Ad-hoc SPARQL: predefined prefixes, one-line errors

POSITIONS = "SELECT ?x WHERE { ?x a eg:Position ; org:member person:zhang-minxuan } ORDER BY ?x"
ZHANG_POSITION = f"x\n{ID}position/zhang-minxuan--unesco-tec--1\n"  # CSV's CRLF, as read back


def test_the_prefixes_are_predefined_on_every_engine(pushed: str, cli) -> None:
    for where in ([], ["--engine", "rdflib"], ["--endpoint", pushed]):
        assert run(cli, "sparql", POSITIONS, "--format", "csv", *where) == (0, ZHANG_POSITION, ""), where


def test_a_query_file_needs_no_prefix_lines(policy_project: Path, cli) -> None:
    Path("mine.rq").write_text(f"# title: Mine\n{POSITIONS}\n", encoding="utf-8")
    assert run(cli, "query", "mine.rq", "--format", "csv") == (0, ZHANG_POSITION, "")


def test_a_querys_own_prefix_wins(policy_project: Path, cli) -> None:
    own = "PREFIX eg: <http://example.org/nothing#> " + POSITIONS
    for engine in ("oxigraph", "rdflib"):
        assert run(cli, "sparql", own, "--format", "csv", "--engine", engine) == (0, "x\n", "")


def test_needed_prefixes_and_their_declaration() -> None:
    text = "PREFIX eg: <http://x/> SELECT * WHERE { ?s eg:p [ schema:name _:b ] ; void:x ?o . }"
    assert needed_prefixes(text) == {"schema": "https://schema.org/", "void": "http://rdfs.org/ns/void#"}
    assert with_prefixes("SELECT", {"void": "http://rdfs.org/ns/void#"}) == \
        "PREFIX void: <http://rdfs.org/ns/void#> SELECT"
    # a prefixed name and an IRI written together are no keywords: eg:<...SERVICE...> is an IRI
    assert [t for t, _ in tokens("PREFIX eg:<http://a.org/SERVICE> SELECT")] == ["PREFIX", "SELECT"]


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT ?x WHERE { ?x a egg:Position }", "error: unknown prefix 'egg:' at 1:24; did you mean 'eg:'?"),
    ("SELECT ?x WHERE {\n  ?x a EG:Position }", "error: unknown prefix 'EG:' at 2:8; did you mean 'eg:'?"),
    ("SELECT ?x WHERE { ?x a foaf:Person }",
     "error: unknown prefix 'foaf:' at 1:24; declare it: PREFIX foaf: <IRI>"),
    ("SELECT ?x WHERE { ?x a :Person }", "error: unknown prefix ':' at 1:24; declare it: PREFIX : <IRI>"),
    ("SELECT ?x WHERE { ?x ?p ?o } LIMT 3", "error: the SPARQL query is not valid at 1:30, near 'LIMT'"),
    ("SELECT ?x WHERE {\n  ?x ?p ?o\n  FILTR(?x) }",
     "error: the SPARQL query is not valid at 3:3, near 'FILTR'"),
    ("SELECT ?x WHERE { ?x ?p ?o ", "error: the SPARQL query is not valid: it ends at 1:28 before it is "
     "complete"),
    ("SERVICE <http://x> { ?s ?p ?o }", "error: the query uses SERVICE: SERVICE calls another endpoint "
     "over the network; edugraph runs read-only queries on its own graph; use --endpoint for a remote store"),
])
def test_mistakes_in_sparql_are_one_line(policy_project: Path, cli, text: str, message: str) -> None:
    for engine in ("oxigraph", "rdflib"):
        assert run(cli, "sparql", text, "--engine", engine) == (2, "", message + "\n"), engine


def test_the_engines_own_reason_when_the_syntax_is_right(policy_project: Path, cli) -> None:
    # Oxigraph refuses what rdflib's parser reads: its reason, without its lists of characters
    assert run(cli, "sparql", "SELECT (COUNT(*) AS ?x) ?x WHERE { ?x ?p ?o }") == (
        2, "", "error: the SPARQL query is not valid at 1:46: the SELECT contains a variable that is "
        "unbound\n")


def test_an_endpoint_gets_the_declarations(pushed: str) -> None:
    result = remote.query(pushed, POSITIONS)
    assert result.values() == [(f"{ID}position/zhang-minxuan--unesco-tec--1",)]
    with pytest.raises(UsageError) as caught:
        remote.query(pushed, "SELECT * WHERE { ?s nope:p ?o }")
    assert caught.value.format() == "unknown prefix 'nope:' at 1:21; declare it: PREFIX nope: <IRI>"


# ---------------------------------------------------------------------------------------------
# show: where the record is

UNESCO_TEC = """\
UNESCO Teacher Education Centre  (organisation unesco-tec)
  in data/organisations.yaml:43
  also: Teacher Education Centre under the auspices of UNESCO; UNESCO TEC; UNESCO-TEC
  type: UNESCO Category II centre
  description: Centre for teacher education under the auspices of UNESCO; co-host of a training \
programme for Kazakh educators in 2025 and host of the 8th meeting of UNESCO Category II centres in \
2024, both in Shanghai.
relationships:
  participation: 8th Meeting of UNESCO Category II Centres in Education (category-ii-centres-meeting-8): \
role=host  [src-004]
  participation: UNESCO Teacher Education Centre (UNESCO TEC) – Nazarbayev University Regional \
Educational Leaders Training Program (tec-nu-leaders-training-program-2025): role=host  [src-000]
  position: Guo Jing (guo-jing): title=Deputy Director (on secondment)  [src-000]
  position: Hu Guoyong (hu-guoyong): title=Deputy Director  [src-000]
  position: Zhang Minxuan (zhang-minxuan): title=Director  [src-000, src-004]
referenced by:
  publisher: UNESCO TEC report on the opening of the Regional Educational Leaders Training Program (src-000)
sources: src-000, src-004
"""


def test_show_says_where_the_record_is_in_the_data_folder_only(policy_project: Path, cli) -> None:
    assert run(cli, "show", "unesco-tec") == (0, UNESCO_TEC, "")
    assert cli("load", "--store", "db").exit_code == 0
    from_store = UNESCO_TEC.replace("  in data/organisations.yaml:43\n", "")
    assert run(cli, "show", "unesco-tec", "--store", "db") == (0, from_store, "")


def test_show_gives_a_sources_fields_and_what_cites_it(provenance_project: Path, cli) -> None:
    code, out, err = run(cli, "show", "src-a")
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "Harbour University hosts the Harbour Forum  (source src-a)",
        "  in data/sources.yaml:4",
        "  title: Harbour University hosts the Harbour Forum",
        "  file: a_harbour_forum.txt",
    ]
    assert "  sources: Harbour City (harbour-city)" in out.splitlines()
    assert out.endswith("sources: (a source document)\n")
