"""Shared fixtures: the project root, the fixture datasets (small, policy), the bundled data and an
in-process CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from edugraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data"
"""The dataset curators keep adding to: only rules that stay true as it grows are tested on it."""
QUERIES = ROOT / "queries"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small"
POLICY = FIXTURES / "policy" / "data"
"""A frozen copy of the bundled records and their source texts: exact values are asserted on it,
never on data/, which curators keep adding to."""


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
