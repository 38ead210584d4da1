"""Make SQL expressions comparable by letting PostgreSQL print both sides.

The spec keeps expressions as written (``price >= 0``); the database prints its
own normal form (``price >= 0::numeric``).  For the drift check, each
expression that differs in text between the live model and the spec's model
is given to PostgreSQL in the live table's shape (a temporary copy made with
``LIKE``, inside a transaction that is always rolled back, so nothing is left
behind), once as the spec says it and once as the database says it; when the
two print the same, the spec's model takes the database's text, and the
planner sees no difference.  Anything PostgreSQL refuses stays as it was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model import Column, Default, Schema, Table

_TMP = "_schemagen_normal"


def normalize(conn: Any, live: Schema, spec: Schema) -> Schema:
    tables = []
    try:
        with conn.transaction(force_rollback=True):
            for table in spec.tables:
                try:
                    current = live.table(table.key)
                except KeyError:
                    tables.append(table)
                    continue
                tables.append(_table(conn, current, table))
    except Exception:  # noqa: BLE001 - no TEMP privilege, say: compare the text as it is
        return spec
    return replace(spec, tables=tuple(tables))


def _differs(a: Table, b: Table) -> bool:
    return (
        {c.name: c.sql for c in a.checks} != {c.name: c.sql for c in b.checks}
        or {i.name: i.where for i in a.indexes} != {i.name: i.where for i in b.indexes}
        or {c.name: (c.default, c.generated) for c in a.columns}
        != {c.name: (c.default, c.generated) for c in b.columns}
    )


def _table(conn: Any, live: Table, table: Table) -> Table:
    if not _differs(live, table):
        return table
    conn.execute(f"DROP TABLE IF EXISTS pg_temp.{_TMP}")
    conn.execute(f"CREATE TEMP TABLE {_TMP} (LIKE {live.sql_name})")
    live_checks = {c.name: c for c in live.checks}
    checks = []
    for check in table.checks:
        other = live_checks.get(check.name)
        if (
            other is not None
            and other.sql != check.sql
            and _same(conn, "check", check.sql, other.sql)
        ):
            check = replace(check, sql=other.sql)
        checks.append(check)
    live_indexes = {i.name: i for i in live.indexes}
    indexes = []
    for index in table.indexes:
        other_index = live_indexes.get(index.name)
        if (
            other_index is not None
            and index.where is not None
            and other_index.where is not None
            and index.where != other_index.where
            and _same(conn, "where", index.where, other_index.where)
        ):
            index = replace(index, where=other_index.where)
        indexes.append(index)
    live_columns = {c.name: c for c in live.columns}
    columns = [_column(conn, col, live_columns.get(col.name)) for col in table.columns]
    return replace(table, checks=tuple(checks), indexes=tuple(indexes), columns=tuple(columns))


def _column(conn: Any, col: Column, live: Column | None) -> Column:
    if live is None or live.type != col.type:
        return col
    if (
        col.generated is not None
        and live.generated is not None
        and col.generated != live.generated
        and _same(conn, f"generated {col.type.sql}", col.generated, live.generated)
    ):
        col = replace(col, generated=live.generated)
    if (
        col.default is not None
        and live.default is not None
        and col.default != live.default
        and _same(conn, f"default {col.sql_name}", col.default.sql, live.default.sql)
    ):
        col = replace(col, default=Default(live.default.kind, live.default.sql, live.default.value))
    return col


def _same(conn: Any, what: str, a: str, b: str) -> bool:
    printed = [_print(conn, what, text) for text in (a, b)]
    return printed[0] is not None and printed[0] == printed[1]


def _print(conn: Any, what: str, text: str) -> str | None:
    """PostgreSQL's own text for an expression in the temporary table, or None."""
    kind, _, arg = what.partition(" ")
    try:
        with conn.transaction():  # a savepoint: a refused expression leaves no trace
            if kind == "check":
                conn.execute(f"ALTER TABLE {_TMP} ADD CONSTRAINT _c CHECK ({text})")
                query = (
                    "SELECT pg_get_expr(conbin, conrelid, true) FROM pg_constraint "
                    f"WHERE conrelid = 'pg_temp.{_TMP}'::regclass AND conname = '_c'"
                )
            elif kind == "where":
                conn.execute(f"CREATE INDEX _i ON {_TMP} ((1)) WHERE {text}")
                query = (
                    "SELECT pg_get_expr(indpred, indrelid, true) FROM pg_index "
                    "WHERE indexrelid = 'pg_temp._i'::regclass"
                )
            else:
                if kind == "generated":
                    conn.execute(
                        f"ALTER TABLE {_TMP} ADD COLUMN _g {arg} GENERATED ALWAYS AS ({text}) STORED"
                    )
                    column = "_g"
                else:
                    conn.execute(f"ALTER TABLE {_TMP} ALTER COLUMN {arg} SET DEFAULT {text}")
                    column = arg.strip('"').replace('""', '"')
                query = (
                    "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
                    "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                    f"WHERE d.adrelid = 'pg_temp.{_TMP}'::regclass AND a.attname = %s"
                )
                row = conn.execute(query, (column,)).fetchone()
                raise _Done(row[0] if row else None)
            row = conn.execute(query).fetchone()
            raise _Done(row[0] if row else None)
    except _Done as done:
        return done.value
    except Exception:  # noqa: BLE001 - PostgreSQL refused it: not the same expression
        return None


class _Done(Exception):
    """Leave the savepoint by rolling it back, carrying the printed text out."""

    def __init__(self, value: str | None):
        super().__init__()
        self.value = value
