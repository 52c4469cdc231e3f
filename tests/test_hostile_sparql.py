"""No query text reaches the network: every known disguise of SERVICE, FROM and updates is refused
by the grammar screen (edugraph.query.screen) on both engines, a listening socket on 127.0.0.1 is
never reached, Oxigraph's own HTTP calls fail in the thread a query runs in, and nesting is
limited before any parser sees the text. Hypothesis mixes the keywords with strings, comments,
escapes, whitespace and case."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import MethodType

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import Query, ServiceGraphPattern, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import Comp, CompValue, ParamValue

from edugraph import netguard
from edugraph.errors import EngineError, UsageError
from edugraph.files import hasher
from edugraph.query import screen as screening
from edugraph.query.screen import MAX_NESTING, keywords, nesting, screen
from edugraph.query.sparql import tokens
from edugraph.query.stores import run_oxigraph, run_rdflib
from tests.conftest import QUERIES, SMALL

HINT = "; edugraph runs read-only queries on its own graph; use --endpoint for a remote store"
SERVICE = "error: the query uses SERVICE: SERVICE calls another endpoint over the network" + HINT
FROM = "error: the query uses FROM: FROM and FROM NAMED load other graphs, from the network or from files" + HINT
NESTED = (f"error: the query nests groups, brackets or parentheses more than {MAX_NESTING} deep; "
          "write it with fewer nested levels")
ENGINES = ("oxigraph", "rdflib")
ANSWER = (b'HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 47\r\n'
          b'Connection: close\r\n\r\n{"head":{"vars":[]},"results":{"bindings":[{}]}}')


class Listener:
    """A SPARQL endpoint on 127.0.0.1 that counts the connections it accepts (and answers one
    empty solution, so that an engine that reached it would go on and exit 0)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.accepted = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(ANSWER)
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() under way
        self.sock.close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small dataset and the stored queries, built once for the module."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SMALL, root / "data")
    shutil.copytree(QUERIES, root / "queries")
    return root


@pytest.fixture(autouse=True)
def in_project(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # verdicts kept across runs
    screening._screened.clear()
    return project


def test_the_listener_counts_a_connection() -> None:
    server = Listener()
    try:
        with socket.create_connection(("127.0.0.1", int(server.url.split(":")[2].split("/")[0]))) as conn:
            conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert conn.recv(100).startswith(b"HTTP/1.1 200")
        assert server.accepted == 1
    finally:
        server.close()


# Every known disguise, as {url} templates, and the one line each is refused with.
DISGUISES: dict[str, tuple[str, str]] = {
    "plain": ("SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "lower case": ("select * where { service <{url}> { ?s ?p ?o } }", SERVICE),
    "mixed case": ("SeLeCt * WhErE { SeRvIcE <{url}> { ?s ?p ?o } }", SERVICE),
    "silent": ("SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }", SERVICE),
    "variable": ("SELECT * WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }", SERVICE),
    "optional": ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?p ?x } } }", SERVICE),
    "minus": ("SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } }", SERVICE),
    "exists": ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }", SERVICE),
    "not exists": ("ASK { ?s ?p ?o FILTER NOT EXISTS { SERVICE SILENT <{url}> { ?s ?p ?o } } }", SERVICE),
    "bind exists": ("SELECT * WHERE { BIND(EXISTS { SERVICE <{url}> { ?s ?p ?o } } AS ?x) }", SERVICE),
    "subquery": ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }", SERVICE),
    "union": ("SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }", SERVICE),
    "graph": ("SELECT * WHERE { GRAPH ?g { SERVICE <{url}> { ?s ?p ?o } } }", SERVICE),
    "nested groups": ("SELECT * WHERE " + "{ " * 30 + "SERVICE <{url}> { ?s ?p ?o }" + " }" * 30, SERVICE),
    "construct": ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "describe": ("DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "long string ending in an escaped backslash":
        ('SELECT * WHERE { BIND("""x\\\\""" AS ?a) SERVICE <{url}> { ?s ?p ?o } } #"""', SERVICE),
    "long single-quoted string ending in an escaped backslash":
        ("SELECT * WHERE { BIND('''x\\\\''' AS ?a) SERVICE <{url}> { ?s ?p ?o } } #'''", SERVICE),
    "string with an escaped quote": ('SELECT * WHERE { BIND("a\\"b" AS ?a) SERVICE <{url}> { ?s ?p ?o } }', SERVICE),
    "single-quoted string with an escaped quote":
        ("SELECT * WHERE { BIND('a\\'b' AS ?a) SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "string with quotes inside": ('SELECT * WHERE { BIND("""a""b" """ AS ?a) SERVICE <{url}> { ?s ?p ?o } }',
                                  SERVICE),
    "comment ended by a CR": ("SELECT * WHERE { # a comment\rSERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "comment ended by a CRLF": ("SELECT * WHERE { # a comment\r\nSERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "comment ended by the end": ("SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } # the end", SERVICE),
    "escaped letter": ("SELECT * WHERE { SERVIC\\u0045 <{url}> { ?s ?p ?o } }", SERVICE),
    "escaped first letter": ("SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "long escape": ("SELECT * WHERE { \\U00000073ervice <{url}> { ?s ?p ?o } }", SERVICE),
    "escaped IRI": ("SELECT * WHERE { SERVICE <http\\u003A//{host}/sparql> { ?s ?p ?o } }", SERVICE),
    "long s": ("SELECT * WHERE { \u017fERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "from": ("SELECT * FROM <{url}> WHERE { ?s ?p ?o }", FROM),
    "from named": ("SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }", FROM),
    "from lower case": ("select * from <{url}> where { ?s ?p ?o }", FROM),
    "from after a CR comment": ("SELECT * # no from here\rFROM <{url}> WHERE { ?s ?p ?o }", FROM),
    "escaped from": ("ASK \\u0046ROM <{url}> { ?s ?p ?o }", FROM),
    "load": ("LOAD <{url}>", "error: the query uses LOAD: LOAD reads a graph from a URL or a file" + HINT),
    "insert": ("INSERT DATA { <http://a> <http://b> <http://c> }",
               "error: the query uses INSERT: updates (INSERT) are not run" + HINT),
    "update after a comment": ("# SELECT\nDELETE WHERE { ?s ?p ?o }",
                               "error: the query uses DELETE: updates (DELETE) are not run" + HINT),
    "update after prefixes": ("PREFIX x: <http://x/> DROP ALL",
                              "error: the query uses DROP: updates (DROP) are not run" + HINT),
    "update with service": ("DELETE { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
                            "error: the query uses DELETE: updates (DELETE) are not run" + HINT),
    "escaped update": ("\\u0044ELETE WHERE { ?s ?p ?o }",
                       "error: not a SPARQL query: it must be a SELECT, ASK, CONSTRUCT or DESCRIBE query"),
    # rdflib expands the escape into a quote that opens a long string hiding SERVICE; Oxigraph
    # reads a string holding a quote, then SERVICE: Oxigraph's view is screened too
    "escaped quote": ('SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE <{url}> { ?s ?p ?o } } #"""', SERVICE),
    # Oxigraph matches keywords with no word boundary; rdflib's grammar does not parse it
    "glued to a literal": ("SELECT * WHERE { ?s ?p trueSERVICE <{url}> { ?s ?p ?o } }",
                           "error: the SPARQL query is not valid at 1:18, near '?s'"),
    # Oxigraph falls back to the bare prefix when prefix + local name is no IRI
    "glued to a prefix": ("PREFIX p: <http://a:> SELECT * WHERE { ?s ?p p:SERVICE <{url}> { ?s ?p ?o } }",
                          "error: the SPARQL query is not valid at 1:56, near '<{url}>'"),
    "deep groups": ("SELECT * WHERE " + "{" * 3000 + "SERVICE <{url}> {}" + "}" * 3000, NESTED),
    "deep parentheses": ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", NESTED),
}


def disguise(name: str, listener: Listener) -> tuple[str, str]:
    template, message = DISGUISES[name]
    host = listener.url.split("/")[2]
    return (template.replace("{url}", listener.url).replace("{host}", host),
            message.replace("{url}", listener.url))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(DISGUISES))
def test_every_disguise_is_refused_and_nothing_is_reached(cli, listener: Listener, name: str,
                                                          engine: str) -> None:
    text, message = disguise(name, listener)
    result = cli("sparql", text, "--engine", engine)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")
    assert listener.accepted == 0


@pytest.mark.parametrize("name", ["silent", "long string ending in an escaped backslash", "comment ended by a CR",
                                  "escaped letter", "from", "deep groups"])
def test_a_stored_query_is_screened_alike(cli, listener: Listener, name: str) -> None:
    text, message = disguise(name, listener)
    stored, loose = Path("queries/sneaky.rq"), Path("sneaky-file.rq")  # by name, and a .rq file by path
    for path in (stored, loose):
        path.write_text(f"# title: Sneaky\n# description: D.\n{text}\n", encoding="utf-8")
    try:
        for engine in ENGINES:
            for name in ("sneaky", str(loose)):
                result = cli("query", name, "--engine", engine)
                assert (result.exit_code, result.stderr) == (2, message + "\n"), (engine, name)
    finally:
        stored.unlink()
        loose.unlink()
    assert listener.accepted == 0


def test_the_stored_catalogue_and_words_in_strings_pass() -> None:
    for path in sorted(QUERIES.glob("*.rq")):
        assert screen(path.read_text(encoding="utf-8")) == "SELECT", path.name
    harmless = ('SELECT ?n WHERE { ?s <http://a/SERVICE> ?n FILTER(?n != "SERVICE <http://x> {}" '
                "&& ?n != 'FROM <http://x>') ?s <http://a/p> ?from } # SERVICE FROM LOAD\n")
    assert screen(harmless) == "SELECT"


def test_harmless_words_run_on_both_engines(cli) -> None:
    text = ('SELECT ?from WHERE { ?s <https://schema.org/name> ?from '
            'FILTER(!CONTAINS(?from, "SERVICE <http://127.0.0.1:9/> {}")) } # FROM\nORDER BY ?from LIMIT 1')
    outputs = {engine: cli("sparql", text, "--engine", engine, "--format", "csv") for engine in ENGINES}
    assert {e: (r.exit_code, r.stderr) for e, r in outputs.items()} == {e: (0, "") for e in ENGINES}
    assert outputs["oxigraph"].stdout == outputs["rdflib"].stdout
    assert outputs["oxigraph"].stdout.splitlines()[0] == "from"


def test_a_remote_endpoint_may_be_given_from_but_not_service() -> None:
    assert screen("SELECT * FROM <http://a/g> WHERE { ?s ?p ?o }", remote=True) == "SELECT"
    with pytest.raises(UsageError, match="the query uses FROM"):
        screen("SELECT * FROM <http://a/g> WHERE { ?s ?p ?o }")
    with pytest.raises(UsageError, match="the query uses SERVICE"):
        screen("SELECT * WHERE { SERVICE <http://a/> { ?s ?p ?o } }", remote=True)


def test_the_tokenizer_no_longer_misreads_strings_and_comments() -> None:
    # tokens() finds where to bind parameters and the prefixes used; the screen does not rely on it
    assert [t for t, _ in tokens('"""x\\\\""" SERVICE')] == ["SERVICE"]
    assert [t for t, _ in tokens("# c\rSERVICE")] == ["SERVICE"]
    assert [t for t, _ in tokens("'''a\\'''' SERVICE")] == ["SERVICE"]


# --- the second line: Oxigraph's own HTTP calls ---------------------------------------------------

needs_seccomp = pytest.mark.skipif(not netguard.offline_available(),
                                   reason="seccomp filters need Linux on x86-64 or ARM64")


@needs_seccomp
def test_an_offline_thread_cannot_open_a_socket(listener: Listener) -> None:
    def connect() -> None:
        socket.create_connection(("127.0.0.1", int(listener.url.split(":")[2].split("/")[0])), timeout=2)

    with pytest.raises(OSError) as caught:
        netguard.offline(connect)
    assert caught.value.errno == netguard.REFUSED_ERRNO
    assert listener.accepted == 0
    socket.socket().close()  # the calling thread keeps its sockets


@needs_seccomp
@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_oxigraph_cannot_call_a_service_the_screen_let_through(monkeypatch, listener: Listener,
                                                               silent: str) -> None:
    monkeypatch.setattr("edugraph.query.stores.screen", lambda text: "SELECT")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c")))
    text = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o SERVICE {silent}<{listener.url}> {{ ?x ?y ?z }} }}"
    if silent:  # a silent SERVICE that fails gives one empty solution: the local rows stay
        assert [tuple(row) for row in run_oxigraph(store, text).rows] == [
            (ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"))]
    else:
        with pytest.raises(EngineError, match="^the query tried to open a network connection, which "
                                              "edugraph does not allow"):
            run_oxigraph(store, text)
    assert listener.accepted == 0


def test_rdflib_screens_the_algebra_it_runs(monkeypatch, listener: Listener) -> None:
    monkeypatch.setattr("edugraph.query.stores.screen", lambda text: "SELECT")
    for text, keyword in [(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", "SERVICE"),
                          (f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}", "FROM")]:
        with pytest.raises(UsageError, match=f"^the query uses {keyword}: "):
            run_rdflib(b"", text)
    assert listener.accepted == 0


# --- nesting --------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_nesting_up_to_the_limit_runs(cli, engine: str) -> None:
    deepest = "SELECT (COUNT(*) AS ?n) WHERE " + "{" * MAX_NESTING + " ?s ?p ?o " + "}" * MAX_NESTING
    assert cli("sparql", deepest, "--engine", engine, "--format", "csv").exit_code == 0
    result = cli("sparql", "SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1),
                 "--engine", engine)
    assert (result.exit_code, result.stderr) == (2, NESTED + "\n")


def test_nested_blank_nodes_are_refused_before_oxigraph_parses_them(cli) -> None:
    # Oxigraph takes 33 s to parse 200 of them (and minutes for collections inside them)
    result = cli("sparql", "SELECT * WHERE { ?s ?p " + "[ ?p " * 200 + "1" + " ]" * 200 + " }")
    assert (result.exit_code, result.stderr) == (2, NESTED + "\n")


@pytest.mark.parametrize(("text", "depth"), [
    ("{ ( [ ] ) }", 3),
    ('{ "{{{{" }', 1),  # strings do not count
    ("{ # {{{{\n }", 1),  # nor comments
    ("{ '''}}}}''' {{ }} }", 3),
    ("(((( <a)> <b)> <c)> ))))", 4),  # closers inside what may be an IRI never count
    ("{ <?x#y> }}}} {{", 3),  # after an IRI that might be '<' and a comment, to the line's end
    ("{ eg:a\\#b {{ }} }", 3),  # an escaped '#' in a local name opens no comment
])
def test_nesting_counts_never_less_than_a_parser(text: str, depth: int) -> None:
    assert nesting(text) == depth


def test_deep_text_does_not_crash_a_process(project: Path) -> None:
    for text in ["SELECT * WHERE " + "{" * 3000 + "}" * 3000, "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"]:
        for engine in ENGINES:
            out = subprocess.run([sys.executable, "-m", "edugraph", "sparql", text, "--engine", engine],
                                 capture_output=True, text=True, timeout=120, cwd=project)
            assert (out.returncode, out.stderr) == (2, NESTED + "\n"), engine


# --- verdicts kept across runs --------------------------------------------------------------------

def test_a_passed_query_is_remembered_and_the_next_run_needs_no_parser(project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = ("import sys\nfrom edugraph.cli.main import main\n"
            "sys.argv = ['edugraph', 'query', 'event-participants', '--format', 'csv']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('rdflib' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=project, env=env) for _ in range(2)]
    assert [run.stdout.splitlines()[-1] for run in runs] == ["True", "False"]
    assert runs[0].stdout == runs[1].stdout.replace("False", "True")
    assert (tmp_path / "cache" / "edugraph" / "screened").stat().st_mode & 0o777 == 0o600


def test_a_verdicts_file_others_may_write_is_not_believed(tmp_path: Path) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert screen("SELECT * WHERE { ?s <http://a/wasDerivedFrom> ?o }") == "SELECT"
    path = screening.verdicts_file()
    forged = hasher(f"{screening._CACHE_KEY}\0False\0{text}".encode()).hexdigest()
    with path.open("a", encoding="ascii") as file:
        file.write(f"\n{forged} SELECT")
    path.chmod(0o666)
    with pytest.raises(UsageError, match="the query uses SERVICE"):
        screen(text)
    path.chmod(0o600)  # the user's own file is believed: only the user can write it
    assert screen(text) == "SELECT"


# --- fuzzing --------------------------------------------------------------------------------------

def _case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(c.upper() if u else c.lower() for c, u in zip(word, upper)))


def _escaped(word: str) -> st.SearchStrategy[str]:
    """The word with some letters written as \\u or \\U escapes."""
    return st.lists(st.sampled_from(["", "", "u", "U"]), min_size=len(word), max_size=len(word)).map(
        lambda how: "".join(c if h == "" else f"\\u{ord(c):04X}" if h == "u" else f"\\U{ord(c):08X}"
                            for c, h in zip(word, how)))


def _word(word: str) -> st.SearchStrategy[str]:
    return st.one_of(_case(word), _case(word), _escaped(word.upper()))


URL = "http://127.0.0.1:9/sparql"
WS = st.sampled_from([" ", " ", "\n", "\r", "\r\n", "\t"])
LINE_END = st.sampled_from(["\n", "\r", "\r\n"])
# what strings and comments hold: keywords, braces, quotes, escapes of quotes and backslashes
BITS = st.lists(st.sampled_from([*"aS {}()#<>", "SERVICE", "FROM", f"<{URL}>", "\\\\", "\\u0022", "\\u0027",
                                 "\\\"", "\\'", '"', "'"]), max_size=6).map("".join)
STRING = st.one_of(
    BITS.map(lambda b: '"' + b.replace('"', '\\"') + '"'), BITS.map(lambda b: "'" + b.replace("'", "\\'") + "'"),
    BITS.map(lambda b: '"""' + b + ' """'), BITS.map(lambda b: "'''" + b + " '''"), BITS.map(lambda b: f'"""{b}"""'))
COMMENT = st.tuples(BITS.map(lambda b: b.replace("\n", " ")), LINE_END).map(lambda c: f"# {c[0]}{c[1]}")
TRIPLE = st.sampled_from(["?s ?p ?o .", "?s a ?t .", "?s ?p ?from .", "?s <http://a/service> ?o ."])
FILTER = STRING.map(lambda s: f"FILTER(?o != {s})")
WRAPPERS = ["OPTIONAL ", "MINUS ", "FILTER EXISTS ", "FILTER NOT EXISTS ", "GRAPH ?g ", "{ SELECT * WHERE ", "",
            "BIND(EXISTS "]
CLOSERS = {"{ SELECT * WHERE ": " }", "BIND(EXISTS ": " AS ?x)"}


def _service(group: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(_word("service"), st.sampled_from(["", "SILENT ", "silent "]),
                     st.sampled_from([f"<{URL}>", "?e"]), group).map(lambda p: f"{p[0]} {p[1]}{p[2]} {p[3]}")


def _pieces(group: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    service = _service(group)
    wrapped = st.tuples(st.sampled_from(WRAPPERS), group).map(lambda p: p[0] + p[1] + CLOSERS.get(p[0], ""))
    return st.one_of(TRIPLE, FILTER, COMMENT, service, service, wrapped)


def _group(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(pieces, WS), max_size=3).map(lambda ps: "{ " + "".join(p + w for p, w in ps) + "}")


GROUP = st.recursive(_group(st.one_of(TRIPLE, FILTER, COMMENT)), lambda inner: _group(_pieces(inner)),
                     max_leaves=8)
DATASET = st.one_of(st.just(""), st.just(""), st.just(""), st.tuples(_word("from"), st.sampled_from(
    ["", " NAMED", " named"])).map(lambda d: f" {d[0]}{d[1]} <{URL}>"))
QUERY = st.tuples(
    st.sampled_from(["", "PREFIX eg: <http://e/> ", "# SELECT\n"]),
    st.sampled_from(["SELECT *", "select ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s",
                     "SELECT *", "ASK", "DELETE { ?s ?p ?o }", "LOAD <http://a> ;"]),
    DATASET, WS, st.one_of(GROUP, st.tuples(GROUP, _service(GROUP), WS).map(lambda g: f"{{ {g[1]}{g[2]}{g[0]} }}")),
    st.sampled_from(["", " # end", "\r", " #\r", " # }"]),
).map(lambda q: f"{q[0]}{q[1]}{q[2]}{q[3]}WHERE {q[4]}{q[5]}")


def _without_service_strings(self: Comp, instring: str, loc: int, tokens: ParseResults) -> CompValue:
    """rdflib's Comp.postParse for SERVICE, less its search of the whole text for the SERVICE's
    own text (seconds for a few nested ones; only its engine needs that text)."""
    found = CompValue("ServiceGraphPattern")
    for token in tokens:
        if isinstance(token, ParamValue):
            found[token.name] = token.tokenList
    return found


def _grammar_finds(text: str) -> set[str]:
    """What rdflib's grammar finds in the text as rdflib reads it and as Oxigraph reads it."""
    found: set[str] = set()
    ServiceGraphPattern.postParse = MethodType(_without_service_strings, ServiceGraphPattern)
    try:
        for parse in (lambda: parseQuery(text),
                      lambda: Query.parse_string(screening.oxigraph_view(text), parse_all=True)):
            try:
                with screening.deep_recursion():
                    found |= set(keywords(parse()))
            except (ParseBaseException, RecursionError, ValueError):
                pass
        try:
            parseUpdate(text)
            found.add("update")
        except (ParseBaseException, RecursionError, ValueError):
            pass
    finally:
        del ServiceGraphPattern.postParse
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERY)
def test_fuzz_nothing_the_grammar_finds_gets_through(listener: Listener, text: str) -> None:
    text = text.replace(URL, listener.url)
    try:
        screen(text)
    except UsageError:
        return
    assert not _grammar_finds(text), text
    # what passed runs on Oxigraph, in a thread that may open sockets, and reaches nothing
    try:
        list(ox.Store().query(text))
    except (SyntaxError, OSError, TypeError):
        pass
    assert listener.accepted == 0, text


PLACES = ['"{}"', "'{}'", '"""{}"""', "'''{}'''", "?o # {}\n", "?o # {}\r", "?o # {}", "<http://a/{}>",
          "eg:{}", "?{}"]


@settings(max_examples=150, deadline=None)
@given(word=st.one_of(_word("service"), _word("from")), place=st.sampled_from(PLACES))
def test_fuzz_keywords_in_strings_comments_and_names_pass(word: str, place: str) -> None:
    assume("\\" not in word or place[0] in "\"'?")  # an escape in a name or an IRI spells no letter
    text = "SELECT * WHERE { ?s ?p " + place.format(word) + "\n}"
    assert screen(text) == "SELECT", text
