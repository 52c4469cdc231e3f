"""A subgraph as an interactive page (pyvis / vis-network), with every script and style inline.

The layout has a fixed seed, so the same data always gives the same bytes.
"""

from __future__ import annotations

import copy
import html
from pathlib import Path

from edugraph.explore.neighbourhood import Subgraph
from edugraph.model.kinds import RECORD_KINDS
from edugraph.render.style import KIND_COLOURS

LAYOUT_SEED = 7

_HTML_MARK = "<!--edugraph:page-->"
# The page template pyvis fills in. Not pyvis's own: that one loads Bootstrap from a CDN whatever
# cdn_resources says. Here vis-network's script and style, shipped inside the pyvis package, are
# included inline, so the page opens with no network.
_HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{% include 'lib/vis-9.1.2/vis-network.css' %}</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem 1.5rem; color: #222; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
#mynetwork { width: {{width}}; height: {{height}}; border: 1px solid #ccc; background: {{bgcolor}}; }
.legend { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.swatch { display: inline-block; width: .9em; height: .9em; border: 1px solid #555; border-radius: 50%;
  vertical-align: middle; margin-right: .3em; }
details { margin-top: 1rem; }
</style>
""" + _HTML_MARK + """
<script>
var nodes = new vis.DataSet({{nodes|tojson}});
var edges = new vis.DataSet({{edges|tojson}});
var options = {{options|safe}};
var network = new vis.Network(document.getElementById("mynetwork"), {nodes: nodes, edges: edges}, options);
// Once laid out, the picture stays still; dragging a node still moves it.
network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });
</script>
</body>
</html>
"""

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


def to_html(subgraph: Subgraph) -> str:
    """An interactive page (pyvis / vis-network) with every script and style inline."""
    import jinja2
    import pyvis
    from pyvis.network import Network

    net = Network(height="78vh", width="100%", directed=True, cdn_resources="in_line")
    for node in subgraph.nodes:
        focus = node.id == subgraph.focus
        net.add_node(node.id, label=node.label, title=f"{node.label}\n{node.kind} {node.id}",
                     color=KIND_COLOURS[node.kind], shape="dot", size=22 if focus else 14,
                     borderWidth=3 if focus else 1)
    # Parallel edges (one person, two roles at one event) each get their own curve.
    seen: dict[tuple[str, str], int] = {}
    for edge in subgraph.edges:
        pair = (min(edge.source, edge.target), max(edge.source, edge.target))
        n = seen[pair] = seen.get(pair, -1) + 1
        smooth = {"enabled": True, "type": "curvedCW" if n % 2 else "curvedCCW",
                  "roundness": 0.15 * ((n + 1) // 2)} if n else {"enabled": True, "type": "dynamic"}
        net.add_edge(edge.source, edge.target, label=edge.label, title=edge.label, smooth=smooth)
    net.options = copy.deepcopy(_VIS_OPTIONS)  # a plain dict: pyvis writes it out as it is
    templates = Path(pyvis.__file__).parent / "templates"
    net.templateEnv = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader({"edugraph.html": _HTML_TEMPLATE}),
        jinja2.FileSystemLoader(str(templates)),
    ]))
    net.path = "edugraph.html"
    page = net.generate_html(name="edugraph.html")
    # The nodes' JSON comes after the mark and escapes '<', so the first match is the template's.
    return page.replace(_HTML_MARK, _page_top(subgraph), 1)

