"""``migrate check --db``: replay the migrations into a scratch database and
compare its catalog with a database built from ``schema.sql``.

Both databases are created on the given server under names of their own and
dropped afterwards, whatever happens.  The comparison goes through one
function, ``catalog_differences``, so the shared catalog reader
(``generator/catalog.py``) can replace the reader below in one place.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .folder import Migration
from .history import HistoryError, execute, run_script
from .script import ScriptError, segments

_USER = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'schemagen') AND n.nspname !~ '^pg_'"

# (label, query): rows are (object, detail...) and compared as sets, so column
# order and OIDs do not matter, names and definitions do.
_QUERIES = [
    ("schema", f"SELECT n.nspname FROM pg_namespace n WHERE {_USER}"),
    ("extension", "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"),
    (
        "enum",
        "SELECT format_type(t.oid, NULL), array_agg(e.enumlabel ORDER BY e.enumsortorder)::text"
        f" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        f" JOIN pg_enum e ON e.enumtypid = t.oid WHERE {_USER} GROUP BY 1",
    ),
    (
        "table",
        "SELECT c.oid::regclass::text, obj_description(c.oid, 'pg_class') FROM pg_class c"
        f" JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND {_USER}",
    ),
    (
        "column",
        "SELECT a.attrelid::regclass::text || '.' || quote_ident(a.attname),"
        " format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),"
        " a.attidentity, a.attgenerated, col_description(a.attrelid, a.attnum)"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        f" WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {_USER}",
    ),
    (
        "constraint",
        "SELECT k.conrelid::regclass::text || ' ' || quote_ident(k.conname),"
        " pg_get_constraintdef(k.oid), obj_description(k.oid, 'pg_constraint')"
        " FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace"
        f" WHERE k.conrelid <> 0 AND {_USER}",
    ),
    (
        "index",
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        f" JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER}",
    ),
    (
        "trigger",
        "SELECT t.tgrelid::regclass::text || ' ' || quote_ident(t.tgname), pg_get_triggerdef(t.oid)"
        " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        f" JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND {_USER}",
    ),
    (
        "function",
        "SELECT p.oid::regprocedure::text, md5(pg_get_functiondef(p.oid)) FROM pg_proc p"
        f" JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_USER}"
        " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
    ),
]


def read_catalog(conn: Any) -> dict[str, dict[str, tuple[Any, ...]]]:
    """kind -> object -> details, for the user's schemas."""
    return {
        kind: {str(row[0]): tuple(row[1:]) for row in execute(conn, query).fetchall()}
        for kind, query in _QUERIES
    }


def catalog_differences(conn_a: Any, conn_b: Any, a: str, b: str) -> list[str]:
    """What differs between two databases, one line each (empty: the same)."""
    cat_a, cat_b = read_catalog(conn_a), read_catalog(conn_b)
    lines = []
    for kind, _ in _QUERIES:
        left, right = cat_a[kind], cat_b[kind]
        for name in sorted(set(left) | set(right)):
            if name not in right:
                lines.append(f"{kind} {name}: only in {a}")
            elif name not in left:
                lines.append(f"{kind} {name}: only in {b}")
            elif left[name] != right[name]:
                lines.append(f"{kind} {name}: {a} has {left[name]!r}, {b} has {right[name]!r}")
    return lines


@contextmanager
def scratch_databases(url: str, names: list[str]) -> Iterator[list[str]]:
    """Create empty databases on the server of ``url``; yield their URLs; drop them."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    tag = f"schemagen_check_{os.getpid()}"
    dbs = [f"{tag}_{name}" for name in names]
    with psycopg.connect(url, autocommit=True) as admin:
        try:
            for db in dbs:
                execute(admin, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                execute(admin, f'CREATE DATABASE "{db}" TEMPLATE template0')
            yield [make_conninfo(url, dbname=db) for db in dbs]
        finally:
            for db in dbs:
                execute(admin, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def replay_differences(url: str, migrations: list[Migration], schema_sql: str) -> list[str]:
    """Build one database from the migrations and one from schema.sql; what differs."""
    import psycopg

    with scratch_databases(url, ["migrations", "schema"]) as (by_migrations, by_schema):
        with psycopg.connect(by_schema, autocommit=True) as conn:
            try:
                parts = segments(schema_sql)
            except ScriptError as exc:  # generated text: would be our bug
                raise HistoryError(f"schema.sql: cannot split it: {exc}") from None
            run_script(conn, parts, "schema.sql")
        with psycopg.connect(by_migrations, autocommit=True) as conn:
            for m in migrations:
                try:
                    parts = segments(m.up_sql)
                except ScriptError as exc:
                    raise HistoryError(f"{m.dirname}/up.sql: cannot split it: {exc}") from None
                run_script(conn, parts, f"{m.dirname}/up.sql")
        with (
            psycopg.connect(by_migrations, autocommit=True) as a,
            psycopg.connect(by_schema, autocommit=True) as b,
        ):
            return catalog_differences(a, b, "the migrations", "schema.sql")
