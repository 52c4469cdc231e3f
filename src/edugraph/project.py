"""``edugraph.toml``: a project's settings, found by walking up from the current folder.

A project file sits at a project's root (as ``pyproject.toml`` or ``ruff.toml`` do); every
command finds it by walking up from the folder it runs in, and resolves the paths it names
relative to the file's folder. Without one, the defaults hold relative to the current folder:
``data/``, ``queries/`` (when there is one), ``dist/``, ``.edugraph-cache/``. Command-line
options override the file. Every key is optional::

    data = "data"                      # the folder of *.yaml records
    sources = "data/sources"           # the folder of the source documents' texts
    queries = ["queries"]              # folders of stored queries, added to the built-in ones
    out = "dist"                       # where ``edugraph build`` writes
    cache = ".edugraph-cache"          # the build's cache and the query store
    vocabulary = ["vocabulary.ttl"]    # Turtle files of terms of one's own (SKOS concepts)
    base = "https://example.org/id/"   # the IRI under which the records are minted
    title = "..."                      # the dataset's title, license and publisher, as void.ttl
    license = "https://creativecommons.org/licenses/by/4.0/"   # and the docs site show them
    publisher = "..."

A bad file (TOML that does not parse, an unknown key, a value of the wrong type, a path that does
not exist, a ``base`` that is not an absolute IRI ending in ``/`` or ``#``) is a ProjectError
naming the file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from edugraph.errors import InputError, excerpt, suggest
from edugraph.files import read_bytes

PROJECT_FILE: Final = "edugraph.toml"
DEFAULT_BASE: Final = "https://w3id.org/edugraph/id/"
DEFAULT_TITLE: Final = "edugraph: organisations, people, events and initiatives of teacher-education policy"
DEFAULT_LICENSE: Final = "https://creativecommons.org/licenses/by/4.0/"
SOURCES_FOLDER: Final = "sources"
"""The folder of the data folder that holds the sources' texts, unless ``sources`` names another."""

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class ProjectError(InputError):
    """The project file is wrong: it does not parse, or a key or value is not what it may be."""


class Key(NamedTuple):
    """One key of the project file."""

    name: str
    kind: str
    """``path`` (must exist), ``place`` (a path made when needed), ``paths`` (a path or a list of
    paths, each must exist), ``iri`` or ``text``."""
    doc: str


KEYS: Final[tuple[Key, ...]] = (
    Key("data", "path", "the folder of *.yaml records"),
    Key("sources", "path", "the folder of the source documents' texts (default: <data>/sources)"),
    Key("queries", "paths", "folders of stored queries, added to the built-in catalogue"),
    Key("out", "place", "the folder edugraph build writes the exports to"),
    Key("cache", "place", "the folder of the build's cache and the query store (safe to delete)"),
    Key("vocabulary", "paths", "Turtle files of SKOS concepts of the project's own"),
    Key("base", "iri", "the IRI under which the project's records are minted (ends in / or #)"),
    Key("title", "text", "the dataset's title, as void.ttl and the docs site show it"),
    Key("license", "iri", "the IRI of the dataset's license"),
    Key("publisher", "text", "who publishes the dataset"),
)
"""Every key, in the order ``edugraph init`` writes them."""


# A named tuple, not a dataclass: see edugraph.model.values.Temporal.
class Project(NamedTuple):
    """A project's settings with every path absolute (or relative to the current folder when
    there is no project file); a key the file leaves out takes its default beside the file."""

    root: Path
    file: Path | None = None
    data: Path = Path("data")
    sources: Path | None = None
    queries: tuple[Path, ...] = ()
    out: Path = Path("dist")
    cache: Path = Path(".edugraph-cache")
    vocabulary: tuple[Path, ...] = ()
    base: str = DEFAULT_BASE
    title: str = DEFAULT_TITLE
    license: str = DEFAULT_LICENSE
    publisher: str | None = None
    lines: Mapping[str, int] = MappingProxyType({})
    """Key -> its line in the file (for messages about a value)."""

    @property
    def sources_dir(self) -> Path:
        """The folder of the sources' texts: ``sources``, else the data folder's ``sources/``."""
        return self.sources if self.sources is not None else self.data / SOURCES_FOLDER

    def with_options(self, **given: Any) -> Project:
        """This project with the options a command was given (None: not given) taking over.

        A data folder given without a sources folder brings its own texts (``<data>/sources/``):
        the project's ``sources`` belong to the project's data, not to another folder of records.
        """
        taken = {k: v for k, v in given.items() if v is not None}
        if "data" in taken and "sources" not in taken:
            taken["sources"] = None
        return self._replace(**taken)


def find_project(start: Path) -> Project:
    """The project whose ``edugraph.toml`` is in ``start`` or the nearest folder above it; the
    defaults, relative to ``start``, when there is none."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if os.path.lexists(candidate) and not candidate.is_dir():  # a FIFO there is refused
            return read_project(candidate)
    queries = (Path("queries"),) if (start / "queries").is_dir() else ()
    return Project(root=start, queries=queries)


def read_project(path: Path) -> Project:
    """The settings of one project file; raises ProjectError naming the file and line."""
    import tomllib

    shown = _shown_path(path)
    try:
        text = read_bytes(path).decode("utf-8")  # a FIFO or a device refused, never waited on
    except UnicodeDecodeError as exc:
        raise ProjectError(f"is not UTF-8 text ({exc.reason} at byte {exc.start})", file=shown) from None
    except OSError as exc:
        raise ProjectError(f"cannot be read ({exc.strerror})", file=shown) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", str(exc))
        # "at end of document": the problem is on the file's last line.
        line = int(found.group(1)) if found else max(1, len(text.splitlines()))
        raise ProjectError(f"is not valid TOML: {excerpt(reason)}", file=shown, line=line,
                           hint="see https://toml.io for the syntax") from None
    lines = _key_lines(text)
    root = path.parent.resolve()
    known = {key.name: key for key in KEYS}
    values: dict[str, Any] = {}
    for name, value in table.items():
        key = known.get(name)
        line = lines.get(name)
        if key is None:
            raise ProjectError(f"unknown key '{name}'", file=shown, line=line,
                               hint=suggest(name, known) or f"keys are: {', '.join(known)}")
        values[name] = _value(key, value, root, shown, line)
    # What the file leaves out takes its default beside the file, wherever the command runs.
    defaults = Project(root=root)
    for name in ("data", "out", "cache"):
        values.setdefault(name, root / getattr(defaults, name))
    if "queries" not in values and (root / "queries").is_dir():
        values["queries"] = (root / "queries",)
    return Project(root=root, file=path, lines=lines, **values)


def _key_lines(text: str) -> dict[str, int]:
    """Key -> the line it is set on: a top-level ``key = value`` line, or a ``[key]`` table."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*\[*\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*[=\].]", line)
        if match:
            found.setdefault(match.group(1).strip('"'), number)
    return found


def _shown_path(path: Path) -> str:
    """How messages name the project file: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _value(key: Key, value: Any, root: Path, path: str, line: int | None) -> Any:
    def wrong(message: str, hint: str | None = None) -> ProjectError:
        return ProjectError(message, file=path, line=line, record=None, field=key.name, hint=hint)

    if key.kind in ("text", "iri"):
        if not isinstance(value, str) or not value.strip():
            raise wrong(f"must be a text, not {_shown(value)}", f'write {key.name} = "..."')
        if key.kind == "iri" and not _ABSOLUTE_IRI.match(value):
            raise wrong(f"'{value}' is not an absolute IRI", "write it in full, e.g. https://example.org/id/")
        if key.name == "base" and not value.endswith(("/", "#")):
            raise wrong(f"'{value}' does not end in '/' or '#'",
                        f"write {key.name} = \"{value}/\" so that ids follow it")
        return value
    entries = value if key.kind == "paths" and isinstance(value, list) else [value]
    paths: list[Path] = []
    for entry in entries:
        if not isinstance(entry, str) or not entry:
            kind = "a path or a list of paths" if key.kind == "paths" else "a path"
            raise wrong(f"must be {kind}, not {_shown(entry)}", f'write {key.name} = "folder"')
        resolved = root / entry
        if key.kind != "place" and not resolved.exists():
            raise wrong(f"'{entry}' does not exist", f"create it beside {PROJECT_FILE}, or fix the path")
        paths.append(resolved)
    return tuple(paths) if key.kind == "paths" else paths[0]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return repr(value)
