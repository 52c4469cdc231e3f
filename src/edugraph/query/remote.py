"""Talking to a triple store over HTTP: SPARQL 1.1 Graph Store Protocol uploads and SPARQL 1.1
Protocol queries, with credentials from the environment (or a prompt), or the URL's userinfo.

Errors say what happened in plain words with the server's own message: the endpoint cannot be
reached, it answered with an HTTP error, it refused the credentials, or it took too long (the
requests themselves, HTTP Basic and Digest included: :mod:`edugraph.query.transport`). Results
are asked for as SPARQL XML, so that every term comes back as the RDF term it is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pyoxigraph as ox

from edugraph.errors import EngineError, UsageError
from edugraph.query.answers import server_message, shorten
from edugraph.query.results import QueryResult
from edugraph.query.sparql import needed_prefixes, screen, with_prefixes
from edugraph.query.transport import PASSWORD_VAR, USER_VAR, Credentials, Request, display_url, send
from edugraph.query.urls import parse_endpoint
from edugraph.vocab import ontology

__all__ = ["PASSWORD_VAR", "UPLOADED", "USER_VAR", "Credentials", "DEFAULT_TIMEOUT", "check_endpoint",
           "credentials_from_env", "display_url", "push", "query", "read_results", "canonical"]

DEFAULT_TIMEOUT = 60.0
NAMED_GRAPH_HINT = "the store may need a named graph: pass --graph IRI"
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# SPARQL XML results first: some stores (Virtuoso) write an xsd:boolean as 1/0 in JSON and CSV
# but true/false in XML. pyoxigraph's XML reader resolves no DTD or external entity.
_RESULTS = {"application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "application/xml": ox.QueryResultsFormat.XML, "text/xml": ox.QueryResultsFormat.XML,
            "application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/json": ox.QueryResultsFormat.JSON,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV}
# Results sent without a Content-Type, by their first character.
_SNIFFED = {b"<": "application/xml", b"{": "application/json", b"?": "text/tab-separated-values",
            b"$": "text/tab-separated-values"}
# Graphs: RDF/XML is not read (its entities expand), nor formats of several graphs.
_GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
           "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE}
_QUERY_URL = "check the URL: it should be the store's SPARQL query endpoint"
UPLOADED = (200, 201, 204)
"""The statuses that confirm an upload; any other answer is an error."""
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
    """``url``, when a request can be sent to it (an http(s) URL with a host, a port from 1 to
    65535, nothing but ASCII, no space or control character); a UsageError (the URL masked)
    naming what is wrong otherwise."""
    parse_endpoint(url)
    return url


def push(endpoint: str, ntriples: bytes, *, graph: str | None = None, replace: bool = False,
         with_ontology: bool = False, credentials: Credentials | None = None,
         timeout: float = DEFAULT_TIMEOUT) -> int:
    """Upload N-Triples with the Graph Store Protocol: POST adds, PUT (``replace``) replaces.

    ``graph`` names the target graph; without it the default graph is used. ``with_ontology``
    sends the ontology (the project's concepts included) in the same request, so that the labels
    of roles and kinds resolve on the server. Returns the number of ontology triples sent, once
    the server has confirmed the upload (HTTP 200, 201 or 204 to this very request).
    """
    import urllib.parse

    check_endpoint(endpoint)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise UsageError(f"'{graph}' is not a valid graph IRI ({exc})") from None
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    separator = "&" if "?" in endpoint.partition("#")[0] else "?"
    extra = ox.serialize(ontology.triples(), format=ox.RdfFormat.N_TRIPLES) if with_ontology else b""
    request = Request(f"{endpoint.partition('#')[0]}{separator}{query}", "PUT" if replace else "POST",
                      ntriples + extra, {"Content-Type": "application/n-triples"}, "the upload", "write",
                      confirms=UPLOADED, unconfirmed="the upload is not confirmed: check what the store holds",
                      reads=False)
    # A store that takes no upload into its default graph (Virtuoso) answers HTTP 500.
    send(request, credentials, timeout, hint_500=None if graph else NAMED_GRAPH_HINT)
    return extra.count(b"\n")


def query(endpoint: str, text: str, *, default_graph: str | None = None,
          credentials: Credentials | None = None, timeout: float = DEFAULT_TIMEOUT,
          limit: int | None = None) -> QueryResult:
    """Run a query with the SPARQL 1.1 Protocol (POST, form-encoded) and read the results
    (:func:`read_results`); ``limit`` is the largest answer read
    (:data:`edugraph.query.transport.MAX_BODY` by default)."""
    import urllib.parse

    check_endpoint(endpoint)
    form = screen(text, remote=True)
    # The server knows none of edugraph's prefixes: declare those the query uses undeclared.
    fields = {"query": with_prefixes(text, needed_prefixes(text))}
    if default_graph:
        fields["default-graph-uri"] = default_graph
    accept = _ACCEPT if form in ("SELECT", "ASK") else "application/n-triples, text/turtle;q=0.5"
    request = Request(endpoint, "POST", urllib.parse.urlencode(fields).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                      "the query", "query", unconfirmed=_QUERY_URL)
    body, content_type = send(request, credentials, timeout, limit=limit)
    return read_results(body, content_type, form, display_url(endpoint))


def read_results(body: bytes, content_type: str, form: str, shown: str) -> QueryResult:
    """The results of a ``form`` query (SELECT, ASK, CONSTRUCT, DESCRIBE) an endpoint (``shown``
    in messages) sent; an EngineError saying what is wrong with them otherwise: an HTML page, an
    empty answer, a format edugraph does not read, a syntax error or an invalid term anywhere in
    them, a boolean for rows or rows for a boolean."""
    media = content_type.split(";")[0].strip().lower()
    if "html" in media or (not media and re.match(rb"\s*<(!doctype\s+html|html)", body, re.I)):
        page = server_message(body[:65536], "text/html")
        raise EngineError(f"{shown} sent an HTML page where the query's results were expected"
                          + (f": {page}" if page else ""), hint=_QUERY_URL)
    if form in ("CONSTRUCT", "DESCRIBE"):
        graph = _GRAPHS.get(media) if media else ox.RdfFormat.N_TRIPLES
        if graph is None:
            raise _unreadable(shown, media, "N-Triples or Turtle for CONSTRUCT and DESCRIBE")
        try:
            return QueryResult(form, triples=list(ox.parse(body, format=graph)))
        except (SyntaxError, ValueError) as exc:
            raise _cannot_read(shown, exc) from None
    if not body.strip():
        raise EngineError(f"{shown} sent an empty answer where the query's results were expected",
                          hint=_QUERY_URL)
    fmt = _RESULTS.get(media) if media else _RESULTS.get(_SNIFFED.get(body.lstrip()[:1], ""))
    if fmt is None:
        raise _unreadable(shown, media, "SPARQL results as XML, JSON or TSV")
    try:
        parsed = ox.parse_query_results(body, format=fmt)
        if isinstance(parsed, ox.QueryBoolean):
            result = QueryResult("ASK", boolean=bool(parsed))
        else:  # the solutions are parsed as they are read: an invalid term anywhere fails here
            result = QueryResult("SELECT", [v.value for v in parsed.variables],
                                 [tuple(canonical(term) for term in solution) for solution in parsed])
    except (SyntaxError, ValueError) as exc:
        raise _cannot_read(shown, exc) from None
    if (result.form == "ASK") != (form == "ASK"):
        got = "a boolean" if result.form == "ASK" else "rows"
        raise EngineError(f"{shown} answered {'an ASK' if form == 'ASK' else 'a ' + form} query with {got}",
                          hint="check the server")
    return result


def _unreadable(shown: str, media: str, reads: str) -> EngineError:
    sent = f"as '{shorten(media)}', which" if media else "with no Content-Type, in a form"
    return EngineError(f"{shown} sent the query's results {sent} edugraph does not read", hint=f"it reads {reads}")


def _cannot_read(shown: str, exc: Exception) -> EngineError:
    return EngineError(f"{shown} sent results edugraph cannot read: {shorten(str(exc))}", hint="check the server")


def canonical(term: ox.Term | None) -> ox.Term | None:
    """An xsd:boolean written ``1`` or ``0`` (Virtuoso's JSON and CSV) as ``true`` or ``false``,
    the form edugraph's graph and every local engine give; any other term as it is."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term
