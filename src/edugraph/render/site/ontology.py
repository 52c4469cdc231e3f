"""The ontology page, read from ``ontology/edugraph.ttl`` and ``ontology/shapes.ttl``: every
class, property and concept scheme of the ontology and every SHACL shape."""

from __future__ import annotations

import pyoxigraph as ox

from edugraph.render.site.links import Links
from edugraph.render.site.markup import SITE_EXTRA, curie, esc, page, table
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import (
    CONCEPT,
    DCTERMS,
    EG,
    ONTOLOGY_IRI,
    OWL,
    RDF,
    RDF_TYPE,
    RDFS,
    SH,
    SKOS,
)
from edugraph.vocab.ontology import ONTOLOGY_FILE, SHAPES_FILE, vocabularies

_SHAPES = SITE_EXTRA["egsh"]


def ontology_page(links: Links) -> str:
    """``ontology.html``; ``links`` gives the anchors of the vocabularies' concepts."""
    return _Ontology(links).page()


class _Ontology:
    """The ontology page, read from ``ontology/edugraph.ttl`` and ``ontology/shapes.ttl``."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self.g = ox.Store()
        for name in (ONTOLOGY_FILE, SHAPES_FILE):
            self.g.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology.triples(name))
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
        if iri.startswith(_SHAPES):
            return f'<a href="#shape-{esc(iri.removeprefix(_SHAPES))}"><code>{esc(curie(iri))}</code></a>'
        if iri.startswith(str(EG)):
            return f'<a href="#{esc(iri.removeprefix(str(EG)))}"><code>{esc(curie(iri))}</code></a>'
        if iri in self.links.concepts:
            return f'<a href="#{self.links.concepts[iri][1]}"><code>{esc(curie(iri))}</code></a>'
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
        body.append(table(["property", "label", "kind", "domain", "range", "comment"], rows))
        body.append('<h2 id="schemes">Concept schemes</h2>\n<p>The values of the <code>type</code> '
                    "and <code>role</code> fields; adding a term here makes it valid.</p>\n")
        for scheme, terms in vocabularies().items():
            node = ox.NamedNode(f"{CONCEPT}{scheme}")
            rows = []
            for slug in terms:
                concept = ox.NamedNode(ontology.concept(scheme, slug))
                rows.append((f'<span id="concept-{esc(scheme)}-{esc(slug)}"><code>{esc(slug)}</code></span>',
                             esc(self.one(concept, SKOS.prefLabel)), esc(self.one(concept, SKOS.definition))))
            body.append(f'<h3 id="scheme-{esc(scheme)}">{esc(self.one(node, SKOS.prefLabel))} '
                        f"<code>{esc(curie(node.value))}</code></h3>\n"
                        + table(["term", "label", "definition"], rows))
        body.append('<h2 id="shapes">Shapes</h2>\n<p>The SHACL shapes of '
                    "<code>ontology/shapes.ttl</code>: one node shape per class and per relationship, "
                    "and the property shapes they share. <em>field</em> is the YAML field a "
                    "violation points at.</p>\n")
        for shape in self.of_type(SH.NodeShape):
            local = shape.value.removeprefix(_SHAPES)
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
                        + (table(["field", "path", "constraints"], rows) if rows else ""))
        body.append("<h3>Property shapes</h3>\n")
        rows = []
        for shape in self.of_type(SH.PropertyShape):
            local = shape.value.removeprefix(_SHAPES)
            rows.append((f'<span id="shape-{esc(local)}"><code>{esc(curie(shape.value))}</code></span>',
                         esc(self.one(shape, SH.name)), self.path(self.objects(shape, SH.path)[0]),
                         self.constraints(shape)))
        body.append(table(["shape", "field", "path", "constraints"], rows))
        title = self.one(head, RDFS.label) or "Ontology"
        return page(title[:1].upper() + title[1:], "".join(body))

