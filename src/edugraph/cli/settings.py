"""The project a command works on: ``edugraph.toml`` found by walking up from the current folder,
the command's options taking over, and its base IRI and vocabulary put in use."""

from pathlib import Path
from typing import Any


def project(**given: Any) -> Any:
    """The :class:`edugraph.project.Project` of the current folder with the options a command
    was given (None: not given) taking over; its base IRI and vocabulary are now in use."""
    from edugraph.files import use_root
    from edugraph.model.kinds import use_base
    from edugraph.project import find_project
    from edugraph.vocab.ontology import use_vocabulary

    found = find_project(Path.cwd()).with_options(**given)
    use_root(found.root)  # the files it reads must be the project's
    if found.cache.exists() and not found.cache.is_dir():
        from edugraph.errors import UsageError
        from edugraph.outputs import shown

        raise UsageError(f"the cache '{shown(found.cache)}' is a file, not a folder",
                         hint="pass --cache DIR with a folder (it is made when missing)")
    use_base(found.base)
    use_vocabulary(found.vocabulary)
    return found


def query_folders(given: list[Path] | None, found: Any) -> list[Path]:
    """The folders of stored queries a command adds to the built-in ones: those ``--queries``
    gives, else those of the project ``found`` (without a project file: ``./queries`` when there
    is one)."""
    return list(given) if given else list(found.queries)
