"""Exploring the graph and the records: a record's card, search, integrity checks, a
neighbourhood, the timeline, coverage and the grounding check against the source texts."""
