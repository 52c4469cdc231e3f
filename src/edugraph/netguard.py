"""A second line of defence against reaching the network: a URL opener that refuses.

The first line is that edugraph never asks for a URL: queries with SERVICE, FROM or updates are
rejected before they run, JSON-LD with a remote context is rejected, pySHACL runs without
owl:imports. If a library still tries (rdflib fetches with ``urllib.request``), this opener
refuses every URL except those under an endpoint the user named with ``--endpoint``.

Importing ``urllib.request`` (with ``http.client``, ``email`` and ``ssl``) takes 15-20 ms, a tenth
of a query from the command line, and most commands never load it. So ``install`` puts the opener
in place at once when ``urllib.request`` is already loaded, and otherwise the moment anything
imports it (an import hook), before any code can call ``urlopen``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any

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
