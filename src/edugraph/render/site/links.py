"""What the site's pages need from the store: its records, their labels, and links to their pages
and to the ontology page's terms."""

from __future__ import annotations

import pyoxigraph as ox

from edugraph.explore.neighbourhood import all_records
from edugraph.model.kinds import kind_and_id
from edugraph.query.stores import labels
from edugraph.render.site.markup import curie, esc
from edugraph.vocab.namespaces import EG
from edugraph.vocab.ontology import concept, vocabularies


class Links:
    """The records of a store, their labels, and links to them (relative to a page's ``root``)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.records = all_records(store)
        self.names = labels(store, self.records)
        self.concepts: dict[str, tuple[str, str]] = {}  # IRI -> (label, anchor)
        for scheme, terms in vocabularies().items():
            for slug, label in terms.items():
                self.concepts[concept(scheme, slug)] = (label, f"concept-{scheme}-{slug}")
        self.known = set(self.records)

    def path(self, iri: str) -> str:
        """A record's page, relative to the site's folder."""
        kind, record_id = kind_and_id(iri) or ("", iri)
        return f"entities/{kind}/{record_id}.html"

    def href(self, iri: str, root: str) -> str | None:
        """Where a link to ``iri`` goes: a record's page, a term on the ontology page, or None."""
        if iri in self.known:
            return root + self.path(iri)
        if iri in self.concepts:
            return f"{root}ontology.html#{self.concepts[iri][1]}"
        if iri.startswith(str(EG)):
            return f"{root}ontology.html#{iri.removeprefix(str(EG))}"
        return None

    def label(self, iri: str) -> str:
        """A record's label, a concept's, else the IRI's CURIE."""
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
        """An IRI as HTML, as :meth:`term` shows it."""
        return self.term(ox.NamedNode(iri), root)
