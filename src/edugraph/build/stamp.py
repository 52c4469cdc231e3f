"""Whether the exports of the last build are still those of the data: what lets a rebuild with
nothing changed write nothing.

A build leaves, beside its exports, a marker (:data:`OUTPUT_MARK`) holding a *stamp*: a hash of
everything the exports are made from (edugraph's version, the vocabularies and shapes, the
instance base, the SHACL engine, the dataset's title, licence and publisher, and every record
file's name and bytes), the counts the build reported, and each export's size, modification time
and inode as written. A build whose stamp is the marker's, with every export still as it was
written, has nothing to do. Inputs are compared by their bytes (an edit that keeps a file's size
and time is still seen), read once for the build's cache keys; the exports only by their
metadata, which any write changes. A build run from another folder names its files otherwise
in its messages, so it stamps otherwise and builds again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from edugraph.build.void import About

OUTPUT_MARK = ".edugraph-dist"
"""The file that marks a folder as the exports of a build (replaced whole by the next)."""
_HEAD = b"written by 'edugraph build'; replaced whole by the next build\n"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class Done:
    """What the last build of the same stamp reported."""

    records: Counter[str]
    triples: int


def stamp(keys: Sequence[str], engine: str, about: About) -> str:
    """The hash of everything a build's exports are made from: the record files' cache keys
    (each a hash of edugraph's version, vocabularies, shapes and base IRI, the file's name and
    its bytes; see :func:`edugraph.build.compile.record_files`), the engine and ``about``."""
    digest = hashlib.sha256(json.dumps([engine, about.title, about.license, about.publisher]).encode())
    digest.update("\0".join(keys).encode())
    return digest.hexdigest()


def _signature(path: Path) -> list[int]:
    return _signed(path.stat())


def _signed(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def write_mark(folder: Path, files: Sequence[str], built: str, records: Counter[str], triples: int) -> None:
    """The marker of a build's exports in ``folder`` (``files``: their names there), synced."""
    state = {"version": _VERSION, "stamp": built, "records": dict(sorted(records.items())),
             "triples": triples, "files": {name: _signature(folder / name) for name in files}}
    with (folder / OUTPUT_MARK).open("xb") as f:
        f.write(_HEAD + json.dumps(state, sort_keys=True).encode() + b"\n")
        f.flush()
        os.fsync(f.fileno())


def up_to_date(folder: Path, built: str) -> Done | None:
    """What the build that wrote ``folder`` reported, when it had the stamp ``built`` and its
    exports are all still as it wrote them; else None (build again)."""
    state = _intact(folder)
    if state is None or state["stamp"] != built:
        return None
    try:
        return Done(Counter(state["records"]), int(state["triples"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged marker: build again


def previous(folder: Path) -> tuple[str, dict[str, list[int]]] | None:
    """The stamp of the build that wrote ``folder`` and each export's signature (size,
    modification time, inode), when its exports are all still as it wrote them; else None."""
    state = _intact(folder)
    return None if state is None else (state["stamp"], state["files"])


def signature(fd: int) -> list[int]:
    """An open file's signature, as the marker holds it."""
    return _signed(os.fstat(fd))


def _intact(folder: Path) -> dict | None:
    """The marker of ``folder`` when every export it names is as written, and nothing else is
    there; else None."""
    try:
        _, _, body = (folder / OUTPUT_MARK).read_bytes().partition(b"\n")
        state = json.loads(body)
        if state.get("version") != _VERSION or not isinstance(state.get("stamp"), str):
            return None
        # Anything else in the folder (what an interrupted build left) is cleared by building.
        if sorted(os.listdir(folder)) != sorted([OUTPUT_MARK, *state["files"]]):
            return None
        for name, sign in state["files"].items():
            if "/" in name or _signature(folder / name) != sign:
                return None
        return state
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no marker, an older one, or one damaged: build again
