"""Helpers for the PostgreSQL feature tests: generate DDL from a spec text,
apply it to a fresh database, and read facts back from the catalog."""

from __future__ import annotations

from typing import Any

import psycopg

from generator.diagnostics import format_all
from generator.pipeline import generate


def ddl(spec: str) -> str:
    result = generate(spec.encode(), "schema.yaml")
    assert result.ok, format_all(result.diagnostics, result.sources)
    return result.files["schema.sql"]


def apply(url: str, spec: str) -> psycopg.Connection[Any]:
    """A connection (autocommit) to ``url`` after applying the spec's DDL in one transaction."""
    sql = ddl(spec)
    with psycopg.connect(url) as conn:
        conn.execute(sql)  # type: ignore[arg-type]  # generated text, not user input
    return psycopg.connect(url, autocommit=True)


def rows(conn: psycopg.Connection[Any], query: str, *params: Any) -> list[tuple[Any, ...]]:
    return conn.execute(query, params).fetchall()  # type: ignore[arg-type]


def columns(conn: psycopg.Connection[Any], table: str) -> dict[str, tuple[Any, ...]]:
    """name -> (format_type, not null, default, identity, generated, generation expression)."""
    found = rows(
        conn,
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated
        FROM pg_attribute a
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        table,
    )
    return {r[0]: tuple(r[1:]) for r in found}


def constraints(conn: psycopg.Connection[Any], table: str, kind: str) -> dict[str, str]:
    """name -> pg_get_constraintdef for one table's constraints of one kind (c, f, p, u)."""
    found = rows(
        conn,
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = %s ORDER BY conname",
        table,
        kind,
    )
    return dict(found)  # type: ignore[arg-type]


def indexes(conn: psycopg.Connection[Any], table: str) -> dict[str, str]:
    """name -> pg_get_indexdef, for indexes that back no constraint."""
    found = rows(
        conn,
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
        """,
        table,
    )
    return dict(found)  # type: ignore[arg-type]


def enum_labels(conn: psycopg.Connection[Any], type_name: str) -> list[str]:
    found = rows(
        conn,
        "SELECT enumlabel FROM pg_enum WHERE enumtypid = %s::regtype ORDER BY enumsortorder",
        type_name,
    )
    return [r[0] for r in found]
