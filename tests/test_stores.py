"""Triple stores: a real Oxigraph server started here on 127.0.0.1, push and remote queries that
agree with the local ones, named graphs per source, the on-disk store, the VoID description, and
clear errors for a server that is down, failing, refusing or slow."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from edugraph.query import remote
from edugraph.query.stored import bind, catalogue
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import CONCEPT
from edugraph.vocab.terms import to_rdflib

from .conftest import POLICY, PROVENANCE, compile_whole, data_source, exported_triples

GRAPH = "https://w3id.org/edugraph/dataset"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    assert Path(found).is_file(), "the oxigraph server (pip package 'oxigraph', a test dependency) is missing"
    return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A real Oxigraph server on a free port of 127.0.0.1 with a temporary store; its base URL."""
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "server"),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, "oxigraph serve exited"
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def compiled():
    return compile_whole(POLICY)




def remote_graph(base: str, graph: str | None = None) -> rdflib.Graph:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    return to_rdflib(remote.query(f"{base}/query", text, default_graph=graph).triples)


def remote_count(base: str, graph: str | None = None) -> int:
    result = remote.query(f"{base}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
    return int(result.rows[0][0].value)


def test_push_gives_the_server_the_same_graph(server: str, policy_project: Path, cli, compiled) -> None:
    result = cli("push", "--endpoint", f"{server}/store")
    assert result.exit_code == 0, result.output
    pushed = exported_triples(POLICY)  # the data and the vocabulary terms it uses
    assert len(pushed) > len(compiled.triples)
    assert result.stdout == f"added {len(pushed)} triples in the default graph at {server}/store\n"
    assert remote_count(server) == len(pushed)
    assert isomorphic(remote_graph(server), to_rdflib(pushed))


def test_every_stored_query_gives_the_same_rows_remotely(server: str, policy_project: Path, cli, compiled,
                                                         tmp_path: Path) -> None:
    assert cli("push", "--endpoint", f"{server}/store").exit_code == 0
    # The concept labels some queries show come from the ontology: load it beside the data.
    remote.push(f"{server}/store", ox.serialize(ontology.triples(), format=ox.RdfFormat.N_TRIPLES))
    for query in catalogue(Path("queries")):
        words = query.example.split()
        params: dict[str, list[str]] = {}
        for value in words[1::2]:
            key, _, v = value.partition("=")
            params.setdefault(key, []).append(v)
        bindings = bind(query, params)
        local = data_source(Path("data"), tmp_path / "cache").run(query.text, bindings)
        from edugraph.query.sparql import bind_values

        there = remote.query(f"{server}/query", bind_values(query.text, bindings))
        assert there.variables == local.variables, query.name
        assert there.values() == local.values(), query.name


def test_cli_query_with_endpoint_matches_local(server: str, policy_project: Path, cli) -> None:
    assert cli("push", "--endpoint", f"{server}/store").exit_code == 0
    args = ["query", "positions", "-p", "person=zhang-minxuan", "--format", "csv"]
    local = cli(*args)
    there = cli(*args, "--endpoint", f"{server}/query")
    assert there.exit_code == 0, there.output
    assert there.stdout_bytes == local.stdout_bytes


def test_named_graph_and_replace(server: str, policy_project: Path, cli, compiled) -> None:
    assert cli("push", "--endpoint", f"{server}/store", "--graph", GRAPH).exit_code == 0
    assert remote_count(server) == 0  # the default graph stays empty
    assert remote_count(server, GRAPH) == len(exported_triples(POLICY))
    result = cli("query", "positions", "-p", "person=ning-bo", "--format", "csv",
                 "--endpoint", f"{server}/query", "--graph", GRAPH)
    assert result.stdout.splitlines()[1].startswith("https://w3id.org/edugraph/id/person/ning-bo,Vice Dean,")
    # Pushing again adds nothing new (a graph is a set); --replace swaps the content.
    assert cli("push", "--endpoint", f"{server}/store", "--graph", GRAPH).exit_code == 0
    assert remote_count(server, GRAPH) == len(exported_triples(POLICY))
    Path("data/people.yaml").write_text(
        "people:\n  - id: only-one\n    name: Only One\n    sources: [src-000]\n", encoding="utf-8")
    for name in ("events.yaml", "initiatives.yaml"):
        Path("data", name).unlink()
    replaced = cli("push", "--endpoint", f"{server}/store", "--graph", GRAPH, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert replaced.stdout.startswith("replaced ")
    graph = remote_graph(server, GRAPH)
    person = rdflib.URIRef("https://w3id.org/edugraph/id/person/zhang-minxuan")
    assert (person, None, None) not in graph
    assert (rdflib.URIRef("https://w3id.org/edugraph/id/person/only-one"), None, None) in graph


def test_endpoint_down(policy_project: Path, cli) -> None:
    port = free_port()
    result = cli("push", "--endpoint", f"http://127.0.0.1:{port}/store")
    assert result.exit_code == 2
    assert result.stderr == (f"error: cannot reach http://127.0.0.1:{port}/store?default: Connection "
                             "refused; check the URL and that the server is running\n")
    query = cli("sparql", "ASK { ?s ?p ?o }", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert query.exit_code == 2
    assert query.stderr.startswith(f"error: cannot reach http://127.0.0.1:{port}/query: Connection refused")


class _Handler(http.server.BaseHTTPRequestHandler):
    """A stand-in server that fails in the ways real ones do."""

    mode = "500"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.mode == "slow":
            time.sleep(2)
            self.send_response(204)
            self.end_headers()
            return
        if self.mode == "auth":
            if self.headers.get("Authorization") == "Basic YWRhOnNlY3JldA==":  # ada:secret
                self.send_response(204)
                self.end_headers()
                return
            code, body = 401, b"Unauthorized: bad user or password\n"
            self.send_response(code)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        elif self.mode == "400":
            code, body = 400, b"Bad request: unknown graph\n"
        else:
            code, body = 500, b"Internal error: disk full\n"
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_GET = _answer


@pytest.fixture
def fake_server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(("mode", "message"), [
    ("500", "error: {url}?default answered the upload with HTTP 500 Internal Server Error: Internal "
            "error: disk full; the store may need a named graph: pass --graph IRI\n"),
    ("400", "error: {url}?default answered the upload with HTTP 400 Bad Request: Bad request: unknown "
            "graph\n"),
    ("auth", "error: {url}?default asks for credentials (Basic) for the upload (HTTP 401): Unauthorized: bad "
             "user or password; set EDUGRAPH_ENDPOINT_USER and EDUGRAPH_ENDPOINT_PASSWORD\n"),
])
def test_http_errors_carry_the_servers_message(policy_project: Path, cli, fake_server, mode: str,
                                               message: str) -> None:
    base, handler = fake_server
    handler.mode = mode
    url = f"{base}/store"
    result = cli("push", "--endpoint", url)
    assert result.exit_code == 2
    assert result.stderr == message.format(url=url)


def test_credentials_come_from_the_environment(policy_project: Path, cli, fake_server, monkeypatch) -> None:
    base, handler = fake_server
    handler.mode = "auth"
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_USER", "ada")
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_PASSWORD", "secret")
    result = cli("push", "--endpoint", f"{base}/store")
    assert result.exit_code == 0, result.output


def test_a_user_without_a_password_and_no_terminal(policy_project: Path, cli, fake_server, monkeypatch) -> None:
    base, _ = fake_server
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_USER", "ada")
    monkeypatch.delenv("EDUGRAPH_ENDPOINT_PASSWORD", raising=False)
    result = cli("push", "--endpoint", f"{base}/store")
    assert result.exit_code == 2
    assert result.stderr == ("error: EDUGRAPH_ENDPOINT_USER is set but EDUGRAPH_ENDPOINT_PASSWORD is not; "
                             "set EDUGRAPH_ENDPOINT_PASSWORD, or run at a terminal to be asked for it\n")


def test_timeout(policy_project: Path, cli, fake_server) -> None:
    base, handler = fake_server
    handler.mode = "slow"
    result = cli("push", "--endpoint", f"{base}/store", "--timeout", "0.5")
    assert result.exit_code == 2
    assert result.stderr == (f"error: {base}/store?default did not answer the upload within 0.5 s; "
                             "raise --timeout, or check the server\n")
    query = cli("sparql", "ASK { ?s ?p ?o }", "--endpoint", f"{base}/query", "--timeout", "0.5")
    assert query.exit_code == 2
    assert "did not answer the query within 0.5 s" in query.stderr


def test_not_an_endpoint_url(policy_project: Path, cli) -> None:
    result = cli("push", "--endpoint", "file:///etc/passwd")
    assert result.exit_code == 2
    assert result.stderr == ("error: 'file:///etc/passwd' is not an http(s) endpoint URL; give the full "
                             "URL, e.g. http://127.0.0.1:7878/store\n")


# --- Exports: named graphs per source, and the same meaning to every engine --------------------

PROV = "http://www.w3.org/ns/prov#"
LINKS = {PROV + "qualifiedAssociation", "https://w3id.org/edugraph/ontology#statedCount",
         "https://w3id.org/edugraph/ontology#qualifiedTie"}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def stated_by(triples: list[ox.Triple]) -> dict[str, set[str]]:
    """Source IRI -> the statements it states, worked out from the plain graph alone: a node's
    sources state its statements (the link to a relationship node: the relationship's), except a
    value an rdf:Statement gives sources of its own, which those state; each source states that a
    node is derived from it; a source record states itself."""
    derived: dict[str, set[str]] = {}
    parts: dict[str, dict[str, ox.Term]] = {}
    for t in triples:
        if t.predicate.value == PROV + "wasDerivedFrom":
            derived.setdefault(t.subject.value, set()).add(t.object.value)
        if t.predicate.value in (RDF + "subject", RDF + "predicate", RDF + "object"):
            parts.setdefault(t.subject.value, {})[t.predicate.value] = t.object
    own = {str(ox.Triple(p[RDF + "subject"], p[RDF + "predicate"], p[RDF + "object"])): derived[statement]
           for statement, p in parts.items()}
    expected: dict[str, set[str]] = {}
    for t in triples:
        if t.predicate.value == PROV + "wasDerivedFrom":
            sources = {t.object.value}
        elif str(t) in own:
            sources = own[str(t)]
        else:
            owner = t.object.value if t.predicate.value in LINKS else t.subject.value
            sources = derived.get(owner, {owner})
        for source in sources:
            expected.setdefault(source, set()).add(str(t))
    return expected


@pytest.mark.parametrize("folder", [POLICY, PROVENANCE], ids=["policy", "provenance"])
@pytest.mark.parametrize(("fmt", "ox_format", "rdflib_format"), [
    ("trig", ox.RdfFormat.TRIG, "trig"), ("nq", ox.RdfFormat.N_QUADS, "nquads")])
def test_named_graphs_hold_exactly_what_their_source_states(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             cli, folder: Path, fmt: str, ox_format,
                                                             rdflib_format) -> None:
    shutil.copytree(folder, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    data = cli("export", "--format", fmt).stdout_bytes
    parsed = list(ox.parse(data, format=ox_format))
    # The default graph holds the vocabulary terms the data uses, which no source states.
    terms = [q for q in parsed if isinstance(q.graph_name, ox.DefaultGraph)]
    assert terms and all(q.subject.value.startswith(str(CONCEPT)) for q in terms)
    quads = [q for q in parsed if not isinstance(q.graph_name, ox.DefaultGraph)]
    graphs: dict[str, set[str]] = {}
    for q in quads:
        graphs.setdefault(q.graph_name.value, set()).add(str(ox.Triple(q.subject, q.predicate, q.object)))
    everything = compile_whole(Path("data")).triples
    assert graphs == stated_by(everything)
    assert set().union(*graphs.values()) == {str(t) for t in everything}
    if folder == PROVENANCE:  # a value one source states, and a relationship, only in its graph
        alias = ('<https://w3id.org/edugraph/id/organisation/harbour-university> '
                 '<http://www.w3.org/2004/02/skos/core#altLabel> "Harbour Uni"')
        tie = ('<https://w3id.org/edugraph/id/organisation/harbour-university> '
               '<https://w3id.org/edugraph/ontology#qualifiedTie> '
               '<https://w3id.org/edugraph/id/tie/harbour-university--teachers-alliance--member>')
        assert {g for g, statements in graphs.items() if alias in statements or tie in statements} == {
            "https://w3id.org/edugraph/id/source/src-b"}
    # rdflib reads the same quads
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=rdflib_format)
    rdflib_quads = {(str(s), str(p), str(o), str(g)) for s, p, o, g in dataset.quads((None, None, None, None))
                    if g is not None and str(g) != str(dataset.default_graph.identifier)}
    assert rdflib_quads == {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value)
                            for q in quads}


# --- The on-disk store ------------------------------------------------------------------------

def test_load_store_and_read_from_it(policy_project: Path, cli, compiled) -> None:
    result = cli("load", "--store", "db")
    assert (result.exit_code, result.stdout) == (0, f"loaded {len(compiled.triples)} triples into db\n")
    shutil.rmtree("data")  # the store stands on its own
    query = cli("query", "positions", "-p", "person=zhang-minxuan", "--format", "csv", "--store", "db")
    assert query.exit_code == 0, query.output
    assert query.stdout.splitlines()[1].startswith("https://w3id.org/edugraph/id/person/zhang-minxuan,Director,")
    assert cli("show", "zhang-minxuan", "--store", "db").stdout.startswith("Zhang Minxuan  (person")
    assert "│ world-bank " in cli("search", "world bank", "--store", "db").stdout
    assert cli("check", "--store", "db").exit_code == 0


def test_load_replaces_the_store_whole(policy_project: Path, cli) -> None:
    assert cli("load", "--store", "db").exit_code == 0
    Path("data/people.yaml").write_text(
        "people:\n  - id: only-one\n    name: Only One\n    sources: [src-000]\n", encoding="utf-8")
    for name in ("events.yaml", "initiatives.yaml"):
        Path("data", name).unlink()
    assert cli("load", "--store", "db").exit_code == 0
    names = cli("sparql", "SELECT ?p WHERE { ?p a <https://schema.org/Person> } ORDER BY ?p",
                "--store", "db", "--format", "csv")
    assert names.stdout.splitlines() == ["p", "https://w3id.org/edugraph/id/person/only-one"]
    assert sorted(p.name for p in policy_project.iterdir() if p.name.startswith(".db")) == []


def test_load_refuses_a_folder_that_is_not_a_store(policy_project: Path, cli) -> None:
    Path("precious").mkdir()
    (Path("precious") / "thesis.txt").write_text("do not delete", encoding="utf-8")
    result = cli("load", "--store", "precious")
    assert result.exit_code == 2
    assert "is not an edugraph store" in result.stderr
    assert (Path("precious") / "thesis.txt").read_text(encoding="utf-8") == "do not delete"


def test_store_option_on_a_missing_store(policy_project: Path, cli) -> None:
    result = cli("show", "x", "--store", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == ("error: 'nowhere' is not an edugraph store; write one with "
                             "'edugraph load --store nowhere'\n")


# --- VoID ----------------------------------------------------------------------------------------

def test_void_describes_the_build(policy_project: Path, cli, compiled) -> None:
    assert cli("build", "-q").exit_code == 0
    void = rdflib.Graph().parse("dist/void.ttl", format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(GRAPH)
    # It counts what the exports hold: the instance triples and the vocabulary terms they use.
    exported = len(Path("dist/edugraph.nt").read_text(encoding="utf-8").splitlines())
    assert void.value(dataset, VOID.triples).toPython() == exported > len(compiled.triples)
    assert void.value(dataset, VOID.entities).toPython() == len(compiled.dataset.records)
    partitions = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
                  for p in void.objects(dataset, VOID.classPartition)}
    eg = rdflib.Namespace("https://w3id.org/edugraph/ontology#")
    assert partitions[eg.Person] == 16 and partitions[eg.Organisation] == 38
    sources = set(void.objects(dataset, rdflib.URIRef("http://purl.org/dc/terms/source")))
    assert len(sources) == 5
    assert rdflib.URIRef("http://www.w3.org/ns/org#") in set(void.objects(dataset, VOID.vocabulary))
    assert (dataset, rdflib.URIRef("http://purl.org/dc/terms/license"),
            rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")) in void
