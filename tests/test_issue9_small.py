"""Issue 9's small items: each refused with its exact diagnostic, or accepted
and applied by PostgreSQL with the meaning the spec gives it."""

from __future__ import annotations

import psycopg
import pytest
from diag import only, where

from generator.pipeline import generate, load_schema

TABLE = "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"


@pytest.mark.parametrize(
    ("version", "shown"), [("true", "the boolean true"), ("1.0", "the number 1.0")]
)
def test_version_must_be_the_integer_1(version: str, shown: str) -> None:
    diag = only(f"version: {version}\n" + TABLE)
    assert where(diag) == ("invalid-value", 1, 10, "version")
    assert (diag.message, diag.hint) == (f"{shown} is not a valid version", "expected 1")


def test_composite_foreign_key_set_default_needs_a_default() -> None:
    text = (
        "version: 1\ntables:\n  p:\n    columns:\n      a: integer\n      b: integer\n"
        "    primary_key: [a, b]\n  c:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "      a: integer\n      b: integer\n    foreign_keys:\n"
        "      - {columns: [a, b], to: p, on_delete: set default}\n"
    )
    diag = only(text)
    assert where(diag)[0] == "set-default-no-default"
    assert diag.message == "on_delete: set default, but none of ['a', 'b'] has a default"


@pytest.mark.postgres
def test_uuid_ossp_is_accepted_and_created(pg_url: str) -> None:
    text = (
        "version: 1\npostgres: {extensions: [uuid-ossp]}\ntables:\n  t:\n    columns:\n"
        "      id: {type: uuid, primary_key: true, default: {sql: uuid_generate_v4()}}\n"
    )
    result = generate(text.encode(), "schema.yaml")
    assert result.ok, result.diagnostics
    assert 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";' in result.files["schema.sql"]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(result.files["schema.sql"])
        conn.execute("INSERT INTO t DEFAULT VALUES")
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_an_extension_name_that_is_no_name_is_refused() -> None:
    diag = only("version: 1\npostgres: {extensions: [uuid ossp]}\n" + TABLE)
    assert where(diag) == ("invalid-name", 2, 25, "postgres.extensions[0]")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_yaml_1_2_line_separators_are_ordinary_characters(char: str) -> None:
    text = (
        f"version: 1  # a{char}b\n"
        + TABLE.replace("tables:", f"tables:  # x{char}y", 1)
        + f'      note: {{type: text, description: "one{char}two"}}\n'
        + "      bad: {type: texts}\n"  # positions after them are still right
    )
    diags = load_schema(text.encode(), "schema.yaml").diagnostics
    assert [where(d) for d in diags] == [("unknown-type", 7, 19, "tables.t.columns.bad.type")]
    fixed = text.replace("      bad: {type: texts}\n", "")
    loaded = load_schema(fixed.encode(), "schema.yaml")
    assert loaded.schema is not None
    assert loaded.schema.tables[0].column("note").description == f"one{char}two"
