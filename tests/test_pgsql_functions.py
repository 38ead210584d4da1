"""generator.pgsql.functions against PostgreSQL 15's pg_proc.

For each function in the table, over its built-in overloads whose arguments a
spec can produce (the column types schemagen knows, polymorphic and unknown):
the volatility is the strictest PostgreSQL declares (so "immutable" is never
claimed for a call the server thinks is not), the kind matches prokind, and a
fixed result type is the one every such overload returns.
"""

from __future__ import annotations

import psycopg
import pytest

from generator.pgsql.functions import (
    FUNCTIONS,
    IMMUTABLE_SIGNATURES,
    NUMERIC_RESULT,
    SAME,
    SECOND,
)
from generator.pgsql.pgtypes import base

pytestmark = pytest.mark.postgres

SPEC_ARGS = [
    "text",
    "varchar",
    "bpchar",
    "int2",
    "int4",
    "int8",
    "numeric",
    "float4",
    "float8",
    "bool",
    "timestamptz",
    "timestamp",
    "date",
    "time",
    "interval",
    "json",
    "jsonb",
    "uuid",
    "bytea",
    "inet",
    "cidr",
    "anyelement",
    "anyarray",
    "anycompatible",
    "anynonarray",
    "any",
    "unknown",
    "regclass",
]

QUERY = """
SELECT p.proname, p.provolatile, p.prokind, t.typname
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'pg_catalog'
JOIN pg_type t ON t.oid = p.prorettype
WHERE p.proname = ANY(%s)
  AND NOT EXISTS (
      SELECT FROM unnest(p.proargtypes::oid[]) a JOIN pg_type at ON at.oid = a
      WHERE at.typname <> ALL(%s))
"""
LEVEL = {"i": "immutable", "s": "stable", "v": "volatile"}
KIND = {"f": "normal", "a": "aggregate", "w": "window"}
ORDER = ["immutable", "stable", "volatile"]


def test_functions_match_pg_proc(pg_server: str) -> None:
    with psycopg.connect(pg_server) as conn:
        rows = conn.execute(QUERY, (list(FUNCTIONS), SPEC_ARGS)).fetchall()
    seen: dict[str, list[tuple[str, str, str]]] = {}
    for name, volatile, kind, result in rows:
        seen.setdefault(name, []).append((LEVEL[volatile], KIND[kind], result))
    assert sorted(seen) == sorted(FUNCTIONS), "a listed function has no usable overload"
    wrong = []
    for name, overloads in sorted(seen.items()):
        ours = FUNCTIONS[name]
        volatility = max((o[0] for o in overloads), key=ORDER.index)
        kinds = {o[1] for o in overloads}
        kind = "window" if "window" in kinds else "aggregate" if "aggregate" in kinds else "normal"
        results = {base(o[2]) or o[2] for o in overloads}
        if ours.volatility != volatility or ours.kind != kind:
            wrong.append(f"{name}: ours {ours.volatility}/{ours.kind}, pg {volatility}/{kind}")
        if ours.result not in (None, SAME, SECOND, NUMERIC_RESULT) and results != {ours.result}:
            wrong.append(f"{name}: ours returns {ours.result}, pg {sorted(results)}")
    assert wrong == []


def test_immutable_signatures_are_immutable_in_pg_proc(pg_server: str) -> None:
    query = (
        "SELECT provolatile FROM pg_proc WHERE proname = %s"
        " AND pronamespace = 'pg_catalog'::regnamespace AND proargtypes = %s::oidvector"
    )
    with psycopg.connect(pg_server) as conn:
        for name, signatures in IMMUTABLE_SIGNATURES.items():
            for signature in signatures:
                oids = [
                    conn.execute("SELECT %s::regtype::oid", (t,)).fetchone()[0]  # type: ignore[index]
                    for t in signature
                ]
                row = conn.execute(query, (name, " ".join(map(str, oids)))).fetchone()
                assert row == ("i",), f"{name}{signature}"
