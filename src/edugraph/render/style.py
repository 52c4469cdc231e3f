"""Rendering style shared by the pictures, the timeline and the site: colours and the CSS."""

from __future__ import annotations

import itertools
from typing import Final

from edugraph.model.kinds import RECORD_KINDS

PALETTE: Final = ("#8fbce6", "#f6b26b", "#8fd19e", "#c9a3e0", "#f3e08a", "#cfd4da", "#f4a7a3",
                  "#a8dadc", "#e9c46a", "#b5ead7", "#ffdac1", "#d4a5a5")
"""Fill colours light enough for black text, given to the kinds of record in the model's order
(a kind added to the model takes the next one; past the last they repeat)."""

KIND_COLOURS: Final[dict[str, str]] = dict(zip(RECORD_KINDS, itertools.cycle(PALETTE)))
"""Kind of record -> its fill colour in pictures, the timeline and the site; the legends show them."""

SITE_CSS: Final = """\
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0;
  line-height: 1.45; }
nav { background: #24292f; padding: .6rem 1.5rem; }
nav a { color: #fff; margin-right: 1.2rem; text-decoration: none; }
nav a:first-child { font-weight: bold; }
main { max-width: 72rem; margin: 1rem auto 3rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .55rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .88em; }
pre { background: #f6f8fa; padding: .75rem; overflow-x: auto; border: 1px solid #d0d7de; }
.kind { display: inline-block; padding: 0 .45rem; border-radius: .6rem; border: 1px solid #888;
  font-size: .85em; }
.muted { color: #59636e; }
ul.columns { columns: 2 22rem; }
svg { max-width: 100%; height: auto; }
"""
"""The site's one style sheet (``style.css``)."""
