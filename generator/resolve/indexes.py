"""Pass ``indexes``: ``indexes:`` entries, then an index for each foreign key
that asks for one (or all, with ``postgres: index_foreign_keys``) unless an
index already leads with its columns.  Names come later, in the names pass."""

from __future__ import annotations

import json
from typing import NamedTuple

from ..source import Path
from ..spec import IndexSpec
from ..spec.models import IndexColumnSpec
from ..types import OPCLASSES, did_you_mean
from .draft import INDEX_COL, Draft, DraftIndex, DraftTable, spec_type_of

_INCLUDE_METHODS = ("btree", "gist", "spgist")  # PostgreSQL 14+: the methods with INCLUDE


def run(d: Draft) -> None:
    for table in d.tables.values():
        for i, spec in enumerate(table.spec.indexes):
            _read(d, table, spec, i)
        _foreign_key_indexes(d, table)
    _referenced(d)


def _referenced(d: Draft) -> None:
    """A unique index a foreign key references must exist before the key: mark it."""
    for table in d.tables.values():
        for fk in table.fks:
            target = d.tables.get(fk.ref_table)
            if target is None or set(fk.ref_columns) in (
                set(cols) for cols in (target.pk, *(u for u, _ in target.uniques))
            ):
                continue
            for ix in target.indexes:
                plain = ix.unique and ix.using == "btree" and ix.where is None
                plain = plain and not any(ix.expressions)
                if plain and {c for c, _ in ix.cols} == set(fk.ref_columns):
                    ix.referenced = True
                    break


def _read(d: Draft, table: DraftTable, spec: IndexSpec, i: int) -> None:
    path = table.path + ("indexes", i)
    parts = [_part(d, table, item, path + ("columns", j)) for j, item in enumerate(spec.columns)]
    if not parts or any(p is None for p in parts):
        if not parts:
            d.error(
                "empty-key",
                "the column list is empty",
                path + ("columns",),
                "name at least one column",
            )
        return
    cols = [(p.name, p.desc) for p in parts if p is not None]
    names = [name for name, _ in cols if name]
    if len(set(names)) != len(names):
        d.error(
            "duplicate-column",
            "a column is listed twice",
            path + ("columns",),
            "list each column once",
        )
        return
    include: tuple[str, ...] = ()
    if spec.include:
        include = d.column_list(table, list(spec.include), path + ("include",)) or ()
        if not include:
            return
    rules = (
        (spec.unique and spec.using != "btree", "unique", "only btree indexes can be unique"),
        (
            bool(include) and spec.using not in _INCLUDE_METHODS,
            "include",
            f"{spec.using} indexes cannot INCLUDE columns",
        ),
        (
            any(desc for _, desc in cols) and spec.using != "btree",
            "columns",
            f"{spec.using} indexes have no sort order",
        ),
        (
            len(cols) > 1 and spec.using in ("hash", "spgist"),
            "columns",
            f"{spec.using} indexes take one column",
        ),
    )
    for bad, key, message in rules:
        if bad:
            d.error("invalid-index", message, path + (key,), "use: btree, or change the index")
            return
    if spec.nulls_not_distinct and not spec.unique:
        d.error(
            "invalid-index",
            "nulls_not_distinct applies to unique indexes",
            path + ("nulls_not_distinct",),
            "add unique: true, or remove nulls_not_distinct",
        )
        return
    for j, part in enumerate(parts):
        assert part is not None
        if not _method_fits(d, table, spec.using, part, path + ("columns", j)):
            return
    from ..pgsql import limits

    count = limits.index_column_count_problem(len(cols) + len(include))
    if count:
        d.pg_problem("pg-limit", count, path + ("columns",))
        return
    if (
        spec.where is not None
        and d.expression(table, spec.where, path + ("where",), "index_where") is None
    ):
        return
    if spec.name is not None and not d.check_ident(spec.name, "index", path + ("name",)):
        return
    index = DraftIndex(
        tuple(cols),
        spec.unique,
        spec.using,
        d.written(spec.where) if spec.where else None,
        include,
        path,
        spec.name or "",
        spec.name is not None,
        expressions=tuple(d.written(p.expression) if p and p.expression else None for p in parts),
        opclasses=tuple(p.opclass for p in parts if p is not None),
        nulls_not_distinct=spec.nulls_not_distinct,
    )

    def same(o: DraftIndex) -> tuple[object, ...]:
        return (o.cols, o.expressions, o.opclasses, o.unique, o.using, o.where, o.include)

    if any(same(o) == same(index) for o in table.indexes):
        d.error("duplicate-index", "this index is declared twice", path, "remove one")
        return
    table.indexes.append(index)


class _Part(NamedTuple):
    name: str  # the column; "" for an expression
    desc: bool
    expression: str | None
    opclass: str | None
    etype: str | None = None  # an expression's PostgreSQL type (pgsql), when known


def _part(d: Draft, table: DraftTable, item: str | IndexColumnSpec, path: Path) -> _Part | None:
    """One entry of ``columns:``: 'name', 'name desc', 'lower(email)' or a mapping."""
    if isinstance(item, str):
        m = INDEX_COL.fullmatch(item)
        if m is not None:
            name, desc, expression = m.group(1), (m.group(2) or "").lower() == "desc", None
        elif "(" in item:  # an expression: lower(email)
            name, desc, expression = "", False, item.strip()
        else:
            d.error(
                "invalid-index-column",
                f"cannot read index column {item!r}",
                path,
                "write a column name, optionally followed by 'desc' (e.g. 'created_at desc'), "
                "or an expression such as 'lower(email)'",
            )
            return None
        opclass = None
    else:
        if (item.column is None) == (item.expression is None):
            d.error(
                "invalid-index-column",
                "an index column names either 'column' or 'expression'",
                path,
                "write {column: title, opclass: gin_trgm_ops} or {expression: lower(email)}",
            )
            return None
        name, expression = item.column or "", item.expression
        desc, opclass = item.order == "desc", item.opclass
    if name and name not in table.columns:
        d.error(
            "unknown-column",
            f"table {table.key!r} has no column {name!r}",
            path + (("column",) if not isinstance(item, str) else ()),
            did_you_mean(name, list(table.columns)) or f"columns: {', '.join(table.columns)}",
        )
        return None
    etype = None
    if expression is not None:
        at = path + (("expression",) if not isinstance(item, str) else ())
        if d.expression(table, expression, at, "index_expr") is None:
            return None
        etype = d.expression_type(table, expression, "index_expr")
    return _Part(name, desc, expression, opclass, etype)


def _method_fits(d: Draft, table: DraftTable, using: str, part: _Part, path: Path) -> bool:
    """The column's (or expression's) type has an operator class for the method: its
    default one, or the one the spec names (which must exist, fit, and have its
    extension).  An expression's type is what pgsql infers (``lower(x)`` is text)."""
    ctype = table.columns[part.name].type if part.name else None
    element: str | None = None  # the spec type name the classes list (None: an array, unknown)
    spelled: str | None = None  # the spec type as pgsql.opclasses reads it
    what = ""
    if ctype is not None:
        element, spelled = (None if ctype.array else ctype.name), spec_type_of(ctype)
        what = f"{ctype.sql} column {part.name!r}"
    elif part.expression is not None and part.etype is not None:
        from ..pgsql.pgtypes import display

        spelled = _spec_type(part.etype)
        element = spelled if spelled and not spelled.endswith("[]") else None
        what = f"expression {part.expression!r} of type {display(part.etype)}"
    if part.opclass is not None:
        op = OPCLASSES.get(part.opclass)
        at = path + ("opclass",)
        if op is None:
            d.error(
                "unknown-opclass",
                f"unknown operator class {part.opclass!r}",
                at,
                did_you_mean(part.opclass, sorted(OPCLASSES))
                or f"known operator classes: {', '.join(sorted(OPCLASSES))}",
            )
            return False
        problem = ""
        if op.method != using:
            problem, hint = (
                f"{part.opclass} is a {op.method} operator class, the index is {using}",
                f"write using: {op.method}",
            )
        elif part.expression is not None and part.etype is None:
            problem, hint = (
                f"cannot tell the type of index expression {part.expression!r}, so not "
                f"whether {part.opclass} applies to it",
                f"cast it to the type the class indexes, e.g. ({part.expression})::{op.types[0]}",
            )
        elif spelled is not None and element not in op.types:
            problem, hint = (
                f"{part.opclass} does not apply to {what}",
                f"it applies to {', '.join(op.types)}",
            )
        elif op.extension and op.extension not in d.spec.postgres.extensions:
            problem, hint = (
                f"operator class {part.opclass} needs the PostgreSQL extension {op.extension!r}",
                f"add it at the top level: postgres: {{extensions: [{op.extension}]}}",
            )
        if problem:
            d.error("invalid-opclass", problem, at, hint)
            return False
        return True
    from ..pgsql import opclasses

    missing = opclasses.index_problem(using, spelled) if spelled is not None else None
    if missing is not None:  # no default operator class (pgsql.opclasses)
        message, hint = missing
        fits = [
            name
            for name, op in sorted(OPCLASSES.items())
            if op.method == using and element in op.types
        ]
        if fits and fits[0] not in hint:
            entry = (
                f"column: {part.name}"
                if part.name
                else f"expression: {json.dumps(part.expression)}"
            )
            hint += f"; or name an operator class: {{{entry}, opclass: {fits[0]}}}"
        d.error("pg-opclass", message, path, hint)
        return False
    return True


def _spec_type(pg: str) -> str | None:
    """PostgreSQL's name of an expression's type as the spec spells it (``int4`` ->
    ``integer``, ``bpchar[]`` -> ``char[]``); None for a type the spec has no name for."""
    from ..pgsql.opclasses import SPEC_TYPES
    from ..pgsql.pgtypes import base

    element = pg.removesuffix("[]")
    name = next((t for t in SPEC_TYPES if base(t) == element), None)
    return None if name is None else name + pg[len(element) :]


def _foreign_key_indexes(d: Draft, table: DraftTable) -> None:
    default = d.spec.postgres.index_foreign_keys
    for fk in table.fks:
        if not (default if fk.index is None else fk.index):
            continue
        n = len(fk.columns)
        leading = table.key_columns() + [
            tuple(c for c, _ in ix.cols) for ix in table.indexes if ix.using == "btree"
        ]
        if any(set(cols[:n]) == set(fk.columns) for cols in leading):
            continue
        cols = tuple((c, False) for c in fk.columns)
        none = (None,) * len(cols)
        table.indexes.append(
            DraftIndex(cols, False, "btree", None, (), fk.path, expressions=none, opclasses=none)
        )
