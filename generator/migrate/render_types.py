"""SQL and plan lines of ops_types.py's operations (render_plain.py and render.py call these last)."""

from __future__ import annotations

from dataclasses import replace

from ..model import Column, Domain, Schema, Table
from ..naming import quote_ident
from ..outputs import postgres as pg
from ..sqltext import quote_string
from . import ops as o
from . import ops_types as t
from . import render_sequences


def _create_domain(d: Domain) -> list[str]:
    return [pg.domain_sql(d), *pg.comments(Schema((), domains=(d,)))]


def _seq(table: Table, column: Column) -> str:
    return table.sequence_sql(column.sequence or "")


def _own(op: t.OwnSequence) -> list[str]:
    seq, table = _seq(op.table, op.column), op.table
    if not op.owned:
        return [f"ALTER SEQUENCE {seq} OWNED BY NONE;"]
    out = [f"ALTER SEQUENCE {seq} OWNED BY {table.sql_name}.{op.column.sql_name};"]
    if op.restart:  # the column holds values already: nextval() must not repeat them
        col = op.column.sql_name
        start = f"(SELECT coalesce(max({col}), 0) + 1 FROM {table.sql_name})"
        call = f"PERFORM setval({quote_string(seq)}, {start}, false);"
        out.append(f"DO $migrate$ BEGIN {call} END $migrate$;")
    return out


def _exclusion(table: Table, op: t.AddExclusion) -> str:
    # the clause CREATE TABLE writes, so a migration and a fresh build spell it alike
    bare = replace(table, columns=(), uniques=(), checks=(), exclusions=(op.exclusion,))
    return f"ALTER TABLE {table.sql_name} ADD {pg.table_ddl(bare).lines[-1]};"


def sql(op: o.Op) -> list[str]:  # noqa: C901 - one branch per operation
    match op:
        case t.CreateDomain(d):
            return _create_domain(d)
        case t.DropDomain(d):
            return [f"DROP DOMAIN {d.sql_name};"]
        case t.RecreateDomain(old, new):
            return [f"DROP DOMAIN {old.sql_name};", *_create_domain(new)]
        case t.AddDomainCheck(d, c):
            return [f"ALTER DOMAIN {d.sql_name} ADD {pg.check_clause(c.name, c.sql)};"]
        case t.DropDomainCheck(d, c):
            return [f"ALTER DOMAIN {d.sql_name} DROP CONSTRAINT {quote_ident(c.name)};"]
        case t.RenameDomainCheck(d, old, new):
            rename = f"RENAME CONSTRAINT {quote_ident(old)} TO {quote_ident(new)}"
            return [f"ALTER DOMAIN {d.sql_name} {rename};"]
        case t.SetDomainDefault(d, _, new):
            action = f"SET DEFAULT {new.sql}" if new is not None else "DROP DEFAULT"
            return [f"ALTER DOMAIN {d.sql_name} {action};"]
        case t.SetDomainNullable(d, nullable):
            return [f"ALTER DOMAIN {d.sql_name} {'DROP' if nullable else 'SET'} NOT NULL;"]
        case t.CreateSequence(table, column):
            return [f"CREATE SEQUENCE {_seq(table, column)} AS {column.type.sql};"]
        case t.DropSequence(table, column):
            return [f"DROP SEQUENCE {_seq(table, column)};"]
        case t.OwnSequence():
            return _own(op)
        case t.AddExclusion(table):
            return [_exclusion(table, op)]
        case t.DropExclusion(table, x):
            return [f"ALTER TABLE {table.sql_name} DROP CONSTRAINT {quote_ident(x.name)};"]
    return render_sequences.sql(op)


def describe(op: o.Op) -> str | None:
    """The plan line, where the first SQL line would not read well; None: use it."""
    match op:
        case t.CreateDomain(d) | t.DropDomain(d):
            return f"{'create' if isinstance(op, t.CreateDomain) else 'drop'} domain {d.sql_name}"
        case t.RecreateDomain(_, d):
            return f"drop and create domain {d.sql_name} (base type {d.type.sql})"
        case t.AddDomainCheck(d, c) | t.DropDomainCheck(d, c):
            verb = "add" if isinstance(op, t.AddDomainCheck) else "drop"
            return f"{verb} check {quote_ident(c.name)} on domain {d.sql_name}"
        case t.SetDomainDefault(d):
            return f"change default of domain {d.sql_name}"
        case t.SetDomainNullable(d, nullable):
            return f"{'drop' if nullable else 'set'} NOT NULL on domain {d.sql_name}"
        case t.CreateSequence(table, column) | t.DropSequence(table, column):
            verb = "create" if isinstance(op, t.CreateSequence) else "drop"
            return f"{verb} sequence {_seq(table, column)} {column.type.sql}"
        case t.OwnSequence(table, column, owned):
            whose = f"{table.sql_name}.{column.sql_name}" if owned else "none"
            return f"sequence {_seq(table, column)} owned by {whose}"
        case t.AddExclusion(table, x) | t.DropExclusion(table, x):
            verb = "add" if isinstance(op, t.AddExclusion) else "drop"
            return f"{verb} exclusion constraint {quote_ident(x.name)} on {table.sql_name}"
    return render_sequences.describe(op)
