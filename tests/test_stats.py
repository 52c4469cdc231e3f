"""Coverage statistics: records, relationships and triples per kind and per cited source, in every
format; ``--into`` rewriting a document's table between its markers; and the README's Coverage
table is the command's output on the bundled data (refreshed by the command the failure names)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from edugraph.errors import UsageError
from edugraph.explore.stats import replace_block

from .conftest import BUNDLED, PROVENANCE, ROOT, SMALL

README = ROOT / "README.md"
BEGIN, END = "<!-- stats:begin -->\n", "<!-- stats:end -->"

SMALL_ROWS = [
    ["organisation", "2", "2"],
    ["person", "1", "1"],
    ["event", "1", "1"],
    ["initiative", "1", "1"],
    ["place", "1", "1"],
    ["source", "1", "1"],
    ["topic", "1", "1"],
    ["total", "8", "8"],
    ["position", "1", "1"],
    ["participation", "1", "1"],
    ["involvement", "1", "1"],
    ["count", "1", "1"],
    ["tie", "0", "0"],
    ["triples", "72", "72"],
]


def test_markdown(cli) -> None:
    result = cli("stats", "--data", str(SMALL), "--format", "md")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "| kind | doc-1 | total |",
        "|---|---:|---:|",
        *(f"| {' | '.join(row)} |" for row in SMALL_ROWS),
    ]


def test_csv(cli) -> None:
    result = cli("stats", "--data", str(SMALL), "--format", "csv")
    assert result.exit_code == 0
    text = result.stdout_bytes.decode("utf-8")  # .stdout would turn CRLF into LF
    assert text.count("\r\n") == len(SMALL_ROWS) + 1  # RFC 4180 line ends
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["kind", "doc-1", "total"], *SMALL_ROWS]


def test_json(cli) -> None:
    result = cli("stats", "--data", str(SMALL), "--format", "json")
    assert result.exit_code == 0
    ones = {"doc-1": 1, "total": 1}
    assert json.loads(result.stdout) == {
        "sources": ["doc-1"],
        "records": {"organisation": {"doc-1": 2, "total": 2}, "person": ones, "event": ones,
                    "initiative": ones, "place": ones, "source": ones, "topic": ones},
        "total": {"doc-1": 8, "total": 8},
        "relationships": {"position": ones, "participation": ones, "involvement": ones,
                          "count": ones, "tie": {"doc-1": 0, "total": 0}},
        "triples": {"doc-1": 72, "total": 72},
    }


def test_table_is_the_default(cli) -> None:
    result = cli("stats", "--data", str(SMALL))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(re.fullmatch(r"│ organisation\s+│\s+2 │\s+2 │", line) for line in lines), lines
    assert any(re.fullmatch(r"│ triples\s+│\s+72 │\s+72 │", line) for line in lines), lines


def test_an_item_citing_two_sources_counts_under_each_but_once_in_the_total(write_yaml, cli) -> None:
    write_yaml("more.yaml",
               "sources:\n  - id: doc-2\n    name: Other\n    file: doc-2.txt\n"
               "organisations:\n  - id: o\n    name: O\n    sources: [doc-2, doc-1]\n"
               "    counts:\n      - of: staff\n        value: 3\n        sources: [doc-2]\n")
    result = cli("stats", "--format", "csv")
    assert result.exit_code == 0
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(result.stdout, newline=""))}
    assert rows["kind"] == ["doc-1", "doc-2", "total"]
    assert rows["organisation"] == ["1", "1", "1"]
    assert rows["source"] == ["1", "1", "2"]
    assert rows["total"] == ["2", "2", "3"]
    assert rows["count"] == ["0", "1", "1"]


def test_each_relationship_and_triple_counts_under_exactly_its_own_sources(cli, tmp_path: Path) -> None:
    """The provenance fixture: records citing src-a and src-b, relationships and values naming the
    one that states them. A triple counts under the sources its named graphs put it in."""
    result = cli("stats", "--data", str(PROVENANCE), "--format", "csv", "--cache", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout, newline=""))) == [
        ["kind", "src-a", "src-b", "total"],
        ["organisation", "2", "2", "3"],  # the university cites both, its faculty a, the alliance b
        ["person", "2", "1", "2"],
        ["event", "1", "1", "1"],
        ["initiative", "0", "1", "1"],
        ["place", "1", "1", "1"],
        ["source", "1", "1", "2"],
        ["topic", "1", "0", "1"],
        ["total", "8", "7", "11"],
        ["position", "1", "3", "3"],  # the deanship both, the former and the ended post b
        ["participation", "3", "1", "3"],  # the host both, the speaker and the attendee a
        ["involvement", "0", "1", "1"],
        ["count", "1", "2", "3"],
        ["tie", "0", "1", "1"],
        ["triples", "93", "102", "163"],
    ]


def test_bad_input_exits_2(write_yaml, cli) -> None:
    write_yaml("x.yaml", "organisations:\n  - id: o\n    name: O\n")
    result = cli("stats")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: data/x.yaml:2: organisation 'o': has no 'sources'; add 'sources: [source-id]'"]


SMALL_TABLE = "".join(
    ["| kind | doc-1 | total |\n", "|---|---:|---:|\n", *(f"| {' | '.join(r)} |\n" for r in SMALL_ROWS)])
REFRESH = "edugraph stats --format md --into README.md"


# --- --into: the table between a document's markers ----------------------------------------------

def test_into_rewrites_only_the_block_between_the_markers(tmp_path: Path, cli) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text("# Notes\n\nBefore.\n<!-- stats:begin -->\n| stale |\n<!-- stats:end -->\nAfter.\n",
                   encoding="utf-8")
    inode = doc.stat().st_ino
    result = cli("stats", "--data", str(SMALL), "--format", "md", "--into", str(doc))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert doc.read_text(encoding="utf-8") == (
        "# Notes\n\nBefore.\n<!-- stats:begin -->\n" + SMALL_TABLE + "<!-- stats:end -->\nAfter.\n")
    # Written beside and renamed into place: a new file, and no temporary file left behind.
    assert doc.stat().st_ino != inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_into_writes_markdown_without_format_and_leaves_a_current_file_alone(tmp_path: Path, cli) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text("<!-- stats:begin -->\n<!-- stats:end -->\n", encoding="utf-8")
    assert cli("stats", "--data", str(SMALL), "--into", str(doc)).exit_code == 0
    assert doc.read_text(encoding="utf-8") == "<!-- stats:begin -->\n" + SMALL_TABLE + "<!-- stats:end -->\n"
    before = doc.stat()
    result = cli("stats", "--data", str(SMALL), "--into", str(doc))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    after = doc.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize(("text", "problem"), [
    ("no markers at all\n", "has no '<!-- stats:begin -->' line"),
    ("<!-- stats:begin -->\n| old |\n", "has no '<!-- stats:end -->' line"),
    ("| old |\n<!-- stats:end -->\n", "has no '<!-- stats:begin -->' line"),
    # quoted in prose, a marker is not a marker line
    ("use `<!-- stats:begin -->`\n| old |\n<!-- stats:end -->\n", "has no '<!-- stats:begin -->' line"),
    ("<!-- stats:begin --><!-- stats:end -->\n", "has no '<!-- stats:begin -->' line"),
    ("<!-- stats:end -->\n<!-- stats:begin -->\n",
     "has its '<!-- stats:end -->' line before its '<!-- stats:begin -->' line"),
    ("<!-- stats:begin -->\n<!-- stats:end -->\n<!-- stats:begin -->\n<!-- stats:end -->\n",
     "has 2 '<!-- stats:begin -->' lines"),
])
def test_into_a_file_without_one_pair_of_markers_is_bad_input(tmp_path: Path, cli, monkeypatch,
                                                              text: str, problem: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.md").write_text(text, encoding="utf-8")
    result = cli("stats", "--data", str(SMALL), "--format", "md", "--into", "notes.md")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: notes.md: {problem}; put one '<!-- stats:begin -->' line and one "
                             "'<!-- stats:end -->' line where the table goes\n")
    assert Path("notes.md").read_text(encoding="utf-8") == text


def test_into_a_missing_file_or_with_another_format_is_bad_input(tmp_path: Path, cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = cli("stats", "--data", str(SMALL), "--into", "nowhere.md")
    assert (missing.exit_code, missing.stdout, missing.stderr) == (
        2, "", "error: file 'nowhere.md' does not exist; give --into the document that holds the "
        "table's markers\n")
    Path("notes.md").write_text("<!-- stats:begin -->\n<!-- stats:end -->\n", encoding="utf-8")
    csv_into = cli("stats", "--data", str(SMALL), "--format", "csv", "--into", "notes.md")
    assert (csv_into.exit_code, csv_into.stdout, csv_into.stderr) == (
        2, "", "error: --into writes the Markdown table, not csv; use --format md\n")
    assert Path("notes.md").read_text(encoding="utf-8") == "<!-- stats:begin -->\n<!-- stats:end -->\n"


def test_replace_block_keeps_everything_outside_the_markers() -> None:
    text = "a `<!-- stats:end -->`\r\n  <!-- stats:begin --> \r\nold\r\nold\r\n<!-- stats:end -->\r\nb\r\n"
    assert replace_block(text, "| t |\n", Path("x.md")) == (
        "a `<!-- stats:end -->`\r\n  <!-- stats:begin --> \r\n| t |\n<!-- stats:end -->\r\nb\r\n")
    with pytest.raises(UsageError) as caught:
        replace_block("", "| t |\n", Path("docs/x.md"))
    assert str(caught.value).startswith("docs/x.md: has no '<!-- stats:begin -->' line; ")


# --- the README -----------------------------------------------------------------------------------

def test_the_readme_coverage_table_is_the_commands_output(cli) -> None:
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"README.md has no {BEGIN.strip()} ... {END} block"
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    result = cli("stats", "--data", str(BUNDLED), "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert block == result.stdout, (
        f"the README's Coverage table is not the output of the bundled data: run `{REFRESH}`")


def test_the_refresh_command_named_by_the_readme_test_refreshes_it(tmp_path: Path, cli, monkeypatch) -> None:
    """The command the failure message names, run where it says (the checkout), on a stale copy."""
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    (tmp_path / "README.md").write_text(head + BEGIN + "| stale |\n" + END + tail, encoding="utf-8")
    shutil.copytree(BUNDLED, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = cli(*REFRESH.split()[1:])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    table = cli("stats", "--format", "md").stdout
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == head + BEGIN + table + END + tail
    assert f"`{REFRESH}`" in text, "the README documents the command"
