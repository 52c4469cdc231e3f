"""Integrity checks: the stored ``check-*.rq`` queries, each of which must return no rows."""

from __future__ import annotations

from pathlib import Path

from edugraph.errors import UsageError
from edugraph.query.results import QueryResult
from edugraph.query.source import Source
from edugraph.query.stored import StoredQuery, catalogue


def run_checks(source: Source, queries_dir: Path) -> list[tuple[StoredQuery, QueryResult]]:
    """Every ``check-*.rq`` and its rows (a check passes when it returns none)."""
    checks = [q for q in catalogue(queries_dir) if q.is_check]
    if not checks:
        raise UsageError(f"no check-*.rq queries in '{queries_dir}'")
    return [(q, source.run(q.text)) for q in checks]
