"""Context for ``templates/postgres/schema.sql.jinja``.

Tables are created first and foreign keys added afterwards with
``ALTER TABLE … ADD CONSTRAINT`` (as pg_dump does), so reference cycles and
any table order work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..literals import quote_string
from ..model import Column, ForeignKey, Schema, Table
from ..naming import quote_ident


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
    return " ".join(parts)


def foreign_key_clause(table: Table, fk: ForeignKey, schema: Schema) -> str:
    target = schema.table(fk.ref_table)
    text = (
        f"CONSTRAINT {quote_ident(fk.name)} FOREIGN KEY ({_cols(fk.columns)}) "
        f"REFERENCES {target.sql_name} ({_cols(fk.ref_columns)})"
    )
    if fk.on_update != "no action":
        text += f" ON UPDATE {fk.on_update.upper()}"
    if fk.on_delete != "no action":
        text += f" ON DELETE {fk.on_delete.upper()}"
    return text


def table_ddl(table: Table) -> TableDDL:
    lines = [column_line(c) for c in table.columns]
    lines.append(
        f"CONSTRAINT {quote_ident(table.primary_key.name)} PRIMARY KEY ({_cols(table.primary_key.columns)})"
    )
    lines.extend(
        f"CONSTRAINT {quote_ident(u.name)} UNIQUE ({_cols(u.columns)})" for u in table.uniques
    )
    return TableDDL(table.sql_name, tuple(lines))


def comments(schema: Schema) -> list[str]:
    out = []
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
        "comments": comments(schema),
    }
