"""Command-line values converted without Pydantic, so a command starts ~100 ms sooner.

Typer 0.29 converts every option and argument with a Pydantic ``TypeAdapter``: before any command
runs, ``typer.core._TyperParameter.process_value`` calls ``get_runtime_param()``, which builds
(through ``typer._coercion.build_runtime_param`` and ``typer._adapters``) an adapter per parameter,
and even ``coerce_cli_path`` imports Pydantic to turn a string into a ``Path``. Importing Pydantic
and building a dozen adapters costs 100-130 ms on every ``edugraph query``, more than the query.

``get_runtime_param()`` builds the adapter lazily, and only while ``_runtime_param`` is None. So
``LeanTyper`` (edugraph's Typer app) gives its group and its commands their classes through
Typer's public ``cls`` arguments (``LeanGroup``, ``LeanCommand``), and these fill that slot first,
for every parameter and for the ``--help`` option, with a ``LeanParam``. It converts the values
edugraph's options take (str, ``Path``, enums, int, float, and lists of these) as Typer's adapters
do, with Typer's own helpers (``coerce_cli_choice``, ``coerce_cli_path``), and hands anything it is
not sure of (a malformed number, a value out of range, a bad choice, another type) to the adapter
Typer would have built, which gives the same value or the same error message as before. Typer's
behaviour is unchanged; only Pydantic is not loaded when every value is ordinary.

This relies on two internals of Typer (``typer._coercion.RuntimeParam`` and the
``_runtime_param`` slot); should a later Typer drop them, the parameters are left alone and Typer
converts them itself, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import Typer
from typer.core import TyperCommand, TyperGroup

try:  # Typer internals; see the module's docstring
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # pragma: no cover - another Typer: let it convert values itself
    RuntimeParam = None  # type: ignore[assignment,misc]

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")


class _NotSure(Exception):
    """This value is for Typer's own adapter."""


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """``value`` converted as Typer's adapter for ``annotation`` would, or _NotSure."""
    if info.parser is not None:
        raise _NotSure
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=info.case_sensitive,
                                 ctx=ctx)
    if annotation is str:  # before paths, as in Typer: a str is never checked as a path
        if isinstance(value, str):
            return value
        raise _NotSure
    if annotation is int or annotation is float:
        if isinstance(value, bool) or info.clamp:
            raise _NotSure
        if isinstance(value, str):
            if not (_INT if annotation is int else _FLOAT).fullmatch(value):
                raise _NotSure
            number = annotation(value)
        elif type(value) is annotation:
            number = value
        else:
            raise _NotSure
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            raise _NotSure  # Typer's adapter words the error
        return number
    if isinstance(annotation, type) and issubclass(annotation, Path):
        path_type = info.path_type or annotation
        if isinstance(value, str):
            if str(Path(value)) != value:  # '' or 'a//b': Typer's messages quote the text as given
                raise _NotSure
            value = path_type(value)
        if not isinstance(value, path_type):
            raise _NotSure
        return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)
    raise _NotSure


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class LeanParam(RuntimeParam):  # type: ignore[misc,valid-type]
        """Typer's conversion of one parameter, without Pydantic for ordinary values."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if get_origin(self.annotation) is list:
                    if not isinstance(value, (list, tuple)):
                        raise _NotSure
                    (item,) = get_args(self.annotation)
                    return [_leaf(item, self.parameter_info, v, param, ctx) for v in value]
                return _leaf(self.annotation, self.parameter_info, value, param, ctx)
            except Exception:  # noqa: BLE001 - _NotSure, or an error Typer's adapter words itself
                pass
            typer_own = build_runtime_param(param.type_descriptor)
            return typer_own._coerce_value(value, param=param, ctx=ctx)


def _lean(params: Any) -> None:
    if RuntimeParam is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        if descriptor.file_annotation is not None:
            continue
        param._runtime_param = LeanParam(parameter_info=descriptor.parameter_info,
                                         annotation=descriptor.annotation)


class _Lean:
    """Gives a command's parameters, and its --help option (made on first use), a LeanParam."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _lean(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _lean([option])
        return option


class LeanGroup(_Lean, TyperGroup):
    """Typer's group, its own options converted by ``LeanParam``."""


class LeanCommand(_Lean, TyperCommand):
    """Typer's command, its options converted by ``LeanParam``."""


class LeanTyper(Typer):
    """A Typer app whose group and commands convert values with ``LeanParam`` (the module docstring
    says why); ``cls`` is Typer's public way to choose the group and command classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["cls"] = kwargs.get("cls") or LeanGroup
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["cls"] = kwargs.get("cls") or LeanCommand
        return super().command(*args, **kwargs)
