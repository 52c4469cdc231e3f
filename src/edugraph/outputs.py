"""Folders edugraph replaces whole: a build's exports, the docs site, a loaded store.

A new folder is written beside the target under a unique name (``.<name>.edugraph-new-XXXXXXXX``),
every file and the folder synced, then swapped with the target in one step: on Linux by
``renameat2(RENAME_EXCHANGE)``, which trades two folders atomically, so a reader, a crash, a full
disk or Ctrl-C at any moment sees the old set of files or the new one, never a mix. The old set,
now under the unique name, is then removed. Where the exchange is not supported (another system,
a file system without it) the target is renamed aside and the new folder renamed in: two steps,
between which the target is missing for a moment (a run killed there has the old set put back by
the next); where the target is a mount point (it cannot be renamed), the new folder is written
inside it (``<target>/.edugraph-new-XXXXXXXX``) and its files replace the target's one by one,
each whole.

Only what edugraph made is ever removed: the unique folders it made itself, and leftovers of a
killed run, recognised by the file :data:`STAGING` it writes first into each new folder. Writers
of folders beside one another take a lock on their common parent in turn.

Every failure to write (a read-only or full disk, a path under a file) is an :class:`OutputError`
saying that nothing was replaced; :func:`interrupted_note` says, after Ctrl-C, what was.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from edugraph.errors import OutputError

STAGING = ".edugraph-staging"
"""The first file of every folder edugraph writes to swap in: what marks a leftover as its own."""
NEW_FOLDER = ".edugraph-new-"
"""How the name of every folder written to be swapped in begins (after ``.<target name>``, or
alone inside a target that is a mount point)."""

_checks: list[Callable[[], str | None]] = []
"""What this process began to replace: each says what was replaced, if it was."""


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def output_error(exc: OSError, path: Path, outcome: str) -> OutputError:
    """The one-line error for an OSError writing ``path``; ``outcome`` says what is left."""
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) or isinstance(exc, (NotADirectoryError, FileExistsError)):
        above = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if above is not None:
            return OutputError(f"cannot write '{shown(path)}': '{shown(above)}' is a file, not a folder; {outcome}",
                               hint="give a path in a folder")
    reason = (exc.strerror or type(exc).__name__).lower()
    return OutputError(f"cannot write '{shown(path)}': {reason}; {outcome}",
                       hint=_hint(exc.errno))


def _hint(code: int | None) -> str | None:
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return "free some space, or write elsewhere"
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "write to a folder you can write"
    return None


def watch(check: Callable[[], str | None]) -> None:
    """Remember a replacement this process began (see :func:`interrupted_note`)."""
    _checks.append(check)


def forget() -> None:
    """Start a command afresh: what an earlier command of this process replaced is not its own."""
    _checks.clear()


def interrupted_note() -> str:
    """What an interrupted command leaves written, as the end of a message: ``nothing was
    written.``, or which outputs were replaced before the interrupt (found on disk)."""
    done = [said for said in (check() for check in _checks) if said]
    return "; ".join(done) + "." if done else "nothing was written."


PAUSE_VARIABLE = "EDUGRAPH_TEST_PAUSE"


def pause(phase: str) -> None:
    """The tests' hook into a write: with ``EDUGRAPH_TEST_PAUSE=phase`` in the environment, say
    ``paused at phase`` on stderr and wait (for the signal the test sends). Phases: ``compile``
    (the exports not begun), ``write`` (one file of the new set written), ``synced`` (the new set
    complete, not swapped in), ``swapped`` (swapped in, the old set not yet removed)."""
    if os.environ.get(PAUSE_VARIABLE) == phase:
        import sys
        import time

        sys.stderr.write(f"paused at {phase}\n")
        sys.stderr.flush()
        time.sleep(600)


_syncing: dict[Path, list[tuple[Any, list[OSError]]]] = {}
"""The folders :func:`replacing_folder` is writing -> the background syncs of their files
(:func:`sync_soon`): each thread and what it raised."""


def sync_soon(fd: int, path: Path) -> None:
    """fsync ``fd`` (the file ``path``) and close it. In a folder :func:`replacing_folder` gave, in
    a thread: the caller writes the next file while the disk takes this one, and the folder is
    swapped in only once every such sync has ended well. Anywhere else, now."""
    import threading

    folder = next((f for f in (path.parent, *path.parent.parents) if f in _syncing), None)
    if folder is None:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return
    failed: list[OSError] = []

    def run() -> None:
        try:
            os.fsync(fd)
        except OSError as exc:
            failed.append(exc)
        finally:
            os.close(fd)

    worker = threading.Thread(target=run, name="edugraph-fsync", daemon=True)
    worker.start()
    _syncing[folder].append((worker, failed))


def _wait_syncs(folder: Path) -> list[OSError]:
    """Wait for the background syncs of the files of ``folder`` so far; what they raised."""
    pending, _syncing[folder] = _syncing.get(folder, []), []
    failures: list[OSError] = []
    for worker, failed in pending:
        worker.join()
        failures += failed
    return failures


def fsync_folder(folder: Path) -> None:
    """Make a folder's new entries durable (a rename is only safe once its folder is synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left in it): the parent of
    the folders swapped in, so writers racing on the same output take turns."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def umask() -> int:
    """The process's umask (read without changing it for long)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _exchange(new: Path, target: Path) -> bool:
    """Trade ``new`` and ``target`` in one step (Linux renameat2); False where not supported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(target), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EBUSY, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def clear_leftovers(target: Path) -> None:
    """Remove what killed runs left beside ``target`` (or inside it, a mount point): folders of
    the unique names this module makes that hold :data:`STAGING` (call under :func:`locked`, so
    none is another run's). A target that a run killed between the two renames of the fallback
    left missing is put back."""
    # imported where used: shutil loads the compressors, and every command imports this module
    import shutil

    found: list[os.DirEntry[str]] = []
    for folder, prefix in ((target.parent, f".{target.name}{NEW_FOLDER}"), (target, NEW_FOLDER)):
        try:
            found += [e for e in os.scandir(folder) if e.name.startswith(prefix)]
        except OSError:
            pass
    for entry in sorted(found, key=lambda e: e.path):
        if entry.is_dir(follow_symlinks=False) \
                and os.path.isfile(os.path.join(entry.path, STAGING)):
            old = Path(entry.path, "old")
            if not os.path.lexists(target) and old.is_dir():
                os.rename(old, target)
            shutil.rmtree(entry.path, ignore_errors=True)


@contextmanager
def replacing_folder(target: Path, what: str = "the files") -> Iterator[Path]:
    """Yield a new, empty folder beside ``target``; when the block ends without an error it
    replaces ``target`` whole (see the module's docstring), else it is removed and ``target`` is
    as it was. ``what`` names the content in messages (``the exports``).

    The caller has made sure ``target`` is missing or edugraph's own: its whole content goes.
    """
    import shutil
    import tempfile

    given = target
    target = Path(os.path.realpath(target))  # a linked folder: replace what the link points to
    kept = f"nothing was replaced ({what} in '{shown(given)}' are as they were)" \
        if target.exists() else "nothing was written"
    if target.exists() and not target.is_dir():
        raise OutputError(f"'{shown(given)}' is a file, not a folder", hint="give a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = locked(target.parent)
        lock.__enter__()
    except OSError as exc:
        raise output_error(exc, given, kept) from None
    state = {"swapped": False}
    try:
        clear_leftovers(target)
        inside = os.path.ismount(target)  # a mount point cannot be renamed: write inside it
        tmp = Path(tempfile.mkdtemp(dir=target if inside else target.parent,
                                    prefix=NEW_FOLDER if inside else f".{target.name}{NEW_FOLDER}"))
        _syncing[tmp] = []
        try:
            (tmp / STAGING).write_bytes(b"")
            yield tmp
            os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes 0700; the result is for sharing
            _sync_tree(tmp)
            if target.exists():  # what is swapped out is then a leftover this module can clear
                (target / STAGING).write_bytes(b"")
            watch(lambda: f"{what} in '{shown(given)}' were replaced whole" if state["swapped"] else None)
            pause("synced")
            _swap(tmp, target, state)
            fsync_folder(target.parent)
            pause("swapped")
            os.unlink(target / STAGING)
        finally:
            _wait_syncs(tmp)  # a failure before the swap: what its files' syncs say no longer matters
            del _syncing[tmp]
            # After the swap, tmp holds the old set; before it, the partial new one.
            shutil.rmtree(tmp, ignore_errors=True)
            if not state["swapped"] and target.is_dir():
                _unlink_quietly(target / STAGING)
    except OSError as exc:
        raise output_error(exc, given, "it was replaced whole" if state["swapped"] else kept) from None
    finally:
        lock.__exit__(None, None, None)


def _swap(tmp: Path, target: Path, state: dict[str, bool]) -> None:
    """Put ``tmp`` in ``target``'s place; ``tmp`` then holds the old content (or nothing)."""
    import shutil

    if not target.exists():
        os.rename(tmp, target)
        state["swapped"] = True
        return
    if tmp.parent == target:  # a mount point: its entries one by one, each whole
        for entry in sorted(os.listdir(tmp), key=lambda name: name == STAGING):
            if os.path.isdir(tmp / entry) and os.path.isdir(target / entry):
                shutil.rmtree(target / entry)
            os.replace(tmp / entry, target / entry)
        state["swapped"] = True
        return
    if _exchange(tmp, target):
        state["swapped"] = True
        return
    import tempfile

    aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}{NEW_FOLDER}"))
    (aside / STAGING).write_bytes(b"")
    os.rename(target, aside / "old")
    os.rename(tmp, target)
    state["swapped"] = True
    os.rename(aside, tmp)  # the old content under tmp, for the caller's clean-up


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_tree(folder: Path) -> None:
    """fsync every file and folder under ``folder`` (the new set is durable before the swap)."""
    failures = _wait_syncs(folder)
    if failures:
        raise failures[0]  # the first: what the message says of the disk
    for root, _, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_folder(Path(root))
