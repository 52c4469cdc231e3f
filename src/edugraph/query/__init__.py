"""The query side: SPARQL screened and bound, stored queries, results, stores and remote
endpoints behind one Source; it never imports the build (the build hands it a compiler)."""
