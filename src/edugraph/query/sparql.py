"""SPARQL text handling: query form, and binding parameters as a VALUES block.

Parameters are bound by inserting ``VALUES ?name { term ... }`` at the start of the query's WHERE
group, each term written in its escaped N-Triples form by pyoxigraph. The same text then runs
unchanged on Oxigraph, on rdflib and on a remote endpoint, and a value can never close the block
it sits in: ``x" } ; DROP ALL ; #`` becomes the string literal ``"x\\" } ; DROP ALL ; #"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

import pyoxigraph as ox

from edugraph.errors import UsageError

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def tokens(text: str) -> Iterator[tuple[str, int]]:
    """Significant tokens ``(token, offset)``: words, braces and single characters.

    Strings, IRIs, comments and variables are skipped whole, so a brace or a keyword inside them
    is never taken for syntax.
    """
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch in "\"'":
            i = _skip_string(text, i)
        elif ch == "<" and (m := _IRIREF.match(text, i)):
            i = m.end()
        elif ch in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
        elif m := _WORD.match(text, i):
            end = m.end()
            if end < n and text[end] == ":":  # a prefixed name, not a keyword
                m2 = re.compile(r":[^\s{}();,.]*").match(text, end)
                i = m2.end() if m2 else end + 1
                continue
            yield m.group(), i
            i = end
        else:
            yield ch, i
            i += 1


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = i + 3
        while True:
            end = text.find(quote * 3, end)
            if end < 0:
                return len(text)
            if text[end - 1] != "\\":
                return end + 3
            end += 1
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] == quote or text[j] == "\n":
            return j + 1
        else:
            j += 1
    return j


MAX_QUERY_CHARS = 1_000_000
# Keywords that reach outside the graph (SERVICE, FROM, FROM NAMED) or change it (updates).
_REFUSED = {
    "SERVICE": "SERVICE calls another endpoint over the network",
    "FROM": "FROM and FROM NAMED load other graphs, from the network or from files",
    "LOAD": "LOAD reads a graph from a URL or a file",
    "INSERT": "updates (INSERT) are not run", "DELETE": "updates (DELETE) are not run",
    "DROP": "updates (DROP) are not run", "CLEAR": "updates (CLEAR) are not run",
    "CREATE": "updates (CREATE) are not run", "ADD": "updates (ADD) are not run",
    "MOVE": "updates (MOVE) are not run", "COPY": "updates (COPY) are not run",
    "WITH": "updates (WITH) are not run", "USING": "updates (USING) are not run",
}


def screen(text: str, remote: bool = False) -> str:
    """The query form, after refusing anything that reads outside the graph or changes it.

    Keywords are found as tokens, so ``"SERVICE"`` in a string or an IRI does not count and a
    keyword cannot hide in a comment. On a remote endpoint (``remote``) FROM and FROM NAMED are
    allowed: they pick graphs of that store, and this process fetches nothing.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is {len(text):,} characters, over the limit of {MAX_QUERY_CHARS:,}")
    for token, _ in tokens(text):
        reason = _REFUSED.get(token.upper())
        if reason and not (remote and token.upper() == "FROM"):
            raise UsageError(f"the query uses {token.upper()}: {reason}",
                             hint="edugraph runs read-only queries on its own graph; "
                                  "use --endpoint for a remote store")
    return query_form(text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; UsageError for anything else (updates included)."""
    for token, _ in tokens(text):
        upper = token.upper()
        if upper in ("PREFIX", "BASE"):
            continue
        if upper in _FORMS:
            return upper
        break
    raise UsageError("not a SPARQL query: it must be a SELECT, ASK, CONSTRUCT or DESCRIBE query")


def where_offset(text: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE group."""
    form = query_form(text)
    depth = 0
    seen_where = False
    for token, offset in tokens(text):
        if token == "{":
            if depth == 0 and (seen_where or form != "CONSTRUCT"):
                return offset + 1
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and token.upper() == "WHERE":
            seen_where = True
    raise UsageError("the query has no WHERE group to bind parameters in")


def bind_values(text: str, bindings: Mapping[str, Sequence[ox.NamedNode | ox.Literal]]) -> str:
    """The query with one ``VALUES`` block per bound parameter at the start of its WHERE group."""
    if not bindings:
        return text
    at = where_offset(text)
    block = "".join(
        f"\n  VALUES ?{name} {{ {' '.join(str(term) for term in terms)} }}"
        for name, terms in sorted(bindings.items())
    )
    return text[:at] + block + text[at:]
