"""Docs drift fails a test: the README covers every command, field and exit code, and its
examples give what it says they give."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import rdflib
import typer.core
import typer.main
from rdflib.compare import to_isomorphic

from edugraph import errors
from edugraph.build.pipeline import build
from edugraph.build.writers import PREFIXES
from edugraph.cli.main import app
from edugraph.errors import EXIT_BUG
from edugraph.model.kinds import KINDS, RELATIONS
from edugraph.vocab.terms import to_rdflib

from .conftest import DATA, ROOT, compile_whole

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
    for code in (errors.EXIT_OK, errors.EXIT_NONCONFORMING, errors.EXIT_INPUT, EXIT_BUG):
        assert re.search(rf"^\| {code} \| \w", README, re.M), code


def test_every_section_and_field_is_documented() -> None:
    for spec in KINDS.values():
        assert f"`{spec.section}`" in README
        for field in spec.fields:
            assert f"`{field}`" in README, (spec.name, field)
    for spec in RELATIONS.values():
        for field in spec.fields:
            assert f"`{field}`" in README, (spec.name, field)


def test_readme_turtle_example_is_in_the_export() -> None:
    snippet = README.split("```turtle\n", 1)[1].split("```", 1)[0]
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    example = rdflib.Graph().parse(data=header + snippet, format="turtle")
    graph = to_rdflib(compile_whole(DATA).triples)
    subjects = set(example.subjects())
    described = rdflib.Graph()
    for triple in graph:
        if triple[0] in subjects:
            described.add(triple)
    assert to_isomorphic(described) == to_isomorphic(example)


def test_readme_query_example_prints_what_it_says(tmp_path: Path) -> None:
    build(DATA, tmp_path / "dist")
    script = README.split("python - <<'EOF'\n", 1)[1].split("\nEOF\n", 1)[0]
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    promised = re.search(r"prints `([^`]+)`", README)
    assert promised and out.stdout == promised.group(1) + "\n"
