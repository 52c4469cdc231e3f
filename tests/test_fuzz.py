"""Property tests: whatever a user hands edugraph, it answers with an exit code and plain messages.

The contract, for ``edugraph build``: exit 0 (the three exports written), exit 1 (the data does not
conform to the shapes; nothing written) or exit 2 with every line on stderr ``error: FILE:LINE: ...``
(a line is absent only when the file could not be read at all) and, for more than one error, the
summary ``N errors; nothing was written.``. Never a traceback, never exit 3 (a bug), never a hang.
For ``edugraph query``: exit 0, 1 (an ASK that is false) or 2 with one line ``error: ...`` naming
the parameter; a string parameter can never change the shape of the result.

Three sources of input: random records (every kind and field of the model, with well- and ill-typed
values), mutations of the policy dataset's files, and random ``-p`` values for every stored query.
Every example runs in a fresh temporary folder as working directory, so no cache or ``dist/``
leaks between examples or into the checkout; the query examples read one copy of the policy dataset
through a query store built once (read only: the data never changes) and passed with ``--cache``.
The examples are derandomized: the same on every run and in CI. About 20 s on two cores.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta, timezone
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from edugraph.build.yamlread import parse_text
from edugraph.cli.main import app
from edugraph.errors import YamlSyntaxError, excerpt
from edugraph.model.kinds import KINDS, RELATIONS, FieldSpec, T
from edugraph.query.sparql import query_form
from edugraph.query.stored import catalogue, example_params
from edugraph.vocab.ontology import vocabularies

from .conftest import POLICY, ROOT

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)
EXAMPLE_SECONDS = 30  # an example running longer than this is a hang
SOURCES_FILE = "sources.yaml"
SOURCES_YAML = b"sources:\n  - id: doc-1\n    name: Test document\n    file: doc-1.txt\n"
OUTPUTS = ("edugraph.ttl", "edugraph.jsonld", "edugraph.nt")
_RUNNER = CliRunner()


def invoke(*args: str) -> Result:
    """The CLI in-process, exceptions not caught (as the ``cli`` fixture runs it)."""
    return _RUNNER.invoke(app, list(args), catch_exceptions=False)


@contextmanager
def no_hang(seconds: int = EXAMPLE_SECONDS) -> Iterator[None]:
    """Fail the example (TimeoutError) when what it runs takes longer than ``seconds``."""

    def expire(signum, frame):  # noqa: ANN001
        raise TimeoutError(f"edugraph ran longer than {seconds} s on this input")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def fresh_dir() -> Iterator[Path]:
    """A new temporary folder as the working directory, removed afterwards."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="edugraph-fuzz-") as tmp:
        os.chdir(tmp)
        try:
            yield Path(tmp)
        finally:
            os.chdir(old)


def escaped(text: str) -> str:
    """How a message shows text: control, line-separator and surrogate characters escaped."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch
        for ch in text
    )


def line_bound(content: bytes) -> int:
    """The largest line number an error about this file can name."""
    text = content.decode("utf-8", errors="replace")
    return max(len(text.splitlines()), content.count(b"\n")) + 1


UNREADABLE = re.compile(r"(cannot read the file: |file is [\d,]+ bytes, over the limit)")


def build(files: dict[str, bytes]) -> Result:
    """``edugraph build`` on ``data/<name>`` for every file, in the working directory (a
    :func:`fresh_dir`); checks the contract and returns the result."""
    data = Path("data")
    for name, content in files.items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    with no_hang():
        result = invoke("build")
    if currently_in_test_context():
        event(f"build exit {result.exit_code}")  # shown by pytest --hypothesis-show-statistics
    assert_build_contract(result, files)
    return result


def loaded(name: str) -> bool:
    """Whether the loader reads ``data/<name>`` (``*.yaml``, no hidden folder on the way)."""
    return name.endswith(".yaml") and not any(p.startswith(".") for p in Path(name).parts)


def assert_build_contract(result: Result, files: dict[str, bytes]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    dist = Path("dist")
    if result.exit_code == 0:
        assert result.stderr == ""
        assert re.fullmatch(r"\d+ records, \d+ triples", result.stdout.splitlines()[0])
        assert all((dist / name).is_file() for name in OUTPUTS)
        # what was written is read back by the readers of each format
        ox.parse(path=str(dist / "edugraph.nt"), format=ox.RdfFormat.N_TRIPLES)
        ox.parse(path=str(dist / "edugraph.ttl"), format=ox.RdfFormat.TURTLE)
        json.loads((dist / "edugraph.jsonld").read_text(encoding="utf-8"))
        return
    assert not dist.exists() or not any(dist.iterdir()), "a failed build wrote files"
    assert result.stdout == ""
    if result.exit_code == 1:
        assert lines[-1] == "the data does not conform; nothing was written."
        findings = lines[:-1]
        assert findings
        for line in findings:
            assert re.match(r"(data/.+?:\d+: )?(violation|warning|info): ", line), line
        assert any(re.match(r"(data/.+?:\d+: )?violation: ", line) for line in findings)
        return
    # exit 2: every line an error with file:line, then the summary when there are several
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors, lines
    if len(errors) > 1:
        assert lines == [*errors, f"{len(errors)} errors; nothing was written."]
    else:
        assert lines == errors
    contents = {f"data/{escaped(name)}": content for name, content in files.items() if loaded(name)}
    for line in errors:
        body = line.removeprefix("error: ")
        place = next((name for name in sorted(contents, key=len, reverse=True)
                      if body.startswith(name + ":")), None)
        assert place is not None, f"no file named in {line!r}"
        rest = body[len(place) + 1:]
        number = re.match(r"(\d+): \S", rest)
        if number is None:  # only a file that could not be read has no line
            assert UNREADABLE.match(rest.lstrip()), f"no line in {line!r}"
            continue
        assert 1 <= int(number.group(1)) <= line_bound(contents[place]), line


# ---------------------------------------------------------------------------------------------
# 1. Random records

NASTY = [
    "", " ", "~", "null", "NO", "yes", "0777", "1.10", "1e3", "-", "- x", ": x", "x: y", "#x",
    "'", '"', "''", '"x', "x'", "{", "}", "[", "]", "&a", "*a", "!!python/object:os.system",
    "<<", "%YAML", "---", "...", "\t", "\n", "a\nb", "a\r\nb", "\r", "\x00", "\x01", "\x1b[31m",
    "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "é", "e\u0301", "ﬁ", "Ⅻ", "中文",
    "🙂", "\U0010ffff", "a" * 300, "x" * 5000, "unesco-tec", "UNESCO-TEC", "a--b", "-a", "a-",
    "2025-02-30", "2025-13-01", "0000", "9999-12-31T23:59:59+14:00", "2025-07-02T24:00+00:00",
    "https://example.org/x", "http://", "https://exa mple.org", "ftp://x", "file:///etc/passwd",
    "../../etc/passwd", "/abs", ".", "..", "a/b", "a\\b", "true", "false", "True", "1", "-1",
    "1,000", "99999999999999999999", "0x1f",
]
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\t"]
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.builds(lambda a, brk, b: a + brk + b, st.text(min_size=1, max_size=8),
              st.sampled_from(BREAKS), st.text(min_size=1, max_size=8)),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(50, 3000)),
)
anything = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20),
              st.floats(allow_nan=True), texts),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def dates(noise: int) -> st.SearchStrategy[str]:
    """Dates in the four forms, and now and then forms and dates that do not exist."""
    real = st.dates()
    offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    valid = st.one_of(
        real.map(lambda d: d.isoformat()[:4]),
        real.map(lambda d: d.isoformat()[:7]),
        real.map(date.isoformat),
        st.builds(lambda d, tz, spec: d.replace(tzinfo=tz).isoformat(timespec=spec),
                  st.datetimes(), st.none() | offsets, st.sampled_from(["minutes", "seconds"])),
    )
    year = st.integers(0, 10000).map(lambda y: f"{y:04d}")
    two = st.integers(0, 99).map(lambda n: f"{n:02d}")
    offset = st.sampled_from(["", "Z", "+00:00", "-05:30", "+14:00", "-23:59", "+99:00"])
    wild = st.one_of(
        year,
        st.builds(lambda y, m: f"{y}-{m}", year, two),
        st.builds(lambda y, m, d: f"{y}-{m}-{d}", year, two, two),
        st.builds(lambda y, m, d, h, mi, s, o: f"{y}-{m}-{d}T{h}:{mi}{s}{o}",
                  year, two, two, two, two, st.sampled_from(["", ":00", ":59", ":60"]), offset),
        st.sampled_from(["2025-02-29", "2024-02-29", "2025-04-31", "2025-07-02T24:00",
                         "2025-07-02 10:00", "2025-7-2", "July 2025", "20250702"]),
        texts,
    )
    return mostly(valid, wild, noise)


SLUGS = st.from_regex(r"\A[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}\Z")
CLEAN_TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                      min_size=1, max_size=30).map(lambda s: s if s.strip() else "x" + s)


def one_in(n: int) -> st.SearchStrategy[bool]:
    """True about once in ``n`` draws, False when shrunk.

    Hypothesis draws the ends of a range and small numbers far more often than the rest, so
    the True band sits in the middle of a wide range.
    """
    return st.integers(0, 10_000).map(lambda k: 5_000 <= k < 5_000 + 10_000 // n)


def mostly(common: st.SearchStrategy[Any], rare: st.SearchStrategy[Any], n: int
           ) -> st.SearchStrategy[Any]:
    """``common``, and about once in ``n`` draws ``rare`` (never when ``n`` is 0)."""
    return one_in(n).flatmap(lambda r: rare if r else common) if n else common


def well_typed(spec: FieldSpec, ids: dict[str, list[str]], noise: int) -> st.SearchStrategy[Any]:
    """A value of the field's type: valid but for about one in ``noise``; references to records
    of the example."""
    t = spec.type
    if t is T.ID:
        one: st.SearchStrategy[Any] = mostly(SLUGS, texts, noise)
    elif t is T.TEXT:
        one = mostly(CLEAN_TEXTS | st.sampled_from(NASTY).filter(str.strip), texts, noise)
    elif t is T.REF:
        known = sorted({i for kind in spec.refs for i in ids.get(kind, [])})
        one = mostly(st.sampled_from(known), SLUGS | texts, noise) if known else SLUGS
    elif t is T.TEMPORAL:
        one = dates(noise)
    elif t is T.INT:
        one = mostly(st.integers(0, 10**6), st.integers(-5, 10**16)
                     | st.sampled_from(["007", "1,000", "2.5", "-3", "1e3", "0x10"]), noise)
    elif t is T.BOOL:
        one = mostly(st.booleans(), st.sampled_from(["yes", "NO", "True", "1", "on"]), noise)
    elif t is T.IRI:
        one = mostly(st.sampled_from(["https://example.org/a", "http://www.wikidata.org/entity/Q1",
                                      "https://ror.org/05f950310"]),
                     texts | texts.map(lambda s: "https://x.org/" + s), noise)
    elif t is T.CONCEPT:
        one = mostly(st.sampled_from(sorted(vocabularies()[spec.scheme or ""])), texts, noise)
    elif t is T.FILENAME:
        one = mostly(st.sampled_from(["doc.txt", "a b.txt", "ünï.txt"]), texts, noise)
    elif t is T.CHOICE:
        one = mostly(st.sampled_from(spec.choices), texts, noise)
    else:
        raise AssertionError(t)
    if spec.name not in ("id", "sources") and ids.get("source"):
        # now and then a value with sources of its own: {value: ..., sources: [...]}
        own = st.lists(mostly(st.sampled_from(ids["source"]), SLUGS, noise), min_size=1, max_size=2)
        one = mostly(one, st.fixed_dictionaries({"value": one, "sources": own}), 6)
    if spec.many:
        return mostly(st.lists(one, min_size=1, max_size=3, unique_by=repr),
                      st.lists(one, max_size=3), noise)
    return one


@st.composite
def entry(draw: st.DrawFn, kind: str, ids: dict[str, list[str]], noise: int,
          record_id: str | None = None) -> Any:
    """A record of ``kind`` with id ``record_id`` (else a relationship entry of ``kind``):
    well-typed fields, but for about one in ``noise`` that is ill-typed, missing or unknown."""
    nested = record_id is None
    spec = RELATIONS[kind] if nested else KINDS[kind]
    if draw(mostly(st.just(False), st.just(True), noise * 4)):
        return draw(anything)  # not a mapping at all
    fields: dict[str, Any] = {}
    for name, fspec in spec.fields.items():
        if fspec.required:
            if draw(mostly(st.just(False), st.just(True), noise * 2)):
                continue  # a required field left out
        elif not draw(one_in(3)):  # about a third of the optional fields
            continue
        if fspec.type is T.REF and not any(ids.get(k) for k in fspec.refs) and not draw(one_in(4)):
            continue  # nothing of that kind to point to
        if name == "id":
            fields[name] = draw(mostly(st.just(record_id), SLUGS | texts, noise))
        elif fspec.type is T.NESTED:
            entries = st.lists(entry(fspec.nested or "", ids, noise), min_size=1, max_size=3)
            fields[name] = draw(mostly(entries, anything | st.just([]), noise))
        else:
            fields[name] = draw(mostly(well_typed(fspec, ids, noise), anything, noise))
    if draw(mostly(st.just(False), st.just(True), noise)):
        fields[draw(texts | st.sampled_from(["websight", "soruces", "Name"]))] = draw(anything)
    if draw(one_in(3)):  # any field order
        keys = draw(st.permutations(list(fields)))
        fields = {k: fields[k] for k in keys}
    return fields


FILE_NAMES = ["records.yaml", "sub/more.yaml", "spaced name.yaml", "ünïcode.yaml", "a:1.yaml",
              ".hidden/skipped.yaml", "notes.yml"]


@st.composite
def record_files(draw: st.DrawFn) -> dict[str, bytes]:
    """One to three YAML files of random records of every kind, in the sections of the model.

    Each example has a noise level: clean examples (well-typed values, references to records
    that exist) reach the SHACL validation and the writers; noisy ones every kind of bad input.
    """
    noise = draw(st.sampled_from([0, 40, 12, 4]))
    ids: dict[str, list[str]] = {}
    for kind in draw(st.lists(st.sampled_from(list(KINDS)), min_size=1, max_size=7, unique=True)):
        pool = draw(st.lists(st.sampled_from(["a", "b", "c-1", "unesco-tec"]), min_size=1,
                             max_size=3, unique=True))
        # ids of one kind, but now and then the same id for records of two kinds
        ids[kind] = [x if draw(mostly(st.just(False), st.just(True), noise)) else f"{kind[:3]}-{x}"
                     for x in pool]
    records = [(kind, rid) for kind, pool in ids.items() for rid in pool]
    ids.setdefault("source", []).append("doc-1")  # in sources.yaml
    names = draw(st.lists(st.sampled_from(FILE_NAMES), min_size=1, max_size=3, unique=True))
    docs: dict[str, dict[Any, Any]] = {name: {} for name in names}
    for kind, rid in records:
        doc = docs[draw(st.sampled_from(names))]
        doc.setdefault(KINDS[kind].section, []).append(draw(entry(kind, ids, noise, rid)))
    files: dict[str, bytes] = {SOURCES_FILE: SOURCES_YAML}
    for name, doc in docs.items():
        for section in list(doc):
            if draw(mostly(st.just(False), st.just(True), noise * 2)):
                doc[section] = draw(anything | st.just([]))
        if draw(mostly(st.just(False), st.just(True), noise * 2)):
            doc[draw(texts)] = draw(anything)
        root: Any = draw(mostly(st.just(doc), anything, noise * 3))
        files[name] = draw(dumped(root))
    return files


def dumped(value: Any) -> st.SearchStrategy[bytes]:
    """``value`` as YAML: PyYAML's dumper in several styles, or written by hand."""
    return st.one_of(
        st.builds(lambda flow, uni, width: yaml.safe_dump(
            value, default_flow_style=flow, allow_unicode=uni, sort_keys=False, width=width
        ).encode("utf-8"), st.sampled_from([False, True, None]), st.booleans(),
            st.sampled_from([80, 10**6])),
        st.sampled_from(["plain", "single", "double"]).map(lambda style: hand(value, style)),
    )


def hand(value: Any, style: str) -> bytes:
    """Block YAML written by hand; ``plain`` scalars are not quoted at all (often invalid)."""

    def scalar(v: Any) -> str:
        if v is None:
            return "~"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (dict, list)):  # an empty one
            return "{}" if isinstance(v, dict) else "[]"
        if not isinstance(v, str):
            return str(v)
        if style == "single":
            return "'" + v.replace("'", "''") + "'"
        if style == "double":
            return json.dumps(v, ensure_ascii=False)
        return v

    lines: list[str] = []

    def emit(v: Any, indent: int, prefix: str) -> None:
        if isinstance(v, dict) and v:
            items = [(scalar(k) + ":", item) for k, item in v.items()]
        elif isinstance(v, list) and v:
            items = [("-", item) for item in v]
        else:
            lines.append(prefix + scalar(v))
            return
        for n, (head, item) in enumerate(items):
            head = (prefix if n == 0 else " " * indent) + head
            if head.endswith("-") and isinstance(item, dict) and item:
                emit(item, indent + 2, head + " ")  # - key: value, the other keys below
            elif isinstance(item, (dict, list)) and item:
                lines.append(head)
                emit(item, indent + 2, " " * (indent + 2))
            else:
                lines.append(f"{head} {scalar(item)}")

    emit(value, 0, "")
    return ("\n".join(lines) + "\n").encode("utf-8")


@SETTINGS
@given(files=record_files())
def test_random_records_keep_the_build_contract(files: dict[str, bytes]) -> None:
    with fresh_dir():
        build(files)


def test_the_record_strategy_reaches_every_outcome() -> None:
    """The generator is not all noise: some examples build, some are bad input."""
    seen: set[int] = set()

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(files=record_files())
    def collect(files: dict[str, bytes]) -> None:
        with fresh_dir():
            seen.add(build(files).exit_code)

    collect()
    assert {0, 2} <= seen


# ---------------------------------------------------------------------------------------------
# 2. Mutations of the policy dataset (tests/fixtures/policy)

REAL = {p.name: p.read_bytes() for p in sorted(POLICY.glob("*.yaml"))}
INSERTS = [b"\x00", b"\t", b"\xff", b"\xc3", b"\xe2\x80\xa8", b"\r", b"\x85", b"\xc2\x85",
           b"\x1b", b"\xef\xbb\xbf", b": ", b"- ", b"'", b'"', b"{", b"[", b"#", b"&a ", b"*a",
           b"!!python/object:os.system ", b"<<: ", b"---\n", b"\n"]
TOKENS = ["&a", "*a", "!!python/object:os.system 'ls'", "!!python/object/apply:os.system ['ls']",
          "&a x", "!tag x", "!!str x", "<<: *a", "{<<: {a: 1}}", "? complex", "[", "|", ">-", "%x"]
_VALUE_LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_]+:)( .*)?$")


def mutate(content: bytes, op: str, at: int, extra: Any) -> bytes:
    lines = content.split(b"\n")
    i = at % max(len(lines), 1)
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "indent":
        stripped = lines[i].lstrip(b" ")
        lines[i] = b" " * (extra % 9) + stripped
    elif op == "truncate":
        return content[: at % (len(content) + 1)]
    elif op == "insert":
        k = at % (len(content) + 1)
        return content[:k] + extra + content[k:]
    elif op in ("to-list", "to-mapping", "to-block-list", "token", "merge"):
        candidates = [j for j, line in enumerate(lines) if _VALUE_LINE.match(line)]
        if not candidates:
            return content
        j = candidates[at % len(candidates)]
        match = _VALUE_LINE.match(lines[j])
        assert match is not None
        key, value = match.group(1), (match.group(2) or b" ~").strip()
        indent = len(lines[j]) - len(lines[j].lstrip(b" -"))
        if op == "to-list":
            lines[j] = key + b" [" + value + b", other]"
        elif op == "to-mapping":
            lines[j] = key + b" {a: " + value + b"}"
        elif op == "to-block-list":
            lines[j] = key + b"\n" + b" " * (indent + 2) + b"- " + value
        elif op == "token":
            lines[j] = key + b" " + TOKENS[extra % len(TOKENS)].encode()
        else:
            lines.insert(j + 1, b" " * indent + b"<<: {x: 1}")
    else:
        raise AssertionError(op)
    return b"\n".join(lines)


FILES = st.sampled_from(sorted(REAL))
POSITIONS = st.integers(0, 10**6)
mutations = st.lists(
    st.tuples(st.just("insert"), FILES, POSITIONS,
              st.sampled_from(INSERTS) | st.binary(min_size=1, max_size=6))
    | st.tuples(st.sampled_from(["delete", "duplicate", "indent", "truncate", "to-list",
                                 "to-mapping", "to-block-list", "token", "merge"]),
                FILES, POSITIONS, st.integers(0, 1000)),
    min_size=1, max_size=4,
)


@SETTINGS
@given(changes=mutations)
def test_mutated_data_keeps_the_build_contract(changes: list[tuple[str, str, int, Any]]) -> None:
    files = dict(REAL)
    for op, name, at, extra in changes:
        files[name] = mutate(files[name], op, at, extra)
    with fresh_dir():
        build(files)


def test_the_policy_dataset_builds() -> None:
    """The mutations start from data that builds."""
    with fresh_dir():
        assert build(dict(REAL)).exit_code == 0


# ---------------------------------------------------------------------------------------------
# 3. Query parameters

QUERIES = {q.name: q for q in catalogue(ROOT / "queries")}


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    """The policy dataset and the queries with a warm query cache (read only in the examples)."""
    with tempfile.TemporaryDirectory(prefix="edugraph-fuzz-project-") as tmp:
        root = Path(tmp)
        shutil.copytree(POLICY, root / "data")
        shutil.copytree(ROOT / "queries", root / "queries")
        with fresh_dir():
            result = invoke("check", "--data", str(root / "data"), "--queries",
                            str(root / "queries"), "--cache", str(root / "cache"))
        assert result.exit_code == 0, result.output
        yield root


def run_query(root: Path, name: str, pairs: list[str]) -> Result:
    args = ["query", name, "--data", str(root / "data"), "--queries", str(root / "queries"),
            "--cache", str(root / "cache"), "--format", "json", "--timeout",
            str(EXAMPLE_SECONDS)]
    for pair in pairs:
        args += ["-p", pair]
    with fresh_dir(), no_hang():
        return invoke(*args)


INJECTIONS = [
    'x" } ; DROP ALL ; #', '" } SELECT * WHERE { ?s ?p ?o } #', '") . ?s ?p ?o . FILTER("',
    "x' } #", "\\", '\\"', "\"\"\"", "'''", "}", "{", "#", "?record", "$record", "<http://x>",
    '" ; ?extra ?p ?o . #', "\n} UNION { ?s ?p ?o }\n", "\\u0022 } #", "\udcff", "\ud800",
    "zhang-minxuan", "professors",
]
values = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(100, 20000)),
    st.from_regex(r"\A-?[0-9]{1,20}\Z"),
    st.sampled_from(["true", "false", "2025", "1900", "unesco", "host", "ministry", "china",
                     "teacher-policies", "src-002", "category-ii-centres-meeting-8"]),
)
keys = st.text(max_size=12) | st.sampled_from(["p", "x y", " record ", "record\n", "a=b", ""])


@st.composite
def parameters(draw: st.DrawFn, name: str) -> list[str]:
    declared = [p.name for p in QUERIES[name].params]
    key = st.sampled_from(declared) | keys if declared else keys
    pairs = draw(st.lists(st.tuples(key, values), max_size=3))
    out = [f"{k}={v}" for k, v in pairs]
    if draw(st.integers(0, 9)) == 0:
        out.append(draw(keys))  # no '='
    return out


def baseline_vars(root: Path, name: str) -> list[str] | None:
    query = QUERIES[name]
    # The example's values: an id parameter must name a record of its kind.
    example = example_params(query)
    pairs = [f"{key}={value}" for key, given in example.items() for value in given]
    pairs += [f"{p.name}={'zhang-minxuan' if p.type == 'string' else 'x'}"
              for p in query.params if p.required and p.name not in example]
    result = run_query(root, name, pairs)
    if result.exit_code != 0:
        return None
    document = json.loads(result.stdout)
    return document["head"].get("vars")


def assert_query_contract(result: Result, query_name: str, pairs: list[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    if result.exit_code == 1:  # only an ASK that is false
        assert query_form(QUERIES[query_name].text) == "ASK"
        assert json.loads(result.stdout) == {"head": {}, "boolean": False}
        assert result.stderr == ""
    elif result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        named = {p.name for p in QUERIES[query_name].params}
        named |= {pair.partition("=")[0].strip() for pair in pairs}
        named |= set(pairs)
        # a name of 200 characters or more is quoted as an excerpt (errors.cap_quotes)
        assert any(f"parameter '{escaped(n)}'" in lines[0] or f"parameter '{excerpt(escaped(n))}'" in lines[0]
                   for n in named), lines[0]
        assert result.stdout == ""
    else:
        assert result.stderr == ""


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_parameters_keep_the_contract(project: Path, name: str) -> None:
    expected = baseline_vars(project, name)
    strings = {p.name for p in QUERIES[name].params if p.type == "string"}

    @settings(max_examples=12 if strings else 6, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(pairs=parameters(name))
    def check(pairs: list[str]) -> None:
        result = run_query(project, name, pairs)
        event(f"query exit {result.exit_code}")
        assert_query_contract(result, name, pairs)
        if result.exit_code == 0 and expected is not None:
            assert json.loads(result.stdout)["head"].get("vars") == expected

    check()


STRING_PARAMS = sorted((q.name, p.name) for q in QUERIES.values() for p in q.params
                       if p.type == "string")


@pytest.mark.parametrize(("query_name", "param"), STRING_PARAMS)
def test_string_values_cannot_change_the_result_shape(project: Path, query_name: str,
                                                      param: str) -> None:
    """A string is bound as a literal: whatever it holds, the variables stay the query's own."""
    expected = baseline_vars(project, query_name)
    assert expected

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(value=values)
    def check(value: str) -> None:
        result = run_query(project, query_name, [f"{param}={value}"])
        assert_query_contract(result, query_name, [f"{param}={value}"])
        if result.exit_code == 0:
            document = json.loads(result.stdout)
            assert document["head"]["vars"] == expected
            for binding in document["results"]["bindings"]:
                assert set(binding) <= set(expected)

    check()


# ---------------------------------------------------------------------------------------------
# 4. Lines of YAML reader errors, and regressions the properties found

LINE_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                                           exclude_characters='"\\\ufeff\ufffe\uffff'),
                    max_size=12)


@SETTINGS
@given(lines=st.lists(LINE_TEXT, min_size=1, max_size=8), at=st.integers(0, 100),
       column=st.integers(0, 100), bad=st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\ufffe"]))
def test_a_control_character_is_reported_at_its_line(lines: list[str], at: int, column: int,
                                                      bad: str) -> None:
    rows = [f'k{i}: "{text}"' for i, text in enumerate(lines)]
    i = at % len(rows)
    j = 5 + column % (len(rows[i]) - 5)  # inside the quoted value
    rows[i] = rows[i][:j] + bad + rows[i][j:]
    with pytest.raises(YamlSyntaxError) as caught:
        parse_text("\n".join(rows) + "\n", "f.yaml")
    assert caught.value.line == i + 1, (rows, str(caught.value))


def test_reader_error_line_counts_characters_not_bytes(write_yaml, cli) -> None:
    """libyaml reports the offset of a bad character in bytes of UTF-8: a line of Cyrillic or
    Chinese before it must not push the reported line down."""
    write_yaml("x.yaml", "organisations:\n  - id: o\n    name: " + "Ташкент" * 10 + "\n"
               "    note: a\x01b\n    sources: [doc-1]\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: data/x.yaml:4: YAML syntax error: control characters are not allowed"]


@pytest.mark.parametrize(("text", "message"), [
    ('organisations:\n  - id: "a\\nb"\n    name: O\n    sources: [doc-1]\n',
     "error: data/x.yaml:2: organisation 'a\\nb', field 'id': 'a\\nb' is not a valid id; use "
     "lowercase letters, digits and single hyphens, e.g. 'unesco-tec'"),
    ('"sec\\ttion\\r\\n": []\n',
     "error: data/x.yaml:1: unknown section 'sec\\ttion\\r\\n'; sections are: organisations, "
     "people, events, initiatives, places, sources, topics"),
    ('places:\n  - id: p\n    name: P\n    sources: [doc-1]\n    "x\\u2028y": 1\n',
     "error: data/x.yaml:5: place 'p': unknown field 'x\\u2028y'; place fields are: id, name, "
     "aliases, mentioned_as, description, note, same_as, website, sources, type, part_of"),
    ('places:\n  - id: p\n    name: P\n    sources: "doc-1\\nx"\n',
     "error: data/x.yaml:4: place 'p', field 'sources': must be a list, found the text "
     "'doc-1\\nx'; write it as [doc-1\\nx]"),
])
def test_an_error_stays_on_one_line_whatever_the_input_holds(write_yaml, cli, text: str,
                                                              message: str) -> None:
    write_yaml("x.yaml", text)
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]


def test_a_file_name_with_a_line_break_stays_on_one_line(write_yaml, cli) -> None:
    write_yaml("a\nb.yaml", "places: 1\n")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: data/a\\nb.yaml:1: section 'places' holds the text '1', not a list of records; "
        "write each record as a list item starting with '- id:'"]


def test_a_violation_in_a_file_with_a_line_break_in_its_name_stays_on_one_line(write_yaml,
                                                                              cli) -> None:
    write_yaml("a\nb.yaml", "events:\n  - id: e\n    name: E\n    sources: [doc-1]\n")
    result = cli("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/a\\nb.yaml:2: violation: event 'e' has no start date, and no note saying why "
        "(field 'start')",
        "the data does not conform; nothing was written."]


@pytest.mark.parametrize(("query_name", "pair", "message"), [
    ("stated-counts", "what=\udcff",
     "error: parameter 'what' of query 'stated-counts' must be valid UTF-8 text, not '\\udcff'"),
    ("record-provenance", "record=a\udc80b",
     "error: parameter 'record' of query 'record-provenance' must be valid UTF-8 text, "
     "not 'a\\udc80b'"),
])
def test_a_parameter_value_that_is_not_utf8_is_bad_input(project: Path, query_name: str,
                                                         pair: str, message: str) -> None:
    """``-p what=$'\\xff'`` reaches Python as a lone surrogate (surrogateescape)."""
    result = run_query(project, query_name, [pair])
    assert (result.exit_code, result.stderr.splitlines()) == (2, [message])


def test_a_parameter_name_with_a_line_break_stays_on_one_line(project: Path) -> None:
    result = run_query(project, "record-provenance", ["re\ncord=x"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: query 'record-provenance' has no parameter 're\\ncord'; did you mean 'record'?"]
