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
    # text has a trigram operator class for both methods (pg_trgm)
    assert diag.hint == f"for LIKE/similarity search install pg_trgm and use {using}_trgm_ops"


def test_operator_classes_apply_exactly_to_their_types(pg_url: str) -> None:
    """Each OPCLASSES row works for each type it lists and for none it does not."""
    from generator.types import OPCLASSES

    spellable = [n for n, info in TYPES.items() if not info.internal]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION citext")
        conn.execute("CREATE EXTENSION pg_trgm")
        for name, op in OPCLASSES.items():
            accepted = []
            for tname in spellable:
                conn.execute(f"CREATE TEMP TABLE t (c {_sample(tname).sql})")
                try:
                    conn.execute(f"CREATE INDEX ON t USING {op.method} (c {name})")
                    accepted.append(tname)
                except psycopg.Error:
                    pass
                conn.execute("DROP TABLE t")
            assert sorted(accepted) == sorted(op.types), name


def test_every_known_type_can_be_written_and_applied(pg_url: str) -> None:
    """Every type the 'known types' hint lists, and every alias, is a column
    PostgreSQL creates with the type the model says."""
    from generator.pipeline import generate, load_schema
    from generator.types import ALIASES, SPELLABLE

    written = [*SPELLABLE, *ALIASES, "serial", "bigserial", "smallserial"]
    columns = "".join(
        f"      c{i}: {{type: '{t}', nullable: {str(t[-6:] != 'serial').lower()}}}\n"
        for i, t in enumerate(written)
    )
    spec = (
        "version: 1\npostgres: {extensions: [citext]}\ntables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        + columns
    )
    result = generate(spec.encode(), "schema.yaml")
    assert result.ok, result.diagnostics
    schema = load_schema(spec.encode(), "schema.yaml").schema
    assert schema is not None
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(result.files["schema.sql"].encode())
        got = conn.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum"
        ).fetchall()
    assert got == [(c.name, c.type.catalog) for c in schema.tables[0].columns]
