"""Files edugraph reads and writes: the data folder's files, reading only regular files of the
project, atomic replacement of a file, and the one cache (folders: :mod:`edugraph.outputs`).

Everything an edugraph command leaves on disk goes through here, so a crash at any moment leaves
each output either as it was or whole, never half-written. (A query reads through this module on
every run: the standard modules each function needs are imported where it is used, so a query's
start-up does not pay for pickle, json and tempfile.)
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from edugraph.errors import InputError, InputErrors, OutputError, UsageError
from edugraph.outputs import output_error, shown, umask, watch

Chunk = bytes | memoryview
"""A piece of a file to write."""

# SHA-256 from CPython's own built-in module (in the standard library, not a package: _sha256 on
# 3.11, _sha2 from 3.12), where there is one: importing hashlib loads OpenSSL, 2 ms of every
# query's start-up. The same digests either way, so the keys stay those of earlier versions.
try:
    from _sha2 import sha256 as _sha256
except ImportError:
    try:
        from _sha256 import sha256 as _sha256
    except ImportError:  # another Python, or one built without them
        from hashlib import sha256 as _sha256


def hasher(data: bytes = b"") -> Any:
    """A new SHA-256 hash of ``data``, for the keys a query computes: the query store's folders
    and key, the screening verdicts' (the build, which imports hashlib anyway, uses it directly)."""
    return _sha256(data)


def find_files(data_dir: Path) -> list[Path]:
    """Every ``*.yaml`` under ``data_dir`` in a stable order, hidden folders skipped.

    Raises InputErrors naming each folder that cannot be read, each record file that is not a
    regular file (a FIFO, a device, a link to nothing) or resolves outside the project, and each
    name that is not UTF-8: a record is never skipped without a word.
    """
    return [p for p in data_files(data_dir) if p.suffix == ".yaml"]


def data_files(data_dir: Path) -> list[Path]:
    """Every regular file under ``data_dir`` outside hidden folders, hidden files left out, sorted:
    what a change of the data is watched by (the records are its ``*.yaml``).

    Linked folders are followed when they resolve inside the project (each folder once); raises
    InputErrors as :func:`find_files` does.
    """
    import stat

    if not data_dir.is_dir():
        raise UsageError(f"data directory '{data_dir}' does not exist",
                         hint="pass --data DIR with the folder that holds the *.yaml records")
    found: list[Path] = []
    errors: list[InputError] = []
    seen = {data_dir.resolve()}
    within = (data_dir,)
    folders = [data_dir]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            errors.append(InputError(f"the folder cannot be read ({_reason(exc)})", file=shown(folder),
                                     hint="make it readable, or move it out of the data folder"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(folder, entry.name)
            try:
                mode = entry.stat().st_mode  # through a link
            except OSError as exc:
                if entry.name.endswith(".yaml"):
                    what = "a link to nothing" if entry.is_symlink() else f"unreadable ({_reason(exc)})"
                    errors.append(InputError(f"the record file is {what}", file=shown(path)))
                continue
            if not (stat.S_ISDIR(mode) or entry.name.endswith(".yaml")):
                if stat.S_ISREG(mode):
                    found.append(path)
                continue
            special = not (stat.S_ISDIR(mode) or stat.S_ISREG(mode))
            problem = _bad_name(entry.name) or (_outside(path, within) if entry.is_symlink() else None) or (
                f"the record file is {_kind(mode)}, not a regular file" if special else None)
            if problem:
                errors.append(InputError(problem, file=shown(path)))
            elif stat.S_ISREG(mode):
                found.append(path)
            elif path.resolve() not in seen:  # a folder linked twice (or into itself): once
                seen.add(path.resolve())
                folders.append(path)
    if errors:
        raise InputErrors(errors)
    return sorted(found)


_roots: list[Path] = []


def use_root(root: Path | None) -> None:
    """The project's root (the folder of its ``edugraph.toml``, else the current folder): the
    files edugraph reads must resolve inside it, or inside the folder they were found in."""
    _roots[:] = [root.resolve()] if root is not None else []


class Refused(OSError):
    """A file edugraph does not read: not a regular file, or outside the project. An OSError, so
    each reader's ``cannot read`` message gives its reason (``strerror``)."""


def read_bytes(path: Path, within: tuple[Path, ...] | None = None) -> bytes:
    """The content of a regular file; a FIFO, device or socket is refused without blocking on it.

    ``within``: the file was found in (or named by) these folders, and must resolve inside one
    of them or the project's root (see :func:`use_root`); None: the user named it, it may be
    anywhere. Raises OSError (:class:`Refused` for a refusal).
    """
    import stat

    if within is not None:
        outside = _outside(path, within)
        if outside:
            raise Refused(errno.EPERM, outside, str(path))
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise Refused(errno.EINVAL, f"it is {_kind(mode)}, not a regular file", str(path))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode  # the same file as stat saw, or refused again
        if not stat.S_ISREG(mode):
            raise Refused(errno.EINVAL, f"it is {_kind(mode)}, not a regular file", str(path))
        return f.read()


def _outside(path: Path, within: tuple[Path, ...]) -> str | None:
    """Why ``path`` is not the project's (it resolves outside ``within`` and the root), or None."""
    allowed = [Path(os.path.realpath(w)) for w in within] + _roots
    real = Path(os.path.realpath(path))
    if allowed and not any(real.is_relative_to(folder) for folder in allowed):
        return "it resolves outside the project; edugraph reads only the project's files"
    return None


def _kind(mode: int) -> str:
    import stat

    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def _bad_name(name: str) -> str | None:
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        return "the name is not UTF-8; rename it"
    return None


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def write_atomic(path: Path, data: bytes | Iterable[Chunk]) -> None:
    """Write ``data`` (bytes, or bytes in pieces) to ``path`` through a temporary file in the
    same folder and a rename.

    A reader sees the old file or the new one, never a part; a crash leaves the old file. A path
    that is a folder, a path under a file, a read-only or full disk: an OutputError, and the old
    file (if any) is as it was.
    """
    import tempfile

    kept = "the file was not replaced" if path.exists() else "nothing was written"
    if path.is_dir():
        raise OutputError(f"'{shown(path)}' is a folder", hint="give the name of a file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise output_error(exc, path, kept) from None
    try:
        os.fchmod(fd, 0o666 & ~umask())  # mkstemp makes 0600; exports are for sharing
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                f.writelines(data)
            f.flush()
            os.fsync(f.fileno())
        made = os.stat(tmp).st_ino
        watch(lambda: f"'{shown(path)}' was written" if _inode(path) == made else None)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise output_error(exc, path, kept) from None
    except BaseException:
        _unlink(tmp)
        raise


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def place_key(folder: Path) -> str:
    """A short name for a folder, the same for every spelling of its path."""
    return hasher(str(folder.resolve()).encode()).hexdigest()[:16]


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
            return pickle.loads(read_bytes(self.folder / f"{key}.pickle"))
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
    tmp = manifests / f".{place}.{os.getpid()}.tmp"
    try:
        manifests.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(used, sort_keys=True), encoding="utf-8")
        os.replace(tmp, manifests / f"{place}.json")
    except OSError:  # a cache that cannot be written only costs work next time
        _unlink(str(tmp))
        return
    keep: dict[str, set[str]] = {}
    for manifest in manifests.glob("*.json"):
        try:
            for folder, keys in json.loads(read_bytes(manifest)).items():
                keep.setdefault(folder, set()).update(keys)
        except (OSError, ValueError, AttributeError):
            return  # being replaced by another build: prune next time
    for folder, keys in keep.items():
        # An entry is KEY.pickle and any files beside it named KEY.<format>; names starting
        # with '.' are files still being written.
        for entry in (cache_dir / folder).glob("[!.]*"):
            if entry.name.split(".", 1)[0] not in keys:
                entry.unlink(missing_ok=True)
