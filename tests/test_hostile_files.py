"""Only the project's files, and only regular ones: records, source texts, queries and vocabularies
that resolve outside the project are refused without a word of their content; FIFOs, devices and
sockets are refused wherever a file is read, at once (never waited on); a folder of the data that
cannot be read, a link to nothing and a name that is not UTF-8 are errors naming the path, not
skips. No message quotes more than a short excerpt of a file.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from edugraph.errors import MAX_EXCERPT

PASSWD = Path("/etc/passwd")
OUTSIDE = "it resolves outside the project; edugraph reads only the project's files"


def no_line_of_passwd(text: str) -> None:
    for line in PASSWD.read_text(encoding="utf-8").splitlines():
        if len(line) > 8:
            assert line not in text


def edugraph(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """A real process (a FIFO that were waited on would hang it: the timeout fails the test)."""
    return subprocess.run([sys.executable, "-m", "edugraph", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------------------
# Outside the project


def test_a_record_file_linked_outside_the_project_is_refused(write_yaml, cli) -> None:
    Path("data/passwd.yaml").symlink_to(PASSWD)
    result = cli("build")
    assert (result.exit_code, result.stderr) == (2, f"error: data/passwd.yaml: {OUTSIDE}\n")
    no_line_of_passwd(result.stdout + result.stderr)
    assert not Path("dist").exists()


def test_a_folder_linked_outside_the_project_is_refused(write_yaml, cli) -> None:
    Path("data/etc").symlink_to("/etc")
    result = cli("build")
    assert (result.exit_code, result.stderr) == (2, f"error: data/etc: {OUTSIDE}\n")


def test_links_inside_the_project_are_followed(write_yaml, cli) -> None:
    Path("common").mkdir()
    Path("common/orgs.yaml").write_text("organisations:\n  - id: linked-org\n    name: Linked\n"
                                        "    sources: [doc-1]\n", encoding="utf-8")
    Path("data/orgs.yaml").symlink_to("../common/orgs.yaml")
    Path("more").mkdir()
    Path("more/people.yaml").write_text("people:\n  - id: linked-person\n    name: Linked Person\n"
                                        "    sources: [doc-1]\n", encoding="utf-8")
    Path("data/more").symlink_to("../more")
    Path("more/loop").symlink_to("../more")  # into itself: read once
    result = cli("build")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "3 records, " + result.stdout.splitlines()[0].split(", ")[1]
    nt = Path("dist/edugraph.nt").read_text(encoding="utf-8")
    assert "organisation/linked-org>" in nt and "person/linked-person>" in nt


def test_a_source_text_linked_outside_the_project_is_refused(write_yaml, cli) -> None:
    Path("data/sources").mkdir()
    Path("data/sources/doc-1.txt").symlink_to(PASSWD)
    result = cli("check-sources")
    assert result.exit_code == 2
    assert result.stderr == (f"error: data/sources.yaml:4: source 'doc-1', field 'file': 'data/sources/doc-1.txt' "
                             f"cannot be read: {OUTSIDE}; put the document's text in the sources folder\n")
    no_line_of_passwd(result.stdout + result.stderr)


def test_a_source_file_naming_a_path_outside_is_refused(write_yaml, cli) -> None:
    Path("data/sources").mkdir()
    write_yaml("sources.yaml", "sources:\n  - id: doc-1\n    name: Test\n    file: ../../../../../../etc/passwd\n")
    result = cli("check-sources")
    assert (result.exit_code, result.stderr) == (
        2, "error: data/sources.yaml:4: source 'doc-1', field 'file': '../../../../../../etc/passwd' is not a "
           "plain file name; write a file name without folders\n")


def test_a_query_linked_outside_the_project_is_refused(write_yaml, cli) -> None:
    Path("queries").mkdir()
    Path("queries/passwd.rq").symlink_to(PASSWD)
    result = cli("query", "passwd")
    assert (result.exit_code, result.stderr) == (2, f"error: queries/passwd.rq: cannot read the query: {OUTSIDE}\n")
    no_line_of_passwd(result.stdout + result.stderr)


def test_a_vocabulary_linked_outside_the_project_is_refused(write_yaml, cli) -> None:
    Path("edugraph.toml").write_text('vocabulary = ["terms.ttl"]\n', encoding="utf-8")
    Path("terms.ttl").symlink_to(PASSWD)
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr == f"error: {Path.cwd() / 'terms.ttl'}: cannot be read ({OUTSIDE})\n"
    no_line_of_passwd(result.stdout + result.stderr)


def test_no_message_quotes_more_than_an_excerpt(write_yaml, cli, tmp_path: Path) -> None:
    long = "word " * 2000
    write_yaml("long.yaml", long)
    result = cli("build")
    assert result.exit_code == 2
    quoted = result.stderr.split("the text '")[1].split("'")[0]
    assert len(quoted) == MAX_EXCERPT and quoted.endswith("…")
    Path("bad.ttl").write_text("<http://e/a> <http://e/b> " + "x" * 5000 + " .\n", encoding="utf-8")
    result = cli("validate", "--graph", "bad.ttl")
    assert result.exit_code == 2
    assert "x" * MAX_EXCERPT not in result.stderr and len(result.stderr) < 300


# ---------------------------------------------------------------------------------------------
# Special files: refused at once


def test_validate_graph_on_a_fifo_returns_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "g.ttl")
    done = edugraph("validate", "--graph", "g.ttl", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "error: g.ttl: cannot read the file: it is a named pipe (FIFO), not a regular file\n")


def _special(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    else:
        try:
            os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # what /dev/zero is
        except PermissionError:
            pytest.skip("making a character device needs root (CAP_MKNOD)")


@pytest.mark.parametrize(("kind", "said"), [("fifo", "a named pipe (FIFO)"), ("device", "a character device"),
                                            ("socket", "a socket")])
def test_a_special_record_file_is_refused(write_yaml, tmp_path: Path, kind: str, said: str) -> None:
    _special(tmp_path / "data" / "x.yaml", kind)
    done = edugraph("build", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, f"error: data/x.yaml: the record file is {said}, not a regular file\n")


def test_special_files_are_refused_wherever_a_file_is_read(write_yaml, tmp_path: Path) -> None:
    Path("data/sources").mkdir()
    os.mkfifo("data/sources/doc-1.txt")
    done = edugraph("check-sources", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ("error: data/sources.yaml:4: source 'doc-1', field 'file': 'data/sources/doc-1.txt' "
                           "cannot be read: it is a named pipe (FIFO), not a regular file; put the document's "
                           "text in the sources folder\n")
    Path("queries").mkdir()
    os.mkfifo("queries/q.rq")
    done = edugraph("query", "q", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "error: queries/q.rq: cannot read the query: it is a named pipe (FIFO), not a regular file\n")
    os.mkfifo("text.txt")
    done = edugraph("draft", "text.txt", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "error: text.txt: the text cannot be read (it is a named pipe (FIFO), not a regular file)\n")
    os.mkfifo("terms.ttl")
    Path("edugraph.toml").write_text('vocabulary = ["terms.ttl"]\n', encoding="utf-8")
    done = edugraph("build", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, f"error: {tmp_path / 'terms.ttl'}: cannot be read (it is a named pipe (FIFO), not a regular file)\n")
    os.remove("edugraph.toml")
    os.mkfifo("edugraph.toml")
    done = edugraph("build", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "error: edugraph.toml: cannot be read (it is a named pipe (FIFO), not a regular file)\n")


def test_a_fifo_in_the_cache_is_a_miss(write_yaml, tmp_path: Path) -> None:
    assert edugraph("build", "-q", cwd=tmp_path).returncode == 0
    entries = sorted(Path(".edugraph-cache").rglob("*.pickle"))
    assert entries
    for entry in entries:
        entry.unlink()
        os.mkfifo(entry)
    (tmp_path / "data" / "sources.yaml").touch()
    done = edugraph("build", "-q", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")


# ---------------------------------------------------------------------------------------------
# Nothing skipped without a word


def test_a_folder_that_cannot_be_read_is_an_error(write_yaml, cli, monkeypatch) -> None:
    # As root, chmod 000 stops nothing: the refusal of the system is what is stood in for.
    write_yaml("locked/orgs.yaml", "organisations: []\n")
    real = os.scandir

    def scandir(path: object = "."):
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("build")
    assert (result.exit_code, result.stderr) == (
        2, "error: data/locked: the folder cannot be read (permission denied); make it readable, or move it "
           "out of the data folder\n")
    assert not Path("dist").exists()


def test_a_link_to_nothing_is_an_error(write_yaml, cli) -> None:
    Path("data/gone.yaml").symlink_to("nowhere.yaml")
    result = cli("build")
    assert (result.exit_code, result.stderr) == (2, "error: data/gone.yaml: the record file is a link to nothing\n")


@pytest.mark.parametrize("name", [b"x\xff.yaml", b"dir\xfe"])
def test_a_name_that_is_not_utf8_is_an_error(write_yaml, tmp_path: Path, name: bytes) -> None:
    path = os.fsencode(tmp_path / "data") + b"/" + name
    if name.endswith(b".yaml"):
        with open(path, "wb") as f:
            f.write(b"organisations: []\n")
    else:
        os.mkdir(path)
    done = edugraph("build", cwd=tmp_path)
    shown = name.decode("utf-8", "surrogateescape").encode("unicode_escape").decode("ascii")
    assert (done.returncode, done.stderr) == (2, f"error: data/{shown}: the name is not UTF-8; rename it\n")


def test_a_long_value_quoted_anywhere_is_cut(write_yaml, cli) -> None:
    # load.py quotes an unknown field's name whole; the safety net under every message cuts it.
    write_yaml("orgs.yaml", f"organisations:\n  - id: a\n    name: A\n    {'k' * 500}: 1\n    sources: [doc-1]\n")
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: data/orgs.yaml:4: organisation 'a': unknown field '{'k' * 79}…'; "
                                    "organisation fields are: id, name, ")
