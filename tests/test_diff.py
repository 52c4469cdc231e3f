"""edugraph diff: two versions of the records compared, a folder or a git revision on each side,
in the words of the YAML and statement by statement; git is only read, never written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from edugraph.starter import gitignore_text

from .conftest import PROVENANCE, ROOT

ID = "https://w3id.org/edugraph/id/"
EG = "https://w3id.org/edugraph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(autouse=True)
def plain_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """git as a fresh install has it: no user or system configuration (signing, hooks, ...)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Curator", "-c", "user.email=curator@example.org",
                           "-c", "init.defaultBranch=main", *args], cwd=folder, capture_output=True,
                          text=True, check=True)
    return done.stdout


def commit(folder: Path, message: str) -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository at tmp_path with the provenance dataset committed as data/, and the
    working directory there."""
    shutil.copytree(PROVENANCE, tmp_path / "data")
    # As edugraph init writes it: what a build writes stays out of the repository.
    (tmp_path / ".gitignore").write_text(gitignore_text(), encoding="utf-8")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "the provenance records")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit(data: Path) -> None:
    """A curator's edit: a title changed, a position with its own sources added, a record (and
    the participation naming it) removed, an alias with its own sources added."""
    people = data / "people.yaml"
    replace(people, "        title: Vice Rector\n", "        title: Rector\n")
    replace(people, "        end: 2022\n        sources: [src-b]\n",
            "        end: 2022\n        sources: [src-b]\n"
            "      - organisation: teachers-alliance\n"
            "        title: {value: Treasurer, sources: [src-b]}\n"
            "        start: 2023\n"
            "        sources: [src-b]\n")
    replace(people, people.read_text(encoding="utf-8").split("\n\n", 1)[1], "")
    replace(data / "events.yaml",
            "      - agent: vice-harbour-city-mayor\n        role: attendee\n        sources: [src-a]\n", "")
    replace(data / "organisations.yaml", "      - {value: Harbour Uni, sources: [src-b]}\n",
            "      - {value: Harbour Uni, sources: [src-b]}\n      - {value: UoH, sources: [src-a]}\n")


TEXT = """\
{old} -> {new}: 1 removed, 3 changed
changed organisation harbour-university "Harbour University"
  aliases: + "UoH" [src-a]
changed person lena-park "Lena Park"
  positions harbour-university #1: changed
    title: "Vice Rector" -> "Rector"
  positions teachers-alliance #2: added
    organisation: + teachers-alliance
    title: + "Treasurer" [src-b]
    start: + 2023
    sources: + src-b
removed person vice-harbour-city-mayor "Vice Harbour City Mayor (unnamed)"
  mentioned_as: - "Vice Harbour City Mayor"
  sources: - src-a
changed event harbour-forum-2024 "Harbour Forum 2024"
  participants vice-harbour-city-mayor attendee: removed
    agent: - vice-harbour-city-mayor
    role: - attendee
    sources: - src-a
"""

MARKDOWN = """\
**HEAD:data → data: 1 removed, 3 changed**

### changed organisation `harbour-university`: Harbour University

| field | old | new |
|---|---|---|
| aliases |  | "UoH" [src-a] |

### changed person `lena-park`: Lena Park

**positions harbour-university #1**: changed

| field | old | new |
|---|---|---|
| title | "Vice Rector" | "Rector" |

**positions teachers-alliance #2**: added

| field | old | new |
|---|---|---|
| organisation |  | teachers-alliance |
| title |  | "Treasurer" [src-b] |
| start |  | 2023 |
| sources |  | src-b |

### removed person `vice-harbour-city-mayor`: Vice Harbour City Mayor (unnamed)

| field | old | new |
|---|---|---|
| mentioned_as | "Vice Harbour City Mayor" |  |
| sources | src-a |  |

### changed event `harbour-forum-2024`: Harbour Forum 2024

**participants vice-harbour-city-mayor attendee**: removed

| field | old | new |
|---|---|---|
| agent | vice-harbour-city-mayor |  |
| role | attendee |  |
| sources | src-a |  |
"""


def value(v: object, sources: list[str] | None = None) -> dict:
    return {"value": v, "sources": sources}


def change(field: str, old: list[dict], new: list[dict], many: bool = False) -> dict:
    return {"field": field, "list": many, "old": old, "new": new}


JSON = {
    "old": "HEAD:data",
    "new": "data",
    "counts": {"added": 0, "removed": 1, "changed": 3},
    "records": [
        {"kind": "organisation", "id": "harbour-university", "iri": f"{ID}organisation/harbour-university",
         "status": "changed", "name": "Harbour University",
         "fields": [change("aliases", [], [value("UoH", ["src-a"])], many=True)],
         "relationships": []},
        {"kind": "person", "id": "lena-park", "iri": f"{ID}person/lena-park", "status": "changed",
         "name": "Lena Park", "fields": [],
         "relationships": [
             {"field": "positions", "kind": "position", "key": ["harbour-university", "1"],
              "iri": f"{ID}position/lena-park--harbour-university--1", "status": "changed",
              "fields": [change("title", [value("Vice Rector")], [value("Rector")])]},
             {"field": "positions", "kind": "position", "key": ["teachers-alliance", "2"],
              "iri": f"{ID}position/lena-park--teachers-alliance--2", "status": "added",
              "fields": [change("organisation", [], [value("teachers-alliance")]),
                         change("title", [], [value("Treasurer", ["src-b"])]),
                         change("start", [], [value("2023")]),
                         change("sources", [], [value("src-b")], many=True)]},
         ]},
        {"kind": "person", "id": "vice-harbour-city-mayor", "iri": f"{ID}person/vice-harbour-city-mayor",
         "status": "removed", "name": "Vice Harbour City Mayor (unnamed)",
         "fields": [change("mentioned_as", [value("Vice Harbour City Mayor")], [], many=True),
                    change("sources", [value("src-a")], [], many=True)],
         "relationships": []},
        {"kind": "event", "id": "harbour-forum-2024", "iri": f"{ID}event/harbour-forum-2024",
         "status": "changed", "name": "Harbour Forum 2024", "fields": [],
         "relationships": [
             {"field": "participants", "kind": "participation",
              "key": ["vice-harbour-city-mayor", "attendee"],
              "iri": f"{ID}participation/harbour-forum-2024--vice-harbour-city-mayor--attendee",
              "status": "removed",
              "fields": [change("agent", [value("vice-harbour-city-mayor")], []),
                         change("role", [value("attendee")], []),
                         change("sources", [value("src-a")], [], many=True)]},
         ]},
    ],
}


def statement_lines() -> list[str]:
    forum = f"<{ID}event/harbour-forum-2024>"
    attendee = f"<{ID}participation/harbour-forum-2024--vice-harbour-city-mayor--attendee>"
    mayor = f"<{ID}person/vice-harbour-city-mayor>"
    uni = f"<{ID}organisation/harbour-university>"
    rector = f"<{ID}position/lena-park--harbour-university--1>"
    treasurer = f"<{ID}position/lena-park--teachers-alliance--2>"
    alias = f"<{ID}statement/harbour-university--aliases--47175cb1788b>"
    title = f"<{ID}statement/lena-park--title--c5c1d9ecb9e9>"
    src_a, src_b = f"<{ID}source/src-a>", f"<{ID}source/src-b>"
    a = f"<{RDF}type>"
    derived = f"<{PROV}wasDerivedFrom>"
    lines = [
        f"- {forum} <{PROV}qualifiedAssociation> {attendee} .",
        f'+ {uni} <http://www.w3.org/2004/02/skos/core#altLabel> "UoH" .',
        f"- {attendee} {a} <{PROV}Association> .",
        f"- {attendee} {a} <{EG}Participation> .",
        f"- {attendee} <{PROV}agent> {mayor} .",
        f"- {attendee} <{PROV}hadRole> <https://w3id.org/edugraph/concept/participation-role/attendee> .",
        f"- {attendee} {derived} {src_a} .",
        f"- {mayor} {a} <https://schema.org/Person> .",
        f"- {mayor} {a} <{EG}Person> .",
        f'- {mayor} <http://www.w3.org/2004/02/skos/core#hiddenLabel> "Vice Harbour City Mayor" .',
        f"- {mayor} {derived} {src_a} .",
        f'+ {rector} <{EG}title> "Rector" .',
        f'- {rector} <{EG}title> "Vice Rector" .',
        f"+ {treasurer} {a} <{ORG}Membership> .",
        f"+ {treasurer} {a} <{EG}Position> .",
        f"+ {treasurer} <{ORG}member> <{ID}person/lena-park> .",
        f"+ {treasurer} <{ORG}organization> <{ID}organisation/teachers-alliance> .",
        f"+ {treasurer} {derived} {src_b} .",
        f'+ {treasurer} <https://schema.org/startDate> "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
        f'+ {treasurer} <{EG}title> "Treasurer" .',
        f'+ {alias} <{RDF}object> "UoH" .',
        f"+ {alias} <{RDF}predicate> <http://www.w3.org/2004/02/skos/core#altLabel> .",
        f"+ {alias} <{RDF}subject> {uni} .",
        f"+ {alias} {a} <{RDF}Statement> .",
        f"+ {alias} {derived} {src_a} .",
        f'+ {title} <{RDF}object> "Treasurer" .',
        f"+ {title} <{RDF}predicate> <{EG}title> .",
        f"+ {title} <{RDF}subject> {treasurer} .",
        f"+ {title} {a} <{RDF}Statement> .",
        f"+ {title} {derived} {src_b} .",
    ]
    return lines


def outside_git(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but git's own and the build's cache (which the working tree's
    side is read through, as every command reads it), with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not {".git", ".edugraph-cache"} & set(p.relative_to(root).parts)}


def test_nothing_differs(cli, repo: Path) -> None:
    result = cli("diff")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "HEAD:data -> data: no records differ\n", "")
    result = cli("diff", "--triples")
    assert (result.exit_code, result.stdout) == (0, "")
    assert cli("diff", "--format", "json").stdout == json.dumps(
        {"old": "HEAD:data", "new": "data", "counts": {"added": 0, "removed": 0, "changed": 0},
         "records": []}, indent=2) + "\n"


def test_layout_list_order_and_file_make_no_difference(cli, repo: Path) -> None:
    # The graph is the same: an alias list reordered, a record moved to a file of its own.
    data = repo / "data"
    replace(data / "organisations.yaml", "      - HU\n      - {value: Harbour Uni, sources: [src-b]}\n",
            "      - {value: Harbour Uni, sources: [src-b]}\n      - HU\n")
    replace(data / "places.yaml", "\ntopics:\n  - id: teacher-education\n    name: Teacher education\n"
            "    sources: [src-a]\n", "")
    (data / "more" / "topics.yaml").parent.mkdir()
    (data / "more" / "topics.yaml").write_text(
        "# moved\ntopics:\n  - {id: teacher-education, name: Teacher education, sources: [src-a]}\n",
        encoding="utf-8")
    assert cli("diff").exit_code == 0
    assert cli("diff", "--triples").exit_code == 0


def test_text(cli, repo: Path) -> None:
    edit(repo / "data")
    result = cli("diff")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == TEXT.format(old="HEAD:data", new="data")


def test_markdown(cli, repo: Path) -> None:
    edit(repo / "data")
    result = cli("diff", "--format", "md")
    assert (result.exit_code, result.stdout) == (1, MARKDOWN)


def test_json(cli, repo: Path) -> None:
    edit(repo / "data")
    result = cli("diff", "-f", "json")
    assert result.exit_code == 1
    assert result.stdout == json.dumps(JSON, indent=2) + "\n"


def test_triples(cli, repo: Path) -> None:
    edit(repo / "data")
    result = cli("diff", "--triples")
    assert (result.exit_code, result.stdout.splitlines()) == (1, statement_lines())
    removed = [line[2:] for line in statement_lines() if line.startswith("- ")]
    added = [line[2:] for line in statement_lines() if line.startswith("+ ")]
    assert cli("diff", "--triples", "-f", "json").stdout == json.dumps(
        {"old": "HEAD:data", "new": "data", "removed": removed, "added": added}, indent=2) + "\n"
    assert cli("diff", "--triples", "-f", "md").stdout.splitlines() == [
        "**HEAD:data → data**: 11 statements removed, 19 added", "", "```diff", *statement_lines(), "```"]


def test_a_value_whose_own_sources_change_is_removed_and_added(cli, repo: Path) -> None:
    replace(repo / "data" / "organisations.yaml", "      - HU\n", "      - {value: HU, sources: [src-a]}\n")
    replace(repo / "data" / "organisations.yaml", "    start: 1950\n", "    start: {value: 1950, sources: [src-a]}\n")
    result = cli("diff")
    assert (result.exit_code, result.stdout) == (1, (
        "HEAD:data -> data: 1 changed\n"
        'changed organisation harbour-university "Harbour University"\n'
        '  aliases: - "HU" + "HU" [src-a]\n'
        "  start: 1950 -> 1950 [src-a]\n"))


def test_folder_against_folder(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PROVENANCE, tmp_path / "before")
    shutil.copytree(PROVENANCE, tmp_path / "after")
    edit(tmp_path / "after")
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "before", "after")
    assert (result.exit_code, result.stdout) == (1, TEXT.format(old="before", new="after"))
    assert cli("diff", "after", "after").exit_code == 0


def test_revision_against_revision_and_the_working_tree(cli, repo: Path) -> None:
    edit(repo / "data")
    commit(repo, "an edit")
    result = cli("diff", "HEAD~1", "HEAD")
    assert (result.exit_code, result.stdout) == (1, TEXT.format(old="HEAD~1:data", new="HEAD:data"))
    main = git(repo, "rev-parse", "HEAD").strip()
    first = git(repo, "rev-parse", "HEAD~1").strip()
    result = cli("diff", first)  # against the working tree, which is now the edit
    assert (result.exit_code, result.stdout) == (1, TEXT.format(old=f"{first}:data", new="data"))
    assert cli("diff", main).exit_code == 0
    assert cli("diff", "HEAD", "main").exit_code == 0


def test_revision_against_a_folder(cli, repo: Path) -> None:
    shutil.copytree(repo / "data", repo / "edited")
    edit(repo / "edited")
    result = cli("diff", "HEAD", "edited")
    assert (result.exit_code, result.stdout) == (1, TEXT.format(old="HEAD:data", new="edited"))


def test_neither_the_work_tree_nor_the_index_is_touched(cli, repo: Path) -> None:
    edit(repo / "data")
    git(repo, "add", "data/people.yaml")  # something staged, something not
    files = outside_git(repo)
    status = git(repo, "status", "--porcelain")
    assert status == " M data/events.yaml\n M data/organisations.yaml\nM  data/people.yaml\n"
    index = (repo / ".git" / "index").read_bytes()
    for args in (["diff"], ["diff", "--triples"], ["diff", "HEAD", "HEAD"], ["diff", "nope"]):
        cli(*args)
        assert (repo / ".git" / "index").read_bytes() == index
        assert outside_git(repo) == files
    assert git(repo, "status", "--porcelain") == status


def test_a_side_that_is_neither_a_folder_nor_a_revision(cli, repo: Path) -> None:
    result = cli("diff", "nope")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"error: 'nope' is neither a folder nor a revision of the git repository at {repo}; give a "
        "folder of records, or a commit, branch or tag ('git log --oneline' lists the commits)"]
    # A name git would read as an option is no revision either.
    assert cli("diff", "HEAD", "--", "--output=x").exit_code == 2
    assert not (repo / "x").exists()


def test_outside_a_repository_only_folders_compare(cli, provenance_project: Path) -> None:
    result = cli("diff")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: 'HEAD' is not a folder, nor can it be a git revision: the data folder 'data' is not "
        "in a git repository; give two folders of records: edugraph diff OLD NEW"]


def test_a_revision_without_the_data_folder(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    commit(tmp_path, "nothing yet")
    shutil.copytree(PROVENANCE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = cli("diff")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: revision 'HEAD' has no folder 'data'; give a revision that holds the data folder, "
        "or a folder of records"]


def test_a_revision_that_does_not_load_names_rev_and_path(cli, repo: Path) -> None:
    broken = repo / "data" / "broken.yaml"
    broken.write_text("people:\n  - id: x\n    name: [\n", encoding="utf-8")
    commit(repo, "a broken file")
    broken.unlink()
    result = cli("diff")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: HEAD:data/broken.yaml:4: YAML syntax error: did not find expected node content "
        "while parsing a flow node; check quotes, colons and indentation"]
    # Both sides broken: the problems of both, together.
    (repo / "data" / "dup.yaml").write_text(
        "people:\n  - id: lena-park\n    name: Lena Park\n    sources: [src-a]\n", encoding="utf-8")
    result = cli("diff")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: HEAD:data/broken.yaml:4: YAML syntax error: did not find expected node content "
        "while parsing a flow node; check quotes, colons and indentation",
        "error: data/people.yaml:2: person 'lena-park', field 'id': id 'lena-park' is already used "
        "by the person at data/dup.yaml:2; give each record an id of its own, or merge the two records",
        "2 errors; nothing was written.",
    ]


def test_a_project_below_the_repository_top(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The data folder's path in a revision is its path from the repository's top.
    project = tmp_path / "graphs" / "harbour"
    shutil.copytree(PROVENANCE, project / "records")
    (project / "edugraph.toml").write_text('data = "records"\n', encoding="utf-8")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "a project in a folder")
    edit(project / "records")
    (project / "records" / "more.yaml").write_text("topics:\n  - id: x\n", encoding="utf-8")
    commit(tmp_path, "a broken edit")
    (project / "records" / "more.yaml").unlink()
    monkeypatch.chdir(project / "records")  # the project is found by walking up
    result = cli("diff", "HEAD~1")
    assert (result.exit_code, result.stdout) == (1, TEXT.format(old="HEAD~1:graphs/harbour/records", new="."))
    result = cli("diff", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: HEAD:graphs/harbour/records/more.yaml:2: topic 'x': has no 'name'; add 'name: ...'",
        "error: HEAD:graphs/harbour/records/more.yaml:2: topic 'x': has no 'sources'; add 'sources: [source-id]'",
        "2 errors; nothing was written.",
    ]


def test_the_readme_example_is_what_diff_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.split("$ edugraph diff\n", 1)[1].split("```", 1)[0] == TEXT.format(old="HEAD:data", new="data")
