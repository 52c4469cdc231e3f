"""Each stored query's header checked: what ``edugraph queries`` reports and the tests require.

A query's header (:mod:`edugraph.query.stored`) must give a description, say what each parameter is
for, declare only parameters the query uses, and give an example that binds and runs. Running the
example needs a graph; without one (:func:`problems` given no source) the rest is checked.

The query itself is checked for the patterns known to give wrong rows on some SPARQL 1.1 engines
(:func:`unportable`; the README's "Portable stored queries" says why and what to write instead).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from edugraph.errors import EdugraphError, one_line
from edugraph.query.source import Source
from edugraph.query.stored import StoredQuery, bind, example_params

# Strings, IRIs and comments first, so that a "?x" inside them is not taken for a variable.
_SCAN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                   r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
                   r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*|[?$]([A-Za-z_][A-Za-z0-9_]*)')


def variables(text: str) -> set[str]:
    """The names of the variables a SPARQL text uses (in its body, not in comments or strings)."""
    return {m.group(1) for m in _SCAN.finditer(text) if m.group(1)}


# A `*` or `+` path modifier: right after a prefixed name, an IRI or a closing parenthesis, and not
# followed by a number (then it is arithmetic).
_MODIFIER = r"(?:[A-Za-z_][\w\-.]*:[\w\-.]*[\w\-]|:[\w\-]*|>|\))([*+])(?!\s*\d)"
_MODIFIER_RE = re.compile(_MODIFIER)
_OPTIONAL = re.compile(r"\bOPTIONAL\s*\{", re.IGNORECASE)
_DATE_PART = re.compile(r"\b(YEAR|MONTH|DAY)\s*\(\s*[?$]", re.IGNORECASE)
# A modified element right after `|` (`a|b*`), not a modifier on a bracketed alternation (`(a|b)*`).
_AFTER_BAR = re.compile(r"(?<![|])[|](?![|])\^?(?:[A-Za-z_][\w\-.]*)?:[\w\-.]*[\w\-]([*+])"
                        r"|(?<![|])[|](?![|])\^?<[^>\s]*>([*+])")


_BIND = re.compile(r"\bBIND\s*\(", re.IGNORECASE)
_BOOLEAN_CALL = re.compile(r"\s*(?:BOUND|sameTerm|isIRI|isURI|isBlank|isLiteral|isNumeric|REGEX|CONTAINS|"
                           r"STRSTARTS|STRENDS|LANGMATCHES)\s*\(\)\s*$|\s*(?:true|false)\s*$", re.IGNORECASE)
_BOOLEAN_OPERATOR = re.compile(r"!=|<=|>=|&&|\|\||=|<(?!x*>)|(?<!x)>|^\s*!|\b(?:NOT\s+)?IN\b|\bEXISTS\b",
                               re.IGNORECASE)


def _closing(text: str, start: int) -> int:
    """The offset just after the parenthesis that closes the one open before ``start``."""
    depth, i = 1, start
    while i < len(text) and depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    return i


def _top_level(expression: str) -> tuple[str, list[str]]:
    """``expression`` with what is inside its parentheses left out (``IF(?a, 1, 2)`` -> ``IF()``),
    and the arguments of its first call."""
    outside, depth = [], 0
    for ch in expression:
        depth -= ch == ")"
        if depth == 0:
            outside.append(ch)
        depth += ch == "("
    opening = expression.find("(")
    if opening < 0:
        return "".join(outside), []
    arguments, depth, start = [], 0, opening + 1
    for i in range(opening + 1, _closing(expression, opening + 1)):
        ch = expression[i]
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if (ch == "," and depth == 0) or depth < 0:
            arguments.append(expression[start:i])
            start = i + 1
    return "".join(outside), arguments


def _projected_booleans(masked: str) -> list[tuple[int, str]]:
    """BINDs of a projected variable to a comparison, a test or the constants true/false, which
    Virtuoso returns as the integers 1 and 0."""
    select = re.search(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", masked, re.IGNORECASE | re.DOTALL)
    projection = select.group(1) if select else ""
    found = []
    for m in _BIND.finditer(masked):
        inner = masked[m.end():_closing(masked, m.end()) - 1]
        bound = re.fullmatch(r"(?s)(.*)\bAS\s*[?$](\w+)\s*", inner, re.IGNORECASE)
        if not bound or not (projection.strip() == "*" or re.search(rf"[?$]{bound.group(2)}\b", projection)):
            continue
        outside, arguments = _top_level(bound.group(1))
        choice = re.match(r"\s*(?:IF|COALESCE)\s*\(", outside, re.IGNORECASE)
        values = arguments[1:] if outside.strip().upper().startswith("IF") else arguments
        if (_BOOLEAN_OPERATOR.search(outside) or _BOOLEAN_CALL.match(outside)
                or (choice and any(re.fullmatch(r"\s*(?:true|false)\s*", v, re.I) for v in values))):
            found.append((m.start(), f"'?{bound.group(2)}', a computed boolean, is projected (Virtuoso "
                          "returns it as 1 or 0; write STRDT(IF(condition, \"true\", \"false\"), xsd:boolean))"))
    return found


def _masked(text: str) -> str:
    """``text`` with strings, comments and IRIs' insides blanked (same offsets, same lines)."""
    def blank(m: re.Match[str]) -> str:
        s = m.group()
        if m.group(1):
            return s
        if s.startswith("<"):
            return "<" + "x" * (len(s) - 2) + ">"
        return "".join(ch if ch == "\n" else " " for ch in s)
    return _SCAN.sub(blank, text)


def unportable(text: str, params: Sequence[str] = ()) -> list[str]:
    """The patterns in a query known to break on some engines, each as ``line N: what``.

    Flagged: a ``+``/``*`` path inside OPTIONAL (Virtuoso joins it as if it were required), a
    ``+``/``*`` path whose subject is a parameter (bound by VALUES, Virtuoso cannot start it),
    YEAR/MONTH/DAY on a variable (SPARQL defines them for xsd:dateTime only, and dates are
    xsd:date, xsd:gYear...), a ``+``/``*`` path after ``|`` (Virtuoso finds nothing), and a
    projected variable bound to a computed boolean (Virtuoso returns 1 or 0).
    """
    masked = _masked(text)
    found: list[tuple[int, str]] = []

    def line(offset: int) -> int:
        return masked.count("\n", 0, offset) + 1

    for m in _OPTIONAL.finditer(masked):
        depth, i = 1, m.end()
        while i < len(masked) and depth:
            depth += {"{": 1, "}": -1}.get(masked[i], 0)
            i += 1
        for mod in _MODIFIER_RE.finditer(masked, m.end(), i):
            found.append((line(mod.start(1)), f"a '{mod.group(1)}' path inside OPTIONAL (some engines "
                          "join it as if required; move the path out of OPTIONAL)"))
    for name in params:
        for m in re.finditer(r"[?$]" + re.escape(name) + r"\s+([^\s;,.]+)", masked):
            if _MODIFIER_RE.search(m.group(1)):
                found.append((line(m.start()), f"a '*'/'+' path starting from parameter '{name}' "
                              "(some engines cannot start a path from a VALUES-bound variable; "
                              "write the path from the other end, with ^)"))
    for m in _DATE_PART.finditer(masked):
        found.append((line(m.start()), f"{m.group(1).upper()}() on a variable (defined for "
                      "xsd:dateTime only; take SUBSTR(STR(?d), 1, 4) and cast it)"))
    for offset, what in _projected_booleans(masked):
        found.append((line(offset), what))
    for m in _AFTER_BAR.finditer(masked):
        found.append((line(m.start()), f"a '{m.group(1) or m.group(2)}' path after '|' (some engines find nothing; "
                      "write the alternatives as separate patterns)"))
    return [f"line {number}: {what}" for number, what in sorted(set(found))]


def problems(query: StoredQuery, source: Source | None = None) -> list[str]:
    """What is missing from or wrong with ``query``'s header, in words (none: it is complete).

    With a ``source``, the example is run on it too; an example giving no rows is no problem (a
    project's data need not hold the built-in queries' example records).
    """
    found: list[str] = []
    if not query.description:
        found.append("no description (add '# description: ...' under the title)")
    used = variables(query.text)
    for param in query.params:
        if not param.description:
            found.append(f"parameter '{param.name}' says nothing about itself "
                         f"(add '-- what it is' to its '#+ param' line)")
        if param.name not in used:
            found.append(f"parameter '{param.name}' is not used in the query (no ?{param.name})")
    found.extend(f"not portable, {problem}"
                 for problem in unportable(query.text, [param.name for param in query.params]))
    try:
        bindings = bind(query, example_params(query))
    except EdugraphError as exc:
        found.append(f"the example does not bind: {_said(exc)}")
        return found
    if source is not None:
        try:
            source.run(query.text, bindings)
        except EdugraphError as exc:
            found.append(f"the example does not run: {_said(exc)}")
    return found


def _said(error: EdugraphError) -> str:
    """An error's message and hint on one line, without the file (the query's origin says which)."""
    return one_line(error.message + (f"; {error.hint}" if error.hint else ""))


def audit(queries: Sequence[StoredQuery], source: Source | None = None) -> dict[str, list[str]]:
    """``{name: problems}`` of the queries that have any (see :func:`problems`), in their order."""
    return {q.name: found for q in queries if (found := problems(q, source))}
