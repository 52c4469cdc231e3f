"""SHACL unit by unit: each file's share of the graph validated apart, with its context, and its
results cached, so a rebuild validates again only what an edit can have changed.

A unit's results depend on its triples and its *context*, the triples from elsewhere that the
shapes can look at from its nodes: the ``rdf:type`` of each node it points to, and the triples of
other files pointing into it with a predicate a shape follows backwards (see
:func:`edugraph.build.shacl.one_hop_shapes`). That is exact as long as every shape looks one step
from its focus node, which :func:`one_hop_shapes` checks; otherwise the whole graph is validated.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

import pyoxigraph as ox

from edugraph.build.compile import CHECKS, MIN_JOBS, Compiled, cache_salt, in_order
from edugraph.build.load import Progress
from edugraph.build.shacl import Finding, Report, one_hop_shapes, trace, validate_part, validate_triples
from edugraph.build.units import Unit
from edugraph.files import Cache


def validate_units(compiled: Compiled, engine: str = "turbo", cache_dir: Path | None = None,
                   progress: Progress | None = None, pool: Executor | None = None) -> Report:
    """SHACL-validate every unit, each result traced back to its YAML.

    With pyshacl-turbo and shapes that look one step from their focus node, each unit is
    validated apart with its context, and its results are cached; otherwise (``--engine
    pyshacl``, or other shapes) the whole graph is validated at once.
    """
    inverse = one_hop_shapes() if engine == "turbo" else None
    if inverse is None:
        return validate_whole(compiled, engine)
    cache = Cache(cache_dir / CHECKS if cache_dir else None)
    found = unit_findings(compiled.units, compiled.keys, inverse, cache, progress, pool,
                          compiled.used.setdefault(CHECKS, []))
    traced: list[Finding] = []
    for i, findings in enumerate(found):
        if findings:
            traced.extend(trace(findings, compiled.origins_of(i)))
    return Report(trace(traced, {}))


def unit_findings(units: Sequence[Unit], keys: Sequence[str], inverse: frozenset[str],
                  cache: Cache | None = None, progress: Progress | None = None,
                  pool: Executor | None = None, used: list[str] | None = None
                  ) -> list[list[Finding]]:
    """The SHACL results of each unit's subjects, validated unit by unit with their context
    (``inverse``: the predicates the shapes follow backwards); ``keys`` identify the units'
    triples in the ``cache``."""
    owner: dict[str, int] = {}
    incoming: dict[str, list[str]] = {}
    subjects = [u.subjects for u in units]
    for i, u in enumerate(units):
        owner.update(dict.fromkeys(subjects[i], i))
        for predicate in inverse:
            for obj, line in u.inward.get(predicate, ()):
                incoming.setdefault(obj, []).append(line)
    salt = hashlib.sha256(cache_salt()).hexdigest()
    type_lines: dict[int, list[str]] = {}

    def types_of(node: str) -> list[str]:
        i = owner.get(node)
        if i is None:
            return []
        lines = type_lines.get(i)
        if lines is None:
            lines = type_lines[i] = units[i].type_text.splitlines(keepends=True)
        # A unit's type lines are sorted, so a node's are together, found by bisection: a rebuild
        # needs a few nodes of each of dozens of units, whose lines are not worth a dict each.
        prefix = f"<{node}> "
        j = bisect.bisect_left(lines, prefix)
        found = []
        while j < len(lines) and lines[j].startswith(prefix):
            found.append(lines[j])
            j += 1
        return found

    def context(externals: list[str], inward: list[str], sources: list[str]) -> str:
        lines = {*inward}
        for node in itertools.chain(externals, sources):
            lines.update(types_of(node))
        return "".join(sorted(lines))

    out: list[list[Finding] | None] = []
    todo: list[tuple[int, str, list[str], list[str], list[str]]] = []
    for i, u in enumerate(units):
        # The context is the types in other units and the lines pointing in: their digests and
        # the lines identify it, and it is only put together when its results are not cached.
        # Looked up with map over dict.get: these run over every node of every unit.
        externals = u.externals
        inward = list(itertools.chain.from_iterable(filter(None, map(incoming.get, subjects[i]))))
        sources = [line[1:line.index(">")] for line in inward]
        owners = set(map(owner.get, itertools.chain(externals, sources)))
        owners.discard(None)
        neighbours = sorted({units[j].type_digest for j in owners})  # type: ignore[index]
        key = hashlib.sha256("\0".join([salt, keys[i], *neighbours, *inward]).encode()).hexdigest()
        out.append(cache.get(key) if cache is not None else None)
        if used is not None:
            used.append(key)
        if out[i] is None:
            todo.append((i, key, externals, inward, sources))
    parallel = pool is not None and len(todo) >= MIN_JOBS
    # A worker reads a cached unit's text itself: the main process neither reads nor sends it.
    texts = (Path(units[i].origin + ".nt") if parallel and units[i].origin else units[i].data("nt")
             for i, *_ in todo)
    contexts = (context(*parts) for _, _, *parts in todo)
    focus = (subjects[i] for i, *_ in todo)
    jobs = (in_order(pool, _validate_job, texts, contexts, focus) if parallel
            else map(_validate_job, texts, contexts, focus))
    for done, ((i, key, *_), found) in enumerate(zip(todo, jobs), start=1):
        out[i] = found
        if cache is not None:
            cache.put(key, found)
        if progress is not None:
            progress("validate", done, len(todo))
    return [found or [] for found in out]


def _validate_job(text: bytes | Path, context: str, focus: list[str]) -> list[Finding]:
    """:func:`validate_part` of a unit's N-Triples (``text``, or the cache file holding it) and
    its context."""
    if isinstance(text, Path):
        text = text.read_bytes()
    return validate_part(text.decode() + context, focus)


def validate_whole(compiled: Compiled, engine: str) -> Report:
    """SHACL results of the whole graph at once, traced back to the YAML (with the engine's own
    results graph, for ``validate --format turtle``)."""
    triples = ox.parse(compiled.serialise("nt"), format=ox.RdfFormat.N_TRIPLES)
    return validate_triples(list(triples), compiled.origins(), engine=engine)
