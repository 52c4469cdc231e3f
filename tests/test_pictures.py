"""Pictures and the site (issue 8): ``viz`` (HTML, SVG, DOT), ``timeline`` and ``docs``.

Expected nodes and edges are worked out here from the loaded records, not from the store the
commands read, and compared as exact sets. Graphviz and chromium are optional: the tests that need
them are skipped, with the reason, when they are not installed (``.ci/run`` installs both).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from edugraph.build.pipeline import load_dataset
from edugraph.build.resolve import Dataset
from edugraph.explore.neighbourhood import neighbourhood
from edugraph.explore.stats import coverage
from edugraph.explore.timeline import timeline
from edugraph.model.kinds import RECORD_KINDS
from edugraph.render.site.write import SITE_MARK, build_site
from edugraph.render.style import KIND_COLOURS
from edugraph.vocab.ontology import vocabularies

from .conftest import POLICY, ROOT, data_source

QUERIES = ROOT / "queries"
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's 'dot' is not installed "
                               "(apt-get install graphviz)")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SVG_NS = "{http://www.w3.org/2000/svg}"

Link = tuple[str, str, str]


# ---------------------------------------------------------------------------------------------
# Fixtures and the expected graph, from the records


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def store(cache: Path):
    return data_source(POLICY, cache).store()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(POLICY)


# Record fields that point at another record (sources left out: provenance is not drawn).
DIRECT = ("location", "part_of", "topics", "broader", "publisher")


def relationships(dataset: Dataset) -> set[Link]:
    """Every (source id, target id, label) the pictures should draw, read off the records."""
    terms = vocabularies()
    found: set[Link] = set()
    for record in dataset.records:
        values = record.values
        for name in DIRECT:
            targets = values.get(name, [])
            for target in targets if isinstance(targets, list) else [targets]:
                found.add((record.id, target, name.replace("_", " ")))
        for position in values.get("positions", []):
            found.add((record.id, position.values["organisation"], position.values["title"]))
        scheme = "participation-role" if record.kind == "event" else "involvement-role"
        for entry in values.get("participants", []):
            label = terms[scheme][entry.values["role"]]
            if "title" in entry.values:
                label += f" ({entry.values['title']})"
            found.add((record.id, entry.values["agent"], label))
    return found


def expected(dataset: Dataset, start: str | None, depth: int,
             kinds: Iterable[str] | None = None) -> tuple[set[str], set[Link]]:
    """Record ids within ``depth`` hops (either direction) and the relationships among them."""
    links = relationships(dataset)
    allowed = set(kinds) if kinds else None
    kind = {r.id: r.kind for r in dataset.records}
    if start is None:
        members = {r.id for r in dataset.records if allowed is None or r.kind in allowed}
    else:
        members, frontier = {start}, {start}
        for _ in range(depth):
            frontier = {other for s, t, _ in links for here, other in ((s, t), (t, s))
                        if here in frontier and other not in members
                        and (allowed is None or kind[other] in allowed)}
            members |= frontier
    return members, {link for link in links if link[0] in members and link[1] in members}


ZHANG_NODES = {"zhang-minxuan", "unesco-tec", "category-ii-centres-meeting-8",
               "tec-nu-leaders-training-program-2025-opening-ceremony",
               "zhang-minxuan-keynote-global-trends-2025"}
ZHANG_EDGES = {
    ("zhang-minxuan", "unesco-tec", "Director"),
    ("category-ii-centres-meeting-8", "zhang-minxuan", "speaker"),
    ("category-ii-centres-meeting-8", "unesco-tec", "host"),
    ("tec-nu-leaders-training-program-2025-opening-ceremony", "zhang-minxuan", "attendee"),
    ("tec-nu-leaders-training-program-2025-opening-ceremony", "zhang-minxuan", "speaker"),
    ("zhang-minxuan-keynote-global-trends-2025", "zhang-minxuan", "keynote speaker"),
}


# ---------------------------------------------------------------------------------------------
# The neighbourhood


def test_zhang_minxuan_one_hop(store, dataset: Dataset) -> None:
    sub = neighbourhood(store, "zhang-minxuan", 1)
    assert {n.id for n in sub.nodes} == ZHANG_NODES
    assert {(e.source, e.target, e.label) for e in sub.edges} == ZHANG_EDGES
    assert len(sub.edges) == len(ZHANG_EDGES)
    assert expected(dataset, "zhang-minxuan", 1) == (ZHANG_NODES, ZHANG_EDGES)
    assert {n.id: n.kind for n in sub.nodes}["unesco-tec"] == "organisation"
    assert {n.id: n.label for n in sub.nodes}["zhang-minxuan"] == "Zhang Minxuan"


@pytest.mark.parametrize("start, depth, kinds", [
    ("zhang-minxuan", 2, None),
    ("zhang-minxuan", 0, None),
    ("unesco-tec", 3, None),
    ("nazarbayev-university", 2, ("organisation", "person")),
    ("teacher-leadership-project", 1, ("initiative", "organisation")),
    (None, 0, None),
    (None, 0, ("place",)),
])
def test_neighbourhoods_match_the_records(store, dataset: Dataset, start, depth, kinds) -> None:
    sub = neighbourhood(store, start, depth, kinds)
    nodes, edges = expected(dataset, start, depth, kinds)
    assert {n.id for n in sub.nodes} == nodes
    assert {(e.source, e.target, e.label) for e in sub.edges} == edges
    assert sub.nodes == sorted(sub.nodes) and sub.edges == sorted(sub.edges)


# ---------------------------------------------------------------------------------------------
# viz: HTML, SVG, DOT


class _Page(HTMLParser):
    """Every tag with its attributes, the text, and the script bodies of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)

    def refs(self) -> list[str]:
        return [v for _, attrs in self.tags for k, v in attrs.items() if k in ("href", "src") and v]


def parse_html(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def _vis_data(script: str, name: str) -> list[dict]:
    start = script.index(f"var {name} = new vis.DataSet(") + len(f"var {name} = new vis.DataSet(")
    return json.JSONDecoder().raw_decode(script[start:])[0]


def test_html_page_holds_every_node_and_edge_and_is_self_contained(cli, cache: Path, tmp_path: Path) -> None:
    out = tmp_path / "zhang.html"
    result = cli("viz", "zhang-minxuan", "-o", str(out), "--data", str(POLICY), "--cache", str(cache))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out} (5 records, 6 relationships)\n"
    page = parse_html(out.read_text(encoding="utf-8"))
    # The vis-network data the canvas draws...
    script = "".join(page.scripts)
    nodes = _vis_data(script, "nodes")
    edges = _vis_data(script, "edges")
    assert {n["id"] for n in nodes} == ZHANG_NODES
    assert sorted((e["from"], e["to"], e["label"]) for e in edges) == sorted(ZHANG_EDGES)
    assert {n["id"]: n["label"] for n in nodes}["unesco-tec"] == "UNESCO Teacher Education Centre"
    colours = {n["id"]: n["color"] for n in nodes}
    assert colours["category-ii-centres-meeting-8"] == colours["zhang-minxuan-keynote-global-trends-2025"]
    assert colours["zhang-minxuan"] != colours["unesco-tec"]
    # ...and the same as text, with a legend of the kinds shown.
    attrs = [a for _, a in page.tags]
    assert {a["data-node"] for a in attrs if "data-node" in a} == ZHANG_NODES
    assert {(a["data-source"], a["data-target"], a["data-label"]) for a in attrs if "data-source" in a} \
        == ZHANG_EDGES
    assert [a["data-kind"] for t, a in page.tags if t == "li" and "data-node" not in a
            and "data-kind" in a] == ["organisation", "person", "event"]
    # Every script and style is inline: nothing to fetch.
    assert page.refs() == []
    assert [t for t, a in page.tags if t in ("script", "link", "img", "iframe") and (a.get("src") or a.get("href"))] == []
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", out.read_text(encoding="utf-8"))
    assert any(t == "div" and a.get("id") == "mynetwork" for t, a in page.tags)
    assert '"randomSeed": 7' in script


def test_html_of_the_same_data_is_byte_identical(store) -> None:
    from edugraph.render.vis import to_html

    assert to_html(neighbourhood(store, "unesco-tec", 2)) == to_html(neighbourhood(store, "unesco-tec", 2))


def test_html_page_inlines_the_vis_network_shipped_in_the_package() -> None:
    from importlib.resources import files

    from edugraph.explore.neighbourhood import Node, Subgraph
    from edugraph.render.vis import VIS_NETWORK, to_html

    folder = files("edugraph.render") / "static" / VIS_NETWORK
    js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = folder.joinpath("vis-network.min.css").read_text(encoding="utf-8")
    # The release's files as npm's vis-network 9.1.2 has them, with both its licences beside them.
    assert " * @version 9.1.2\n" in js[:400] and js.startswith("/**\n * vis-network\n")
    assert {"LICENSE-APACHE-2.0", "LICENSE-MIT"} <= {p.name for p in folder.iterdir()}
    page = to_html(Subgraph(nodes=[Node(id="a", kind="person", label="A", iri="urn:x:a")], edges=[]))
    assert f"<style>{css}</style>\n<script>{js.removesuffix(chr(10))}</script>\n" in page


def test_html_data_cannot_end_the_script_early() -> None:
    from edugraph.explore.neighbourhood import Edge, Node, Subgraph
    from edugraph.render.vis import to_html

    name = "</script><!-- 'x' & <b>"
    page = to_html(Subgraph(nodes=[Node(id="a", kind="person", label=name, iri="urn:x:a"),
                                   Node(id="b", kind="event", label="B", iri="urn:x:b")],
                            edges=[Edge(source="b", target="a", label=name)]))
    data = page[page.index("var nodes = "):]
    assert "</script>\n</body>" in data and data.count("</") == 3  # the script's, body's, html's
    for word in ("<", ">", "&", "'"):
        assert word not in data.split("var options", 1)[0]
    assert _vis_data(data, "nodes")[0]["label"] == name and _vis_data(data, "edges")[0]["label"] == name


def test_drawing_the_page_imports_neither_pyvis_nor_jinja2() -> None:
    # In a process of its own, with both refused at import: the page needs neither, installed or not.
    code = """
import importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pyvis", "jinja2", "markupsafe"):
            raise ImportError(name + " refused")
sys.meta_path.insert(0, Refuse())
from edugraph.explore.neighbourhood import Node, Subgraph
from edugraph.render.viz import render
page = render(Subgraph(nodes=[Node(id="a", kind="person", label="A", iri="urn:x:a")], edges=[]), "html")
assert b"vis.Network(" in page and b"@version 9.1.2" in page
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pyvis", "jinja2", "markupsafe")))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


@needs_dot
def test_svg_picture_holds_every_node_and_edge(cli, cache: Path, dataset: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "zhang.svg"
    result = cli("viz", "zhang-minxuan", "--depth", "2", "-o", str(out), "--data", str(POLICY),
                 "--cache", str(cache))
    assert result.exit_code == 0, result.stderr
    nodes, edges = expected(dataset, "zhang-minxuan", 2)
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG_NS}svg"
    groups = [g for g in root.iter(f"{SVG_NS}g")]
    found_nodes = {g.findtext(f"{SVG_NS}title") for g in groups if g.get("class") == "node"}
    found_edges = []
    for g in groups:
        if g.get("class") != "edge":
            continue
        source, target = (g.findtext(f"{SVG_NS}title") or "").split("->")
        label = " ".join(t.text or "" for t in g.iter(f"{SVG_NS}text"))
        found_edges.append((source, target, label))
    assert found_nodes == nodes
    assert set(found_edges) == edges and len(found_edges) == len(edges)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert "Zhang Minxuan" in texts and "person" in texts  # a node's name and the legend


SMALL_DOT = """\
digraph edugraph {
  graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, labeljust=l, label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="4"><tr><td colspan="3" border="0"><b>Around Ada Lovelace (1 hop)</b></td></tr><tr><td bgcolor="#8fbce6">organisation</td><td bgcolor="#f6b26b">person</td><td bgcolor="#8fd19e">event</td></tr></table>>];
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#555555", margin="0.15,0.06"];
  edge [fontname="Helvetica", fontsize=9, color="#777777", fontcolor="#333333"];
  "acme-school-of-education" [label="School of Education", fillcolor="#8fbce6", tooltip="School of Education (organisation acme-school-of-education)"];
  "ada-lovelace" [label="Ada Lovelace", fillcolor="#f6b26b", tooltip="Ada Lovelace (person ada-lovelace)", penwidth=2.5];
  "opening" [label="Opening ceremony", fillcolor="#8fd19e", tooltip="Opening ceremony (event opening)"];
  "ada-lovelace" -> "acme-school-of-education" [label="Dean"];
  "opening" -> "ada-lovelace" [label="chair"];
}
"""


def test_dot_is_exact_for_a_small_case(small_data: Path, cli) -> None:
    result = cli("viz", "ada-lovelace", "-o", "ada.dot")
    assert result.exit_code == 0, result.stderr
    assert Path("ada.dot").read_text(encoding="utf-8") == SMALL_DOT


def test_dot_quotes_and_wraps_names(write_yaml, cli) -> None:
    write_yaml("o.yaml", 'organisations:\n  - id: o\n    name: \'The "Quoted" \\N Centre for Very Long Names\'\n'
               "    sources: [doc-1]\n")
    result = cli("viz", "o", "-o", "o.dot")
    assert result.exit_code == 0, result.stderr
    line = next(l for l in Path("o.dot").read_text(encoding="utf-8").splitlines() if l.startswith('  "o"'))
    assert line.startswith('  "o" [label="The \\"Quoted\\" \\\\N Centre\\nfor Very Long Names"')


def test_missing_dot_is_a_clear_error(small_data: Path, cli, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for name in ("ada.svg", "ada.png"):
        result = cli("viz", "ada-lovelace", "-o", name)
        assert result.exit_code == 2
        assert result.stderr == ("error: Graphviz's 'dot' program is needed for .svg and .png pictures "
                                 "and is not installed; install Graphviz: apt-get install graphviz "
                                 "(or write .html or .dot)\n")
        assert not Path(name).exists()
    assert cli("viz", "ada-lovelace", "-o", "ada.dot").exit_code == 0  # DOT needs no Graphviz


@pytest.mark.parametrize("args, message", [
    (["viz", "ada-lovelace", "-o", "x.pdf"], "error: cannot tell the picture format of 'x.pdf'; "
     "end the file name in .html, .svg, .png, .dot\n"),
    (["viz", "ada-lovelase", "-o", "x.dot"], "error: no record has the id 'ada-lovelase'; "
     "did you mean 'ada-lovelace'?\n"),
])
def test_viz_usage_errors(small_data: Path, cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert not Path(args[-1]).exists()


def test_viz_kind_must_be_a_kind(small_data: Path, cli) -> None:
    result = cli("viz", "-o", "x.dot", "--kind", "people")
    assert result.exit_code == 2
    assert "'people' is not one of" in result.stderr


def test_every_kind_of_record_has_one_colour() -> None:
    assert list(KIND_COLOURS) == list(RECORD_KINDS)
    assert len(set(KIND_COLOURS.values())) == len(RECORD_KINDS)  # told apart in every legend
    assert KIND_COLOURS["organisation"] == "#8fbce6" and KIND_COLOURS["topic"] == "#f4a7a3"


# ---------------------------------------------------------------------------------------------
# timeline

TIMELINE_ROWS = [
    ("2021-10-13", "", "event", "Skilled Teachers – Skilled Nation event of 13 October 2021", ""),
    ("2022-05-26T17:00:00+06:00", "2022-05-26T19:00:00+06:00", "event",
     "Online Central Asian Symposium on Education – Validation Workshop for Outline of Regional "
     "Report on Teacher Policies", ""),
    ("2024-11-10", "", "event", "8th Meeting of UNESCO Category II Centres in Education", "Shanghai"),
    ("2025-07-02", "", "event", "Opening ceremony of the Regional Educational Leaders Training Program",
     "Shanghai"),
    ("2025-07-02", "", "event", "UNESCO Teacher Education Centre (UNESCO TEC) – Nazarbayev University "
     "Regional Educational Leaders Training Program", "Shanghai"),
]


# Undated in tests/fixtures/policy (no start, no end): five events (Zhang Minxuan's keynote, the
# ITE model training, World Teachers' Day 2024, the network events of 2024 and ICHEI's presentation
# of its key work) and every one of its 14 initiatives.
UNDATED = {"event": 5, "initiative": 14}
LEFT_OUT = "5 undated events and 14 undated initiatives left out (no start or end)"


def test_timeline_rows_are_exact(store) -> None:
    whole = timeline(store)
    assert [item.row() for item in whole.items] == TIMELINE_ROWS
    assert (whole.undated, whole.left_out()) == (UNDATED, LEFT_OUT)
    assert [item.row() for item in timeline(store, 2022, 2024).items] == TIMELINE_ROWS[1:3]
    assert [item.row() for item in timeline(store, 2025).items] == TIMELINE_ROWS[3:]
    # the undated are in no span, and always counted as left out
    assert timeline(store, 2026).items == [] and timeline(store, 2026).undated == UNDATED


def test_timeline_table_svg_and_html(cli, cache: Path, tmp_path: Path) -> None:
    common = ["--data", str(POLICY), "--cache", str(cache)]
    table = cli("timeline", *common)
    assert table.exit_code == 0
    assert all(row[3] in table.stdout for row in TIMELINE_ROWS)
    assert table.stdout.splitlines()[-2:] == ["└" + table.stdout.splitlines()[-2][1:], LEFT_OUT]
    assert cli("timeline", "--from", "2022", "--to", "2024", *common).stdout.count("│ event │") == 2

    svg = cli("timeline", "--format", "svg", *common)
    assert svg.exit_code == 0
    assert svg.stderr == LEFT_OUT + "\n"  # stdout is the picture alone
    root = ET.fromstring(svg.stdout)
    items = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "item"]
    assert [g.get("data-id") for g in items] == [
        "skilled-teachers-event-2021-10-13", "central-asian-symposium-validation-workshop-2022",
        "category-ii-centres-meeting-8", "tec-nu-leaders-training-program-2025-opening-ceremony",
        "tec-nu-leaders-training-program-2025"]
    # a bar for the workshop (it has an end), dots for the rest; a tick for every year on the axis
    assert [bool(g.findall(f"{SVG_NS}rect")) for g in items] == [False, True, False, False, False]
    assert [t.text for t in root.iter(f"{SVG_NS}text") if t.get("class") == "year"] == \
        [str(y) for y in range(2021, 2027)]

    out = tmp_path / "timeline.html"
    page = cli("timeline", "-o", str(out), *common)
    assert page.exit_code == 0 and page.stdout == f"wrote {out} (5 items)\n{LEFT_OUT}\n"
    parsed = parse_html(out.read_text(encoding="utf-8"))
    assert sum(1 for t, _ in parsed.tags if t == "svg") == 1
    assert sum(1 for t, _ in parsed.tags if t == "tr") == len(TIMELINE_ROWS) + 1
    assert parsed.refs() == []

    bad = cli("timeline", "--from", "2025", "--to", "2024", *common)
    assert bad.exit_code == 2 and bad.stderr == "error: --from 2025 is after --to 2024\n"
    assert cli("timeline", "-o", str(tmp_path / "t.txt"), *common).exit_code == 2


# ---------------------------------------------------------------------------------------------
# docs


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    build_site(POLICY, out, cache_dir=cache)  # the built-in queries
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_record_has_a_page(site: Path, dataset: Dataset) -> None:
    pages = {p.relative_to(site).as_posix() for p in (site / "entities").rglob("*.html")}
    assert pages == {f"entities/{r.kind}/{r.id}.html" for r in dataset.records}
    assert {"index.html", "ontology.html", "queries.html", "coverage.html", "timeline.html",
            "style.css", SITE_MARK} <= set(_files(site))


def test_every_link_resolves_and_nothing_is_fetched(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    parsed = {page: parse_html(page.read_text(encoding="utf-8")) for page in pages}
    for page, doc in parsed.items():
        ids[page] = {a["id"] for _, a in doc.tags if a.get("id")}  # type: ignore[misc]
    checked = 0
    for page, doc in parsed.items():
        assert not any(t == "script" for t, _ in doc.tags), page  # no JS needed, none shipped
        for ref in doc.refs():
            parts = urlsplit(ref)
            assert not parts.scheme and not parts.netloc, (page, ref)  # relative links only
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page, ref)
            assert site.resolve() in target.parents, (page, ref)
            if parts.fragment:
                assert parts.fragment in ids[target], (page, ref)
            checked += 1
    assert checked > 1000


def test_two_runs_are_byte_identical(site: Path, cache: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_site(POLICY, again, [QUERIES], cache)  # the same queries
    assert _files(again) == _files(site)


def test_an_entity_page_is_the_card_with_links(site: Path) -> None:
    page = (site / "entities/person/zhang-minxuan.html").read_text(encoding="utf-8")
    doc = parse_html(page)
    text = " ".join(" ".join(doc.text).split())
    assert "<title>Zhang Minxuan · edugraph</title>" in page
    assert "Prof." in text and "Professor" in text
    assert '<a href="../../entities/organisation/unesco-tec.html">UNESCO Teacher Education Centre</a>' in page
    assert "title: Director" in text
    assert '<a href="../../ontology.html#concept-participation-role-keynote">keynote speaker</a>' in page
    assert '<a href="../../entities/source/src-004.html">' in page
    tec = (site / "entities/organisation/unesco-tec.html").read_text(encoding="utf-8")
    assert "Referred to by" in tec and "../../entities/source/src-000.html" in tec  # publisher


def test_queries_page_shows_every_query_and_its_results(site: Path) -> None:
    page = (site / "queries.html").read_text(encoding="utf-8")
    for rq in QUERIES.glob("*.rq"):
        assert f'id="q-{rq.stem}"' in page
        assert f"<p><code>{rq.stem}</code> <span class=muted>built-in</span></p>" in page
    section = page.split('id="q-positions"', 1)[1].split("<h2", 1)[0]
    assert ('<tr><td><a href="entities/person/zhang-minxuan.html">Zhang Minxuan</a></td><td>Director</td>'
            '<td><a href="entities/organisation/unesco-tec.html">UNESCO Teacher Education Centre</a></td>'
            in section)
    assert "PREFIX org: &lt;http://www.w3.org/ns/org#&gt;" in section  # the SPARQL, escaped


def test_coverage_page_is_the_stats_matrix(site: Path) -> None:
    stats = coverage(POLICY)
    page = (site / "coverage.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>", 1)[1])
    cells = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]
    assert cells == [[row.label, *(f"{n:,}" for n in stats.values(row))] for row in stats.rows]


def test_ontology_page_documents_every_term_and_shape(site: Path) -> None:
    import pyoxigraph as ox

    from edugraph.vocab.ontology import SHAPES_FILE, ontology_path

    page = (site / "ontology.html").read_text(encoding="utf-8")
    for scheme, terms in vocabularies().items():
        assert f'id="scheme-{scheme}"' in page
        for slug in terms:
            assert f'id="concept-{scheme}-{slug}"' in page
    for local in ("Organisation", "Position", "StatedCount", "title", "statedCount", "approximate",
                  "ordinal", "theme"):
        assert f'id="{local}"' in page
    shapes = {t.subject.value.rsplit("#", 1)[-1] for t in ox.parse(path=str(ontology_path(SHAPES_FILE)),
                                                                 format=ox.RdfFormat.TURTLE)
              if isinstance(t.subject, ox.NamedNode)}
    assert shapes and all(f'id="shape-{s}"' in page for s in shapes)


def test_docs_command_refuses_a_folder_it_did_not_write_and_replaces_its_own(small_data: Path, cli) -> None:
    mine = Path("mine")
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious", encoding="utf-8")
    result = cli("docs", "-o", "mine")
    assert result.exit_code == 2
    assert result.stderr == "error: 'mine' exists and is not a site 'edugraph docs' wrote; give a new or empty folder\n"
    assert (mine / "thesis.tex").read_text(encoding="utf-8") == "precious"
    assert cli("docs", "-o", ".").exit_code == 2

    result = cli("docs", "-o", "site")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote 14 files to site; open site/index.html\n"
    (Path("site") / "stale.html").write_text("old", encoding="utf-8")
    assert cli("docs", "-o", "site").exit_code == 0
    assert not (Path("site") / "stale.html").exists()
    assert (Path("site") / "entities/person/ada-lovelace.html").is_file()
    assert [p.name for p in Path(".").iterdir() if p.name.startswith(".site")] == []  # no leftovers


def test_docs_documents_the_whole_catalogue(small_data: Path, cli) -> None:
    Path("queries").mkdir()
    Path("queries/positions.rq").write_text(
        "# title: Our positions\n# description: Ours.\n#+ example:\n"
        "SELECT ?n WHERE { ?p <https://schema.org/name> ?n } ORDER BY ?n LIMIT 1\n", encoding="utf-8")
    Path("extra").mkdir()
    Path("extra/mine.rq").write_text("# title: Mine & <yours>\n#+ example:\n"
                                     "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1\n", encoding="utf-8")
    assert cli("docs", "-o", "site").exit_code == 0
    page = Path("site/queries.html").read_text(encoding="utf-8")
    names = re.findall(r'<h2 id="q-([^"]+)">', page)
    assert names == sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert '<p><code>positions</code> <span class=muted>from <code>queries/positions.rq</code></span></p>' in page
    assert '<h2 id="q-positions">Our positions</h2>' in page
    assert "<p><code>timeline</code> <span class=muted>built-in</span></p>" in page
    assert cli("docs", "-o", "site", "--queries", "queries", "--queries", "extra").exit_code == 0
    page = Path("site/queries.html").read_text(encoding="utf-8")
    assert '<h2 id="q-mine">Mine &amp; &lt;yours&gt;</h2>' in page and '<h2 id="q-positions">Our positions</h2>' in page


def test_text_is_escaped_everywhere(write_yaml, cli) -> None:
    evil = "<script>alert(1)</script> & \"Co\""
    write_yaml("o.yaml", f"organisations:\n  - id: o\n    name: '{evil}'\n    sources: [doc-1]\n")
    assert cli("docs", "-o", "site").exit_code == 0
    assert cli("viz", "o", "-o", "o.html").exit_code == 0
    for path in [*Path("site").rglob("*.html"), Path("o.html")]:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
    page = Path("site/entities/organisation/o.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;" in page


# ---------------------------------------------------------------------------------------------
# A real browser


def _chromium(url: str, profile: Path, *extra: str) -> tuple[str, list[str]]:
    """The DOM chromium builds for ``url``, and the page's console lines (errors included)."""
    assert CHROMIUM
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         "--host-resolver-rules=MAP * ~NOTFOUND",  # a page that tried the network would fail
         *extra, "--dump-dom", url],
        capture_output=True, text=True, timeout=60, check=False)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return done.stdout, console


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_site_and_viz_page_in_a_real_browser(site: Path, cli, cache: Path, tmp_path: Path) -> None:
    # The console check sees errors: a page with one shows it.
    bad = tmp_path / "bad.html"
    bad.write_text("<p>x</p><script>console.error('boom'); undefinedThing();</script>", encoding="utf-8")
    _, console = _chromium(bad.as_uri(), tmp_path / "p0")
    assert any("boom" in line for line in console) and any("Uncaught" in line for line in console)

    dom, console = _chromium((site / "index.html").as_uri(), tmp_path / "p1")
    assert console == []
    assert "Zhang Minxuan" in dom and "UNESCO Teacher Education Centre" in dom
    dom, console = _chromium((site / "entities/person/zhang-minxuan.html").as_uri(), tmp_path / "p2")
    assert console == []
    assert "Studying Global Trends to Support Educational Development" in dom

    out = tmp_path / "zhang.html"
    assert cli("viz", "zhang-minxuan", "-o", str(out), "--data", str(POLICY), "--cache", str(cache)).exit_code == 0
    dom, console = _chromium(out.as_uri(), tmp_path / "p3", "--virtual-time-budget=3000")
    assert console == []
    network = dom.split('id="mynetwork"', 1)[1]
    assert re.search(r"<canvas\b", network), "vis-network drew no canvas"
    assert "Zhang Minxuan" in dom


def test_readme_shows_the_committed_picture() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "![" in readme and "(docs/zhang-minxuan.svg)" in readme
    root = ET.parse(ROOT / "docs/zhang-minxuan.svg").getroot()
    titles = {g.findtext(f"{SVG_NS}title") for g in root.iter(f"{SVG_NS}g") if g.get("class") == "node"}
    assert {"zhang-minxuan", "unesco-tec", "hu-guoyong"} <= titles
