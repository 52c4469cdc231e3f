"""rapidyaml's tree as Python reads it fast (build/yamlfast.py): its node array as a table, the
address of the buffer its views point into, and a parse that keeps rapidyaml's messages off stderr.
"""

from __future__ import annotations

import array
import ctypes
import os
import threading
from typing import Any

try:
    import ryml
except ImportError:  # pragma: no cover - a runtime dependency; libyaml reads everything without it
    ryml = None

if ryml is not None:
    _KEY, _VAL = ryml.KEY, ryml.VAL
    _type, _first, _next = ryml._ryml.Tree_type, ryml._ryml.Tree_first_child, ryml._ryml.Tree_next_sibling
    _key, _val = ryml._ryml.Tree_key, ryml._ryml.Tree_val

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


address = _pick_address()

_STDERR_LOCK = threading.Lock()


def quiet_parse(buf: bytearray) -> Any:
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
STRIDE, TYPE, KEY_AT, KEY_LEN, VAL_AT, VAL_LEN, FIRST, NEXT = 18, 0, 3, 4, 9, 10, 14, 16


def api_nodes(tree: Any) -> list[int]:
    table = [0] * (STRIDE * tree.size())
    for node in range(tree.size()):
        row, flags = node * STRIDE, _type(tree, node)
        table[row + TYPE] = flags
        for flag, get, at in ((_KEY, _key, KEY_AT), (_VAL, _val, VAL_AT)):
            view = get(tree, node) if flags & flag else None
            if view is not None:
                table[row + at], table[row + at + 1] = address(view) if len(view) else 0, len(view)
        table[row + FIRST], table[row + NEXT] = _first(tree, node), _next(tree, node)
    return table


def raw_nodes(tree: Any) -> array.array:
    size = tree.size()
    start = ctypes.c_uint64.from_address(int(tree.this)).value
    return array.array("Q", ctypes.string_at(start, STRIDE * 8 * size))


def _pick_nodes():  # type: ignore[no-untyped-def]
    probe = bytearray(b'a: "x\\"y"\nb: [p, \'q\']\nc:\n  - d: {e: f}\n    g: []\nh:\n')
    try:
        tree = ryml.parse_in_place(probe)
        raw, api = raw_nodes(tree), api_nodes(tree)
        fields = (TYPE, FIRST, NEXT, KEY_AT, KEY_LEN, VAL_AT, VAL_LEN)
        if all(raw[row + f] == api[row + f] or f in (KEY_AT, VAL_AT) and not api[row + f + 1]
               for row in range(0, len(api), STRIDE) for f in fields):
            return raw_nodes
    except Exception:  # pragma: no cover - another build of rapidyaml
        pass
    return api_nodes  # pragma: no cover


nodes = _pick_nodes() if ryml is not None else api_nodes
