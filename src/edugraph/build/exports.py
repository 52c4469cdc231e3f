"""Writing the exports: each file in pieces straight from the units' buffers, or, after an edit,
spliced from the previous build's file.

An export is its units' subject blocks in key order (see :mod:`edugraph.build.units`): at 100k
records some 300,000 runs of blocks, a run being consecutive subjects of one file, since files'
subjects interleave. After an edit that keeps every file's subjects (a value changed: the usual
edit) the runs are the previous build's and only the edited files' blocks differ. The previous
build's :class:`Layout`, cached under its stamp, says where each run starts in its exports, so
the stretches between the edited blocks are copied from those files inside the kernel
(``copy_file_range``, as ``cp`` copies) and only the edited blocks are written. Whatever leaves
the layout in doubt (other files, a file whose subjects changed, an export not as its build
wrote it, another frame) writes the export whole.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from edugraph.build.compile import Compiled
from edugraph.build.stamp import previous, signature
from edugraph.build.units import Unit
from edugraph.build.writers import frame
from edugraph.files import Cache, Chunk
from edugraph.outputs import sync_soon

LAYOUTS = "layouts"
"""The cache section of :class:`Layout` s, one per build stamp."""


@dataclass(slots=True)
class Layout:
    """How a build's exports are made of its units' blocks."""

    units: list[str]
    """The cache key of each part: the files' units in order, then the unit of terms."""
    subjects: list[str]
    """A digest of each part's subject keys (what its runs are made of)."""
    runs: array
    """(part, first block, end block) of each run, flattened, in the exports' order."""
    frames: dict[str, tuple[bytes, bytes, bytes]] = field(default_factory=dict)
    """Format -> the (head, separator, tail) it was written with."""
    starts: dict[str, array] = field(default_factory=dict)
    """Format -> where each run starts in its export."""


@dataclass(slots=True)
class Plan:
    """What a rebuild may copy from the previous build's exports."""

    layout: Layout
    folder: Path
    """Where the previous exports are."""
    signatures: dict[str, list[int]]
    """Export name -> its signature as the previous build wrote it."""
    segments: list[tuple[int, int, bool]]
    """(first run, end run, copied) in order: stretches of runs of unchanged parts, to copy,
    and single runs of changed parts, to write."""


class _Stale(Exception):
    """The previous export is not what its layout says (changed meanwhile)."""


def subjects_digest(unit: Unit) -> str:
    return hashlib.sha256(unit.key_text.encode()).hexdigest()


def plan(cache_dir: Path | None, out_dir: Path, compiled: Compiled) -> Plan | None:
    """What can be copied from the exports in ``out_dir``, or None: write them whole."""
    found = previous(out_dir) if cache_dir is not None else None
    if found is None:
        return None
    stamp, signatures = found
    layout = Cache(cache_dir / LAYOUTS).get(stamp)  # type: ignore[operator]
    keys, parts = compiled.part_keys(with_terms=True), compiled.parts(with_terms=True)
    if not isinstance(layout, Layout) or len(layout.units) != len(keys):
        return None
    changed = {p for p, (key, old) in enumerate(zip(keys, layout.units)) if key != old}
    if any(subjects_digest(parts[p]) != layout.subjects[p] for p in changed):
        return None
    return Plan(layout, out_dir, signatures, _segments(layout.runs[0::3], changed))


def _segments(owners: Sequence[int], changed: set[int]) -> list[tuple[int, int, bool]]:
    segments: list[tuple[int, int, bool]] = []
    done = 0
    for r in (r for r, part in enumerate(owners) if part in changed):
        if r > done:
            segments.append((done, r, True))
        segments.append((r, r + 1, False))
        done = r + 1
    if done < len(owners):
        segments.append((done, len(owners), True))
    return segments


def write_export(path: Path, fmt: str, compiled: Compiled, planned: Plan | None) -> array:
    """Write the export ``fmt`` of ``compiled`` to the new file ``path``, synced; returns where
    each run starts in it (for the next build's layout)."""
    framing = frame(fmt)
    if planned is not None and planned.layout.frames.get(fmt) == framing:
        try:
            return _spliced(path, fmt, compiled, planned, framing)
        except _Stale:
            path.unlink(missing_ok=True)
    write_file(path, compiled.pieces(fmt, with_terms=True))
    return _starts(compiled, fmt, framing)


def keep_layout(cache_dir: Path, stamp: str, compiled: Compiled, planned: Plan | None,
                starts: dict[str, array]) -> None:
    """Cache the layout of the exports just written, under their build's ``stamp``."""
    if planned is not None:  # a plan is only made for the same runs of the same subjects
        runs, subjects = planned.layout.runs, planned.layout.subjects
    else:
        runs = array("q", itertools.chain.from_iterable(compiled.runs(with_terms=True)))
        subjects = [subjects_digest(p) for p in compiled.parts(with_terms=True)]
    frames = {fmt: frame(fmt) for fmt in starts}
    layout = Layout(compiled.part_keys(with_terms=True), subjects, runs, frames, starts)
    Cache(cache_dir / LAYOUTS).put(stamp, layout)


def _starts(compiled: Compiled, fmt: str, framing: tuple[bytes, bytes, bytes]) -> array:
    head, separator, _ = framing
    parts = compiled.parts(with_terms=True)
    starts, at = array("q"), len(head)
    for i, j, k in compiled.runs(with_terms=True):
        starts.append(at)
        start, end = parts[i].span(fmt, j, k)
        at += end - start + len(separator)
    return starts


def _spliced(path: Path, fmt: str, compiled: Compiled, planned: Plan,
             framing: tuple[bytes, bytes, bytes]) -> array:
    head, separator, tail = framing
    layout, parts = planned.layout, compiled.parts(with_terms=True)
    runs, old_starts = layout.runs, layout.starts[fmt]
    name = path.name
    try:
        old = os.open(planned.folder / name, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        raise _Stale from None
    try:
        if signature(old) != planned.signatures.get(name):
            raise _Stale
        with _Output(path, old) as out:
            starts, at = array("q"), out.write(head)
            for n, (first, end, copied) in enumerate(planned.segments):
                if n:
                    at += out.write(separator)
                if copied:
                    # Unchanged parts: the same blocks as in the old file, at a shift.
                    i, j, k = runs[3 * (end - 1):3 * end]
                    begin, stop = parts[i].span(fmt, j, k)  # the stretch's last run
                    source = old_starts[first]
                    shift = at - source
                    starts.extend(start + shift for start in old_starts[first:end])
                    at += out.copy(source, old_starts[end - 1] + stop - begin - source)
                else:
                    i, j, k = runs[3 * first:3 * first + 3]
                    starts.append(at)
                    at += out.write(parts[i].block(fmt, j, k))
            at += out.write(tail)
            out.finish(at)
        return starts
    finally:
        os.close(old)


class _Output:
    """A new file written from pieces (batched into ``writev``) and ranges of an ``old`` one."""

    def __init__(self, path: Path, old: int | None = None) -> None:
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        self.old = old
        self.batch: list[Chunk] = []

    def __enter__(self) -> _Output:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def write(self, piece: Chunk) -> int:
        self.batch.append(piece)
        if len(self.batch) == _IOV_MAX:
            self._flush()
        return len(piece)

    def copy(self, offset: int, count: int) -> int:
        if self.old is None:
            raise _Stale  # nothing to copy from
        self._flush()
        copied = 0
        while copied < count:
            done = _copy_range(self.old, self.fd, count - copied, offset + copied)
            if done == 0:
                raise _Stale  # the old file ends early
            copied += done
        return count

    def finish(self, size: int | None = None) -> None:
        """Everything written, and synced before the folder is swapped in (in the background:
        :func:`edugraph.outputs.sync_soon`); ``size``: what the file must come to."""
        self._flush()
        if size is not None and os.fstat(self.fd).st_size != size:
            raise _Stale
        sync_soon(os.dup(self.fd), self.path)

    def _flush(self) -> None:
        _writev_all(self.fd, self.batch)
        self.batch = []


def _copy_range(src: int, dst: int, count: int, offset: int) -> int:
    """Up to ``count`` bytes of ``src`` from ``offset``, appended to ``dst``: in the kernel where
    it can (``copy_file_range``), else read and written."""
    global _IN_KERNEL
    if _IN_KERNEL:
        try:
            return os.copy_file_range(src, dst, count, offset)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM):
                raise
            _IN_KERNEL = False  # a file system or kernel without it
    os.lseek(src, offset, os.SEEK_SET)  # the old file is this module's alone: no pread needed
    data = os.read(src, min(count, 1 << 24))
    _writev_all(dst, [data])
    return len(data)


_IN_KERNEL = hasattr(os, "copy_file_range")

_IOV_MAX = 1024
"""Pieces per ``writev`` (Linux's and macOS's limit)."""


def write_file(path: Path, pieces: Iterable[Chunk]) -> None:
    """A new file of ``pieces``, synced (the folder is swapped in when every file is written).

    Written with ``writev`` a thousand pieces at a time, straight from the units' buffers: an
    export is some 300,000 pieces at 100k records, and buffered writes copied each twice."""
    with _Output(path) as out:
        for piece in pieces:
            out.write(piece)
        out.finish()


def _writev_all(fd: int, batch: list[Chunk]) -> None:
    """All of ``batch``, however much each call of ``writev`` takes (a full disk raises)."""
    if not batch:
        return
    done, total = os.writev(fd, batch), sum(len(piece) for piece in batch)
    if done < total:
        rest = memoryview(b"".join(batch))[done:]
        while rest:
            rest = rest[os.write(fd, rest):]
