"""SPARQL text as characters: significant tokens (to find where to bind parameters and which
prefixes a query uses), positions as ``line:column``, and one-line syntax errors. Nothing here
decides whether a query may run: that is :mod:`edugraph.query.screen`, by the grammar."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from edugraph.errors import UsageError

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_VARNAME = re.compile(r"[A-Za-z0-9_]+")
_LOCAL = re.compile(r":[^\s{}();,.<]*")
"""The local part of a prefixed name (with its colon); an IRI may follow it at once (``eg:<...>``
in a PREFIX declaration)."""
_LINE_END = re.compile(r"[\r\n]")


def tokens(text: str, with_names: bool = False,
           with_variables: bool = False) -> Iterator[tuple[str, int]]:
    """Significant tokens ``(token, offset)``: words, braces and single characters (with
    ``with_names``, the prefix of each prefixed name too, as ``eg:``; with ``with_variables``,
    each variable as written, ``?name`` or ``$name``).

    Strings, IRIs, comments and variables are skipped whole, so a brace or a keyword inside them
    is never taken for syntax; so are prefixed names, so ``eg:FROM`` is no FROM. This finds where
    to bind parameters and which prefixes a query uses; it is not what refuses queries (that is
    :func:`edugraph.query.screen.screen`, by the grammar).
    """
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
        elif ch == "#":  # to the end of the line: a LF or a CR
            end = _LINE_END.search(text, i)
            i = n if end is None else end.end()
        elif ch in "\"'":
            i = _skip_string(text, i)
        elif ch == "<" and (m := _IRIREF.match(text, i)):
            i = m.end()
        elif ch in "?$":
            m = (_VARNAME if with_variables else _WORD).match(text, i + 1)
            if m and with_variables:
                yield ch + m.group(), i
            i = m.end() if m else i + 1
        elif m := _WORD.match(text, i):
            end = m.end()
            if end < n and text[end] == ":":  # a prefixed name, not a keyword
                m2 = _LOCAL.match(text, end)
                i = m2.end() if m2 else end + 1
                if with_names:
                    yield m.group() + ":", m.start()
                continue
            yield m.group(), i
            i = end
        else:
            yield ch, i
            i += 1


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    long = text.startswith(quote * 3, i)
    j = i + (3 if long else 1)
    while j < len(text):
        if text[j] == "\\":  # an escape: the next character is part of the string, whatever it is
            j += 2
        elif long and text.startswith(quote * 3, j):
            return j + 3
        elif not long and text[j] == quote:
            return j + 1
        elif not long and text[j] in "\r\n":
            return j + 1
        else:
            j += 1
    return len(text)


def position(text: str, offset: int) -> str:
    """``line:column`` (both from 1) of a character offset in ``text``."""
    start = text.rfind("\n", 0, offset) + 1
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - start + 1}"


@contextmanager
def deep_recursion(limit: int = 20_000) -> Iterator[None]:
    """Room for rdflib's recursive parser and engine: pyparsing takes about 20 frames a level of
    nesting, so the default limit of 1,000 stops at 40 nested groups, below the screen's limit of 64
    (:data:`edugraph.query.screen.MAX_NESTING`)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@contextmanager
def quick_services() -> Iterator[None]:
    """rdflib's parser reading each SERVICE as it reads the other patterns. Its own searches the
    whole text again for each SERVICE it reads (to keep the SERVICE's text for its engine), which
    takes seconds for three nested ones and longer than anyone waits for more; nothing edugraph
    parses with it runs a SERVICE (:mod:`edugraph.query.screen` refuses them)."""
    from rdflib.plugins.sparql import parser
    from rdflib.plugins.sparql.parserutils import CompValue, ParamValue

    def post_parse(instring: str, loc: int, tokens: Any) -> CompValue:
        pattern = CompValue("ServiceGraphPattern")
        for token in tokens:
            if isinstance(token, ParamValue):
                pattern[token.name] = token.tokenList
        return pattern

    parser.ServiceGraphPattern.postParse = post_parse
    try:
        yield
    finally:
        del parser.ServiceGraphPattern.postParse


_TOKEN = re.compile(r"<[^<>\s]*>?|[?$][\w-]*|[\w-]+(?::[^\s{}();,.<]*)?|:[^\s{}();,.<]*|\"[^\"\n]*\"?|'[^'\n]*'?|\S")
_ENGINE_POSITION = re.compile(r"error at (\d+):(\d+): ?")
_RANGE = re.compile(r"\[[^\]]*\]|'[^']*'|\"[^\"]*\"")


def invalid(text: str, engine_message: str) -> UsageError:
    """A one-line error for a query its engine could not parse: where (``line:column``) and the
    token found there, as pyparsing (rdflib's parser) finds them; when that parser reads the query,
    the engine's own reason, without the lists of characters it expected."""
    from pyparsing import ParseException  # only on this error path: it costs a third of a second
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with deep_recursion(), quick_services():
            parseQuery(text)
    except ParseException as exc:
        found = _TOKEN.match(text, exc.loc)
        where = position(text, exc.loc)
        if found is None:
            return UsageError(f"the SPARQL query is not valid: it ends at {where} before it is complete")
        token = found.group()
        token = token if len(token) <= 40 else token[:40] + "..."
        return UsageError(f"the SPARQL query is not valid at {where}, near '{token}'")
    except Exception:  # noqa: BLE001 - any other failure of that parser: the engine's reason holds
        pass
    at = _ENGINE_POSITION.search(engine_message)
    if at is None:  # not Oxigraph's form: the engine's first line as it is
        return UsageError(f"the SPARQL query is not valid: {(engine_message.splitlines() or [''])[0]}")
    # Oxigraph: "error at 1:46: expected one of [ranges], "...", ..., a sentence, ...": the sentences
    reasons = [part.strip() for part in _RANGE.sub("", engine_message[at.end():]).split(",")]
    sentences = [r.removeprefix("expected one of ").removeprefix("expected ") for r in reasons]
    sentences = [r for r in sentences if " " in r and r[:1].isupper()]
    reason = f": {sentences[0][0].lower()}{sentences[0][1:]}" if sentences else ""
    return UsageError(f"the SPARQL query is not valid at {at.group(1)}:{at.group(2)}{reason}")
