"""A static site of the dataset: plain HTML and one CSS file, readable from the file system.

Pages: ``index.html`` (what the dataset is, counts, every record), ``ontology.html`` (every class,
property and concept scheme of the ontology and every SHACL shape), one page per record under
``entities/<kind>/<id>.html`` (its card, as ``edugraph show`` prints it, with links),
``queries.html`` (every stored query with its results for its example parameters),
``coverage.html`` (the coverage matrix) and ``timeline.html``. Links are relative, nothing is
fetched, no script runs; every text is escaped. The same data gives byte-identical files. The site
is written in a temporary folder beside the target and renamed into place when complete.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from edugraph.build.pipeline import compile_project
from edugraph.errors import UsageError
from edugraph.explore.neighbourhood import all_records
from edugraph.explore.stats import Stats, stats_of
from edugraph.explore.timeline import HEADER, timeline
from edugraph.files import replacing_folder
from edugraph.model.kinds import KINDS, PREFIXES, RECORD_KINDS, RELATIONS, kind_and_id
from edugraph.query.results import QueryResult, to_turtle
from edugraph.query.sparql import bind_values
from edugraph.query.stored import StoredQuery, bind, catalogue, example_params
from edugraph.query.stores import DEFAULT_CACHE, labels, open_store, run_oxigraph
from edugraph.render.style import KIND_COLOURS, SITE_CSS
from edugraph.render.timeline import to_svg
from edugraph.vocab.namespaces import (
    CONCEPT,
    DCTERMS,
    EG,
    ID,
    ONTOLOGY_IRI,
    ORG,
    OWL,
    PROV,
    RDF,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    SH,
    SHAPES_IRI,
    SKOS,
    concept_iri,
)
from edugraph.vocab.ontology import ONTOLOGY_FILE, SHAPES_FILE, ontology_path, vocabularies

SITE_MARK = ".edugraph-site"
MAX_ROWS = 500
_RELATION_LINKS = (ORG.member, ORG.organization, PROV.agent)
_QUALIFIED = (PROV.qualifiedAssociation, EG.statedCount)
_HIDDEN = {RDF_TYPE, SCHEMA.name, SKOS.altLabel, SKOS.hiddenLabel, PROV.wasDerivedFrom, *_QUALIFIED}
_PREFIXES = PREFIXES.with_prefixes({"sh": str(SH), "egsh": SHAPES_IRI + "#"})

CSS = SITE_CSS


# ---------------------------------------------------------------------------------------------
# Building and writing


def build_site(data_dir: Path, out_dir: Path, queries_dir: Path = Path("queries"),
               cache_dir: Path = DEFAULT_CACHE) -> list[str]:
    """Write the site of the data under ``data_dir`` to ``out_dir``; the pages' relative paths."""
    pages = render_site(data_dir, queries_dir, cache_dir)
    write_site(pages, out_dir)
    return sorted(pages)


def render_site(data_dir: Path, queries_dir: Path = Path("queries"),
                cache_dir: Path = DEFAULT_CACHE) -> dict[str, str]:
    """Every file of the site, by relative path."""
    stored = catalogue(queries_dir)  # a missing folder fails before any work
    compiled = compile_project(data_dir, cache_dir)
    store = open_store(data_dir, cache_dir, lambda: compiled.serialise("nt"))
    site = _Site(store)
    pages = {
        "style.css": CSS,
        "index.html": site.index(stats_of(compiled)),
        "ontology.html": site.ontology(),
        "queries.html": site.queries(stored),
        "coverage.html": site.coverage(stats_of(compiled)),
        "timeline.html": site.timeline(),
    }
    for iri in site.records:
        pages[site.path(iri)] = site.entity(iri)
    return pages


def write_site(pages: dict[str, str], out_dir: Path) -> None:
    """Write ``pages`` into a new folder and swap it in for ``out_dir`` whole.

    ``out_dir`` may be missing, empty, or a site this module wrote (it has :data:`SITE_MARK`);
    any other folder is refused, so a slip such as ``-o .`` never replaces a project.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"'{out_dir}' is a file", hint="give a folder for the site")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / SITE_MARK).is_file():
        raise UsageError(f"'{out_dir}' exists and is not a site 'edugraph docs' wrote",
                         hint="give a new or empty folder")
    with replacing_folder(out_dir) as tmp:
        for rel, text in sorted(pages.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        (tmp / SITE_MARK).write_text("written by 'edugraph docs'; replaced whole by the next run\n",
                                     encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Helpers


def kind_of(iri: str) -> str:
    return (kind_and_id(iri) or ("", iri))[0]


def id_of(iri: str) -> str:
    return (kind_and_id(iri) or ("", iri))[1]


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def curie(iri: str) -> str:
    """``prefix:local`` with the dataset's prefixes and those of SHACL and the shapes."""
    return _PREFIXES.curie(iri)


def _field_names() -> dict[str, dict[str, str]]:
    """Per kind of record or relationship: property IRI -> the YAML field it comes from."""
    names: dict[str, dict[str, str]] = {}
    for kind, spec in [*KINDS.items(), *RELATIONS.items()]:
        for f in spec.fields.values():
            for predicate in [f.predicate, *(f.by_target or {}).values()]:
                if predicate:
                    names.setdefault(kind, {}).setdefault(predicate, f.name)
    return names


_FIELDS = _field_names()


def _page(title: str, body: str, root: str = "", heading: str | None = None) -> str:
    nav = "".join(f'<a href="{root}{href}">{text}</a>' for href, text in (
        ("index.html", "edugraph"), ("ontology.html", "Ontology"), ("queries.html", "Queries"),
        ("coverage.html", "Coverage"), ("timeline.html", "Timeline")))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} \u00b7 edugraph</title>\n"
            f'<link rel="stylesheet" href="{root}style.css">\n</head>\n<body>\n<nav>{nav}</nav>\n'
            f"<main>\n<h1>{heading if heading is not None else esc(title)}</h1>\n{body}</main>\n"
            "</body>\n</html>\n")


def _table(header: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> str:
    """An HTML table of cells that are already HTML."""
    right = set(numeric)
    head = "".join(f'<th{" class=n" if i in right else ""}>{h}</th>' for i, h in enumerate(header))
    body = "\n".join("<tr>" + "".join(f'<td{" class=n" if i in right else ""}>{c}</td>'
                                      for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def _kind_badge(kind: str) -> str:
    return f'<span class="kind" style="background:{KIND_COLOURS.get(kind, "#eee")}">{esc(kind)}</span>'


# ---------------------------------------------------------------------------------------------
# The pages


@dataclass(slots=True)
class _Relationship:
    kind: str
    iri: str
    other: str | None
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


class _Site:
    """What the pages need from the store: records, labels, links."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.records = all_records(store)
        self.names = labels(store, self.records)
        self.concepts: dict[str, tuple[str, str]] = {}  # IRI -> (label, anchor)
        for scheme, terms in vocabularies().items():
            for slug, label in terms.items():
                self.concepts[concept_iri(scheme, slug)] = (label, f"concept-{scheme}-{slug}")
        self.known = set(self.records)

    # -- links ----------------------------------------------------------------------------

    def path(self, iri: str) -> str:
        return f"entities/{kind_of(iri)}/{id_of(iri)}.html"

    def href(self, iri: str, root: str) -> str | None:
        if iri in self.known:
            return root + self.path(iri)
        if iri in self.concepts:
            return f"{root}ontology.html#{self.concepts[iri][1]}"
        if iri.startswith(str(EG)):
            return f"{root}ontology.html#{iri.removeprefix(str(EG))}"
        return None

    def label(self, iri: str) -> str:
        if iri in self.names:
            return self.names[iri]
        if iri in self.concepts:
            return self.concepts[iri][0]
        return curie(iri)

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | None, root: str) -> str:
        """A term as HTML: a linked label for records, concepts and own terms, else text."""
        if term is None:
            return ""
        if isinstance(term, ox.Literal):
            return esc(term.value)
        if isinstance(term, ox.BlankNode):
            return f"<code>_:{esc(term.value)}</code>"
        target = self.href(term.value, root)
        text = esc(self.label(term.value))
        if target is None:
            return f"<code>{text}</code>"
        return f'<a href="{esc(target)}">{text}</a>'

    def link(self, iri: str, root: str) -> str:
        return self.term(ox.NamedNode(iri), root)

    # -- index ----------------------------------------------------------------------------

    def index(self, stats: Stats) -> str:
        by_kind: dict[str, list[str]] = {kind: [] for kind in RECORD_KINDS}
        for iri in self.records:
            by_kind[kind_of(iri)].append(iri)
        counts = [(f'<a href="#kind-{row.label}">{esc(row.label)}</a>', f"{row.total:,}")
                  for row in stats.records]
        counts.append(("<b>records</b>", f"<b>{stats.total.total:,}</b>"))
        counts += [(esc(row.label), f"{row.total:,}") for row in stats.relationships]
        counts.append(("<b>triples</b>", f"<b>{stats.triples.total:,}</b>"))
        body = [
            "<p>edugraph is a knowledge graph of hand-curated facts about teacher-education policy "
            "and cooperation: organisations, people, events and initiatives, each citing the "
            "source documents it comes from. Curators write YAML records; edugraph checks them, "
            "maps them onto a small ontology built on W3C ORG, PROV-O, schema.org, SKOS and Dublin "
            "Core terms, and validates the graph with SHACL shapes. This site is generated from "
            "the records by <code>edugraph docs</code>.</p>\n",
            "<ul>\n<li><a href=\"ontology.html\">Ontology</a>: classes, properties, vocabularies "
            "and shapes</li>\n<li><a href=\"queries.html\">Queries</a>: the stored research "
            "questions and their answers</li>\n<li><a href=\"coverage.html\">Coverage</a>: what "
            "each source gives</li>\n<li><a href=\"timeline.html\">Timeline</a>: dated events and "
            "initiatives</li>\n</ul>\n",
            "<h2>Counts</h2>\n", _table(["kind", "count"], counts, numeric=[1]),
        ]
        for kind in RECORD_KINDS:
            items = sorted(by_kind[kind], key=lambda i: (self.label(i).casefold(), i))
            body.append(f'<h2 id="kind-{kind}">{esc(KINDS[kind].section.capitalize())} '
                        f"({len(items)})</h2>\n<p class=muted>{esc(KINDS[kind].doc)}</p>\n")
            body.append('<ul class="columns">\n' + "".join(
                f'<li><a href="{self.path(i)}">{esc(self.label(i))}</a> '
                f"<span class=muted>{esc(id_of(i))}</span></li>\n" for i in items) + "</ul>\n")
        return _page("edugraph", "".join(body))

    # -- entities -------------------------------------------------------------------------

    def _objects(self, subject: str) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
        return sorted(((q.predicate.value, q.object)  # type: ignore[misc]
                       for q in self.store.quads_for_pattern(ox.NamedNode(subject), None, None)),
                      key=lambda po: (po[0], str(po[1])))

    def _relationship(self, node: str, focus: str) -> _Relationship:
        rel = _Relationship(node.removeprefix(str(ID)).split("/", 1)[0], node, None)
        for p, o in self._objects(node):
            if p == RDF_TYPE:
                continue
            if p == PROV.wasDerivedFrom:
                rel.sources.append(o.value)
            elif isinstance(o, ox.NamedNode) and p in _RELATION_LINKS:
                if o.value != focus:
                    rel.other = o.value
            else:
                rel.facts.append((p, o))
        for q in self.store.quads_for_pattern(None, None, ox.NamedNode(node)):
            if q.predicate.value in _QUALIFIED and q.subject.value != focus:
                rel.other = q.subject.value
        return rel

    def entity(self, iri: str) -> str:
        """A record's card: what ``edugraph show`` prints, with links."""
        root = "../../"
        kind = kind_of(iri)
        fields = _FIELDS.get(kind, {})
        props = self._objects(iri)
        aliases = [o.value for p, o in props if p in (SKOS.altLabel, SKOS.hiddenLabel)]
        sources = [o.value for p, o in props if p == PROV.wasDerivedFrom]
        body = [f"<p>{_kind_badge(kind)} <code>{esc(id_of(iri))}</code> "
                f"<span class=muted>{esc(iri)}</span></p>\n"]
        if aliases:
            body.append(f"<p>Also: {esc('; '.join(aliases))}</p>\n")
        rows = [(f'{esc(fields.get(p, curie(p)))} <span class=muted>{esc(curie(p))}</span>',
                 self.term(o, root)) for p, o in props if p not in _HIDDEN]
        if rows:
            body += ["<h2>Properties</h2>\n", _table(["field", "value"], rows)]
        nodes = {o.value for p, o in props if p in _QUALIFIED}
        for link in _RELATION_LINKS:
            nodes |= {q.subject.value for q in self.store.quads_for_pattern(
                None, ox.NamedNode(link), ox.NamedNode(iri))}
        relationships = [self._relationship(node, iri) for node in sorted(nodes)]
        if relationships:
            rows = []
            for rel in relationships:
                names = _FIELDS.get(rel.kind, {})
                order = list(names.values())
                # In the order the README lists the relationship's fields: title, dates, note...
                ordered = sorted(rel.facts, key=lambda po: (
                    order.index(names[po[0]]) if po[0] in names else len(order), po[0]))
                facts = "<br>".join(f"{esc(names.get(p, curie(p)))}: {self.term(o, root)}"
                                    for p, o in ordered)
                rows.append((esc(rel.kind), self.link(rel.other, root) if rel.other else "",
                             facts, ", ".join(self.link(s, root) for s in rel.sources)))
            body += ["<h2>Relationships</h2>\n",
                     _table(["relationship", "with", "details", "sources"], rows)]
        referenced = sorted(
            ((q.predicate.value, q.subject.value) for q in self.store.quads_for_pattern(
                None, None, ox.NamedNode(iri))
             if q.predicate.value not in (*_RELATION_LINKS, *_QUALIFIED) and q.subject.value in self.known),
            key=lambda ps: (curie(ps[0]), self.label(ps[1]).casefold(), ps[1]))
        if referenced:
            rows = [(f'{esc(_FIELDS.get(kind_of(s), {}).get(p, curie(p)))} '
                     f'<span class=muted>{esc(curie(p))}</span>', self.link(s, root)) for p, s in referenced]
            body += ["<h2>Referred to by</h2>\n", _table(["field", "record"], rows)]
        if sources:
            body.append("<h2>Sources</h2>\n<ul>\n" + "".join(
                f"<li>{self.link(s, root)}</li>\n" for s in sources) + "</ul>\n")
        else:
            body.append("<h2>Sources</h2>\n<p>A source document.</p>\n")
        return _page(self.label(iri), "".join(body), root)

    # -- queries --------------------------------------------------------------------------

    def queries(self, stored: list[StoredQuery]) -> str:
        toc = "<ul>\n" + "".join(f'<li><a href="#q-{esc(q.name)}">{esc(q.title)}</a> '
                                 f"<code>{esc(q.name)}</code></li>\n" for q in stored) + "</ul>\n"
        sections = [toc]
        for query in stored:
            sections.append(self._query(query))
        intro = ("<p>Every stored query of <code>queries/</code>, with its results on this data for "
                 "the parameters of its example (run it with <code>edugraph query NAME</code>). "
                 "Queries named <code>check-*</code> are integrity checks: they return no rows "
                 "when the data is sound.</p>\n")
        return _page("Queries", intro + "".join(sections))

    def _query(self, query: StoredQuery) -> str:
        out = [f'<h2 id="q-{esc(query.name)}">{esc(query.title)}</h2>\n',
               f"<p><code>{esc(query.name)}</code></p>\n"]
        if query.description:
            out.append(f"<p>{esc(query.description)}</p>\n")
        if query.params:
            out.append(_table(["parameter", "description"], [
                (f"<code>{esc(p.signature)}</code>", esc(p.description)) for p in query.params]))
        else:
            out.append("<p class=muted>No parameters.</p>\n")
        call = f"edugraph query {query.name}" + (f" {query.example}" if query.example else "")
        out.append(f"<p>Example: <code>{esc(call)}</code></p>\n")
        out.append(f"<pre>{esc(query.text.rstrip())}</pre>\n")
        bindings = bind(query, example_params(query))
        result = run_oxigraph(self.store, bind_values(query.text, bindings))
        out.append(f"<h3>Results of the example</h3>\n{self._result(result)}")
        return "".join(out)

    def _result(self, result: QueryResult) -> str:
        if result.form == "ASK":
            return f"<p><code>{'true' if result.boolean else 'false'}</code></p>\n"
        if result.form in ("CONSTRUCT", "DESCRIBE"):
            return f"<pre>{esc(to_turtle(result))}</pre>\n"
        if not result.rows:
            return "<p class=muted>No rows.</p>\n"
        rows = [[self.term(t, "") for t in row] for row in result.rows[:MAX_ROWS]]
        more = len(result.rows) - MAX_ROWS
        note = f"<p class=muted>{more:,} more rows not shown.</p>\n" if more > 0 else ""
        return (f"<p class=muted>{len(result.rows):,} row{'s' if len(result.rows) != 1 else ''}.</p>\n"
                + _table([esc(v) for v in result.variables], rows) + note)

    # -- coverage -------------------------------------------------------------------------

    def coverage(self, stats: Stats) -> str:
        header = [esc(h) for h in stats.header()]
        numeric = range(1, len(header))
        rows = []
        for row in stats.rows:
            cells = [esc(row.label), *(f"{n:,}" for n in stats.values(row))]
            if row is stats.total or row is stats.triples:
                cells = [f"<b>{c}</b>" for c in cells]
            elif row in stats.records:
                cells[0] = f'<a href="index.html#kind-{esc(row.label)}">{esc(row.label)}</a>'
            rows.append(cells)
        # Columns by source id, as 'edugraph stats' prints them, each linked to its source's page.
        header[1:-1] = [f'<a href="{self.path(s)}" title="{esc(self.label(s))}">{h}</a>'
                        if (s := self._source_iri(h)) else h for h in header[1:-1]]
        intro = ("<p>Records per kind and per source they cite, with the relationships and "
                 "triples each source gives. A record citing two sources counts under both, and "
                 "once in the total; a source record counts under its own column. The same matrix "
                 "as <code>edugraph stats</code>.</p>\n")
        return _page("Coverage", intro + _table(header, rows, numeric=numeric))

    def _source_iri(self, source_id: str) -> str | None:
        return next((i for i in self.records if kind_of(i) == "source" and id_of(i) == source_id), None)

    # -- timeline -------------------------------------------------------------------------

    def timeline(self) -> str:
        items = timeline(self.store)
        svg = to_svg(items, "Dated events and initiatives", link=lambda item: self.path(item.iri))
        rows = [[esc(item.start or ""), esc(item.end or ""), _kind_badge(item.kind),
                 self.link(item.iri, ""), esc("; ".join(item.places))] for item in items]
        intro = ("<p>Events and initiatives with a start or an end date, in date order: a bar "
                 "runs from the start to the end, a dot marks a record with one date. The same "
                 "as <code>edugraph timeline</code>.</p>\n")
        return _page("Timeline", intro + svg + _table(HEADER, rows))

    # -- ontology -------------------------------------------------------------------------

    def ontology(self) -> str:
        return _Ontology(self).page()


class _Ontology:
    """The ontology page, read from ``ontology/edugraph.ttl`` and ``ontology/shapes.ttl``."""

    def __init__(self, site: _Site) -> None:
        self.site = site
        self.g = ox.Store()
        for name in (ONTOLOGY_FILE, SHAPES_FILE):
            self.g.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in
                               ox.parse(path=str(ontology_path(name)), format=ox.RdfFormat.TURTLE))
        self.shapes_of: dict[str, list[ox.NamedNode]] = {}
        for q in self.g.quads_for_pattern(None, ox.NamedNode(SH.targetClass), None):
            if isinstance(q.subject, ox.NamedNode):
                self.shapes_of.setdefault(q.object.value, []).append(q.subject)

    def objects(self, s: ox.NamedNode | ox.BlankNode, p: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return sorted((q.object for q in self.g.quads_for_pattern(s, ox.NamedNode(p), None)),  # type: ignore[misc]
                      key=str)

    def one(self, s: ox.NamedNode | ox.BlankNode, p: str) -> str:
        found = self.objects(s, p)
        return found[0].value if found else ""

    def of_type(self, cls: str) -> list[ox.NamedNode]:
        return sorted((q.subject for q in self.g.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls))
                       if isinstance(q.subject, ox.NamedNode)), key=lambda n: n.value)

    def ref(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        """A term on this page: own terms and shapes linked to their sections, others as CURIEs."""
        if isinstance(term, ox.Literal):
            return f"<code>{esc(term.value)}</code>" if term.datatype.value != RDF.langString else esc(term.value)
        if isinstance(term, ox.BlankNode):
            return "[" + self.constraints(term, with_path=True) + "]"
        iri = term.value
        if iri.startswith(_PREFIXES["egsh"]):
            return f'<a href="#shape-{esc(iri.removeprefix(_PREFIXES["egsh"]))}"><code>{esc(curie(iri))}</code></a>'
        if iri.startswith(str(EG)):
            return f'<a href="#{esc(iri.removeprefix(str(EG)))}"><code>{esc(curie(iri))}</code></a>'
        if iri in self.site.concepts:
            return f'<a href="#{self.site.concepts[iri][1]}"><code>{esc(curie(iri))}</code></a>'
        if iri.startswith(str(CONCEPT)) and iri.removeprefix(str(CONCEPT)) in vocabularies():
            return f'<a href="#scheme-{esc(iri.removeprefix(str(CONCEPT)))}"><code>{esc(curie(iri))}</code></a>'
        return f"<code>{esc(curie(iri))}</code>"

    def items(self, head: ox.NamedNode | ox.BlankNode | ox.Literal) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        """The members of an RDF list."""
        out = []
        while isinstance(head, (ox.NamedNode, ox.BlankNode)) and head.value != RDF.nil:
            first = self.objects(head, RDF.first)
            out += first
            rest = self.objects(head, RDF.rest)
            if not rest:
                break
            head = rest[0]
        return out

    def path(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        if isinstance(term, ox.BlankNode):
            inverse = self.objects(term, SH.inversePath)
            if inverse:
                return "^" + self.ref(inverse[0])
        return self.ref(term)

    def constraints(self, shape: ox.NamedNode | ox.BlankNode, with_path: bool = False) -> str:
        """A shape's constraints in words: ``minCount 1; class eg:Place``."""
        skip = {RDF_TYPE, SH.name, SH.property, SH.targetClass} | (set() if with_path else {SH.path})
        parts = []
        for q in sorted(self.g.quads_for_pattern(shape, None, None),
                        key=lambda q: (q.predicate.value, str(q.object))):
            p, o = q.predicate.value, q.object
            if p in skip:
                continue
            name = curie(p).removeprefix("sh:")
            if p == SH.path:
                parts.append(f"path {self.path(o)}")  # type: ignore[arg-type]
            elif p in (SH["or"], SH["in"], SH["and"], SH.xone):
                members = self.items(o)  # type: ignore[arg-type]
                joiner = " | " if p in (SH["or"], SH.xone) else ", "
                parts.append(f"{esc(name)} ({joiner.join(self.ref(m) for m in members)})")
            else:
                parts.append(f"{esc(name)} {self.ref(o)}")  # type: ignore[arg-type]
        return "; ".join(parts)

    def page(self) -> str:
        head = ox.NamedNode(ONTOLOGY_IRI)
        body = [f"<p>{esc(self.one(head, RDFS.comment))}</p>\n",
                f"<p>IRI <code>{esc(head.value)}</code>, namespace <code>{esc(str(EG))}</code>, "
                f"version {esc(self.one(head, OWL.versionInfo))}, license "
                f"<code>{esc(self.one(head, DCTERMS.license))}</code>.</p>\n",
                "<p>Records carry both the own class and the standard one, so queries in the "
                "standard vocabularies need no reasoner. Contents: <a href=\"#classes\">classes</a>, "
                "<a href=\"#properties\">properties</a>, <a href=\"#schemes\">concept schemes</a>, "
                "<a href=\"#shapes\">shapes</a>.</p>\n"]
        body.append('<h2 id="classes">Classes</h2>\n')
        for cls in self.of_type(OWL.Class):
            local = cls.value.removeprefix(str(EG))
            supers = ", ".join(self.ref(o) for o in self.objects(cls, RDFS.subClassOf))
            shapes = sorted(self.shapes_of.get(cls.value, []), key=lambda n: n.value)
            body.append(f'<h3 id="{esc(local)}">{esc(self.one(cls, RDFS.label))} '
                        f"<code>{esc(curie(cls.value))}</code></h3>\n"
                        f"<p>{esc(self.one(cls, RDFS.comment))}</p>\n<p>Subclass of {supers}."
                        + (f" Shapes: {', '.join(self.ref(s) for s in shapes)}." if shapes else "")
                        + "</p>\n")
        body.append('<h2 id="properties">Properties</h2>\n')
        props = sorted([*self.of_type(OWL.DatatypeProperty), *self.of_type(OWL.ObjectProperty)],
                       key=lambda n: n.value)
        rows = []
        for prop in props:
            local = prop.value.removeprefix(str(EG))
            kind = "datatype" if self.objects(prop, RDF_TYPE)[0].value == OWL.DatatypeProperty else "object"
            rows.append((f'<span id="{esc(local)}"><code>{esc(curie(prop.value))}</code></span>',
                         esc(self.one(prop, RDFS.label)), kind,
                         ", ".join(self.ref(o) for o in self.objects(prop, RDFS.domain)),
                         ", ".join(self.ref(o) for o in self.objects(prop, RDFS.range)),
                         esc(self.one(prop, RDFS.comment))))
        body.append(_table(["property", "label", "kind", "domain", "range", "comment"], rows))
        body.append('<h2 id="schemes">Concept schemes</h2>\n<p>The values of the <code>type</code> '
                    "and <code>role</code> fields; adding a term here makes it valid.</p>\n")
        for scheme, terms in vocabularies().items():
            node = ox.NamedNode(f"{CONCEPT}{scheme}")
            rows = []
            for slug in terms:
                concept = ox.NamedNode(concept_iri(scheme, slug))
                rows.append((f'<span id="concept-{esc(scheme)}-{esc(slug)}"><code>{esc(slug)}</code></span>',
                             esc(self.one(concept, SKOS.prefLabel)), esc(self.one(concept, SKOS.definition))))
            body.append(f'<h3 id="scheme-{esc(scheme)}">{esc(self.one(node, SKOS.prefLabel))} '
                        f"<code>{esc(curie(node.value))}</code></h3>\n"
                        + _table(["term", "label", "definition"], rows))
        body.append('<h2 id="shapes">Shapes</h2>\n<p>The SHACL shapes of '
                    "<code>ontology/shapes.ttl</code>: one node shape per class and per relationship, "
                    "and the property shapes they share. <em>field</em> is the YAML field a "
                    "violation points at.</p>\n")
        for shape in self.of_type(SH.NodeShape):
            local = shape.value.removeprefix(_PREFIXES["egsh"])
            target = ", ".join(self.ref(o) for o in self.objects(shape, SH.targetClass))
            rows = []
            for prop in self.objects(shape, SH.property):
                rows.append((esc(self.one(prop, SH.name)),  # type: ignore[arg-type]
                             self.path(self.objects(prop, SH.path)[0]),  # type: ignore[arg-type]
                             (f"{self.ref(prop)}: " if isinstance(prop, ox.NamedNode) else "")
                             + self.constraints(prop)))  # type: ignore[arg-type]
            rows.sort(key=lambda r: (r[0], r[1]))
            own = self.constraints(shape)
            body.append(f'<h3 id="shape-{esc(local)}"><code>{esc(curie(shape.value))}</code></h3>\n'
                        f"<p>Targets {target}." + (f" {own}." if own else "") + "</p>\n"
                        + (_table(["field", "path", "constraints"], rows) if rows else ""))
        body.append("<h3>Property shapes</h3>\n")
        rows = []
        for shape in self.of_type(SH.PropertyShape):
            local = shape.value.removeprefix(_PREFIXES["egsh"])
            rows.append((f'<span id="shape-{esc(local)}"><code>{esc(curie(shape.value))}</code></span>',
                         esc(self.one(shape, SH.name)), self.path(self.objects(shape, SH.path)[0]),
                         self.constraints(shape)))
        body.append(_table(["shape", "field", "path", "constraints"], rows))
        title = self.one(head, RDFS.label) or "Ontology"
        return _page(title[:1].upper() + title[1:], "".join(body))

