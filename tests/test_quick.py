"""The quick path (edugraph.cli.quick) answers help, --version, query and sparql without loading
Typer, and says exactly what Typer says: the same bytes on stdout and stderr, the same exit code,
the same values handed to the command's work; anything it cannot vouch for goes to Typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from edugraph.cli import quick, quickdata, quicktable
from edugraph.cli.quicktable import QUICK, TARGET

TYPER_SEEN = "\n[typer loaded]\n"
# Run a command line the way the console script does (program name "edugraph"), through the quick
# path or straight through Typer; say at exit whether Typer was loaded.
RUNNER = ("import atexit, sys\n"
          "atexit.register(lambda: sys.stderr.write({seen!r} if 'typer' in sys.modules else ''))\n"
          "sys.argv = ['edugraph', *sys.argv[1:]]\n"
          "from edugraph.cli.{module} import main\nmain()\n")


def run(module: str, args: list[str], cwd: Path | None = None, columns: str = "100") -> tuple[str, str, int, bool]:
    env = {**os.environ, "COLUMNS": columns}
    done = subprocess.run([sys.executable, "-c", RUNNER.format(seen=TYPER_SEEN, module=module), *args],
                          capture_output=True, text=True, env=env, cwd=cwd)
    loaded = done.stderr.endswith(TYPER_SEEN)
    return done.stdout, done.stderr.removesuffix(TYPER_SEEN), done.returncode, loaded


def test_the_table_is_derived_from_the_app_as_it_is() -> None:
    printed = subprocess.run([sys.executable, "-m", "edugraph.cli.quicktable", "--print"], capture_output=True,
                             text=True, check=True).stdout
    assert printed == TARGET.read_text(encoding="utf-8"), (
        "src/edugraph/cli/quickdata.py is stale: run `python -m edugraph.cli.quicktable`")
    assert quick._table() is quickdata


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["query", "--help"], ["build", "--help"],
                                  ["sparql", "--help"], ["vocab", "--help"]], ids=" ".join)
def test_help_is_typer_s_own_without_typer(args: list[str]) -> None:
    *said, loaded = run("quick", args)
    assert said == list(run("main", args)[:3])
    assert not loaded


def test_every_command_s_help_is_in_the_table() -> None:
    import typer.main

    from edugraph.cli.main import app

    commands = typer.main.get_command(app).commands
    for program in quicktable.PROGRAMS:
        assert {argv[0] for argv in quickdata.HELP[program] if len(argv) == 2} == set(commands)


def test_a_narrow_terminal_gets_typer_s_help() -> None:
    *said, loaded = run("quick", ["query", "--help"], columns="60")
    assert said == list(run("main", ["query", "--help"], columns="60")[:3])
    assert loaded
    assert said[0].splitlines()[2] == "  Run a stored query (or a .rq file) with typed"


def test_python_m_edugraph_names_itself_in_help() -> None:
    done = subprocess.run([sys.executable, "-m", "edugraph", "query", "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "100"})
    assert done.stdout.splitlines()[0] == "Usage: python -m edugraph query [OPTIONS] {name}"
    assert done.stdout == quickdata.HELP["python -m edugraph"][("query", "--help")][0]


def test_a_stale_table_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quickdata, "DIGEST", quickdata.DIGEST ^ 1)
    assert quick._table() is None
    monkeypatch.setattr(quickdata, "DIGEST", quickdata.DIGEST ^ 1)
    monkeypatch.setattr(quickdata, "FORMAT", 0)
    assert quick._table() is None


# --- the quick commands' values are Typer's --------------------------------------------------------

PARSED = [
    ["positions"],
    ["positions", "-p", "person=a", "-p", "b=1", "--format", "csv"],
    ["--format", "tsv", "positions", "--param=person=a"],
    ["x", "--format=json", "--timeout", "5", "--max-memory", "100"],
    ["x", "--timeout", "+2.5", "--max-memory", "+30"],
    ["x", "--timeout", ".5", "--timeout", "7"],
    ["x", "--data", "d", "--queries", "q1", "--queries", "q2/q", "--cache", "c", "--store", "s"],
    ["x", "--endpoint", "http://127.0.0.1:9/sparql", "--graph", "urn:g", "--engine", "rdflib"],
    ["x", "-f", "md", "-p", "k=v w"],
    ["--", "-x"],
    ["-", "--"],
]
TYPER_ONLY = [
    [],
    ["x", "y"],
    ["x", "--format", "CSV"],
    ["x", "--timeout", "1e3"],
    ["x", "--timeout", " 2 "],
    ["x", "--timeout", "1_0"],
    ["x", "--max-memory", "0x10"],
    ["x", "--max-memory", "٣"],
    ["x", "-p"],
    ["x", "-p", "--format"],
    ["x", "-pk=v"],
    ["x", "--bogus"],
    ["x", "--help"],
    ["x", "--data", "a//b"],
    ["x", "--queries", "q/"],
    ["x", "--max-memory", "-3"],
    ["x", "--data", ""],
    ["x", "--format", "csv", "--", "y"],
]


def typer_values(monkeypatch: pytest.MonkeyPatch, command: str, args: list[str]) -> dict[str, object] | None:
    """What the Typer command hands to its work for ``args``; None when Typer refuses them."""
    from typer.testing import CliRunner

    from edugraph.cli import queries
    from edugraph.cli.main import app

    seen: list[dict[str, object]] = []
    monkeypatch.setattr(queries, QUICK[command], lambda **values: seen.append(values) or 0)
    result = CliRunner().invoke(app, [command, *args], catch_exceptions=False)
    return seen[0] if seen and result.exit_code == 0 else None


@pytest.mark.parametrize("args", PARSED, ids=" ".join)
def test_query_values_are_typer_s(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    values = quick.parse(quickdata.QUICK["query"], args)
    assert values is not None
    assert values == typer_values(monkeypatch, "query", args)


@pytest.mark.parametrize("args", TYPER_ONLY, ids=lambda args: " ".join(args) or "nothing")
def test_what_the_quick_path_cannot_vouch_for_goes_to_typer(args: list[str]) -> None:
    assert quick.parse(quickdata.QUICK["query"], args) is None


def test_sparql_values_are_typer_s(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["SELECT * WHERE { ?s ?p ?o }", "-f", "csv", "--store", "st", "--timeout", "9"]
    values = quick.parse(quickdata.QUICK["sparql"], args)
    assert values == typer_values(monkeypatch, "sparql", args)
    assert values == {"text": "SELECT * WHERE { ?s ?p ?o }", "format": "csv", "data": None, "engine": "oxigraph",
                      "cache": None, "timeout": 9.0, "max_memory": 2048, "store": Path("st"), "endpoint": None,
                      "graph": None}


# --- the quick commands end as Typer's do -----------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["query", "positions", "-p", "person=zhang-minxuan", "--format", "csv"],
    ["query", "positions", "-p", "person=nobody-at-all", "--format", "csv"],
    ["query", "no-such-query"],
    ["query", "positions", "-p", "person=zhang-minxuan", "--timeout", "0"],
    ["sparql", "ASK { ?s ?p ?o }"],
    ["sparql", "ASK { ?s <urn:none> ?o }", "--format", "csv"],
    ["sparql", "SELECT ?x WHERE {", "--format", "csv"],
    ["query", "positions", "--format", "CSV"],
], ids=" ".join)
def test_quick_commands_say_what_typer_says(policy_project: Path, args: list[str]) -> None:
    typer_said = run("main", args, cwd=policy_project)  # first: it builds the query store
    *said, loaded = run("quick", args, cwd=policy_project)
    assert said == list(typer_said[:3])
    assert loaded == (args[-1] == "CSV")


def test_a_quick_query_answers_in_rows(policy_project: Path) -> None:
    run("main", ["query", "positions", "-p", "person=zhang-minxuan"], cwd=policy_project)
    out, errors, code, loaded = run("quick", ["query", "positions", "-p", "person=zhang-minxuan", "--format", "csv"],
                                    cwd=policy_project)
    assert (errors, code, loaded) == ("", 0, False)
    assert out.splitlines()[0] == "person,title,org,parent,start,end,status"
