"""push and --endpoint against real servers: HTTP Digest and Basic answered from the server's
challenge, each failure a server gives as one line (exit 2), passwords in URLs masked, results
read as the RDF terms they are, the ontology pushed and labels looked up on the endpoint.

Digest and the failure modes of a stock store run against Debian's Virtuoso, started by the
shared fixture of tests/virtuoso.py on 127.0.0.1; the rest against the Oxigraph server of
tests/test_stores.py and small stand-in servers."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph.query import remote, transport

from .conftest import POLICY, exported_triples
from .test_stores import free_port, server  # noqa: F401  (the Oxigraph server fixture)
from .virtuoso import PASSWORD as VIRTUOSO_PASSWORD
from .virtuoso import Virtuoso, virtuoso  # noqa: F401 (the fixture)

GRAPH = "https://w3id.org/edugraph/dataset"
DBA_PASSWORD = VIRTUOSO_PASSWORD


# --- Digest, by the book ------------------------------------------------------------------------

@pytest.mark.parametrize(("algorithm", "response"), [
    ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
    ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")])
def test_digest_gives_the_rfc_7616_examples(algorithm: str, response: str) -> None:
    params = {"realm": "http-auth@example.org", "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
              "qop": "auth", "algorithm": algorithm, "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"}
    header = transport.digest(transport.Credentials("Mufasa", "Circle of Life"), params, "GET",
                              "/dir/index.html", cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    assert f'response="{response}"' in header
    assert header.startswith('Digest username="Mufasa", realm="http-auth@example.org", ')


def test_the_strongest_challenge_is_answered() -> None:
    headers = ['Digest realm="r", nonce="n", qop="auth,auth-int", algorithm=MD5, Basic realm="r"',
               'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256']
    assert transport.schemes(headers) == ["Digest", "Basic"]
    chosen = transport.answer(headers, transport.Credentials("u", "p"), "PUT", "http://h/store?graph=x")
    assert chosen is not None and "algorithm=SHA-256" in chosen and 'uri="/store?graph=x"' in chosen
    assert transport.answer(['Basic realm="r"'], transport.Credentials("ada", "secret"), "PUT",
                            "http://h/") == "Basic YWRhOnNlY3JldA=="
    assert transport.answer(['Bearer realm="r"'], transport.Credentials("u", "p"), "PUT", "http://h/") is None


# --- Stand-in servers: an HTML error page, JSON results with 1/0 booleans ------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    reply: tuple[int, str, bytes] = (500, "text/plain", b"")

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        code, content_type, body = self.reply
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        if code == 302:
            self.send_header("Location", "http://ada:s3cret@127.0.0.1:9/elsewhere")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = _answer


@pytest.fixture
def stand_in() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


PAGE = b"""<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html>
  <head><title>SPARQL Graph Protocol request failed</title><style>h1 { color: red }</style></head>
  <body>
    <h1>HTTP/1.1 502 Bad Gateway</h1>
    <h3>Proxy error</h3>
    <p>The store behind
       this proxy is &lt;down&gt;.</p><script>alert(1)</script></body></html>"""


def test_an_html_error_page_gives_its_heading_and_text(policy_project: Path, cli, stand_in) -> None:
    base, handler = stand_in
    handler.reply = (502, "text/html", PAGE)
    result = cli("push", "--endpoint", f"{base}/store", "--graph", GRAPH)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {base}/store?graph=https%3A%2F%2Fw3id.org%2Fedugraph%2Fdataset answered "
                             "the upload with HTTP 502 Bad Gateway: Proxy error: The store behind this proxy "
                             "is <down>.\n")


def test_a_redirect_is_not_followed(policy_project: Path, cli, stand_in) -> None:
    base, handler = stand_in
    handler.reply = (302, "text/plain", b"")
    result = cli("push", "--endpoint", f"{base}/store", "--graph", GRAPH)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {base}/store?graph=https%3A%2F%2Fw3id.org%2Fedugraph%2Fdataset redirects "
                             "the upload (HTTP 302) to http://ada:***@127.0.0.1:9/elsewhere; give the URL it "
                             "redirects to, if you trust it\n")


def test_booleans_written_1_and_0_come_back_as_true_and_false(stand_in) -> None:
    base, handler = stand_in
    handler.reply = (200, "application/sparql-results+json", b"""{"head": {"vars": ["b", "n"]},
        "results": {"bindings": [{"b": {"type": "typed-literal", "value": "1",
          "datatype": "http://www.w3.org/2001/XMLSchema#boolean"},
          "n": {"type": "typed-literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
          {"b": {"type": "typed-literal", "value": "0", "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}]}}""")
    result = remote.query(f"{base}/sparql", "SELECT ?b ?n WHERE { ?s ?p ?b }")
    boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    assert result.rows == [(ox.Literal("true", datatype=boolean), ox.Literal(7)),
                           (ox.Literal("false", datatype=boolean), None)]


def test_a_password_in_the_url_is_masked(policy_project: Path, cli) -> None:
    port = free_port()
    result = cli("push", "--endpoint", f"http://ada:s3cret@127.0.0.1:{port}/store")
    assert result.exit_code == 2
    assert result.stderr == (f"error: cannot reach http://ada:***@127.0.0.1:{port}/store?default: Connection "
                             "refused; check the URL and that the server is running\n")
    bad = cli("push", "--endpoint", "ftp://ada:s3cret@host/store")
    assert (bad.exit_code, bad.stderr) == (2, "error: 'ftp://ada:***@host/store' is not an http(s) endpoint "
                                              "URL; give the full URL, e.g. http://127.0.0.1:7878/store\n")


# --- Oxigraph: the ontology pushed, labels over --endpoint, XML results -------------------------

def test_push_with_ontology_and_tables_labelled_from_the_endpoint(server: str, policy_project: Path,  # noqa: F811
                                                                  cli) -> None:
    from edugraph.vocab import ontology

    result = cli("push", "--endpoint", f"{server}/store", "--with-ontology")
    assert result.exit_code == 0, result.output
    triples = len(exported_triples(POLICY))
    assert result.stdout == (f"added {triples} triples and {len(ontology.triples())} of the ontology in the "
                             f"default graph at {server}/store\n")
    for args in (["query", "event-participants"], ["query", "positions", "-p", "person=zhang-minxuan"]):
        local = cli(*args)
        there = cli(*args, "--endpoint", f"{server}/query")
        assert there.exit_code == 0, there.output
        assert there.stdout == local.stdout, args


# --- Virtuoso ------------------------------------------------------------------------------------



@pytest.fixture(scope="module")
def private_virtuoso(virtuoso: Virtuoso) -> str:  # noqa: F811 - the shared fixture
    """The shared Virtuoso of tests/virtuoso.py, by its base URL."""
    return virtuoso.base


def virtuoso_count(base: str, graph: str) -> int:
    result = remote.query(f"{base}/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
    return int(result.rows[0][0].value)


@pytest.fixture
def dba(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_USER", "dba")
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_PASSWORD", DBA_PASSWORD)


def test_push_to_virtuoso_with_digest_into_a_named_graph(private_virtuoso: str, policy_project: Path, cli,
                                                         dba) -> None:
    url, graph = f"{private_virtuoso}/sparql-graph-crud-auth", f"{GRAPH}/digest"
    triples = len(exported_triples(POLICY))
    added = cli("push", "--endpoint", url, "--graph", graph)
    assert (added.exit_code, added.stdout) == (0, f"added {triples} triples in <{graph}> at {url}\n")
    assert virtuoso_count(private_virtuoso, graph) == triples
    assert cli("push", "--endpoint", url, "--graph", graph).exit_code == 0  # a graph is a set
    assert virtuoso_count(private_virtuoso, graph) == triples
    Path("data/people.yaml").write_text(
        "people:\n  - id: only-one\n    name: Only One\n    sources: [src-000]\n", encoding="utf-8")
    for name in ("events.yaml", "initiatives.yaml"):
        Path("data", name).unlink()
    fewer = len(exported_triples(Path("data")))
    replaced = cli("push", "--endpoint", url, "--graph", graph, "--replace")
    assert (replaced.exit_code, replaced.stdout) == (0, f"replaced {fewer} triples in <{graph}> at {url}\n")
    assert virtuoso_count(private_virtuoso, graph) == fewer


def test_virtuoso_failures_are_one_line(private_virtuoso: str, policy_project: Path, cli,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    auth, open_ = f"{private_virtuoso}/sparql-graph-crud-auth", f"{private_virtuoso}/sparql-graph-crud"
    graph = f"{GRAPH}/failures"
    named = "?graph=https%3A%2F%2Fw3id.org%2Fedugraph%2Fdataset%2Ffailures"
    hint = "; set EDUGRAPH_ENDPOINT_USER and EDUGRAPH_ENDPOINT_PASSWORD\n"
    runs = {
        "no credentials": (["--endpoint", auth, "--graph", graph],
                           f"error: {auth}{named} asks for credentials (Digest) for the upload (HTTP 401): "
                           f"Unauthorized{hint}"),
        "open endpoint": (["--endpoint", open_, "--graph", graph],
                          f"error: {open_}{named}: not allowed to write without credentials (HTTP 403): Error "
                          "42000: SR575:SECURITY: No permission to execute DB.DBA.TTLP_RL_NEW_GRAPH as callback "
                          "of rdf_load_turtle() with user ID N, group ID N; use the endpoint's "
                          f"authenticated URL and set EDUGRAPH_ENDPOINT_USER and EDUGRAPH_ENDPOINT_PASSWORD\n"),
    }
    for what, (args, message) in runs.items():
        result = cli("push", *args)
        # Virtuoso's ids of its SPARQL user are its own, not ours to pin.
        assert (result.exit_code, re.sub(r"ID \d+", "ID N", result.stderr)) == (2, message), what
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_USER", "dba")
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_PASSWORD", "wrong")
    wrong = cli("push", "--endpoint", auth, "--graph", graph)
    assert (wrong.exit_code, wrong.stderr) == (2, f"error: {auth}{named} refused the credentials of 'dba' for "
                                                  "the upload (HTTP 401, Digest): Unauthorized; check "
                                                  "EDUGRAPH_ENDPOINT_USER and EDUGRAPH_ENDPOINT_PASSWORD\n")
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_PASSWORD", DBA_PASSWORD)
    default = cli("push", "--endpoint", auth)
    assert (default.exit_code, default.stderr) == (
        2, f"error: {auth}?default answered the upload with HTTP 500 Request Failed: Error 22023: The request "
           'to SPARQL 1.1 Graph Store endpoint contains "default" param but the endpoint is not configured to '
           "have default graph; the store may need a named graph: pass --graph IRI\n")
    assert virtuoso_count(private_virtuoso, graph) == 0


def test_virtuoso_credentials_in_the_url_are_used_and_masked(private_virtuoso: str, policy_project: Path,
                                                             cli) -> None:
    graph = f"{GRAPH}/userinfo"
    url = private_virtuoso.replace("http://", f"http://dba:{DBA_PASSWORD}@") + "/sparql-graph-crud-auth"
    shown = private_virtuoso.replace("http://", "http://dba:***@") + "/sparql-graph-crud-auth"
    result = cli("push", "--endpoint", url, "--graph", graph, "--replace", "--with-ontology")
    assert result.exit_code == 0, result.output
    assert DBA_PASSWORD not in result.output
    assert result.stdout.endswith(f" of the ontology in <{graph}> at {shown}\n")
    wrong = cli("push", "--endpoint", url.replace(DBA_PASSWORD, "nope"), "--graph", graph)
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith(f"error: {shown}?graph=") and "nope" not in wrong.stderr
    # the labels of roles and kinds resolve on the server, and booleans stay booleans
    local = cli("query", "event-participants")
    there = cli("query", "event-participants", "--endpoint", f"{private_virtuoso}/sparql", "--graph", graph)
    assert there.exit_code == 0, there.output
    assert there.stdout == local.stdout
    flag = "SELECT ?v WHERE { ?s eg:approximate ?v } LIMIT 1"
    assert cli("sparql", flag, "--endpoint", f"{private_virtuoso}/sparql", "--graph", graph,
               "--format", "csv").stdout == "v\ntrue\n"
