"""Pictures of the graph: a record's neighbourhood (or the whole graph) as DOT, SVG/PNG or HTML.

A picture shows records as nodes and relationships as edges. A qualified relationship is one edge
between the two records it joins, labelled by what it says: a person -> organisation edge by the
position's title, an event or initiative -> agent edge by the role (and the title an involvement
gives). A direct link between records (``location``, ``part_of``, ``topics``, ``broader``,
``publisher``) is an edge labelled by its field name. Provenance (``sources``) is not drawn: every
record cites a source, so it would join everything to everything within two hops. Counts have no
record at their other end and are not drawn either.

Output is deterministic: nodes and edges are sorted, the HTML layout has a fixed seed, and the
same data always gives the same bytes (for SVG/PNG, with the same Graphviz).
"""

from __future__ import annotations

import copy
import html
import shutil
import subprocess
import textwrap
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import EngineError, UsageError
from edugraph.formats import PICTURE_FORMATS
from edugraph.model.kinds import KINDS, RECORD_KINDS, T
from edugraph.query.stores import labels
from edugraph.vocab.namespaces import EG, ID, ORG, PROV, RDF_TYPE, SKOS

GRAPHVIZ_HINT = "install Graphviz: apt-get install graphviz"
DOT_TIMEOUT = 300.0
LAYOUT_SEED = 7

# Fill colours by kind of record (light enough for black text); the legend shows them.
KIND_COLOURS: dict[str, str] = {
    "organisation": "#8fbce6",
    "person": "#f6b26b",
    "event": "#8fd19e",
    "initiative": "#c9a3e0",
    "place": "#f3e08a",
    "source": "#cfd4da",
    "topic": "#f4a7a3",
}


def _direct_links() -> dict[str, str]:
    """Property IRI -> field name of every reference between records (``sources`` left out)."""
    found: dict[str, str] = {}
    for spec in KINDS.values():
        for f in spec.fields.values():
            if f.type is not T.REF or f.name == "sources":
                continue
            for predicate in [f.predicate, *(f.by_target or {}).values()]:
                if predicate:
                    found[predicate] = f.name.replace("_", " ")
    return found


_DIRECT = _direct_links()


@dataclass(frozen=True, slots=True, order=True)
class Node:
    """A record in a picture."""

    id: str
    kind: str
    label: str
    iri: str


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """A relationship between two records, by id; ``label`` says what it is."""

    source: str
    target: str
    label: str


@dataclass(slots=True)
class Subgraph:
    """The nodes and edges of a picture, sorted; ``focus`` is the record it is centred on."""

    nodes: list[Node]
    edges: list[Edge]
    focus: str | None = None
    depth: int = 0
    kinds: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        only = f"; only {', '.join(self.kinds)}" if self.kinds and self.kinds != RECORD_KINDS else ""
        if self.focus is None:
            return f"The edugraph graph{' (' + only[2:] + ')' if only else ''}"
        name = next((n.label for n in self.nodes if n.id == self.focus), self.focus)
        return f"Around {name} ({self.depth} hop{'s' if self.depth != 1 else ''}{only})"


def _record(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str | None:
    """The IRI of ``term`` when it names a record, else None."""
    if not isinstance(term, ox.NamedNode):
        return None
    kind, _, rest = term.value.removeprefix(str(ID)).partition("/")
    if term.value.startswith(str(ID)) and kind in RECORD_KINDS and rest and "/" not in rest:
        return term.value
    return None


def kind_of(iri: str) -> str:
    return iri.removeprefix(str(ID)).split("/", 1)[0]


def id_of(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


_Link = tuple[object, str, str, str]  # (identity, source IRI, target IRI, label)


class _Links:
    """The relationships of records, read from the store once per record."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._cache: dict[str, list[_Link]] = {}
        self._labels: dict[str, str] = {}

    def __call__(self, iri: str) -> list[_Link]:
        if iri not in self._cache:
            self._cache[iri] = self._read(iri)
        return self._cache[iri]

    def _one(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> ox.NamedNode | ox.Literal | None:
        quad = next(iter(self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None)), None)
        return quad.object if quad is not None else None  # type: ignore[return-value]

    def _role(self, node: ox.NamedNode) -> str:
        role = self._one(node, PROV.hadRole)
        label = role.value if role is not None else "takes part"
        if isinstance(role, ox.NamedNode):
            if role.value not in self._labels:
                pref = self._one(role, SKOS.prefLabel)
                self._labels[role.value] = pref.value if pref is not None else id_of(role.value)
            label = self._labels[role.value]
        title = self._one(node, EG.title)
        return f"{label} ({title.value})" if title is not None else label

    def _title(self, position: ox.NamedNode) -> str:
        title = self._one(position, EG.title)
        return title.value if title is not None else "position"

    def _read(self, iri: str) -> list[_Link]:
        links: list[_Link] = []
        me = ox.NamedNode(iri)
        for quad in self.store.quads_for_pattern(me, None, None):
            p, o = quad.predicate.value, quad.object
            if p in _DIRECT and (other := _record(o)):
                links.append(((iri, p, other), iri, other, _DIRECT[p]))
            elif p == PROV.qualifiedAssociation and isinstance(o, ox.NamedNode):
                agent = _record(self._one(o, PROV.agent))  # type: ignore[arg-type]
                if agent:
                    links.append((o.value, iri, agent, self._role(o)))
        for quad in self.store.quads_for_pattern(None, None, me):
            p, s = quad.predicate.value, quad.subject
            if p in _DIRECT and (other := _record(s)):
                links.append(((other, p, iri), other, iri, _DIRECT[p]))
            elif not isinstance(s, ox.NamedNode):
                continue
            elif p == ORG.member and (org := _record(self._one(s, ORG.organization))):  # type: ignore[arg-type]
                links.append((s.value, iri, org, self._title(s)))
            elif p == ORG.organization and (person := _record(self._one(s, ORG.member))):  # type: ignore[arg-type]
                links.append((s.value, person, iri, self._title(s)))
            elif p == PROV.agent:
                for parent in self.store.quads_for_pattern(None, ox.NamedNode(PROV.qualifiedAssociation), s):
                    if activity := _record(parent.subject):
                        links.append((s.value, activity, iri, self._role(s)))
        return links


def _check_kinds(kinds: Collection[str] | None) -> tuple[str, ...]:
    if not kinds:
        return RECORD_KINDS
    unknown = sorted(set(kinds) - set(RECORD_KINDS))
    if unknown:
        raise UsageError(f"unknown kind '{unknown[0]}'", hint=f"kinds are: {', '.join(RECORD_KINDS)}")
    return tuple(k for k in RECORD_KINDS if k in kinds)


def all_records(store: ox.Store, kinds: Iterable[str] = RECORD_KINDS) -> list[str]:
    """IRIs of every record of the given kinds, sorted."""
    found: set[str] = set()
    for kind in kinds:
        own_class = ox.NamedNode(KINDS[kind].classes[0])
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), own_class):
            if iri := _record(quad.subject):
                found.add(iri)
    return sorted(found)


def neighbourhood(store: ox.Store, record_id: str | None, depth: int = 1,
                  kinds: Collection[str] | None = None) -> Subgraph:
    """The records within ``depth`` hops of ``record_id`` (all records when None) and every
    relationship between them.

    A hop follows any relationship in either direction; a qualified relationship (position,
    participation, involvement) is one hop. With ``kinds``, only records of those kinds are
    shown and hops are counted through them alone; the record itself is always shown.
    """
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    chosen = _check_kinds(kinds)
    links = _Links(store)
    focus: str | None = None
    if record_id is None:
        members = set(all_records(store, chosen))
    else:
        from edugraph.explore.card import resolve_id

        focus, _ = resolve_id(store, record_id)
        members = {focus}
        frontier = [focus]
        for _ in range(depth):
            reached: list[str] = []
            for iri in frontier:
                for _key, source, target, _label in links(iri):
                    other = target if source == iri else source
                    if other not in members and kind_of(other) in chosen:
                        members.add(other)
                        reached.append(other)
            frontier = sorted(reached)
    edges: dict[object, Edge] = {}
    for iri in sorted(members):
        for key, source, target, label in links(iri):
            if source in members and target in members:
                edges[key] = Edge(id_of(source), id_of(target), label)
    names = labels(store, members)
    nodes = sorted(Node(id_of(iri), kind_of(iri), names.get(iri, id_of(iri)), iri) for iri in members)
    return Subgraph(nodes, sorted(edges.values()), None if focus is None else id_of(focus),
                    depth if focus is not None else 0, chosen)


# ---------------------------------------------------------------------------------------------
# DOT and Graphviz


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


# ---------------------------------------------------------------------------------------------
# HTML (pyvis)

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


# ---------------------------------------------------------------------------------------------


def format_of(path: Path) -> str:
    """The picture format a file name asks for, by its extension."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PICTURE_FORMATS:
        raise UsageError(f"cannot tell the picture format of '{path}'",
                         hint=f"end the file name in {', '.join('.' + f for f in PICTURE_FORMATS)}")
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
