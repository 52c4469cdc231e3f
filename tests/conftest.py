"""Shared fixtures: the project root, the fixture datasets (small, policy, provenance), the bundled
data and an in-process CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner, Result

from edugraph.build.load import load
from edugraph.build.mapping import Mapped, map_dataset
from edugraph.build.pipeline import graph_ntriples
from edugraph.build.resolve import Dataset, resolve
from edugraph.build.shacl import Report, validate_triples
from edugraph.build.writers import sort_triples
from edugraph.cli.main import app
from edugraph.files import find_files, use_root
from edugraph.query.source import Source, open_source
from edugraph.query.stores import DEFAULT_CACHE
from edugraph.vocab.ontology import vocabularies

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data"
"""The dataset curators keep adding to: only rules that stay true as it grows are tested on it."""
QUERIES = ROOT / "queries"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small"
POLICY = FIXTURES / "policy" / "data"
"""A frozen copy of the bundled records and their source texts: exact values are asserted on it,
never on data/, which curators keep adding to."""
PROVENANCE = FIXTURES / "provenance" / "data"
"""Records citing two sources, with a relationship per source, values with sources of their own,
a former and an ended position, an unnamed person, count bounds, a tie and a mixed event."""


@pytest.fixture(autouse=True)
def _no_project_root() -> None:
    """A command sets the project's root, the files it reads are confined to; a test after it
    that calls the library starts without one."""
    use_root(None)


@pytest.fixture
def small_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small dataset at ``tmp_path/data``, with the working directory at tmp_path."""
    data = tmp_path / "data"
    data.mkdir()
    for f in SMALL.glob("*.yaml"):
        shutil.copy(f, data / f.name)
    monkeypatch.chdir(tmp_path)
    return data


@pytest.fixture
def policy_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the frozen policy dataset (``data/`` with ``data/sources/``) and of the stored
    queries in tmp_path, with the working directory there."""
    shutil.copytree(POLICY, tmp_path / "data")
    shutil.copytree(QUERIES, tmp_path / "queries")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def provenance_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the provenance dataset (``data/`` with ``data/sources/``) in tmp_path, with the
    working directory there."""
    shutil.copytree(PROVENANCE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write YAML files into tmp_path/data (with a source record) and chdir to tmp_path."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "sources.yaml").write_text(
        "sources:\n  - id: doc-1\n    name: Test document\n    file: doc-1.txt\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str) -> Path:
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli() -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke



@dataclass(slots=True)
class Whole:
    """A data folder compiled the straightforward way, all at once: the oracle the build's
    file-by-file units are checked against."""

    dataset: Dataset
    mapped: Mapped
    triples: list[ox.Triple]


def exported_triples(data: Path) -> list[ox.Triple]:
    """The triples of the N-Triples export of ``data`` (the data and the terms it uses): what
    ``push`` uploads."""
    from edugraph.build.pipeline import export

    return list(ox.parse(export(data, "nt"), format=ox.RdfFormat.N_TRIPLES))


def compile_whole(data: Path) -> Whole:
    """Load, resolve and map every record of ``data`` at once (no units, no cache)."""
    dataset = resolve(load(find_files(data), vocabularies(), display_root=Path.cwd()))
    mapped = map_dataset(dataset)
    return Whole(dataset, mapped, sort_triples(mapped.triples))


def validate_whole(data: Path, engine: str = "turbo") -> Report:
    """SHACL results of the whole graph of ``data`` at once, traced back to the YAML."""
    whole = compile_whole(data)
    return validate_triples(whole.triples, whole.mapped.origins, engine=engine)


def data_source(data: Path, cache: Path = DEFAULT_CACHE, engine: str = "oxigraph") -> Source:
    """The query source of a data folder, its store built through the build (as the CLI does)."""
    return open_source(data, lambda: graph_ntriples(data, cache), cache_dir=cache, engine=engine)
