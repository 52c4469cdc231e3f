#!/usr/bin/env python
"""edugraph performance benchmark: every stage at N records, against the straightforward way.

    python benchmarks/run.py [--n 1000 10000 100000] [--json FILE] [--keep DIR]
                             [--baseline-max-n N] [--seed S] [--per-file K]

For each N the generator (benchmarks/generate.py) writes N records into a temporary folder (or
reuses ``--keep DIR/N`` when it was generated with the same parameters). Every stage then runs in a
fresh child process (the same Python, the same environment) that first does the stages it needs
(untimed), then times its own stage; the child's peak RSS (high-water mark, from ``os.wait4``) is
the stage's peak memory, so a stage is never charged for a later one. The whole ``edugraph build``,
the rebuild after one edit, the stored queries from the command line and ``--help`` are timed as
subprocesses from here. See benchmarks/README.md for what each row and column means.

Internally ``run.py --stage NAME --data DIR --work DIR`` is the child side of one stage.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import floors  # noqa: E402  (beside this script)

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
QUERIES = ROOT / "queries"
BUNDLED = ROOT / "data"
RESULT_MARK = "BENCH-RESULT "
PARAMS_FILE = "benchmark-params.json"
MIB = 1024 * 1024

DEFAULT_NS = [1000, 10000, 100000]
DEFAULT_BASELINE_MAX_N = 100_000
CHILD_TIMEOUT = 3 * 3600.0

# Stages run in a child process of their own: name -> (row label, baseline stage or None).
CHILD_STAGES: dict[str, tuple[str, str | None]] = {
    "yaml-parse": ("YAML parse, libyaml CSafeLoader (yaml.load)", "yaml-safe"),
    "load": ("load: find_files + vocabularies + load", None),
    "resolve": ("resolve", None),
    "map": ("map: map_dataset", None),
    "sort": ("sort: sort_triples", None),
    "validate": ("validate: shacl.validate_triples (the whole graph at once)", "pyshacl"),
    "units": ("units: compile_units, file by file in one process (load, resolve, map, serialise)", None),
    "validate-units": ("validate file by file in one process (units.validate_units, as build)", "pyshacl"),
    "export-ttl": ("export Turtle", "rdflib-ttl"),
    "export-nt": ("export N-Triples", "rdflib-nt"),
    "export-jsonld": ("export JSON-LD", "rdflib-jsonld"),
    "store-load": ("store: in-memory Oxigraph from triples", "rdflib-graph"),
    "store-disk": ("store: on-disk query store, bulk load of the N-Triples (first query after a build)", None),
    "sparql-2hop": ("SPARQL two-hop on Oxigraph (positions x parent org)", "rdflib-sparql-2hop"),
}
BASELINES: dict[str, str] = {
    "yaml-safe": "pure-Python yaml.SafeLoader (yaml.load)",
    "pyshacl": "pySHACL on the whole graph (rdflib copy + ontology)",
    "rdflib-ttl": "rdflib Graph.serialize(format='turtle')",
    "rdflib-nt": "rdflib Graph.serialize(format='nt')",
    "rdflib-jsonld": "rdflib Graph.serialize(format='json-ld', context)",
    "rdflib-graph": "rdflib Graph from the triples (mapping.to_rdflib)",
    "rdflib-sparql-2hop": "the same query on rdflib's SPARQL engine",
}
# Baselines that take minutes at 100k (rdflib Turtle ~64 s, JSON-LD ~45 s and 3 GB, SPARQL two-hop
# ~170 s, pySHACL ~53 s on a 2-core machine): skipped above --baseline-max-n.
SLOW_BASELINES = ("rdflib-ttl", "rdflib-jsonld", "rdflib-sparql-2hop", "pyshacl")
# Stages timed from this process.
PARENT_STAGES: dict[str, str] = {
    "query-engine-p50": "stored queries in engine (run_oxigraph), p50",
    "query-engine-p95": "stored queries in engine (run_oxigraph), p95",
    "query-cli-p50": "stored queries from the CLI (--format csv), p50",
    "query-cli-p95": "stored queries from the CLI (--format csv), p95",
    "build": "edugraph build, end to end",
    "rebuild-one-edit": "edugraph build again after editing one name",
    "rebuild-unchanged": "edugraph build again with nothing changed (writes nothing)",
    "build-floor": "floor: Oxigraph bulk load of the build's N-Triples + write Turtle and N-Triples",
    "copy-floor": "floor: cp of the three exports (median of 3)",
    "store-scan": "not a target: COUNT of every triple on the open query store (what a whole-graph check reads)",
    "class-scan": "not a target: COUNT of every eg:Organisation on the open query store (a check over a class)",
    "store-open": "python -c opening the query store read-only (median; not a target: what a CLI query cannot skip)",
}
GLOBAL_STAGES: dict[str, str] = {
    "python-pass": "floor: python -c pass (median)",
    "help-module": "python -m edugraph --help (median)",
    "help-script": "edugraph --help (console script, median)",
    "bundled-build": "edugraph build of the bundled data/ (median of 3)",
}

SCANS = {
    "store-scan": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "class-scan": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/edugraph/ontology#Organisation> }",
}
"""Floors of the stored queries in the engine: reading every triple, and every node of a class."""

TWO_HOP = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX eg: <https://w3id.org/edugraph/ontology#>
SELECT ?person ?title ?org ?parent WHERE {
  ?position org:member ?person ; org:organization ?org ; eg:title ?title .
  ?org org:subOrganizationOf ?parent .
}"""


# =============================================================================================
# Child side: one stage, after the stages it needs


def _hwm_mb() -> float:
    """This process's RSS high-water mark (VmHWM) in MiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Prep:
    """The stages before the timed one, computed lazily and untimed."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._cache: dict[str, Any] = {}

    def get(self, what: str) -> Any:
        if what not in self._cache:
            self._cache[what] = getattr(self, "_" + what)()
        return self._cache[what]

    def _files(self):
        from edugraph.files import find_files

        return find_files(self.data)

    def _records(self):
        from edugraph.build.load import load
        from edugraph.vocab.ontology import vocabularies

        return load(self.get("files"), vocabularies(), display_root=Path.cwd())

    def _dataset(self):
        from edugraph.build.resolve import resolve

        return resolve(self.get("records"))

    def _mapped(self):
        from edugraph.build.mapping import map_dataset

        return map_dataset(self.get("dataset"))

    def _triples(self):
        from edugraph.build.writers import sort_triples

        return sort_triples(self.get("mapped").triples)

    def _texts(self):
        return [p.read_text(encoding="utf-8") for p in self.get("files")]

    def _rdflib(self):
        from edugraph.model.kinds import PREFIXES
        from edugraph.vocab.terms import to_rdflib

        graph = to_rdflib(self.get("triples"))
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True)
        return graph

    def _units(self):
        from edugraph.build.compile import compile_units

        return compile_units(self.data)

    def _nt(self):
        from edugraph.build.writers import serialise

        return serialise(self.get("triples"), "nt")

    def _memory_store(self):
        from edugraph.vocab.ontology import memory_store

        return memory_store(self.get("triples"))


def _reset_hwm() -> bool:
    """Restart this process's RSS high-water mark at its current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _preimport() -> None:
    """Import the RDF libraries before a timer starts: imports are charged to cold start and to
    the end-to-end rows, not to the stage rows."""
    import pyoxigraph  # noqa: F401
    import rdflib  # noqa: F401

    for name in ("pyshacl", "pyshacl_turbo"):
        try:
            __import__(name)
        except ImportError:
            pass


def _median_of(fn, reps: int, budget: float) -> tuple[float, list[float], Any]:
    """Run ``fn`` up to ``reps`` times (at least once, fewer past ``budget`` seconds)."""
    samples: list[float] = []
    result = None
    spent = 0.0
    for _ in range(max(1, reps)):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        samples.append(dt)
        spent += dt
        if spent > budget:
            break
    return statistics.median(samples), samples, result


def child_stage(stage: str, data: Path, work: Path, reps: int, start: int = 0,
                query_timeout: float = 60.0) -> dict[str, Any]:
    prep = _Prep(data)
    extra: dict[str, Any] = {}
    needs = {
        "yaml-parse": ["texts"], "yaml-safe": ["texts"], "load": [], "resolve": ["records"],
        "map": ["dataset"], "sort": ["mapped"], "validate": ["triples", "mapped"], "pyshacl": ["triples"],
        "export-ttl": ["triples"], "export-nt": ["triples"], "export-jsonld": ["triples"],
        "rdflib-graph": ["triples"], "rdflib-ttl": ["rdflib"], "rdflib-nt": ["rdflib"],
        "rdflib-jsonld": ["rdflib"], "store-load": ["triples"], "store-disk": ["nt"],
        "units": [], "validate-units": ["units"],
        "sparql-2hop": ["memory_store"], "rdflib-sparql-2hop": ["rdflib"], "queries": [],
    }
    if stage not in needs:
        raise SystemExit(f"unknown stage {stage!r}")
    _preimport()
    for what in needs[stage]:
        prep.get(what)
    if stage == "queries":
        return _queries_stage(prep, data, work, reps, start, query_timeout)
    hwm_before = _hwm_mb()
    t0 = time.perf_counter()
    seconds: float | None = None
    if stage in ("yaml-parse", "yaml-safe"):
        import yaml

        loader = yaml.CSafeLoader if stage == "yaml-parse" else yaml.SafeLoader
        for text in prep.get("texts"):
            yaml.load(text, Loader=loader)
        extra["files"] = len(prep.get("texts"))
    elif stage == "load":
        from edugraph.build.load import load
        from edugraph.files import find_files
        from edugraph.vocab.ontology import vocabularies

        records = load(find_files(data), vocabularies(), display_root=Path.cwd())
        extra["records"] = len(records)
    elif stage == "resolve":
        from edugraph.build.resolve import resolve

        extra["records"] = len(resolve(prep.get("records")).records)
    elif stage == "map":
        from edugraph.build.mapping import map_dataset

        extra["triples_unsorted"] = len(map_dataset(prep.get("dataset")).triples)
    elif stage == "sort":
        from edugraph.build.writers import sort_triples

        extra["triples"] = len(sort_triples(prep.get("mapped").triples))
    elif stage == "validate":
        from edugraph.build.shacl import validate_triples

        report = validate_triples(prep.get("triples"), prep.get("mapped").origins)
        seconds = time.perf_counter() - t0
        extra.update(conforms=report.conforms, findings=len(report.findings), engine="turbo")
    elif stage == "units":
        from edugraph.build.compile import compile_units

        compiled = compile_units(data)
        extra.update(records=compiled.records, triples=compiled.triples, files=len(compiled.units))
    elif stage == "validate-units":
        from edugraph.build.partition import validate_units

        report = validate_units(prep.get("units"))
        seconds = time.perf_counter() - t0
        extra.update(conforms=report.conforms, findings=len(report.findings))
    elif stage == "pyshacl":
        import pyshacl
        import rdflib

        from edugraph.vocab.ontology import SHAPES_FILE, ontology_path
        from edugraph.vocab.terms import to_rdflib

        shapes = rdflib.Graph().parse(ontology_path(SHAPES_FILE), format="turtle")
        ontology = rdflib.Graph().parse(ontology_path(), format="turtle")
        graph = to_rdflib(prep.get("triples"))
        graph += ontology
        conforms, results, _ = pyshacl.validate(
            graph, shacl_graph=shapes, ont_graph=ontology, inference="none", abort_on_first=False,
            allow_warnings=True, allow_infos=True, advanced=False, meta_shacl=False,
            do_owl_imports=False)
        seconds = time.perf_counter() - t0
        extra["conforms"] = bool(conforms)
    elif stage.startswith("export-"):
        from edugraph.build.writers import serialise

        extra["bytes"] = len(serialise(prep.get("triples"), stage.removeprefix("export-")))
    elif stage == "rdflib-graph":
        from edugraph.vocab.terms import to_rdflib

        extra["triples"] = len(to_rdflib(prep.get("triples")))
    elif stage in ("rdflib-ttl", "rdflib-nt", "rdflib-jsonld"):
        graph = prep.get("rdflib")
        t0 = time.perf_counter()  # binding prefixes is not the serialiser's work
        if stage == "rdflib-jsonld":
            from edugraph.vocab.ontology import context

            payload = graph.serialize(format="json-ld", context=context(), encoding="utf-8")
        else:
            payload = graph.serialize(format={"rdflib-ttl": "turtle", "rdflib-nt": "nt"}[stage],
                                      encoding="utf-8")
        extra["bytes"] = len(payload)
    elif stage == "store-load":
        from edugraph.vocab.ontology import memory_store

        extra["quads"] = len(memory_store(prep.get("triples")))
    elif stage == "store-disk":
        from edugraph.query import stores as graphstore

        folder = work / "store-disk"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        graphstore._write_store(prep.get("nt"), folder / "db")
        seconds = time.perf_counter() - t0
        extra["disk_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / MIB, 1)
        shutil.rmtree(folder, ignore_errors=True)
    elif stage == "sparql-2hop":
        store = prep.get("memory_store")
        seconds, samples, rows = _median_of(lambda: list(store.query(TWO_HOP)), reps, 30.0)
        extra.update(rows=len(rows), samples=samples)
    elif stage == "rdflib-sparql-2hop":
        graph = prep.get("rdflib")
        t0 = time.perf_counter()
        extra["rows"] = len(list(graph.query(TWO_HOP)))
    if seconds is None:
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "hwm_before_mb": round(hwm_before, 1),
            "hwm_after_mb": round(_hwm_mb(), 1), **extra}


def _example_params(example: str) -> list[tuple[str, str]]:
    """``-p k=v`` pairs of a ``#+ example:`` line."""
    words = shlex.split(example)
    pairs = []
    for i, word in enumerate(words):
        value = None
        if word in ("-p", "--param") and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith("--param="):
            value = word.split("=", 1)[1]
        if value is not None and "=" in value:
            key, _, v = value.partition("=")
            pairs.append((key, v))
    return pairs


def _substitutes(prep: _Prep) -> dict[tuple[str, str], list[str]]:
    """For each (kind, type) the generated records most referred to, best first: the stand-ins
    for example ids that only exist in the bundled data (a hub, as 'unesco' is there)."""
    from collections import Counter

    from edugraph.vocab.namespaces import ID

    base = str(ID)
    incoming: Counter[str] = Counter()
    for t in prep.get("triples"):
        value = t.object.value
        if value.startswith(base) and type(t.object).__name__ == "NamedNode":
            incoming[value] += 1
    by_key: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for record in prep.get("dataset").records:
        from edugraph.vocab.namespaces import record_iri

        score = incoming.get(record_iri(record.kind, record.id), 0)
        rtype = str(record.values.get("type", ""))
        for key in ((record.kind, rtype), (record.kind, "")):
            by_key.setdefault(key, []).append((-score, record.id))
    return {key: [rid for _, rid in sorted(items)] for key, items in by_key.items()}


def _query_plan(prep: _Prep) -> list[dict[str, Any]]:
    """Every stored query with its example's parameters; an example id the generated data does
    not hold is replaced by a generated record of the same kind and type, most referred to first."""
    from edugraph.build.pipeline import load_dataset
    from edugraph.query.stored import catalogue

    try:
        bundled = load_dataset(BUNDLED).by_id
    except Exception:  # noqa: BLE001 - the bundled data only guides the choice of stand-ins
        bundled = {}
    ours = prep.get("dataset").by_id
    hubs = _substitutes(prep)
    plan = []
    for stored in catalogue(QUERIES):
        used: dict[tuple[str, str], int] = {}
        params = []
        for key, value in _example_params(stored.example):
            param = stored.param(key)
            if param is not None and param.type.startswith("id:"):
                kind = param.type.split(":", 1)[1]
                if not (value in ours and ours[value].kind == kind):
                    original = bundled.get(value)
                    rtype = str(original.values.get("type", "")) if original is not None else ""
                    candidates = hubs.get((kind, rtype)) or hubs.get((kind, ""), [])
                    slot = used.get((kind, rtype), 0)
                    used[(kind, rtype)] = slot + 1
                    if candidates:
                        value = candidates[min(slot, len(candidates) - 1)]
            params.append((key, value))
        plan.append({"name": stored.name, "params": params})
    return plan


def _queries_stage(prep: _Prep, data: Path, work: Path, reps: int, start: int,
                   query_timeout: float) -> dict[str, Any]:
    """Time every stored query from ``start`` on. Oxigraph cannot be interrupted, so a query that
    runs past ``query_timeout`` ends this process (after printing what was measured, that query
    marked as timed out); the parent then starts another child at the next query."""
    from edugraph.build.pipeline import graph_ntriples
    from edugraph.query.sparql import bind_values
    from edugraph.query.stored import bind, find
    from edugraph.query.stores import open_store, run_oxigraph

    plan_file = work / "query-plan.json"
    if plan_file.is_file():
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
    else:
        plan = _query_plan(prep)
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
    cache = work / "query-cache"
    hwm_before = _hwm_mb()
    t0 = time.perf_counter()
    # Builds the store (from the N-Triples compiled for the plan, when at hand) or finds it.
    store = open_store(data, cache, lambda: prep.get("nt") if "triples" in prep._cache
                       else graph_ntriples(data, cache))
    open_seconds = time.perf_counter() - t0
    # The data compiled for the plan is not the queries' memory: drop it and restart the peak.
    prep._cache.clear()
    import gc

    gc.collect()
    hwm_reset = _reset_hwm()
    result: dict[str, Any] = {"seconds": open_seconds, "store_open_seconds": open_seconds,
                              "queries": [], "hwm_before_mb": round(hwm_before, 1),
                              "hwm_reset": hwm_reset, "cache": str(cache), "plan": plan}

    if start == 0:  # what a query that must read every triple, or every node of a class, costs
        result["scans"] = {name: _median_of(lambda text=text: run_oxigraph(store, text), reps, 20.0)[0]
                           for name, text in SCANS.items()}

    def give_up(entry: dict[str, Any]) -> None:
        result["queries"].append({**entry, "median": query_timeout, "samples": [query_timeout],
                                  "rows": None, "timed_out": True})
        result["hwm_after_mb"] = round(_hwm_mb(), 1)
        print(RESULT_MARK + json.dumps(result), flush=True)
        os._exit(0)

    for entry in plan[start:]:
        stored = find(QUERIES, entry["name"])
        given: dict[str, list[str]] = {}
        for key, value in entry["params"]:
            given.setdefault(key, []).append(value)
        text = bind_values(stored.text, bind(stored, given))
        watchdog = threading.Timer(query_timeout, give_up, args=(entry,))
        watchdog.daemon = True
        watchdog.start()
        try:
            median, times, answer = _median_of(lambda: run_oxigraph(store, text), reps,
                                               min(20.0, query_timeout / 3))
        finally:
            watchdog.cancel()
        rows = len(answer.rows) if answer.rows is not None else int(bool(answer.boolean))
        result["queries"].append({**entry, "median": median, "samples": times, "rows": rows})
    result["hwm_after_mb"] = round(_hwm_mb(), 1)
    return result


# =============================================================================================
# Parent side


def _tree_rss(pid: int) -> int:
    """Bytes resident in ``pid`` and all its descendants now (0 once it is gone)."""
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as f:
                total += int(f.read().split()[1]) * page
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_child(cmd: list[str], timeout: float = CHILD_TIMEOUT, cwd: Path = ROOT) -> dict[str, Any]:
    """Run ``cmd``; wall time, exit code, peak RSS (os.wait4: the high-water mark of the child or
    of one of its descendants, whichever is higher), the peak of the RSS of the child and its
    descendants together (sampled every 20 ms: a build's worker processes), stdout and stderr.
    The child inherits the environment."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=os.environ.copy())
        timer = threading.Timer(timeout, proc.kill)
        timer.daemon = True
        timer.start()
        tree_peak = [0]
        finished = threading.Event()

        def sample() -> None:
            while not finished.wait(0.02):
                tree_peak[0] = max(tree_peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            finished.set()
            sampler.join()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "rc": proc.returncode, "peak_mb": usage.ru_maxrss / 1024,
                "tree_peak_mb": tree_peak[0] / MIB,
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace")}


def run_stage(stage: str, data: Path, work: Path, reps: int, *extra: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", stage, "--data", str(data),
           "--work", str(work), "--reps", str(reps), *extra]
    run = run_child(cmd)
    result: dict[str, Any] = {"peak_mb": round(run["peak_mb"], 1), "wall": round(run["wall"], 3)}
    lines = [line for line in run["stdout"].splitlines() if line.startswith(RESULT_MARK)]
    if run["rc"] != 0 or not lines:
        tail = (run["stderr"].strip().splitlines() or ["(no output)"])[-1]
        result.update(seconds=None, error=f"exit {run['rc']}: {tail}")
        return result
    result.update(json.loads(lines[-1][len(RESULT_MARK):]))
    return result


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "edugraph", *args]


def _console_script() -> str:
    beside = Path(sys.executable).parent / "edugraph"
    return str(beside) if beside.is_file() else (shutil.which("edugraph") or "edugraph")


def percentile(values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile (p in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed_build(data: Path, out: Path, cache: Path) -> dict[str, Any]:
    run = run_child(_cli("build", "--data", str(data), "--out", str(out), "--cache", str(cache), "--quiet",
                         "--timings"))
    # A large build runs worker processes: its memory is theirs and the main process's together.
    entry = {"seconds": run["wall"], "peak_mb": round(max(run["peak_mb"], run["tree_peak_mb"]), 1),
             "main_peak_mb": round(run["peak_mb"], 1), "rc": run["rc"], "phases": _phases(run["stderr"])}
    if run["rc"] != 0:
        entry["error"] = f"exit {run['rc']}: " + " | ".join(run["stderr"].strip().splitlines()[-3:])
    return entry


def _phases(stderr: str) -> dict[str, float]:
    """Seconds per stage from ``edugraph build --timings`` (its last line on stderr)."""
    for line in reversed(stderr.splitlines()):
        if line.startswith("timings: "):
            return {name: float(seconds) for name, seconds in
                    re.findall(r"([a-z][a-z ]*?) ([0-9.]+) s(?:,|$)", line[len("timings: "):])}
    return {}


def edit_one_record(data: Path) -> str:
    """Change one person's name (in the middle people file) in place; returns what changed."""
    files = sorted(data.glob("people-*.yaml")) or sorted(data.glob("*.yaml"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    match = re.search(r'^    name: (".*")$', text, flags=re.M)
    if match is None:
        raise RuntimeError(f"no name to edit in {path}")
    new = json.dumps(json.loads(match.group(1)) + " (edited)", ensure_ascii=False)
    path.write_text(text[:match.start(1)] + new + text[match.end(1):], encoding="utf-8")
    return f"{path.name}:{text[:match.start()].count(chr(10)) + 1}"


def prepare_data(n: int, args: argparse.Namespace, work: Path) -> tuple[Path, dict[str, Any]]:
    sys.path.insert(0, str(BENCH))
    import generate

    wanted = {"n": n, "seed": args.seed, "per_file": args.per_file,
              "generator": hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()}
    folder = (args.keep / str(n)) if args.keep else work / "data"
    marker = folder / PARAMS_FILE
    if marker.is_file():
        try:
            saved = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            saved = {}
        if saved.get("params") == wanted:
            return folder, {**saved["summary"], "reused": True}
    summary = generate.generate(n, folder, args.seed, args.per_file)
    info = {**summary.as_dict(), "seconds": round(summary.seconds, 3)}
    marker.write_text(json.dumps({"params": wanted, "summary": info}, indent=2), encoding="utf-8")
    return folder, info


def bench_n(n: int, args: argparse.Namespace, log) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"edugraph-bench-{n}-"))
    try:
        data, info = prepare_data(n, args, work)
        log(f"N={n:,}: {info['triples']:,} triples ({info['triples_per_record']:.2f} per record) in {data}")
        stages: dict[str, Any] = {}
        baselines: dict[str, Any] = {}
        for stage, (_, baseline) in CHILD_STAGES.items():
            stages[stage] = run_stage(stage, data, work, args.reps)
            log(f"  {stage}: {_fmt_s(stages[stage].get('seconds'))}  {stages[stage]['peak_mb']:.0f} MB"
                + (f"  ({stages[stage]['error']})" if "error" in stages[stage] else ""))
            if baseline is None or baseline in baselines:
                continue
            if baseline in SLOW_BASELINES and n > args.baseline_max_n:
                baselines[baseline] = {"seconds": None, "peak_mb": None,
                                       "skipped": f"N > --baseline-max-n {args.baseline_max_n}"}
                continue
            baselines[baseline] = run_stage(baseline, data, work, 1)
            log(f"  {baseline}: {_fmt_s(baselines[baseline].get('seconds'))}  "
                f"{baselines[baseline]['peak_mb']:.0f} MB")
        # Stored queries: in engine (child), then from the CLI against the same cache.
        stages.update(bench_queries(data, work, args))
        log(f"  queries: engine p50 {_fmt_ms(stages['query-engine-p50']['seconds'])}, "
            f"p95 {_fmt_ms(stages['query-engine-p95']['seconds'])}; CLI p50 "
            f"{_fmt_ms(stages['query-cli-p50']['seconds'])}, p95 {_fmt_ms(stages['query-cli-p95']['seconds'])}"
            + (f"; timed out: {', '.join(stages['queries']['timed_out'])}" if stages["queries"].get("timed_out") else ""))
        # The whole build, then the build again after one edit (same --out and --cache).
        edit_data = work / "edit-data"
        shutil.copytree(data, edit_data, ignore=shutil.ignore_patterns(PARAMS_FILE))
        out, bcache = work / "dist", work / "build-cache"
        stages["build"] = timed_build(edit_data, out, bcache)
        edited = edit_one_record(edit_data)
        stages["rebuild-one-edit"] = {**timed_build(edit_data, out, bcache), "edited": edited}
        before = floors.unchanged(out)
        stages["rebuild-unchanged"] = timed_build(edit_data, out, bcache)
        if floors.unchanged(out) != before:
            stages["rebuild-unchanged"]["error"] = "a rebuild with nothing changed wrote files"
        stages["build-floor"] = floors.build_floor(run_child, out / "edugraph.nt", work)
        stages["copy-floor"] = floors.copy_floor(run_child, out, work)
        log(f"  build: {_fmt_s(stages['build']['seconds'])} {stages['build']['peak_mb']:.0f} MB "
            f"(floor {_fmt_s(stages['build-floor'].get('seconds'))}); rebuild after one edit: "
            f"{_fmt_s(stages['rebuild-one-edit']['seconds'])} (cp {_fmt_s(stages['copy-floor']['seconds'])}); "
            f"nothing changed: {_fmt_s(stages['rebuild-unchanged']['seconds'])}")
        return {"generate": info, "data": str(data), "stages": stages, "baselines": baselines}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_queries(data: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The stored queries in engine (children, resumed after a query that times out) and from
    the command line (each run bounded by edugraph's own --timeout)."""
    timeout = args.query_timeout
    per_query: list[dict[str, Any]] = []
    first: dict[str, Any] | None = None
    peak = 0.0
    error = None
    while True:
        q = run_stage("queries", data, work, args.reps, "--start", str(len(per_query)),
                      "--query-timeout", str(timeout))
        # The peak while the queries ran (the child restarts its high-water mark after setup).
        peak = max(peak, (q.get("hwm_after_mb") if q.get("hwm_reset") else q.get("peak_mb")) or 0.0)
        if "error" in q:
            error = q["error"]
            break
        first = first or q
        per_query.extend(q["queries"])
        if len(per_query) >= len(q["plan"]) or not q["queries"]:
            break
    engine = [t for entry in per_query for t in entry["samples"]]
    timed_out = [e["name"] for e in per_query if e.get("timed_out")]
    stages: dict[str, Any] = {
        "queries": {"seconds": (first or {}).get("store_open_seconds"), "peak_mb": round(peak, 1),
                    "store_open_seconds": (first or {}).get("store_open_seconds"),
                    "query_timeout": timeout, "timed_out": timed_out, "queries": per_query},
    }
    for p in (50, 95):
        stages[f"query-engine-p{p}"] = {"seconds": percentile(engine, p), "peak_mb": round(peak, 1)}
    for name, seconds in (first or {}).get("scans", {}).items():
        stages[name] = {"seconds": seconds, "peak_mb": round(peak, 1)}
    if error:
        stages["queries"]["error"] = stages["query-engine-p50"]["error"] = error
    cli_samples: list[float] = []
    cli_peak = 0.0
    cli_errors: list[str] = []
    cli_timed_out: list[str] = []
    cache = work / "query-cache"
    for i, entry in enumerate(per_query):
        cmd = _cli("query", entry["name"], *[a for k, v in entry["params"] for a in ("-p", f"{k}={v}")],
                   "--format", "csv", "--data", str(data), "--cache", str(cache),
                   "--queries", str(QUERIES), "--timeout", str(timeout))
        if i == 0:
            run_child(cmd, timeout=timeout * 10)  # warm-up: the store is built (or found) in the cache
        times = []
        for _ in range(1 if entry.get("timed_out") else max(1, args.cli_reps)):
            run = run_child(cmd, timeout=timeout * 2)
            if run["wall"] >= timeout:
                cli_timed_out.append(entry["name"])
            elif run["rc"] not in (0, 1):  # an ASK answering false exits 1
                cli_errors.append(f"{entry['name']}: exit {run['rc']}: {run['stderr'].strip()[-200:]}")
            times.append(run["wall"])
            cli_peak = max(cli_peak, run["peak_mb"])
        entry["cli_samples"] = times
        cli_samples.extend(times)
    for p in (50, 95):
        stages[f"query-cli-p{p}"] = {"seconds": percentile(cli_samples, p), "peak_mb": round(cli_peak, 1)}
    stages["queries"]["cli_timed_out"] = sorted(set(cli_timed_out))
    opened = sorted((cache / "stores").glob("*/*/db"))
    if opened:
        stages["store-open"] = floors.store_open(run_child, opened[-1], max(3, args.cli_reps))
    if cli_errors:
        stages["query-cli-p50"]["error"] = "; ".join(cli_errors[:3])
    return stages


def bench_global(args: argparse.Namespace, log) -> dict[str, Any]:
    result: dict[str, Any] = {"python-pass": floors.start_floor(run_child, args.help_reps)}
    for name, cmd in (("help-module", _cli("--help")), ("help-script", [_console_script(), "--help"])):
        run_child(cmd, timeout=120)  # bytecode written, as a user's second run finds it
        runs = [run_child(cmd, timeout=120) for _ in range(max(1, args.help_reps))]
        entry = floors.summary(runs)
        if any(r["rc"] != 0 for r in runs):
            entry["error"] = f"exit {runs[0]['rc']}: {runs[0]['stderr'].strip()[-200:]}"
        result[name] = entry
    builds = []
    for _ in range(3):
        with tempfile.TemporaryDirectory(prefix="edugraph-bench-bundled-") as tmp:
            builds.append(timed_build(BUNDLED, Path(tmp) / "dist", Path(tmp) / "cache"))
    result["bundled-build"] = {"seconds": statistics.median(b["seconds"] for b in builds),
                               "peak_mb": max(b["peak_mb"] for b in builds),
                               "samples": [b["seconds"] for b in builds]}
    errors = [b["error"] for b in builds if "error" in b]
    if errors:
        result["bundled-build"]["error"] = errors[0]
    log("help: module {}, script {}; bundled build {}".format(
        _fmt_ms(result["help-module"]["seconds"]), _fmt_ms(result["help-script"]["seconds"]),
        _fmt_s(result["bundled-build"]["seconds"])))
    return result


# ---------------------------------------------------------------------------------------------
# Targets and the table

TARGET_N = 100_000


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    return floors.evaluate(results, TARGET_N)


def _fmt_s(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v * 1000:.1f} ms" if v < 0.1 else f"{v:.2f} s"


def _fmt_ms(v: float | None) -> str:
    return "-" if v is None else f"{v * 1000:.1f} ms"


def _num(v: float | None, digits: int | None = None) -> str:
    """Seconds with the digits that matter (0.0003, 0.042, 1.25, 170.3); MB with ``digits``=0."""
    if v is None:
        return "-"
    if digits is None:
        digits = 1 if v >= 100 else 2 if v >= 1 else 3 if v >= 0.01 else 4
    return f"{v:,.{digits}f}"


def _print(console, table) -> None:
    """Print a table at its natural width, never squeezed (rich assumes 80 columns in a pipe)."""
    wanted = console.measure(table, options=console.options.update_width(10_000)).maximum
    console.width = max(console.width, wanted)
    console.print(table)
    console.print()


def print_report(results: dict[str, Any]) -> None:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=True, record=True, file=io.StringIO(), width=100)
    ns = sorted(int(n) for n in results["runs"])
    table = Table(title="edugraph benchmark: seconds, peak RSS in MB (MiB), the straightforward "
                  "way (base s) and ratio = base s / s", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("stage", no_wrap=True)
    for n in ns:
        for col in ("s", "MB", "base s", "ratio"):
            table.add_column(f"N={n:,}\n{col}" if col == "s" else f"\n{col}", justify="right", no_wrap=True)
    rows = [(name, label, baseline) for name, (label, baseline) in CHILD_STAGES.items()]
    rows += [(name, label, None) for name, label in PARENT_STAGES.items()]
    notes: list[str] = []
    for name, label, baseline in rows:
        cells = [name]
        for n in ns:
            run = results["runs"][str(n)]
            entry = run["stages"].get(name, {})
            base = run["baselines"].get(baseline, {}) if baseline else {}
            seconds, peak = entry.get("seconds"), entry.get("peak_mb")
            if "error" in entry:
                notes.append(f"{name} at N={n:,}: {entry['error']}")
            cells += [_num(seconds) + (" !" if "error" in entry else ""), _num(peak, 0)]
            if not baseline:
                cells += ["", ""]
            elif base.get("skipped"):
                cells += ["skipped", ""]
            else:
                bs = base.get("seconds")
                ratio = f"{bs / seconds:.1f}x" if bs and seconds else "-"
                cells += [_num(bs) + (" !" if "error" in base else ""), ratio]
                if "error" in base:
                    notes.append(f"{baseline} at N={n:,}: {base['error']}")
        table.add_row(*cells)
    _print(console, table)
    legend = Table(title="rows and their baselines", title_justify="left", show_header=False,
                   box=None, padding=(0, 2, 0, 0))
    for name, (label, baseline) in CHILD_STAGES.items():
        legend.add_row(name, label + (f"; base: {BASELINES[baseline]}" if baseline else ""))
    for name, label in PARENT_STAGES.items():
        legend.add_row(name, label)
    _print(console, legend)
    skipped = sorted({f"{b} at N={int(n):,}" for n, run in results["runs"].items()
                      for b, e in run["baselines"].items() if e.get("skipped")})
    if skipped:
        console.print(f"skipped (N > --baseline-max-n {results['meta']['baseline_max_n']:,}): "
                      f"{', '.join(skipped)}")
    g = Table(title="independent of N", title_justify="left", box=box.SIMPLE_HEAD)
    g.add_column("stage", no_wrap=True)
    g.add_column("s", justify="right")
    g.add_column("MB", justify="right")
    g.add_column("what", no_wrap=True)
    for name, label in GLOBAL_STAGES.items():
        e = results["global"].get(name, {})
        g.add_row(name, _num(e.get("seconds")) + (" !" if "error" in e else ""),
                  _num(e.get("peak_mb"), 0), label)
        if "error" in e:
            notes.append(f"{name}: {e['error']}")
    _print(console, g)
    t = Table(title=f"targets at N={TARGET_N:,}: measured / floor = ratio (an absolute limit: "
                    "measured / limit)", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("target", "measured", "floor", "ratio", "limit", "at N", "verdict", "what"):
        t.add_column(col, justify="left" if col in ("target", "verdict", "what") else "right", no_wrap=True)
    for row in results["targets"]:
        unit = row["unit"]
        fmt = (lambda v: "-" if v is None else f"{v:,.0f} MB") if unit == "MB" else _fmt_s
        n = "any" if row["n"] is None else f"{row['n']:,}" + ("" if row["at_target_n"] else " (not 100k)")
        limit = f"{row['limit']:g}x" if unit == "x" else fmt(row["limit"])
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        t.add_row(row["target"], fmt(row["measured"]), fmt(row["floor"]) if unit == "x" else "-",
                  ratio, limit, n, row["verdict"], row["what"])
    _print(console, t)
    for n in ns:
        for name in ("build", "rebuild-one-edit", "rebuild-unchanged"):
            phases = results["runs"][str(n)]["stages"].get(name, {}).get("phases")
            if phases:
                console.print(f"{name} at N={n:,}, per stage (edugraph build --timings): "
                              + ", ".join(f"{k} {_fmt_s(v)}" for k, v in phases.items()))
    for note in notes:
        console.print(f"error: {note}")
    for n, run in sorted(results["runs"].items(), key=lambda kv: int(kv[0])):
        q = run["stages"].get("queries", {})
        if q.get("timed_out") or q.get("cli_timed_out"):
            console.print(f"N={int(n):,}: stored queries past --query-timeout {q.get('query_timeout')} s, "
                          f"counted at that time (a lower bound): in engine "
                          f"{', '.join(q.get('timed_out') or []) or 'none'}; from the CLI "
                          f"{', '.join(q.get('cli_timed_out') or []) or 'none'}")
    text = console.export_text(styles=False)
    print(re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip("\n"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=DEFAULT_NS, help="dataset sizes")
    parser.add_argument("--json", type=Path, default=BENCH / "results.json", help="write all figures here")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) DIR/N instead of a temp dir")
    parser.add_argument("--baseline-max-n", type=int, default=DEFAULT_BASELINE_MAX_N,
                        help="skip the slow baselines (rdflib Turtle, JSON-LD, SPARQL, pySHACL) above this N")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=5, help="repetitions of in-engine queries")
    parser.add_argument("--cli-reps", type=int, default=2, help="repetitions of each CLI query")
    parser.add_argument("--help-reps", type=int, default=10, help="runs of each --help (median)")
    parser.add_argument("--query-timeout", type=float, default=60.0,
                        help="seconds after which a stored query counts as timed out (its time is "
                             "then this lower bound)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--report", type=Path, metavar="FILE",
                        help="print the tables of an earlier run's JSON and exit")
    # child side
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stage:
        result = child_stage(args.stage, args.data, args.work or Path(tempfile.gettempdir()), args.reps,
                             args.start, args.query_timeout)
        print(RESULT_MARK + json.dumps(result), flush=True)
        return 0

    if args.report:
        print_report(json.loads(args.report.read_text(encoding="utf-8")))
        return 0

    def log(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    import edugraph

    # Every command line is timed with bytecode compiled, as users run it (this machine's
    # PYTHONDONTWRITEBYTECODE would time compiling every module on every run).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    results: dict[str, Any] = {
        "meta": {"python": sys.version.split()[0], "executable": sys.executable,
                 "platform": platform.platform(), "cpus": os.cpu_count(),
                 "edugraph": getattr(edugraph, "__version__", "?"), "seed": args.seed,
                 "per_file": args.per_file, "baseline_max_n": args.baseline_max_n,
                 "reps": args.reps, "cli_reps": args.cli_reps, "help_reps": args.help_reps,
                 "query_timeout": args.query_timeout,
                 "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
        "runs": {}, "global": {}, "targets": [],
    }
    started = time.perf_counter()
    results["global"] = bench_global(args, log)
    for n in args.n:
        results["runs"][str(n)] = bench_n(n, args, log)
    results["targets"] = evaluate_targets(results)
    results["meta"]["total_seconds"] = round(time.perf_counter() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_report(results)
    print(f"figures written to {args.json}")
    failed = [f"{n}:{s}" for n, run in results["runs"].items()
              for s, e in {**run["stages"], **run["baselines"]}.items() if "error" in e]
    failed += [s for s, e in results["global"].items() if "error" in e]
    if failed:
        print(f"stages that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
