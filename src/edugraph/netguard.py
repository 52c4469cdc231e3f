"""A second line of defence against reaching the network: a URL opener that refuses, and
threads that cannot open a socket.

The first line is that edugraph never asks for a URL: queries with SERVICE, FROM or updates are
rejected before they run (:mod:`edugraph.query.screen`), JSON-LD with a remote context is
rejected, pySHACL runs without owl:imports. If a library still tries (rdflib fetches with
``urllib.request``), this opener refuses every URL except those under an endpoint the user named
with ``--endpoint``.

Oxigraph makes its own HTTP calls for SERVICE, in Rust, past any Python opener; pyoxigraph offers
no setting, no service handler and no environment variable that stops them (its HTTP client reads
no proxy settings). So a local query runs in a thread of its own (:func:`offline`) that a seccomp
filter forbids to create or connect a socket (Linux on x86-64 and ARM64): whatever the text, the
engine's call fails with "Network is down" (ENETDOWN), before any name is looked up.

Importing ``urllib.request`` (with ``http.client``, ``email`` and ``ssl``) takes 15-20 ms, a tenth
of a query from the command line, and most commands never load it. So ``install`` puts the opener
in place at once when ``urllib.request`` is already loaded, and otherwise the moment anything
imports it (an import hook), before any code can call ``urlopen``.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

_MODULE = "urllib.request"
_allowed: tuple[str, ...] = ()
_handler_class: type | None = None


def _refusing_handler() -> type:
    """``RefusingHandler``, a ``urllib.request.BaseHandler``: defined once urllib.request is loaded."""
    global _handler_class
    if _handler_class is None:
        # through sys.modules: this also runs while urllib.request is still being imported
        request = importlib.import_module(_MODULE)
        error = importlib.import_module("urllib.error")

        class RefusingHandler(request.BaseHandler):
            """Refuses every request whose URL does not start with one of ``allowed``."""

            handler_order = 100  # before the real HTTP, FTP and file handlers

            def __init__(self, allowed: Iterable[str] = ()) -> None:
                self.allowed = tuple(allowed)

            def _refuse(self, req):
                url = req.full_url
                if self.allowed and url.startswith(self.allowed):
                    return None  # let the next handler open it
                raise error.URLError(f"edugraph does not open URLs it was not given: {url}")

            http_open = https_open = ftp_open = file_open = data_open = _refuse

        RefusingHandler.__module__ = __name__
        RefusingHandler.__qualname__ = "RefusingHandler"
        _handler_class = RefusingHandler
    return _handler_class


def __getattr__(name: str) -> Any:
    if name == "RefusingHandler":
        return _refusing_handler()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def install(allowed: Iterable[str] = ()) -> None:
    """Make ``urllib.request.urlopen`` refuse everything but the ``allowed`` URL prefixes."""
    global _allowed
    _allowed = tuple(allowed)
    if _MODULE in sys.modules:
        _install_opener()
    elif not any(isinstance(finder, _InstallOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _InstallOnImport())


def _install_opener() -> None:
    request = sys.modules[_MODULE]
    request.install_opener(request.build_opener(_refusing_handler()(_allowed)))


class _InstallOnImport:  # a meta path finder (importlib.abc is not imported: it costs ~3 ms)
    """Finds nothing itself; when ``urllib.request`` is imported, has its loader install the
    refusing opener right after the module has run, then steps aside."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != _MODULE:
            return None
        sys.meta_path[:] = [f for f in sys.meta_path if f is not self]
        for finder in sys.meta_path:
            spec = finder.find_spec(fullname, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _InstallingLoader(spec.loader)
                return spec
        return None


class _InstallingLoader:  # a loader, wrapping the one that found urllib.request
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        _install_opener()


# --- threads without sockets ---------------------------------------------------------------------

REFUSED_ERRNO = 100
"""ENETDOWN: what ``socket()`` and ``connect()`` give in an :func:`offline` thread."""
_STACK = 64 << 20  # rdflib's engine recurses deeply (see edugraph.query.screen.deep_recursion)
# audit architecture, then the system calls refused: socket, connect, io_uring_setup
_ARCHES = {"x86_64": (0xC000003E, (41, 42, 425), 317), "aarch64": (0xC00000B7, (198, 203, 425), 277)}
_filter: Any = None  # (ctypes libc, program) once built; False where seccomp is not available


def _program() -> Any:
    """The seccomp filter (a BPF program) and libc, or False on another system or architecture."""
    global _filter
    if _filter is None:
        _filter = False
        arch = _ARCHES.get(os.uname().machine) if sys.platform == "linux" else None
        if arch is not None:
            import ctypes
            import struct

            audit, refused, _ = arch
            errno = 0x00050000 | REFUSED_ERRNO  # SECCOMP_RET_ERRNO

            def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
                return struct.pack("HBBI", code, jt, jf, k)

            # load the architecture; another one (a 32-bit call) is refused whole
            rules = [op(0x20, 4), op(0x15, audit, 1, 0), op(0x06, errno), op(0x20, 0)]
            if audit == 0xC000003E:  # x32 calls share the architecture: their numbers have bit 30
                rules += [op(0x35, 0x40000000, 0, 1), op(0x06, errno)]
            for number in refused:
                rules += [op(0x15, number, 0, 1), op(0x06, errno)]
            rules.append(op(0x06, 0x7FFF0000))  # SECCOMP_RET_ALLOW
            code = ctypes.create_string_buffer(b"".join(rules))

            class Program(ctypes.Structure):
                _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

            _filter = (ctypes.CDLL(None, use_errno=True), Program(len(rules), ctypes.addressof(code)), code)
    return _filter


def _forbid_sockets() -> bool:
    """Forbid the calling thread (and threads it starts) to create or connect sockets; False where
    this system cannot."""
    program = _program()
    if not program:
        return False
    import ctypes

    libc, filter_program, _ = program
    _, _, seccomp = _ARCHES[os.uname().machine]
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS, needed to install a filter
        return False
    return libc.syscall(seccomp, 1, 0, ctypes.byref(filter_program)) == 0  # SECCOMP_SET_MODE_FILTER


def offline(call: Callable[[], T]) -> T:
    """``call()`` run in a new thread that cannot open a network connection (where the system
    allows: see :func:`offline_available`); its result, or its exception raised here."""
    import threading

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["locked"] = _forbid_sockets()
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            import traceback

            # drop the finished frames' locals here: pyoxigraph's results may only be freed in the
            # thread that made them
            traceback.clear_frames(exc.__traceback__)
            outcome["error"] = exc

    old = threading.stack_size(_STACK)
    try:
        worker = threading.Thread(target=run, name="edugraph-offline", daemon=True)
        worker.start()
    finally:
        threading.stack_size(old)
    worker.join()
    if "error" in outcome:
        error = outcome.pop("error")
        raise error.with_traceback(error.__traceback__)
    return outcome["value"]


def offline_available() -> bool:
    """Whether :func:`offline` threads are really without sockets on this system."""
    return offline(_socket_refused)


def _socket_refused() -> bool:
    import socket

    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError as exc:
        return exc.errno == REFUSED_ERRNO
    return False
