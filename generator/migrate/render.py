"""Operations -> SQL: the entry points, and the forms that depend on the lock mode.

The DDL pieces (column lines, constraint clauses, CREATE TABLE/TYPE/INDEX,
the trigger) come from ``generator/outputs/postgres.py``, the same code that
writes schema.sql, so a migration and a fresh build spell things alike.

Each statement has a *stage*: ``main`` (the migration's transaction),
``alone`` (outside any transaction: CONCURRENTLY), ``after`` (a transaction
after the concurrent builds) or ``validate`` (a last transaction: VALIDATE
of constraints added NOT VALID).  ``plan.py`` turns stages into COMMIT/BEGIN.

This module holds the entry points, ``statements`` (with the lock-friendly
forms: NOT NULL, constraints, foreign keys, indexes) and ``describe`` (the
plan's line per operation); the SQL of every operation with one form is in
``render_plain.py``, and of ``ops_types.py``'s and ``ops_sequences.py``'s in
``render_types.py`` and ``render_sequences.py``.
"""

from __future__ import annotations

from ..model import Check, PrimaryKey, Schema, Unique
from ..naming import constraint_name, quote_ident
from ..outputs import postgres as pg
from ..records import Value, record
from ..sqltext import quote_string
from . import ops as o
from . import ops_constraints as cn
from . import ops_objects as ob
from . import ops_tables as tb
from . import render_types
from .render_plain import _alter, _col, _plain, _signature, _view_kind

MAIN, ALONE, AFTER, VALIDATE = "main", "alone", "after", "validate"


@record
class Statement(Value):
    sql: str
    stage: str = MAIN


def _not_null(op: tb.SetNullable, online: bool) -> list[Statement]:
    if op.nullable:
        return [Statement(_col(op.table, op.column, "DROP NOT NULL"))]
    out = []
    if op.backfill is not None:
        column = quote_ident(op.column)
        fill = f"UPDATE {op.table.sql_name} SET {column} = ({op.backfill}) WHERE {column} IS NULL;"
        out.append(Statement(fill))
    if not online:
        return [*out, Statement(_col(op.table, op.column, "SET NOT NULL"))]
    # A validated CHECK (c IS NOT NULL) lets SET NOT NULL skip its scan under
    # ACCESS EXCLUSIVE; VALIDATE scans under SHARE UPDATE EXCLUSIVE only.
    name = quote_ident(constraint_name(op.table.name, (op.column,), "not_null"))
    check = f"CONSTRAINT {name} CHECK ({quote_ident(op.column)} IS NOT NULL) NOT VALID"
    return [
        *out,
        Statement(_alter(op.table, f"ADD {check}")),
        Statement(_alter(op.table, f"VALIDATE CONSTRAINT {name}"), VALIDATE),
        Statement(_col(op.table, op.column, "SET NOT NULL"), VALIDATE),
        Statement(_alter(op.table, f"DROP CONSTRAINT {name}"), VALIDATE),
    ]


def _clause(c: cn.Constraint) -> str:
    if isinstance(c, Check):
        return pg.check_clause(c.name, c.sql)
    if isinstance(c, PrimaryKey):
        return pg.key_clause(c.name, "PRIMARY KEY", c.columns)
    return pg.key_clause(c.name, "UNIQUE", c.columns, c.nulls_not_distinct)


def _add_constraint(op: cn.AddConstraint, online: bool) -> list[Statement]:
    c = op.constraint
    clause = _clause(c)
    if not online:
        return [Statement(_alter(op.table, f"ADD {clause}"))]
    name = quote_ident(c.name)
    if isinstance(c, Check):
        return [
            Statement(_alter(op.table, f"ADD {clause} NOT VALID")),
            Statement(_alter(op.table, f"VALIDATE CONSTRAINT {name}"), VALIDATE),
        ]
    cols = ", ".join(quote_ident(n) for n in c.columns)
    kind = "PRIMARY KEY" if isinstance(c, PrimaryKey) else "UNIQUE"
    nnd = " NULLS NOT DISTINCT" if isinstance(c, Unique) and c.nulls_not_distinct else ""
    build = f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON {op.table.sql_name} ({cols}){nnd};"
    attach = _alter(op.table, f"ADD CONSTRAINT {name} {kind} USING INDEX {name}")
    return [Statement(build, ALONE), Statement(attach, AFTER)]


def _add_foreign_key(op: cn.AddForeignKey, online: bool, after: bool) -> list[Statement]:
    clause = pg.foreign_key_clause(op.table, op.fk, Schema((op.target,)))
    if not online:  # ``after``: the key it references may be attached only then
        return [Statement(_alter(op.table, f"ADD {clause}"), AFTER if after else MAIN)]
    validate = _alter(op.table, f"VALIDATE CONSTRAINT {quote_ident(op.fk.name)}")
    return [
        Statement(_alter(op.table, f"ADD {clause} NOT VALID"), AFTER),
        Statement(validate, VALIDATE),
    ]


def statements(op: o.Op, online: bool = False, *, plan_online: bool = False) -> list[Statement]:
    """The SQL of one operation; ``online``: lock-friendly forms (an existing table);
    ``plan_online``: the migration uses them somewhere (foreign keys then go after)."""
    if isinstance(op, tb.SetNullable):
        return _not_null(op, online)
    if isinstance(op, cn.AddConstraint):
        return _add_constraint(op, online)
    if isinstance(op, cn.AddForeignKey):
        return _add_foreign_key(op, online, plan_online)
    if isinstance(op, cn.CreateIndex):
        sql = pg.index_sql(op.table, op.index)
        if online:
            return [Statement(sql.replace(" INDEX ", " INDEX CONCURRENTLY ", 1), ALONE)]
        return [Statement(sql)]
    return [Statement(s) for s in _plain(op)]


def describe(op: o.Op) -> str:  # noqa: C901 - one line per operation
    """A one-line summary for the plan a reviewer reads."""
    match op:
        case tb.CreateTable(t) | tb.DropTable(t):
            verb = "create" if isinstance(op, tb.CreateTable) else "drop"
            return f"{verb} table {t.sql_name}"
        case tb.RenameTable(old, new):
            return f"rename table {old.sql_name} to {new.sql_name}"
        case tb.AddColumn(t, c) | tb.DropColumn(t, c):
            verb = "add" if isinstance(op, tb.AddColumn) else "drop"
            return f"{verb} column {t.sql_name}.{c.sql_name} {c.type.sql}"
        case tb.RenameColumn(t, old, new):
            return f"rename column {t.sql_name}.{quote_ident(old)} to {quote_ident(new)}"
        case tb.AlterColumnType(t, old, new):
            return f"change type of {t.sql_name}.{new.sql_name}: {old.type.sql} -> {new.type.sql}"
        case tb.SetNullable(t, c, nullable):
            return f"{'drop' if nullable else 'set'} NOT NULL on {t.sql_name}.{quote_ident(c)}"
        case tb.SetDefault(t, c) | tb.SetIdentity(t, c):
            what = "default" if isinstance(op, tb.SetDefault) else "identity"
            return f"change {what} of {t.sql_name}.{quote_ident(c)}"
        case o.AddEnumLabels(e):
            return f"add labels {', '.join(map(quote_string, op.added))} to {e.sql_name}"
        case o.RebuildEnum(e):
            return (
                f"rebuild enum {e.sql_name} with labels ({', '.join(map(quote_string, op.after))})"
            )
        case cn.AddConstraint(t, c) | cn.DropConstraint(t, c):
            verb = "add" if isinstance(op, cn.AddConstraint) else "drop"
            kind = {PrimaryKey: "primary key", Unique: "unique", Check: "check"}[type(c)]
            # A changed NULLS NOT DISTINCT is a drop and an add of the same name: say which.
            nnd = isinstance(c, Unique) and c.nulls_not_distinct
            kind += " (NULLS NOT DISTINCT)" if nnd else ""
            return f"{verb} {kind} {quote_ident(c.name)} on {t.sql_name}"
        case cn.AddForeignKey(t, fk) | cn.DropForeignKey(t, fk):
            verb = "add" if isinstance(op, cn.AddForeignKey) else "drop"
            return f"{verb} foreign key {quote_ident(fk.name)} on {t.sql_name}"
        case cn.CreateIndex(t, ix) | cn.DropIndex(t, ix):
            verb = "create" if isinstance(op, cn.CreateIndex) else "drop"
            return f"{verb} index {quote_ident(ix.name)} on {t.sql_name}"
        case tb.RenameSequence(t, column, old, new):
            return f"rename identity sequence of {t.sql_name}.{quote_ident(column)} to {quote_ident(new)}"
        case cn.RenameConstraint(t, old, new) | cn.RenameIndex(t, old, new):
            kind = "constraint" if isinstance(op, cn.RenameConstraint) else "index"
            return f"rename {kind} {quote_ident(old)} on {t.sql_name} to {quote_ident(new)}"
        case o.SetComment(kind, target):
            return f"comment on {kind.lower()} {target}"
        case ob.CreateFunction(fn, old):
            verb = "replace" if old is not None else "create"
            return f"{verb} function {_signature(fn)}"
        case ob.DropFunction(fn):
            return f"drop function {_signature(fn)}"
        case ob.CreateView(v) | ob.DropView(v):
            verb = "create" if isinstance(op, ob.CreateView) else "drop"
            return f"{verb} {_view_kind(v).lower()} {v.sql_name}"
        case ob.CreatePolicy(t, p) | ob.DropPolicy(t, p) | ob.AlterPolicy(t, _, p):
            verbs = {ob.CreatePolicy: "create", ob.DropPolicy: "drop", ob.AlterPolicy: "alter"}
            return f"{verbs[type(op)]} policy {quote_ident(p.name)} on {t.sql_name}"
        case ob.SetRowSecurity(t, force, on):
            verb = ("force" if on else "no force") if force else ("enable" if on else "disable")
            return f"{verb} row-level security on {t.sql_name}"
        case ob.RawSQL(where, _, _, run):
            return (
                f"run postgres.{where} (raw SQL)"
                if run
                else f"postgres.{where} changed: manual step"
            )
    return render_types.describe(op) or _plain(op)[0].splitlines()[0].rstrip(";")
