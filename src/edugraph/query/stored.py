"""Stored queries: ``*.rq`` files, each one research question with a documented header.

The catalogue is the built-in queries (the repository's top-level ``queries/``, shipped in the
wheel as ``edugraph/queries/``) and then the ``*.rq`` of each extra folder a project gives, in
order: a query with the name of an earlier one replaces it. Each query knows where it comes from
(:attr:`StoredQuery.origin`).

Header format (comment lines at the top of the file)::

    # title: Who took part in an event, and in what role
    # description: Every participant of an event with their role, and the source that says so.
    #   A description may run over several lines.
    #+ param event: id:event -- the event
    #+ param role: concept:participation-role* -- roles to keep (all when left out)
    #+ param from: year = 1900 -- first year
    #+ example: -p event=category-ii-centres-meeting-8

A parameter is ``NAME: TYPE[?|*|+] [= DEFAULT[, DEFAULT...]] [one of A|B|C] [-- DESCRIPTION]``;
``?`` optional, ``*`` a list (optional), ``+`` a list (at least one), none: required unless it has a
default. Types: ``id:<kind>`` (a record id, bound as the record's IRI), ``concept:<scheme>`` (a
vocabulary term, bound as the concept's IRI), ``string``, ``integer``, ``year``, ``date``,
``boolean``, ``iri``. Values are bound as RDF terms in a VALUES block (over an endpoint, a single
value as its term written in place of the variable: :func:`edugraph.query.sparql.bind_terms`),
never pasted into the text.
``check-*.rq`` are integrity checks: they must return no rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from edugraph.errors import InputError, UsageError, suggest
from edugraph.files import read_bytes
from edugraph.model import values
from edugraph.model.kinds import RECORD_KINDS
from edugraph.model.spec import a
from edugraph.vocab import ontology
from edugraph.vocab.namespaces import XSD, record_iri
from edugraph.vocab.ontology import vocabularies

SIMPLE_TYPES = ("string", "integer", "year", "date", "boolean", "iri")
_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z]+(?::[a-z0-9-]+)?)(?P<card>[?*+]?)"
    r"(?:\s*=\s*(?P<default>[^-][^|]*?))?"
    r"(?:\s+one of\s+(?P<choices>\S+))?"
    r"(?:\s+--\s+(?P<doc>.*))?\s*$"
)


# Named tuples, not dataclasses: see edugraph.model.values.Temporal.
class Param(NamedTuple):
    """A typed parameter of a stored query."""

    name: str
    type: str
    required: bool
    many: bool
    default: tuple[str, ...]
    choices: tuple[str, ...]
    description: str

    @property
    def signature(self) -> str:
        """``org: id:organisation`` with ``?``/``*``/``+`` and ``= default`` as in the header."""
        card = ("+" if self.required else "*") if self.many else ("" if self.required or self.default else "?")
        default = f" = {', '.join(self.default)}" if self.default else ""
        return f"{self.name}: {self.type}{card}{default}"


class StoredQuery(NamedTuple):
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    example: str
    text: str
    builtin: bool = False
    """One of the queries shipped with edugraph (else a project's, or an ad-hoc file)."""

    @property
    def origin(self) -> str:
        """Where the query comes from: ``built-in``, or its file's path."""
        return "built-in" if self.builtin else str(self.path)

    @property
    def is_check(self) -> bool:
        return self.name.startswith("check-")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def example_call(self) -> str:
        """The command line of the header's example: ``edugraph query NAME -p ...``."""
        return f"edugraph query {self.name}" + (f" {self.example}" if self.example else "")


def parse_pairs(pairs: Iterable[str], query: StoredQuery | None = None) -> dict[str, list[str]]:
    """``KEY=VALUE`` strings (what ``-p`` takes) -> the values given for each key, in order.

    A string that is not KEY=VALUE is a UsageError, or, in the example line of ``query``, an
    InputError naming the query's file.
    """
    given: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            if query is not None:
                raise InputError(f"the example's parameter '{pair}' is not KEY=VALUE", file=query.path)
            raise UsageError(f"parameter '{pair}' is not KEY=VALUE", hint="write -p org=unesco-tec")
        given.setdefault(key.strip(), []).append(value)
    return given


def example_params(query: StoredQuery) -> dict[str, list[str]]:
    """The ``-p KEY=VALUE`` pairs of a query's ``#+ example:`` line."""
    import shlex  # only the docs site and the tests read examples

    try:
        words = shlex.split(query.example)
    except ValueError as exc:
        raise InputError(f"cannot read the example: {exc}", file=query.path) from None
    pairs: list[str] = []
    pending = False
    for word in words:
        if pending:
            pairs.append(word)
            pending = False
        elif word in ("-p", "--param"):
            pending = True
        elif word.startswith("--param="):
            pairs.append(word[len("--param="):])
        elif word.startswith("-p") and len(word) > 2:
            pairs.append(word[2:])
        else:
            raise InputError(f"the example has '{word}' where '-p KEY=VALUE' belongs", file=query.path,
                             hint="write '#+ example: -p key=value -p key=value'")
    if pending:
        raise InputError("the example ends with '-p' and no KEY=VALUE", file=query.path)
    return parse_pairs(pairs, query)


Folders = Path | Sequence[Path]
"""Extra query folders: a sequence of them, or one folder alone."""


def builtin_dir() -> Path:
    """The built-in queries: ``queries/`` inside the installed package, else the checkout's
    top-level ``queries/`` (found as :func:`edugraph.vocab.ontology.ontology_dir` finds the ontology)."""
    packaged = Path(__file__).parents[1] / "queries"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "queries"


def query_files(extra_dirs: Folders = ()) -> dict[str, tuple[Path, bool]]:
    """``{name: (path, built-in?)}`` of the catalogue, sorted by name, without reading the files.

    The built-in queries, then each folder's ``*.rq`` in order, a later one replacing an earlier
    one of the same name; a file that is a built-in one (the checkout's own ``queries/`` given as a
    folder) stays built-in. A folder that does not exist is a UsageError.
    """
    folders = [extra_dirs] if isinstance(extra_dirs, Path) else list(extra_dirs)
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"queries directory '{folder}' does not exist",
                             hint="pass --queries DIR with the folder of *.rq files")
    builtin = builtin_dir()
    found = {p.stem: (p, True) for p in sorted(builtin.glob("*.rq"))} if builtin.is_dir() else {}
    builtins = dict(found)
    for folder in folders:
        if builtins and folder.resolve() == builtin.resolve():  # the checkout's own queries/
            found.update(builtins)
            continue
        for path in sorted(folder.glob("*.rq")):
            # Only a file named as a built-in one can be it (resolving every file cost a query
            # milliseconds).
            same = builtins.get(path.stem)
            found[path.stem] = (same if same is not None and same[0].samefile(path) else (path, False))
    return dict(sorted(found.items()))


def catalogue(extra_dirs: Folders = ()) -> list[StoredQuery]:
    """Every query of the catalogue (the built-in ones and each extra folder's), sorted by name."""
    return [parse_file(path, builtin=builtin, found_in=path.parent)
            for path, builtin in query_files(extra_dirs).values()]


def find(extra_dirs: Folders, name: str) -> StoredQuery:
    """A query of the catalogue by name (see :func:`catalogue`), or an ad-hoc ``.rq`` file by path."""
    if name.endswith(".rq"):
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"query file '{name}' does not exist")
        return parse_file(path)
    files = query_files(extra_dirs)
    if name not in files:
        raise UsageError(f"unknown query '{name}'",
                         hint=suggest(name, list(files)) or "run 'edugraph queries' for the list")
    path, builtin = files[name]
    return parse_file(path, builtin=builtin, found_in=path.parent)


def parse_file(path: Path, builtin: bool = False, found_in: Path | None = None) -> StoredQuery:
    """A query file; one ``found_in`` a folder of queries must resolve inside it or the project
    (one named on the command line may be anywhere). FIFOs and devices are refused."""
    try:
        text = read_bytes(path, None if builtin or found_in is None else (found_in,)).decode("utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the query: {exc.strerror or exc}", file=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read the query: not UTF-8 ({exc.reason} at byte {exc.start})",
                         file=path) from None
    return parse_text(text, path, builtin)


def parse_text(text: str, path: Path, builtin: bool = False) -> StoredQuery:
    """Read the header of a query; errors name the file and line of the bad header line."""
    title = ""
    description: list[str] = []
    params: list[Param] = []
    example = ""
    in_description = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        body = line[1:]
        if body.startswith("+"):
            in_description = False
            key, _, value = body[1:].strip().partition(":")
            key = key.strip()
            if key.startswith("param "):
                params.append(_param(key[6:].strip() + ":" + value, path, number))
            elif key == "example":
                example = value.strip()
            else:
                raise InputError(f"unknown header line '#+ {key}'", file=path, line=number,
                                 hint="use '#+ param NAME: TYPE -- description' or '#+ example: ...'")
            continue
        stripped = body.strip()
        if stripped.startswith("title:"):
            title, in_description = stripped[6:].strip(), False
        elif stripped.startswith("description:"):
            description, in_description = [stripped[12:].strip()], True
        elif in_description and body.startswith("  ") and stripped:
            description.append(stripped)
        else:
            in_description = False
    if not title:
        raise InputError("the query has no '# title:' line", file=path, line=1,
                         hint="start the file with '# title: ...' and '# description: ...'")
    names = [p.name for p in params]
    for name in {n for n in names if names.count(n) > 1}:
        raise InputError(f"parameter '{name}' is declared twice", file=path)
    return StoredQuery(path.stem, path, title, " ".join(d for d in description if d), tuple(params),
                       example, text, builtin)


def _param(spec: str, path: Path, line: int) -> Param:
    match = _PARAM_RE.match(spec.strip())
    if not match:
        raise InputError(f"cannot read the parameter '{spec.strip()}'", file=path, line=line,
                         hint="write '#+ param NAME: TYPE[?*+] [= DEFAULT] [one of A|B] -- description'")
    ptype = match["type"]
    base, _, qualifier = ptype.partition(":")
    if base == "id" and qualifier not in RECORD_KINDS:
        raise InputError(f"unknown record kind '{qualifier}' in '{ptype}'", file=path, line=line,
                         hint=f"kinds are: {', '.join(RECORD_KINDS)}")
    if base == "concept":
        if qualifier not in vocabularies():
            raise InputError(f"unknown vocabulary '{qualifier}' in '{ptype}'", file=path, line=line,
                             hint=f"vocabularies are: {', '.join(vocabularies())}")
    elif base not in ("id", *SIMPLE_TYPES) or (base != "id" and qualifier):
        raise InputError(f"unknown parameter type '{ptype}'", file=path, line=line,
                         hint=f"types are: id:<kind>, concept:<scheme>, {', '.join(SIMPLE_TYPES)}")
    card = match["card"]
    default = tuple(v.strip() for v in match["default"].split(",")) if match["default"] else ()
    choices = tuple(match["choices"].split("|")) if match["choices"] else ()
    return Param(match["name"], ptype, required=card in ("", "+") and not default,
                 many=card in ("*", "+"), default=default, choices=choices,
                 description=(match["doc"] or "").strip())


def bind(query: StoredQuery, given: Mapping[str, Sequence[str]]) -> dict[str, list[ox.NamedNode | ox.Literal]]:
    """Typed RDF terms for the given ``-p`` values (and defaults); UsageError on any bad value."""
    for name in given:
        if query.param(name) is None:
            known = [p.name for p in query.params]
            hint = suggest(name, known) or (f"its parameters are: {', '.join(known)}" if known
                                            else "it takes no parameters")
            raise UsageError(f"query '{query.name}' has no parameter '{name}'", hint=hint)
    bound: dict[str, list[ox.NamedNode | ox.Literal]] = {}
    for param in query.params:
        values = list(given.get(param.name, ())) or list(param.default)
        if not values:
            if param.required:
                raise UsageError(f"query '{query.name}' needs parameter '{param.name}' "
                                 f"({param.type}{'+' if param.many else ''})",
                                 hint=f"add -p {param.name}=VALUE" + (f": {param.description}"
                                                                       if param.description else ""))
            continue
        if len(values) > 1 and not param.many:
            raise UsageError(f"parameter '{param.name}' takes one value, got {len(values)}",
                             hint=f"give -p {param.name}=... once")
        bound[param.name] = [term(query, param, v) for v in values]
    return bound


def term(query: StoredQuery, param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term of one parameter value."""

    def bad(expected: str) -> UsageError:
        return UsageError(f"parameter '{param.name}' of query '{query.name}' must be {expected}, "
                          f"not {value!r}")

    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of the command line (surrogateescape)
        raise bad("valid UTF-8 text") from None
    if param.choices and value not in param.choices:
        raise UsageError(f"parameter '{param.name}' must be one of {', '.join(param.choices)}, "
                         f"not {value!r}", hint=suggest(value, param.choices))
    base, _, qualifier = param.type.partition(":")
    try:
        if base == "id":
            try:
                return ox.NamedNode(record_iri(qualifier, values.slug(value)))
            except values.InvalidValue:
                raise bad(f"the id of {a(qualifier)} (a lowercase slug such as 'unesco-tec')") from None
        if base == "concept":
            terms = vocabularies()[qualifier]
            if value not in terms:
                raise UsageError(f"parameter '{param.name}' must be a term of the {qualifier} vocabulary, "
                                 f"not {value!r}", hint=suggest(value, terms) or f"terms: {', '.join(terms)}")
            return ox.NamedNode(ontology.concept(qualifier, value))
        if base == "integer":
            return ox.Literal(str(values.integer(value)), datatype=ox.NamedNode(XSD.integer))
        if base == "year":
            if not re.fullmatch(r"[0-9]{4}", value):
                raise bad("a year (four digits)")
            return ox.Literal(value, datatype=ox.NamedNode(XSD.integer))
        if base == "date":
            if values.temporal(value).datatype != XSD.date:
                raise values.InvalidValue(value)
            return ox.Literal(value, datatype=ox.NamedNode(XSD.date))
        if base == "boolean":
            return ox.Literal(str(values.boolean(value)).lower(), datatype=ox.NamedNode(XSD.boolean))
        if base == "iri":
            return ox.NamedNode(values.http_iri(value))
    except values.InvalidValue:
        raise bad(_EXPECTED[base]) from None
    return ox.Literal(value)


_EXPECTED = {"integer": "an integer", "date": "a date (YYYY-MM-DD)", "boolean": "true or false",
             "iri": "an http(s) IRI"}
