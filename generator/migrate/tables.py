"""One table present in both models: its columns, keys, checks, indexes, trigger, comments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Column, Index, Table
from ..naming import MAX_IDENT_BYTES, ident_bytes
from ..source import format_path
from . import compare_types
from . import ops as o
from . import ops_constraints as cn
from . import ops_tables as tb
from .compare_types import same_serial
from .matching import Where, pair

if TYPE_CHECKING:
    from .compare import _Compare


class TableDiff:
    def __init__(self, old: Table, new: Table, cmp: _Compare) -> None:
        self.old, self.new, self.cmp = old, new, cmp
        self.columns: dict[str, Column] = {}  # new name -> old column
        self.retyped: set[str] = set()  # new names of columns whose type changes
        self.regenerated: set[str] = set()  # dropped and added again (generated expression)
        self.rebuild_defaults: set[str] = set()  # defaults an enum rebuild sets
        self.recreated_keys: set[tuple[str, tuple[str, ...]]] = set()  # (old key, old cols)

    def new_name(self, old_column: str) -> str | None:
        """The column's new name; None if it is dropped, or dropped and added again
        (PostgreSQL then drops the constraints and indexes on it too)."""
        for new, oc in self.columns.items():
            if oc.name == old_column:
                return None if new in self.regenerated else new
        return None

    def pair_columns(self) -> None:
        old, new, hints = self.old, self.new, self.cmp.hints

        def where(name: str) -> Where:
            return Where(new.column(name).span, format_path(("tables", new.key, "columns", name)))

        pairs = self.cmp.match.names(
            "column",
            [c.name for c in old.columns],
            [c.name for c in new.columns],
            lambda name: hints.columns.get((new.key, name)),
            where,
            f" in table {new.key!r}",
            lambda name, was, path: (
                f"write it as `{name}: {{type: {new.column(name).type.sql}, renamed_from: {was}}}` "
                f"({path})"
            ),
        )
        for new_name, old_name in pairs.items():
            oc, nc = old.column(old_name), new.column(new_name)
            self.columns[new_name] = oc
            if oc.generated != nc.generated and nc.generated is not None:
                self.regenerated.add(new_name)
            elif self.cmp.map_type(oc.type) != nc.type:
                self.retyped.add(new_name)

    def _cols(self, names: tuple[str, ...]) -> tuple[str | None, ...]:
        return tuple(self.new_name(n) for n in names)

    def emit(self, ops: list[o.Op]) -> None:
        old, new = self.old, self.new
        if old.key != new.key:
            ops.append(tb.RenameTable(old, new))
        self._columns(ops)
        self._keys(ops)
        compare_types.exclusions(self, ops)
        self._indexes(ops)
        before = {tr.name: tr for tr in old.triggers}
        after = {tr.name: tr for tr in new.triggers}
        # A changed trigger is dropped and created again: PostgreSQL 15 has no
        # CREATE OR REPLACE TRIGGER for constraint triggers, and this is one way for all.
        ops += [cn.DropTrigger(old, tr) for n, tr in before.items() if after.get(n) != tr]
        ops += [cn.CreateTrigger(new, tr) for n, tr in after.items() if before.get(n) != tr]
        if old.description != new.description:
            ops.append(o.SetComment("TABLE", new.sql_name, old.description, new.description))

    def _columns(self, ops: list[o.Op]) -> None:
        old, new, hints = self.old, self.new, self.cmp.hints
        for nc in new.columns:
            key = (new.key, nc.name)
            backfill = hints.backfill[key].value if key in hints.backfill else None
            oc = self.columns.get(nc.name)
            if oc is None:
                ops.append(tb.AddColumn(new, nc, backfill))
                continue
            if nc.name in self.regenerated:
                ops += [tb.DropColumn(old, oc), tb.AddColumn(new, nc)]
                continue
            if oc.generated is not None and nc.generated is None:
                plain = replace(oc, generated=None)
                ops.append(tb.DropExpression(old, oc, plain))
                oc = plain
            if oc.name != nc.name:
                ops.append(tb.RenameColumn(new, oc.name, nc.name))
            default = self.cmp.map_default(oc)
            was = replace(oc, name=nc.name, type=self.cmp.map_type(oc.type), default=default)
            self._column(ops, was, nc, backfill, hints.using.get(key))
        ops += [
            tb.DropColumn(old, self.cmp.in_new_terms(oc))
            for oc in old.columns
            if oc not in self.columns.values()
        ]
        compare_types.columns(self, ops)
        for new_name, oc in self.columns.items():
            nc = new.column(new_name)
            if oc.identity and nc.identity and new_name not in self.regenerated:
                before, after = f"{old.name}_{oc.name}_seq", f"{new.name}_{nc.name}_seq"
                # PostgreSQL's name for a fresh build; a longer one it shortens its own way
                longest = max(ident_bytes(before), ident_bytes(after))
                if before != after and longest <= MAX_IDENT_BYTES:
                    ops.append(tb.RenameSequence(new, new_name, before, after))

    def _column(
        self, ops: list[o.Op], oc: Column, nc: Column, backfill: str | None, using: object
    ) -> None:
        new = self.new
        if nc.name in self.retyped:
            expr = getattr(using, "value", None)
            ops.append(tb.AlterColumnType(new, oc, nc, expr))
        elif (
            nc.name not in self.rebuild_defaults
            and _sql(oc) != _sql(nc)
            and not same_serial(oc, nc)
        ):
            ops.append(tb.SetDefault(new, nc.name, oc.default, nc.default))
        if oc.identity != nc.identity:
            ops.append(tb.SetIdentity(new, nc.name, oc.identity, nc.identity))
        if oc.nullable != nc.nullable:
            ops.append(tb.SetNullable(new, nc.name, nc.nullable, backfill))
        if oc.description != nc.description:
            target = f"{new.sql_name}.{nc.sql_name}"
            ops.append(o.SetComment("COLUMN", target, oc.description, nc.description))

    def _keys(self, ops: list[o.Op]) -> None:
        old, new = self.old, self.new
        opk, npk = old.primary_key, new.primary_key
        if self._cols(opk.columns) == npk.columns:
            if opk.name != npk.name:
                ops.append(cn.RenameConstraint(new, opk.name, npk.name))
        else:
            ops += [cn.DropConstraint(old, opk), cn.AddConstraint(new, npk)]
            self.recreated_keys.add((old.key, opk.columns))
        uniques = pair(  # NULLS NOT DISTINCT changed: PostgreSQL can only drop and re-add
            old.uniques,
            new.uniques,
            lambda u: (self._cols(u.columns), u.nulls_not_distinct),
            lambda u: (u.columns, u.nulls_not_distinct),
            lambda u: u.name,
        )
        for x in uniques.dropped:
            self.recreated_keys.add((old.key, x.columns))
        checks = pair(
            old.checks,
            new.checks,
            lambda c: c.sql if None not in self._cols(c.columns) else None,
            lambda c: c.sql,
            lambda c: c.name,
            self._hint("checks", "check"),
        )
        for same, dropped, added in (
            (uniques.same, uniques.dropped, uniques.added),
            (checks.same, checks.dropped, checks.added),
        ):
            ops += [cn.RenameConstraint(new, a.name, b.name) for a, b in same if a.name != b.name]
            ops += [cn.DropConstraint(old, c) for c in dropped]
            ops += [cn.AddConstraint(new, c) for c in added]

    def _hint(self, kind: str, what: str) -> Callable[[Any], str | None]:
        hints = getattr(self.cmp.hints, kind)
        old_names = {c.name for c in getattr(self.old, kind)}

        def lookup(item: Any) -> str | None:
            name = getattr(item, "name", "")
            h = hints.get((self.new.key, name))
            if h is None or name in old_names:
                return None
            if h.value not in old_names and not self.cmp.match.first:
                self.cmp.diags.add(
                    "bad-hint",
                    f"renamed_from {h.value!r} names no {what} of "
                    f"table {self.new.key!r} in the old schema",
                    h.span,
                    path=h.path,
                    hint=f"names there: {', '.join(sorted(old_names)) or 'none'}",
                )
            return str(h.value)

        return lookup

    def _index_def(self, ix: Index, old: bool) -> object:
        # an expression's column name is "": no column to follow through a rename
        cols = tuple(
            (
                self.new_name(c.name) if old and c.name else c.name,
                c.descending,
                c.expression,
                c.opclass,
            )
            for c in ix.columns
        )
        include = self._cols(ix.include) if old else ix.include
        return (cols, ix.unique, ix.using, ix.where, include, ix.nulls_not_distinct)

    def _indexes(self, ops: list[o.Op]) -> None:
        old, new = self.old, self.new
        paired = pair(
            old.indexes,
            new.indexes,
            lambda ix: self._index_def(ix, True),
            lambda ix: self._index_def(ix, False),
            lambda ix: ix.name,
            self._hint("indexes", "index"),
        )
        ops += [cn.RenameIndex(new, a.name, b.name) for a, b in paired.same if a.name != b.name]
        ops += [cn.DropIndex(old, ix) for ix in paired.dropped]
        ops += [cn.CreateIndex(new, ix) for ix in paired.added]


def _sql(c: Column) -> str | None:
    return c.default.sql if c.default is not None else None
