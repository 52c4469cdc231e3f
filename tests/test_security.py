"""Reliability and security: hostile input is refused with a clear message, nothing reaches the
network, work is bounded, and a build killed at any moment loses nothing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from edugraph import netguard
from edugraph.build.shacl import validate_graph
from edugraph.errors import EngineError
from edugraph.query.stored import catalogue

from .conftest import POLICY

ORG = "organisations:\n  - id: o\n    name: O\n    sources: [doc-1]\n"




# --- 1. Strict records ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("events:\n  - id: e\n    name: E\n    online: NO\n    sources: [doc-1]\n",
         "error: data/x.yaml:4: event 'e', field 'online': 'NO' is not true, false or mixed; write true, false or mixed"),
        ("events:\n  - id: e\n    name: E\n    number: 0777\n    sources: [doc-1]\n",
         "error: data/x.yaml:4: event 'e', field 'number': '0777' is not a whole number; write a whole "
         "number without separators, e.g. 25"),
        (ORG + "    website: https://exa mple.org\n",
         "error: data/x.yaml:5: organisation 'o', field 'website': 'https://exa mple.org' is not a valid "
         "http(s) IRI; write a full http:// or https:// address without spaces"),
        (ORG + "    same_as: [https://example.org/a%zz]\n",
         "error: data/x.yaml:5: organisation 'o', field 'same_as': 'https://example.org/a%zz' is not a "
         "valid IRI (Invalid IRI percent encoding '%zz'); write a full http:// or https:// address "
         "without spaces"),
        ('organisations:\n  - id: o\n    name: "a\\ud800b"\n    sources: [doc-1]\n',
         "error: data/x.yaml:3: YAML syntax error: found invalid Unicode character escape code while "
         "parsing a quoted scalar; check quotes, colons and indentation"),
        ('organisations:\n  - id: o\n    name: "a\\u0007b"\n    sources: [doc-1]\n',
         "error: data/x.yaml:3: organisation 'o', field 'name': contains the control character U+0007"),
        ("organisations:\n  - id: o\n    name: &n O\n    aliases: [*n]\n    sources: [doc-1]\n",
         "error: data/x.yaml:3: anchors (&n) are not allowed; write the value out"),
        ("organisations:\n  - id: o\n    name: !!python/object/apply:os.system [ls]\n",
         "error: data/x.yaml:3: tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed; "
         "remove the tag"),
        (ORG + "---\n" + ORG,
         "error: data/x.yaml:5: more than one YAML document (---) in a file; put each document in a "
         "file of its own"),
        ("organisations: " + "[" * 5000,
         "error: data/x.yaml:1: nesting deeper than 64 levels"),
    ],
)
def test_strict_records(write_yaml, cli, text: str, message: str) -> None:
    write_yaml("x.yaml", text)
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]


def test_floats_and_text_stay_as_written(write_yaml, cli) -> None:
    write_yaml("x.yaml", "organisations:\n  - id: o\n    name: 1.10\n    aliases: [NO, 0777]\n"
                         "    sources: [doc-1]\n")
    result = cli("export", "--format", "nt")
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="nt")
    org = rdflib.URIRef("https://w3id.org/edugraph/id/organisation/o")
    assert graph.value(org, rdflib.URIRef("https://schema.org/name")) == rdflib.Literal("1.10")
    assert set(graph.objects(org, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))) == {
        rdflib.Literal("NO"), rdflib.Literal("0777")}


def test_text_is_nfc_normalised(write_yaml, cli) -> None:
    write_yaml("x.yaml", 'organisations:\n  - id: o\n    name: "Cafe\\u0301"\n    sources: [doc-1]\n')
    result = cli("export", "--format", "nt")
    assert '"Caf\u00e9"' in result.stdout


def test_oversized_file(write_yaml, cli, monkeypatch) -> None:
    monkeypatch.setattr("edugraph.build.yamlread.MAX_FILE_BYTES", 100)
    write_yaml("x.yaml", ORG + "#" * 200 + "\n")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: data/x.yaml: file is 259 bytes, over the limit of 100; split the records over several files"]


def test_invalid_utf8(write_yaml, cli) -> None:
    path = write_yaml("x.yaml", ORG)
    path.write_bytes(path.read_bytes() + b"    note: caf\xe9\n")
    result = cli("build")
    assert result.stderr.splitlines() == [
        "error: data/x.yaml:5: byte 0xe9 is not valid UTF-8; save the file as UTF-8"]


# --- 2. No network, no files outside the project ------------------------------------------------

REFUSALS = {
    "SERVICE": ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                "SERVICE calls another endpoint over the network"),
    "FROM": ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
             "FROM and FROM NAMED load other graphs, from the network or from files"),
    "FROM NAMED": ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
                   "FROM and FROM NAMED load other graphs, from the network or from files"),
    "LOAD": ("LOAD <file:///etc/passwd>", "LOAD reads a graph from a URL or a file"),
    "INSERT": ("INSERT POLICY { <http://a> <http://b> <http://c> }", "updates (INSERT) are not run"),
    "DROP": ("DROP ALL", "updates (DROP) are not run"),
    "CLEAR": ("CLEAR DEFAULT", "updates (CLEAR) are not run"),
}


@pytest.mark.parametrize("keyword", sorted(REFUSALS))
def test_sparql_that_reaches_out_or_writes_is_refused(policy_project: Path, cli, keyword: str) -> None:
    text, reason = REFUSALS[keyword]
    result = cli("sparql", text)
    assert result.exit_code == 2
    word = keyword.split()[0]
    assert result.stderr == (f"error: the query uses {word}: {reason}; edugraph runs read-only queries "
                             "on its own graph; use --endpoint for a remote store\n")


def test_stored_query_with_service_is_refused(policy_project: Path, cli) -> None:
    Path("queries/sneaky.rq").write_text(
        "# title: Sneaky\nSELECT * WHERE { service <http://127.0.0.1:9/> { ?s ?p ?o } }\n", encoding="utf-8")
    result = cli("query", "sneaky")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the query uses SERVICE: ")


def test_keywords_inside_strings_iris_and_comments_are_harmless(policy_project: Path, cli) -> None:
    text = ('SELECT ?n WHERE { ?s <https://schema.org/name> ?n FILTER(?n != "SERVICE FROM DROP") }'
            " # DROP ALL\nORDER BY ?n LIMIT 1")
    result = cli("sparql", text, "--format", "csv")
    assert result.exit_code == 0, result.output


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("remote.jsonld", '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://a"}',
         "error: {p}: JSON-LD @context refers to a remote or local document; edugraph does not fetch "
         "contexts; inline the context as a JSON object"),
        ("local.jsonld", '{"@context": ["/etc/passwd", {}], "@id": "http://a"}',
         "error: {p}: JSON-LD @context refers to a remote or local document; edugraph does not fetch "
         "contexts; inline the context as a JSON object"),
        ("import.jsonld", '{"@context": {"@import": "http://127.0.0.1:9/c"}, "@id": "http://a"}',
         "error: {p}: JSON-LD @import refers to a remote or local document; edugraph does not fetch "
         "contexts; inline the context as a JSON object"),
        ("laughs.rdf", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><rdf:RDF/>',
         "error: {p}: RDF/XML, TriX and other XML formats are not accepted as input; convert the file "
         "to Turtle or N-Triples first"),
        ("broken.ttl", "<http://a> <http://b> .\n",
         "error: {p}:1: not valid ttl: Parser error at line 1 column 23: . is not a valid RDF object"),
    ],
)
def test_rdf_input_is_screened(policy_project: Path, cli, name: str, text: str, message: str) -> None:
    path = _write(policy_project / name, text)
    result = cli("validate", "--graph", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(message.format(p=path))


def test_rdf_input_that_is_safe_is_validated(policy_project: Path, cli) -> None:
    path = _write(policy_project / "g.jsonld", '{"@context": {"name": "https://schema.org/name"}, '
                  '"@id": "https://w3id.org/edugraph/id/person/x", '
                  '"@type": "https://w3id.org/edugraph/ontology#Person", "name": "X"}')
    result = cli("validate", "--graph", str(path))
    assert result.exit_code == 1
    assert result.stdout == "violation: person:x has no source (field 'sources')\n"


def test_recursive_shapes_fail_instead_of_passing_silently() -> None:
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:n0 ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ] ;
            sh:property [ sh:path ex:next ; sh:node ex:S ] .
    """, format="turtle")
    chain = "\n".join(f"ex:n{i} ex:name 'n' ; ex:next ex:n{i + 1} ." for i in range(30))
    data = rdflib.Graph().parse(data=f"@prefix ex: <http://example.org/> .\n{chain}\n", format="turtle")
    with pytest.raises(EngineError, match="the shapes recurse deeper than pySHACL follows"):
        validate_graph(data, shapes=shapes)


def test_the_url_opener_refuses(monkeypatch) -> None:
    monkeypatch.setattr(urllib.request, "_opener", None)
    netguard.install()
    with pytest.raises(urllib.error.URLError, match="edugraph does not open URLs it was not given"):
        urllib.request.urlopen("http://127.0.0.1:9/")
    with pytest.raises(urllib.error.URLError, match="does not open URLs"):
        rdflib.Graph().parse("http://127.0.0.1:9/graph.ttl")
    with pytest.raises(urllib.error.URLError, match="does not open URLs"):
        urllib.request.urlopen("file:///etc/passwd")


def test_the_cli_installs_the_refusing_opener(policy_project: Path, cli, monkeypatch) -> None:
    monkeypatch.setattr(urllib.request, "_opener", None)
    assert cli("stats", "--format", "csv").exit_code == 0
    handlers = urllib.request._opener.handlers  # type: ignore[union-attr]
    assert any(isinstance(h, netguard.RefusingHandler) for h in handlers)


@pytest.fixture
def no_sockets(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_build_validate_and_every_query_without_network(policy_project: Path, cli, no_sockets) -> None:
    assert cli("build").exit_code == 0
    assert cli("validate").exit_code == 0
    assert cli("check").exit_code == 0
    for query in catalogue(Path("queries")):
        params = []
        words = query.example.split()
        for flag, value in zip(words[::2], words[1::2]):
            assert flag == "-p"
            params += ["-p", value]
        result = cli("query", query.name, *params, "--format", "json")
        assert result.exit_code == 0, (query.name, result.output)


# --- 3. Bounded work ---------------------------------------------------------------------------

def test_a_query_past_its_timeout_is_stopped(policy_project: Path) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "edugraph", "sparql", "--timeout", "1", heavy],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == ("error: the query ran longer than 1 s and was stopped; "
                                           "raise --timeout or narrow the query")
    assert time.monotonic() - started < 60


def test_oversized_query_is_refused(policy_project: Path, cli) -> None:
    result = cli("sparql", "SELECT * WHERE { ?s ?p ?o }" + " " * 1_000_001)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the query is 1,000,028 characters, over the limit of 1,000,000")


def test_did_you_mean_looks_at_a_bounded_number_of_candidates(monkeypatch) -> None:
    import difflib

    from edugraph import errors

    seen: list[int] = []
    original = difflib.get_close_matches

    def spy(word, possibilities, *args, **kwargs):
        seen.append(len(possibilities))
        return original(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", spy)
    assert errors.suggest("x" * 10_000, [f"x{i}" for i in range(100_000)]) is None
    assert seen == [errors.MAX_SUGGESTION_CANDIDATES]


# --- 4. Nothing lost ---------------------------------------------------------------------------

def _big_data(folder: Path, label: str, n: int = 1500) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.yaml").write_text("sources:\n  - id: s\n    name: S\n    file: s.txt\n",
                                         encoding="utf-8")
    lines = ["organisations:"]
    for i in range(n):
        lines += [f"  - id: org-{i}", f"    name: {label} {i}", "    sources: [s]"]
    lines.append("people:")
    for i in range(n):
        lines += [f"  - id: person-{i}", f"    name: Person {i}", "    sources: [s]", "    positions:",
                  f"      - organisation: org-{i}", "        title: Director"]
    (folder / "records.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _build(cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "edugraph", "build", "-q"], cwd=cwd,
                            env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_killed_build_leaves_the_previous_dist_whole(tmp_path: Path) -> None:
    _big_data(tmp_path / "data", "Old")
    started = time.monotonic()
    assert _build(tmp_path).wait(timeout=300) == 0
    duration = time.monotonic() - started
    old = {p.name: p.read_bytes() for p in (tmp_path / "dist").iterdir() if not p.name.startswith(".")}
    _big_data(tmp_path / "data", "New")
    for fraction in (0.2, 0.5, 0.8, 0.9, 0.95, 1.0):
        process = _build(tmp_path)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        files = {p.name: p.read_bytes() for p in (tmp_path / "dist").iterdir() if not p.name.startswith(".")}
        assert set(files) == set(old)
        for name, data in files.items():
            if data != old[name]:
                # Not the old file: then it must be a whole new one, which parses completely.
                fmt = {"edugraph.ttl": ox.RdfFormat.TURTLE, "edugraph.nt": ox.RdfFormat.N_TRIPLES,
                       "edugraph.jsonld": ox.RdfFormat.JSON_LD, "void.ttl": ox.RdfFormat.TURTLE}[name]
                assert len(list(ox.parse(data, format=fmt))) == len(list(ox.parse(old[name], format=fmt)))
        # A temporary file may survive a SIGKILL, but it is hidden and never an output's name.
        for path in (tmp_path / "dist").iterdir():
            assert path.name in old or path.name.startswith("."), path.name


def test_racing_builds_never_tear_a_file(tmp_path: Path) -> None:
    _big_data(tmp_path / "data", "Race", n=500)
    builds = [_build(tmp_path) for _ in range(3)]
    assert [b.wait(timeout=300) for b in builds] == [0, 0, 0]
    reference = tmp_path / "reference"
    assert subprocess.run([sys.executable, "-m", "edugraph", "build", "-q", "--out", str(reference)],
                          cwd=tmp_path).returncode == 0
    for path in reference.glob("edugraph.*"):
        assert (tmp_path / "dist" / path.name).read_bytes() == path.read_bytes()


def test_exports_are_identical_under_different_hash_seeds(tmp_path: Path) -> None:
    shutil.copytree(POLICY, tmp_path / "data")
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"dist-{seed}"
        assert subprocess.run([sys.executable, "-m", "edugraph", "build", "-q", "--out", str(out)],
                              cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": seed}).returncode == 0
        outputs.append({p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")})
    assert outputs[0] == outputs[1]
    assert sorted(outputs[0]) == ["edugraph.jsonld", "edugraph.nt", "edugraph.ttl", "void.ttl"]
