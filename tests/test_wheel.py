"""Proof from outside the checkout: the wheel, installed (not editable) into a fresh venv, starts a
project in an empty folder elsewhere, builds it, queries it, documents it, and takes a term, a
query and a base IRI of the project's own.

Building and installing a wheel is slow, so this is one test. Every step runs even when an earlier
one failed (a step that cannot run says so), and the test fails at the end with every problem
found, so one run tells which pieces are missing.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import ROOT

TIMEOUT = 900  # seconds for one step

TERM = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://example.org/vocab/workshop-series> a skos:Concept ;
    skos:inScheme <https://w3id.org/edugraph/concept/event-type> ;
    skos:prefLabel "workshop series"@en .
"""
SERIES = """\
events:
  - id: open-data-workshop-series
    name: Open Data Workshop Series
    type: workshop-series
    note: The series has no date of its own.
    sources: [example-announcement]
"""
OVERRIDE = """\
# title: Events by year, as this project counts them
# description: The project's own query in the place of the built-in one of the same name.
#+ example:
SELECT ?marker WHERE { BIND ("overridden" AS ?marker) }
"""
BASE = "https://example.org/id/"


@dataclass
class Steps:
    """Runs commands, collecting every problem rather than stopping at the first."""

    env: dict[str, str]
    bin: Path
    problems: list[str] = field(default_factory=list)

    def run(self, cwd: Path, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        """``edugraph ARGS`` of the venv in ``cwd``; a problem when the exit code is not ``expect``."""
        done = subprocess.run([str(self.bin / "edugraph"), *args], cwd=cwd, env=self.env,
                              capture_output=True, text=True, timeout=TIMEOUT)
        if done.returncode != expect:
            said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
            self.problems.append(f"edugraph {shlex.join(args)}: exit {done.returncode}, not {expect}: "
                                 + " | ".join(said))
        return done

    def check(self, holds: bool, what: str) -> None:
        if not holds:
            self.problems.append(what)


def setup(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, f"{shlex.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"


def table_column(text: str) -> list[str]:
    """The first column of the rows of a table ``edugraph queries`` prints."""
    return [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]


def test_the_installed_wheel_starts_builds_queries_and_extends_a_project(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    wheels, venv, work = tmp_path / "wheels", tmp_path / "venv", tmp_path / "work"
    # No build isolation: the build backend is the test environment's (a test dependency), so
    # building fetches nothing either.
    setup([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
           "-w", str(wheels)], env)
    (wheel,) = wheels.glob("edugraph-*.whl")
    setup([sys.executable, "-m", "venv", str(venv)], env)
    bin = venv / "bin"
    # Offline: the dependencies come from this test run's environment (a path line in a .pth file
    # appends its folder to sys.path without running the .pth files in it, so the checkout's
    # editable install stays out), and edugraph itself only from the wheel.
    purelib = subprocess.run([str(bin / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             env=env, capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "edugraph-test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    setup([str(bin / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], env)
    env["PATH"] = f"{bin}{os.pathsep}{env.get('PATH', '')}"
    work.mkdir()
    assert ROOT not in work.parents and not (work / "edugraph.toml").exists()
    where = subprocess.run([str(bin / "python"), "-c", "import edugraph; print(edugraph.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(venv), where  # the wheel's copy, not the checkout's

    steps = Steps(env, bin)
    steps.run(work, "init", "p")
    p = work / "p"
    steps.run(p, "build")
    validated = steps.run(p, "validate")
    steps.check(validated.stdout == "conforms: no SHACL results\n", f"validate said {validated.stdout!r}")

    # Every stored query, with the example its header gives.
    listed = steps.run(p, "queries")
    names = table_column(listed.stdout)[1:] if listed.stdout else []
    steps.check("events-by-year" in names, f"edugraph queries lists {names}, not the built-in ones")
    for name in names:
        shown = steps.run(p, "queries", name)
        example = [line for line in shown.stdout.splitlines() if line.startswith("example: ")]
        steps.check(len(example) == 1, f"edugraph queries {name} shows no example line")
        if example:
            call = shlex.split(example[0].removeprefix("example: "))
            steps.check(call[:3] == ["edugraph", "query", name], f"{name}'s example is {call}")
            # The examples name records of the bundled data: the new project has none of them.
            ids = {line.split()[1].rstrip(":") for line in shown.stdout.splitlines()
                   if line.startswith("  -p ") and " id:" in line}
            if not any(word.partition("=")[0] in ids for word in call):
                steps.run(p, *call[1:], "--format", "csv")
                continue
            refused = steps.run(p, *call[1:], "--format", "csv", expect=2)
            steps.check(" has the id " in refused.stderr or " is a" in refused.stderr,
                        f"{name}'s example on the new project said {refused.stderr!r}")

    checked = steps.run(p, "check")
    lines = checked.stdout.splitlines()
    steps.check(bool(lines) and all(line.startswith("ok ") for line in lines),
                f"edugraph check said {checked.stdout!r}")
    grounded = steps.run(p, "check-sources")
    steps.check(grounded.stdout == "grounded: 5 records, 4 relationships in 1 source\n",
                f"check-sources said {grounded.stdout!r}")
    vocab = steps.run(p, "vocab")
    steps.check("participation-role" in vocab.stdout and "event-type" in vocab.stdout,
                "edugraph vocab lists neither participation-role nor event-type")
    card = steps.run(p, "show", "jane-example")
    steps.check("Director" in card.stdout and "Example Teacher Institute" in card.stdout,
                f"show jane-example said {card.stdout!r}")
    steps.run(p, "docs", "-o", "site")
    for page in ("index.html", "queries.html", "entities/person/jane-example.html"):
        steps.check((p / "site" / page).is_file(), f"docs wrote no site/{page}")

    # The project's own term, query and base.
    (p / "vocabulary.ttl").write_text(TERM, encoding="utf-8")
    (p / "data" / "series.yaml").write_text(SERIES, encoding="utf-8")
    (p / "queries" / "events-by-year.rq").write_text(OVERRIDE, encoding="utf-8")
    settings = (p / "edugraph.toml").read_text(encoding="utf-8")
    settings, set_vocabulary = re.subn(r"^# vocabulary = .*$", 'vocabulary = ["vocabulary.ttl"]', settings,
                                       flags=re.M)
    settings, set_base = re.subn(r"^# base = .*$", f'base = "{BASE}"', settings, flags=re.M)
    assert (set_vocabulary, set_base) == (1, 1), "edugraph.toml has no commented vocabulary or base line"
    (p / "edugraph.toml").write_text(settings, encoding="utf-8")

    steps.run(p, "build")
    steps.run(p, "validate")
    exported = steps.run(p, "export", "--format", "nt")
    subjects = {line.split(" ", 1)[0] for line in exported.stdout.splitlines() if line}
    for record in ("event/open-data-workshop-series", "event/open-data-workshop-2026", "person/jane-example"):
        steps.check(f"<{BASE}{record}>" in subjects, f"the export has no subject <{BASE}{record}>")
    stale = sorted(s for s in subjects if s.startswith("<https://w3id.org/edugraph/id/"))
    steps.check(not stale, f"subjects still under the default base: {stale[:3]}")
    series = steps.run(p, "show", "open-data-workshop-series")
    steps.check("workshop series" in series.stdout, f"the term has no label in the card: {series.stdout!r}")
    vocab = steps.run(p, "vocab")
    term_lines = [line for line in vocab.stdout.splitlines() if "workshop-series" in line]
    steps.check(bool(term_lines) and all("workshop series" in line for line in term_lines),
                f"edugraph vocab lists workshop-series as {term_lines}")
    steps.check("vocabulary.ttl" in vocab.stdout, "edugraph vocab does not say the term is from vocabulary.ttl")
    listed = steps.run(p, "queries")
    steps.check("Events by year, as this project counts them" in listed.stdout,
                "edugraph queries does not list the project's events-by-year")
    ran = steps.run(p, "query", "events-by-year", "--format", "csv")
    steps.check(ran.stdout.splitlines() == ["marker", "overridden"],
                f"query events-by-year gave {ran.stdout!r}, not the project's")

    assert not steps.problems, f"{len(steps.problems)} problems:\n" + "\n".join(steps.problems)
