"""Vocabularies: IRIs, prefixes and the one CURIE shortener; the ontology files, parsed once;
terms between pyoxigraph and rdflib."""
