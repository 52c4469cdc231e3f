"""One HTTP request to an endpoint the user named, with the standard library's ``http.client``
over a socket edugraph opens itself: to the host and port of the URL and nowhere else.

Nothing here surprises: a redirect is an error naming where it points, never followed, so the
credentials and the upload go only where the user pointed; credentials are sent only in answer
to the server's challenge (:mod:`edugraph.query.auth`); an answer counts only with the status
the request expects (an upload: 200, 201 or 204); the timeout is one deadline for the whole
request (resolving, connecting, sending and reading together), not a limit per read, so a server
that trickles a byte at a time is cut off; an answer over :data:`MAX_BODY` is refused without
being read whole; every failure is one plain line (:mod:`edugraph.query.answers`).

The URL refuser of :mod:`edugraph.netguard` guards ``urllib``, which this module does not use.
"""

from __future__ import annotations

import io
import re
import sys
import time
from typing import TYPE_CHECKING, NamedTuple

from edugraph.errors import EngineError, UsageError
from edugraph.query.answers import Reply, refusal, shorten
from edugraph.query.auth import PASSWORD_VAR, USER_VAR, Credentials, answer, digest, schemes
from edugraph.query.urls import Endpoint, display_url, parse_endpoint, split_userinfo

if TYPE_CHECKING:  # socket and http.client load only when a request is made
    import http.client
    import socket

__all__ = ["MAX_BODY", "PASSWORD_VAR", "USER_VAR", "Credentials", "Request", "answer", "digest",
           "display_url", "schemes", "send"]

MAX_BODY = 256 * 2**20
"""The largest answer edugraph reads, 256 MiB: a bigger one is refused by its Content-Length
before any of it is read, or the moment a body sent without one passes the limit."""
_ERROR_BODY = 64 * 1024  # of an error page only the start is read: a message quotes 300 characters
_CHUNK = 64 * 1024
_LONGEST = 365 * 86400.0
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNREACHABLE = "check the URL and that the server is running"


class Request(NamedTuple):
    """What to send: ``what`` names it in messages ("the upload"), ``verb`` what a refusal
    forbids ("write"); ``confirms`` the statuses that count as its answer, ``unconfirmed`` the
    hint when another comes back; ``reads`` whether the answer's body is wanted (an upload's is
    not: only its start is read, however long it is)."""

    url: str
    method: str
    data: bytes
    headers: dict[str, str]
    what: str
    verb: str
    confirms: tuple[int, ...] = (200,)
    unconfirmed: str = "check the URL and the server"
    reads: bool = True


def send(req: Request, credentials: Credentials | None, timeout: float, hint_500: str | None = None,
         limit: int | None = None) -> tuple[bytes, str]:
    """The body and Content-Type of the answer; an EngineError naming what went wrong otherwise
    (a UsageError for a URL no request can go to).

    ``timeout`` bounds the whole exchange, a challenge answered included; ``limit`` is the
    largest body read (:data:`MAX_BODY` by default); ``hint_500`` is the hint of an HTTP 500
    (what the server most likely needs).
    """
    import http.client

    endpoint = parse_endpoint(req.url)
    credentials = credentials or endpoint.credentials
    if credentials is not None and _CONTROL.search(credentials.user):
        # it would go into a header as it is: the Digest answer quotes it
        raise UsageError(f"the user name '{credentials.user}' holds a control character",
                         hint=f"check {USER_VAR}, or the URL's user")
    bare = split_userinfo(req.url)[0]
    shown = display_url(req.url)
    deadline = Deadline(timeout)
    authorization: str | None = None
    try:
        for attempt in range(2):
            reply = _exchange(endpoint, req, authorization, deadline, limit or MAX_BODY, shown)
            if reply.status in req.confirms:
                return reply.body, reply.headers.get("Content-Type", "")
            challenges = reply.headers.get_all("WWW-Authenticate") or []
            if reply.status == 401 and attempt == 0 and credentials is not None and challenges:
                authorization = answer(challenges, credentials, req.method, bare)
                if authorization is not None:
                    continue  # the same URL again: a 401 is never answered anywhere else
            raise refusal(reply, req.url, req.what, req.verb, req.confirms, req.unconfirmed,
                          authorization is not None, credentials, hint_500)
    except TimeoutError:  # socket.timeout is TimeoutError since Python 3.10
        raise EngineError(f"{shown} did not answer {req.what} within {timeout:g} s",
                          hint="raise --timeout, or check the server") from None
    except http.client.HTTPException as exc:
        raise _malformed(exc, shown, req.what) from None
    except OSError as exc:  # refused, no such host, TLS: before a byte was sent
        raise EngineError(f"cannot reach {shown}: {display_url(_reason(exc))}", hint=_UNREACHABLE) from None
    raise AssertionError("unreachable")  # the loop returns or raises


class Deadline:
    """A moment on the monotonic clock ``seconds`` from now; :meth:`left` raises TimeoutError
    once it has passed."""

    def __init__(self, seconds: float) -> None:
        # no longer than a year: an infinite (or NaN) timeout fits no socket's timeout
        self.end = time.monotonic() + (seconds if seconds < _LONGEST else _LONGEST)

    def left(self) -> float:
        """The seconds left, more than 0."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline has passed")
        return left


def _exchange(endpoint: Endpoint, req: Request, authorization: str | None, deadline: Deadline,
              limit: int, shown: str) -> Reply:
    """One request on a connection of its own, and its answer."""
    import http.client

    sock = _connect(endpoint, deadline)
    connection = http.client.HTTPConnection(endpoint.host, endpoint.port)
    if endpoint.scheme == "https":
        connection.default_port = 443  # the Host header names the port only when it is not this
    connection.sock = _Wire(sock, deadline)  # type: ignore[assignment]  # what http.client uses of a socket
    headers = {**req.headers, "Connection": "close"}
    if authorization is not None:
        headers["Authorization"] = authorization
    try:
        broken: OSError | None = None
        try:
            connection.request(req.method, endpoint.target, body=req.data, headers=headers)
        except (BrokenPipeError, ConnectionResetError) as exc:
            broken = exc  # the server may have answered early (a 401, a 413) and closed
        try:
            response = connection.getresponse()
        except OSError:
            if broken is None:
                raise
            raise broken from None
        confirmed = response.status in req.confirms
        if broken is not None and confirmed:
            raise broken  # a success for a request that was not sent whole confirms nothing
        body = _read(response, limit, shown, req.what) if confirmed and req.reads else _start(response)
        return Reply(response.status, response.reason, response.msg, body)
    except (TimeoutError, http.client.HTTPException, EngineError):
        raise
    except OSError as exc:  # after connecting: not "cannot reach"
        raise EngineError(f"{shown} broke off the connection during {req.what}: {_reason(exc)}",
                          hint="try again, or check the server") from None
    finally:
        connection.close()
        sock.close()


def _read(response: http.client.HTTPResponse, limit: int, shown: str, what: str) -> bytes:
    """The whole body, in chunks, refused once it is over ``limit``."""
    announced = response.length  # None: no Content-Length (chunked, or until the server closes)
    if announced is not None and announced > limit:
        raise _too_big(shown, what, limit, announced)
    chunks: list[bytes] = []
    total = 0
    while chunk := _chunk(response, _CHUNK, shown, what):
        total += len(chunk)
        if total > limit:
            raise _too_big(shown, what, limit)
        chunks.append(chunk)
    if response.length:  # http.client counts down what the Content-Length still owes
        raise EngineError(f"{shown} broke off its answer to {what} after {total} of {announced} bytes",
                          hint="try again, or check the server")
    return b"".join(chunks)


def _chunk(response: http.client.HTTPResponse, size: int, shown: str, what: str) -> bytes:
    """The next piece of the body, at most ``size`` bytes."""
    try:
        return response.read(size)
    except ValueError:  # http.client's refusal of a chunk of negative size
        raise EngineError(f"{shown} sent a malformed HTTP answer to {what}: a chunk of its body has no valid "
                          "size", hint="check the server") from None


def _start(response: http.client.HTTPResponse) -> bytes:
    """The start of an error page, however long or broken it is: enough for its message."""
    import http.client

    try:
        return response.read(_ERROR_BODY)
    except (http.client.IncompleteRead, ValueError):
        return b""


def _too_big(shown: str, what: str, limit: int, announced: int | None = None) -> EngineError:
    size = f"{limit >> 20} MiB" if limit % 2**20 == 0 else f"{limit} bytes"
    does = (f"announces {announced} bytes in answer to {what}, more than edugraph reads ({size})"
            if announced is not None else f"sends more than edugraph reads ({size}) in answer to {what}")
    return EngineError(f"{shown} {does}", hint="ask for less (a LIMIT, fewer variables), or query a smaller graph")


def _malformed(exc: http.client.HTTPException, shown: str, what: str) -> EngineError:
    import http.client

    if isinstance(exc, http.client.RemoteDisconnected):
        return EngineError(f"{shown} closed the connection without answering {what}",
                           hint="check the server's log")
    if isinstance(exc, http.client.IncompleteRead):
        return EngineError(f"{shown} broke off its answer to {what}", hint="try again, or check the server")
    if isinstance(exc, http.client.BadStatusLine):
        return EngineError(f"{shown} did not answer {what} in HTTP: its first line is "
                           f"'{shorten(str(exc.line))}'", hint="check the URL and its scheme (http or https)")
    return EngineError(f"{shown} sent a malformed HTTP answer to {what}: {shorten(str(exc))}",
                       hint="check the server")


def _reason(exc: OSError) -> str:
    ssl = sys.modules.get("ssl")  # loaded only for https: no other error is a TLS one
    if ssl is not None and isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS: {exc.verify_message}"
    if ssl is not None and isinstance(exc, ssl.SSLError) and exc.reason:  # words, not OpenSSL's source line
        return f"TLS: {exc.reason.lower().replace('_', ' ')}"
    return shorten(exc.strerror or str(exc) or type(exc).__name__)


# --- The connection ----------------------------------------------------------------------------

def _connect(endpoint: Endpoint, deadline: Deadline) -> socket.socket:
    """A socket connected to the endpoint's host and port (TLS for https), in the time left."""
    import socket

    error: OSError | None = None
    for family, kind, proto, _, address in _resolve(endpoint.host, endpoint.port, deadline):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.left())
            sock.connect(address)
        except TimeoutError:
            sock.close()
            raise
        except OSError as exc:  # the host's next address may answer
            sock.close()
            error = exc
            continue
        return _tls(sock, endpoint.host, deadline) if endpoint.scheme == "https" else sock
    raise error or OSError(f"'{endpoint.host}' has no address")


def _resolve(host: str, port: int, deadline: Deadline) -> list[tuple]:
    """The addresses of ``host``; a resolver that does not answer in the time left is left behind
    (``getaddrinfo`` takes no timeout)."""
    import socket
    import threading

    found: list[tuple] = []
    failed: list[OSError] = []

    def look_up() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            failed.append(exc)
        except UnicodeError:  # the IDNA codec's refusal of a name (a label over 63 characters)
            failed.append(OSError(f"'{host}' is not a valid host name"))

    worker = threading.Thread(target=look_up, name="edugraph-resolve", daemon=True)
    worker.start()
    worker.join(deadline.left())
    if worker.is_alive():
        raise TimeoutError("the host name was not resolved in time")
    if failed:
        raise failed[0]
    return found


def _tls(sock: socket.socket, host: str, deadline: Deadline) -> socket.socket:
    import ssl

    try:
        # the handshake as a whole is bounded by the socket's timeout (Python 3.5+)
        sock.settimeout(deadline.left())
        return ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    except BaseException:
        sock.close()
        raise


class _Wire:
    """The connection's socket as ``http.client`` uses it, each send and receive given only the
    time the request has left: the socket's own timeout holds for one operation."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self.sock, self.deadline = sock, deadline

    def sendall(self, data: bytes) -> None:
        view = memoryview(data).cast("B")
        sent = 0
        while sent < len(view):
            self.sock.settimeout(self.deadline.left())
            sent += self.sock.send(view[sent:sent + _CHUNK])

    def makefile(self, mode: str, *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_Reader(self.sock, self.deadline))

    def close(self) -> None:
        pass  # http.client closes its side once the answer starts; the socket outlives it (_exchange)


class _Reader(io.RawIOBase):
    """The socket's receiving side, each read given only the time left."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        super().__init__()
        self.sock, self.deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        self.sock.settimeout(self.deadline.left())
        return self.sock.recv_into(buffer)
