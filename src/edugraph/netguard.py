"""A second line of defence against reaching the network: a URL opener that refuses.

The first line is that edugraph never asks for a URL: queries with SERVICE, FROM or updates are
rejected before they run, JSON-LD with a remote context is rejected, pySHACL runs without
owl:imports. If a library still tries (rdflib fetches with ``urllib.request``), this opener
refuses every URL except those under an endpoint the user named with ``--endpoint``.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable


class RefusingHandler(urllib.request.BaseHandler):
    """Refuses every request whose URL does not start with one of ``allowed``."""

    handler_order = 100  # before the real HTTP, FTP and file handlers

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self.allowed = tuple(allowed)

    def _refuse(self, request: urllib.request.Request):
        url = request.full_url
        if self.allowed and url.startswith(self.allowed):
            return None  # let the next handler open it
        raise urllib.error.URLError(f"edugraph does not open URLs it was not given: {url}")

    http_open = https_open = ftp_open = file_open = data_open = _refuse


def install(allowed: Iterable[str] = ()) -> None:
    """Make ``urllib.request.urlopen`` refuse everything but the ``allowed`` URL prefixes."""
    urllib.request.install_opener(urllib.request.build_opener(RefusingHandler(allowed)))
