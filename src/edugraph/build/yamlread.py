"""Strict YAML reading: a tree of nodes that know their line, and nothing YAML would guess.

Only block/flow mappings, sequences and scalars are accepted. Every scalar stays a string (the
record model types it), so ``NO``, ``0777`` and ``1.10`` arrive as written. Duplicate keys,
anchors, aliases, merge keys, tags and multiple documents are rejected with their line.
libyaml's C parser is used where PyYAML was built with it (about 4.5 times faster), and before it
rapidyaml (build/yamlfast.py) for every file it can prove it reads exactly as libyaml does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml

from edugraph.build import yamlfast
from edugraph.build.yamlnodes import MAX_DEPTH, NULLS, Map, Node, Scalar, Seq
from edugraph.errors import YamlSyntaxError, excerpt
from edugraph.files import read_bytes

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader
# Where a reader error (a control character) is: libyaml gives the offset in bytes of the UTF-8
# text, PyYAML's own reader in characters.
_OFFSET_IN_BYTES = _Loader is not yaml.SafeLoader

MAX_FILE_BYTES = 16 * 1024 * 1024


def describe(node: Node) -> str:
    """What a node is, in the words of an error message."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return "nothing" if node.text is None else f"the text {excerpt(node.text)!r}"


def read_file(path: Path, display: str | None = None) -> Node | None:
    """Read one YAML file into a node tree; None for an empty file.

    Raises YamlSyntaxError with the file and line of the first problem in the file.
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlSyntaxError(
                f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                file=name,
                hint="split the records over several files",
            )
        data = read_bytes(path)  # a FIFO or a device is refused, never waited on
    except OSError as exc:
        raise YamlSyntaxError(f"cannot read the file: {exc.strerror}", file=name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(
            f"byte {data[exc.start]:#04x} is not valid UTF-8",
            file=name,
            line=line,
            hint="save the file as UTF-8",
        ) from None
    return parse_text(text, name, data=data)


Engine = Literal["auto", "ryml", "libyaml"]


def parse_text(text: str, name: str, engine: Engine = "auto", data: bytes | None = None) -> Node | None:
    """Parse YAML text (see :func:`read_file`); ``data`` is its UTF-8 bytes where known.

    ``auto`` tries rapidyaml's fast path and reads with libyaml whatever it is unsure of; ``ryml``
    raises :class:`UnsureError` there instead (for the tests that compare both); ``libyaml`` only.
    """
    if engine != "libyaml":
        root = yamlfast.parse(text.encode("utf-8") if data is None else data, text)
        if root is not yamlfast.UNSURE:
            return root  # type: ignore[return-value]
        if engine == "ryml":
            raise UnsureError(name)
    try:
        return _build(yaml.parse(text, Loader=_Loader), name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if "maximum nesting depth" in (exc.problem or ""):
            raise _too_deep(text, name, line) from None
        problem = exc.problem or "invalid YAML"
        hint = "check quotes, colons and indentation"
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and lines[mark.line][mark.column:].startswith("\t"):
            problem, hint = "a tab character, where YAML allows only spaces", "indent with spaces"
        elif exc.context and exc.context_mark is not None:
            start = exc.context_mark.line + 1
            problem = f"{problem} {exc.context}" + (f" started at line {start}" if start != line else "")
            if "quoted scalar" in exc.context and "end of stream" in problem:
                hint = "close the quote"
        raise YamlSyntaxError(f"YAML syntax error: {excerpt(problem)}", file=name, line=line, hint=hint) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) have no problem_mark
        line = None
        mark = getattr(exc, "position", None)
        if isinstance(mark, int):
            before = text.encode("utf-8")[:mark].decode("utf-8", "ignore") if _OFFSET_IN_BYTES else text[:mark]
            line = before.count("\n") + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise YamlSyntaxError(f"YAML syntax error: {excerpt(reason)}", file=name, line=line) from None


class UnsureError(Exception):
    """rapidyaml's path cannot prove it reads this text as libyaml does (``engine="ryml"``)."""


def _too_deep(text: str, name: str, line: int | None) -> YamlSyntaxError:
    """The error for nesting past :data:`MAX_DEPTH`, at the line where it passes it.

    libyaml builds since 0.2.6 stop at their own depth limit while scanning ahead, with their own
    message and the line where *they* stopped. PyYAML's own parser yields events one at a time,
    so running it up to the first node past our limit finds our line (and costs 64 levels).
    """
    try:
        _build(yaml.parse(text, Loader=yaml.SafeLoader), name)
    except YamlSyntaxError as exc:  # the first problem in the file, nesting or another
        return exc
    except yaml.YAMLError:
        pass
    return YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", file=name, line=line)


def _fail(message: str, name: str, event: yaml.Event, hint: str | None = None) -> YamlSyntaxError:
    return YamlSyntaxError(message, file=name, line=event.start_mark.line + 1, hint=hint)


def _build(events, name: str) -> Node | None:
    """Turn parser events into a node tree, iteratively (no recursion limit to hit)."""
    stack: list[Map | Seq] = []
    pending_key: list[tuple[str, int] | None] = []  # per open mapping: key awaiting its value
    root: Node | None = None
    documents = 0

    def attach(node: Node, event: yaml.Event) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar) or node.text is None:
                raise _fail("a mapping key must be plain text", name, event)
            text = node.text
            if text == "<<":
                raise _fail("merge keys (<<) are not allowed", name, event, "write the fields out")
            if text in parent.items:
                first = parent.key_lines[text]
                raise _fail(
                    f"duplicate key '{text}' (first at line {first})",
                    name,
                    event,
                    "keep one of the two",
                )
            pending_key[-1] = (text, node.line)
        else:
            text, line = key
            parent.items[text] = node
            parent.key_lines[text] = line
            pending_key[-1] = None

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _fail("more than one YAML document (---) in a file", name, event,
                            "put each document in a file of its own")
            continue
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _fail(f"aliases (*{event.anchor}) are not allowed", name, event,
                        "write the value out")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _fail(f"anchors (&{anchor}) are not allowed", name, event, "write the value out")
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            raise _fail(f"tags ({tag}) are not allowed", name, event, "remove the tag")
        line = event.start_mark.line + 1
        if isinstance(event, yaml.ScalarEvent):
            plain = event.style is None or event.style == ""
            text = None if plain and event.value in NULLS else event.value
            in_flow = plain and bool(stack) and isinstance(stack[-1], Seq) and stack[-1].flow
            attach(Scalar(text, line, in_flow, plain), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise _fail(f"nesting deeper than {MAX_DEPTH} levels", name, event)
            node: Map | Seq = (Map({}, line) if isinstance(event, yaml.MappingStartEvent)
                               else Seq([], line, bool(event.flow_style)))
            attach(node, event)
            stack.append(node)
            pending_key.append(None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            pending_key.pop()
    return root
