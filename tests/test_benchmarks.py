"""The performance benchmark (benchmarks/): the generator writes the same valid data for a seed,
and run.py measures every stage and writes its figures (at N=60, so this stays fast)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from edugraph.build.pipeline import load_dataset
from edugraph.model.kinds import KINDS

from .conftest import ROOT

BENCH = ROOT / "benchmarks"
N = 60


def _module(name: str):
    """benchmarks/NAME.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"edugraph_benchmark_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _generator():
    return _module("generate")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def test_generator_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    for name in ("a", "b"):
        subprocess.run([sys.executable, str(BENCH / "generate.py"), str(N), str(tmp_path / name),
                        "--seed", "7", "--per-file", "10"], check=True, capture_output=True)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    assert len(first) > 7  # several files per kind with --per-file 10
    assert all(re.fullmatch(r"[a-z]+-\d{4}\.yaml", name) for name in first)
    _generator().generate(N, tmp_path / "c", seed=8, per_file=10)
    assert _files(tmp_path / "c") != first  # another seed, other data


def test_generated_data_builds_clean(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    summary = _generator().generate(N, data)
    result = cli("build", "--data", str(data), "--out", str(tmp_path / "dist"),
                 "--cache", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    assert not re.search(r": (violation|warning|info): ", result.output), result.output
    match = re.search(r"(\d+) records, (\d+) triples", result.output)
    assert match, result.output
    records, triples = int(match[1]), int(match[2])
    assert records == N
    assert triples == summary.triples  # the generator's count follows the mapping exactly
    assert 10 <= triples / records <= 20
    report = cli("validate", "--data", str(data), "--format", "json")
    assert report.exit_code == 0
    assert json.loads(report.output) == {"conforms": True, "results": []}
    kinds = {record.kind for record in load_dataset(data).records}
    assert kinds == set(KINDS)
    assert (tmp_path / "dist" / "edugraph.ttl").is_file()


def test_run_writes_every_stage(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--n", str(N), "--json", str(out),
         "--baseline-max-n", str(N), "--reps", "2", "--cli-reps", "1", "--help-reps", "2", "--quiet"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    stages = results["runs"][str(N)]["stages"]
    baselines = results["runs"][str(N)]["baselines"]
    run_module = _module("run")
    for name in [*run_module.CHILD_STAGES, *run_module.PARENT_STAGES]:
        assert isinstance(stages[name]["seconds"], float) and stages[name]["seconds"] >= 0, name
        assert isinstance(stages[name]["peak_mb"], (int, float)) and stages[name]["peak_mb"] > 0, name
    for name in run_module.BASELINES:
        assert isinstance(baselines[name]["seconds"], float), name
    for name in run_module.GLOBAL_STAGES:
        assert isinstance(results["global"][name]["seconds"], float), name
    assert stages["validate"]["findings"] == 0
    assert len(stages["queries"]["queries"]) == len(list((ROOT / "queries").glob("*.rq")))
    floors = _module("floors")
    assert [t["target"] for t in results["targets"]] == [t["name"] for t in floors.TARGETS]
    for target in results["targets"]:
        assert target["verdict"] in ("holds", "misses"), target
        assert target["ratio"] == pytest.approx(
            target["measured"] / (target["floor"] if target["unit"] == "x" else target["limit"])), target
    assert "error" not in stages["rebuild-unchanged"]
    assert results["runs"][str(N)]["generate"]["triples_per_record"] > 10
    for row in ("validate", "rebuild-one-edit", "query-cli-p50", "targets at N=100,000: measured / floor = ratio",
                "rebuild, nothing changed", "build-floor", "copy-floor", "python-pass", "store-open", "store-scan",
                "class-scan"):
        assert row in run.stdout
