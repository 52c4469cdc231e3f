"""Build units: a file's share of the graph, merged into the same exports as the whole graph, and
validated apart (with its context) to exactly the results of the whole graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from edugraph.build.compile import compile_units
from edugraph.build.partition import unit_findings
from edugraph.build.shacl import one_hop_shapes, validate_graph
from edugraph.build.units import unit_of
from edugraph.build.writers import serialise
from edugraph.vocab.terms import to_rdflib

from .conftest import POLICY, ROOT, compile_whole
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
    assert compile_units(data).serialise(fmt) == serialise(compile_whole(data).triples, fmt)
    assert compile_units(POLICY).serialise(fmt) == serialise(compile_whole(POLICY).triples, fmt)


def _key(f) -> tuple:
    return (f.focus, f.severity, f.component, f.field, f.message)


@pytest.mark.parametrize("parts", [1, 3, 7])
def test_units_validate_to_the_results_of_the_whole_graph(tmp_path: Path, parts: int) -> None:
    graph = inject(to_rdflib(compile_whole(_generated(tmp_path, 300)).triples))
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


def entries(section: Path) -> list[str]:
    """The keys of a cache section's entries (an entry is KEY.pickle and any KEY.<format>)."""
    return sorted({p.name.split(".", 1)[0] for p in section.iterdir()})


def _build_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def test_workers_and_cache_build_the_bytes_of_a_plain_build(tmp_path: Path, monkeypatch) -> None:
    from edugraph.build import compile as units
    from edugraph.build.pipeline import build

    data = _generated(tmp_path, 300)
    build(data, tmp_path / "plain")
    monkeypatch.setattr(units, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(units, "MIN_JOBS", 1)
    cache = tmp_path / "cache"
    result = build(data, tmp_path / "pooled", cache_dir=cache)
    assert result.report.conforms and result.triples > 3000
    assert _build_bytes(tmp_path / "pooled") == _build_bytes(tmp_path / "plain")
    made = {d: entries(cache / d) for d in ("outlines", "units", "checks")}
    files = len(list(data.glob("*.yaml")))
    # A unit per file, and the unit of the vocabulary terms the data uses; a unit's texts are
    # files of their own beside its pickle.
    assert {d: len(names) for d, names in made.items()} == {"outlines": files, "units": files + 1, "checks": files}
    assert sorted(p.name for p in (cache / "units").iterdir()) == sorted(
        f"{key}.{suffix}" for key in made["units"] for suffix in ("jsonld", "nt", "pickle", "ttl"))
    assert len(list((cache / "records").iterdir())) == files  # written by the workers only

    # An edit: a rebuild makes one new unit, and the files of a fresh build of the edited data.
    person = next(data.glob("people-*.yaml"))
    text = person.read_text(encoding="utf-8")
    person.write_text(text.replace('name: "', 'name: "Edited ', 1), encoding="utf-8")
    build(data, tmp_path / "pooled", cache_dir=cache)
    # The edited file's old outline, records, unit and results are pruned, its new ones kept.
    # The unit of terms is the same one: the edit uses no new concept.
    assert {d: len(entries(cache / d)) for d in made} == {"outlines": files, "units": files + 1, "checks": files}
    assert len(set(entries(cache / "units")) - set(made["units"])) == 1
    assert len(list((cache / "units").iterdir())) == 4 * (files + 1)
    build(data, tmp_path / "fresh")
    assert _build_bytes(tmp_path / "pooled") == _build_bytes(tmp_path / "fresh")
    assert b"Edited " in (tmp_path / "fresh" / "edugraph.nt").read_bytes()


def test_workers_report_every_error_of_every_file(tmp_path: Path, monkeypatch) -> None:
    from edugraph.build import compile as units
    from edugraph.build.pipeline import build
    from edugraph.errors import InputErrors

    data = _generated(tmp_path, 300)
    files = sorted(data.glob("*.yaml"))
    for path in files[:2]:
        path.write_text(path.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")

    def errors() -> list[str]:
        with pytest.raises(InputErrors) as caught:
            build(data, tmp_path / "out", cache_dir=tmp_path / "cache")
        return [e.format() for e in caught.value.errors]

    serial = errors()
    monkeypatch.setattr(units, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(units, "MIN_JOBS", 1)
    assert errors() == serial
    assert len(serial) == 2 and all("bogus" in e for e in serial)


def test_a_unit_whose_texts_were_damaged_is_made_again(tmp_path: Path) -> None:
    from edugraph.build.pipeline import build

    data = _generated(tmp_path, 60)
    cache = tmp_path / "cache"
    build(data, tmp_path / "first", cache_dir=cache)
    texts = sorted((cache / "units").glob("*.ttl"))
    texts[0].write_bytes(texts[0].read_bytes()[:-1])
    texts[1].unlink()
    build(data, tmp_path / "again", cache_dir=cache)
    assert _build_bytes(tmp_path / "again") == _build_bytes(tmp_path / "first")
    assert len(list((cache / "units").glob("*.ttl"))) == len(texts)


def test_cached_units_validated_by_workers_give_the_results_of_the_whole_graph(tmp_path: Path) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from edugraph.build.units import UnitCache

    graph = inject(to_rdflib(compile_whole(_generated(tmp_path, 300)).triples))
    whole = validate_graph(rdflib.Graph() + graph, engine="pyshacl").findings
    triples = list(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))
    subjects = sorted({t.subject.value for t in triples})
    bucket = {s: i % 6 for i, s in enumerate(subjects)}
    cache = UnitCache(tmp_path / "units")
    for b in range(6):
        cache.put(str(b), unit_of(t for t in triples if bucket[t.subject.value] == b))
    units = [cache.get(str(b)) for b in range(6)]
    assert all(u is not None and u.origin and not u.text for u in units)  # texts left in the cache
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        found = [f for part in unit_findings(units, [str(b) for b in range(6)], one_hop_shapes(), pool=pool)
                 for f in part]
    assert sorted(map(_key, found)) == sorted(map(_key, whole))
    assert all(not u.text for u in units)  # the workers read them, not the main process
