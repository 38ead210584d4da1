"""The SQL of each migration operation that has one form, whatever the lock mode.

``render.py`` decides forms and stages: it hands an operation here when it has
no lock-friendly variant (its statements then run in the main stage), and
takes the first line of this SQL as the plan line of an operation
``describe`` does not word itself.  This module only spells the SQL, one case
an operation in ``_plain``, by kind as in ``ops*.py``; the DDL pieces come from
``generator/outputs/postgres.py``, and ``ops_types.py``'s and
``ops_sequences.py``'s operations go on to ``render_types.py`` (the last case).
A module of its own so that each of the two reads in one sitting.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Column, Default, Enum, Function, Schema, Table, View, qualified
from ..naming import constraint_name, quote_ident
from ..outputs import postgres as pg
from ..sqltext import quote_string
from . import casts, render_types
from . import ops as o
from . import ops_constraints as cn
from . import ops_objects as ob
from . import ops_tables as tb


def _alter(table: Table, action: str) -> str:
    return f"ALTER TABLE {table.sql_name} {action};"


def _col(table: Table, column: str, action: str) -> str:
    return _alter(table, f"ALTER COLUMN {quote_ident(column)} {action}")


def _comments(schema: Schema) -> list[str]:
    return pg.comments(schema)


def _add_column(table: Table, column: Column, backfill: str | None) -> list[str]:
    fill = backfill is not None and not column.nullable and column.default is None
    line = pg.column_line(replace(column, nullable=True) if fill else column)
    out = [_alter(table, f"ADD COLUMN {line}")]
    if fill:
        out.append(f"UPDATE {table.sql_name} SET {column.sql_name} = ({backfill});")
        out.append(_col(table, column.name, "SET NOT NULL"))
    return out + _comments(Schema((replace(table, description=None, columns=(column,)),)))


def _rebuild(op: o.RebuildEnum) -> list[str]:
    enum = op.enum
    temp = constraint_name(enum.name, (), "old")
    out = [f"ALTER TYPE {enum.sql_name} RENAME TO {quote_ident(temp)};"]
    out += pg.preamble(Schema((), enums=(replace(enum, labels=op.after),)))
    out += _comments(Schema((), enums=(enum,)))
    for use in op.usages:
        column = quote_ident(use.column)
        table = f"ALTER TABLE {use.table} ALTER COLUMN {column}"
        text = "text[]" if use.array else "text"
        target = enum.sql_name + ("[]" if use.array else "")
        if use.default_before is not None:
            out.append(f"{table} DROP DEFAULT;")
        out.append(f"{table} TYPE {target} USING {column}::{text}::{target};")
        if use.default_after is not None:
            out.append(f"{table} SET DEFAULT {use.default_after.sql};")
    out.append(f"DROP TYPE {qualified(enum.schema, temp)};")
    return out


def _add_labels(op: o.AddEnumLabels) -> list[str]:
    labels = op.enum.labels
    out = []
    for i, label in enumerate(labels):
        if label in op.before:
            continue
        where = f"AFTER {quote_string(labels[i - 1])}" if i else f"BEFORE {quote_string(labels[1])}"
        out.append(
            f"ALTER TYPE {op.enum.sql_name} ADD VALUE IF NOT EXISTS {quote_string(label)} {where};"
        )
    return out


def _move(kind: str, old: Enum | Table, new: Enum | Table, move_first: bool) -> list[str]:
    """SET SCHEMA and RENAME, in the order whose intermediate name is free (compare.py)."""
    move = f"SET SCHEMA {quote_ident(new.schema or 'public')}"
    rename = f"RENAME TO {quote_ident(new.name)}"
    if old.schema == new.schema:
        return [f"ALTER {kind} {old.sql_name} {rename};"]
    if old.name == new.name:
        return [f"ALTER {kind} {old.sql_name} {move};"]
    if move_first:
        return [
            f"ALTER {kind} {old.sql_name} {move};",
            f"ALTER {kind} {qualified(new.schema, old.name)} {rename};",
        ]
    return [
        f"ALTER {kind} {old.sql_name} {rename};",
        f"ALTER {kind} {qualified(old.schema, new.name)} {move};",
    ]


def _type_change(op: tb.AlterColumnType) -> list[str]:
    old, new = op.old, op.new
    out = []
    if old.default is not None:  # the old default may not cast to the new type
        out.append(_col(op.table, new.name, "DROP DEFAULT"))
    expr = op.using or casts.using(new.sql_name, old.type, new.type)
    clause = f"TYPE {new.type.sql}" + (f" USING {expr}" if expr else "")
    out.append(_col(op.table, new.name, clause))
    if new.default is not None:
        out.append(_col(op.table, new.name, f"SET DEFAULT {new.default.sql}"))
    return out


def _identity(op: tb.SetIdentity) -> str:
    if op.old is None:
        return _col(op.table, op.column, f"ADD GENERATED {op.new.upper()} AS IDENTITY")  # type: ignore[union-attr]
    if op.new is None:
        return _col(op.table, op.column, "DROP IDENTITY")
    return _col(op.table, op.column, f"SET GENERATED {op.new.upper()}")


def _default(op: tb.SetDefault) -> str:
    new: Default | None = op.new
    return _col(op.table, op.column, f"SET DEFAULT {new.sql}" if new else "DROP DEFAULT")


def _comment(op: o.SetComment) -> str:
    text = quote_string(op.new) if op.new is not None else "NULL"
    return f"COMMENT ON {op.kind} {op.target} IS {text};"


def _plain(op: o.Op) -> list[str]:  # noqa: C901 - one branch per operation, by kind as in ops*.py
    match op:
        case o.CreateExtension(name):
            return pg.preamble(Schema((), extensions=(name,)))
        case o.DropExtension(name):
            return [f"DROP EXTENSION {quote_ident(name)};"]
        case o.CreateSchema(name):
            return pg.preamble(Schema((), namespaces=(name,)))
        case o.DropSchema(name):
            return [f"DROP SCHEMA {quote_ident(name)};"]
        case o.CreateEnum(enum):
            return pg.preamble(Schema((), enums=(enum,))) + _comments(Schema((), enums=(enum,)))
        case o.DropEnum(enum):
            return [f"DROP TYPE {enum.sql_name};"]
        case o.RenameEnum(old, new, move_first):
            return _move("TYPE", old, new, move_first)
        case o.RenameEnumLabel(enum, old, new):
            return [
                f"ALTER TYPE {enum.sql_name} RENAME VALUE {quote_string(old)} TO {quote_string(new)};"
            ]
        case o.AddEnumLabels():
            return _add_labels(op)
        case o.RebuildEnum():
            return _rebuild(op)
        case ob.CreateFunction(fn):
            return [pg.function_sql(fn)]
        case ob.DropFunction(fn):
            return [f"DROP FUNCTION {_signature(fn)};"]
        case tb.CreateTable(table):
            ddl = pg.table_ddl(table)
            body = ",\n".join(f"    {line}" for line in ddl.lines)
            return [f"CREATE TABLE {ddl.name} (\n{body}\n);", *_comments(Schema((table,)))]
        case tb.DropTable(table):
            return [f"DROP TABLE {table.sql_name};"]
        case tb.RenameTable(old, new, move_first):
            return _move("TABLE", old, new, move_first)
        case tb.AddColumn(table, column, backfill):
            return _add_column(table, column, backfill)
        case tb.DropColumn(table, column):
            return [_alter(table, f"DROP COLUMN {column.sql_name}")]
        case tb.RenameColumn(table, old, new):
            return [_alter(table, f"RENAME COLUMN {quote_ident(old)} TO {quote_ident(new)}")]
        case tb.RenameSequence(table, column, _, new):
            # The sequence is found by its column, whatever it is called today.
            find = f"pg_get_serial_sequence({quote_string(table.sql_name)}, {quote_string(column)})"
            rename = f"format('ALTER SEQUENCE %s RENAME TO %I', {find}, {quote_string(new)})"
            return [f"DO $migrate$ BEGIN EXECUTE {rename}; END $migrate$;"]
        case tb.AlterColumnType():
            return _type_change(op)
        case tb.SetDefault():
            return [_default(op)]
        case tb.SetIdentity():
            return [_identity(op)]
        case tb.DropExpression(table, generated):
            return [_col(table, generated.name, "DROP EXPRESSION")]
        case tb.RestoreExpression(table, plain, generated):
            drop = _alter(table, f"DROP COLUMN {plain.sql_name}")
            return [drop, *_add_column(table, generated, None)]
        case cn.DropConstraint(table, constraint) | cn.DropForeignKey(table, constraint):
            return [_alter(table, f"DROP CONSTRAINT {quote_ident(constraint.name)}")]
        case cn.RenameConstraint(table, old, new):
            return [_alter(table, f"RENAME CONSTRAINT {quote_ident(old)} TO {quote_ident(new)}")]
        case cn.DropIndex(table, index):
            return [f"DROP INDEX {qualified(table.schema, index.name)};"]
        case cn.RenameIndex(table, old, new):
            return [f"ALTER INDEX {qualified(table.schema, old)} RENAME TO {quote_ident(new)};"]
        case cn.CreateTrigger(table, trigger):
            return [pg.trigger_sql(table, trigger)]
        case cn.DropTrigger(table, trigger):
            return [f"DROP TRIGGER {quote_ident(trigger.name)} ON {table.sql_name};"]
        case o.SetComment():
            return [_comment(op)]
        case ob.CreateView(view):
            return pg.view_sql(view)
        case ob.DropView(view):
            return [f"DROP {_view_kind(view)} {view.sql_name};"]
        case ob.SetRowSecurity(table, force, on):
            verb = ("FORCE" if on else "NO FORCE") if force else ("ENABLE" if on else "DISABLE")
            return [_alter(table, f"{verb} ROW LEVEL SECURITY")]
        case ob.CreatePolicy(table, policy):
            return pg.security_sql(replace(_bare(table), policies=(policy,)))
        case ob.DropPolicy(table, policy):
            return [f"DROP POLICY {quote_ident(policy.name)} ON {table.sql_name};"]
        case ob.AlterPolicy():
            return [_alter_policy(op)]
        case ob.RawSQL():
            return [_raw(op)]
    return render_types.sql(op)


def _signature(fn: Function) -> str:
    """How DROP FUNCTION names one function among overloads: its argument types."""
    return f"{quote_ident(fn.name)}({', '.join(t for _, t in fn.arguments)})"


def _view_kind(view: View) -> str:
    return "MATERIALIZED VIEW" if view.materialized else "VIEW"


def _bare(table: Table) -> Table:
    return replace(table, row_level_security=False, force_row_level_security=False, policies=())


def _alter_policy(op: ob.AlterPolicy) -> str:
    """Only the clauses that differ; ``_alterable`` keeps the clauses present on both sides."""
    old, new = op.old, op.new
    text = f"ALTER POLICY {quote_ident(new.name)} ON {op.table.sql_name}"
    if old.roles != new.roles:
        text += f"\n    TO {', '.join(pg.role_sql(r) for r in new.roles)}"
    if old.using != new.using:
        text += f"\n    USING ({new.using})"
    if old.with_check != new.with_check:
        text += f"\n    WITH CHECK ({new.with_check})"
    return text + ";"


def _raw(op: ob.RawSQL) -> str:
    if op.run and op.new is not None:
        return op.new

    def lines(text: str | None) -> str:
        body = text.splitlines() if text is not None else ["(none)"]
        return "".join(f"--   {line}\n" if line else "--\n" for line in body)

    return (
        f"-- MANUAL: postgres.{op.where} (raw SQL) changed. schemagen does not know what raw\n"
        "-- SQL did, so this step runs nothing: write here what takes the database from\n"
        f"-- the old text to the new one.\n-- old:\n{lines(op.old)}-- new:\n{lines(op.new)}"
    ).rstrip("\n")
