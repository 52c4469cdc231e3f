"""The two sides ``edugraph diff`` compares: a folder of records, or the project's data folder as
a git revision holds it.

A revision is read with git alone (``git rev-parse``, ``git ls-tree``, ``git cat-file``) into a
temporary folder outside the project, so the work tree, the index and the project's cache stay as
they were. Messages name a revision's files ``REV:path``, the path taken from the repository's top
as ``git show REV:path`` takes it: ``HEAD:data/people.yaml:14: person 'x', ...``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from edugraph.build.load import display_name
from edugraph.build.pipeline import compile_project
from edugraph.build.resolve import Dataset
from edugraph.errors import UsageError

DEFAULT_REVISION = "HEAD"
"""What the old side is when none is given: the last commit."""

_FILE_MODES = ("100644", "100755")
"""Modes of the plain files of a git tree (links and submodules are no records)."""


@dataclass(slots=True)
class Side:
    """One side of a diff: how it is named, its records and its graph."""

    label: str
    """The folder as messages show it, or ``REV:path`` for the data folder in a revision."""
    dataset: Dataset
    ntriples: bytes
    """The instance graph as sorted N-Triples (what ``edugraph export --format nt`` writes)."""


def open_side(given: str, data_dir: Path, cache_dir: Path | None = None) -> Side:
    """The side ``given`` names: an existing folder of records, else a git revision of the
    repository holding ``data_dir`` (its copy of the data folder); raises UsageError when it is
    neither, InputErrors when its records do not load."""
    if Path(given).is_dir():
        return folder_side(Path(given), cache_dir)
    return revision_side(given, data_dir)


def folder_side(folder: Path, cache_dir: Path | None = None) -> Side:
    """A folder of records, as it is on disk (through the build's cache when one is given; a
    revision's copy never goes into it)."""
    compiled = compile_project(folder, cache_dir)
    return Side(display_name(folder, Path.cwd()), compiled.dataset(), compiled.serialise("nt"))


def revision_side(revision: str, data_dir: Path) -> Side:
    """The data folder as the git revision ``revision`` holds it."""
    anchor = next((p for p in (data_dir, *data_dir.absolute().parents) if p.is_dir()), Path.cwd())
    found = _git(anchor, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise UsageError(f"'{revision}' is not a folder, nor can it be a git revision: the data "
                         f"folder '{data_dir}' is not in a git repository",
                         hint="give two folders of records: edugraph diff OLD NEW")
    top = Path(found.stdout.decode().strip())
    commit = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if commit.returncode != 0:
        raise UsageError(f"'{revision}' is neither a folder nor a revision of the git repository "
                         f"at {top}", hint="give a folder of records, or a commit, branch or tag "
                         "('git log --oneline' lists the commits)")
    sha = commit.stdout.decode().strip()
    try:
        inside = PurePosixPath(data_dir.resolve().relative_to(top.resolve()).as_posix())
    except ValueError:
        raise UsageError(f"the data folder '{data_dir}' is outside the git repository at {top}") from None
    label = f"{revision}:{inside}"
    if str(inside) != "." and _git(top, "cat-file", "-e", f"{sha}:{inside}").returncode != 0:
        raise UsageError(f"revision '{revision}' has no folder '{inside}'",
                         hint="give a revision that holds the data folder, or a folder of records")
    with tempfile.TemporaryDirectory(prefix="edugraph-diff-") as tmp:
        root = Path(tmp)
        _extract(top, sha, inside, root)
        compiled = compile_project(
            root, shown=lambda path: f"{revision}:{inside / path.relative_to(root).as_posix()}")
        # Read everything now: the folder is gone when the block ends.
        return Side(label, compiled.dataset(), compiled.serialise("nt"))


def _extract(top: Path, sha: str, inside: PurePosixPath, root: Path) -> None:
    """Write the ``*.yaml`` files of folder ``inside`` of commit ``sha`` under ``root``."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", sha,
                   *(["--", str(inside)] if str(inside) != "." else []))
    if listing.returncode != 0:
        raise UsageError(f"git cannot list {sha}:{inside}: {listing.stderr.decode(errors='replace').strip()}")
    wanted: list[tuple[str, PurePosixPath]] = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, blob = meta.decode().split(" ")
        path = PurePosixPath(os.fsdecode(name))
        if kind != "blob" or mode not in _FILE_MODES or path.suffix != ".yaml":
            continue
        relative = path.relative_to(inside) if str(inside) != "." else path
        if ".." not in relative.parts:
            wanted.append((blob, relative))
    if not wanted:
        return
    batch = _git(top, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob, _ in wanted).encode())
    out, at = batch.stdout, 0
    for _, relative in wanted:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split(b" ")[2])
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[header_end + 1:header_end + 1 + size])
        at = header_end + 1 + size + 1  # the content and the newline after it


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # Optional locks off: git status and friends may otherwise refresh the index as they read.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(["git", "-C", str(folder), *args], input=stdin, capture_output=True,
                              env=env, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed, so only folders can be compared",
                         hint="give two folders of records: edugraph diff OLD NEW") from None
