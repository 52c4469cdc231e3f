"""Pictures of the graph: a subgraph (:mod:`edugraph.explore.neighbourhood`) as HTML, SVG, PNG
or DOT, by the format a file name asks for. :mod:`edugraph.render.dot` writes DOT and runs
Graphviz, :mod:`edugraph.render.vis` writes the interactive page.
"""

from __future__ import annotations

from pathlib import Path

from edugraph.errors import UsageError
from edugraph.explore.neighbourhood import Subgraph
from edugraph.formats import PICTURE_FORMATS
from edugraph.render.dot import dot_program, run_dot, to_dot
from edugraph.render.vis import to_html


def format_of(path: Path) -> str:
    """The picture format a file name asks for, by its extension; for ``svg`` and ``png``, a
    UsageError at once when Graphviz is not installed."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PICTURE_FORMATS:
        raise UsageError(f"cannot tell the picture format of '{path}'",
                         hint=f"end the file name in {', '.join('.' + f for f in PICTURE_FORMATS)}")
    if fmt in ("svg", "png"):
        dot_program()
    return fmt


def render(subgraph: Subgraph, fmt: str) -> bytes:
    """The picture as ``html``, ``svg``, ``png`` or ``dot`` bytes."""
    if fmt == "html":
        return to_html(subgraph).encode("utf-8")
    if fmt == "dot":
        return to_dot(subgraph).encode("utf-8")
    if fmt in ("svg", "png"):
        return run_dot(to_dot(subgraph), fmt)
    raise UsageError(f"unknown picture format '{fmt}'", hint=f"formats: {', '.join(PICTURE_FORMATS)}")
