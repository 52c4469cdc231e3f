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

# Characters libyaml's reader refuses or reads as line breaks (NEL, U+2028/9), a BOM, tabs and CRs;
# anything that may start an anchor, alias, tag, complex key, block scalar, directive or reserved
# indicator; merge keys; document markers; escapes other than the few decoded here.
_PRESCAN = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|(?:^|[ \[\]{},])[&*!?|>%@`]|<<|^(?:---|\.\.\.)|\\[^\"\\/ntu]|\\u[dD][89a-fA-F]",
    re.M,
)
_DQUO = re.compile(rb'((?:[^"\\\n]|\\["\\/nt]|\\u[0-9a-fA-F]{4})*)"')
_SQUO = re.compile(rb"((?:[^'\n]|'')*)'")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t"}
_PLAIN_START = frozenset(b"-?:,[]{}#&*!|>'\"%@`")
_FLOW_PLAIN_BAD = re.compile(rb"[\[\]{}:#,]")
_BLOCK_PLAIN_BAD = re.compile(rb": |:$| #")
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
    if ryml is None or _PRESCAN.search(text):
        return UNSURE
    buf = bytearray(data)
    try:
        tree = _quiet_parse(buf)
        return _Walk(tree, bytes(data), _address(memoryview(buf))).run()
    except _Unsure:
        return UNSURE
    except Exception:  # rapidyaml's parse errors: libyaml words them
        return UNSURE


_NONE = 2**64 - 1  # rapidyaml's "no node"
if ryml is not None:
    _MAP, _SEQ, _KEY, _FLOW = ryml.MAP, ryml.SEQ, ryml.KEY, ryml.FLOW_SL | ryml.FLOW_ML
    _REFUSED = (ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
                | ryml.STREAM & ~ryml.SEQ)
    _KEY_STYLES = {ryml.KEY_PLAIN: "plain", ryml.KEY_SQUO: "squo", ryml.KEY_DQUO: "dquo"}
    _KEY_STYLE = ryml.KEY_STYLE
    _VAL_STYLES = {ryml.VAL_PLAIN: "plain", ryml.VAL_SQUO: "squo", ryml.VAL_DQUO: "dquo"}
    _VAL_STYLE, _VAL_PLAIN = ryml.VAL_STYLE, ryml.VAL_PLAIN
    _type, _first, _next = ryml._ryml.Tree_type, ryml._ryml.Tree_first_child, ryml._ryml.Tree_next_sibling
    _key, _val = ryml._ryml.Tree_key, ryml._ryml.Tree_val


_STDERR_LOCK = threading.Lock()


def _quiet_parse(buf: bytearray):  # type: ignore[no-untyped-def]
    """rapidyaml's tree of ``buf``; the message its C++ error handler prints is kept off stderr.

    The binding offers no way to silence it, so file descriptor 2 points at /dev/null for the
    call (a few microseconds per file): a line another thread writes to stderr meanwhile is lost.
    """
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


class _Walk:
    """One walk of rapidyaml's tree in document order, building the nodes of yamlread."""

    def __init__(self, tree, src: bytes, base: int) -> None:
        self.tree, self.src, self.base = tree, src, base
        self.last_off, self.last_line = 0, 1
        self.opening: list[tuple[Map | Seq, bool]] = []  # (container, flow) awaiting a line

    def scalar(self, view: memoryview, style: str | None, in_flow: bool) -> tuple[str, int, int]:
        """The text of a scalar and the offsets where it starts and ends (quotes included)."""
        src, size = self.src, len(view)
        off = _address(view) - self.base if size else -1
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

    def place(self, off: int) -> int:
        """The line of a scalar at ``off``, given to the containers it opens, once checked."""
        if off < self.last_off:
            self.last_off, self.last_line = 0, 1
        line = self.last_line = self.last_line + self.src.count(b"\n", self.last_off, off)
        self.last_off = off
        if self.opening:
            start = self.src.rfind(b"\n", 0, off) + 1
            tail = b"".join(_OPENERS[type(node) is Seq, flow] for node, flow in self.opening)
            # before the outermost: a flow opener follows a space or another; a block container
            # starts its line, after the dashes of the lists it is an item of
            pattern = (b"(?:^|[ ,\\[{])" if self.opening[0][1] else b"^ *(?:- +)*") + tail + b"$"
            if not re.search(pattern, self.src[start:off]):
                raise _Unsure
            for node, _ in self.opening:
                node.line = line
            self.opening.clear()
        return line

    def run(self) -> Node | None:
        tree = self.tree
        root = tree.root_id()
        if _type(tree, root) & (_REFUSED | _MAP | _SEQ) not in (_MAP, _SEQ):
            raise _Unsure
        top, flow = self.container(root, _type(tree, root), False)
        stack = [(top, flow, _first(tree, root))]
        scalar, place = self.scalar, self.place
        while stack:
            node, in_flow, child = stack[-1]
            if child == _NONE:
                if self.opening:  # an empty container: its line is nowhere in rapidyaml's tree
                    raise _Unsure
                stack.pop()
                continue
            stack[-1] = (node, in_flow, _next(tree, child))
            flags = _type(tree, child)
            if flags & _REFUSED:
                raise _Unsure
            is_map = type(node) is Map
            if is_map:
                key_style = _KEY_STYLES.get(flags & _KEY_STYLE)
                key_text, off, key_end = scalar(_key(tree, child), key_style, in_flow)
                key_line = place(off)
                if key_style == "plain" and key_text in NULLS or key_text == "<<" or key_text in node.items:
                    raise _Unsure
            if flags & (_MAP | _SEQ):
                if len(stack) >= MAX_DEPTH:
                    raise _Unsure
                value, flow = self.container(child, flags, in_flow)
                first = _first(tree, child)
                if first == _NONE:  # empty: libyaml's line is that of its bracket, after the key
                    empty = _EMPTY.match(self.src, key_end) if is_map and not in_flow else None
                    if empty is None or (empty.group(1) == b"[") != (type(value) is Seq):
                        raise _Unsure
                    self.opening.pop()
                    value.line = key_line
                else:
                    stack.append((value, flow, first))
            elif is_map and not in_flow and _val(tree, child) is None:
                # nothing after the key: libyaml's empty scalar is on the key's line
                if flags & _VAL_STYLE != _VAL_PLAIN:
                    raise _Unsure
                value = Scalar(None, key_line)
            else:
                style = _VAL_STYLES.get(flags & _VAL_STYLE)
                text, off, _ = scalar(_val(tree, child), style, in_flow)
                plain = style == "plain"
                value = Scalar(None if plain and text in NULLS else text, place(off),
                               plain and in_flow and not is_map, plain)
            if is_map:
                node.items[key_text] = value
                node.key_lines[key_text] = key_line
            else:
                node.items.append(value)
        return top

    def container(self, node_id: int, flags: int, in_flow: bool) -> tuple[Map | Seq, bool]:
        flow = bool(flags & _FLOW)
        if in_flow and not flow:
            raise _Unsure
        node: Map | Seq = Map({}, 0) if flags & _MAP else Seq([], 0, flow)
        self.opening.append((node, flow))
        return node, flow
