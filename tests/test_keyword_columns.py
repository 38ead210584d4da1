"""A column named like a keyword PostgreSQL lets stand bare (``if``, ``alter``)
read bare in an expression: PostgreSQL reads the column, sqlglot (which re-reads
our DDL) does not, so the DDL writes the reference quoted (pgsql/quoting.py)."""

from __future__ import annotations

import psycopg
import pytest

from generator.pgsql.quoting import quote_misread
from generator.pipeline import generate, load_schema


def test_only_misread_bare_references_are_quoted() -> None:
    # offsets of the bare references, as pgsql's analysis reports them
    assert quote_misread("if >= 0 AND name <> ''", [(0, "if"), (12, "name")]) == (
        "\"if\" >= 0 AND name <> ''"
    )
    assert quote_misread("IF > 1", [(0, "if")]) == '"if" > 1'  # folds to the same name
    assert quote_misread("price >= 0", [(0, "price")]) == "price >= 0"


@pytest.mark.parametrize("name", ["if", "alter", "drop", "exclude"])
def test_keyword_named_columns_in_every_expression_apply(name: str, pg_url: str) -> None:
    spec = f"""version: 1
tables:
  t:
    columns:
      id: {{type: integer, primary_key: true}}
      {name}: {{type: integer, check: '{name} >= 0'}}
      g: {{type: bigint, nullable: true, generated: {{sql: '{name} * 2'}}}}
    indexes:
      - {{columns: [id], where: '{name} IS NOT NULL'}}
      - {{columns: ['abs({name})']}}
"""
    result = generate(spec.encode(), "schema.yaml")
    assert result.ok, result.diagnostics  # the self-check read the DDL
    schema = load_schema(spec.encode(), "schema.yaml").schema
    assert schema is not None
    [column] = [c for c in schema.tables[0].columns if c.name == name]
    assert column.limits.ge == 0  # the check bounds the models too
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(result.files["schema.sql"].encode())
        conn.execute(f'INSERT INTO t (id, "{name}") VALUES (1, 3)')
        assert conn.execute("SELECT g FROM t").fetchone() == (6,)
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(f'INSERT INTO t (id, "{name}") VALUES (2, -1)')
