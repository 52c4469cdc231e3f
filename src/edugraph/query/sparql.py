"""SPARQL text handling: query form, the prefixes every query may use undeclared, one-line
syntax errors, and binding parameters as a VALUES block (or, for remote endpoints, as terms
written in place of their variables: :func:`bind_terms`).

Parameters are bound by inserting ``VALUES ?name { term ... }`` at the start of the query's WHERE
group, each term written in its escaped N-Triples form by pyoxigraph. The same text then runs
unchanged on Oxigraph, on rdflib and on a remote endpoint, and a value can never close the block
it sits in: ``x" } ; DROP ALL ; #`` becomes the string literal ``"x\\" } ; DROP ALL ; #"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from edugraph.errors import UsageError, closest
from edugraph.model.kinds import PREFIXES
from edugraph.query.screen import MAX_QUERY_CHARS as MAX_QUERY_CHARS
from edugraph.query.screen import screen as screen
from edugraph.query.syntax import invalid as invalid
from edugraph.query.syntax import position, tokens
from edugraph.vocab.namespaces import VOID

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


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


def _group_end(text: str, start: int) -> int:
    """Offset of the ``}`` closing the group whose ``{`` is just before ``start``."""
    depth = 1
    for token, offset in tokens(text[start:]):
        depth += (token == "{") - (token == "}")
        if depth == 0:
            return start + offset
    return len(text)


def bind_terms(text: str, bindings: Mapping[str, Sequence[ox.NamedNode | ox.Literal]]) -> str:
    """The query with each single-valued parameter's term written in place of its variable.

    For stores that mishandle VALUES-bound variables (Virtuoso 7.2 cannot start a property path
    from one). Only ``?name``/``$name`` tokens in the WHERE group are replaced (never text inside
    strings, IRIs or comments), each by the term's escaped N-Triples form, so a value stays one RDF
    term; ``BOUND(?name)`` becomes ``true``. A parameter that is also a target there (``AS
    ?name``, a sub-select's projection), that a sub-select uses, that no triple pattern uses (only expressions, within
    parentheses) or that has several values is bound by VALUES instead
    (:func:`bind_values`), and so, besides, is one also used outside the group (the projection,
    ORDER BY), so that it is still bound there.
    """
    single = {name: terms[0] for name, terms in bindings.items() if len(terms) == 1}
    if not single:
        return bind_values(text, bindings)
    start = where_offset(text)
    end = _group_end(text, start)
    found = list(tokens(text, with_variables=True))
    unsafe: set[str] = set()
    edits: list[tuple[str, int, int, str]] = []  # (name, start, end, replacement)
    in_pattern: set[str] = set()
    projecting, parens, depth = False, 0, 0
    subselects: list[int] = []  # the brace depth each open sub-select started at
    for k, (token, offset) in enumerate(found):
        if not start <= offset < end:
            continue
        upper = token.upper()
        if upper == "SELECT":
            projecting = True
            subselects.append(depth)
        elif upper in ("WHERE", "{"):
            projecting = False
        depth += (token == "{") - (token == "}")
        if subselects and depth <= subselects[-1] and token == "}":
            subselects.pop()
        parens += (token == "(") - (token == ")")
        name = token[1:]
        if token[0] not in "?$" or name not in single:
            continue
        if parens == 0:
            in_pattern.add(name)
        before = [t.upper() for t, _ in found[max(k - 2, 0):k]]
        after = found[k + 1][0] if k + 1 < len(found) else ""
        # in a sub-select the term would bind what VALUES outside it does not: leave it to VALUES
        if projecting or subselects or before[-1:] == ["AS"]:
            unsafe.add(name)
        elif before == ["BOUND", "("] and after == ")":
            edits.append((name, found[k - 2][1], found[k + 1][1] + 1, "true"))
        else:
            edits.append((name, offset, offset + len(token), str(single[name])))
    outside = {t[1:] for t, o in found if t[0] in "?$" and not start <= o < end}
    # one used only in expressions stays in VALUES: only paths need a constant start, and the
    # text sent then differs from the local one only where it must
    unsafe |= set(single) - in_pattern
    kept = {name: terms for name, terms in bindings.items()
            if name not in single or name in unsafe or name in outside}
    edited = text
    for name, at, stop, term in sorted(edits, key=lambda e: e[1], reverse=True):
        if name not in unsafe:
            edited = edited[:at] + term + edited[stop:]
    return bind_values(edited, kept)


def predefined_prefixes() -> dict[str, str]:
    """The prefixes a query may use without declaring them: the model's table (the standard
    vocabularies, ``eg``, one per kind of record and relationship, one per concept scheme; they
    follow the base IRI in use) and ``void``."""
    return {**PREFIXES, "void": str(VOID)}


def needed_prefixes(text: str) -> dict[str, str]:
    """The predefined prefixes (:func:`predefined_prefixes`) that ``text`` uses without declaring
    them; a query's own PREFIX declaration wins. A prefix neither declared nor predefined is a
    UsageError naming it and where it is first used."""
    declared: set[str] = set()
    used: dict[str, int] = {}
    after_prefix = False
    for token, offset in tokens(text, with_names=True):
        name = token[:-1] if token.endswith(":") else None
        if after_prefix and name is not None:
            declared.add(name)
        elif name is not None and name != "_":  # _: opens a blank node's label
            used.setdefault(name, offset)
        after_prefix = token.upper() == "PREFIX"
    known = predefined_prefixes()
    for name, offset in sorted(used.items(), key=lambda item: item[1]):
        if name not in declared and name not in known:
            close = closest(name.lower(), known)
            raise UsageError(f"unknown prefix '{name}:' at {position(text, offset)}",
                             hint=f"did you mean '{close}:'?" if close is not None
                             else f"declare it: PREFIX {name}: <IRI>")
    return {name: known[name] for name in sorted(used) if name not in declared}


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with PREFIX declarations of ``prefixes`` before it, on its first line (so that the
    line numbers of a server's error messages stay right)."""
    return "".join(f"PREFIX {name}: <{iri}> " for name, iri in sorted(prefixes.items())) + text


