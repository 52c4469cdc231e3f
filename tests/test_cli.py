"""The CLI in-process: exit codes, exact messages on stderr, results on stdout, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from .conftest import ROOT

ORG = "organisations:\n  - id: o\n    name: O\n    sources: [doc-1]\n"


def test_build_writes_the_three_exports(small_data: Path, cli) -> None:
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "8 records, 72 triples",
        "wrote dist/edugraph.ttl",
        "wrote dist/edugraph.jsonld",
        "wrote dist/edugraph.nt",
        "wrote dist/void.ttl",
    ]
    assert result.stderr == ""
    for name in ("edugraph.ttl", "edugraph.jsonld", "edugraph.nt", "void.ttl"):
        assert (small_data.parent / "dist" / name).stat().st_size > 0


def test_build_quiet_prints_nothing(small_data: Path, cli) -> None:
    result = cli("build", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_build_to_another_folder(small_data: Path, cli, tmp_path: Path) -> None:
    result = cli("build", "--data", str(small_data), "--out", str(tmp_path / "elsewhere"))
    assert result.exit_code == 0
    assert (tmp_path / "elsewhere" / "edugraph.nt").is_file()


# One test per kind of bad input: exit 2, the file and line in the message, no traceback.
BAD_INPUTS = {
    "tab": ("x.yaml", "organisations:\n\t- id: o\n",
            "error: data/x.yaml:2: YAML syntax error: a tab character, where YAML allows only "
            "spaces; indent with spaces"),
    "unclosed-quote": ("x.yaml", 'organisations:\n  - id: o\n    name: "O\n',
                       "error: data/x.yaml:4: YAML syntax error: found unexpected end of stream "
                       "while scanning a quoted scalar started at line 3; close the quote"),
    "duplicate-key": ("x.yaml", "organisations:\n  - id: o\n    name: O\n    name: P\n    sources: [doc-1]\n",
                      "error: data/x.yaml:4: duplicate key 'name' (first at line 3); keep one of the two"),
    "unknown-field": ("x.yaml", ORG + "    websight: https://example.org\n",
                      "error: data/x.yaml:5: organisation 'o': unknown field 'websight'; "
                      "did you mean 'website'?"),
    "unknown-reference": ("x.yaml", ORG + "    part_of: unesco\n",
                          "error: data/x.yaml:5: organisation 'o', field 'part_of': unknown id "
                          "'unesco'; add an organisation record with this id, or fix the id"),
    "impossible-date": ("x.yaml", "events:\n  - id: e\n    name: E\n    start: 2025-02-30\n    sources: [doc-1]\n",
                        "error: data/x.yaml:4: event 'e', field 'start': '2025-02-30' is not a real "
                        "date (day is out of range for month); write YYYY, YYYY-MM, YYYY-MM-DD or "
                        "YYYY-MM-DDThh:mm+hh:mm"),
    "missing-sources": ("x.yaml", "organisations:\n  - id: o\n    name: O\n",
                        "error: data/x.yaml:2: organisation 'o': has no 'sources'; add 'sources: [source-id]'"),
    "not-a-mapping": ("x.yaml", "organisations:\n  - UNESCO\n",
                      "error: data/x.yaml:2: an organisation record must be a mapping of fields, found "
                      "the text 'UNESCO'; write it as 'field: value' lines, e.g. 'id: ...'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["build", "validate"])
def test_bad_input(write_yaml, cli, case: str, command: str) -> None:
    name, text, message = BAD_INPUTS[case]
    write_yaml(name, text)
    result = cli(command)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not Path("dist").exists()


def test_duplicate_id_in_two_files(write_yaml, cli) -> None:
    write_yaml("a.yaml", ORG)
    write_yaml("sub/b.yaml", "places:\n  - id: o\n    name: O\n    sources: [doc-1]\n")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: data/sub/b.yaml:2: place 'o', field 'id': id 'o' is already used by the "
        "organisation at data/a.yaml:2; give each record an id of its own, or merge the two records"
    ]


def test_all_errors_of_all_files_are_reported_together(write_yaml, cli) -> None:
    write_yaml("a.yaml", "organisations:\n  - id: o\n    name: O\n")
    write_yaml("b.yaml", "places:\n\t- x\n")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: data/a.yaml:2: organisation 'o': has no 'sources'; add 'sources: [source-id]'",
        "error: data/b.yaml:2: YAML syntax error: a tab character, where YAML allows only spaces; "
        "indent with spaces",
        "2 errors; nothing was written.",
    ]


def test_failed_build_keeps_the_previous_dist(small_data: Path, cli) -> None:
    assert cli("build").exit_code == 0
    before = {p.name: p.read_bytes() for p in Path("dist").iterdir()}
    (small_data / "broken.yaml").write_text("places: [\n", encoding="utf-8")
    assert cli("build").exit_code == 2
    assert {p.name: p.read_bytes() for p in Path("dist").iterdir()} == before


def test_missing_data_folder(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr == ("error: data directory 'data' does not exist; pass --data DIR with "
                             "the folder that holds the *.yaml records\n")


def test_nonconforming_data_exits_1_and_writes_nothing(write_yaml, cli) -> None:
    write_yaml("e.yaml", "events:\n  - id: x\n    name: X\n    sources: [doc-1]\n")
    result = cli("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/e.yaml:2: violation: event 'x' has no start date, and no note saying why (field 'start')",
        "the data does not conform; nothing was written.",
    ]
    assert not Path("dist").exists()


def test_validate_text_json_turtle(write_yaml, cli) -> None:
    write_yaml("e.yaml", "events:\n  - id: x\n    name: X\n    sources: [doc-1]\n")
    text = cli("validate")
    assert (text.exit_code, text.stdout) == (
        1, "data/e.yaml:2: violation: event 'x' has no start date, and no note saying why (field 'start')\n")
    as_json = cli("validate", "--format", "json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["results"][0]["line"] == 2
    as_turtle = cli("validate", "--format", "turtle")
    assert as_turtle.exit_code == 1
    report = rdflib.Graph().parse(data=as_turtle.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert set(report.objects(None, sh.conforms)) == {rdflib.Literal(False)}
    assert len(set(report.subjects(rdflib.RDF.type, sh.ValidationResult))) == 1


def test_validate_conforming(small_data: Path, cli) -> None:
    result = cli("validate")
    assert (result.exit_code, result.stdout) == (0, "conforms: no SHACL results\n")


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt", "nq", "trig", "xml"])
def test_export_to_stdout_and_file(small_data: Path, cli, fmt: str) -> None:
    to_stdout = cli("export", "--format", fmt)
    assert to_stdout.exit_code == 0
    assert cli("export", "--format", fmt, "-o", f"out.{fmt}").exit_code == 0
    assert Path(f"out.{fmt}").read_bytes() == to_stdout.stdout_bytes


def test_export_unknown_format_is_a_usage_error(small_data: Path, cli) -> None:
    result = cli("export", "--format", "csv")
    assert result.exit_code == 2
    assert "Invalid value for '--format' / '-f'" in result.stderr
    assert "'csv' is not one of 'ttl', 'jsonld', 'nt', 'nq', 'trig', 'xml'" in result.stderr


def test_help_does_not_load_rdflib_or_pyshacl() -> None:
    code = ("import sys; from edugraph.cli.main import app; "
            "from typer.testing import CliRunner; CliRunner().invoke(app, ['--help']); "
            "print(sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m(small_data: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "edugraph", "--version"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert out.stdout.startswith("edugraph ")


def test_people_at_a_terminal_get_a_table(small_data: Path, cli, monkeypatch) -> None:
    monkeypatch.setattr("edugraph.cli.output.is_terminal", lambda: True)
    result = cli("build")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "72 triples"
    assert any(re.fullmatch(r"│ organisation │\s+2 │", line) for line in lines), lines
    assert any(re.fullmatch(r"wrote dist/edugraph\.nt \([\d,]+ bytes\)", line) for line in lines)


def test_out_that_is_a_file(small_data: Path, cli) -> None:
    Path("dist").write_text("not a folder", encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr == ("error: 'dist' is a file, not a folder for the exports; pass --out DIR "
                             "with a folder (it is created if missing)\n")


def test_a_closed_pipe_is_not_an_internal_error(policy_project: Path) -> None:
    # The policy dataset's N-Triples are far larger than a pipe's buffer, so the write hits the pipe
    # after head has gone.
    shown = subprocess.run(f"{sys.executable} -m edugraph export --format nt | head -c 10",
                           shell=True, capture_output=True, text=True, cwd=policy_project)
    assert len(shown.stdout) == 10
    assert "internal error" not in shown.stderr and "Traceback" not in shown.stderr
