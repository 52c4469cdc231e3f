"""``edugraph queries`` checks every stored query's header (edugraph.query.audit, which the tests of
the built-in queries use too): a description, parameters described and used, an example that binds
and runs on the project's data; the problems after the table, exit 1. And every command that reads
the data takes --data and --cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from edugraph.cli.main import app
from edugraph.query import audit
from edugraph.query.stored import parse_text

from .conftest import data_source

GOOD = """\
# title: Good
# description: People by name.
#+ param name: string? -- only this name
#+ example: -p name=Ada
SELECT ?person WHERE { ?person <https://schema.org/name> ?name } ORDER BY ?person
"""


def query(text: str, name: str = "mine"):
    return parse_text(text, Path(f"queries/{name}.rq"))


def test_variables_are_read_outside_strings_iris_and_comments() -> None:
    text = ('PREFIX eg: <https://example.org/x?y>\n# ?commented\nSELECT ?a $b WHERE { ?a ?p "?not" . '
            "?a ?q '''?nor\\n''' } # ?after")
    assert audit.variables(text) == {"a", "b", "p", "q"}


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD, []),
    ("# title: Bare\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n",
     ["no description (add '# description: ...' under the title)"]),
    ("# title: T\n# description: D.\n#+ param org: id:organisation\n#+ param kind: string? -- unused\n"
     "#+ example: -p org=acme\nSELECT ?s WHERE { ?s ?p ?org } ORDER BY ?s\n", [
        "parameter 'org' says nothing about itself (add '-- what it is' to its '#+ param' line)",
        "parameter 'kind' is not used in the query (no ?kind)"]),
    # in a comment or a string, a parameter's name is not its use
    ("# title: T\n# description: D.\n#+ param org: id:organisation -- o\n#+ example: -p org=acme\n"
     "SELECT ?s WHERE { ?s ?p \"?org\" } # ?org\n",
     ["parameter 'org' is not used in the query (no ?org)"]),
    ("# title: T\n# description: D.\n#+ param org: id:organisation -- o\n#+ example:\n"
     "SELECT ?s WHERE { ?s ?p ?org }\n",
     ["the example does not bind: query 'mine' needs parameter 'org' (id:organisation); add -p org=VALUE: o"]),
    ("# title: T\n# description: D.\n#+ param org: id:organisation -- o\n#+ example: --org acme\n"
     "SELECT ?s WHERE { ?s ?p ?org }\n",
     ["the example does not bind: the example has '--org' where '-p KEY=VALUE' belongs; "
      "write '#+ example: -p key=value -p key=value'"]),
    ("# title: T\n# description: D.\n#+ param year: year -- y\n#+ example: -p year=soon\n"
     "SELECT ?s WHERE { ?s ?p ?year }\n",
     ["the example does not bind: parameter 'year' of query 'mine' must be a year (four digits), not 'soon'"]),
])
def test_the_problems_of_a_header(text: str, expected: list[str]) -> None:
    assert audit.problems(query(text)) == expected


def test_the_example_runs_on_the_data(small_data: Path) -> None:
    source = data_source(small_data)
    assert audit.problems(query(GOOD), source) == []
    broken = query("# title: T\n# description: D.\n#+ example:\nSELECT ?s WHERE { ?s ?p \n")
    assert audit.problems(broken) == []  # without a graph, the example is not run
    [problem] = audit.problems(broken, source)
    assert problem == "the example does not run: the SPARQL query is not valid at 4:19, near '?s'"
    refused = query("# title: T\n# description: D.\n#+ example:\nSELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } }\n")
    assert audit.problems(refused, source) == [
        "the example does not run: the query uses SERVICE: SERVICE calls another endpoint over the network; "
        "edugraph runs read-only queries on its own graph; use --endpoint for a remote store"]
    assert audit.audit([query(GOOD, "good"), broken], source) == {"mine": [problem]}


def table_names(stdout: str) -> list[str]:
    return [line.split("│")[1].strip() for line in stdout.splitlines() if line.startswith("│")]


def test_queries_says_what_is_missing_and_exits_1(small_data: Path, cli) -> None:
    ok = cli("queries")
    assert (ok.exit_code, ok.stderr) == (0, "")
    Path("queries").mkdir()
    Path("queries/good.rq").write_text(GOOD, encoding="utf-8")
    Path("queries/mine.rq").write_text(
        "# title: Mine\n#+ param org: id:organisation -- o\n#+ example: -p org=acme-university\n"
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", encoding="utf-8")
    Path("queries/broken.rq").write_text("# title: Broken\n# description: B.\n#+ example:\nASK { ?s\n",
                                         encoding="utf-8")
    result = cli("queries")
    assert result.exit_code == 1
    assert {"good", "mine", "broken", "positions"} <= set(table_names(result.stdout))
    after = [line for line in result.stdout.splitlines() if line[:1] not in "┏┃┡│└"]
    assert after[0] == "problem: broken: the example does not run: the SPARQL query is not valid at 4:7, near '?s'"
    assert after[1:] == [
        "problem: mine: no description (add '# description: ...' under the title)",
        "problem: mine: parameter 'org' is not used in the query (no ?org)",
    ]
    assert result.stderr == "2 stored queries have problems.\n"
    one = cli("queries", "mine")
    assert one.exit_code == 1
    assert one.stdout.splitlines()[-2:] == [
        "problem: mine: no description (add '# description: ...' under the title)",
        "problem: mine: parameter 'org' is not used in the query (no ?org)"]
    assert one.stderr == "1 stored query has problems.\n"
    good = cli("queries", "good")
    assert (good.exit_code, good.stdout.splitlines()[0], good.stderr) == (0, "good: Good", "")


def test_queries_without_data_checks_the_headers_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       cli) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("queries")
    assert result.exit_code == 0
    assert result.stderr == "the examples were not run: there is no data folder 'data' (give --data DIR)\n"
    assert "positions" in table_names(result.stdout)


def test_queries_reads_the_data_and_cache_it_is_given(small_data: Path, tmp_path: Path, cli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    cache = tmp_path / "my-cache"
    result = cli("queries", "--data", str(small_data), "--cache", str(cache))
    assert (result.exit_code, result.stderr) == (0, "")
    assert (cache / "stores").is_dir()


# Commands that read no data: init writes a project, vocab lists the vocabularies' terms, schema
# writes the record files' schema from the model and the vocabularies.
READS_NO_DATA = {"init", "vocab", "schema"}


def test_every_command_that_reads_data_takes_data_and_cache() -> None:
    commands = typer.main.get_command(app).commands
    options = {name: {opt for param in command.params for opt in param.opts} for name, command in commands.items()}
    assert {name for name, opts in options.items() if not {"--data", "--cache"} <= opts} == READS_NO_DATA
    assert all(not opts & {"--data", "--cache", "--store"} for name, opts in options.items() if name in READS_NO_DATA)
