"""Screening a query before any engine sees it: by the SPARQL grammar, not by a hand tokenizer.

A query that reads outside the graph (``SERVICE``, ``FROM``, ``FROM NAMED``) is refused, and so is
anything that is not a query (updates). The text is parsed with the grammar of rdflib's SPARQL
parser and the parse tree is walked, so no spelling that hides a keyword from a tokenizer (a string
ending in an escaped backslash, a comment ended by a bare CR, a ``\\u`` escape) hides it from the
screen. Each engine reads the text in its own way, so the screen parses what each one reads:

- rdflib expands ``\\u`` and ``\\U`` escapes over the whole text before parsing, and ends a
  comment at a line feed only: its view is the text as ``parseQuery`` sees it;
- Oxigraph (pyoxigraph 0.5, built without ``standard-unicode-escaping``) reads an escape only
  inside a string or an IRI, where it is a character of that string or IRI, and ends a comment at
  a carriage return too: its view has each escape as six (or ten) ``X`` and each CR as a LF.

Parsing costs a third of a second the first time (rdflib's import) and 10-90 ms a query, so it is
skipped when it cannot find anything: when neither view holds ``service`` or ``from`` in any case,
no parser can read those keywords in it (both match keywords letter for letter, ignoring case).
Text that holds one of them and does not parse is refused with the syntax error. A text that
needed the parse and passed is remembered, by its SHA-256, in the user's cache folder (not the
project's, which a project's author could fill): half of the stored queries say
``prov:wasDerivedFrom``, and a query from the command line would otherwise take three times as long.

Before any of that, brackets are counted (:func:`nesting`): a query nested deeper than
:data:`MAX_NESTING` is refused before a parser recurses into it (Oxigraph's parser overflows its
stack past about 3,000 levels and slows to minutes on nested blank nodes past 100).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from edugraph import __version__
from edugraph.errors import UsageError
from edugraph.files import hasher
from edugraph.query.syntax import deep_recursion, invalid, quick_services, tokens

MAX_QUERY_CHARS = 1_000_000
MAX_NESTING = 64
"""Deepest nesting of ``{``, ``(`` and ``[`` together that a query may have (the records' YAML has
the same limit); Oxigraph parses 64 nested blank nodes in half a second."""

HINT = "edugraph runs read-only queries on its own graph; use --endpoint for a remote store"
# Keywords that reach outside the graph (SERVICE, FROM, FROM NAMED) or change it (updates).
REASONS = {
    "SERVICE": "SERVICE calls another endpoint over the network",
    "FROM": "FROM and FROM NAMED load other graphs, from the network or from files",
    "LOAD": "LOAD reads a graph from a URL or a file",
    "INSERT": "updates (INSERT) are not run", "DELETE": "updates (DELETE) are not run",
    "DROP": "updates (DROP) are not run", "CLEAR": "updates (CLEAR) are not run",
    "CREATE": "updates (CREATE) are not run", "ADD": "updates (ADD) are not run",
    "MOVE": "updates (MOVE) are not run", "COPY": "updates (COPY) are not run",
    "WITH": "updates (WITH) are not run", "USING": "updates (USING) are not run",
}
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}
_KEYWORDS = ("service", "from")
"""What the grammar is asked about: every other refused keyword is an update's, and no engine
runs an update as a query (its query parser has no such rule)."""

# rdflib.plugins.sparql.parser.expandUnicodeEscapes, copied so that the cheap path imports nothing
_RDFLIB_ESCAPE = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", flags=re.I)
# Oxigraph's UCHAR (in strings and IRIs); after an even run of backslashes (``\\`` is ECHAR)
_UCHAR = re.compile(r"(?<!\\)((?:\\\\)*)(\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})")

_screened: dict[tuple[str, bool], str] = {}
"""(Query text, remote) -> its form, for texts that passed: a process runs the same query often
(``check``, ``docs``)."""


def refusal(keyword: str) -> UsageError:
    """The one-line refusal of a query that uses ``keyword``."""
    return UsageError(f"the query uses {keyword}: {REASONS[keyword]}", hint=HINT)


def screen(text: str, remote: bool = False) -> str:
    """The query form (SELECT, ASK, CONSTRUCT or DESCRIBE), after refusing anything that reads
    outside the graph or changes it, and queries too long or too deeply nested.

    On a remote endpoint (``remote``) FROM and FROM NAMED are allowed: they pick graphs of that
    store, and this process fetches nothing.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is {len(text):,} characters, over the limit of {MAX_QUERY_CHARS:,}")
    form = _screened.get((text, remote))
    if form is None:
        form = _screen(text, remote)
        if len(_screened) >= 256:
            _screened.clear()
        if len(text) < 65536:
            _screened[text, remote] = form
    return form


def _screen(text: str, remote: bool) -> str:
    views = [oxigraph_view(text)]
    if (as_rdflib := rdflib_view(text)) != views[0]:
        views.append(as_rdflib)
    if any(nesting(view, MAX_NESTING) > MAX_NESTING for view in views):
        raise UsageError(f"the query nests groups, brackets or parentheses more than {MAX_NESTING} deep",
                         hint="write it with fewer nested levels")
    form = _lexical_form(views[0])
    to_parse = [view for view in views if _may_name(view)]
    if not to_parse:
        return form
    key = hasher(f"{_CACHE_KEY}\0{remote}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    if (known := _remembered(key)) is not None:
        return known
    found: set[str] = set()
    errors: list[UsageError] = []
    for view in to_parse:
        try:
            tree = _parse(view, text)
        except UsageError as exc:
            errors.append(exc)
            continue
        form = _FORMS[tree[-1].name]
        found.update(keywords(tree))
    # what one view holds is refused before the syntax error of another
    for keyword in ("SERVICE", "FROM"):
        if keyword in found and not (remote and keyword == "FROM"):
            raise refusal(keyword)
    if errors:
        raise errors[0]
    _remember(key, form)
    return form


# --- verdicts kept across runs ---------------------------------------------------------------------

_CACHE_KEY = f"edugraph {__version__} screen 1 pyoxigraph {ox.__version__}"
_CACHE_BYTES = 256 << 10  # about 3,500 verdicts; then the file starts again


def verdicts_file() -> Path:
    """Where passed texts are remembered: ``$XDG_CACHE_HOME/edugraph/screened`` (``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "edugraph" / "screened"


def _own(fd: int) -> bool:
    """Whether an open file is a regular file of this user that no one else may write."""
    st = os.fstat(fd)
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def _remembered(key: str) -> str | None:
    try:
        fd = os.open(verdicts_file(), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with open(fd, "rb") as file:
        data = file.read(_CACHE_BYTES + 4096) if _own(fd) else b""
    at = data.find(f"\n{key} ".encode())
    if at < 0:
        return None
    form = data[at + len(key) + 2:].split(b"\n", 1)[0].decode("ascii", "replace")
    return form if form in _FORMS.values() else None


def _remember(key: str, form: str) -> None:
    path = verdicts_file()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:  # a cache that cannot be written costs time only
        return
    with open(fd, "ab") as file:
        if _own(fd):
            if os.fstat(fd).st_size > _CACHE_BYTES:
                file.truncate(0)
            # one write of a short line: appends of several processes do not mix
            file.write(f"\n{key} {form}".encode())


def _lexical_form(view: str) -> str:
    """The form the first keyword names; the refusal of a query that starts with a refused keyword
    (an update, or SERVICE or FROM out of place), and of anything else."""
    for token, _ in tokens(view):
        upper = token.upper()
        if upper in ("PREFIX", "BASE"):
            continue
        if upper in _FORMS.values():
            return upper
        if upper in REASONS:
            raise refusal(upper)
        break
    raise UsageError("not a SPARQL query: it must be a SELECT, ASK, CONSTRUCT or DESCRIBE query")


def rdflib_view(text: str) -> str:
    """The text as rdflib's parser reads it: ``\\u`` escapes expanded (one that names no
    character is left as written here; rdflib refuses it)."""
    if "\\" not in text:
        return text

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _RDFLIB_ESCAPE.sub(expand, text)


def oxigraph_view(text: str) -> str:
    """The text as Oxigraph's parser reads it, for rdflib's grammar: each escape (a character of a
    string or an IRI, and a syntax error anywhere else) as ``X`` of the same length, each CR (which
    ends a comment) as a LF."""
    if "\\" in text:
        text = _UCHAR.sub(lambda m: m.group(1) + "X" * len(m.group(2)), text)
    return text.replace("\r", "\n")


def _may_name(view: str) -> bool:
    """Whether ``view`` holds ``service`` or ``from`` in any case: Oxigraph compares keywords
    ASCII letter by ASCII letter; pyparsing upper-cases the text it compares (``ſ`` is ``S``)."""
    folds = [view.lower()] if view.isascii() else [view.lower(), view.upper().lower()]
    return any(word in fold for fold in folds for word in _KEYWORDS)


def _parse(view: str, text: str) -> Any:
    """rdflib's parse tree of a view (its escapes already expanded or masked: not expanded again);
    the syntax error (as :func:`edugraph.query.syntax.invalid` words it) if it does not parse, as
    then the screen cannot tell what it holds."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    try:
        with deep_recursion(), quick_services():
            return parser.Query.parse_string(view, parse_all=True)
    except (ParseBaseException, RecursionError, ValueError) as exc:
        error = str(exc)
    raise invalid(text, error)


def keywords(tree: Any) -> Iterator[str]:
    """``SERVICE`` for each SERVICE and ``FROM`` for each dataset clause in an rdflib parse tree
    or algebra (``ServiceGraphPattern``, ``DatasetClause`` and a ``datasetClause`` list), at any
    depth: subqueries, OPTIONAL, MINUS, EXISTS."""
    stack: list[Any] = [tree]
    seen: set[int] = set()  # a ParseResults holds its named results twice: visit each node once
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        name = getattr(node, "name", None) if isinstance(node, dict) else None
        if name == "ServiceGraphPattern":
            yield "SERVICE"
        elif name == "DatasetClause" or (isinstance(node, dict) and dict.get(node, "datasetClause")):
            yield "FROM"
        if isinstance(node, dict):  # rdflib's CompValue; its own get() answers a missing key's name
            stack.extend(dict.values(node))
        elif isinstance(node, Iterable) and not isinstance(node, (str, bytes)):
            stack.extend(node)
            if hasattr(node, "items"):  # pyparsing's ParseResults: its named results too
                stack.extend(value for _, value in node.items())


# --- nesting ------------------------------------------------------------------------------------

_SIGNIFICANT = re.compile(r"[{}()\[\]#\"'<\\]")
_OPENERS = re.compile(r"[{(\[]")
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_SCHEME_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*://")
_LONG_END = {q: re.compile(rf"(?:[^{q}\\]|\\.|{q}(?!{q}{q}))*{q}{q}{q}", re.S) for q in "\"'"}
_SHORT_END = {q: re.compile(rf"(?:[^{q}\\\n\r]|\\[^\n\r])*{q}?") for q in "\"'"}


def nesting(text: str, limit: int = MAX_QUERY_CHARS) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in ``text``, never less than any parser finds
    (or the first depth past ``limit``).

    Strings and comments are skipped as the grammar defines them (both engines agree there once
    the views are taken). Where a parser might read code that this scan does not (inside an
    ``<...>`` that may be an IRI or a ``<`` sign, and after one holding ``#`` or ``'``, which would
    open a comment or a string), openers still count and closers do not: being wrong there can
    only count too deep.
    """
    depth = deepest = 0
    unsure_until = -1  # closers before this offset do not count
    i, n = 0, len(text)
    while (m := _SIGNIFICANT.search(text, i)) is not None:
        i = m.start()
        ch = text[i]
        if ch in "{([":
            depth += 1
            if depth > limit:
                return depth
            deepest = max(deepest, depth)
            i += 1
        elif ch in "})]":
            if i >= unsure_until:
                depth = max(depth - 1, 0)
            i += 1
        elif ch == "\\":  # a local name's escape (``eg:a\#b``): the next character is part of it
            i += 2
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch in "\"'":
            if text.startswith(ch * 3, i):
                end = _LONG_END[ch].match(text, i + 3)
            else:
                end = _SHORT_END[ch].match(text, i + 1)
            i = end.end() if end else n  # an open long string: no parser reads past it
        elif (iri := _IRI.match(text, i)) is not None:  # "<"
            inside = iri.group()
            opened = len(_OPENERS.findall(inside))
            depth += opened
            if depth > limit:
                return depth
            deepest = max(deepest, depth)
            if not _SCHEME_IRI.match(inside):  # might be a "<" sign, then code, a comment, a string
                if "'" in inside:
                    unsure_until = n
                elif "#" in inside:
                    end = text.find("\n", iri.end())
                    unsure_until = max(unsure_until, n if end < 0 else end)
            i = iri.end()
        else:
            i += 1
    return deepest
