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


def _key(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def catalog_facts(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Everything the feature model promises, read from the catalog of user schemas."""
    user = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"
    facts: dict[str, Any] = {"tables": {}, "enums": {}}
    for schema, name, labels in rows(
        conn,
        "SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)"
        f" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        f" JOIN pg_enum e ON e.enumtypid = t.oid WHERE {user} GROUP BY 1, 2",
    ):
        facts["enums"][_key(schema, name)] = tuple(labels)
    for oid, schema, name in rows(
        conn,
        "SELECT c.oid, n.nspname, c.relname FROM pg_class c"
        f" JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND {user}",
    ):
        table: dict[str, Any] = {}
        table["columns"] = rows(
            conn,
            "SELECT attname, format_type(atttypid, atttypmod), attnotnull, attidentity,"
            " attgenerated FROM pg_attribute WHERE attrelid = %s AND attnum > 0"
            " AND NOT attisdropped ORDER BY attnum",
            oid,
        )
        table["constraints"] = set(
            rows(
                conn,
                "SELECT contype, conname, confdeltype, confupdtype FROM pg_constraint"
                " WHERE conrelid = %s",
                oid,
            )
        )
        table["indexes"] = set(
            rows(
                conn,
                "SELECT c.relname, i.indisunique, am.amname FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
                " WHERE i.indrelid = %s AND NOT EXISTS"
                " (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
                oid,
            )
        )
        table["triggers"] = {
            r[0]
            for r in rows(conn, "SELECT tgname FROM pg_trigger WHERE tgrelid = %s", oid)
            if not r[0].startswith("RI_ConstraintTrigger")
        }
        facts["tables"][_key(schema, name)] = table
    return facts


ACTIONS = {"no action": "a", "restrict": "r", "cascade": "c", "set null": "n", "set default": "d"}


def model_facts(schema: Any) -> dict[str, Any]:
    """What ``catalog_facts`` must find, derived from the resolved model alone."""
    facts: dict[str, Any] = {"tables": {}, "enums": {e.key: e.labels for e in schema.enums}}
    for t in schema.tables:
        constraints = {("p", t.primary_key.name, " ", " ")}
        constraints |= {("u", u.name, " ", " ") for u in t.uniques}
        constraints |= {("c", c.name, " ", " ") for c in t.checks}
        constraints |= {
            ("f", fk.name, ACTIONS[fk.on_delete], ACTIONS[fk.on_update]) for fk in t.foreign_keys
        }
        facts["tables"][t.key] = {
            "columns": [
                (
                    c.name,
                    c.type.catalog,
                    not c.nullable,
                    {"always": "a", "by default": "d", None: ""}[c.identity],
                    "s" if c.generated else "",
                )
                for c in t.columns
            ],
            "constraints": constraints,
            "indexes": {(ix.name, ix.unique, ix.using) for ix in t.indexes},
            "triggers": {tr.name for tr in t.triggers},
        }
    return facts
