"""Time every stored query on a generated dataset, in the engine and from the CLI.

A quick loop for working on the queries, not the benchmark (``run.py`` is): it reuses a cached
store instead of generating and compiling the data, and prints one line per query.

    python benchmarks/time_queries.py --data /tmp/bench/100000 --cache /tmp/q-cache --json after.json
    python benchmarks/time_queries.py ... --compare before.json        # a before/after table

In the engine: every query with its parameters, bound as ``edugraph query`` binds them, run with
``graphstore.run_oxigraph`` on one already-open cached store (as ``run.py`` does), ``--reps``
times. From the CLI: ``python -m edugraph query NAME -p ... --format csv --data DIR --cache DIR``,
wall time of the process, after one warm-up run, ``--cli-reps`` times. p50 and p95 are over all
runs of all queries, as in ``run.py``.

Parameters: those ``run.py`` last used at this size (``--params-from``, default
``benchmarks/results.json``, matched by the data folder's name, e.g. ``100000``), else the query's
``#+ example:``. Oxigraph cannot be interrupted, so the engine runs in a child process that is
ended when a query passes ``--timeout``; that query counts at the timeout and a new child carries on.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from run import percentile  # the benchmark's own; this script runs beside it

ROOT = Path(__file__).resolve().parents[1]
MARK = "TIME-QUERIES-RESULT "


def example_params(example: str) -> list[list[str]]:
    words = shlex.split(example)
    return [w.split("=", 1) for i, w in enumerate(words) if i and words[i - 1] in ("-p", "--param") and "=" in w]


def plan(queries_dir: Path, data: Path, params_from: Path | None, only: list[str]) -> list[dict[str, Any]]:
    from edugraph.query.stored import catalogue

    known: dict[str, list[list[str]]] = {}
    if params_from is not None and params_from.is_file():
        runs = json.loads(params_from.read_text(encoding="utf-8")).get("runs", {})
        stage = runs.get(data.name, {}).get("stages", {}).get("queries", {})
        known = {q["name"]: q["params"] for q in stage.get("queries", [])}
    out = []
    for stored in catalogue(queries_dir):
        if only and stored.name not in only:
            continue
        params = known.get(stored.name, example_params(stored.example))
        out.append({"name": stored.name, "params": [list(p) for p in params]})
    return out


# --- child: the queries in the engine ---------------------------------------------------------

def engine_child(args: argparse.Namespace) -> None:
    from edugraph.build.pipeline import graph_ntriples
    from edugraph.query.sparql import bind_values
    from edugraph.query.stored import bind, find
    from edugraph.query.stores import open_store, run_oxigraph

    todo = json.loads(args.plan_json)
    store = open_store(args.data, args.cache, lambda: graph_ntriples(args.data, args.cache))
    done: list[dict[str, Any]] = []

    def give_up(entry: dict[str, Any]) -> None:
        done.append({**entry, "samples": [args.timeout], "rows": None, "timed_out": True})
        print(MARK + json.dumps(done), flush=True)
        os._exit(0)

    for entry in todo:
        stored = find(args.queries, entry["name"])
        given: dict[str, list[str]] = {}
        for key, value in entry["params"]:
            given.setdefault(key, []).append(value)
        text = bind_values(stored.text, bind(stored, given))
        watchdog = threading.Timer(args.timeout, give_up, args=(entry,))
        watchdog.daemon = True
        watchdog.start()
        samples: list[float] = []
        try:
            for _ in range(args.reps):
                t0 = time.perf_counter()
                result = run_oxigraph(store, text)
                samples.append(time.perf_counter() - t0)
                if sum(samples) > args.timeout / 3:
                    break
        finally:
            watchdog.cancel()
        done.append({**entry, "samples": samples, "rows": len(result.rows)})
    print(MARK + json.dumps(done), flush=True)


def run_engine(args: argparse.Namespace, todo: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    while len(results) < len(todo):
        rest = todo[len(results):]
        cmd = [sys.executable, __file__, "--engine-child", "--data", str(args.data), "--cache", str(args.cache),
               "--queries", str(args.queries), "--reps", str(args.reps), "--timeout", str(args.timeout),
               "--plan-json", json.dumps(rest)]
        out = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
        lines = [line for line in out.stdout.splitlines() if line.startswith(MARK)]
        if out.returncode or not lines:
            sys.exit(f"engine child failed (exit {out.returncode}):\n{out.stderr[-2000:]}")
        got = json.loads(lines[-1][len(MARK):])
        results.extend(got)
        for entry in got:
            log(f"  engine {entry['name']:<34} median {fmt(statistics.median(entry['samples']))}"
                f"  rows {entry['rows']}" + ("  TIMED OUT" if entry.get("timed_out") else ""))
    return results


# --- the CLI -----------------------------------------------------------------------------------

def run_cli(args: argparse.Namespace, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        cmd = [sys.executable, "-m", "edugraph", "query", entry["name"],
               *[a for k, v in entry["params"] for a in ("-p", f"{k}={v}")],
               "--format", "csv", "--data", str(args.data), "--cache", str(args.cache),
               "--queries", str(args.queries), "--timeout", str(args.timeout)]
        samples: list[float] = []
        runs = 1 if entry.get("timed_out") else args.cli_reps + 1  # the first is a warm-up
        for i in range(runs):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, env=os.environ)
            dt = time.perf_counter() - t0
            if done.returncode == 2 and dt >= args.timeout:  # stopped by --timeout
                entry["cli_timed_out"] = True
                samples.append(dt)
                break
            if done.returncode not in (0, 1):
                sys.exit(f"{shlex.join(cmd)}: exit {done.returncode}: {done.stderr.decode()[-500:]}")
            if i or runs == 1:
                samples.append(dt)
        entry["cli_samples"] = samples
        log(f"  cli    {entry['name']:<34} median {fmt(statistics.median(samples))}")


# --- report ------------------------------------------------------------------------------------

def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def summary(entries: list[dict[str, Any]]) -> dict[str, Any]:
    engine = [t for e in entries for t in e.get("samples", [])]
    cli = [t for e in entries for t in e.get("cli_samples", [])]
    return {"engine_p50": percentile(engine, 50), "engine_p95": percentile(engine, 95),
            "cli_p50": percentile(cli, 50), "cli_p95": percentile(cli, 95)}


def report(after: dict[str, Any], before: dict[str, Any] | None) -> None:
    old = {e["name"]: e for e in (before or {}).get("queries", [])}
    head = f"{'query':<34} {'rows':>6}  {'engine':>10}  {'cli':>10}"
    if before:
        head += f"   {'engine before':>13}  {'cli before':>10}  {'rows before':>11}"
    print(head)
    print("-" * len(head))

    def med(entry: dict[str, Any] | None, key: str) -> float | None:
        values = (entry or {}).get(key) or []
        return statistics.median(values) if values else None

    for entry in after["queries"]:
        line = (f"{entry['name']:<34} {entry.get('rows') if entry.get('rows') is not None else '-':>6}  "
                f"{fmt(med(entry, 'samples')):>10}{'!' if entry.get('timed_out') else ' '} "
                f"{fmt(med(entry, 'cli_samples')):>10}{'!' if entry.get('cli_timed_out') else ''}")
        if before:
            was = old.get(entry["name"])
            rows = (was or {}).get("rows")
            line += (f"   {fmt(med(was, 'samples')):>12}{'!' if (was or {}).get('timed_out') else ' '} "
                     f"{fmt(med(was, 'cli_samples')):>10}{'!' if (was or {}).get('cli_timed_out') else ' '}"
                     f"{rows if rows is not None else '-':>11}")
        print(line)
    print()
    for label, data in (("after", after), ("before", before)):
        if data:
            s = data["summary"]
            print(f"{label:>6}: engine p50 {fmt(s['engine_p50'])}, p95 {fmt(s['engine_p95'])}; "
                  f"CLI p50 {fmt(s['cli_p50'])}, p95 {fmt(s['cli_p95'])}")
    print("(! = stopped at --timeout; its time is a lower bound)")


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=False, help="folder of the generated records")
    parser.add_argument("--cache", type=Path, help="--cache folder for the query store (built if missing)")
    parser.add_argument("--queries", type=Path, default=ROOT / "queries")
    parser.add_argument("--params-from", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--only", nargs="*", default=[], help="only these queries")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--cli-reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--engine-from", type=Path,
                        help="take the in-engine figures from this JSON of an earlier run (CLI only)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--compare", type=Path, help="a JSON of an earlier run, shown beside")
    parser.add_argument("--report", type=Path, help="only print the table of this JSON")
    parser.add_argument("--engine-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plan-json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_child:
        engine_child(args)
        return
    before = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    if args.report:
        report(json.loads(args.report.read_text(encoding="utf-8")), before)
        return
    if args.data is None or args.cache is None:
        parser.error("--data and --cache are required")
    args.queries = args.queries.resolve()
    todo = plan(args.queries, args.data, args.params_from, args.only)
    from edugraph.build.pipeline import graph_ntriples
    from edugraph.query.stores import open_store

    t0 = time.perf_counter()
    open_store(args.data, args.cache, lambda: graph_ntriples(args.data, args.cache))  # build the cached store first if it is missing
    log(f"store ready in {fmt(time.perf_counter() - t0)}; {len(todo)} queries")
    if args.engine_from:
        entries = json.loads(args.engine_from.read_text(encoding="utf-8"))["queries"]
        entries = [e for e in entries if e["name"] in {t["name"] for t in todo}]
    else:
        entries = run_engine(args, todo)
    if args.json:  # the in-engine figures, in case the CLI runs are interrupted
        args.json.write_text(json.dumps({"queries": entries}, indent=1), encoding="utf-8")
    if not args.no_cli:
        run_cli(args, entries)
    result = {"data": str(args.data), "queries_dir": str(args.queries), "reps": args.reps,
              "cli_reps": args.cli_reps, "timeout": args.timeout, "queries": entries}
    result["summary"] = summary(entries)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    report(result, before)


if __name__ == "__main__":
    main()
