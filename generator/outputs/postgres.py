"""Context for ``templates/postgres/schema.sql.jinja``.

Statement order: extensions, schemas, enum types and the trigger function
(things tables depend on), then tables, then foreign keys added afterwards
with ``ALTER TABLE … ADD CONSTRAINT`` (as pg_dump does, so reference cycles
and any table order work), then indexes, triggers and comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..literals import quote_string
from ..model import Column, ForeignKey, Index, Schema, Table
from ..naming import quote_ident

# One trigger function serves every table: the trigger passes the names of its
# ``on_update: now`` columns as arguments.  PL/pgSQL cannot assign NEW.<name>
# for a name held in a variable, so the new values go through jsonb.  A column
# the UPDATE sets itself is left alone, as the ORM's onupdate does.
TRIGGER_FUNCTION = "schemagen_on_update_now"
TRIGGER_NAME = "on_update_now"
TRIGGER_FUNCTION_SQL = f"""CREATE OR REPLACE FUNCTION {quote_ident(TRIGGER_FUNCTION)}() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    changes jsonb := '{{}}';
    col text;
BEGIN
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF to_jsonb(NEW) -> col IS NOT DISTINCT FROM to_jsonb(OLD) -> col THEN
            changes := changes || jsonb_build_object(col, now());
        END IF;
    END LOOP;
    RETURN jsonb_populate_record(NEW, changes);
END;
$$"""


@dataclass(frozen=True)
class TableDDL:
    name: str  # quoted
    lines: tuple[str, ...]  # column and constraint lines, without trailing commas


@dataclass(frozen=True)
class AlterDDL:
    table: str  # quoted
    constraint: str  # e.g. CONSTRAINT "x" FOREIGN KEY (...) REFERENCES ...


def _cols(names: tuple[str, ...]) -> str:
    return ", ".join(quote_ident(n) for n in names)


def column_line(col: Column) -> str:
    parts = [col.sql_name, col.type.sql]
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default.sql}")
    if col.identity is not None:
        parts.append(f"GENERATED {col.identity.upper()} AS IDENTITY")
    if col.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({col.generated}) STORED")
    return " ".join(parts)


def foreign_key_clause(table: Table, fk: ForeignKey, schema: Schema) -> str:
    target = schema.table(fk.ref_table)  # by key: may be in another PostgreSQL schema
    text = (
        f"CONSTRAINT {quote_ident(fk.name)} FOREIGN KEY ({_cols(fk.columns)}) "
        f"REFERENCES {target.sql_name} ({_cols(fk.ref_columns)})"
    )
    if fk.on_update != "no action":
        text += f" ON UPDATE {fk.on_update.upper()}"
    if fk.on_delete != "no action":
        text += f" ON DELETE {fk.on_delete.upper()}"
    return text


def key_clause(name: str, kind: str, columns: tuple[str, ...]) -> str:
    """``CONSTRAINT name PRIMARY KEY|UNIQUE (...)``, in CREATE TABLE and ALTER TABLE ... ADD."""
    return f"CONSTRAINT {quote_ident(name)} {kind} ({_cols(columns)})"


def check_clause(name: str, sql: str) -> str:
    return f"CONSTRAINT {quote_ident(name)} CHECK ({sql})"


def table_ddl(table: Table) -> TableDDL:
    lines = [column_line(c) for c in table.columns]
    lines.append(key_clause(table.primary_key.name, "PRIMARY KEY", table.primary_key.columns))
    lines.extend(key_clause(u.name, "UNIQUE", u.columns) for u in table.uniques)
    lines.extend(check_clause(c.name, c.sql) for c in table.checks)
    return TableDDL(table.sql_name, tuple(lines))


def index_sql(table: Table, index: Index) -> str:
    columns = ", ".join(
        quote_ident(c.name) + (" DESC" if c.descending else "") for c in index.columns
    )
    text = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
    text += f" {quote_ident(index.name)} ON {table.sql_name}"
    if index.using != "btree":
        text += f" USING {index.using}"
    text += f" ({columns})"
    if index.include:
        text += f" INCLUDE ({_cols(index.include)})"
    if index.where is not None:
        text += f" WHERE ({index.where})"
    return text + ";"


def trigger_sql(table: Table) -> str:
    args = ", ".join(quote_string(c) for c in table.on_update_trigger)
    return (
        f"CREATE TRIGGER {quote_ident(TRIGGER_NAME)} BEFORE UPDATE ON {table.sql_name}\n"
        f"    FOR EACH ROW EXECUTE FUNCTION {quote_ident(TRIGGER_FUNCTION)}({args});"
    )


def preamble(schema: Schema) -> list[str]:
    """Statements the tables depend on, each a block of its own."""
    out = [f"CREATE EXTENSION IF NOT EXISTS {quote_ident(e)};" for e in schema.extensions]
    out += [f"CREATE SCHEMA IF NOT EXISTS {quote_ident(n)};" for n in schema.namespaces]
    for enum in schema.enums:
        labels = ",\n".join(f"    {quote_string(label)}" for label in enum.labels)
        out.append(f"CREATE TYPE {enum.sql_name} AS ENUM (\n{labels}\n);")
    if any(t.on_update_trigger for t in schema.tables):
        out.append(TRIGGER_FUNCTION_SQL + ";")
    return out


def comments(schema: Schema) -> list[str]:
    out = [
        f"COMMENT ON TYPE {e.sql_name} IS {quote_string(e.description)};"
        for e in schema.enums
        if e.description
    ]
    for table in schema.tables:
        if table.description:
            out.append(f"COMMENT ON TABLE {table.sql_name} IS {quote_string(table.description)};")
        for col in table.columns:
            if col.description:
                out.append(
                    f"COMMENT ON COLUMN {table.sql_name}.{col.sql_name} IS {quote_string(col.description)};"
                )
    return out


def context(schema: Schema) -> dict[str, Any]:
    return {
        "source": schema.source_name,
        "tables": [table_ddl(t) for t in schema.tables],
        "foreign_keys": [
            AlterDDL(t.sql_name, foreign_key_clause(t, fk, schema))
            for t in schema.tables
            for fk in t.foreign_keys
        ],
        "indexes": [index_sql(t, ix) for t in schema.tables for ix in t.indexes],
        "triggers": [trigger_sql(t) for t in schema.tables if t.on_update_trigger],
        "comments": comments(schema),
        "preamble": preamble(schema),
    }
