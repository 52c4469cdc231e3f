"""A subgraph as an interactive page (vis-network), with every script and style inline.

The layout has a fixed seed, so the same data always gives the same bytes.
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files

from edugraph.explore.neighbourhood import Subgraph
from edugraph.model.kinds import RECORD_KINDS
from edugraph.render.style import KIND_COLOURS

LAYOUT_SEED = 7

# vis-network's release files, shipped in the package (npm vis-network 9.1.2: dist/vis-network.min.js
# and dist/dist/vis-network.min.css, unchanged; licences beside them), so the page needs no network
# and edugraph needs no package to carry them.
VIS_NETWORK = "vis-network-9.1.2"

_PAGE_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{css}</style>
<script>{js}</script>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem 1.5rem; color: #222; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
#mynetwork { width: 100%; height: 78vh; border: 1px solid #ccc; background: #ffffff; }
.legend { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.swatch { display: inline-block; width: .9em; height: .9em; border: 1px solid #555; border-radius: 50%;
  vertical-align: middle; margin-right: .3em; }
details { margin-top: 1rem; }
</style>
"""
_PAGE_SCRIPT = """
<script>
var nodes = new vis.DataSet({nodes});
var edges = new vis.DataSet({edges});
var options = {options};
var network = new vis.Network(document.getElementById("mynetwork"), {{nodes: nodes, edges: edges}}, options);
// Once laid out, the picture stays still; dragging a node still moves it.
network.once("stabilizationIterationsDone", function () {{ network.setOptions({{physics: false}}); }});
</script>
</body>
</html>"""

_VIS_OPTIONS = {
    "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": True},
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"enabled": True, "iterations": 400},
                "forceAtlas2Based": {"springLength": 160}},
    "nodes": {"shape": "dot", "size": 14, "borderWidth": 1, "font": {"size": 14},
              "widthConstraint": {"maximum": 180}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "color": {"color": "#888888"},
              "font": {"size": 10, "align": "middle"}},
    "interaction": {"hover": True, "tooltipDelay": 150},
}


def _page_top(subgraph: Subgraph) -> str:
    title = html.escape(subgraph.title)
    kinds = [k for k in RECORD_KINDS if any(n.kind == k for n in subgraph.nodes)]
    legend = "".join(f'<li data-kind="{k}"><span class="swatch" style="background:{KIND_COLOURS[k]}">'
                     f"</span>{k}</li>" for k in kinds)
    return (f"<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
            f'<ul class="legend">{legend}</ul>\n<div id="mynetwork"></div>\n' + _page_lists(subgraph))


def _page_lists(subgraph: Subgraph) -> str:
    """The records and relationships as text too: searchable, and readable without the canvas."""
    names = {n.id: n.label for n in subgraph.nodes}
    nodes = "".join(f'<li data-node="{html.escape(n.id)}" data-kind="{n.kind}">{html.escape(n.label)} '
                    f"({n.kind} {html.escape(n.id)})</li>" for n in subgraph.nodes)
    edges = "".join(f'<li data-source="{html.escape(e.source)}" data-target="{html.escape(e.target)}" '
                    f'data-label="{html.escape(e.label)}">{html.escape(names[e.source])} '
                    f"&rarr; {html.escape(names[e.target])}: {html.escape(e.label)}</li>"
                    for e in subgraph.edges)
    return (f"<details><summary>{len(subgraph.nodes)} records, {len(subgraph.edges)} relationships"
            f'</summary>\n<ul id="records">{nodes}</ul>\n<ul id="relationships">{edges}</ul>\n'
            "</details>\n")


@cache
def _vis_network() -> tuple[str, str]:
    """vis-network's script and style sheet, read once from the package."""
    folder = files("edugraph.render") / "static" / VIS_NETWORK
    # The release's script ends in a newline; the page has always had none before </script>.
    js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8").removesuffix("\n")
    return js, folder.joinpath("vis-network.min.css").read_text(encoding="utf-8")


def _tojson(value: object) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can end it early. Keys sorted,
    and the four characters escaped as Jinja's tojson did, so the pages stay as they were."""
    return (json.dumps(value, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("'", "\\u0027"))


def to_html(subgraph: Subgraph) -> str:
    """An interactive page (vis-network) with every script and style inline."""
    nodes = []
    for node in subgraph.nodes:
        focus = node.id == subgraph.focus
        nodes.append({"id": node.id, "label": node.label or node.id, "shape": "dot",
                      "title": f"{node.label}\n{node.kind} {node.id}", "color": KIND_COLOURS[node.kind],
                      "size": 22 if focus else 14, "borderWidth": 3 if focus else 1})
    edges = []
    # Parallel edges (one person, two roles at one event) each get their own curve.
    seen: dict[tuple[str, str], int] = {}
    for edge in subgraph.edges:
        pair = (min(edge.source, edge.target), max(edge.source, edge.target))
        n = seen[pair] = seen.get(pair, -1) + 1
        smooth = {"enabled": True, "type": "curvedCW" if n % 2 else "curvedCCW",
                  "roundness": 0.15 * ((n + 1) // 2)} if n else {"enabled": True, "type": "dynamic"}
        edges.append({"from": edge.source, "to": edge.target, "arrows": "to", "label": edge.label,
                      "title": edge.label, "smooth": smooth})
    js, css = _vis_network()
    # Spliced, not str.format: the script and the style sheet are full of braces.
    before_css, rest = _PAGE_HEAD.split("{css}")
    before_js, after_js = rest.split("{js}")
    head = before_css + css + before_js + js + after_js
    return head + _page_top(subgraph) + _PAGE_SCRIPT.format(
        nodes=_tojson(nodes), edges=_tojson(edges), options=json.dumps(_VIS_OPTIONS))
