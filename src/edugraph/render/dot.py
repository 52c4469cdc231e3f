"""A subgraph in Graphviz's DOT language, and Graphviz run on it for SVG or PNG.

Output is deterministic: the subgraph's nodes and edges come sorted, so the same data always gives
the same DOT (and, with the same Graphviz, the same SVG/PNG bytes).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import textwrap

from edugraph.errors import EngineError, UsageError
from edugraph.explore.neighbourhood import Subgraph
from edugraph.model.kinds import RECORD_KINDS
from edugraph.render.style import KIND_COLOURS

GRAPHVIZ_HINT = "install Graphviz: apt-get install graphviz"
DOT_TIMEOUT = 300.0


def _dot_string(text: str) -> str:
    """A DOT quoted string; backslashes doubled so Graphviz's own escapes (\\N, \\l) stay text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _wrapped(text: str, width: int = 24) -> str:
    """A DOT label broken into lines of about ``width`` characters (with DOT's ``\\n``)."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
    return '"' + "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines) + '"'


def _legend_label(subgraph: Subgraph) -> str:
    """An HTML-like Graphviz label: the title over one coloured cell per kind shown."""
    kinds = [k for k in RECORD_KINDS if any(n.kind == k for n in subgraph.nodes)]
    cells = "".join(f'<td bgcolor="{KIND_COLOURS[k]}">{k}</td>' for k in kinds)
    span = max(len(kinds), 1)
    title = html.escape(subgraph.title, quote=False)
    return (f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
            f'<tr><td colspan="{span}" border="0"><b>{title}</b></td></tr><tr>{cells}</tr></table>>')


def to_dot(subgraph: Subgraph) -> str:
    """The picture in Graphviz's DOT language (render with ``dot -Tsvg``)."""
    lines = [
        "digraph edugraph {",
        f"  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, labeljust=l, "
        f"label={_legend_label(subgraph)}];",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        'color="#555555", margin="0.15,0.06"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#777777", fontcolor="#333333"];',
    ]
    for node in subgraph.nodes:
        extra = ", penwidth=2.5" if node.id == subgraph.focus else ""
        lines.append(f"  {_dot_string(node.id)} [label={_wrapped(node.label)}, "
                     f"fillcolor=\"{KIND_COLOURS[node.kind]}\", "
                     f"tooltip={_dot_string(f'{node.label} ({node.kind} {node.id})')}{extra}];")
    for edge in subgraph.edges:
        lines.append(f"  {_dot_string(edge.source)} -> {_dot_string(edge.target)} "
                     f"[label={_dot_string(edge.label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_program() -> str:
    """The path of Graphviz's ``dot``; a UsageError naming the package when it is missing."""
    found = shutil.which("dot")
    if found is None:
        raise UsageError("Graphviz's 'dot' program is needed for .svg and .png pictures and is "
                         "not installed", hint=f"{GRAPHVIZ_HINT} (or write .html or .dot)")
    return found


def run_dot(dot_text: str, fmt: str) -> bytes:
    """``dot_text`` rendered by Graphviz as ``svg`` or ``png``."""
    program = dot_program()
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise EngineError(f"Graphviz ran longer than {DOT_TIMEOUT:g} s",
                          hint="draw a smaller neighbourhood (--depth, --kind)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EngineError(f"Graphviz failed: {message[0] if message else f'exit {done.returncode}'}")
    return done.stdout

