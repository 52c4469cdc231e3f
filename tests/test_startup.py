"""A query from the command line starts fast: it converts option values without Pydantic (with
exactly Typer's results and messages), and loads neither the network stack nor PyYAML, rdflib
or rich, nor dataclasses (with inspect), OpenSSL's hashes or the endpoint client; the URL guard
still stands the moment anything loads urllib.request."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from edugraph.cli.coercion import LeanParam
from edugraph.cli.main import app
from edugraph.files import hasher, place_key

GROUP = typer.main.get_command(app)
PARAMS = [(name, param) for name, command in sorted(GROUP.commands.items()) for param in command.params
          if getattr(param, "type_descriptor", None) is not None]
SAMPLES = ["", "x", "a//b", "./x", "data", "-1", "0", "7", "+3", "1.5", ".5", "1e3", " 2 ", "0x10", "1_0",
           "abc", "csv", "CSV", "md", "person", "persn", "true", "\udcff"]


def outcome(runtime, value, param, ctx) -> tuple[str, object]:
    try:
        return "ok", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()


@pytest.mark.parametrize(("command", "param"), PARAMS, ids=[f"{c}-{p.name}" for c, p in PARAMS])
def test_values_convert_as_typer_converts_them(command: str, param) -> None:
    ctx = Context(GROUP.commands[command])
    lean = param.get_runtime_param()
    assert isinstance(lean, LeanParam)
    typer_own = build_runtime_param(param.type_descriptor)
    many = param.multiple or param.nargs == -1
    for value in [param.default, *SAMPLES]:
        given = [value] if many and isinstance(value, str) else value
        assert outcome(lean, given, param, ctx) == outcome(typer_own, given, param, ctx), (command, value)


HEAVY = ("pydantic", "urllib.request", "yaml", "rdflib", "rich", "edugraph.build.load")
"""What a query on a built store does without, whichever way it is run."""
TYPER_OWN = ("dataclasses", "inspect", "_hashlib", "edugraph.query.remote")
"""What the console script's query also does without (each costs it milliseconds to import);
Typer, which the other way loads, imports the first two itself."""


@pytest.mark.parametrize(("entry", "left_out"), [("edugraph.cli.quick", HEAVY + TYPER_OWN),
                                                 ("edugraph.cli.main", HEAVY)], ids=["console-script", "typer"])
def test_a_query_loads_only_what_it_needs(policy_project: Path, cli, entry: str, left_out: tuple[str, ...]) -> None:
    assert cli("query", "positions", "-p", "person=zhang-minxuan", "--format", "csv").exit_code == 0  # cache
    code = (f"import sys\nfrom {entry} import main\n"
            "sys.argv = ['edugraph', 'query', 'positions', '-p', 'person=zhang-minxuan', '--format', 'csv']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {left_out!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=policy_project)
    assert out.stdout.splitlines()[-1] == "[]"
    assert "zhang-minxuan" in out.stdout


def test_the_url_guard_stands_when_urllib_request_is_loaded_later() -> None:
    code = ("import sys\nfrom edugraph import netguard\nnetguard.install()\n"
            "assert 'urllib.request' not in sys.modules\n"
            "import urllib.error, urllib.request\n"
            "try:\n    urllib.request.urlopen('http://127.0.0.1:9/')\n"
            "except urllib.error.URLError as exc:\n    print(exc.reason)\n"
            "print(any(isinstance(h, netguard.RefusingHandler) for h in urllib.request._opener.handlers))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["edugraph does not open URLs it was not given: http://127.0.0.1:9/",
                                       "True"]


def test_the_keys_a_query_computes_are_sha256_as_before(tmp_path: Path) -> None:
    # hashlib is left out of a query's start-up; the keys must stay what they were with it, so a
    # cache written by an earlier version is still found.
    for data in (b"", b"edugraph", bytes(range(256)) * 100):
        assert hasher(data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert place_key(tmp_path) == hashlib.sha256(str(tmp_path.resolve()).encode()).hexdigest()[:16]
