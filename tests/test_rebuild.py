"""A rebuild with nothing changed writes nothing; any change of what the exports are made from,
or of an export itself, builds again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

EXPORTS = ("edugraph.ttl", "edugraph.jsonld", "edugraph.nt", "void.ttl")
UNCHANGED = "nothing changed since the last build: dist holds its exports as written (nothing written)"
WROTE = ["wrote dist/edugraph.ttl", "wrote dist/edugraph.jsonld", "wrote dist/edugraph.nt", "wrote dist/void.ttl"]


def state(dist: Path) -> dict[str, tuple[int, int, bytes]]:
    return {name: ((st := (dist / name).stat()).st_ino, st.st_mtime_ns, (dist / name).read_bytes())
            for name in (*EXPORTS, ".edugraph-dist")}


def test_a_second_build_of_the_same_data_writes_nothing(small_data: Path, cli) -> None:
    assert cli("build").stdout.splitlines() == ["8 records, 72 triples", *WROTE]
    before = state(small_data.parent / "dist")
    again = cli("build")
    assert (again.exit_code, again.stderr) == (0, "")
    assert again.stdout.splitlines() == ["8 records, 72 triples", UNCHANGED]
    assert state(small_data.parent / "dist") == before
    assert sorted(os.listdir(small_data.parent / "dist")) == [".edugraph-dist", *sorted(EXPORTS)]


def test_an_edit_that_keeps_size_and_time_builds_again(small_data: Path, cli) -> None:
    cli("build")
    path = small_data / "records.yaml"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    name = text.split("name: ", 1)[1].split("\n", 1)[0]
    changed = name[:-1] + ("X" if name[-1] != "X" else "Y")
    path.write_text(text.replace(f"name: {name}\n", f"name: {changed}\n", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    again = cli("build")
    assert again.stdout.splitlines() == ["8 records, 72 triples", *WROTE]
    assert f'"{changed}"' in (small_data.parent / "dist" / "edugraph.nt").read_text(encoding="utf-8")


@pytest.mark.parametrize("export", EXPORTS)
def test_an_export_changed_or_removed_is_written_again(small_data: Path, cli, export: str) -> None:
    cli("build")
    dist = small_data.parent / "dist"
    first = (dist / export).read_bytes()
    (dist / export).write_bytes(first + b"# mine\n")
    assert cli("build").stdout.splitlines() == ["8 records, 72 triples", *WROTE]
    assert (dist / export).read_bytes() == first
    (dist / export).unlink()
    assert cli("build").stdout.splitlines() == ["8 records, 72 triples", *WROTE]
    assert (dist / export).read_bytes() == first


def test_a_new_file_another_engine_or_title_builds_again(small_data: Path, cli) -> None:
    cli("build")
    assert cli("build", "--engine", "pyshacl").stdout.splitlines() == ["8 records, 72 triples", *WROTE]
    assert cli("build", "--engine", "pyshacl").stdout.splitlines() == ["8 records, 72 triples", UNCHANGED]
    (small_data.parent / "edugraph.toml").write_text('title = "Another title"\n', encoding="utf-8")
    assert cli("build", "--engine", "pyshacl").stdout.splitlines() == ["8 records, 72 triples", *WROTE]
    assert "Another title" in (small_data.parent / "dist" / "void.ttl").read_text(encoding="utf-8")
    (small_data / "more.yaml").write_text("topics:\n  - id: t\n    name: T\n    sources: [doc-1]\n",
                                          encoding="utf-8")
    assert cli("build", "--engine", "pyshacl").stdout.splitlines() == ["9 records, 76 triples", *WROTE]


def test_a_damaged_or_foreign_marker_builds_again(small_data: Path, cli) -> None:
    cli("build")
    mark = small_data.parent / "dist" / ".edugraph-dist"
    for damaged in (b"", b"written by 'edugraph build'\n{not json\n", b"x\n[]\n", b"x\n{\"version\": 1}\n"):
        mark.write_bytes(damaged)
        assert cli("build").stdout.splitlines() == ["8 records, 72 triples", *WROTE]


def test_timings_name_every_stage_of_a_build(small_data: Path, cli) -> None:
    import re

    first = cli("build", "--timings")
    assert first.exit_code == 0
    stages = ["stamp", "load", "resolve", "map", "validate", "write ttl", "write jsonld", "write nt", "rest"]
    pattern = "timings: " + ", ".join(f"{s} [0-9]+\\.[0-9]{{2}} s" for s in stages) + ", total [0-9]+\\.[0-9]{2} s"
    assert re.fullmatch(pattern, first.stderr.strip()), first.stderr
    again = cli("build", "--timings")
    assert re.fullmatch(r"timings: stamp [0-9.]+ s, rest [0-9.]+ s, total [0-9.]+ s", again.stderr.strip())
    assert again.stdout.splitlines() == ["8 records, 72 triples", UNCHANGED]
