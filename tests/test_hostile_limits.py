"""Bounded work and exit 3 only for bugs (issue 17, items 5 and 6): ``--timeout`` stops every
engine, Ctrl-C stops any query at once, ``--max-memory`` bounds a local query, a closed pipe
exits 141, and values, dates and command-line texts that no engine or picture can take get a
one-line message and exit 2.

A real process is run wherever the promise is about one: signals, pipes, argv bytes, a query
that must be killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from edugraph.errors import EngineError, UsageError
from edugraph.query.run import Limits, isolated
from edugraph.render.timeline import _years

# Queries no engine can finish: an aggregate over a four-fold cartesian product of the graph
# (1.7 * 10^11 rows of the small dataset), an exponential regular expression (rdflib runs it in
# C's re, which holds the interpreter until it is done), and a sort of a three-fold product,
# which must hold every row (Oxigraph grew by 240 MB a second).
AGGREGATE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
REGEX = 'SELECT * WHERE { FILTER(REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a+)+$")) }'
SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
ENDLESS = {"oxigraph": AGGREGATE, "rdflib": REGEX}

TOO_LONG = "error: the query ran longer than 2 s and was stopped; raise --timeout or narrow the query"
INTERRUPTED = "interrupted; nothing was written.\n"


def edugraph(*args: str | bytes, cwd: Path) -> subprocess.Popen[bytes]:
    """``python -m edugraph ARGS`` in ``cwd``, its output piped (bytes: argv may hold any)."""
    return subprocess.Popen([sys.executable, "-m", "edugraph", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux's /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] not in ("Z", "X")
    except OSError:
        return False


def querying(process: subprocess.Popen[bytes], seconds: float = 60) -> int:
    """The pid of the child that runs ``process``'s query, once it runs."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        found = children(process.pid)
        if found:
            time.sleep(0.5)  # well inside the query
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the query never started")


@pytest.fixture
def built(small_data: Path, cli: Callable[..., Result]) -> Path:
    """The small dataset's project folder, its query store built."""
    assert cli("query", "timeline").exit_code == 0
    return small_data.parent


# --- --timeout bounds every engine --------------------------------------------------------------

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_timeout_stops_every_engine(built: Path, engine: str) -> None:
    """rdflib's catastrophic regex ignored --timeout: it ran in C inside the process."""
    started = time.monotonic()
    process = edugraph("sparql", "--engine", engine, "--timeout", "2", ENDLESS[engine], cwd=built)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err.decode().splitlines()) == (2, b"", [TOO_LONG])
    assert time.monotonic() - started < 15


def test_timeout_bounds_all_the_checks_together(built: Path, cli: Callable[..., Result]) -> None:
    queries = built / "queries"
    queries.mkdir()
    (queries / "check-endless.rq").write_text(f"# title: Endless\n{AGGREGATE}\n", encoding="utf-8")
    started = time.monotonic()
    result = cli("check", "--queries", str(queries), "--timeout", "2")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["error: the integrity checks ran longer than 2 s and was "
                                          "stopped; raise --timeout or narrow the query"]
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "1e400", "86401"])
def test_timeout_takes_only_a_finite_positive_number(built: Path, cli: Callable[..., Result],
                                                     value: str) -> None:
    shown = {"1e400": "inf", "-1": "-1"}.get(value, value)
    message = f"error: --timeout must be a number of seconds above 0 and at most 86400, not '{shown}'"
    for args in (["sparql", "ASK {}"], ["query", "timeline"], ["check"],
                 ["push", "--endpoint", "http://127.0.0.1:9/store"]):
        result = cli(*args, "--timeout", value)
        assert (result.exit_code, result.stderr.splitlines()) == (2, [message]), args


# --- Ctrl-C, SIGTERM ------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ctrl_c_stops_any_query_at_once(built: Path, engine: str) -> None:
    """Ctrl-C was ignored during an aggregate query on Oxigraph: Rust held the process. The
    terminal sends SIGINT to the whole process group, as here."""
    process = subprocess.Popen([sys.executable, "-m", "edugraph", "sparql", "--engine", engine,
                                ENDLESS[engine]], cwd=built, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    child = querying(process)
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert time.monotonic() - sent < 3
    assert (process.returncode, out, err.decode()) == (130, b"", INTERRUPTED)
    assert not running(child)


def test_sigterm_takes_the_query_with_it(built: Path) -> None:
    process = edugraph("sparql", AGGREGATE, cwd=built)
    child = querying(process)
    process.terminate()
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (128 + signal.SIGTERM, b"", b"")
    assert not running(child)


# --- --max-memory ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("engine", "mb"), [("oxigraph", "100"), ("rdflib", "200")])
def test_a_query_needing_more_than_max_memory_is_stopped(built: Path, cli: Callable[..., Result],
                                                         engine: str, mb: str) -> None:
    """A sort over a cartesian product grew until the machine ran out."""
    result = cli("sparql", "--engine", engine, "--max-memory", mb, SORTED)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: the query needed more than {mb} MB of memory and was stopped; raise --max-memory "
        "or narrow the query"]


def test_max_memory_takes_a_positive_number(built: Path, cli: Callable[..., Result]) -> None:
    result = cli("sparql", "--max-memory", "0", "ASK {}")
    assert (result.exit_code, result.stderr.splitlines()) == (2, [
        "error: --max-memory must be a number of MB above 0 and at most 1048576, not '0'"])


def test_an_answer_larger_than_max_memory_is_refused() -> None:
    with pytest.raises(EngineError) as caught:
        isolated(lambda: b"x" * (3 * 2**20), Limits(10, 2, "the query"))
    assert str(caught.value) == ("the query needed more than 2 MB of memory and was stopped; "
                                 "raise --max-memory or narrow the query")


def test_the_child_s_errors_keep_their_place_and_hint() -> None:
    def refuse() -> bytes:
        raise UsageError("bad", file="a.rq", line=3, hint="fix it")

    with pytest.raises(UsageError) as caught:
        isolated(refuse, Limits())
    assert caught.value.format() == "a.rq:3: bad; fix it"
    assert (caught.value.line, caught.value.hint) == (3, "fix it")


def test_every_engine_answers_alike_through_the_child(built: Path, cli: Callable[..., Result]) -> None:
    """The child sends Oxigraph's TSV results and N-Triples; every term comes back whole."""
    text = ('SELECT ?s ?o ?none WHERE { ?s ?p ?o . OPTIONAL { ?s <http://x/none> ?none } '
            'FILTER(isLiteral(?o) || isBlank(?o)) } ORDER BY ?s ?o')
    from edugraph.cli.sources import compiler
    from edugraph.query.source import open_source

    data = built / "data"
    plain = open_source(data, compiler(data, built / ".edugraph-cache"),
                        cache_dir=built / ".edugraph-cache")
    bounded = open_source(data, compiler(data, built / ".edugraph-cache"),
                          cache_dir=built / ".edugraph-cache", limits=Limits())
    assert bounded.run(text).rows == plain.run(text).rows != []
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert sorted(map(str, bounded.run(construct).triples)) == sorted(map(str, plain.run(construct).triples))
    assert bounded.run("ASK { ?s ?p ?o }").boolean is True
    assert bounded.run("ASK { <http://x/none> ?p ?o }").boolean is False


# --- closed pipes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["export", "-f", "ttl"], ["check"], ["queries"],
                                  ["query", "timeline"], ["stats"], ["--help"]])
def test_a_closed_pipe_exits_141(built: Path, args: list[str]) -> None:
    """``edugraph export | head -c 0``: the reader leaves at once. Exit 1 is for data that does
    not conform; these exited 1."""
    process = edugraph(*args, cwd=built)
    assert process.stdout is not None
    process.stdout.close()
    err = process.stderr.read() if process.stderr else b""
    assert (process.wait(timeout=120), err) == (141, b"")


# --- values: long integers, year 9999, ASCII digits ------------------------------------------------

EVENT = "events:\n  - id: e\n    name: E\n    sources: [doc-1]\n"


def test_a_count_of_5000_digits_is_bad_input(write_yaml, cli: Callable[..., Result]) -> None:
    """int() refuses text of over 4,300 digits with a ValueError: it was exit 3."""
    write_yaml("x.yaml", EVENT + "    start: 2024\n    counts:\n      - of: participants\n"
               f"        value: {'9' * 5000}\n")
    result = cli("build")
    assert (result.exit_code, result.stderr.splitlines()) == (2, [
        f"error: data/x.yaml:8: event 'e', counts #1, field 'value': '{'9' * 40}...' is larger "
        "than 1000000000000000; write a whole number without separators, e.g. 25"])


@pytest.mark.parametrize(("field", "value", "message"), [
    ("start", "２０２４", "field 'start': '２０２４' is not a date; write YYYY, YYYY-MM, YYYY-MM-DD "
     "or YYYY-MM-DDThh:mm+hh:mm"),
    ("start", "2024-０４", "field 'start': '2024-０４' is not a date; write YYYY, YYYY-MM, "
     "YYYY-MM-DD or YYYY-MM-DDThh:mm+hh:mm"),
    ("start", "٢٠٢٤", "field 'start': '٢٠٢٤' is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or "
     "YYYY-MM-DDThh:mm+hh:mm"),
    ("counts", "\n      - of: participants\n        value: ２５",
     "counts #1, field 'value': '２５' is not a whole number; write a whole number without "
     "separators, e.g. 25"),
])
def test_dates_and_numbers_take_ascii_digits_only(write_yaml, cli: Callable[..., Result], field: str,
                                                  value: str, message: str) -> None:
    """Full-width digits passed the date check, and export wrote "２０２４"^^xsd:gYear."""
    start = "" if field == "start" else "    start: 2024\n"
    write_yaml("x.yaml", EVENT + start + f"    {field}: {value}\n")
    result = cli("export", "-f", "nt")
    line = 5 if field == "start" else 8
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (
        2, "", [f"error: data/x.yaml:{line}: event 'e', {message}"])


def test_a_query_parameter_takes_ascii_digits_only(built: Path, cli: Callable[..., Result]) -> None:
    result = cli("query", "timeline", "-p", "from=２０２０")
    assert (result.exit_code, result.stderr.splitlines()) == (2, [
        "error: parameter 'from' of query 'timeline' must be a year (four digits), not '２０２０'"])


def test_year_9999_is_drawn(write_yaml, cli: Callable[..., Result], tmp_path: Path) -> None:
    """The day after 9999-12-31 does not exist in Python: the timeline and the site were exit 3."""
    write_yaml("x.yaml", EVENT + "    start: 9999-12-31\n  - id: f\n    name: F\n    start: 9999\n"
               "    end: 9999-12\n    sources: [doc-1]\n")
    result = cli("timeline", "-f", "svg")
    assert result.exit_code == 0, result.output
    assert 'class="year">9999</text>' in result.stdout
    assert '<rect x="436.0" y="71" width="548.0" height="10"' in result.stdout  # 9999 to its end
    assert '<circle cx="982.5" cy="100"' in result.stdout  # the year's last day
    assert cli("timeline").exit_code == 0
    site = cli("docs", "-o", str(tmp_path / "site"))
    assert site.exit_code == 0, site.output
    assert "9999-12-31" in (tmp_path / "site" / "timeline.html").read_text(encoding="utf-8")


def test_date_forms_end_where_the_next_begins() -> None:
    assert (_years("9999", False), _years("9999", True)) == (9999, 10000)
    assert _years("9999-12", True) == _years("9999-12-31", True) == 10000
    assert _years("2024-03", False) == _years("2024-03-01", False) == 2024 + 60 / 366
    assert _years("2024-02", True) == _years("2024-03-01", False)


# --- command-line texts ---------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    ([b"sparql", b'SELECT * { ?s ?p "\xff" }'],
     "error: the argument TEXT is not UTF-8 text: 'SELECT * { ?s ?p \"\\udcff\" }'; give it in "
     "UTF-8 (see the terminal's encoding: LANG, LC_ALL)"),
    ([b"sparql", b"ASK {}", b"--endpoint", b"http://127.0.0.1:9/sparql", b"--graph", b"g\xe9"],
     "error: --graph is not UTF-8 text: 'g\\udce9'; give it in UTF-8 (see the terminal's "
     "encoding: LANG, LC_ALL)"),
    ([b"sparql", b"ASK {}", b"--endpoint", b"http://127.0.0.1:9/sparql", b"--graph", b"a b"],
     "error: --graph 'a b' is not a valid IRI (Invalid IRI code point ' '); give the graph's "
     "full IRI, e.g. https://example.org/graph"),
    ([b"query", b"timeline", b"--endpoint", b"http://127.0.0.1:9/sparql", b"--graph", b"<x>"],
     "error: --graph '<x>' is not a valid IRI (Invalid IRI code point '<'); give the graph's "
     "full IRI, e.g. https://example.org/graph"),
    ([b"query", b"timeline", b"--endpoint", b"http://127.0.0.1:9/sparql", b"--graph", b"graph"],
     "error: --graph 'graph' is not a valid IRI (No scheme found in an absolute IRI); give the "
     "graph's full IRI, e.g. https://example.org/graph"),
    ([b"query", b"record-connections", b"-p", b"record=\xff"],
     "error: parameter 'record' of query 'record-connections' must be valid UTF-8 text, not "
     "'\\udcff'"),
    ([b"show", b"a b"], "error: no record has the id 'a b'; try 'edugraph search TEXT'"),
    ([b"show", b"<http://x/a b>"],
     "error: no record has the id '<http://x/a b>'; try 'edugraph search TEXT'"),
    ([b"viz", b"-o", b"x.svg", b"http://x/a b"],
     "error: no record has the id 'http://x/a b'; try 'edugraph search TEXT'"),
    ([b"query", b"positions", b"-p", b"person=a b"],
     "error: parameter 'person' of query 'positions': no person has the id 'a b'; try "
     "'edugraph search TEXT'"),
])
def test_command_line_texts_that_no_engine_takes(built: Path, args: list[bytes], message: str) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates; spaces and angle brackets are
    no part of an IRI. Nothing is sent: port 9 is never asked."""
    process = edugraph(*args, cwd=built)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, out, err.decode().splitlines()) == (2, b"", [message])
