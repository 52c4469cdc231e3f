"""Build units: a file's share of the graph, merged into the same exports as the whole graph, and
validated apart (with its context) to exactly the results of the whole graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from edugraph.mapping import to_rdflib
from edugraph.pipeline import compile_data
from edugraph.serialise import serialise
from edugraph.units import compile_units, unit_findings, unit_of
from edugraph.validate import one_hop_shapes, validate_graph

from .conftest import DATA, ROOT
from .test_engines import inject

GENERATE = ROOT / "benchmarks" / "generate.py"


def _generated(tmp_path: Path, n: int) -> Path:
    out = tmp_path / f"gen{n}"
    subprocess.run([sys.executable, str(GENERATE), str(n), str(out), "--per-file", "100"],
                   check=True, capture_output=True)
    return out


@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld"])
def test_units_merge_into_the_bytes_of_the_whole_graph(tmp_path: Path, fmt: str) -> None:
    data = _generated(tmp_path, 400)
    assert len(list(data.glob("*.yaml"))) > 4
    assert compile_units(data).serialise(fmt) == serialise(compile_data(data).triples, fmt)
    assert compile_units(DATA).serialise(fmt) == serialise(compile_data(DATA).triples, fmt)


def _key(f) -> tuple:
    return (f.focus, f.severity, f.component, f.field, f.message)


@pytest.mark.parametrize("parts", [1, 3, 7])
def test_units_validate_to_the_results_of_the_whole_graph(tmp_path: Path, parts: int) -> None:
    graph = inject(to_rdflib(compile_data(_generated(tmp_path, 300)).triples))
    whole = validate_graph(rdflib.Graph() + graph, engine="pyshacl").findings
    assert len(whole) > 40  # every shape broken, some constraints many times
    triples = list(ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                            format=ox.RdfFormat.N_TRIPLES))
    # Any split of the subjects will do: here every k-th subject in IRI order.
    subjects = sorted({t.subject.value for t in triples})
    bucket = {s: i % parts for i, s in enumerate(subjects)}
    units = [unit_of(t for t in triples if bucket[t.subject.value] == b) for b in range(parts)]
    inverse = one_hop_shapes()
    assert inverse is not None
    found = [f for part in unit_findings(units, [str(b) for b in range(parts)], inverse) for f in part]
    assert sorted(map(_key, found)) == sorted(map(_key, whole))
