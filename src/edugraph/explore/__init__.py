"""Exploring the graph and the records: a record's card, search, integrity checks, a
neighbourhood, the timeline, coverage, the grounding check against the source texts, and what an
edit changed between two versions of the records."""
