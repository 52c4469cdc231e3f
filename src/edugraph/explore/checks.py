"""Integrity checks: the ``check-*.rq`` queries of the catalogue, each of which must return no rows."""

from __future__ import annotations

from pathlib import Path

from edugraph.errors import UsageError
from edugraph.query.results import QueryResult
from edugraph.query.source import Source
from edugraph.query.stored import Folders, StoredQuery, catalogue


def run_checks(source: Source, extra_dirs: Folders = ()) -> list[tuple[StoredQuery, QueryResult]]:
    """Every ``check-*.rq`` of the catalogue (the built-in ones and those of ``extra_dirs``) and
    its rows (a check passes when it returns none)."""
    checks = [q for q in catalogue(extra_dirs) if q.is_check]
    if not checks:
        folders = [extra_dirs] if isinstance(extra_dirs, Path) else list(extra_dirs)
        where = "".join(f", '{folder}'" for folder in folders)
        raise UsageError(f"no check-*.rq queries among the built-in ones{where}")
    return [(q, source.run(q.text)) for q in checks]
