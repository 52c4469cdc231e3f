"""The starter project ``edugraph init`` writes: a project that builds, validates, checks and is
grounded at once, for a curator to replace piece by piece.

It holds ``edugraph.toml`` (every key of :data:`edugraph.project.KEYS`, commented out, with its
doc), ``.gitignore`` (the exports and the cache), the JSON Schema of the record files that the
caller gives (``edugraph.schema.json``) with what points editors at it (``.vscode/settings.json``
for VS Code, and a ``yaml-language-server`` modeline atop each record file for any editor using
that language server), and the files of ``starter_files/`` beside this module: ``data/`` with one
made-up source record and a handful of records of different kinds citing it, ``data/sources/``
with that source's text, and ``queries/`` with a README on how to add a query. Existing files are
never overwritten: a folder that already holds anything is refused unless ``force`` is given, and
then the files it holds are kept.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from edugraph.errors import UsageError
from edugraph.files import write_atomic
from edugraph.project import KEYS, PROJECT_FILE, Key, Project

STARTER_FILES: Final = Path(__file__).parent / "starter_files"
"""The starter's records, source text and queries README, as the new project lays them out."""
GITIGNORE: Final = ".gitignore"
SCHEMA_FILE: Final = "edugraph.schema.json"
"""The JSON Schema of the record files (``edugraph schema -o edugraph.schema.json`` writes it again)."""
EDITOR_SETTINGS: Final = ".vscode/settings.json"

# Example values for the keys whose default is "not set": a key's default is shown otherwise, so
# a key added to KEYS appears in the project file with no edit here.
_EXAMPLES: Final[dict[str, Any]] = {
    "queries": ["queries"],
    "vocabulary": ["vocabulary.ttl"],
    "publisher": "Your name or your organisation's",
}
_HEADER: Final = """\
# edugraph.toml: this folder is an edugraph project. Every edugraph command run in it (or in a
# folder below it) reads this file; the paths in it are relative to this folder. Every key is
# optional: each is shown commented out, with its default or an example value. Remove the '#'
# in front of a key to set it; command-line options take over from this file.
#
# The records in data/ and the text in data/sources/ are a made-up example (the "Example Teacher
# Institute" announcing a workshop) for you to replace with your own.
"""


@dataclass(frozen=True, slots=True)
class Started:
    """What :func:`start_project` did: the files it wrote and those it found and left as they
    were, relative to the project folder, in the order of :func:`starter_files`."""

    root: Path
    created: tuple[Path, ...]
    kept: tuple[Path, ...]


def project_file_text() -> str:
    """The ``edugraph.toml`` of a new project: every key of KEYS commented out, with its doc."""
    blocks = [_HEADER]
    for key in KEYS:
        blocks.append(f"# {key.name}: {key.doc}\n# {key.name} = {_toml(_shown_value(key))}\n")
    return "\n".join(blocks)


def gitignore_text() -> str:
    """``.gitignore`` lines for what a build writes: the exports and the cache."""
    defaults = Project(root=Path("."))
    return "".join(f"/{path.as_posix()}/\n" for path in (defaults.out, defaults.cache))


def editor_settings_text() -> str:
    """``.vscode/settings.json``: the YAML extension's ``yaml.schemas`` mapping the schema file to
    every record file of the data folder."""
    data = Project(root=Path(".")).data.as_posix()
    # Two globs: language servers that read '**' as any number of folders need only the second;
    # older ones turn '*' into '.*' (any folders) and '**/' into a folder that must be there.
    settings = {"yaml.schemas": {f"./{SCHEMA_FILE}": [f"{data}/*.yaml", f"{data}/**/*.yaml"]}}
    return json.dumps(settings, indent=2) + "\n"


def modeline(path: Path) -> str:
    """The comment that points a YAML language server at the schema from the file at ``path``
    (relative to the project folder): the schema's path is relative to the file's folder."""
    up = "../" * (len(path.parts) - 1)
    return f"# yaml-language-server: $schema={up}{SCHEMA_FILE}\n"


def starter_files(schema: str) -> dict[Path, bytes]:
    """Every file of a new project (relative path -> content), in the order they are written;
    ``schema`` is the text of its JSON Schema (:func:`edugraph.model.schema.schema_text`)."""
    files: dict[Path, bytes] = {
        Path(PROJECT_FILE): project_file_text().encode("utf-8"),
        Path(GITIGNORE): gitignore_text().encode("utf-8"),
        Path(SCHEMA_FILE): schema.encode("utf-8"),
        Path(EDITOR_SETTINGS): editor_settings_text().encode("utf-8"),
    }
    for path in sorted(p for p in STARTER_FILES.rglob("*") if p.is_file()):
        relative = path.relative_to(STARTER_FILES)
        head = modeline(relative).encode("utf-8") if path.suffix == ".yaml" else b""
        files[relative] = head + path.read_bytes()
    return files


def start_project(folder: Path, schema: str, force: bool = False) -> Started:
    """Write the starter project, with ``schema`` as its JSON Schema, into ``folder`` (made when
    missing).

    Raises UsageError, writing nothing, when ``folder`` is not a folder, already holds a project
    file, or holds anything else and ``force`` is not given. With ``force`` every file the folder
    already has is kept as it is; only the missing ones are written.
    """
    _refuse(folder, force)
    files = starter_files(schema)
    kept = tuple(path for path in files if os.path.lexists(folder / path))
    # Every obstacle is found before the first write, so a refusal leaves the folder as it was.
    for path in files:
        for parent in reversed(path.parents[:-1]):
            if os.path.lexists(folder / parent) and not (folder / parent).is_dir():
                raise UsageError(f"'{folder / parent}' is not a folder",
                                 hint=f"move it away so that {path.as_posix()} can be written in it")
    created = []
    for path, content in files.items():
        if path in kept:
            continue
        write_atomic(folder / path, content)
        created.append(path)
    return Started(folder, tuple(created), kept)


def _refuse(folder: Path, force: bool) -> None:
    if os.path.lexists(folder) and not folder.is_dir():
        raise UsageError(f"'{folder}' is not a folder", hint="give the path of a new or empty folder")
    if not folder.is_dir():
        return
    if force:
        return
    if (folder / PROJECT_FILE).exists():
        raise UsageError(f"'{folder}' already holds an edugraph project ({folder / PROJECT_FILE})",
                         hint="edugraph init starts a project in a new or empty folder; pass --force "
                              "to add the starter's missing files, keeping every existing one")
    entries = sorted(entry.name for entry in folder.iterdir())
    if entries:
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise UsageError(f"'{folder}' is not empty ({len(entries)} entr{'y' if len(entries) == 1 else 'ies'}:"
                         f" {shown})",
                         hint="choose a new or empty folder, or pass --force to add the starter's "
                              "files beside them (no existing file is overwritten)")


def _shown_value(key: Key) -> Any:
    """The value a key's commented-out line shows: its default, or an example when it has none."""
    defaults = Project(root=Path("."))
    if key.name == "sources":
        return defaults.sources_dir.as_posix()
    known = set(Project._fields)
    value = getattr(defaults, key.name) if key.name in known else None
    if value in (None, ()):
        return _EXAMPLES.get(key.name, "...")
    return value


def _toml(value: Any) -> str:
    """A TOML value: paths and texts as strings, tuples and lists as arrays."""
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, Path):
        value = value.as_posix()
    # A JSON string of printable text is a TOML basic string.
    return json.dumps(str(value), ensure_ascii=False)
