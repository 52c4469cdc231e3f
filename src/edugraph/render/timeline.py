"""The timeline drawn: dated events and initiatives (:mod:`edugraph.explore.timeline`) as an SVG
picture, or a page with the picture and a table.

The SVG is drawn here, with no library: one row per item, a time axis with year ticks, a bar for
an item with an end, a dot for one without, and its name.
"""

from __future__ import annotations

import calendar
import html
from collections.abc import Callable
from datetime import date

from edugraph.explore.timeline import HEADER, Dated
from edugraph.render.style import KIND_COLOURS
from edugraph.vocab.namespaces import SVG_NS


def _years(lexical: str, end: bool) -> float:
    """Where a date form starts on the axis, or (``end``) where it ends, in fractional years
    (2020 starts at 2020.0 and ends at 2021.0).

    Counted in days within its year, never by making the day after it: that day does not exist
    for 9999-12-31, the last day Python's dates have.
    """
    year = int(lexical[:4])
    length = 366 if calendar.isleap(year) else 365
    if len(lexical) == 4:
        return year + (1 if end else 0)
    if len(lexical) == 7:
        month = int(lexical[5:7])
        first = date(year, month, 1).timetuple().tm_yday - 1
        days = first + (calendar.monthrange(year, month)[1] if end else 0)
    else:
        days = date.fromisoformat(lexical[:10]).timetuple().tm_yday - (0 if end else 1)
    return year + days / length


_WIDTH = 1000
_LABEL = 420  # width of the name column
_PAD = 16
_ROW = 24
_TOP = 64  # title and axis
_CHARS = 58  # names longer than this are cut (the full name is in the row's tooltip)


def _tick_step(span: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= 16:
            return step
    return 200


def timeline_title(first: int | None = None, last: int | None = None) -> str:
    """The title of a timeline of the years ``first``..``last`` (either open)."""
    span = f" {first if first is not None else ''}\u2013{last if last is not None else ''}" \
        if first is not None or last is not None else ""
    return f"Timeline of events and initiatives{span}"


def to_svg(items: list[Dated], title: str = "Timeline",
           link: Callable[[Dated], str | None] | None = None) -> str:
    """An SVG timeline of ``items`` (in the order :func:`edugraph.explore.timeline.timeline`
    gives them); ``link`` gives each row's name an href (None: plain text)."""
    x0, x1 = _LABEL + _PAD, _WIDTH - _PAD
    if items:
        lo = min(_years(i.start or i.end or "", False) for i in items)
        hi = max(_years(i.end or i.start or "", True) for i in items)
        first, last = int(lo), int(hi) + (0 if hi == int(hi) else 1)
    else:
        first, last = 2000, 2001
    last = max(last, first + 1)

    def x(years: float) -> float:
        return round(x0 + (years - first) / (last - first) * (x1 - x0), 1)

    height = _TOP + _ROW * max(len(items), 1) + _PAD
    out = [f'<svg xmlns="{SVG_NS}" width="{_WIDTH}" height="{height}" '
           f'viewBox="0 0 {_WIDTH} {height}" font-family="sans-serif" font-size="12" role="img">',
           f"<title>{html.escape(title)}</title>",
           f'<text x="{_PAD}" y="24" font-size="16" font-weight="bold">{html.escape(title)}</text>']
    axis_y = _TOP - 8
    out.append(f'<line x1="{x0}" y1="{axis_y}" x2="{x1}" y2="{axis_y}" stroke="#444"/>')
    step = _tick_step(last - first)
    for year in range(first - first % step, last + 1, step):
        if year < first:
            continue
        tx = x(year)
        out.append(f'<line x1="{tx}" y1="{axis_y - 4}" x2="{tx}" y2="{height - _PAD}" stroke="#ddd"/>')
        out.append(f'<text x="{tx}" y="{axis_y - 8}" text-anchor="middle" class="year">{year}</text>')
    if not items:
        out.append(f'<text x="{_PAD}" y="{_TOP + 16}">Nothing dated in this span.</text>')
    for n, item in enumerate(items):
        top = _TOP + n * _ROW
        mid = top + _ROW // 2
        if n % 2:
            out.append(f'<rect x="0" y="{top}" width="{_WIDTH}" height="{_ROW}" fill="#f6f6f6"/>')
        dates = (item.start or "") if item.end is None else f"{item.start or '?'} to {item.end}"
        tip = html.escape(f"{item.name} ({item.kind}, {dates}"
                          + (f", {'; '.join(item.places)}" if item.places else "") + ")")
        name = item.name if len(item.name) <= _CHARS else item.name[:_CHARS - 1].rstrip() + "\u2026"
        label = f'<text x="{_PAD}" y="{mid + 4}">{html.escape(name)}</text>'
        href = link(item) if link else None
        if href:
            label = f'<a href="{html.escape(href)}">{label}</a>'
        colour = KIND_COLOURS.get(item.kind, "#999999")
        begin = x(_years(item.start or item.end or "", False))
        if item.start and item.end:
            width = max(x(_years(item.end, True)) - begin, 4)
            mark = (f'<rect x="{begin}" y="{mid - 5}" width="{round(width, 1)}" height="10" rx="3" '
                    f'fill="{colour}" stroke="#555"/>')
            right = begin + width
        else:
            mark = f'<circle cx="{begin}" cy="{mid}" r="5" fill="{colour}" stroke="#555"/>'
            right = begin + 5
        # The dates beside the mark; on its left when it sits in the right half of the chart.
        if right < (x0 + x1) / 2:
            when = f'<text x="{round(right + 6, 1)}" y="{mid + 4}" font-size="10" fill="#555">'
        else:
            when = (f'<text x="{round(begin - 8, 1)}" y="{mid + 4}" font-size="10" fill="#555" '
                    'text-anchor="end">')
        out.append(f'<g class="item" data-id="{html.escape(item.id)}" data-kind="{item.kind}">'
                   f"<title>{tip}</title>{label}{mark}{when}{html.escape(dates)}</text></g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def to_html(items: list[Dated], title: str = "Timeline") -> str:
    """A page with the SVG timeline and the same items as a table."""
    rows = "\n".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in item.row()) + "</tr>"
                     for item in items)
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>\nbody {{ font-family: sans-serif; margin: 1rem 1.5rem; }}\n"
            "table { border-collapse: collapse; margin-top: 1rem; }\n"
            "th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }\n"
            "svg { max-width: 100%; height: auto; }\n</style>\n</head>\n<body>\n"
            f"{to_svg(items, title)}<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n"
            "</table>\n</body>\n</html>\n")
