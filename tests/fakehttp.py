"""A fake HTTP server on 127.0.0.1 (a free port) that misbehaves as told: hangs, trickles,
redirects, announces or streams a huge body, answers with malformed results or any status, or
writes raw bytes that are not HTTP at all. It records every request it gets, so a test can
assert that a second server never received one (or never an Authorization header).

    def test_x(fake_http) -> None:
        server = fake_http(answer(200, RESULTS, "application/sparql-results+json"))
        ...server.url, server.requests...

A behaviour is a function of the request handler; it reads the request's body
(``handler.body()``) unless it means not to (``deaf``). Every server and every hanging handler
stops when the test ends.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

Behaviour = Callable[["Handler"], None]


@dataclass
class Seen:
    """A request as the server got it."""

    method: str
    path: str
    """The request target as sent (http.server would turn a leading ``//`` into ``/``)."""
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class FakeServer:
    url: str
    port: int
    behaviours: list[Behaviour]
    stop: threading.Event
    requests: list[Seen] = field(default_factory=list, repr=False)

    def behaviour(self, index: int) -> Behaviour:
        """The behaviour for the index-th request (the last one given for all after it)."""
        return self.behaviours[min(index, len(self.behaviours) - 1)]


class Handler(http.server.BaseHTTPRequestHandler):
    server_info: FakeServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def body(self) -> bytes:
        """The request's body, recorded with the request."""
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server_info.requests[-1].body = data
        return data

    def _serve(self) -> None:
        info = self.server_info
        info.requests.append(Seen(self.command, self.requestline.split(" ")[1], dict(self.headers.items())))
        self.close_connection = True
        try:
            info.behaviour(len(info.requests) - 1)(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds``; False when the test is over and the handler must end."""
        return not self.server_info.stop.wait(seconds)


# --- Behaviours --------------------------------------------------------------------------------

def answer(status: int = 200, body: bytes = b"", content_type: str | None = "text/plain",
           headers: tuple[tuple[str, str], ...] = ()) -> Behaviour:
    """A plain answer: the status, a Content-Type (None: none), the headers and the body."""

    def behave(h: Handler) -> None:
        h.body()
        h.send_response(status)
        if content_type is not None:
            h.send_header("Content-Type", content_type)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return behave


def redirect(status: int, location: str) -> Behaviour:
    """A redirect to ``location``."""
    return answer(status, b"moved\n", headers=(("Location", location),))


def challenge(scheme: str = 'Basic realm="store"', then: Behaviour | None = None) -> Behaviour:
    """HTTP 401 with a challenge to a request without Authorization; ``then`` to one with it."""
    refuse = answer(401, b"Unauthorized\n", headers=(("WWW-Authenticate", scheme),))

    def behave(h: Handler) -> None:
        (then if then is not None and h.headers.get("Authorization") else refuse)(h)

    return behave


def early(status: int = 204) -> Behaviour:
    """Answer after the first KiB of the body, and close with the rest unread."""

    def behave(h: Handler) -> None:
        h.rfile.read(1024)
        h.send_response(status)
        h.send_header("Content-Length", "0")
        h.end_headers()
        h.wfile.flush()

    return behave


def hang() -> Behaviour:
    """Read the request, then never answer."""

    def behave(h: Handler) -> None:
        h.body()
        h.wait(3600)

    return behave


def deaf() -> Behaviour:
    """Read nothing of the body, never answer: an upload fills the socket's buffers and stalls."""

    def behave(h: Handler) -> None:
        h.wait(3600)

    return behave


def trickle(raw: bytes, every: float = 0.5, head: bytes = b"") -> Behaviour:
    """Write ``raw`` (a whole answer, status line included) one byte every ``every`` seconds;
    ``head``, the start of it, at once."""

    def behave(h: Handler) -> None:
        h.body()
        h.wfile.write(head)
        for i in range(len(head), len(raw)):
            h.wfile.write(raw[i:i + 1])
            h.wfile.flush()
            if not h.wait(every):
                return

    return behave


def huge(length: int, content_type: str = "application/sparql-results+json", status: int = 200) -> Behaviour:
    """Announce a Content-Length of ``length`` bytes and send spaces until the client leaves."""

    def behave(h: Handler) -> None:
        h.body()
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(length))
        h.end_headers()
        _flood(h)

    return behave


def endless(content_type: str = "application/sparql-results+json", chunked: bool = False) -> Behaviour:
    """A body without a length (until the connection closes, or in chunks) that never ends."""

    def behave(h: Handler) -> None:
        h.body()
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        _flood(h, chunked)

    return behave


def _flood(h: Handler, chunked: bool = False) -> None:
    block = b" " * 65536
    data = b"10000\r\n" + block + b"\r\n" if chunked else block
    deadline = time.monotonic() + 60  # a client that never stops reading: the test fails, not hangs
    while not h.server_info.stop.is_set() and time.monotonic() < deadline:
        h.wfile.write(data)


def raw(data: bytes) -> Behaviour:
    """Write ``data`` as it is (not necessarily HTTP), then close."""

    def behave(h: Handler) -> None:
        h.body()
        h.wfile.write(data)

    return behave


# --- The fixture ---------------------------------------------------------------------------------

@contextlib.contextmanager
def servers() -> Iterator[Callable[..., FakeServer]]:
    """Make fake servers: ``make(behaviour, ...)`` gives one whose n-th request gets the n-th
    behaviour (the last for all after it); all stop when the block ends."""
    started: list[tuple[http.server.ThreadingHTTPServer, FakeServer]] = []

    def make(*behaviours: Behaviour, tls: tuple[Path, Path] | None = None) -> FakeServer:
        """``tls``: (certificate, key) files to speak https with."""
        handler = type("Handler", (Handler,), {})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        port = httpd.server_address[1]
        scheme = "https" if tls is not None else "http"
        info = FakeServer(f"{scheme}://127.0.0.1:{port}", port, list(behaviours) or [answer()], threading.Event())
        handler.server_info = info
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append((httpd, info))
        return info

    try:
        yield make
    finally:
        for httpd, info in started:
            info.stop.set()
            httpd.shutdown()
            httpd.server_close()


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by openssl in ``folder``."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@contextlib.contextmanager
def silent() -> Iterator[int]:
    """A port on 127.0.0.1 that takes connections (the kernel's backlog) and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@pytest.fixture
def fake_http() -> Iterator[Callable[..., FakeServer]]:
    """:func:`servers` for one test."""
    with servers() as make:
        yield make
