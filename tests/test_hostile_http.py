"""HTTP that never surprises, against fake servers on 127.0.0.1 that misbehave on purpose
(tests/fakehttp.py): a redirect is an error naming where it points and is never followed, so the
credentials and the upload go only to the host and port the user named; an upload counts only
when the server confirms it; ``--timeout`` is one deadline for the whole request, however slowly
a server trickles; an answer over the limit is refused without being read whole; malformed
answers and malformed URLs are one line and exit 2, never "a bug in edugraph"."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edugraph.errors import EngineError, UsageError
from edugraph.query import remote, transport
from edugraph.query.urls import parse_endpoint

from . import fakehttp
from .conftest import POLICY
from .fakehttp import (
    FakeServer,
    answer,
    challenge,
    deaf,
    early,
    endless,
    hang,
    huge,
    raw,
    redirect,
    trickle,
)

fake_http = fakehttp.fake_http  # the fixture

BOOLEAN = b'{"head": {}, "boolean": true}'
JSON = "application/sparql-results+json"
ROWS = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "http://a/"}}]}}'
ASK = "ASK { ?s ?p ?o }"
BASIC = "Basic YWRhOnMzY3JldA=="  # ada:s3cret


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the policy dataset for the module: push builds its export once, from the cache."""
    root = tmp_path_factory.mktemp("hostile-http")
    shutil.copytree(POLICY, root / "data")
    return root


@pytest.fixture
def project(built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(built)
    monkeypatch.delenv("EDUGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("EDUGRAPH_ENDPOINT_PASSWORD", raising=False)
    return built


@pytest.fixture(scope="module")
def fake_http_module() -> Iterator[FakeServer]:
    """One fake server for a module's fuzzing: each example sets its behaviour."""
    with fakehttp.servers() as make:
        yield make(answer())


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_USER", "ada")
    monkeypatch.setenv("EDUGRAPH_ENDPOINT_PASSWORD", "s3cret")


def query(cli, url: str, *extra: str):
    return cli("sparql", ASK, "--endpoint", url, *extra)


def push(cli, url: str, *extra: str):
    return cli("push", "--endpoint", url, *extra)


# --- Redirects: an error, never followed; credentials only to the host and port named -----------

COMMANDS = {"query": (query, "/sparql", "the query"), "push": (push, "/store", "the upload"),
            "push --replace": (lambda cli, url: push(cli, url, "--replace"), "/store", "the upload")}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_redirect_is_an_error_and_the_credentials_stay_with_the_host_named(
        project: Path, cli, fake_http, credentials, status: int, command: str) -> None:
    elsewhere = fake_http(answer(200, BOOLEAN, JSON))
    named = fake_http(challenge(then=redirect(status, f"http://ada:s3cret@127.0.0.1:{elsewhere.port}/x")))
    run, path, what = COMMANDS[command]
    result = run(cli, named.url + path)
    asked = named.url + path + ("?default" if what == "the upload" else "")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: {asked} redirects {what} (HTTP {status}) to "
                             f"http://ada:***@127.0.0.1:{elsewhere.port}/x; give the URL it redirects to, "
                             "if you trust it\n")
    # the named server got the credentials, in answer to its challenge; the other server nothing
    assert [r.headers.get("Authorization") for r in named.requests] == [None, BASIC]
    assert [r.method for r in named.requests] == 2 * ["PUT" if "replace" in command else "POST"]
    assert elsewhere.requests == []


def test_a_relative_redirect_is_shown_where_it_points(project: Path, cli, fake_http) -> None:
    server = fake_http(redirect(302, "/other?x=1"))
    result = query(cli, f"{server.url}/sparql")
    assert result.stderr == (f"error: {server.url}/sparql redirects the query (HTTP 302) to "
                             f"{server.url}/other?x=1; give the URL it redirects to, if you trust it\n")
    assert len(server.requests) == 1


def test_a_redirect_to_the_same_host_is_not_followed_either(project: Path, cli, fake_http) -> None:
    server = fake_http(redirect(307, "/store2"), answer(204))
    result = push(cli, f"{server.url}/store")
    assert result.exit_code == 2
    assert [r.path for r in server.requests] == ["/store?default"]


# --- An upload is done only when the server says so ----------------------------------------------

@pytest.mark.parametrize("status", [200, 201, 204])
def test_an_upload_the_server_confirms(project: Path, cli, fake_http, status: int) -> None:
    server = fake_http(answer(status, b"" if status == 204 else b"ok\n"))
    result = push(cli, f"{server.url}/store")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("added ") and result.stdout.endswith(f" in the default graph at {server.url}/store\n")
    (request,) = server.requests
    assert (request.method, request.path, request.headers["Content-Type"]) == ("POST", "/store?default",
                                                                              "application/n-triples")
    assert request.body.count(b"\n") == int(result.stdout.split()[1])


@pytest.mark.parametrize(("status", "reason"), [(202, "Accepted"), (203, "Non-Authoritative Information"),
                                                (205, "Reset Content"), (206, "Partial Content"),
                                                (299, "(no reason given)"), (102, "Processing"),
                                                (300, "Multiple Choices"), (304, "Not Modified")])
def test_any_other_answer_to_an_upload_is_an_error(project: Path, cli, fake_http, status: int,
                                                   reason: str) -> None:
    server = fake_http(answer(status, b""))
    result = push(cli, f"{server.url}/store")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: {server.url}/store?default answered the upload with HTTP {status} "
                             f"{reason} where edugraph expects HTTP 200, 201 or 204; the upload is not "
                             "confirmed: check what the store holds\n")


def test_a_success_for_an_upload_not_sent_whole_confirms_nothing(fake_http) -> None:
    server = fake_http(early(204))
    with pytest.raises(EngineError) as caught:
        remote.push(f"{server.url}/store", b"<http://a/> <http://b/> <http://c/> .\n" * (2**26 // 39))
    assert re.fullmatch(rf"{server.url}/store\?default broke off the connection during the upload: "
                        r"(Broken pipe|Connection reset by peer); try again, or check the server", str(caught.value))


def test_a_query_answered_without_results(project: Path, cli, fake_http) -> None:
    server = fake_http(answer(204, b""))
    result = query(cli, f"{server.url}/sparql")
    assert (result.exit_code, result.stderr) == (2, (
        f"error: {server.url}/sparql answered the query with HTTP 204 No Content where edugraph expects "
        "HTTP 200; check the URL: it should be the store's SPARQL query endpoint\n"))


# --- One deadline for the whole request ----------------------------------------------------------

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: " + JSON.encode() + b"\r\nContent-Length: %d\r\n\r\n" % len(BOOLEAN) + BOOLEAN


@pytest.mark.parametrize(("name", "behaviour"), [
    ("trickle", trickle(ANSWER, every=0.5)),
    ("trickled body", trickle(ANSWER, every=0.5, head=ANSWER[:-len(BOOLEAN)])),
    ("hang", hang()),
])
@pytest.mark.parametrize("command", ["query", "push"])
def test_the_timeout_is_one_deadline_for_the_whole_request(project: Path, cli, fake_http, name: str,
                                                           behaviour, command: str) -> None:
    server = fake_http(behaviour)
    run, path, what = COMMANDS[command]
    if command == "push":  # the export built and cached before the clock starts
        assert push(cli, fake_http(answer(204)).url).exit_code == 0
    started = time.monotonic()
    result = run(cli, server.url + path, "--timeout", "2")
    elapsed = time.monotonic() - started
    asked = server.url + path + ("?default" if command == "push" else "")
    assert (result.exit_code, result.stderr) == (2, f"error: {asked} did not answer {what} within 2 s; "
                                                    "raise --timeout, or check the server\n")
    assert 1.9 < elapsed < 10  # a byte every half second would keep a per-read timeout waiting for ever


def test_an_upload_to_a_server_that_reads_nothing_stops_at_the_deadline(fake_http) -> None:
    server = fake_http(deaf())
    started = time.monotonic()
    with pytest.raises(EngineError) as caught:
        remote.push(f"{server.url}/store", b"<http://a/> <http://b/> <http://c/> .\n" * (2**26 // 39), timeout=1)
    assert time.monotonic() - started < 10
    assert str(caught.value) == (f"{server.url}/store?default did not answer the upload within 1 s; raise "
                                 "--timeout, or check the server")


def test_a_resolver_that_does_not_answer_is_bounded_too(monkeypatch: pytest.MonkeyPatch) -> None:
    released = threading.Event()

    def slow(*args: object, **kwargs: object) -> list:
        released.wait(60)
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()
    try:
        with pytest.raises(EngineError) as caught:
            remote.query("http://store.invalid/sparql", ASK, timeout=1)
    finally:
        released.set()
    assert time.monotonic() - started < 10
    assert str(caught.value) == ("http://store.invalid/sparql did not answer the query within 1 s; raise "
                                 "--timeout, or check the server")


# --- Answers over the limit are refused without being read whole ---------------------------------

def test_an_answer_announcing_10_gb_is_refused_before_it_is_read(project: Path, cli, fake_http) -> None:
    server = fake_http(huge(10 * 10**9))
    started = time.monotonic()
    result = query(cli, f"{server.url}/sparql")
    assert time.monotonic() - started < 10
    assert (result.exit_code, result.stderr) == (2, (
        f"error: {server.url}/sparql announces 10000000000 bytes in answer to the query, more than edugraph "
        "reads (256 MiB); ask for less (a LIMIT, fewer variables), or query a smaller graph\n"))


@pytest.mark.parametrize("chunked", [False, True])
def test_an_endless_answer_is_cut_off_at_the_limit(project: Path, cli, fake_http,
                                                   monkeypatch: pytest.MonkeyPatch, chunked: bool) -> None:
    monkeypatch.setattr(transport, "MAX_BODY", 2**20)
    server = fake_http(endless(chunked=chunked))
    result = query(cli, f"{server.url}/sparql")
    assert (result.exit_code, result.stderr) == (2, (
        f"error: {server.url}/sparql sends more than edugraph reads (1 MiB) in answer to the query; ask for "
        "less (a LIMIT, fewer variables), or query a smaller graph\n"))


def test_the_limit_is_the_libraries_to_set(fake_http) -> None:
    server = fake_http(answer(200, ROWS, JSON))
    assert remote.query(server.url, "SELECT ?x {}", limit=len(ROWS)).values() == [("http://a/",)]
    with pytest.raises(EngineError) as caught:
        remote.query(server.url, "SELECT ?x {}", limit=len(ROWS) - 1)
    assert str(caught.value).startswith(f"{server.url} announces {len(ROWS)} bytes in answer to the query, "
                                        f"more than edugraph reads ({len(ROWS) - 1} bytes)")


def test_an_upload_confirmed_with_a_huge_body_is_confirmed(fake_http) -> None:
    server = fake_http(huge(10 * 10**9))
    assert remote.push(f"{server.url}/store", b"<http://a/> <http://b/> <http://c/> .\n", timeout=5) == 0
    assert len(server.requests) == 1


def test_an_error_page_is_read_only_as_far_as_its_message(project: Path, cli, fake_http) -> None:
    server = fake_http(huge(10 * 10**9, status=500))
    result = query(cli, f"{server.url}/sparql")
    assert (result.exit_code, result.stderr) == (2, (
        f"error: {server.url}/sparql answered the query with HTTP 500 Internal Server Error: Internal Server "
        "Error\n"))


# --- Malformed answers: one line, exit 2 ---------------------------------------------------------

XML = "application/sparql-results+xml"
TSV = "text/tab-separated-values"
RESULTS = b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
PAGE = b"<!DOCTYPE html><html><head><title>Login</title></head><body><h1>Sign in</h1><p>to continue</p></body></html>"


def json_term(term: str) -> bytes:
    return (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": %s}]}}' % term.encode())


MALFORMED = [
    ("invalid XML", answer(200, RESULTS + b"<variable", XML), "sent results edugraph cannot read: syntax error: tag not closed: `>` not found before end of input; "
     "check the server"),
    ("invalid JSON", answer(200, b'{"head": {"vars": ["x"]}, "results": {"bindings": [', JSON),
     "sent results edugraph cannot read: Parser error at line 1 column 52: Unexpected end of file, a value "
     "was expected (line 1); check the server"),
    ("invalid TSV", answer(200, b"?x\n\"unterminated\n", TSV), "sent results edugraph cannot read: Error Unexpected literal end on '\"unterminated' in line 2 "
     "(line 2); check the server"),
    ("an invalid IRI", answer(200, json_term('{"type": "uri", "value": "not an iri"}'), JSON),
     "sent results edugraph cannot read: Invalid uri value: Invalid IRI code point ' '; check the server"),
    ("a relative IRI", answer(200, json_term('{"type": "uri", "value": "relative"}'), JSON),
     "sent results edugraph cannot read: Invalid uri value: No scheme found in an absolute IRI; check the "
     "server"),
    ("an invalid language tag", answer(200, json_term('{"type": "literal", "value": "v", "xml:lang": "no tag"}'),
                                       JSON),
     "sent results edugraph cannot read: Invalid xml:lang value 'no tag': The given language subtag is "
     "invalid; check the server"),
    ("an invalid datatype", answer(200, json_term('{"type": "literal", "value": "v", "datatype": "x y"}'), JSON),
     "sent results edugraph cannot read: Invalid datatype: Invalid IRI code point ' '; check the server"),
    ("an invalid blank node", answer(200, json_term('{"type": "bnode", "value": "a b"}'), JSON),
     "sent results edugraph cannot read: Invalid bnode value: The blank node identifier is invalid; check "
     "the server"),
    ("an undeclared variable", answer(200, b'{"head": {"vars": []}, "results": {"bindings": [{"y": '
                                           b'{"type": "literal", "value": "v"}}]}}', JSON),
     "sent results edugraph cannot read: The variable y has not been defined in the header; check the "
     "server"),
    ("a wrong content type", answer(200, ROWS, "image/png"),
     "sent the query's results as 'image/png', which edugraph does not read; it reads SPARQL results as "
     "XML, JSON or TSV"),
    ("no content type, no known form", answer(200, b"x = 1\n", None),
     "sent the query's results with no Content-Type, in a form edugraph does not read; it reads SPARQL "
     "results as XML, JSON or TSV"),
    ("an HTML page", answer(200, PAGE, "text/html; charset=utf-8"),
     "sent an HTML page where the query's results were expected: Sign in: to continue; check the URL: it "
     "should be the store's SPARQL query endpoint"),
    ("an HTML page without a content type", answer(200, PAGE, None),
     "sent an HTML page where the query's results were expected: Sign in: to continue; check the URL: it "
     "should be the store's SPARQL query endpoint"),
    ("an empty body", answer(200, b"", JSON),
     "sent an empty answer where the query's results were expected; check the URL: it should be the "
     "store's SPARQL query endpoint"),
    ("rows for a boolean", answer(200, ROWS, JSON), "answered an ASK query with rows; check the server"),
    ("a truncated body", raw(b"HTTP/1.1 200 OK\r\nContent-Type: " + JSON.encode() + b"\r\nContent-Length: 1000"
                             b"\r\n\r\n" + BOOLEAN),
     "broke off its answer to the query after 29 of 1000 bytes; try again, or check the server"),
    ("a truncated chunked body", raw(b"HTTP/1.1 200 OK\r\nContent-Type: " + JSON.encode() + b"\r\n"
                                     b"Transfer-Encoding: chunked\r\n\r\n100\r\n" + BOOLEAN),
     "broke off its answer to the query; try again, or check the server"),
    ("a chunk size that is not a number", raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
     "broke off its answer to the query; try again, or check the server"),
    ("a chunk of negative size", raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nx"),
     "sent a malformed HTTP answer to the query: a chunk of its body has no valid size; check the server"),
    ("not HTTP", raw(b"SSH-2.0-OpenSSH_9.2\r\n"),
     "did not answer the query in HTTP: its first line is 'SSH-2.0-OpenSSH_9.2'; check the URL and its "
     "scheme (http or https)"),
    ("no answer at all", raw(b""), "closed the connection without answering the query; check the server's log"),
    ("a header line over 64 KiB", raw(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n"),
     "sent a malformed HTTP answer to the query: got more than 65536 bytes when reading header line; check "
     "the server"),
    ("over 100 headers", raw(b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 101 + b"\r\n"),
     "sent a malformed HTTP answer to the query: got more than 100 headers; check the server"),
]


@pytest.mark.parametrize(("behaviour", "message"), [(b, m) for _, b, m in MALFORMED],
                         ids=[name for name, _, _ in MALFORMED])
def test_malformed_answers_are_one_line(project: Path, cli, fake_http, behaviour, message: str) -> None:
    server = fake_http(behaviour)
    result = query(cli, f"{server.url}/sparql")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {server.url}/sparql {message}\n"


@pytest.mark.parametrize(("text", "behaviour", "message"), [
    ("SELECT ?x {}", answer(200, BOOLEAN, JSON), "answered a SELECT query with a boolean; check the server"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", answer(200, b"<http://a/> <http://b/> .\n", "application/n-triples"),
     "sent results edugraph cannot read: Parser error at line 1 column 25: The object of a triple must be "
     "an IRI, a blank node or a literal (line 1); check the server"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", answer(200, b"<rdf:RDF/>", "application/rdf+xml"),
     "sent the query's results as 'application/rdf+xml', which edugraph does not read; it reads N-Triples or "
     "Turtle for CONSTRUCT and DESCRIBE"),
])
def test_malformed_answers_to_other_forms(project: Path, cli, fake_http, text: str, behaviour,
                                          message: str) -> None:
    server = fake_http(behaviour)
    result = cli("sparql", text, "--endpoint", f"{server.url}/sparql")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {server.url}/sparql {message}\n"


def test_results_in_every_form_read(fake_http) -> None:
    xml = (RESULTS + b'<variable name="x"/></head><results><result><binding name="x"><uri>http://a/</uri>'
           b"</binding></result></results></sparql>")
    for body, content_type in [(ROWS, JSON), (xml, XML), (xml, None), (ROWS, None), (b"?x\n<http://a/>\n", TSV)]:
        server = fake_http(answer(200, body, content_type))
        assert remote.query(server.url, "SELECT ?x {}").values() == [("http://a/",)], content_type
    server = fake_http(answer(200, b"<http://a/> <http://b/> <http://c/> .\n", None))
    assert len(remote.query(server.url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples) == 1


def test_https_to_a_server_that_speaks_http(project: Path, cli, fake_http) -> None:
    server = fake_http(answer(200, BOOLEAN, JSON))
    url = f"https://127.0.0.1:{server.port}/sparql"
    result = query(cli, url)
    assert (result.exit_code, result.stderr) == (2, f"error: cannot reach {url}: TLS: wrong version number; "
                                                    "check the URL and that the server is running\n")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command (Debian's openssl)")
def test_https_checks_the_certificate(project: Path, cli, fake_http, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cert = fakehttp.certificate(tmp_path)
    server = fake_http(answer(200, BOOLEAN, JSON), tls=cert)
    result = query(cli, f"{server.url}/sparql")
    assert (result.exit_code, result.stderr) == (2, f"error: cannot reach {server.url}/sparql: TLS: self-signed "
                                                    "certificate; check the URL and that the server is running\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))  # trusted: the same request goes through
    trusted = query(cli, f"{server.url}/sparql")
    assert (trusted.exit_code, trusted.stdout) == (0, "true\n")
    assert server.requests[-1].headers["Host"] == f"127.0.0.1:{server.port}"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_server_that_never_says_a_word(project: Path, cli, scheme: str) -> None:
    with fakehttp.silent() as port:
        started = time.monotonic()
        result = query(cli, f"{scheme}://127.0.0.1:{port}/sparql", "--timeout", "1")
    assert time.monotonic() - started < 10
    assert (result.exit_code, result.stderr) == (2, f"error: {scheme}://127.0.0.1:{port}/sparql did not answer the "
                                                    "query within 1 s; raise --timeout, or check the server\n")


def test_a_push_answered_with_garbage(project: Path, cli, fake_http) -> None:
    server = fake_http(raw(b"\x00\x01garbage\r\n"))
    result = push(cli, f"{server.url}/store")
    assert (result.exit_code, result.stderr) == (2, (
        f"error: {server.url}/store?default did not answer the upload in HTTP: its first line is "
        "'\\x00\\x01garbage'; check the URL and its scheme (http or https)\n"))


# --- Malformed URLs: one line, exit 2, no connection ---------------------------------------------

EXAMPLE = "http://127.0.0.1:7878/store"
BRACKETS = "write an IPv6 address in brackets, e.g. http://[::1]:7878/store"
AT = ("it holds an '@' after its host, as a password with a '/', '?' or '#' would put it; percent-encode them in "
      "the password (%2F, %3F, %23), and an '@' in the path as %40")
URLS = [
    ("http://[::1", "the brackets of its IPv6 address do not match, or something other than a port follows them; "
                    + BRACKETS),
    ("http://[::1]x/", "the brackets of its IPv6 address do not match, or something other than a port follows "
                       "them; " + BRACKETS),
    ("http://::1]/", "its brackets do not match; " + BRACKETS),
    ("http://[::g]/", "'[::g]' is not an IPv6 address; " + BRACKETS),
    ("http://::1/", "an IPv6 address must be written in brackets; " + BRACKETS),
    ("http://127.0.0.1:99999/", f"the port '99999' is not a number from 1 to 65535; give the port the server "
                                f"listens on, e.g. {EXAMPLE}"),
    ("http://127.0.0.1:0/", f"the port '0' is not a number from 1 to 65535; give the port the server listens on, "
                            f"e.g. {EXAMPLE}"),
    ("http://127.0.0.1:http/", f"the port 'http' is not a number from 1 to 65535; give the port the server "
                               f"listens on, e.g. {EXAMPLE}"),
    ("http://ada:s3/cret@127.0.0.1/", AT),
    ("http://ada:s3#cret@127.0.0.1/", AT),
    ("http://ada:12?cret@127.0.0.1/", AT),
    ("http://127.0.0.1/sparql?user=ada@example.org", AT),
    ("http://ada:s3cret@127.0.0.1:-1/", f"the port '-1' is not a number from 1 to 65535; give the port the "
                                        f"server listens on, e.g. {EXAMPLE}"),
    ("http:///sparql", f"it names no host; give the full URL, e.g. {EXAMPLE}"),
    ("http://", f"it names no host; give the full URL, e.g. {EXAMPLE}"),
    ("http://ada:s3cret@/sparql", f"it names no host; give the full URL, e.g. {EXAMPLE}"),
    ("http://127.0.0.1:9/a b", "it holds a space; percent-encode it as %20"),
    (" http://127.0.0.1:9/", "it holds a space; percent-encode it as %20"),
    ("http://127.0.0.1:9/caf\u00e9", "it holds '\u00e9', which is not ASCII; percent-encode it (%C3%A9), or give "
                                     "the host's ASCII (punycode) name"),
    ("http://b\u00fccher.example/", "it holds '\u00fc', which is not ASCII; percent-encode it (%C3%BC), or give "
                                    "the host's ASCII (punycode) name"),
    ("http://127.0.0.1:9/a\r\nX-Injected: 1", "it holds a control character (\\r); remove it"),
    ("http://127.0.0.1:9/\x00", "it holds a control character (\\x00); remove it"),
    ("http://127.0.0.1:9/\x85", "it holds a control character (\\x85); remove it"),
    ("http://ho<st/", f"'ho<st' is not a host name or address; give the server's name or address, e.g. {EXAMPLE}"),
    ("http://a..b/", f"'a..b' is not a host name: a name's parts hold 1 to 63 characters, 253 in all; give the "
                     f"server's name or address, e.g. {EXAMPLE}"),
    ("http://" + "a" * 64 + ".org/", f"'{'a' * 64}.org' is not a host name: a name's parts hold 1 to 63 "
                                     f"characters, 253 in all; give the server's name or address, e.g. {EXAMPLE}"),
]
NOT_HTTP = ["ftp://ada:s3cret@host/store", "file:///etc/passwd", "127.0.0.1:7878/store", "http:/x", "", "//h/"]


@pytest.mark.parametrize(("url", "why"), URLS, ids=[repr(u) for u, _ in URLS])
@pytest.mark.parametrize("command", ["query", "push"])
def test_malformed_urls_are_one_line(project: Path, cli, url: str, why: str, command: str) -> None:
    result = (query if command == "query" else push)(cli, url)
    shown = re.sub(r"ada:(s3[/#]?|12\?)cret@", "ada:***@", url)
    shown = shown.replace("\r", "\\r").replace("\n", "\\n").replace("\x00", "\\x00").replace("\x85", "\\x85")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: '{shown}' is not a valid endpoint URL: {why}\n"


@pytest.mark.parametrize("url", NOT_HTTP)
@pytest.mark.parametrize("command", ["query", "push"])
def test_urls_that_are_not_http(project: Path, cli, url: str, command: str) -> None:
    result = (query if command == "query" else push)(cli, url)
    shown = url.replace("ada:s3cret@", "ada:***@")
    assert (result.exit_code, result.stderr) == (2, f"error: '{shown}' is not an http(s) endpoint URL; give the "
                                                    f"full URL, e.g. {EXAMPLE}\n")


def test_valid_urls_taken_apart() -> None:
    assert parse_endpoint("HTTP://ada:p%40ss@[::1]:8890/sparql?x=1#frag") == (
        "http", "::1", 8890, "/sparql?x=1", transport.Credentials("ada", "p@ss"))
    assert parse_endpoint("https://store.example.org") == ("https", "store.example.org", 443, "/", None)
    assert parse_endpoint("http://h:/?q") == ("http", "h", 80, "/?q", None)
    assert parse_endpoint("http://a:b@c@h/") == ("http", "h", 80, "/", transport.Credentials("a", "b@c"))


# --- Fuzzing the URLs given to --endpoint --------------------------------------------------------

SCHEMES = st.sampled_from(["http://"] * 4 + ["https://", "HTTP://", "http:", "http:/", "ftp://", "", "//", "http:///"])
# Mostly the characters of URLs, now and then a space, a control or a character that is not ASCII
# (a list: hypothesis would merge alphabets of characters() into one, drawn from all of Unicode).
URLISH = [chr(c) for c in range(0x21, 0x7f)]
ODD = list(" \t\r\n\x00\x7f\x85\xa0\u2028\ufeff\u0130\u00e9\U0001f600")
NASTY = st.sampled_from(URLISH * 12 + ODD)
HOSTS = st.sampled_from(["127.0.0.1", "[::1]", "localhost", "", "[::1", "::1]", "[", "]", "::1", "[::g]",
                         "127.0.0.1]", "a..b", "-", "store.example.org"]) | st.text(NASTY, max_size=12)
PORTS = st.none() | st.integers(-5, 10**6).map(str) | st.text(NASTY, max_size=6)
USERINFO = st.none() | st.text(NASTY, max_size=12)
PATHS = st.text(NASTY, max_size=20)


@st.composite
def wild_urls(draw: st.DrawFn) -> str:
    user = draw(USERINFO)
    port = draw(PORTS)
    return (draw(SCHEMES) + (f"{user}@" if user is not None else "") + draw(HOSTS)
            + (f":{port}" if port is not None else "") + draw(PATHS))


@st.composite
def tame_urls(draw: st.DrawFn) -> str:
    """URLs that mostly pass the checks: a request is sent, and what is sent is what was given."""
    user = draw(st.none() | st.text(st.sampled_from([c for c in URLISH if c not in "/?#@[]"]), max_size=8))
    port = draw(st.none() | st.integers(1, 65535).map(str))
    host = draw(st.sampled_from(["127.0.0.1", "[::1]", "localhost", "store.example.org", "a-b.c_d", "h"]))
    return ("http://" + (f"{user}@" if user is not None else "") + host + (f":{port}" if port is not None else "")
            + "/" + draw(st.text(NASTY, max_size=20)))


def urls() -> st.SearchStrategy[str]:
    return wild_urls() | tame_urls()


@pytest.fixture
def resolver(fake_http, monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    """Every host name resolves to a fake server answering 404: a URL the checks let through is
    asked there, and nothing else is ever reached."""
    server = fake_http(answer(404, b"no such endpoint\n"))
    real = socket.getaddrinfo

    def local(host: object, port: object, *args: object, **kwargs: object) -> list:
        return real("127.0.0.1", server.port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local)
    return server


FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("command", ["query", "push"])
def test_any_url_is_a_request_or_one_line(project: Path, cli, resolver: FakeServer, command: str) -> None:
    run = query if command == "query" else push

    @FUZZ
    @given(urls())
    def check(url: str) -> None:
        before = len(resolver.requests)
        result = run(cli, url, "--timeout", "5")
        assert result.exit_code == 2, (url, result.output)
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, (url, result.stderr)
        assert "internal error" not in result.stderr
        try:
            endpoint = parse_endpoint(url)
        except UsageError:
            assert len(resolver.requests) == before  # refused before any connection
            return
        if endpoint.scheme == "http":
            (request,) = resolver.requests[before:]
            sent = endpoint.target if command == "query" else (
                endpoint.target + ("&" if "?" in endpoint.target else "?") + "default")
            assert request.path == sent, url
            assert result.stderr.endswith(" answered the query with HTTP 404 Not Found: no such endpoint\n"
                                          if command == "query" else
                                          " answered the upload with HTTP 404 Not Found: no such endpoint\n")

    check()


@FUZZ
@given(password=st.text(st.sampled_from([c for c in URLISH if c not in "@:"]), min_size=8, max_size=16),
       rest=urls())
def test_a_password_never_shows(password: str, rest: str) -> None:
    url = rest.replace("://", f"://ada:{password}@", 1) if "://" in rest else f"http://ada:{password}@{rest}"
    if password in url.replace(f"ada:{password}@", "", 1):
        return  # the password is also elsewhere in the URL: it shows as that
    try:
        parse_endpoint(url)
    except UsageError as exc:
        assert password not in str(exc), url
    else:  # as every message about the request shows it
        assert password not in transport.display_url(url), url


def test_a_user_name_with_a_line_break_never_reaches_a_header(fake_http, monkeypatch: pytest.MonkeyPatch) -> None:
    server = fake_http(challenge())
    with pytest.raises(UsageError) as caught:
        remote.query(server.url, ASK, credentials=transport.Credentials("ada\r\nX-Injected: 1", "pw"))
    assert str(caught.value) == ("the user name 'ada\\r\\nX-Injected: 1' holds a control character; check "
                                 "EDUGRAPH_ENDPOINT_USER, or the URL's user")
    assert server.requests == []


def test_a_user_name_that_is_not_ascii_is_sent_as_rfc_7616_says(fake_http) -> None:
    server = fake_http(challenge('Digest realm="r", nonce="n", qop="auth"', then=answer(200, BOOLEAN, JSON)))
    assert remote.query(server.url, ASK, credentials=transport.Credentials("Zh\u0101ng", "pw")).boolean is True
    assert server.requests[1].headers["Authorization"].startswith("Digest username*=UTF-8''Zh%C4%81ng, ")


# --- Fuzzing the answers ---------------------------------------------------------------------------

STATUS_LINES = st.sampled_from([b"HTTP/1.1 200 OK", b"HTTP/1.0 200 OK", b"HTTP/1.1 200", b"HTTP/1.1 204 No Content",
                                b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK", b"HTTP/1.1 500 Oops",
                                b"HTTP/1.1 401 No", b"HTTP/1.1 302 Found", b"HTTP/2 200", b"HTTP/1.1 2000 OK",
                                b"ICY 200 OK", b""]) | st.binary(max_size=20)
HEADERS = st.lists(st.sampled_from([
    b"Content-Type: application/sparql-results+json", b"Content-Type: application/sparql-results+xml",
    b"Content-Type: text/tab-separated-values", b"Content-Type: text/html", b"Content-Type: ",
    b"Content-Length: 5", b"Content-Length: 0", b"Content-Length: -1", b"Content-Length: 99999999999",
    b"Content-Length: x", b"Transfer-Encoding: chunked", b"Location: http://127.0.0.1:1/x", b"Location: ",
    b"WWW-Authenticate: Basic realm=\"r\"", b"WWW-Authenticate: Digest", b"Content-Encoding: gzip",
    b"X: \xff\xfe", b" folded", b":", b"no colon"]) | st.binary(max_size=12), max_size=6)
BODIES = st.sampled_from([BOOLEAN, ROWS, b"", b"5\r\nhello\r\n0\r\n\r\n", b"zz\r\n", b"-5\r\nx", b"<sparql>",
                          b"?x\n<http://a/>\n", PAGE]) | st.binary(max_size=40)


@FUZZ
@given(status=STATUS_LINES, headers=HEADERS, body=BODIES,
       form=st.sampled_from(["ASK { ?s ?p ?o }", "SELECT ?x {}", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"]))
def test_any_answer_is_results_or_one_line(fake_http_module: FakeServer, status: bytes, headers: list[bytes],
                                           body: bytes, form: str) -> None:
    fake_http_module.behaviours[:] = [raw(status + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body)]
    try:
        remote.query(fake_http_module.url, form, timeout=5,
                     credentials=transport.Credentials("ada", "s3cret"))
    except EngineError as exc:
        assert "\n" not in str(exc)
