"""Round trip helpers: spec -> schema.sql -> database -> pull -> spec -> schema.sql -> database.

One connection and one database serve many round trips: each load starts by
dropping every user schema (extensions, types and functions go with them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from generator.catalog import Catalog, compare, read_catalog
from generator.diagnostics import format_all
from generator.model import Schema
from generator.pipeline import generate, load_schema
from generator.pull import Pulled, pull


def reset(conn: psycopg.Connection[Any]) -> None:
    rows = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', "
        "'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%'"
    ).fetchall()
    for (name,) in rows:
        conn.execute(f'DROP SCHEMA "{name.replace(chr(34), chr(34) * 2)}" CASCADE')
    conn.execute("DROP EXTENSION IF EXISTS citext CASCADE")
    conn.execute("CREATE SCHEMA public")


def load(conn: psycopg.Connection[Any], ddl: str) -> Catalog:
    reset(conn)
    conn.execute(ddl.encode())
    return read_catalog(conn)


def schema_sql(raw: bytes, name: str = "schema.yaml") -> str:
    result = generate(raw, name)
    assert result.ok, format_all(result.diagnostics, result.sources)
    return result.files["schema.sql"]


@dataclass
class Trip:
    original: Catalog
    pulled: Pulled
    again: Catalog

    def differences(self) -> list[str]:
        return compare(self.original, self.again)


def round_trip(conn: psycopg.Connection[Any], ddl: str) -> Trip:
    original = load(conn, ddl)
    pulled = pull(original)
    again = load(conn, schema_sql(pulled.text.encode(), "pulled.yaml"))
    return Trip(original, pulled, again)


def structure(schema: Schema) -> dict[str, Any]:
    """What the spec language has one way to say: the database side of the model.

    Left out: SQL text as written (checks, predicates, SQL defaults: the
    catalog comparison proves those), Python names and options (the database
    does not hold them), column order of tables and enums (pull sorts by name).
    """

    def table(t: Any) -> dict[str, Any]:
        return {
            "schema": t.schema,
            "description": t.description,
            "columns": [
                (
                    c.name,
                    c.type,
                    c.nullable,
                    c.identity,
                    c.generated is not None,
                    c.default is not None,
                    c.description,
                )
                for c in t.columns
            ],
            "primary_key": t.primary_key,
            "uniques": sorted(t.uniques, key=lambda u: u.name),
            "foreign_keys": sorted(
                (f.name, f.columns, f.ref_table, f.ref_columns, f.on_delete, f.on_update)
                for f in t.foreign_keys
            ),
            "checks": sorted((c.name, c.columns) for c in t.checks),
            "indexes": sorted(
                (i.name, i.columns, i.unique, i.using, i.where is not None, i.include)
                for i in t.indexes
            ),
            "on_update_trigger": t.on_update_trigger,
        }

    return {
        "tables": {t.key: table(t) for t in schema.tables},
        "enums": {e.key: (e.labels, e.description) for e in schema.enums},
        "extensions": sorted(schema.extensions),
        "namespaces": sorted(schema.namespaces),
    }


def model_of(raw: bytes, name: str = "schema.yaml") -> Schema:
    loaded = load_schema(raw, name)
    assert loaded.schema is not None, format_all(loaded.diagnostics, loaded.sources)
    return loaded.schema
