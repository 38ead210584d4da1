"""The type table (generator/types.py) against PostgreSQL and the code that reads it."""

from __future__ import annotations

import psycopg
import pytest

from generator.literals import PARSERS
from generator.types import TYPES, ColumnType

METHODS = ("btree", "hash", "gin", "gist", "brin", "spgist")


def _sample(name: str) -> ColumnType:
    info = TYPES[name]
    if info.internal:
        return ColumnType("enum", enum="mood")
    return ColumnType(name, length=5 if info.params == "length?" else None)


def test_every_row_names_a_literal_parser() -> None:
    assert {info.literal for info in TYPES.values()} <= set(PARSERS)


def test_index_methods_are_the_ones_postgresql_accepts(pg_url: str) -> None:
    """Each row's index_methods is exactly where PostgreSQL 15 has a default operator class."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION citext")
        conn.execute("CREATE TYPE mood AS ENUM ('ok')")
        for ctype in [_sample(n) for n in TYPES] + [ColumnType("text", array=True)]:
            accepted = []
            for method in METHODS:
                conn.execute(f"CREATE TEMP TABLE t (c {ctype.sql})")
                try:
                    conn.execute(f"CREATE INDEX ON t USING {method} (c)")
                    accepted.append(method)
                except psycopg.Error:
                    pass
                conn.execute("DROP TABLE t")
            assert tuple(accepted) == ctype.index_methods, ctype.sql
    assert ColumnType("integer", array=True).index_methods == ("btree", "hash", "gin")


@pytest.mark.parametrize("using", ["gin", "gist"])
def test_an_index_method_the_type_lacks_is_refused(using: str) -> None:
    from generator.pipeline import load_schema

    spec = (
        "version: 1\ntables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        f"      name: text\n    indexes:\n      - {{columns: [name], using: {using}}}\n"
    )
    loaded = load_schema(spec.encode(), "s.yaml")
    [diag] = loaded.diagnostics
    assert (diag.code, diag.span.line, diag.path) == (
        "pg-opclass",
        8,
        "tables.t.indexes[0].columns[0]",
    )
    assert diag.message == f"data type text has no default operator class for index method {using}"
    assert diag.hint == f"for LIKE/similarity search install pg_trgm and use {using}_trgm_ops"
