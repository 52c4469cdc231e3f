"""The site's HTML pieces: escaping, CURIEs, the page frame, tables and kind badges."""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import cache
from typing import Final

from edugraph.model.kinds import PREFIXES
from edugraph.render.style import KIND_COLOURS
from edugraph.vocab.namespaces import ID, SH, SHAPES_IRI, Prefixes

SITE_EXTRA: Final = {"sh": str(SH), "egsh": SHAPES_IRI + "#"}
"""Prefixes the ontology page needs besides the dataset's: SHACL's and the shapes'."""
"""The dataset's prefixes and those of SHACL and the shapes."""


def esc(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def curie(iri: str) -> str:
    """``prefix:local`` with the dataset's prefixes (for the base IRI in use) and :data:`SITE_EXTRA`."""
    return _site_prefixes(str(ID)).curie(iri)


@cache
def _site_prefixes(base: str) -> Prefixes:
    """The dataset's prefixes (for ``base``, the one in use) and :data:`SITE_EXTRA`."""
    return PREFIXES.with_prefixes(SITE_EXTRA)


def page(title: str, body: str, root: str = "", heading: str | None = None) -> str:
    """A whole page: the navigation bar, ``heading`` (HTML; default: the escaped ``title``) and
    ``body``; ``root`` leads from the page's folder to the site's."""
    nav = "".join(f'<a href="{root}{href}">{text}</a>' for href, text in (
        ("index.html", "edugraph"), ("ontology.html", "Ontology"), ("queries.html", "Queries"),
        ("coverage.html", "Coverage"), ("timeline.html", "Timeline")))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} \u00b7 edugraph</title>\n"
            f'<link rel="stylesheet" href="{root}style.css">\n</head>\n<body>\n<nav>{nav}</nav>\n'
            f"<main>\n<h1>{heading if heading is not None else esc(title)}</h1>\n{body}</main>\n"
            "</body>\n</html>\n")


def table(header: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> str:
    """An HTML table of cells that are already HTML."""
    right = set(numeric)
    head = "".join(f'<th{" class=n" if i in right else ""}>{h}</th>' for i, h in enumerate(header))
    body = "\n".join("<tr>" + "".join(f'<td{" class=n" if i in right else ""}>{c}</td>'
                                      for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def kind_badge(kind: str) -> str:
    """A kind of record as a badge in its colour."""
    return f'<span class="kind" style="background:{KIND_COLOURS.get(kind, "#eee")}">{esc(kind)}</span>'

