"""Talking to a triple store over HTTP: SPARQL 1.1 Graph Store Protocol uploads and SPARQL 1.1
Protocol queries, with credentials from the environment (or a prompt), never the command line.

Errors say what happened in plain words with the server's own message: the endpoint cannot be
reached, it answered with an HTTP error, it refused the credentials, or it took too long.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NamedTuple

import pyoxigraph as ox

from edugraph.errors import EngineError, UsageError
from edugraph.query.results import QueryResult
from edugraph.query.sparql import needed_prefixes, screen, with_prefixes

USER_VAR = "EDUGRAPH_ENDPOINT_USER"
PASSWORD_VAR = "EDUGRAPH_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0


class Credentials(NamedTuple):
    user: str
    password: str


def credentials_from_env(prompt: Callable[[str], str] | None = None) -> Credentials | None:
    """User and password from EDUGRAPH_ENDPOINT_USER / _PASSWORD; the password may be prompted."""
    user = os.environ.get(USER_VAR)
    if not user:
        return None
    password = os.environ.get(PASSWORD_VAR)
    if password is None:
        if prompt is None:
            raise UsageError(f"{USER_VAR} is set but {PASSWORD_VAR} is not",
                             hint=f"set {PASSWORD_VAR}, or run at a terminal to be asked for it")
        password = prompt(f"password for {user}: ")
    return Credentials(user, password)


def check_endpoint(url: str) -> str:
    import urllib.parse  # this module's HTTP parts load only when an endpoint is used

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"'{url}' is not an http(s) endpoint URL",
                         hint="give the full URL, e.g. http://127.0.0.1:7878/store")
    return url


def _request(url: str, *, method: str, data: bytes | None, headers: dict[str, str],
             credentials: Credentials | None, timeout: float, what: str) -> tuple[bytes, str]:
    # urllib.request is loaded only when a request is made: a local query never pays for it.
    import base64
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    if credentials is not None:
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    # Our own opener: the process-wide one refuses URLs (see netguard); this one opens exactly
    # the endpoint the user named.
    opener = urllib.request.build_opener()
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        message = body.splitlines()[0][:500] if body else exc.reason
        if exc.code in (401, 403):
            raise EngineError(f"{url} refused the credentials for {what} (HTTP {exc.code}): {message}",
                              hint=f"set {USER_VAR} and {PASSWORD_VAR}") from None
        raise EngineError(f"{url} answered {what} with HTTP {exc.code} {exc.reason}: {message}") from None
    except TimeoutError:  # socket.timeout is TimeoutError since Python 3.10
        raise EngineError(f"{url} did not answer {what} within {timeout:g} s",
                          hint="raise --timeout, or check the server") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise EngineError(f"{url} did not answer {what} within {timeout:g} s",
                              hint="raise --timeout, or check the server") from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise EngineError(f"cannot reach {url}: {text}",
                          hint="check the URL and that the server is running") from None
    except (ConnectionError, OSError) as exc:
        raise EngineError(f"cannot reach {url}: {exc}",
                          hint="check the URL and that the server is running") from None


def push(endpoint: str, ntriples: bytes, *, graph: str | None = None, replace: bool = False,
         credentials: Credentials | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Upload N-Triples with the Graph Store Protocol: POST adds, PUT (``replace``) replaces.

    ``graph`` names the target graph; without it the default graph is used.
    """
    import urllib.parse

    check_endpoint(endpoint)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise UsageError(f"'{graph}' is not a valid graph IRI ({exc})") from None
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    separator = "&" if "?" in endpoint else "?"
    _request(f"{endpoint}{separator}{query}", method="PUT" if replace else "POST", data=ntriples,
             headers={"Content-Type": "application/n-triples"}, credentials=credentials,
             timeout=timeout, what="the upload")


def query(endpoint: str, text: str, *, default_graph: str | None = None,
          credentials: Credentials | None = None, timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a query with the SPARQL 1.1 Protocol (POST, form-encoded) and read the results."""
    import urllib.parse

    check_endpoint(endpoint)
    form = screen(text, remote=True)
    # The server knows none of edugraph's prefixes: declare those the query uses undeclared.
    fields = {"query": with_prefixes(text, needed_prefixes(text))}
    if default_graph:
        fields["default-graph-uri"] = default_graph
    accept = ("application/sparql-results+json" if form in ("SELECT", "ASK")
              else "application/n-triples")
    body, content_type = _request(
        endpoint, method="POST", data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        credentials=credentials, timeout=timeout, what="the query")
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip()) or ox.RdfFormat.N_TRIPLES
            return QueryResult(form, triples=[t for t in ox.parse(body, format=fmt)])
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise EngineError(f"{endpoint} sent results edugraph cannot read: {exc}") from None
    if isinstance(parsed, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(parsed))
    variables = [v.value for v in parsed.variables]
    return QueryResult("SELECT", variables, [tuple(solution) for solution in parsed])
