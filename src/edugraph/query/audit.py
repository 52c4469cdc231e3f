"""Each stored query's header checked: what ``edugraph queries`` reports and the tests require.

A query's header (:mod:`edugraph.query.stored`) must give a description, say what each parameter is
for, declare only parameters the query uses, and give an example that binds and runs. Running the
example needs a graph; without one (:func:`problems` given no source) the rest is checked.
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
