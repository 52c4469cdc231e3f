"""Every stored query and check, with its defaults and with its example, gives the same rows
through ``edugraph query --endpoint`` on a real server as locally: an Oxigraph server and Debian's
Virtuoso, both loaded with the frozen policy data's export (and the ontology, whose labels some
queries show) in a named graph, queried with ``--graph``. Rows are compared as RDF terms (kind,
value, datatype, language), as multisets, and in order where the query has ORDER BY.

The provenance fixture (values with their own sources, reified as rdf:Statement, and ties) is
loaded into a second graph, and ``record-provenance`` runs for each of its records: Virtuoso once
repeated those rows despite DISTINCT."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from edugraph.cli.main import app
from edugraph.query import remote
from edugraph.query.stored import catalogue, example_params
from edugraph.vocab import ontology

from .conftest import POLICY, PROVENANCE, QUERIES
from .test_stores import free_port, oxigraph_binary
from .virtuoso import Virtuoso, virtuoso  # noqa: F401 (the fixture)
from .virtuoso import start as start_virtuoso

GRAPH = "https://w3id.org/edugraph/dataset"
DATASETS = {"policy": (POLICY, GRAPH), "provenance": (PROVENANCE, f"{GRAPH}/provenance")}
"""Each data set's folder and the named graph the servers hold its export in."""
PROVENANCE_RECORDS = ("harbour-forum-2024", "harbour-mentoring-programme", "harbour-university",
                      "harbour-faculty-of-education", "teachers-alliance", "lena-park",
                      "vice-harbour-city-mayor", "harbour-city", "teacher-education", "src-a", "src-b")


def _runs() -> list[tuple[str, list[str]]]:
    runs = []
    for query in catalogue(QUERIES):
        if not any(param.required for param in query.params):  # "defaults": runs with none given
            runs.append((query.name, []))
        if query.example:
            args = [f"{key}={value}" for key, values in example_params(query).items() for value in values]
            runs.append((f"{query.name}:example", [w for a in args for w in ("-p", a)]))
    return runs


RUNS = dict(_runs())
ORDERED = {query.name for query in catalogue(QUERIES) if re.search(r"\bORDER\s+BY\b", query.text, re.I)}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each data set (``NAME/data``), its cache, and its N-Triples export with the ontology beside
    it (``NAME/export``)."""
    root = tmp_path_factory.mktemp("remote-queries")
    for name, (data, _) in DATASETS.items():
        shutil.copytree(data, root / name / "data")
        export = root / name / "export"
        export.mkdir()
        result = CliRunner().invoke(app, ["export", "-f", "nt", "-o", str(export / "edugraph.nt"),
                                          "--data", str(root / name / "data"), "--cache", str(root / name / "cache")])
        assert result.exit_code == 0, result.output
        (export / "ontology.nt").write_bytes(ox.serialize(ontology.triples(), format=ox.RdfFormat.N_TRIPLES))
    return root


def _oxigraph(project: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(project / "oxigraph"),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                remote.query(f"{base}/query", "ASK {}")
                break
            except Exception:
                assert process.poll() is None, "oxigraph serve exited"
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.05)
        for dataset, (_, graph) in DATASETS.items():
            for name in ("edugraph.nt", "ontology.nt"):
                remote.push(f"{base}/store", (project / dataset / "export" / name).read_bytes(), graph=graph)
        yield f"{base}/query"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _virtuoso(project: Path) -> Iterator[str]:
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.skip("virtuoso-t not installed (Debian package virtuoso-opensource; .ci/run installs it)")
    for server in start_virtuoso():
        # The bulk loader reads only folders the server allows: copy the export into its own.
        for dataset, (_, graph) in DATASETS.items():
            folder = server.folder / f"load-{dataset}"
            shutil.copytree(project / dataset / "export", folder)
            server.bulk_load(folder, "*.nt", graph)
        yield server.sparql


@pytest.fixture(scope="module")
def endpoint(request: pytest.FixtureRequest, project: Path) -> Iterator[tuple[str, str]]:
    """(server name, query endpoint URL) of a real server loaded with the export in GRAPH."""
    yield from ((request.param, url) for url in {"oxigraph": _oxigraph, "virtuoso": _virtuoso}[request.param](project))


def _terms(output: str) -> tuple[list[str], list[tuple]] | bool:
    """The variables and rows of W3C JSON results, each term as (kind, value, datatype, language)."""
    results = json.loads(output)
    if "boolean" in results:
        return results["boolean"]
    variables = results["head"]["vars"]
    rows = []
    for binding in results["results"]["bindings"]:
        row = []
        for variable in variables:
            term = binding.get(variable)
            row.append(None if term is None else (
                "literal" if term["type"] == "typed-literal" else term["type"], term["value"],
                term.get("datatype"), term.get("xml:lang")))
        rows.append(tuple(row))
    return variables, rows


_LOCAL: dict[str, tuple[int, object]] = {}


def _arguments(run: str) -> list[str]:
    """``NAME`` and ``NAME:example`` are stored queries' runs on the policy data; ``NAME@ID`` runs
    NAME with ``-p record=ID`` on the provenance data."""
    name, _, record = run.partition("@")
    return ["-p", f"record={record}"] if record else RUNS[run]


def _query(project: Path, run: str, *more: str) -> tuple[int, object]:
    name = re.split("[:@]", run)[0]
    folder = project / ("provenance" if "@" in run else "policy")
    result = CliRunner().invoke(app, ["query", name, *_arguments(run), "--format", "json", "--queries", str(QUERIES),
                                      "--data", str(folder / "data"), "--cache", str(folder / "cache"), *more])
    if result.exit_code not in (0, 1):
        return result.exit_code, result.output.strip()
    return result.exit_code, _terms(result.stdout)


def _local(project: Path, run: str) -> tuple[int, object]:
    if run not in _LOCAL:
        _LOCAL[run] = _query(project, run)
    return _LOCAL[run]


def _differences(project: Path, url: str, run: str) -> str | None:
    """None when the run gives the same answer remotely; otherwise what differs, in words."""
    local_code, local = _local(project, run)
    graph = DATASETS["provenance" if "@" in run else "policy"][1]
    there_code, there = _query(project, run, "--endpoint", url, "--graph", graph, "--timeout", "20")
    if isinstance(local, bool) or isinstance(there, bool):
        return None if (local, local_code) == (there, there_code) else f"ASK {local} locally, {there} there"
    (local_vars, local_rows), (there_vars, there_rows) = local, there
    if local_vars != there_vars:
        return f"variables {local_vars} locally, {there_vars} there"
    ordered = re.split("[:@]", run)[0] in ORDERED
    if local_rows == there_rows or (not ordered and Counter(local_rows) == Counter(there_rows)):
        return None if local_code == there_code else f"exit {local_code} locally, {there_code} there"
    missing = Counter(local_rows) - Counter(there_rows)
    extra = Counter(there_rows) - Counter(local_rows)
    if not missing and not extra:
        return f"same {len(local_rows)} rows in another order"
    return (f"{len(there_rows)} rows there for {len(local_rows)} locally; "
            f"missing {sorted(missing.elements(), key=repr)[:3]}; extra {sorted(extra.elements(), key=repr)[:3]}")


ALL_RUNS = sorted(RUNS) + [f"record-provenance@{record}" for record in PROVENANCE_RECORDS]


@pytest.mark.parametrize(("endpoint", "run"), [(server, run) for server in ("oxigraph", "virtuoso") for run in ALL_RUNS],
                         indirect=["endpoint"])
def test_stored_query_gives_the_same_rows_on_the_server(endpoint: tuple[str, str], project: Path,
                                                         run: str) -> None:
    assert _differences(project, endpoint[1], run) is None


def test_provenance_runs_name_every_record_of_the_fixture() -> None:
    from .conftest import compile_whole

    assert set(PROVENANCE_RECORDS) == {item.id for item in compile_whole(PROVENANCE).dataset.records}


def test_virtuoso_fixture_gives_isql_and_digest_endpoints(virtuoso: Virtuoso) -> None:  # noqa: F811
    assert virtuoso.isql("SELECT 6 * 7;").split() == ["42"]
    for url in (virtuoso.sparql_auth, virtuoso.graph_crud_auth):
        # http.client: edugraph guards urllib's openers against URLs it was not given.
        connection = http.client.HTTPConnection("127.0.0.1", virtuoso.http_port, timeout=10)
        connection.request("GET", urllib.parse.urlsplit(url).path + "?query=ASK%7B%7D")
        answer = connection.getresponse()
        assert (answer.status, answer.getheader("WWW-Authenticate", "").split()[0]) == (401, "Digest")
        connection.close()
