"""PostgreSQL 15's types, functions, operators and casts, read from pg15.catalog.

The data is PostgreSQL's own (dumpcatalog.py writes it from a live server;
tests/test_pgsql_catalog.py regenerates and compares), loaded on the first
expression that needs it.  ``Catalog.view(extensions)`` hides the objects of
extensions the spec does not enable.  Type names are PostgreSQL's base names
(``int4``, ``text[]``); ``enum`` stands for any enum of the spec.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache
from pathlib import Path
from typing import Literal

from ..records import Value, record

Volatility = Literal["immutable", "stable", "volatile"]
VOLATILITY: dict[str, Volatility] = {"i": "immutable", "s": "stable", "v": "volatile"}
RANK = {"immutable": 0, "stable": 1, "volatile": 2}
DATA = Path(__file__).with_name("pg15.catalog")
# The extensions whose objects the data holds, each tagged (dumpcatalog.py creates them).
EXTENSIONS = (
    *("btree_gin", "btree_gist", "citext", "fuzzystrmatch", "hstore", "intarray", "ltree"),
    *("pg_trgm", "pgcrypto", "unaccent", "uuid-ossp"),
)


@record
class TypeInfo(Value):
    """A PostgreSQL type as pg_type describes it (category, I/O volatility, array)."""

    name: str
    typtype: str  # b base, p pseudo, r range, m multirange, e enum
    category: str  # pg_type.typcategory: N numeric, S string, A array, E enum, ...
    preferred: bool
    has_array: bool
    input: Volatility  # the input and output functions' volatility (I/O casts)
    output: Volatility
    subtype: str  # a range's element type; a multirange's range type
    subscript: bool  # x[1] is defined (arrays, jsonb, hstore, point...)
    ext: str


@record
class Func(Value):
    """A function of pg_proc: argument and result types, volatility, kind."""

    name: str
    args: tuple[str, ...]
    defaults: int
    variadic: str  # the element type of a VARIADIC last argument, "" if none
    result: str
    returns_set: bool
    volatility: Volatility
    kind: str  # f normal, a aggregate, w window
    ext: str


@record
class Oper(Value):
    """An operator of pg_operator: operand and result types, its function's volatility."""

    name: str
    left: str  # "-" for a prefix operator
    right: str
    result: str
    volatility: Volatility
    ext: str

    @property
    def args(self) -> tuple[str, ...]:
        return (self.right,) if self.left == "-" else (self.left, self.right)


@record
class Cast(Value):
    """A cast of pg_cast: in which contexts it applies and how it converts."""

    context: str  # i implicit, a assignment, e explicit
    method: str  # f function, i I/O, b binary
    volatility: Volatility
    ext: str


_ENUM = TypeInfo("enum", "e", "E", False, False, "stable", "stable", "", False, "")
_ARRAY_IO: Volatility = "stable"  # array_in and array_out


def _run(lines: list[str], prefix: str) -> list[str]:
    """The lines that start with ``prefix``: one run of them, found by bisection,
    since the data is sorted (dumpcatalog.py) and its header lines start with '#'."""
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the least string past the run
    return lines[bisect_left(lines, prefix) : bisect_left(lines, after)]


class Catalog:
    """The whole data; functions and operators are parsed by name, when first asked.

    Loading splits only the types, casts and configurations (a tenth of the
    lines): looping over all 4,300 lines in Python was most of its cost.
    """

    def __init__(self, text: str) -> None:
        self.types: dict[str, TypeInfo] = {"enum": _ENUM}
        self.casts: dict[tuple[str, str], Cast] = {}
        self._lines = text.splitlines()
        self._functions: dict[str, list[Func]] = {}
        self._operators: dict[str, list[Oper]] = {}
        for line in _run(self._lines, "T\t"):
            f = line.split("\t")
            vol = (VOLATILITY[f[6]], VOLATILITY[f[7]])
            info = TypeInfo(
                f[1], f[2], f[3], f[4] == "1", f[5] == "1", *vol, f[8], f[9] == "1", f[10]
            )
            self.types[f[1]] = info
        for line in _run(self._lines, "C\t"):
            f = line.split("\t")
            self.casts[(f[1], f[2])] = Cast(f[3], f[4], VOLATILITY.get(f[5], "immutable"), f[6])
        # text search configurations
        self.configs: set[str] = {line.split("\t")[1] for line in _run(self._lines, "R\t")}

    def functions(self, name: str) -> list[Func]:
        found = self._functions.get(name)
        if found is None:
            found = self._functions[name] = [
                Func(f[1], tuple(f[2].split(",")) if f[2] else (), int(f[3]), f[4], f[5],
                     f[6] == "1", VOLATILITY[f[7]], f[8], f[9])
                for f in (line.split("\t") for line in _run(self._lines, f"F\t{name}\t"))
            ]  # fmt: skip
        return found

    def operators(self, name: str) -> list[Oper]:
        found = self._operators.get(name)
        if found is None:
            found = self._operators[name] = [
                Oper(f[1], f[2], f[3], f[4], VOLATILITY[f[5]], f[6])
                for f in (line.split("\t") for line in _run(self._lines, f"O\t{name}\t"))
            ]
        return found

    def view(self, extensions: frozenset[str]) -> View:
        return _view(self, extensions)


@cache
def load() -> Catalog:
    return Catalog(DATA.read_text(encoding="utf-8"))


@cache
def _view(catalog: Catalog, extensions: frozenset[str]) -> View:
    return View(catalog, extensions)


class View:
    """The catalog as a database with ``extensions`` created sees it."""

    def __init__(self, catalog: Catalog, extensions: frozenset[str]) -> None:
        self.catalog = catalog
        self.enabled = frozenset(e for e in extensions if e in EXTENSIONS)
        # An extension whose objects are not in the data: a name we do not
        # find may be one of its, so "does not exist" is not ours to say.
        self.open_world = bool(set(extensions) - set(EXTENSIONS) - {"plpgsql"})
        self._types: dict[str, TypeInfo | None] = {}
        # (kind, name, argument types) -> the overload resolution's answer
        # (overload.py): specs and expressions repeat the same few calls.
        self.resolved: dict[tuple[str, str, tuple[str, ...]], object] = {}

    def visible(self, ext: str) -> bool:
        return not ext or ext in self.enabled

    def type(self, name: str | None) -> TypeInfo | None:
        if name is None:
            return None
        if name in self._types:
            return self._types[name]
        found = self._types[name] = self._type(name)
        return found

    def _type(self, name: str) -> TypeInfo | None:
        if name.endswith("[]"):
            element = self.type(name[:-2])
            if element is None:
                return None
            return TypeInfo(name, "b", "A", False, False, _ARRAY_IO, _ARRAY_IO, name[:-2], True, "")
        if name.startswith("enum:"):  # one enum of the spec; "enum" alone: any of them
            return _ENUM
        info = self.catalog.types.get(name)
        return info if info is not None and self.visible(info.ext) else None

    def functions(self, name: str) -> list[Func]:
        return [f for f in self.catalog.functions(name) if self.visible(f.ext)]

    def operators(self, name: str, prefix: bool) -> list[Oper]:
        found = self.catalog.operators(name)
        return [o for o in found if (o.left == "-") == prefix and self.visible(o.ext)]

    def cast(self, source: str, target: str) -> Cast | None:
        cast = self.catalog.casts.get((source, target))
        return cast if cast is not None and self.visible(cast.ext) else None
