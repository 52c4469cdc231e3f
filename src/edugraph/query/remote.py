"""Talking to a triple store over HTTP: SPARQL 1.1 Graph Store Protocol uploads and SPARQL 1.1
Protocol queries, with credentials from the environment (or a prompt), or the URL's userinfo.

Errors say what happened in plain words with the server's own message: the endpoint cannot be
reached, it answered with an HTTP error, it refused the credentials, or it took too long (the
requests themselves, HTTP Basic and Digest included: :mod:`edugraph.query.transport`). Results
are asked for as SPARQL XML, so that every term comes back as the RDF term it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pyoxigraph as ox

from edugraph.errors import EngineError, UsageError
from edugraph.query.results import QueryResult
from edugraph.query.sparql import needed_prefixes, screen, with_prefixes
from edugraph.query.transport import PASSWORD_VAR, USER_VAR, Credentials, Request, display_url, send
from edugraph.vocab import ontology

__all__ = ["PASSWORD_VAR", "USER_VAR", "Credentials", "DEFAULT_TIMEOUT", "check_endpoint",
           "credentials_from_env", "display_url", "push", "query", "canonical"]

DEFAULT_TIMEOUT = 60.0
NAMED_GRAPH_HINT = "the store may need a named graph: pass --graph IRI"
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# SPARQL XML results first: some stores (Virtuoso) write an xsd:boolean as 1/0 in JSON and CSV
# but true/false in XML. pyoxigraph's XML reader resolves no DTD or external entity.
_RESULTS = {"application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/json": ox.QueryResultsFormat.JSON,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV}
_ACCEPT = ("application/sparql-results+xml, application/sparql-results+json;q=0.9, "
           "text/tab-separated-values;q=0.5")


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
    """``url``, when it is an http(s) URL with a host; a UsageError (the URL masked) otherwise."""
    import urllib.parse  # this module's HTTP parts load only when an endpoint is used

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"'{display_url(url)}' is not an http(s) endpoint URL",
                         hint="give the full URL, e.g. http://127.0.0.1:7878/store")
    return url


def push(endpoint: str, ntriples: bytes, *, graph: str | None = None, replace: bool = False,
         with_ontology: bool = False, credentials: Credentials | None = None,
         timeout: float = DEFAULT_TIMEOUT) -> int:
    """Upload N-Triples with the Graph Store Protocol: POST adds, PUT (``replace``) replaces.

    ``graph`` names the target graph; without it the default graph is used. ``with_ontology``
    sends the ontology (the project's concepts included) in the same request, so that the labels
    of roles and kinds resolve on the server. Returns the number of ontology triples sent.
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
    extra = ox.serialize(ontology.triples(), format=ox.RdfFormat.N_TRIPLES) if with_ontology else b""
    request = Request(f"{endpoint}{separator}{query}", "PUT" if replace else "POST", ntriples + extra,
                      {"Content-Type": "application/n-triples"}, "the upload", "write")
    # A store that takes no upload into its default graph (Virtuoso) answers HTTP 500.
    send(request, credentials, timeout, hint_500=None if graph else NAMED_GRAPH_HINT)
    return extra.count(b"\n")


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
    accept = _ACCEPT if form in ("SELECT", "ASK") else "application/n-triples"
    request = Request(endpoint, "POST", urllib.parse.urlencode(fields).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                      "the query", "query")
    body, content_type = send(request, credentials, timeout)
    media = content_type.split(";")[0].strip().lower()
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
            return QueryResult(form, triples=[t for t in ox.parse(body, format=fmt)])
        parsed = ox.parse_query_results(body, format=_RESULTS.get(media, ox.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError) as exc:
        raise EngineError(f"{display_url(endpoint)} sent results edugraph cannot read: {exc}") from None
    if isinstance(parsed, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(parsed))
    variables = [v.value for v in parsed.variables]
    return QueryResult("SELECT", variables, [tuple(canonical(term) for term in solution)
                                             for solution in parsed])


def canonical(term: ox.Term | None) -> ox.Term | None:
    """An xsd:boolean written ``1`` or ``0`` (Virtuoso's JSON and CSV) as ``true`` or ``false``,
    the form edugraph's graph and every local engine give; any other term as it is."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term
