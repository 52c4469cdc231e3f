"""A project of one's own: ``edugraph.toml`` found by walking up, its keys checked with file and
line, its paths resolved beside it, options overriding it; records minted under its ``base``; its
``vocabulary`` terms accepted, labelled and listed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph.model.kinds import PREFIXES, use_base
from edugraph.project import DEFAULT_BASE, KEYS, Project, ProjectError, find_project, read_project
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import CONCEPT, record_iri

BASE = "https://example.org/id/"
TERM = "https://example.org/vocab/workshop-series"
VOCABULARY = f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{TERM}> a skos:Concept ;
    skos:inScheme <https://w3id.org/edugraph/concept/event-type> ;
    skos:prefLabel "workshop series"@en .
"""


@pytest.fixture(autouse=True)
def default_vocabulary() -> Iterator[None]:
    """Every test starts and ends with edugraph's own base IRI and vocabulary."""
    use_base(DEFAULT_BASE)
    ontology.use_vocabulary([])
    yield
    use_base(DEFAULT_BASE)
    ontology.use_vocabulary([])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Finding and reading the file


def test_without_a_file_the_defaults_hold(tmp_path: Path) -> None:
    found = find_project(tmp_path)
    assert (found.file, found.data, found.out, found.cache, found.queries, found.base) == (
        None, Path("data"), Path("dist"), Path(".edugraph-cache"), (), DEFAULT_BASE)
    (tmp_path / "queries").mkdir()
    assert find_project(tmp_path).queries == (Path("queries"),)


def test_the_file_is_found_walking_up_and_paths_resolve_beside_it(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "texts").mkdir()
    write(tmp_path / "edugraph.toml", 'data = "records"\nsources = "texts"\nout = "public"\n'
                                      'base = "https://example.org/id/"\ntitle = "Our graph"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    found = find_project(deep)
    root = tmp_path.resolve()
    assert (found.file, found.data, found.sources_dir, found.out, found.base, found.title) == (
        root / "edugraph.toml", root / "records", root / "texts", root / "public", BASE, "Our graph")
    assert found.cache == root / ".edugraph-cache"  # not set: the default, beside the file
    assert found.queries == ()  # no queries/ beside the file
    (tmp_path / "queries").mkdir()
    assert find_project(deep).queries == (root / "queries",)


def test_options_override_the_file(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    write(tmp_path / "edugraph.toml", 'data = "records"\n')
    found = find_project(tmp_path).with_options(data=Path("other"), cache=None)
    assert found.data == Path("other") and found.cache == tmp_path.resolve() / ".edugraph-cache"


def test_sources_default_to_the_data_folders(tmp_path: Path) -> None:
    assert Project(root=tmp_path, data=tmp_path / "d").sources_dir == tmp_path / "d" / "sources"


@pytest.mark.parametrize(("text", "message"), [
    ('data = "data"\nbogus = 1\n',
     "edugraph.toml:2: unknown key 'bogus'; keys are: " + ", ".join(k.name for k in KEYS)),
    ('datta = "data"\n', "edugraph.toml:1: unknown key 'datta'; did you mean 'data'?"),
    ("data = 3\n", "edugraph.toml:1: field 'data': must be a path, not the number 3; write data = \"folder\""),
    ('queries = ["q", 1]\n',
     "edugraph.toml:1: field 'queries': must be a path or a list of paths, not the number 1; "
     'write queries = "folder"'),
    ('data = "missing"\n',
     "edugraph.toml:1: field 'data': 'missing' does not exist; create it beside edugraph.toml, or fix the path"),
    ('base = "example.org/id/"\n',
     "edugraph.toml:1: field 'base': 'example.org/id/' is not an absolute IRI; write it in full, "
     "e.g. https://example.org/id/"),
    ('base = "https://example.org/id"\n',
     "edugraph.toml:1: field 'base': 'https://example.org/id' does not end in '/' or '#'; "
     'write base = "https://example.org/id/" so that ids follow it'),
    ("title = true\n", "edugraph.toml:1: field 'title': must be a text, not true; write title = \"...\""),
    ('title = "x"\ntitle = "y"\n',
     "edugraph.toml:2: is not valid TOML: Cannot overwrite a value; see https://toml.io for the syntax"),
])
def test_a_bad_file_is_one_line_with_file_and_line(tmp_path: Path, monkeypatch, text: str,
                                                   message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "q").mkdir()
    write(tmp_path / "edugraph.toml", text)
    with pytest.raises(ProjectError) as caught:
        read_project(tmp_path / "edugraph.toml")
    assert caught.value.format() == message


def test_a_bad_file_stops_a_command_with_exit_2(small_data: Path, cli) -> None:
    write(Path("edugraph.toml"), "out = [\n")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: edugraph.toml:1: is not valid TOML: ")


def test_commands_take_their_folders_from_the_file(small_data: Path, cli) -> None:
    small_data.rename("records")
    write(Path("edugraph.toml"), 'data = "records"\nout = "public"\ncache = "cache"\n')
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["wrote public/edugraph.ttl", "wrote public/edugraph.jsonld",
                                              "wrote public/edugraph.nt", "wrote public/void.ttl"]
    assert Path("cache/units").is_dir()
    assert cli("build", "--out", "elsewhere").stdout.splitlines()[1] == "wrote elsewhere/edugraph.ttl"


# ---------------------------------------------------------------------------------------------
# The project's base IRI


def test_records_are_minted_under_the_base(small_data: Path, cli) -> None:
    write(Path("edugraph.toml"), f'base = "{BASE}"\ntitle = "Our graph"\npublisher = "Our group"\n')
    assert cli("build").exit_code == 0
    subjects = {t.subject.value for t in ox.parse(path="dist/edugraph.nt", format=ox.RdfFormat.N_TRIPLES)}
    assert f"{BASE}person/ada-lovelace" in subjects
    # The records are minted under the base; the vocabulary terms the export carries keep theirs.
    assert not [s for s in subjects if not s.startswith((BASE, str(CONCEPT)))]
    assert f"{CONCEPT}participation-role/chair" in subjects
    context = json.loads(Path("dist/edugraph.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["person"] == f"{BASE}person/"
    assert "@prefix person: <https://example.org/id/person/> ." in Path("dist/edugraph.ttl").read_text()
    void = {(t.subject.value, t.predicate.value, t.object.value)
            for t in ox.parse(path="dist/void.ttl", format=ox.RdfFormat.TURTLE)}
    dataset = f"{BASE}dataset"
    assert (dataset, "http://rdfs.org/ns/void#uriSpace", BASE) in void
    assert (dataset, "http://purl.org/dc/terms/title", "Our graph") in void
    assert (f"{dataset}/publisher", "http://xmlns.com/foaf/0.1/name", "Our group") in void
    shown = cli("query", "positions", "-p", "person=ada-lovelace", "--format", "csv")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[1].startswith(f"{BASE}person/ada-lovelace,Dean,{BASE}organisation/")


def test_the_base_moves_iris_and_prefixes_and_back() -> None:
    use_base(BASE)
    assert record_iri("person", "x") == f"{BASE}person/x"
    assert PREFIXES.curie(f"{BASE}person/x") == "person:x"
    assert ontology.context()["topic"] == f"{BASE}topic/"
    patterns = {t.object.value for t in ontology.triples(ontology.SHAPES_FILE)
                if t.predicate.value.endswith("#pattern") and "person" in t.object.value}
    assert patterns == {r"^https://example\.org/id/person/[a-z0-9]+(-[a-z0-9]+)*$"}
    use_base(DEFAULT_BASE)
    assert PREFIXES.curie(f"{BASE}person/x") == f"<{BASE}person/x>"


# ---------------------------------------------------------------------------------------------
# The project's vocabulary


def test_a_project_term_is_accepted_labelled_and_listed(small_data: Path, cli) -> None:
    write(Path("vocabulary.ttl"), VOCABULARY)
    write(Path("edugraph.toml"), 'vocabulary = ["vocabulary.ttl"]\n')
    records = small_data / "records.yaml"
    records.write_text(records.read_text(encoding="utf-8").replace("type: ceremony", "type: workshop-series"),
                       encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert (f"<https://w3id.org/edugraph/id/event/opening> <http://purl.org/dc/terms/type> <{TERM}> ."
            in Path("dist/edugraph.nt").read_text(encoding="utf-8"))
    # The export carries the project's term as it carries edugraph's, and stands alone with it.
    nt = Path("dist/edugraph.nt").read_text(encoding="utf-8").splitlines()
    assert [line for line in nt if line.startswith(f"<{TERM}>")] == [
        f"<{TERM}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2004/02/skos/core#Concept> .",
        f"<{TERM}> <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/edugraph/concept/event-type> .",
        f'<{TERM}> <http://www.w3.org/2004/02/skos/core#prefLabel> "workshop series"@en .']
    alone = cli("validate", "--graph", "dist/edugraph.ttl")
    assert (alone.exit_code, alone.stdout) == (0, "conforms: no SHACL results\n")
    listed = cli("vocab", "event-type")
    assert listed.exit_code == 0
    row = next(line for line in listed.stdout.splitlines() if "workshop-series" in line)
    assert [cell.strip() for cell in row.split("│")[1:5]] == [
        "event-type", "workshop-series", "workshop series", str(Path("vocabulary.ttl").resolve())]
    assert "  type: workshop series" in cli("show", "opening").stdout.splitlines()


def test_without_the_file_the_term_is_unknown(small_data: Path, cli) -> None:
    records = small_data / "records.yaml"
    records.write_text(records.read_text(encoding="utf-8").replace("type: ceremony", "type: workshop-series"),
                       encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 2
    assert "'workshop-series' is not in the event-type vocabulary" in result.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("<https://example.org/x> a <http://www.w3.org/2004/02/skos/core#Concept> ;\n",
     "vocabulary.ttl:2: is not valid Turtle: "),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n<https://example.org/v/x> a skos:Concept ;\n"
     '    skos:prefLabel "x" .\n',
     "vocabulary.ttl:3: the concept <https://example.org/v/x> has no skos:inScheme; add skos:inScheme "
     "with one of the schemes edugraph vocab lists"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<https://example.org/v/x> a skos:Concept ;\n"
     "    skos:inScheme <https://w3id.org/edugraph/concept/event-type> .\n",
     "vocabulary.ttl:2: the concept <https://example.org/v/x> has no skos:prefLabel; "
     'add skos:prefLabel "..."@en'),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<https://example.org/v/workshop> a skos:Concept ;\n"
     '    skos:inScheme <https://w3id.org/edugraph/concept/event-type> ; skos:prefLabel "w" .\n',
     "vocabulary.ttl:2: the event-type term 'workshop' is already defined in the built-in vocabulary; "
     "give the concept another name, or remove one"),
])
def test_a_bad_vocabulary_file_names_file_and_line(small_data: Path, cli, text: str, message: str) -> None:
    write(Path("vocabulary.ttl"), text)
    write(Path("edugraph.toml"), 'vocabulary = ["vocabulary.ttl"]\n')
    result = cli("build")
    assert result.exit_code == 2
    line = result.stderr.splitlines()[0].replace(str(Path("vocabulary.ttl").resolve()), "vocabulary.ttl")
    assert line.startswith("error: " + message), line
