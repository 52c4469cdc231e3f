"""Docs drift fails a test: the README covers every command, field and exit code, and its
examples give what it says they give on the policy dataset (the bundled records as the README was
written) and still run on the bundled data/, which curators add to."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import rdflib
import typer.core
import typer.main
from rdflib.compare import isomorphic

from edugraph import errors
from edugraph.build.pipeline import build
from edugraph.build.writers import PREFIXES
from edugraph.cli.main import app
from edugraph.model.kinds import KINDS, RELATIONS
from edugraph.vocab.terms import to_rdflib

from .conftest import BUNDLED, POLICY, ROOT, compile_whole

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict:
    return typer.main.get_command(app).commands  # type: ignore[attr-defined]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    assert commands()
    for name, command in commands().items():
        assert command.help and command.help.strip(), name
        assert f"`edugraph {name}" in README, name
        for param in command.params:
            if param.name != "help" and isinstance(param, typer.core.TyperOption):
                assert param.help, f"{name} {param.opts}"


def test_the_two_commands_are_in_the_readme() -> None:
    assert "pip install -e . && edugraph build" in README
    assert "pip install -e '.[test]' && pytest" in README


def test_every_exit_code_is_documented() -> None:
    codes = [value for name, value in vars(errors).items() if name.startswith("EXIT_")]
    assert len(codes) >= 5
    for code in codes:
        assert re.search(rf"^\| {code} \| \w", README, re.M), code


def test_every_section_and_field_is_documented() -> None:
    for spec in KINDS.values():
        assert f"`{spec.section}`" in README
        for field in spec.fields:
            assert f"`{field}`" in README, (spec.name, field)
    for spec in RELATIONS.values():
        for field in spec.fields:
            assert f"`{field}`" in README, (spec.name, field)


def readme_turtle_example() -> rdflib.Graph:
    snippet = README.split("```turtle\n", 1)[1].split("```", 1)[0]
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    return rdflib.Graph().parse(data=header + snippet, format="turtle")


def test_readme_turtle_example_is_what_the_records_give() -> None:
    """On the policy dataset (the bundled records as the README was written): exactly the triples
    the export holds about the example's subjects."""
    example = readme_turtle_example()
    graph = to_rdflib(compile_whole(POLICY).triples)
    described = rdflib.Graph()
    for subject in set(example.subjects()):
        for triple in graph.triples((subject, None, None)):
            described.add(triple)
    assert isomorphic(described, example)


def test_readme_turtle_example_is_in_the_bundled_export() -> None:
    """On data/, which curators add to: the example's triples are all still there (more may be)."""
    graph = to_rdflib(compile_whole(BUNDLED).triples)
    assert [t for t in readme_turtle_example() if t not in graph] == []


def run_readme_query_example(data: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    build(data, tmp_path / "dist")
    script = README.split("python - <<'EOF'\n", 1)[1].split("\nEOF\n", 1)[0]
    return subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True)


PROMISED = re.search(r"prints `([^`]+)`", README)


def test_readme_query_example_prints_what_it_says(tmp_path: Path) -> None:
    out = run_readme_query_example(POLICY, tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    assert PROMISED and out.stdout == PROMISED.group(1) + "\n"


def test_readme_query_example_runs_on_the_bundled_data(tmp_path: Path) -> None:
    out = run_readme_query_example(BUNDLED, tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    assert PROMISED and PROMISED.group(1) in out.stdout.splitlines()


def test_readme_says_where_the_stored_queries_come_from() -> None:
    section = " ".join(README.split("### Research queries\n", 1)[1].split("\n### ", 1)[0].split())
    for words in ("`edugraph/queries/`", "replaces it", "`--queries DIR` adds", "`built-in`",
                  "name no instance namespace"):
        assert words in section, words


def test_the_readme_lists_every_research_query() -> None:
    from edugraph.query.stored import catalogue

    section = README.split("The research queries (", 1)[1].split("\n\n", 2)[1]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M)
    assert sorted(listed) == sorted(q.name for q in catalogue() if not q.is_check)
