"""Nothing lost, as a set: a build replaces all of its outputs or none, whatever stops it (a full
disk, a read-only one, Ctrl-C or SIGKILL at every phase), and no command removes or overwrites
what edugraph did not write. Every failure to write is one line with exit 2.

Small tmpfs mounts stand for full and read-only disks (root can write through chmod, not through a
read-only mount); without the right to mount, those tests skip saying so.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph import outputs
from edugraph.build.exports import plan
from edugraph.build.pipeline import compile_project

EXPORTS = ("edugraph.jsonld", "edugraph.nt", "edugraph.ttl", "void.ttl")
FORMATS = {"edugraph.ttl": ox.RdfFormat.TURTLE, "edugraph.nt": ox.RdfFormat.N_TRIPLES,
           "edugraph.jsonld": ox.RdfFormat.JSON_LD, "void.ttl": ox.RdfFormat.TURTLE}


def records(folder: Path, label: str, n: int) -> None:
    """``n`` organisations (and a source) named after ``label`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.yaml").write_text("sources:\n  - id: s\n    name: S\n    file: s.txt\n", encoding="utf-8")
    lines = ["organisations:"]
    for i in range(n):
        lines += [f"  - id: org-{i}", f"    name: {label} organisation number {i}", "    sources: [s]"]
    (folder / "records.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def exports(folder: Path) -> dict[str, bytes]:
    """The visible files of an output folder (hidden ones are edugraph's bookkeeping)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def loadable(files: dict[str, bytes]) -> None:
    assert sorted(files) == list(EXPORTS)
    for name, data in files.items():
        assert list(ox.parse(data, format=FORMATS[name])), name


def edugraph(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edugraph", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """``mount(name, options)``: a tmpfs at ``tmp_path/name``, unmounted after the test."""
    mounted: list[Path] = []

    def mount(name: str, options: str = "size=1m") -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs (needs root): {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=True)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


# ---------------------------------------------------------------------------------------------
# A full disk, a read-only disk


FULL = ("error: cannot write 'full/dist': no space left on device; nothing was replaced (the exports "
        "in 'full/dist' are as they were); free some space, or write elsewhere\n")


def test_a_disk_that_fills_during_the_build_leaves_the_previous_set(tmp_path: Path, tmpfs, cli,
                                                                     monkeypatch) -> None:
    disk = tmpfs("full", "size=1m")
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Old", 20)
    assert cli("build", "-q", "--out", "full/dist").exit_code == 0
    old = exports(disk / "dist")
    records(tmp_path / "data", "New", 3000)  # some 2 MB of N-Triples alone: past the disk
    result = cli("build", "-q", "--out", "full/dist")
    assert result.exit_code == 2
    assert result.stderr == FULL
    assert exports(disk / "dist") == old
    assert sorted(os.listdir(disk)) == ["dist"]  # the new set's folder is gone
    records(tmp_path / "data", "Newer", 30)
    assert cli("build", "-q", "--out", "full/dist").exit_code == 0
    loadable(exports(disk / "dist"))
    assert sorted(os.listdir(disk)) == ["dist"]


def test_a_disk_that_fills_while_an_edit_is_spliced_leaves_the_previous_set(tmp_path: Path, tmpfs, cli,
                                                                           monkeypatch) -> None:
    disk = tmpfs("full", "size=1m")
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Old", 300)
    assert cli("build", "-q", "--out", "full/dist").exit_code == 0
    old = exports(disk / "dist")
    records(tmp_path / "data", "New" * 700, 300)  # the same records, each name 2 kB: past the disk
    compiled = compile_project(tmp_path / "data", tmp_path / ".edugraph-cache")
    assert plan(tmp_path / ".edugraph-cache", disk / "dist", compiled) is not None  # spliced
    result = cli("build", "-q", "--out", "full/dist")
    assert result.exit_code == 2
    assert result.stderr == FULL
    assert exports(disk / "dist") == old
    assert sorted(os.listdir(disk)) == ["dist"]
    records(tmp_path / "data", "Newer", 300)
    assert cli("build", "-q", "--out", "full/dist").exit_code == 0
    assert b"Newer organisation number 299" in exports(disk / "dist")["edugraph.nt"]


def test_a_full_disk_is_one_line_for_a_single_file(tmp_path: Path, tmpfs, cli, monkeypatch) -> None:
    tmpfs("full", "size=64k")
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Big", 3000)
    result = cli("export", "-f", "nt", "-o", "full/out.nt")
    assert result.exit_code == 2
    assert result.stderr == ("error: cannot write 'full/out.nt': no space left on device; nothing was "
                             "written; free some space, or write elsewhere\n")
    assert os.listdir(tmp_path / "full") == []


def test_a_sync_that_fails_in_the_background_leaves_the_previous_set(tmp_path: Path, cli, monkeypatch) -> None:
    # Each export is synced in a thread while the next one is written; a disk that fails one of
    # those syncs (an I/O error) stops the swap, and the next build starts clean.
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Old", 20)
    assert cli("build", "-q").exit_code == 0
    old = exports(tmp_path / "dist")
    synced = os.fsync

    def failing(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("edugraph.jsonld"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        synced(fd)

    monkeypatch.setattr(os, "fsync", failing)
    records(tmp_path / "data", "New", 20)
    result = cli("build", "-q")
    assert (result.exit_code, result.stderr) == (
        2, "error: cannot write 'dist': input/output error; nothing was replaced (the exports in 'dist' are as "
           "they were)\n")
    assert exports(tmp_path / "dist") == old
    assert outputs._syncing == {}
    assert [p for p in os.listdir(tmp_path) if "edugraph-new" in p] == []
    monkeypatch.setattr(os, "fsync", synced)
    assert cli("build", "-q").exit_code == 0
    assert b"New organisation number 19" in exports(tmp_path / "dist")["edugraph.nt"]


def test_a_read_only_output_leaves_the_previous_set(tmp_path: Path, tmpfs, cli, monkeypatch) -> None:
    disk = tmpfs("ro", "size=1m")
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Old", 5)
    assert cli("build", "-q", "--out", "ro/dist").exit_code == 0
    old = exports(disk / "dist")
    remount_read_only(disk)
    records(tmp_path / "data", "New", 5)
    result = cli("build", "-q", "--out", "ro/dist")
    assert result.exit_code == 2
    assert result.stderr == ("error: cannot write 'ro/dist': read-only file system; nothing was replaced "
                             "(the exports in 'ro/dist' are as they were); write to a folder you can write\n")
    assert exports(disk / "dist") == old


@pytest.mark.parametrize(("args", "message"), [
    (["build", "--out", "ro/dist"], "cannot write 'ro/dist': read-only file system; nothing was written"),
    (["export", "-f", "ttl", "-o", "ro/x.ttl"], "cannot write 'ro/x.ttl': read-only file system; nothing was written"),
    (["docs", "-o", "ro/site"], "cannot write 'ro/site': read-only file system; nothing was written"),
    (["viz", "-o", "ro/x.dot"], "cannot write 'ro/x.dot': read-only file system; nothing was written"),
    (["timeline", "-o", "ro/t.svg"], "cannot write 'ro/t.svg': read-only file system; nothing was written"),
    (["load", "--store", "ro/store"], "cannot write 'ro/store': read-only file system; nothing was written"),
    (["schema", "-o", "ro/s.json"], "cannot write 'ro/s.json': read-only file system; nothing was written"),
    (["init", "ro/new"], "cannot write 'ro/new/edugraph.toml': read-only file system; nothing was written"),
])
def test_every_writer_says_a_read_only_disk_in_one_line(tmp_path: Path, tmpfs, cli, monkeypatch,
                                                        args: list[str], message: str) -> None:
    tmpfs("ro", "ro,size=64k")
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Some", 3)
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}; write to a folder you can write\n"


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path: Path, tmpfs, cli, monkeypatch) -> None:
    tmpfs("ro", "ro,size=64k")
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Some", 3)
    assert cli("build", "-q", "--cache", "ro/cache").exit_code == 0
    loadable(exports(tmp_path / "dist"))
    result = cli("sparql", "SELECT ?n WHERE { ?o schema:name ?n }", "--cache", "ro/cache", "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout.count("Some organisation number") == 3


# ---------------------------------------------------------------------------------------------
# Paths of the wrong kind


@pytest.mark.parametrize(("args", "message"), [
    (["build", "--out", "afile"], "'afile' is a file, not a folder for the exports; pass --out DIR with a "
                                  "folder (it is created if missing)"),
    (["build", "--out", "afile/dist"], "cannot write 'afile/dist': 'afile' is a file, not a folder; nothing "
                                       "was written; give a path in a folder"),
    (["export", "-f", "nt", "-o", "afolder"], "'afolder' is a folder; give the name of a file to write"),
    (["export", "-f", "nt", "-o", "afile/x.nt"], "cannot write 'afile/x.nt': 'afile' is a file, not a "
                                                 "folder; nothing was written; give a path in a folder"),
    (["viz", "-o", "afolder.dot"], "'afolder.dot' is a folder; give the name of a file to write"),
    (["schema", "-o", "afolder"], "'afolder' is a folder; give the name of a file to write"),
    (["docs", "-o", "afile"], "'afile' is a file; give a folder for the site"),
    (["docs", "-o", "afile/site"], "cannot write 'afile/site': 'afile' is a file, not a folder; nothing "
                                   "was written; give a path in a folder"),
    (["load", "--store", "afile"], "'afile' exists and is not an edugraph store; give a new folder, or one "
                                   "'edugraph load' wrote"),
    (["load", "--store", "afile/store"], "cannot write 'afile/store': 'afile' is a file, not a folder; "
                                         "nothing was written; give a path in a folder"),
    (["build", "--cache", "afile"], "the cache 'afile' is a file, not a folder; pass --cache DIR with a "
                                    "folder (it is made when missing)"),
    (["query", "organisations", "--cache", "afile"], "the cache 'afile' is a file, not a folder; pass "
                                                     "--cache DIR with a folder (it is made when missing)"),
])
def test_a_path_of_the_wrong_kind_is_one_line(small_data: Path, cli, args: list[str], message: str) -> None:
    Path("afile").write_text("mine\n", encoding="utf-8")
    Path("afolder").mkdir()
    Path("afolder.dot").mkdir()
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")
    assert Path("afile").read_text(encoding="utf-8") == "mine\n"
    assert list(Path("afolder").iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Only what edugraph wrote is replaced


def test_a_build_refuses_an_output_folder_holding_other_files(small_data: Path, cli) -> None:
    Path("dist").mkdir()
    Path("dist/notes.txt").write_text("mine\n", encoding="utf-8")
    result = cli("build", "-q")
    assert result.exit_code == 2
    assert result.stderr == ("error: 'dist' holds 'notes.txt', which 'edugraph build' did not write; the "
                             "exports replace the folder whole; pass --out DIR with a folder of its own "
                             "(new, empty or a build's)\n")
    assert sorted(os.listdir("dist")) == ["notes.txt"]
    # A folder a build wrote is replaced; one a user adds to afterwards is refused again.
    os.remove("dist/notes.txt")
    assert cli("build", "-q").exit_code == 0
    Path("dist/notes.txt").write_text("mine\n", encoding="utf-8")
    assert cli("build", "-q").exit_code == 2
    assert Path("dist/notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_dist_of_an_earlier_layout_is_replaced(small_data: Path, cli) -> None:
    Path("dist").mkdir()
    for name in (*EXPORTS, ".edugraph.lock", ".edugraph.ttl.k2j4h5.tmp"):
        Path("dist", name).write_text("old\n", encoding="utf-8")
    assert cli("build", "-q").exit_code == 0
    loadable(exports(Path("dist")))
    assert sorted(os.listdir("dist")) == [".edugraph-dist", *EXPORTS]


def test_backup_names_of_users_are_never_touched(small_data: Path, cli) -> None:
    for name in (".site.old", ".store.old", ".dist.old", ".site.new-x", ".dist.edugraph-new-mine"):
        Path(name).mkdir()
        Path(name, "keep.txt").write_text("mine\n", encoding="utf-8")
    for _ in range(2):
        assert cli("docs", "-o", "site").exit_code == 0
        assert cli("load", "--store", "store").exit_code == 0
        assert cli("build", "-q").exit_code == 0
    for name in (".site.old", ".store.old", ".dist.old", ".site.new-x", ".dist.edugraph-new-mine"):
        assert os.listdir(name) == ["keep.txt"], name
    assert sorted(p for p in os.listdir(".") if p.startswith(".") and "edugraph-new" in p) == [
        ".dist.edugraph-new-mine"]


def test_docs_and_load_refuse_a_folder_they_did_not_write(small_data: Path, cli) -> None:
    Path("mine").mkdir()
    Path("mine/index.html").write_text("mine\n", encoding="utf-8")
    result = cli("docs", "-o", "mine")
    assert (result.exit_code, result.stderr) == (
        2, "error: 'mine' exists and is not a site 'edugraph docs' wrote; give a new or empty folder\n")
    result = cli("load", "--store", "mine")
    assert (result.exit_code, result.stderr) == (
        2, "error: 'mine' exists and is not an edugraph store; give a new folder, or one 'edugraph load' wrote\n")
    assert os.listdir("mine") == ["index.html"]


def test_without_an_exchange_the_fallback_still_replaces_whole(small_data: Path, cli, monkeypatch) -> None:
    monkeypatch.setattr(outputs, "_exchange", lambda new, target: False)
    assert cli("build", "-q").exit_code == 0
    first = exports(Path("dist"))
    (small_data / "extra.yaml").write_text("organisations:\n  - id: extra-org\n    name: Extra\n"
                                           "    sources: [doc-1]\n", encoding="utf-8")
    assert cli("build", "-q").exit_code == 0
    assert exports(Path("dist")) != first
    loadable(exports(Path("dist")))
    assert [p for p in os.listdir(".") if "edugraph-new" in p] == []


def test_a_dist_that_is_a_mount_point_gets_its_files_replaced(tmp_path: Path, tmpfs, cli, monkeypatch) -> None:
    tmpfs("dist", "size=1m")
    monkeypatch.chdir(tmp_path)
    records(tmp_path / "data", "Old", 5)
    assert cli("build", "-q").exit_code == 0
    records(tmp_path / "data", "New", 6)
    assert cli("build", "-q").exit_code == 0
    files = exports(tmp_path / "dist")
    loadable(files)
    assert b"New organisation number 5" in files["edugraph.nt"]
    assert sorted(os.listdir(tmp_path / "dist")) == [".edugraph-dist", *EXPORTS]


# ---------------------------------------------------------------------------------------------
# Interrupted at every phase


PHASES = ("compile", "write", "synced", "swapped")


@pytest.fixture(scope="module")
def two_sets(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A project whose dist/ holds the old set, its data now that of the new set (also built
    into ref/ to compare)."""
    root = tmp_path_factory.mktemp("phases")
    records(root / "data", "Old", 300)
    assert edugraph("build", "-q", cwd=root).returncode == 0
    old = exports(root / "dist")
    records(root / "data", "New", 300)
    assert edugraph("build", "-q", "--out", "ref", cwd=root).returncode == 0
    return root, old, exports(root / "ref")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.parametrize("phase", PHASES)
def test_a_build_stopped_at_any_phase_leaves_one_whole_set(two_sets, phase: str, sig: int) -> None:
    root, old, new = two_sets
    assert exports(root / "dist") == old
    process = subprocess.Popen([sys.executable, "-m", "edugraph", "build", "-q"], cwd=root,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, outputs.PAUSE_VARIABLE: phase})
    try:
        assert process.stderr is not None
        assert process.stderr.readline() == f"paused at {phase}\n"
        process.send_signal(sig)
        rest = process.stderr.read()
        code = process.wait(timeout=60)
    finally:
        process.kill()
    files = exports(root / "dist")
    loadable(files)
    assert files == (new if phase == "swapped" else old)
    if sig == signal.SIGINT:
        assert code == 130
        done = "the exports in 'dist' were replaced whole." if phase == "swapped" else "nothing was written."
        assert rest == f"interrupted; {done}\n"
        assert sorted(os.listdir(root)) == [".edugraph-cache", "data", "dist", "ref"]
    else:
        assert code == -signal.SIGKILL
    # Whatever a kill left, the next build clears it and writes the new set whole.
    assert edugraph("build", "-q", cwd=root).returncode == 0
    assert exports(root / "dist") == new
    assert sorted(os.listdir(root)) == [".edugraph-cache", "data", "dist", "ref"]
    assert sorted(os.listdir(root / "dist")) == [".edugraph-dist", *EXPORTS]
    # The old set back in place, for the next case.
    records(root / "data", "Old", 300)
    assert edugraph("build", "-q", cwd=root).returncode == 0
    records(root / "data", "New", 300)
