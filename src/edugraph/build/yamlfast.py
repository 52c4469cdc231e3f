"""The fast path of strict YAML reading: rapidyaml's tree, for files it provably reads as libyaml does.

rapidyaml (``ryml``, C++) parses YAML 1.2, words errors its own way and knows no lines of
containers, so a file is accepted only when every node is one checked here: block mappings, block
and single-level flow lists, one-line plain scalars left as written in the buffer, one-line quoted
scalars whose escapes decode here as rapidyaml decoded them. Lines come from each scalar's byte
offset (the address of rapidyaml's view into the buffer); a container's line is that of its first
scalar, checked against the openers (``-``, ``[``) before it on that line. Anything else returns
:data:`UNSURE`, and the caller reads the file with libyaml, whose messages users see.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_right as _bisect
from itertools import accumulate
from typing import Final

from edugraph.build import yamltable
from edugraph.build.yamlnodes import MAX_DEPTH, NULLS, Map, Node, Scalar, Seq
from edugraph.build.yamltable import FIRST, KEY_AT, KEY_LEN, NEXT, STRIDE, TYPE, VAL_AT, VAL_LEN

try:
    import ryml
except ImportError:  # pragma: no cover - a runtime dependency; libyaml reads everything without it
    ryml = None

UNSURE: Final = object()
"""Returned where this path cannot prove it reads the file as libyaml does."""

# Characters libyaml's reader refuses or reads as line breaks (NEL, U+2028/9), a BOM, tabs and CRs.
_REFUSED_CHARS = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# What may start an anchor, alias, tag, complex key, block scalar, directive or reserved indicator.
_INDICATORS = re.compile(r"[&*!?|>%@`]")
# Escapes other than the few decoded here, and escaped surrogates (libyaml words those).
_ODD_ESCAPES = re.compile(r"\\[^\"\\/ntu]|\\u[dD][89a-fA-F]")


def _unsure_text(text: str) -> bool:
    """Whether ``text`` holds anything the fast path leaves to libyaml (several simple scans:
    one regular expression of alternatives costs ten times as much)."""
    if _REFUSED_CHARS.search(text) or "<<" in text or text.startswith(("---", "...")) \
            or "\n---" in text or "\n..." in text:
        return True
    if "\\" in text and _ODD_ESCAPES.search(text):
        return True
    return any(m.start() == 0 or text[m.start() - 1] in " []{},\n" for m in _INDICATORS.finditer(text))


_DQUO = re.compile(rb'((?:[^"\\\n]|\\["\\/nt]|\\u[0-9a-fA-F]{4})*)"')
_SQUO = re.compile(rb"((?:[^'\n]|'')*)'")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t"}
_PLAIN_START = frozenset(b"-?:,[]{}#&*!|>'\"%@`")
_FLOW_PLAIN_BAD = re.compile(rb"[\[\]{}:#,]")
_BLOCK_PLAIN_BAD = re.compile(rb": |:$| #")
_KINDS = {(seq, flow): (seq, flow) for seq in (False, True) for flow in (False, True)}
_PATTERNS: dict[tuple[tuple[bool, bool], ...], re.Pattern[bytes]] = {}


def _opener_pattern(kinds: tuple[tuple[bool, bool], ...]) -> re.Pattern[bytes]:
    """What a line holds before the first scalar of containers opened there (outermost first)."""
    tail = b"".join(_OPENERS[kind] for kind in kinds)
    # before the outermost: a flow opener follows a space or another; a block container starts
    # its line, after the dashes of the lists it is an item of
    start = b"(?:^|[ ,\\[{])" if kinds[0][1] else b"^ *(?:- +)*"
    pattern = _PATTERNS[kinds] = re.compile(start + tail + b"$", re.M)  # searched from a line start
    return pattern


_EMPTY = re.compile(rb" *: +([\[{]) *[\]}] *(?:#|\n|$)")
# What a container writes before its first scalar on the same line: (is a list, is flow) -> pattern
_OPENERS = {(True, True): rb"\[ *", (True, False): rb"- +", (False, True): rb"\{ *", (False, False): b""}




class _Unsure(Exception):
    """This file is not one the fast path can prove it reads as libyaml does."""


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) == 5 else _ESCAPES[code]


def parse(data: bytes, text: str) -> Node | None | object:
    """The node tree of ``data`` (its UTF-8 ``text`` alongside), or :data:`UNSURE`."""
    if ryml is None or _unsure_text(text):
        return UNSURE
    buf = bytearray(data)
    collecting = gc.isenabled()
    gc.disable()  # the walk makes only acyclic nodes: collections on the way would find nothing
    try:
        tree = yamltable.quiet_parse(buf)
        return _Walk(_nodes(tree), data, bytes(buf), yamltable.address(memoryview(buf))).run()
    except _Unsure:
        return UNSURE
    except Exception:  # rapidyaml's parse errors: libyaml words them
        return UNSURE
    finally:
        if collecting:
            gc.enable()


_nodes = yamltable.nodes  # rapidyaml's tree as a table (the tests put the other reading here)
_NONE = 2**64 - 1  # rapidyaml's "no node"
_plus_one = (1).__add__
if ryml is not None:
    _MAP, _SEQ, _KEY, _VAL, _FLOW = ryml.MAP, ryml.SEQ, ryml.KEY, ryml.VAL, ryml.FLOW_SL | ryml.FLOW_ML
    _REFUSED = (ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
                | ryml.STREAM & ~ryml.SEQ)
    _KEY_STYLES = {ryml.KEY_PLAIN: "plain", ryml.KEY_SQUO: "squo", ryml.KEY_DQUO: "dquo"}
    _KEY_STYLE, _KEY_PLAIN = ryml.KEY_STYLE, ryml.KEY_PLAIN
    _VAL_STYLES = {ryml.VAL_PLAIN: "plain", ryml.VAL_SQUO: "squo", ryml.VAL_DQUO: "dquo"}
    _VAL_STYLE, _VAL_PLAIN = ryml.VAL_STYLE, ryml.VAL_PLAIN




class _Walk:
    """One walk of rapidyaml's tree in document order, building the nodes of yamlread."""

    def __init__(self, nodes, src: bytes, filtered: bytes, base: int) -> None:  # type: ignore[no-untyped-def]
        self.nodes, self.src, self.filtered, self.base = nodes, src, filtered, base
        # containers awaiting the line of their first scalar, with (is a list, is flow)
        self.opening: list[tuple[Map | Seq, tuple[bool, bool]]] = []
        self.prefixes: dict[tuple[tuple[tuple[bool, bool], ...], bytes], bool] = {}
        self.keys: dict[bytes, str] = {}  # the plain keys read, by their bytes

    def scalar(self, at: int, size: int, style: str | None, in_flow: bool) -> tuple[str, int, int]:
        """The text of a scalar rapidyaml has at address ``at`` and the offsets where it starts and
        ends in the source (quotes included)."""
        src = self.src
        off = at - self.base if size else -1
        if not 0 <= off <= len(src) - size:  # filtered outside the buffer
            raise _Unsure
        view = self.filtered[off:off + size]
        if style == "plain":
            if size == 0 or not 0 <= off <= len(src) - size:
                raise _Unsure
            raw = src[off:off + size]
            if raw != view or b"\n" in raw or raw[0] in _PLAIN_START and not (
                    raw[0] == 0x2D and size > 1 and raw[1] != 0x20):
                raise _Unsure
            if (_FLOW_PLAIN_BAD if in_flow else _BLOCK_PLAIN_BAD).search(raw):
                raise _Unsure
            return raw.decode("utf-8"), off, off + size
        if style is None or not 1 <= off <= len(src) or src[off - 1] != (0x22 if style == "dquo" else 0x27):
            raise _Unsure
        if style == "dquo":
            end = src.find(b'"', off)
            raw = src[off:end]
            if end > 0 and b"\\" not in raw and b"\n" not in raw:
                if raw != view:
                    raise _Unsure
                return raw.decode("utf-8"), off - 1, end + 1
        match = (_DQUO if style == "dquo" else _SQUO).match(src, off)
        if match is None:
            raise _Unsure
        text = match.group(1).decode("utf-8")
        text = (_ESCAPE.sub(_unescape, text) if "\\" in text else text) if style == "dquo" \
            else text.replace("''", "'")
        try:
            if text.encode("utf-8") != view:
                raise _Unsure
        except UnicodeEncodeError:  # a lone surrogate: libyaml's message
            raise _Unsure from None
        return text, off - 1, match.end()

    def opened(self, off: int, line: int) -> None:
        """Give ``line`` to the containers the scalar at ``off`` opens, once the openers written
        before it on its line (``-``, ``[``, ``{``) show they start there."""
        opening, src = self.opening, self.src
        kinds = (opening[0][1],) if len(opening) == 1 else tuple(kind for _, kind in opening)
        prefix = src[src.rfind(b"\n", 0, off) + 1:off]
        known = self.prefixes.get((kinds, prefix))  # a few distinct indentations per file
        if known is None:
            pattern = _PATTERNS.get(kinds) or _opener_pattern(kinds)
            known = self.prefixes[kinds, prefix] = pattern.search(prefix) is not None
        if not known:
            raise _Unsure
        for node, _ in opening:
            node.line = line
        opening.clear()

    def plain_key(self, raw: bytes) -> str:
        """The text of a plain key of a block mapping, checked once per distinct key."""
        if not raw or b"\n" in raw or raw[0] in _PLAIN_START or b": " in raw or b" #" in raw \
                or raw[-1] == 0x3A:
            raise _Unsure
        text = self.keys[raw] = raw.decode("utf-8")
        if text in NULLS or text == "<<":
            raise _Unsure
        return text

    def run(self) -> Node | None:
        nodes, src, filtered, base = self.nodes, self.src, self.filtered, self.base
        if not nodes or nodes[TYPE] & (_REFUSED | _MAP | _SEQ) not in (_MAP, _SEQ):
            raise _Unsure
        top, flow = self.container(nodes[TYPE], False)
        stack = [(top, flow, nodes[FIRST], 1)]  # (container, flow, next child to read, depth)
        scalar, size, length, opening = self.scalar, len(nodes) // STRIDE, len(src), self.opening
        # rapidyaml rewrites the buffer only where it unescapes or folds: where it did not, every
        # scalar it left in the buffer reads as the source, with no comparison of its own
        same, keys, plain_key = src == filtered, self.keys, self.plain_key
        # line of an offset: the newlines before it, from the ends of the lines (one bisection)
        ends = list(accumulate(map(_plus_one, map(len, src.split(b"\n")))))
        while stack:
            node, in_flow, child, depth = stack.pop()
            is_map = type(node) is Map
            items = node.items
            key_lines = node.key_lines if is_map else None
            while child != _NONE:
                if child >= size:
                    raise _Unsure
                row = child * STRIDE
                child = nodes[row + NEXT]
                flags = nodes[row]
                if flags & _REFUSED:
                    raise _Unsure
                if is_map:
                    off, end = nodes[row + KEY_AT] - base, nodes[row + KEY_LEN]
                    end += off
                    if flags & _KEY_STYLE == _KEY_PLAIN and 0 < end - off and 0 <= off and end <= length \
                            and not in_flow:  # the usual key, inline
                        raw = src[off:end]
                        if not same and raw != filtered[off:end]:
                            raise _Unsure
                        key_text = keys.get(raw) or plain_key(raw)
                    else:
                        key_style = _KEY_STYLES.get(flags & _KEY_STYLE)
                        key_text, off, end = scalar(nodes[row + KEY_AT], nodes[row + KEY_LEN], key_style,
                                                    in_flow)
                        if key_style == "plain" and key_text in NULLS:
                            raise _Unsure
                    key_line = _bisect(ends, off) + 1
                    if opening:
                        self.opened(off, key_line)
                    if key_text == "<<" or key_text in items:
                        raise _Unsure
                descend = None
                if flags & (_MAP | _SEQ):
                    if depth >= MAX_DEPTH:
                        raise _Unsure
                    value, flow = self.container(flags, in_flow)
                    first = nodes[row + FIRST]
                    if first == _NONE:  # empty: libyaml's line is that of its bracket, after the key
                        empty = _EMPTY.match(src, end) if is_map and not in_flow else None
                        if empty is None or (empty.group(1) == b"[") != (type(value) is Seq):
                            raise _Unsure
                        opening.pop()
                        value.line = key_line
                    else:
                        descend = (value, flow, first, depth + 1)
                elif (is_map and not in_flow and not nodes[row + VAL_LEN]
                      and flags & _VAL_STYLE == _VAL_PLAIN):
                    # nothing after the key: libyaml's empty scalar is on the key's line
                    value = Scalar(None, key_line)
                else:
                    style = _VAL_STYLES.get(flags & _VAL_STYLE)
                    off, end = nodes[row + VAL_AT] - base, nodes[row + VAL_LEN]
                    end += off
                    raw = src[off:end] if style == "dquo" and 0 < off < end < length else None
                    if raw is not None and src[end] == 0x22 and src[off - 1] == 0x22 \
                            and (same or raw == filtered[off:end]) and b"\\" not in raw \
                            and b"\n" not in raw and b'"' not in raw:  # the usual value: "text", no escapes
                        text, at, plain = raw.decode("utf-8"), off - 1, False
                    else:
                        text, at, _ = scalar(nodes[row + VAL_AT], nodes[row + VAL_LEN], style, in_flow)
                        plain = style == "plain"
                    line = key_line if is_map and at < ends[key_line - 1] else _bisect(ends, at) + 1
                    if opening:
                        self.opened(at, line)
                    value = Scalar(None if plain and text in NULLS else text, line,
                                   plain and in_flow and not is_map, plain)
                if is_map:
                    items[key_text] = value
                    key_lines[key_text] = key_line  # type: ignore[index]
                else:
                    items.append(value)
                if descend is not None:
                    stack.append((node, in_flow, child, depth))
                    stack.append(descend)
                    break
            else:
                if opening:  # an empty container: no line in rapidyaml's tree
                    raise _Unsure
        return top

    def container(self, flags: int, in_flow: bool) -> tuple[Map | Seq, bool]:
        flow = bool(flags & _FLOW)
        if in_flow and not flow:
            raise _Unsure
        node: Map | Seq = Map({}, 0) if flags & _MAP else Seq([], 0, flow)
        self.opening.append((node, _KINDS[type(node) is Seq, flow]))
        return node, flow
