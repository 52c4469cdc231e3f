"""The floors issue 18's targets are measured against, each timed in the same run as the figure
it bounds, and the targets themselves (measured / floor = ratio, with a verdict).

    python benchmarks/floors.py build-floor NT OUTDIR   # child side: prints the seconds as JSON

- **build floor**: pyoxigraph bulk-loads the build's own N-Triples into an in-memory store and
  writes Turtle and N-Triples (what any build that ends in those files must at least do), in a
  fresh process, timed inside it (imports excluded, as the build's own figure includes them: the
  floor is the lower one);
- **copy floor**: ``cp`` of the three exports into a new folder (median of three);
- **start-up floor**: ``python -c pass`` (median), bytecode compiled as every CLI figure is.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXPORTS = ("edugraph.ttl", "edugraph.nt", "edugraph.jsonld")


def build_floor_child(nt: Path, out: Path) -> dict[str, float]:
    import pyoxigraph as ox

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    t1 = time.perf_counter()
    store.dump(output=str(out / "floor.ttl"), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    t2 = time.perf_counter()
    store.dump(output=str(out / "floor.nt"), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    t3 = time.perf_counter()
    return {"seconds": t3 - t0, "load": t1 - t0, "turtle": t2 - t1, "ntriples": t3 - t2}


def build_floor(run_child: Callable[..., dict[str, Any]], nt: Path, work: Path) -> dict[str, Any]:
    """The build floor for the N-Triples ``nt`` a build wrote (see the module's docstring)."""
    out = work / "floor"
    try:
        run = run_child([sys.executable, str(Path(__file__).resolve()), "build-floor", str(nt), str(out)])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    entry: dict[str, Any] = {"peak_mb": round(run["peak_mb"], 1), "wall": round(run["wall"], 3)}
    if run["rc"] != 0:
        return {**entry, "seconds": None, "error": f"exit {run['rc']}: {run['stderr'].strip()[-200:]}"}
    return {**entry, **json.loads(run["stdout"].strip().splitlines()[-1])}


def copy_floor(run_child: Callable[..., dict[str, Any]], dist: Path, work: Path, reps: int = 3) -> dict[str, Any]:
    """``cp`` of the three exports in ``dist`` into a new folder, median of ``reps``."""
    runs = []
    for i in range(reps):
        target = work / f"cp-{i}"
        target.mkdir()
        runs.append(run_child(["cp", *[str(dist / name) for name in EXPORTS], str(target)], timeout=600))
        shutil.rmtree(target)
    entry = {**summary(runs), "bytes": sum((dist / name).stat().st_size for name in EXPORTS)}
    if any(r["rc"] != 0 for r in runs):
        entry["error"] = f"cp: exit {runs[0]['rc']}: {runs[0]['stderr'].strip()[-200:]}"
    return entry


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median wall time of child runs, every sample, and the highest peak RSS."""
    return {"seconds": statistics.median(r["wall"] for r in runs), "samples": [r["wall"] for r in runs],
            "peak_mb": round(max(r["peak_mb"] for r in runs), 1)}


def start_floor(run_child: Callable[..., dict[str, Any]], reps: int) -> dict[str, Any]:
    """``python -c pass``, median of ``reps``."""
    return summary([run_child([sys.executable, "-c", "pass"], timeout=60) for _ in range(max(3, reps))])


def store_open(run_child: Callable[..., dict[str, Any]], db: Path, reps: int) -> dict[str, Any]:
    """A fresh Python opening the query store ``db`` read-only (as every local query from the
    command line does), median of ``reps``: RocksDB starts threads to open its files, which
    python -c pass does not pay."""
    cmd = [sys.executable, "-c", "import sys, pyoxigraph; pyoxigraph.Store.read_only(sys.argv[1])", str(db)]
    run_child(cmd, timeout=60)
    return summary([run_child(cmd, timeout=60) for _ in range(reps)])


def unchanged(dist: Path) -> dict[str, list[int]]:
    """Each file of ``dist`` -> its inode and modification time: what a rebuild with nothing
    changed must leave as it was."""
    return {name: [(st := os.stat(dist / name)).st_ino, st.st_mtime_ns] for name in sorted(os.listdir(dist))}


# ---------------------------------------------------------------------------------------------
# Targets: (name, measured (section, stage), floor (section, stage) or None, limit, what)
# A floor of None: the limit is absolute (seconds or MB); else the limit is a ratio to the floor.
# ``extra``: seconds added to the floor (the 0.5 s a rebuild with nothing changed may take).

TARGETS: list[dict[str, Any]] = [
    {"name": "full build", "measured": ("n", "build", "seconds"), "floor": ("n", "build-floor", "seconds"),
     "limit": 2.0, "what": "edugraph build / (Oxigraph bulk load of its N-Triples + write Turtle and N-Triples)"},
    {"name": "full build memory", "measured": ("n", "build", "peak_mb"), "floor": None, "limit": 1024.0,
     "unit": "MB", "what": "edugraph build, peak RSS of the process and its workers together"},
    {"name": "rebuild, nothing changed", "measured": ("n", "rebuild-unchanged", "seconds"),
     "floor": ("global", "python-pass", "seconds"), "extra": 0.5, "limit": 1.0,
     "what": "edugraph build again / (0.5 s + python -c pass); must write nothing"},
    {"name": "rebuild after one edit", "measured": ("n", "rebuild-one-edit", "seconds"),
     "floor": ("n", "copy-floor", "seconds"), "limit": 2.0,
     "what": "edugraph build after editing one record / cp of the three exports"},
    {"name": "query p50 in engine", "measured": ("n", "query-engine-p50", "seconds"), "floor": None,
     "limit": 0.020, "unit": "s", "what": "every stored query and check, run_oxigraph on an open store"},
    {"name": "query p95 in engine", "measured": ("n", "query-engine-p95", "seconds"), "floor": None,
     "limit": 0.200, "unit": "s", "what": "every stored query and check, run_oxigraph on an open store"},
    {"name": "query p50 from the CLI", "measured": ("n", "query-cli-p50", "seconds"),
     "floor": ("global", "python-pass", "seconds"), "limit": 5.0,
     "what": "edugraph query NAME --format csv / python -c pass"},
    {"name": "edugraph --help", "measured": ("global", "help-script", "seconds"),
     "floor": ("global", "python-pass", "seconds"), "limit": 4.0,
     "what": "console script --help / python -c pass"},
    {"name": "python -m edugraph --help", "measured": ("global", "help-module", "seconds"),
     "floor": ("global", "python-pass", "seconds"), "limit": 4.0,
     "what": "python -m edugraph --help / python -c pass"},
]


def _figure(results: dict[str, Any], where: tuple[str, str, str], n: int | None) -> float | None:
    section, stage, field = where
    if section == "global":
        return results["global"].get(stage, {}).get(field)
    if n is None:
        return None
    return results["runs"][str(n)]["stages"].get(stage, {}).get(field)


def evaluate(results: dict[str, Any], target_n: int) -> list[dict[str, Any]]:
    """Every target: measured, floor, ratio and verdict, at ``target_n`` (else the largest N)."""
    ns = sorted(int(n) for n in results["runs"])
    n = target_n if target_n in ns else (ns[-1] if ns else None)
    rows = []
    for target in TARGETS:
        measured = _figure(results, target["measured"], n)
        floor = None if target["floor"] is None else _figure(results, target["floor"], n)
        if floor is not None:
            floor += target.get("extra", 0.0)
        per_n = "n" in (target["measured"][0], (target["floor"] or ("",))[0])
        row: dict[str, Any] = {"target": target["name"], "what": target["what"], "limit": target["limit"],
                               "unit": target.get("unit", "x"), "n": n if per_n else None,
                               "at_target_n": not per_n or n == target_n,
                               "measured": measured, "floor": floor}
        if measured is None or (target["floor"] is not None and not floor):
            row.update(ratio=None, holds=None, verdict="not measured")
        else:
            ratio = measured / floor if target["floor"] is not None else measured / target["limit"]
            holds = (ratio <= target["limit"]) if target["floor"] is not None else ratio <= 1.0
            row.update(ratio=ratio, holds=holds, verdict="holds" if holds else "misses")
        rows.append(row)
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "build-floor":
        print(json.dumps(build_floor_child(Path(sys.argv[2]), Path(sys.argv[3]))))
        sys.exit(0)
    print(__doc__, file=sys.stderr)
    sys.exit(2)

