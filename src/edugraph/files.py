"""Files edugraph writes: atomic replacement of a file or a folder, a lock, and the one cache.

Everything an edugraph command leaves on disk goes through here, so a crash at any moment leaves
each output either as it was or whole, never half-written. (A query reads through this module on
every run: the standard modules each function needs are imported where it is used, so a query's
start-up does not pay for pickle, json and tempfile.)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from edugraph.errors import UsageError

Chunk = bytes | memoryview
"""A piece of a file to write."""


def find_files(data_dir: Path) -> list[Path]:
    """Every ``*.yaml`` under ``data_dir`` in a stable order, hidden folders skipped."""
    if not data_dir.is_dir():
        raise UsageError(f"data directory '{data_dir}' does not exist",
                         hint="pass --data DIR with the folder that holds the *.yaml records")
    return sorted(
        p for p in data_dir.rglob("*.yaml")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
    )


def data_files(data_dir: Path) -> list[Path]:
    """Every file under ``data_dir`` outside hidden folders, hidden files left out, sorted.

    A superset of :func:`find_files` (it skips the same hidden parts and, like ``Path.rglob``,
    does not enter linked folders), cheaper to list: what a change of the data is watched by.
    """
    if not data_dir.is_dir():
        find_files(data_dir)  # its error for a missing data folder
    found: list[Path] = []
    for root, dirs, files in os.walk(data_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, name) for name in files if not name.startswith("."))
    return sorted(found)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | Iterable[Chunk]) -> None:
    """Write ``data`` (bytes, or bytes in pieces) to ``path`` through a temporary file in the
    same folder and a rename.

    A reader sees the old file or the new one, never a part; a crash leaves the old file.
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; exports are for sharing
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                f.writelines(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def replacing_folder(target: Path) -> Iterator[Path]:
    """Yield a new, empty folder beside ``target``; when the block ends without an error it
    replaces ``target`` whole (a reader sees the old folder or the new one, a failure leaves the
    old one), else it is removed."""
    import shutil
    import tempfile

    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    old = target.parent / f".{target.name}.old"
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; the result is for sharing
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.rename(target, old)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (for writers racing on the same ``dist/``)."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".edugraph.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def place_key(folder: Path) -> str:
    """A short name for a folder, the same for every spelling of its path."""
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]


class Cache:
    """Objects kept under a key as pickles in one section of the cache folder (a missing, partly
    written or out-of-date entry reads as None: it is made again). ``folder`` None: no caching.

    Every cached thing of edugraph is one of these sections of ``.edugraph-cache/``; a build
    records which entries it used and :func:`prune` deletes the rest.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> Any:
        import pickle

        if self.folder is None:
            return None
        try:
            with (self.folder / f"{key}.pickle").open("rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None  # missing or from another version: make it again

    def put(self, key: str, value: object) -> None:
        """Keep ``value`` under ``key``; a cache folder that cannot be written (read-only, full)
        only costs the work next time, so that is not an error."""
        import pickle

        if self.folder is None:
            return
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / f"{key}.pickle")
        except OSError:
            tmp.unlink(missing_ok=True)


def prune(cache_dir: Path, place: str, used: dict[str, list[str]]) -> None:
    """Record what a build of one data folder (``place``) used, and delete every cached entry
    that no build of any data folder sharing ``cache_dir`` uses (old versions of edited files)."""
    import json

    manifests = cache_dir / "builds"
    manifests.mkdir(parents=True, exist_ok=True)
    tmp = manifests / f".{place}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(used, sort_keys=True), encoding="utf-8")
    os.replace(tmp, manifests / f"{place}.json")
    keep: dict[str, set[str]] = {}
    for manifest in manifests.glob("*.json"):
        try:
            for folder, keys in json.loads(manifest.read_text(encoding="utf-8")).items():
                keep.setdefault(folder, set()).update(keys)
        except (OSError, ValueError, AttributeError):
            return  # being replaced by another build: prune next time
    for folder, keys in keep.items():
        for entry in (cache_dir / folder).glob("*.pickle"):  # never a file still being written
            if entry.stem not in keys:
                entry.unlink(missing_ok=True)
