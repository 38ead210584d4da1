"""The table-level part of a Drizzle table: its primary key (when not inline),
multi-column uniques, foreign keys, checks, indexes and policies, each under
the name schema.sql gives it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Index, Policy, Table
from . import tsfmt as ts
from .drizzle_names import ref
from .tsfmt import Doc

if TYPE_CHECKING:
    from .drizzle import Builder


def _policy(b: Builder, p: Policy) -> Doc:
    b.pg_imports.add("pgPolicy")
    opts: list[Doc] = []
    if not p.permissive:
        opts.append(ts.prop("as", ts.string("restrictive")))
    if p.command != "ALL":
        opts.append(ts.prop("for", ts.string(p.command.lower())))
    if p.roles != ("public",):
        roles: list[Doc] = [ts.string(r) for r in p.roles]
        opts.append(ts.prop("to", roles[0] if len(roles) == 1 else ts.arr(roles)))
    if p.using is not None:
        opts.append(ts.prop("using", b.sql(p.using)))
    if p.with_check is not None:
        opts.append(ts.prop("withCheck", b.sql(p.with_check)))
    if not opts:
        return ts.call("pgPolicy", ts.string(p.name))
    return ts.call("pgPolicy", ts.string(p.name), ts.hug(ts.obj(opts)))


def _cols(table: Table, names: tuple[str, ...]) -> list[Doc]:
    return [ref("t", table, n) for n in names]


def table_extras(b: Builder, table: Table, inline_pk: bool) -> list[Doc]:
    """The table's third argument: keys, foreign keys, checks, indexes, policies."""
    out: list[Doc] = []
    pk = table.primary_key
    if not inline_pk:
        b.pg_imports.add("primaryKey")
        out.append(
            ts.call(
                "primaryKey",
                ts.hug(
                    ts.obj(
                        [
                            ts.prop("name", ts.string(pk.name)),
                            ts.prop("columns", ts.arr(_cols(table, pk.columns))),
                        ]
                    )
                ),
            )
        )
    for u in table.uniques:
        if len(u.columns) > 1:
            b.pg_imports.add("unique")
            nnd: list[tuple[str, list[Doc]]] = [("nullsNotDistinct", [])]
            out.append(
                ts.chain(
                    ts.call("unique", ts.string(u.name)),
                    [("on", _cols(table, u.columns)), *(nnd if u.nulls_not_distinct else [])],
                )
            )
    for fk in table.foreign_keys:
        b.pg_imports.add("foreignKey")
        target = b.schema.table(fk.ref_table)
        if target.key == table.key:  # inside its own definition: through ``t``
            refs = _cols(table, fk.ref_columns)
        else:
            var = b.table_vars[target.key]
            refs = [ref(var, target, c) for c in fk.ref_columns]
        head = ts.call(
            "foreignKey",
            ts.hug(
                ts.obj(
                    [
                        ts.prop("name", ts.string(fk.name)),
                        ts.prop("columns", ts.arr(_cols(table, fk.columns))),
                        ts.prop("foreignColumns", ts.arr(refs)),
                    ]
                )
            ),
        )
        actions: list[tuple[str, list[Doc]]] = []
        if fk.on_delete != "no action":
            actions.append(("onDelete", [ts.string(fk.on_delete)]))
        if fk.on_update != "no action":
            actions.append(("onUpdate", [ts.string(fk.on_update)]))
        out.append(ts.chain(head, actions))
    for check in table.checks:
        b.pg_imports.add("check")
        out.append(ts.call("check", ts.string(check.name), b.sql(check.sql)))
    for ix in table.indexes:
        out.append(_index(b, table, ix))
    out += [_policy(b, p) for p in table.policies]
    return out


def _index(b: Builder, table: Table, index: Index) -> Doc:
    fn = "uniqueIndex" if index.unique else "index"
    b.pg_imports.add(fn)
    cols: list[Doc] = []
    for ic in index.columns:
        column: Doc = (
            b.sql(ic.expression) if ic.expression is not None else ref("t", table, ic.name)
        )
        if ic.expression is not None and (ic.opclass is not None or ic.descending):
            # A sql`` element has neither .op() nor .desc() (a column has): drizzle-kit
            # copies the text into CREATE INDEX (...), so the element says both itself.
            said = "".join(([f" {ic.opclass}"] if ic.opclass else []) + [" DESC"] * ic.descending)
            cols.append(b.sql(f"({ic.expression}){said}"))
            continue
        if ic.opclass is not None:
            column = ts.chain(column, [("op", [ts.string(ic.opclass)])])
        # PostgreSQL's DESC puts NULLs first; Drizzle's desc() alone says NULLS LAST.
        desc: list[tuple[str, list[Doc]]] = [("desc", []), ("nullsFirst", [])]
        cols.append(ts.chain(column, desc) if ic.descending else column)
    methods: list[tuple[str, list[Doc]]] = []
    if index.using == "btree":
        methods.append(("on", cols))
    else:
        methods.append(("using", [ts.string(index.using), *cols]))
    if index.where:
        methods.append(("where", [b.sql(index.where)]))
    if index.referenced:
        b.notes.append(
            f"{table.name}: index {index.name} is referenced by a foreign key;"
            " drizzle-kit's migration adds foreign keys before indexes: move its"
            " CREATE UNIQUE INDEX above them."
        )
    if index.nulls_not_distinct:
        b.notes.append(
            f"{table.name}: index {index.name} is NULLS NOT DISTINCT in schema.sql;"
            " Drizzle's index builder cannot say so."
        )
    if index.include:
        b.notes.append(
            f"{table.name}: index {index.name} also has INCLUDE ({', '.join(index.include)})"
            " in schema.sql; Drizzle cannot declare INCLUDE columns."
        )
    return ts.chain(ts.call(fn, ts.string(index.name)), methods)
