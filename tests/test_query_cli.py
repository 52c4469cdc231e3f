"""The query commands in-process: every output format read back by a reader of that format,
ASK/CONSTRUCT behaviour, parameter errors, show, search and the integrity checks."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from .conftest import QUERIES, data_source

ZHANG = "https://w3id.org/edugraph/id/person/zhang-minxuan"
TEC = "https://w3id.org/edugraph/id/organisation/unesco-tec"


def test_csv_is_w3c_and_reads_back(policy_project: Path, cli) -> None:
    result = cli("query", "positions", "-p", "person=zhang-minxuan", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.endswith(b"\r\n")  # CliRunner's .stdout folds line ends
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    assert rows[0][:3] == ["person", "title", "org"]
    assert [r[:3] for r in rows[1:]] == [[ZHANG, "Director", TEC]]


def test_tsv_is_w3c(policy_project: Path, cli) -> None:
    result = cli("query", "positions", "-p", "person=zhang-minxuan", "--format", "tsv")
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["?person", "?title", "?org"]
    assert lines[1].split("\t")[:3] == [f"<{ZHANG}>", '"Director"', f"<{TEC}>"]


def test_json_is_w3c_and_reads_back(policy_project: Path, cli) -> None:
    result = cli("query", "positions", "-p", "person=zhang-minxuan", "--format", "json")
    document = json.loads(result.stdout)
    assert document["head"]["vars"][:3] == ["person", "title", "org"]
    [binding] = document["results"]["bindings"]
    assert binding["person"] == {"type": "uri", "value": ZHANG}
    assert binding["title"] == {"type": "literal", "value": "Director"}
    # pyoxigraph's own reader of the format agrees
    parsed = list(ox.parse_query_results(result.stdout.encode(), format=ox.QueryResultsFormat.JSON))
    assert parsed[0]["org"] == ox.NamedNode(TEC)


def test_table_and_markdown_show_labels(policy_project: Path, cli) -> None:
    md = cli("query", "positions", "-p", "person=ning-bo", "--format", "md")
    assert md.stdout.splitlines()[2].startswith(
        "| Ning Bo | Vice Dean | College of Education at Shanghai Normal University | Shanghai Normal University |")
    table = cli("query", "positions", "-p", "person=ning-bo")
    assert "│ Ning Bo " in table.stdout and "https://" not in table.stdout


def test_ask_prints_true_or_false_and_sets_the_exit_code(policy_project: Path, cli) -> None:
    yes = cli("sparql", f"ASK {{ <{ZHANG}> ?p ?o }}")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = cli("sparql", "ASK { <https://example.org/nobody> ?p ?o }")
    assert (no.exit_code, no.stdout) == (1, "false\n")
    as_json = cli("sparql", "ASK { ?s ?p ?o }", "--format", "json")
    assert json.loads(as_json.stdout) == {"head": {}, "boolean": True}


def test_construct_prints_turtle(policy_project: Path, cli) -> None:
    result = cli("sparql", f"CONSTRUCT {{ ?s <https://schema.org/name> ?n }} WHERE {{ VALUES ?s {{ <{ZHANG}> }} "
                           "?s <https://schema.org/name> ?n }")
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert set(graph) == {(rdflib.URIRef(ZHANG), rdflib.URIRef("https://schema.org/name"),
                           rdflib.Literal("Zhang Minxuan"))}


def test_ad_hoc_query_file(policy_project: Path, cli) -> None:
    Path("mine.rq").write_text("# title: Mine\nSELECT ?n WHERE { ?s <https://schema.org/name> ?n } "
                               "ORDER BY ?n LIMIT 1\n", encoding="utf-8")
    result = cli("query", "mine.rq", "--format", "csv")
    assert result.stdout_bytes == b"n\r\n8th Meeting of UNESCO Category II Centres in Education\r\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "positons"], "error: unknown query 'positons'; did you mean 'positions'?"),
        (["query", "positions", "-p", "persn=x"],
         "error: query 'positions' has no parameter 'persn'; did you mean 'person'?"),
        (["query", "positions", "-p", "person=Zhang Minxuan"],
         "error: parameter 'person' of query 'positions': 'Zhang Minxuan' is the name of person "
         "'zhang-minxuan'; use its id"),
        (["query", "positions", "-p", "person"],
         "error: parameter 'person' is not KEY=VALUE; write -p org=unesco-tec"),
        (["query", "positions", "-p", "person=a", "-p", "person=b"],
         "error: parameter 'person' takes one value, got 2; give -p person=... once"),
        (["sparql", "DELETE WHERE { ?s ?p ?o }"],
         "error: the query uses DELETE: updates (DELETE) are not run; edugraph runs read-only "
         "queries on its own graph; use --endpoint for a remote store"),
        (["sparql", "PREFIX x: <http://x/> x:y"],
         "error: not a SPARQL query: it must be a SELECT, ASK, CONSTRUCT or DESCRIBE query"),
    ],
)
def test_query_errors(policy_project: Path, cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""


def test_syntax_error_in_sparql_is_a_clear_error(policy_project: Path, cli) -> None:
    result = cli("sparql", "SELECT ?x WHERE { ?x ")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: the SPARQL query is not valid at 1:19, near '?x'\n"


def test_the_injection_string_is_just_a_string(policy_project: Path, cli) -> None:
    Path("by-name.rq").write_text(
        "# title: By name\n#+ param name: string -- a name\n"
        "SELECT ?s WHERE { ?s <https://schema.org/name> ?name }\n", encoding="utf-8")
    result = cli("query", "by-name.rq", "-p", 'name=x" } ; DROP ALL ; #', "--format", "csv")
    assert (result.exit_code, result.stdout_bytes) == (0, b"s\r\n")
    ok = cli("query", "by-name.rq", "-p", "name=Zhang Minxuan", "--format", "csv")
    assert ok.stdout_bytes == f"s\r\n{ZHANG}\r\n".encode()


def test_queries_lists_and_shows(policy_project: Path, cli) -> None:
    listing = cli("queries")
    assert listing.exit_code == 0
    assert "positions" in listing.stdout and "person: id:person?" in listing.stdout
    one = cli("queries", "positions")
    assert one.exit_code == 0
    assert one.stdout.splitlines()[0] == "positions: Positions people hold, and where"
    # the project's queries/ (a copy of the built-in ones) replaces the built-in queries
    assert one.stdout.splitlines()[1] == "origin: queries/positions.rq"
    assert "example: edugraph query positions -p person=zhang-minxuan" in one.stdout


def listed(stdout: str) -> dict[str, str]:
    """``{name: origin}`` of the table ``edugraph queries`` prints."""
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in stdout.splitlines() if line.startswith("│")]
    return {row[0]: row[-1] for row in rows}


BUILT_IN = sorted(p.stem for p in QUERIES.glob("*.rq"))


def test_the_built_in_queries_need_no_queries_folder(small_data: Path, cli) -> None:
    assert not Path("queries").exists()
    listing = cli("queries")
    assert listing.exit_code == 0, listing.output
    assert listed(listing.stdout) == dict.fromkeys(BUILT_IN, "built-in")
    assert cli("queries", "positions").stdout.splitlines()[1] == "origin: built-in"
    result = cli("query", "positions", "-p", "person=ada-lovelace", "--format", "csv")
    assert result.exit_code == 0, result.output
    check = cli("check")
    assert check.exit_code == 0, check.output
    assert [line.split(":")[0] for line in check.stdout.splitlines()] == [
        f"ok      {name}" for name in BUILT_IN if name.startswith("check-")]


def test_in_the_repository_its_queries_are_listed_once_as_built_in(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(QUERIES.parent)
    assert listed(cli("queries").stdout) == dict.fromkeys(BUILT_IN, "built-in")


PROJECT_CHECK = """\
# title: Every person has a website
# description: A project's own rule.
#+ example:
SELECT ?node ?problem WHERE {
  ?node a <https://w3id.org/edugraph/ontology#Person> .
  FILTER NOT EXISTS { ?node <https://schema.org/url> ?url }
  BIND ("no website" AS ?problem)
} ORDER BY ?node
"""


def test_a_project_query_replaces_the_built_in_one_and_adds_its_own(small_data: Path, cli) -> None:
    Path("queries").mkdir()
    Path("queries/positions.rq").write_text(
        "# title: Our positions\n# description: Ours.\n#+ example:\n"
        "SELECT ?n WHERE { ?p <https://schema.org/name> ?n } ORDER BY ?n LIMIT 1\n", encoding="utf-8")
    Path("queries/check-website.rq").write_text(PROJECT_CHECK, encoding="utf-8")
    Path("extra").mkdir()
    Path("extra/mine.rq").write_text("# title: Mine\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1\n",
                                     encoding="utf-8")
    origins = listed(cli("queries").stdout)
    assert origins == {**dict.fromkeys(BUILT_IN, "built-in"), "positions": "queries/positions.rq",
                       "check-website": "queries/check-website.rq"}
    one = cli("queries", "positions")
    assert one.stdout.splitlines()[:2] == ["positions: Our positions", "origin: queries/positions.rq"]
    assert cli("query", "positions", "--format", "csv").stdout_bytes == b"n\r\nAcme University\r\n"
    # the project's check runs with the built-in ones
    check = cli("check")
    assert check.exit_code == 1
    assert "FAILED  check-website: Every person has a website (" in check.stdout
    assert "ok      check-dangling-reference: " in check.stdout
    # --queries DIR adds that folder to the built-in queries, in place of ./queries
    given = listed(cli("queries", "--queries", "extra").stdout)
    assert given == {**dict.fromkeys(BUILT_IN, "built-in"), "mine": "extra/mine.rq"}
    both = listed(cli("queries", "--queries", "queries", "--queries", "extra").stdout)
    assert both == {**origins, "mine": "extra/mine.rq"}
    assert cli("query", "mine", "--queries", "extra", "--format", "csv").exit_code == 0
    assert cli("query", "mine").stderr.startswith("error: unknown query 'mine'")


def test_a_missing_queries_folder_is_a_usage_error(small_data: Path, cli) -> None:
    message = "error: queries directory 'nope' does not exist; pass --queries DIR with the folder of *.rq files\n"
    for args in (["queries"], ["query", "positions"], ["check"], ["docs", "-o", "site"]):
        result = cli(*args, "--queries", "nope")
        assert (result.exit_code, result.stderr) == (2, message), args


def test_show_is_an_entity_card(policy_project: Path, cli) -> None:
    result = cli("show", "zhang-minxuan")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Zhang Minxuan  (person zhang-minxuan)",
        "  in data/people.yaml:3",
        "  honorifics: Prof.; Professor",
        "relationships:",
        "  participation: 8th Meeting of UNESCO Category II Centres in Education "
        "(category-ii-centres-meeting-8): role=speaker, note=Delivered opening remarks.  [src-004]",
        "  participation: Opening ceremony of the Regional Educational Leaders Training Program "
        "(tec-nu-leaders-training-program-2025-opening-ceremony): role=attendee  [src-000]",
        "  participation: Opening ceremony of the Regional Educational Leaders Training Program "
        "(tec-nu-leaders-training-program-2025-opening-ceremony): role=speaker  [src-000]",
        "  participation: Studying Global Trends to Support Educational Development "
        "(zhang-minxuan-keynote-global-trends-2025): role=keynote speaker  [src-000]",
        "  position: UNESCO Teacher Education Centre (unesco-tec): title=Director  [src-000, src-004]",
        "sources: src-000, src-004",
    ]


def test_show_unknown_id_suggests(policy_project: Path, cli) -> None:
    result = cli("show", "zhang-minxuen")
    assert result.exit_code == 2
    assert result.stderr == "error: no record has the id 'zhang-minxuen'; did you mean 'zhang-minxuan'?\n"


def test_search_is_case_accent_and_punctuation_insensitive(policy_project: Path, cli) -> None:
    for text in ("unesco-tec", "UNESCO TEC", "Unésco Tec"):
        result = cli("search", text, "-n", "1")
        assert result.exit_code == 0
        assert "│ unesco-tec " in result.stdout, text
    none = cli("search", "qwertyuiop")
    assert (none.exit_code, none.stderr) == (1, "nothing matches 'qwertyuiop'.\n")


def test_search_ranks_exact_names_first(policy_project: Path) -> None:
    from edugraph.explore.search import search
    
    hits = search(data_source(Path("data")).store(), "world bank")
    assert hits[0].iri.endswith("/organisation/world-bank")
    assert hits[0].score == 100


def test_check_passes_on_the_policy_dataset(policy_project: Path, cli) -> None:
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert all(line.startswith("ok      check-") for line in result.stdout.splitlines())


def test_check_fails_with_the_offending_rows(policy_project: Path, cli) -> None:
    Path("data/broken.yaml").write_text(
        "events:\n  - id: undated\n    name: Undated\n    sources: [src-000]\n", encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert any(line.startswith("FAILED  check-event-without-date") for line in result.stdout.splitlines())
    assert "Undated" in result.stdout
    assert result.stderr == "1 integrity check failed.\n"


def test_cache_is_rebuilt_only_when_data_changes(policy_project: Path) -> None:
    
    def stores() -> list[Path]:
        return sorted(p for p in Path(".edugraph-cache/stores").glob("*/*") if not p.name.startswith("."))

    data_source(Path("data")).store()
    first = stores()
    assert len(first) == 1
    data_source(Path("data")).store()
    assert stores() == first
    with Path("data/people.yaml").open("a", encoding="utf-8") as f:
        f.write("\n  - id: new-person\n    name: New Person\n    sources: [src-000]\n")
    store = data_source(Path("data")).store()
    assert len(stores()) == 1 and stores() != first  # the old store is pruned
    assert ox.NamedNode("https://w3id.org/edugraph/id/person/new-person") in {
        q.subject for q in store.quads_for_pattern(None, None, None)}


def test_two_data_folders_share_a_cache_without_pruning_each_other(policy_project: Path, small_copy) -> None:
    
    data_source(Path("data")).store()
    data_source(small_copy).store()
    assert len([p for p in Path(".edugraph-cache/stores").glob("*/*") if not p.name.startswith(".")]) == 2


@pytest.fixture
def small_copy(policy_project: Path) -> Path:
    from .conftest import SMALL

    target = policy_project / "small"
    shutil.copytree(SMALL, target)
    return target


def test_rdflib_tables_show_the_labels_the_default_engine_shows(policy_project: Path, cli) -> None:
    from edugraph.query.stored import catalogue, example_params

    for query in catalogue():
        args = ["query", query.name, *(f"-p{k}={v}" for k, vs in example_params(query).items() for v in vs)]
        oxigraph, rdflib = cli(*args, "--format", "md"), cli(*args, "--format", "md", "--engine", "rdflib")
        assert (rdflib.exit_code, rdflib.stdout) == (oxigraph.exit_code, oxigraph.stdout), query.name
    table = cli("query", "positions", "-p", "person=ning-bo", "--engine", "rdflib")
    assert table.stdout.splitlines()[3] == (
        "│ Ning Bo │ Vice Dean │ College of Education at Shanghai Normal University │ Shanghai Normal University "
        "│       │     │ current │")
