"""Coverage statistics: records, relationships and triples per kind and per cited source, in every
format, and the README's Coverage table is the command's output on the bundled data."""

from __future__ import annotations

import csv
import io
import json
import re

from .conftest import BUNDLED, ROOT, SMALL

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
                          "count": ones},
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


def test_bad_input_exits_2(write_yaml, cli) -> None:
    write_yaml("x.yaml", "organisations:\n  - id: o\n    name: O\n")
    result = cli("stats")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: data/x.yaml:2: organisation 'o': has no 'sources'; add 'sources: [source-id]'"]


def test_the_readme_coverage_table_is_the_commands_output(cli) -> None:
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"README.md has no {BEGIN.strip()} ... {END} block"
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    result = cli("stats", "--data", str(BUNDLED), "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert block == result.stdout, (
        "the README's Coverage table is not the output of the bundled data: run "
        "`edugraph stats --format md` and paste it between the stats:begin and stats:end lines")
