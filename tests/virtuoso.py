"""A real OpenLink Virtuoso (Debian's ``virtuoso-opensource``, installed by .ci/run) for the tests:
started on 127.0.0.1 with free ports and a database in a temporary folder, a throw-away dba
password, stopped and removed after. Tests import the ``virtuoso`` fixture from here; it skips,
with one line, only where ``virtuoso-t`` is not installed.

What push tests need is on the ``Virtuoso`` object: the dba credentials, the endpoint URLs
(``/sparql`` open for reading, ``/sparql-auth`` and ``/sparql-graph-crud-auth`` behind HTTP
Digest), ``isql(sql)`` and ``bulk_load(folder, graph)``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "dba"
PASSWORD = "edugraphTestDba"
"""Throw-away: set on a database that lives only as long as the fixture."""

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 4
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
MaxClientConnections = 4
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True, slots=True)
class Virtuoso:
    """A running Virtuoso: its folder, ports, credentials and endpoints."""

    folder: Path
    sql_port: int
    http_port: int
    user: str = USER
    password: str = PASSWORD

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        """The open SPARQL endpoint (reads; Virtuoso refuses updates there)."""
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        """The SPARQL endpoint behind HTTP Digest (updates allowed for dba)."""
        return f"{self.base}/sparql-auth"

    @property
    def graph_crud_auth(self) -> str:
        """The Graph Store Protocol endpoint behind HTTP Digest."""
        return f"{self.base}/sparql-graph-crud-auth"

    def isql(self, sql: str, *, password: str | None = None) -> str:
        """Run SQL statements through isql-vt as dba; their output. Fails the test on an error."""
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", self.user,
                               password or self.password, "VERBOSE=OFF", "BANNER=OFF",
                               "PROMPT=OFF", "ECHO=OFF", "ERRORS=STDOUT"],
                              input=sql if sql.rstrip().endswith(";") else sql + ";",
                              capture_output=True, text=True, timeout=300)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise AssertionError(f"isql-vt failed on {sql!r}:\n{output}")
        return output

    def bulk_load(self, folder: Path, pattern: str, graph: str) -> None:
        """Load the files of ``folder`` matching ``pattern`` into ``graph`` with Virtuoso's bulk
        loader (the folder must be under this Virtuoso's folder: DirsAllowed)."""
        self.isql(f"ld_dir('{folder}', '{pattern}', '{graph}');\n"
                  "rdf_loader_run();\ncheckpoint;")
        errors = self.isql(f"SELECT ll_file, ll_error FROM DB.DBA.load_list "
                           f"WHERE ll_error IS NOT NULL AND ll_file LIKE '{folder}/%';")
        assert "0 Rows" in errors or not errors.strip(), errors

    def clear(self, graph: str) -> None:
        self.isql(f"SPARQL CLEAR GRAPH <{graph}>;\nDELETE FROM DB.DBA.load_list;")


def _wait(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    last: Exception | None = None
    while True:
        try:
            # http.client, not urllib: edugraph guards urllib's openers against URLs it was not given.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/sparql?query=ASK%7B%7D")
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError as exc:
            last = exc
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise AssertionError(f"virtuoso-t exited ({process.returncode}):\n{text[-2000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"virtuoso-t did not answer on /sparql within 60 s: {last}")
        time.sleep(0.25)


def start() -> Iterator[Virtuoso]:
    """Start a Virtuoso in a new temporary folder; yields it, then stops it and removes the folder."""
    folder = Path(tempfile.mkdtemp(prefix="edugraph-virtuoso-")).resolve()
    server = Virtuoso(folder, free_port(), free_port())
    (folder / "virtuoso.ini").write_text(
        INI.format(db=folder, sql_port=server.sql_port, http_port=server.http_port), encoding="utf-8")
    # +foreground keeps it our child; its own process group lets the whole server be stopped.
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        _wait(server.http_port, process, folder / "virtuoso.log")
        # A new database's dba password is "dba": replace it before anything else is done.
        server.isql(f"SET PASSWORD dba {PASSWORD};", password="dba")
        yield server
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def virtuoso() -> Iterator[Virtuoso]:
    """A running Virtuoso for the module's tests (skipped only when the package is not installed)."""
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.skip("virtuoso-t not installed (Debian package virtuoso-opensource; .ci/run installs it)")
    yield from start()
