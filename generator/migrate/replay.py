"""``migrate check --db``: replay the migrations into a scratch database and
compare its catalog with a database built from ``schema.sql``.

Both databases are created on the given server under names of their own and
dropped afterwards, whatever happens.  The catalogs are read and compared by
the shared reader, ``generator/catalog/`` (column order ignored).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .history import HistoryError, execute, run_script
from .migration import Migration
from .script import ScriptError, segments


def catalog_differences(conn_a: Any, conn_b: Any, a: str, b: str) -> list[str]:
    """What differs between two databases, one line each (empty: the same)."""
    from ..catalog import compare, read_catalog

    lines = compare(read_catalog(conn_a), read_catalog(conn_b))
    return [
        line.replace("only in the first", f"only in {a}").replace(
            "only in the second", f"only in {b}"
        )
        for line in lines
    ]


@contextmanager
def scratch_databases(url: str, names: list[str]) -> Iterator[list[str]]:
    """Create empty databases on the server of ``url``; yield their URLs; drop them."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    tag = f"schemagen_check_{os.getpid()}_{uuid.uuid4().hex[:8]}"
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
