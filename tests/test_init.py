"""``edugraph init`` in-process: the files a new project gets, exactly; the folders it refuses, with
their messages and exit codes; ``--force`` keeping every existing file; and the new project
building, validating, passing its checks and grounded in its source at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from edugraph.model.schema import schema_text
from edugraph.project import KEYS, PROJECT_FILE, Project, read_project
from edugraph.starter import project_file_text, starter_files
from edugraph.vocab.ontology import vocabularies

from .conftest import ROOT

FILES = [
    "edugraph.toml",
    ".gitignore",
    "edugraph.schema.json",
    ".vscode/settings.json",
    "data/events.yaml",
    "data/organisations.yaml",
    "data/people.yaml",
    "data/places.yaml",
    "data/sources/example-announcement.txt",
    "data/sources.yaml",
    "data/topics.yaml",
    "queries/README.md",
]


def next_steps(cd: str | None) -> list[str]:
    return [
        "",
        "next steps:",
        f"  {f'cd {cd} && ' if cd else ''}edugraph build",
        "  edugraph check && edugraph check-sources   # the records' integrity and their sources",
        "  then replace the example in data/ and data/sources/ with your own records and texts",
    ]


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_makes_a_new_folder_with_the_starter_files(here: Path, cli: Callable[..., Result]) -> None:
    result = cli("init", "p")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"created p/{name}" for name in FILES] + next_steps("p")
    assert files_in(here / "p") == set(FILES)
    written = starter_files(schema_text(vocabularies()))
    assert {path.as_posix(): content for path, content in written.items()} == {
        name: (here / "p" / name).read_bytes() for name in FILES}
    assert (here / "p" / ".gitignore").read_text(encoding="utf-8") == "/dist/\n/.edugraph-cache/\n"


def test_init_fills_an_existing_empty_folder(here: Path, cli: Callable[..., Result]) -> None:
    (here / "p").mkdir()
    result = cli("init", "p")
    assert (result.exit_code, result.stderr) == (0, "")
    assert files_in(here / "p") == set(FILES)


def test_init_without_a_folder_starts_the_project_here(here: Path, cli: Callable[..., Result]) -> None:
    result = cli("init")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"created {name}" for name in FILES] + next_steps(None)
    assert files_in(here) == set(FILES)


def test_init_makes_missing_parent_folders(here: Path, cli: Callable[..., Result]) -> None:
    result = cli("init", "a/b/my project")
    assert result.exit_code == 0
    assert files_in(here / "a" / "b" / "my project") == set(FILES)
    assert "  cd 'a/b/my project' && edugraph build" in result.stdout.splitlines()


def test_init_refuses_a_folder_that_is_not_empty(here: Path, cli: Callable[..., Result]) -> None:
    (here / "p").mkdir()
    for name in ("notes.txt", "b", "c", ".git"):
        (here / "p" / name).write_text("mine\n", encoding="utf-8")
    result = cli("init", "p")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: 'p' is not empty (4 entries: .git, b, c, ...); choose a new or empty folder, or pass "
        "--force to add the starter's files beside them (no existing file is overwritten)"]
    assert files_in(here / "p") == {"notes.txt", "b", "c", ".git"}


def test_init_names_the_one_entry_of_a_folder(here: Path, cli: Callable[..., Result]) -> None:
    (here / "p" / "data").mkdir(parents=True)
    result = cli("init", "p")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: 'p' is not empty (1 entry: data); ")


def test_init_refuses_a_folder_holding_a_project(here: Path, cli: Callable[..., Result]) -> None:
    (here / "p").mkdir()
    (here / "p" / PROJECT_FILE).write_text("", encoding="utf-8")
    result = cli("init", "p")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: 'p' already holds an edugraph project (p/edugraph.toml); edugraph init starts a "
        "project in a new or empty folder; pass --force to add the starter's missing files, keeping "
        "every existing one"]
    assert files_in(here / "p") == {PROJECT_FILE}


def test_a_project_above_the_folder_does_not_stop_init(here: Path, cli: Callable[..., Result]) -> None:
    # Only the folder itself is looked at: a project may hold another one (find_project finds the
    # nearest edugraph.toml, so the new one is the one its commands read).
    (here / PROJECT_FILE).write_text("", encoding="utf-8")
    result = cli("init", "p")
    assert result.exit_code == 0
    assert files_in(here / "p") == set(FILES)


def test_init_refuses_a_file(here: Path, cli: Callable[..., Result]) -> None:
    (here / "p").write_text("mine\n", encoding="utf-8")
    for args in (("init", "p"), ("init", "p", "--force")):
        result = cli(*args)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == "error: 'p' is not a folder; give the path of a new or empty folder\n"
    assert (here / "p").read_text(encoding="utf-8") == "mine\n"


def test_force_keeps_every_existing_file(here: Path, cli: Callable[..., Result]) -> None:
    (here / "p" / "data").mkdir(parents=True)
    mine = {PROJECT_FILE: 'title = "Mine"\n', "data/people.yaml": "people: []\n", "notes.txt": "mine\n"}
    for name, text in mine.items():
        (here / "p" / name).write_text(text, encoding="utf-8")
    result = cli("init", "p", "--force")
    assert (result.exit_code, result.stderr) == (0, "")
    created = [name for name in FILES if name not in mine]
    assert result.stdout.splitlines() == (
        [f"created p/{name}" for name in created]
        + ["kept    p/edugraph.toml (it exists; not overwritten)",
           "kept    p/data/people.yaml (it exists; not overwritten)"]
        + next_steps("p"))
    assert files_in(here / "p") == set(FILES) | {"notes.txt"}
    assert {name: (here / "p" / name).read_text(encoding="utf-8") for name in mine} == mine


def test_force_twice_writes_nothing(here: Path, cli: Callable[..., Result]) -> None:
    assert cli("init", "p").exit_code == 0
    (here / "p" / "data" / "events.yaml").write_text("events: []\n", encoding="utf-8")
    result = cli("init", "p", "--force")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:len(FILES)] == [
        f"kept    p/{name} (it exists; not overwritten)" for name in FILES]
    assert (here / "p" / "data" / "events.yaml").read_text(encoding="utf-8") == "events: []\n"


def test_force_refuses_a_file_where_a_folder_goes_and_writes_nothing(
        here: Path, cli: Callable[..., Result]) -> None:
    (here / "p").mkdir()
    (here / "p" / "data").write_text("mine\n", encoding="utf-8")
    result = cli("init", "p", "--force")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: 'p/data' is not a folder; move it away so that data/events.yaml "
                             "can be written in it\n")
    assert files_in(here / "p") == {"data"}


def test_a_dangling_link_is_kept_not_replaced(here: Path, cli: Callable[..., Result]) -> None:
    (here / "p").mkdir()
    (here / "p" / ".gitignore").symlink_to(here / "nowhere")
    result = cli("init", "p", "--force")
    assert result.exit_code == 0
    assert "kept    p/.gitignore (it exists; not overwritten)" in result.stdout.splitlines()
    assert (here / "p" / ".gitignore").is_symlink()


def test_the_project_file_lists_every_key_commented_out_with_its_doc() -> None:
    text = project_file_text()
    assert re.findall(r"^(\w+)\s*=", text, flags=re.M) == []  # nothing is set
    for key in KEYS:
        assert f"# {key.name}: {key.doc}\n# {key.name} = " in text
    assert [m for m in re.findall(r"^# (\w+) = ", text, flags=re.M)] == [key.name for key in KEYS]
    assert "made-up example" in text


def test_the_project_file_with_every_key_set_is_the_defaults(here: Path) -> None:
    # Each commented-out line is a valid setting: taking every '#' away gives a project file that
    # reads, and says what the defaults say (the examples aside).
    text = re.sub(r"^# (\w+ = )", r"\1", project_file_text(), flags=re.M)
    (here / PROJECT_FILE).write_text(text, encoding="utf-8")
    for folder in ("data/sources", "queries"):
        (here / folder).mkdir(parents=True)
    (here / "vocabulary.ttl").write_text("", encoding="utf-8")
    found = read_project(here / PROJECT_FILE)
    defaults = Project(root=here)
    assert found.data == here / defaults.data
    assert found.sources_dir == here / defaults.sources_dir
    assert (found.out, found.cache) == (here / defaults.out, here / defaults.cache)
    assert found.queries == (here / "queries",)
    assert found.vocabulary == (here / "vocabulary.ttl",)
    assert (found.base, found.title, found.license) == (defaults.base, defaults.title, defaults.license)
    assert found.publisher == "Your name or your organisation's"


def test_the_source_text_says_it_is_a_made_up_example(here: Path, cli: Callable[..., Result]) -> None:
    cli("init", "p")
    first = (here / "p" / "data" / "sources" / "example-announcement.txt").read_text(encoding="utf-8")
    assert first.splitlines()[0].startswith("This is a made-up example that edugraph init wrote: replace it")


@pytest.fixture
def started(here: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> Path:
    assert cli("init", "p").exit_code == 0
    monkeypatch.chdir(here / "p")
    return here / "p"


def test_the_new_project_builds_validates_and_is_grounded(started: Path, cli: Callable[..., Result]) -> None:
    built = cli("build")
    assert (built.exit_code, built.stderr) == (0, "")
    assert built.stdout.splitlines() == [
        "6 records, 62 triples", "wrote dist/edugraph.ttl", "wrote dist/edugraph.jsonld",
        "wrote dist/edugraph.nt", "wrote dist/void.ttl"]
    validated = cli("validate")
    assert (validated.exit_code, validated.stdout) == (0, "conforms: no SHACL results\n")
    grounded = cli("check-sources")
    assert (grounded.exit_code, grounded.stdout) == (0, "grounded: 5 records, 4 relationships in 1 source\n")
    card = cli("show", "jane-example")
    assert card.exit_code == 0
    assert "Director" in card.stdout and "Example Teacher Institute" in card.stdout


def test_the_new_project_passes_the_integrity_checks(started: Path, cli: Callable[..., Result]) -> None:
    # The integrity checks are built-in stored queries: the new project's queries/ is empty.
    result = cli("check")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout and all(line.startswith("ok ") for line in result.stdout.splitlines())


def test_the_readme_names_every_key_of_the_project_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Start your own graph\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    assert rows == [key.name for key in KEYS]
