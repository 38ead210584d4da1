"""Helpers for the migration tests: build from a spec, run SQL files with psql, read catalogs."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from typing import Any

import psycopg
import yaml

from generator.catalog import Catalog, read_catalog
from generator.catalog import compare as compare_catalogs
from generator.diagnostics import format_all
from generator.migrate import hints as hint_module
from generator.migrate.plan import Plan, plan_migration
from generator.model import Schema
from generator.pipeline import generate, load_schema


def _psql() -> str:
    found = shutil.which("psql")
    if found:
        return found
    for version in ("17", "16", "15"):
        path = f"/usr/lib/postgresql/{version}/bin/psql"
        if os.path.exists(path):
            return path
    raise RuntimeError("psql not found")


def psql(url: str, sql: str) -> None:
    """Run SQL as a file with ``psql -v ON_ERROR_STOP=1 -f``, exactly as the README says."""
    done = subprocess.run(
        [_psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"],
        input=sql,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise AssertionError(f"psql failed ({done.returncode}):\n{done.stderr}\n--- SQL ---\n{sql}")


def dump(spec: dict[str, Any]) -> bytes:
    return yaml.safe_dump(spec, sort_keys=False, allow_unicode=True).encode()


def schema_of(raw: bytes, file: str = "schema.yaml") -> Schema:
    loaded = load_schema(raw, file)
    assert loaded.schema is not None, format_all(loaded.diagnostics, loaded.sources)
    return loaded.schema


def ddl(raw: bytes) -> str:
    result = generate(raw, "schema.yaml")
    assert result.ok, format_all(result.diagnostics, result.sources)
    return result.files["schema.sql"]


def plan(a: bytes | None, b: bytes, **options: Any) -> Plan:
    old = schema_of(a, "a.yaml") if a is not None else None
    return plan_migration(old, schema_of(b, "b.yaml"), hint_module.load(b, "b.yaml"), **options)


def reset(conn: psycopg.Connection[Any]) -> None:
    """Empty the database: every user schema, extension and the public schema's contents."""
    found = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
        " AND nspname NOT IN ('information_schema', 'public')"
    ).fetchall()
    for (name,) in found:
        conn.execute(f'DROP SCHEMA "{name}" CASCADE')  # type: ignore[arg-type]
    for (name,) in conn.execute("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"):
        conn.execute(f'DROP EXTENSION "{name}" CASCADE')  # type: ignore[arg-type]
    conn.execute("DROP SCHEMA public CASCADE")
    conn.execute("CREATE SCHEMA public")


def catalog(conn: psycopg.Connection[Any]) -> Catalog:
    """The database's catalog (generator/catalog.py), identity sequences included."""
    # public's "standard public schema" comment goes with reset(); the spec sets none
    return dataclasses.replace(read_catalog(conn), schema_comments=())


def differences(a: Catalog, b: Catalog) -> list[str]:
    """What differs, one line each, column order aside (empty: the same database)."""
    return compare_catalogs(a, b)
