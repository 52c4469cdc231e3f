"""Pure output: the card as text, pictures (DOT, Graphviz, vis-network), the timeline (SVG) and
the static site."""
