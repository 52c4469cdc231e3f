"""The outputs stay byte for byte what they were: a generated 1,000-record dataset (the benchmark's
generator, a fixed seed) builds and exports to files whose SHA-256 digests were recorded before
the code was restructured (``tests/fixtures/generated-1000.sha256``), and recorded again when
relationships came to cite exactly their own sources (the generator's relationships in records
citing several sources name one of them; the statements' named graphs and stats changed with it),
and again when the exports came to carry the vocabulary terms the data uses (each concept's type,
scheme and label, and its scheme's, so that they conform to the shapes alone; ``void.ttl`` counts
them and names the shapes and the ontology; stats are unchanged).

A change that is meant to change the outputs (a new property, another serialisation) updates the
digests in the same commit, and says why; any other change must leave them alone.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT

DIGESTS = FIXTURES / "generated-1000.sha256"


def recorded() -> dict[str, str]:
    out = {}
    for line in DIGESTS.read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        out[name] = digest
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    work = tmp_path_factory.mktemp("stable")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "1000", str(work / "data")],
                   check=True, capture_output=True)

    def edugraph(*args: str) -> bytes:
        return subprocess.run([sys.executable, "-m", "edugraph", *args], cwd=work, check=True,
                              capture_output=True).stdout

    edugraph("build", "--data", "data", "--out", "dist", "--quiet")
    found = {f"build/{p.name}": p.read_bytes() for p in sorted((work / "dist").iterdir())
             if not p.name.startswith(".")}
    for fmt in ("ttl", "jsonld", "nt", "nq", "trig", "xml"):
        found[f"export/{fmt}"] = edugraph("export", "--data", "data", "--format", fmt)
    found["stats/json"] = edugraph("stats", "--data", "data", "--format", "json")
    return found


def test_every_output_is_recorded(outputs: dict[str, bytes]) -> None:
    assert sorted(outputs) == sorted(recorded())


@pytest.mark.parametrize("name", sorted(recorded()))
def test_output_is_byte_identical(outputs: dict[str, bytes], name: str) -> None:
    assert hashlib.sha256(outputs[name]).hexdigest() == recorded()[name], (
        f"{name} changed; if the change is meant, record the new digest in {DIGESTS.relative_to(ROOT)}")


def test_the_exports_agree_with_the_build(outputs: dict[str, bytes]) -> None:
    for fmt, name in (("ttl", "edugraph.ttl"), ("jsonld", "edugraph.jsonld"), ("nt", "edugraph.nt")):
        assert outputs[f"export/{fmt}"] == outputs[f"build/{name}"]
