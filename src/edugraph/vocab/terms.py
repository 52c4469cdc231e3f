"""RDF terms between pyoxigraph, in which edugraph works, and rdflib (for pySHACL, rdflib's
SPARQL engine and library users)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from edugraph.vocab.namespaces import XSD

if TYPE_CHECKING:
    import rdflib


def to_rdflib(triples: Iterable[ox.Triple | ox.Quad], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Copy pyoxigraph triples (or quads, graphs dropped) into an rdflib graph (a new one by default)."""
    import rdflib

    g = graph if graph is not None else rdflib.Graph()
    iris: dict[str, rdflib.URIRef] = {}

    def term(t):
        if isinstance(t, ox.NamedNode):
            r = iris.get(t.value)
            if r is None:
                r = iris[t.value] = rdflib.URIRef(t.value)
            return r
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        datatype = t.datatype.value
        if datatype == XSD.string:
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=term(t.datatype))

    add = g.add
    for t in triples:
        add((term(t.subject), term(t.predicate), term(t.object)))
    return g


def from_rdflib(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))
