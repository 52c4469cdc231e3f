"""The fast path of strict YAML reading: rapidyaml's tree, for files it provably reads as libyaml does.

rapidyaml (``ryml``, C++) parses some 60 times faster than libyaml composes, but it reads YAML 1.2,
words its errors its own way and knows no lines of containers. So this module accepts a file only
when every node is one it can check: block mappings, block and single-level flow lists, plain
scalars on one line that rapidyaml left as written in the buffer, quoted scalars on one line whose
escapes it decodes itself and finds equal to rapidyaml's. Lines come from each scalar's byte
offset in the buffer (the address of rapidyaml's view into it); a container's line is that of its
first scalar, checked against the openers (``-``, ``[``) written before it on that line. Anything
else (an error, an anchor, a tag, a duplicate key, an empty value, a block scalar, a character
libyaml would refuse...) returns :data:`UNSURE`, and the caller reads the file with libyaml, whose
messages are the ones users see.
"""

from __future__ import annotations

import array
import ctypes
import os
import re
import threading
from typing import Final

from edugraph.build.yamlnodes import MAX_DEPTH, NULLS, Map, Node, Scalar, Seq

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


class _PyBuffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def _buffer_address(view: memoryview) -> int:
    """Where a (read-only) memoryview's bytes are in memory: ctypes reads only writable buffers."""
    info = _PyBuffer()
    _get_buffer(view, ctypes.byref(info), 0)
    address = info.buf or 0
    _release_buffer(ctypes.byref(info))
    return address


# CPython keeps a memoryview's Py_buffer inside the object, its address first: reading it there
# is ten times faster than asking for the buffer. Used only where it agrees with the buffer API on
# this interpreter, checked at import on several views.
_VIEW_OFFSET = 7 * ctypes.sizeof(ctypes.c_void_p)


def _fast_address(view: memoryview) -> int:
    return ctypes.c_void_p.from_address(id(view) + _VIEW_OFFSET).value or 0


def _pick_address():  # type: ignore[no-untyped-def]
    probe = bytearray(b"0123456789")
    views = [memoryview(probe), memoryview(probe)[3:], memoryview(bytes(probe))[5:7]]
    try:
        if all(_fast_address(view) == _buffer_address(view) != 0 for view in views):
            return _fast_address
    except (ValueError, OSError):  # pragma: no cover
        pass
    return _buffer_address  # pragma: no cover


_address = _pick_address()


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
    try:
        tree = _quiet_parse(buf)
        return _Walk(_nodes(tree), data, bytes(buf), _address(memoryview(buf))).run()
    except _Unsure:
        return UNSURE
    except Exception:  # rapidyaml's parse errors: libyaml words them
        return UNSURE


_NONE = 2**64 - 1  # rapidyaml's "no node"
if ryml is not None:
    _MAP, _SEQ, _KEY, _VAL, _FLOW = ryml.MAP, ryml.SEQ, ryml.KEY, ryml.VAL, ryml.FLOW_SL | ryml.FLOW_ML
    _REFUSED = (ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
                | ryml.STREAM & ~ryml.SEQ)
    _KEY_STYLES = {ryml.KEY_PLAIN: "plain", ryml.KEY_SQUO: "squo", ryml.KEY_DQUO: "dquo"}
    _KEY_STYLE, _KEY_PLAIN = ryml.KEY_STYLE, ryml.KEY_PLAIN
    _VAL_STYLES = {ryml.VAL_PLAIN: "plain", ryml.VAL_SQUO: "squo", ryml.VAL_DQUO: "dquo"}
    _VAL_STYLE, _VAL_PLAIN = ryml.VAL_STYLE, ryml.VAL_PLAIN
    _type, _first, _next = ryml._ryml.Tree_type, ryml._ryml.Tree_first_child, ryml._ryml.Tree_next_sibling
    _key, _val = ryml._ryml.Tree_key, ryml._ryml.Tree_val


_STDERR_LOCK = threading.Lock()


def _quiet_parse(buf: bytearray):  # type: ignore[no-untyped-def]
    """rapidyaml's tree of ``buf``, its C++ error handler's message kept off stderr: the binding
    cannot silence it, so fd 2 is /dev/null for the call (what another thread writes then is lost)."""
    with _STDERR_LOCK:
        saved = os.dup(2)
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 2)
            finally:
                os.close(null)
            return ryml.parse_in_place(buf)
        finally:
            os.dup2(saved, 2)
            os.close(saved)


# rapidyaml's nodes as one table of 18 words each: type, key (tag, text, anchor: address and length
# each), value (the same), parent, first child, last child, next and previous sibling. Each SWIG
# call costs about a microsecond, so the table is read straight from the tree's node array where
# that array, on a probe document, holds exactly what the SWIG calls answer; else through them.
_STRIDE, _TYPE, _KEY_AT, _KEY_LEN, _VAL_AT, _VAL_LEN, _FIRST, _NEXT = 18, 0, 3, 4, 9, 10, 14, 16


def _api_nodes(tree) -> list[int]:  # type: ignore[no-untyped-def]
    table = [0] * (_STRIDE * tree.size())
    for node in range(tree.size()):
        row, flags = node * _STRIDE, _type(tree, node)
        table[row + _TYPE] = flags
        for flag, get, at in ((_KEY, _key, _KEY_AT), (_VAL, _val, _VAL_AT)):
            view = get(tree, node) if flags & flag else None
            if view is not None:
                table[row + at], table[row + at + 1] = _address(view) if len(view) else 0, len(view)
        table[row + _FIRST], table[row + _NEXT] = _first(tree, node), _next(tree, node)
    return table


def _raw_nodes(tree) -> array.array:  # type: ignore[no-untyped-def]
    size = tree.size()
    start = ctypes.c_uint64.from_address(int(tree.this)).value
    return array.array("Q", ctypes.string_at(start, _STRIDE * 8 * size))


def _pick_nodes():  # type: ignore[no-untyped-def]
    probe = bytearray(b'a: "x\\"y"\nb: [p, \'q\']\nc:\n  - d: {e: f}\n    g: []\nh:\n')
    try:
        tree = ryml.parse_in_place(probe)
        raw, api = _raw_nodes(tree), _api_nodes(tree)
        fields = (_TYPE, _FIRST, _NEXT, _KEY_AT, _KEY_LEN, _VAL_AT, _VAL_LEN)
        if all(raw[row + f] == api[row + f] or f in (_KEY_AT, _VAL_AT) and not api[row + f + 1]
               for row in range(0, len(api), _STRIDE) for f in fields):
            return _raw_nodes
    except Exception:  # pragma: no cover - another build of rapidyaml
        pass
    return _api_nodes  # pragma: no cover


_nodes = _pick_nodes() if ryml is not None else _api_nodes


class _Walk:
    """One walk of rapidyaml's tree in document order, building the nodes of yamlread."""

    def __init__(self, nodes, src: bytes, filtered: bytes, base: int) -> None:  # type: ignore[no-untyped-def]
        self.nodes, self.src, self.filtered, self.base = nodes, src, filtered, base
        # containers awaiting the line of their first scalar, with (is a list, is flow)
        self.opening: list[tuple[Map | Seq, tuple[bool, bool]]] = []

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
        opening = self.opening
        kinds = (opening[0][1],) if len(opening) == 1 else tuple(kind for _, kind in opening)
        pattern = _PATTERNS.get(kinds) or _opener_pattern(kinds)
        if not pattern.search(self.src, self.src.rfind(b"\n", 0, off) + 1, off):
            raise _Unsure
        for node, _ in self.opening:
            node.line = line
        self.opening.clear()

    def run(self) -> Node | None:
        nodes, src, filtered, base = self.nodes, self.src, self.filtered, self.base
        if not nodes or nodes[_TYPE] & (_REFUSED | _MAP | _SEQ) not in (_MAP, _SEQ):
            raise _Unsure
        top, flow = self.container(nodes[_TYPE], False)
        stack = [(top, flow, nodes[_FIRST], 1)]  # (container, flow, next child to read, depth)
        scalar, size, length, opening = self.scalar, len(nodes) // _STRIDE, len(src), self.opening
        last_off, last_line = 0, 1  # the line of the last scalar read, counted from there
        while stack:
            node, in_flow, child, depth = stack.pop()
            is_map = type(node) is Map
            while child != _NONE:
                if child >= size:
                    raise _Unsure
                row = child * _STRIDE
                child = nodes[row + _NEXT]
                flags = nodes[row]
                if flags & _REFUSED:
                    raise _Unsure
                if is_map:
                    off, end = nodes[row + _KEY_AT] - base, nodes[row + _KEY_LEN]
                    end += off
                    if flags & _KEY_STYLE == _KEY_PLAIN and 0 < end - off and 0 <= off and end <= length \
                            and not in_flow:  # the usual key, inline
                        key_text = src[off:end]
                        if key_text != filtered[off:end] or b"\n" in key_text or key_text[0] in _PLAIN_START \
                                or b": " in key_text or b" #" in key_text or key_text[-1] == 0x3A:
                            raise _Unsure
                        key_text = key_text.decode("utf-8")
                        if key_text in NULLS:
                            raise _Unsure
                    else:
                        key_style = _KEY_STYLES.get(flags & _KEY_STYLE)
                        key_text, off, end = scalar(nodes[row + _KEY_AT], nodes[row + _KEY_LEN], key_style,
                                                    in_flow)
                        if key_style == "plain" and key_text in NULLS:
                            raise _Unsure
                    at = off
                    if at < last_off:  # offsets grow but for the odd scalar: count from the start
                        last_off, last_line = 0, 1
                    last_line += src.count(b"\n", last_off, at)
                    last_off = at
                    if opening:
                        self.opened(at, last_line)
                    key_line = last_line
                    if key_text == "<<" or key_text in node.items:
                        raise _Unsure
                descend = None
                if flags & (_MAP | _SEQ):
                    if depth >= MAX_DEPTH:
                        raise _Unsure
                    value, flow = self.container(flags, in_flow)
                    first = nodes[row + _FIRST]
                    if first == _NONE:  # empty: libyaml's line is that of its bracket, after the key
                        empty = _EMPTY.match(src, end) if is_map and not in_flow else None
                        if empty is None or (empty.group(1) == b"[") != (type(value) is Seq):
                            raise _Unsure
                        self.opening.pop()
                        value.line = key_line
                    else:
                        descend = (value, flow, first, depth + 1)
                elif (is_map and not in_flow and not nodes[row + _VAL_LEN]
                      and flags & _VAL_STYLE == _VAL_PLAIN):
                    # nothing after the key: libyaml's empty scalar is on the key's line
                    value = Scalar(None, key_line)
                else:
                    style = _VAL_STYLES.get(flags & _VAL_STYLE)
                    off, end = nodes[row + _VAL_AT] - base, nodes[row + _VAL_LEN]
                    end += off
                    text = src[off:end] if style == "dquo" and 0 < off < end < length else None
                    if text is not None and src[end] == 0x22 and src[off - 1] == 0x22 \
                            and text == filtered[off:end] and b"\\" not in text and b"\n" not in text \
                            and b'"' not in text:  # the usual value, inline: "text" without escapes
                        at = off - 1
                        if at < last_off:  # offsets grow but for the odd scalar: count from the start
                            last_off, last_line = 0, 1
                        last_line += src.count(b"\n", last_off, at)
                        last_off = at
                        if opening:
                            self.opened(at, last_line)
                        value = Scalar(text.decode("utf-8"), last_line, False, False)
                    else:
                        text, off, _ = scalar(nodes[row + _VAL_AT], nodes[row + _VAL_LEN], style, in_flow)
                        plain = style == "plain"
                        at = off
                        if at < last_off:  # offsets grow but for the odd scalar: count from the start
                            last_off, last_line = 0, 1
                        last_line += src.count(b"\n", last_off, at)
                        last_off = at
                        if opening:
                            self.opened(at, last_line)
                        value = Scalar(None if plain and text in NULLS else text, last_line,
                                       plain and in_flow and not is_map, plain)
                if is_map:
                    node.items[key_text] = value
                    node.key_lines[key_text] = key_line
                else:
                    node.items.append(value)
                if descend is not None:
                    stack.append((node, in_flow, child, depth))
                    stack.append(descend)
                    break
            else:
                if self.opening:  # an empty container: no line in rapidyaml's tree
                    raise _Unsure
        return top

    def container(self, flags: int, in_flow: bool) -> tuple[Map | Seq, bool]:
        flow = bool(flags & _FLOW)
        if in_flow and not flow:
            raise _Unsure
        node: Map | Seq = Map({}, 0) if flags & _MAP else Seq([], 0, flow)
        self.opening.append((node, _KINDS[type(node) is Seq, flow]))
        return node, flow
