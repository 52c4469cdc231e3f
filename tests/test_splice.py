"""A rebuild after an edit copies the unchanged stretches of the previous exports and writes only
the edited files' blocks (edugraph.build.exports); whatever the edit, the exports are byte for
byte those of a build from nothing."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path

import pytest

from edugraph.build import exports
from edugraph.build.compile import Compiled
from edugraph.build.exports import LAYOUTS, plan, write_export
from edugraph.build.pipeline import build, compile_project

from .conftest import ROOT

EXPORTS = ("edugraph.ttl", "edugraph.jsonld", "edugraph.nt", "void.ttl")
FORMATS = {"edugraph.ttl": "ttl", "edugraph.jsonld": "jsonld", "edugraph.nt": "nt"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 generated records in files of 20, whose subjects interleave in the exports."""
    spec = importlib.util.spec_from_file_location("edugraph_benchmark_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    data = tmp_path_factory.mktemp("generated") / "data"
    module.generate(200, data, seed=3, per_file=20)
    return data


@pytest.fixture
def project(generated: Path, tmp_path: Path) -> Path:
    shutil.copytree(generated, tmp_path / "data")
    return tmp_path


def fresh(project: Path) -> dict[str, bytes]:
    """The exports of a build from nothing (no cache, no previous exports)."""
    out = project / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    assert build(project / "data", out).report.conforms
    return {name: (out / name).read_bytes() for name in EXPORTS}


def built(project: Path) -> dict[str, bytes]:
    result = build(project / "data", project / "dist", cache_dir=project / "cache")
    assert result.report.conforms and result.written
    return {name: (project / "dist" / name).read_bytes() for name in EXPORTS}


def edit_name(path: Path, suffix: str = " (edited)") -> None:
    text = path.read_text(encoding="utf-8")
    match = re.search(r'^    name: "(.*)"$', text, flags=re.M)
    assert match is not None
    path.write_text(text[:match.end(1)] + suffix + text[match.end(1):], encoding="utf-8")


def people_file(project: Path, n: int = 1) -> Path:
    return sorted((project / "data").glob("people-*.yaml"))[n]


def planned(project: Path) -> exports.Plan | None:
    return plan(project / "cache", project / "dist", compile_project(project / "data", project / "cache"))


def edited_and_planned(project: Path) -> tuple[Compiled, exports.Plan]:
    """A build, then one name edited: the data compiled and what the rebuild may copy."""
    built(project)
    edit_name(people_file(project))
    compiled = compile_project(project / "data", project / "cache")
    found = plan(project / "cache", project / "dist", compiled)
    assert found is not None
    return compiled, found


def test_an_edited_value_copies_all_but_the_edited_blocks(project: Path) -> None:
    built(project)
    edit_name(people_file(project))
    found = planned(project)
    assert found is not None
    copied = [s for s in found.segments if s[2]]
    written = [s for s in found.segments if not s[2]]
    # The edited file's subjects are spread over the exports, between stretches of the others.
    assert len(written) > 1 and len(copied) > 1
    assert all(end == first + 1 for first, end, _ in written)
    assert [s[0] for s in found.segments] == sorted(s[0] for s in found.segments)
    assert found.segments[-1][1] == len(found.layout.runs) // 3
    assert built(project) == fresh(project)


def test_each_export_spliced_is_the_export_written_whole(project: Path) -> None:
    compiled, found = edited_and_planned(project)
    out = project / "spliced"
    out.mkdir()
    for name, fmt in FORMATS.items():
        starts = write_export(out / name, fmt, compiled, found)
        assert (out / name).read_bytes() == compiled.serialise(fmt, with_terms=True)
        assert starts == exports._starts(compiled, fmt, exports.frame(fmt))


def test_without_copy_file_range_the_ranges_are_read_and_written(project: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    built(project)
    edit_name(people_file(project))
    monkeypatch.setattr(exports, "_IN_KERNEL", False)
    assert planned(project) is not None
    assert built(project) == fresh(project)


def test_a_chain_of_edits_reverts_and_two_files_at_once(project: Path) -> None:
    built(project)
    original = people_file(project).read_bytes()
    for step in range(3):
        edit_name(people_file(project), f" ({step})")
        assert planned(project) is not None
        assert built(project) == fresh(project)
    people_file(project).write_bytes(original)  # its unit is in the cache, not in the layout
    edit_name(people_file(project, 2))
    assert planned(project) is not None
    assert built(project) == fresh(project)
    assert len(os.listdir(project / "cache" / LAYOUTS)) <= 2  # this build's and the last one's


PERSON = "  - id: {id}\n    name: \"{name}\"\n    sources: [src-001]\n"
EXTRA = "people:\n" + PERSON.format(id="someone-new", name="Someone New") + PERSON.format(id="someone-else", name="Someone Else")


@pytest.mark.parametrize("edit", ["add a record", "remove a record", "rename an id", "new file", "remove a file"])
def test_an_edit_that_changes_the_subjects_writes_the_exports_whole(project: Path, edit: str) -> None:
    extra = project / "data" / "extra.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    built(project)
    if edit == "add a record":
        extra.write_text(EXTRA + PERSON.format(id="someone-more", name="Someone More"), encoding="utf-8")
    elif edit == "remove a record":
        extra.write_text("people:\n" + PERSON.format(id="someone-new", name="Someone New"), encoding="utf-8")
    elif edit == "rename an id":
        extra.write_text(EXTRA.replace("someone-new", "someone-renamed"), encoding="utf-8")
    elif edit == "new file":
        (project / "data" / "more.yaml").write_text(
            "people:\n" + PERSON.format(id="someone-more", name="Someone More"), encoding="utf-8")
    else:
        extra.unlink()
    assert planned(project) is None
    assert built(project) == fresh(project)


def test_a_layout_missing_or_damaged_writes_the_exports_whole(project: Path) -> None:
    built(project)
    edit_name(people_file(project))
    (layout,) = (project / "cache" / LAYOUTS).iterdir()
    layout.write_bytes(layout.read_bytes()[:100])
    assert planned(project) is None
    assert built(project) == fresh(project)
    edit_name(people_file(project))
    shutil.rmtree(project / "cache" / LAYOUTS)
    assert planned(project) is None
    assert built(project) == fresh(project)


def test_an_export_changed_since_is_not_copied(project: Path) -> None:
    built(project)
    edit_name(people_file(project))
    nt = project / "dist" / "edugraph.nt"
    nt.write_bytes(nt.read_bytes().replace(b"<", b"[", 1))
    assert planned(project) is None  # the marker no longer vouches for the exports
    assert built(project) == fresh(project)


def test_an_export_replaced_after_planning_is_written_whole(project: Path) -> None:
    compiled, found = edited_and_planned(project)
    ttl = project / "dist" / "edugraph.ttl"
    ttl.write_bytes(b"# not the export any more\n")
    out = project / "spliced"
    out.mkdir()
    write_export(out / "edugraph.ttl", "ttl", compiled, found)
    assert (out / "edugraph.ttl").read_bytes() == compiled.serialise("ttl", with_terms=True)
