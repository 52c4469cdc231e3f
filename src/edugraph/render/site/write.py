"""The site put together and written: every page, by relative path, into a folder swapped in whole.

Pages: ``index.html`` (what the dataset is, counts, every record), ``ontology.html`` (every class,
property and concept scheme of the ontology and every SHACL shape), one page per record under
``entities/<kind>/<id>.html`` (its card, as ``edugraph show`` prints it, with links),
``queries.html`` (every query of the catalogue, built-in or the project's, with its results for
its example parameters),
``coverage.html`` (the coverage matrix) and ``timeline.html``. Links are relative, nothing is
fetched, no script runs; every text is escaped. The same data gives byte-identical files. The site
is written in a temporary folder beside the target and renamed into place when complete.
"""

from __future__ import annotations

from pathlib import Path

from edugraph.build.pipeline import compile_project
from edugraph.build.void import About
from edugraph.errors import UsageError
from edugraph.explore.card import card_of
from edugraph.explore.stats import stats_of
from edugraph.outputs import replacing_folder, shown
from edugraph.query.stored import Folders, catalogue
from edugraph.query.stores import DEFAULT_CACHE, open_store
from edugraph.render.site.links import Links
from edugraph.render.site.ontology import ontology_page
from edugraph.render.site.pages import coverage, index, queries, timeline_page
from edugraph.render.site.record import record_page
from edugraph.render.style import SITE_CSS

SITE_MARK = ".edugraph-site"
"""The file that marks a folder as a site this module wrote."""


def build_site(data_dir: Path, out_dir: Path, extra_queries: Folders = (),
               cache_dir: Path = DEFAULT_CACHE, about: About = About()) -> list[str]:
    """Write the site of the data under ``data_dir`` to ``out_dir``; the pages' relative paths.

    The queries page documents the whole catalogue: the built-in queries and those of
    the folders ``extra_queries``."""
    pages = render_site(data_dir, extra_queries, cache_dir, about)
    write_site(pages, out_dir)
    return sorted(pages)


def render_site(data_dir: Path, extra_queries: Folders = (),
                cache_dir: Path = DEFAULT_CACHE, about: About = About()) -> dict[str, str]:
    """Every file of the site, by relative path; the index names the dataset as ``about`` does."""
    stored = catalogue(extra_queries)  # a missing folder fails before any work
    compiled = compile_project(data_dir, cache_dir)
    store = open_store(data_dir, cache_dir, lambda: compiled.serialise("nt"))
    links = Links(store)
    pages = {
        "style.css": SITE_CSS,
        "index.html": index(links, stats_of(compiled), about),
        "ontology.html": ontology_page(links),
        "queries.html": queries(links, stored),
        "coverage.html": coverage(links, stats_of(compiled)),
        "timeline.html": timeline_page(links),
    }
    for iri in links.records:
        pages[links.path(iri)] = record_page(links, card_of(store, iri))
    return pages


def write_site(pages: dict[str, str], out_dir: Path) -> None:
    """Write ``pages`` into a new folder and swap it in for ``out_dir`` whole.

    ``out_dir`` may be missing, empty, or a site this module wrote (it has :data:`SITE_MARK`);
    any other folder is refused, so a slip such as ``-o .`` never replaces a project.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"'{shown(out_dir)}' is a file", hint="give a folder for the site")
    # Refused, never removed: only an empty folder or a site this module wrote is replaced.
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / SITE_MARK).is_file():
        raise UsageError(f"'{shown(out_dir)}' exists and is not a site 'edugraph docs' wrote",
                         hint="give a new or empty folder")
    with replacing_folder(out_dir, "the site's files") as tmp:
        for rel, text in sorted(pages.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        (tmp / SITE_MARK).write_text("written by 'edugraph docs'; replaced whole by the next run\n",
                                     encoding="utf-8")
