"""The differ on issue 13's objects without a database: raw SQL, function signatures,
policies; the catalog-level proof is test_migrate_property.py and migrate_cases/."""

from __future__ import annotations

import psycopg
import pytest
from migdb import catalog, ddl, differences, plan, psql

from generator.migrate import ops_objects

RAW = """\
version: 1
postgres:
  after: |
    COMMENT ON TABLE items IS {text};
tables:
  items:
    columns:
      id: {{type: integer, primary_key: true}}
"""


def test_changed_raw_sql_is_a_loud_manual_step() -> None:
    a = RAW.format(text="'old'").encode()
    b = RAW.format(text="'new'").encode()
    migration = plan(a, b)
    (step,) = migration.steps
    assert step.codes == ("MN501",)
    assert "MN501" in migration.codes
    up = migration.up_sql
    assert "-- MANUAL: postgres.after (raw SQL) changed" in up
    assert "--   COMMENT ON TABLE items IS 'old';" in up
    assert "--   COMMENT ON TABLE items IS 'new';" in up
    # nothing runs: every line of the step is a comment
    body = up.split("BEGIN;")[1].split("COMMIT;")[0]
    assert all(line.startswith("--") for line in body.strip().splitlines())
    assert "old:\n--   COMMENT ON TABLE items IS 'new';" in migration.down_sql


def test_raw_sql_added_or_removed_is_manual_too() -> None:
    a = RAW.format(text="'x'").encode()
    b = b"version: 1\ntables:\n  items:\n    columns:\n      id: {type: integer, primary_key: true}\n"
    assert plan(a, b).codes == ("MN501",)
    assert plan(b, a).codes == ("MN501",)
    assert "--   (none)" in plan(b, a).up_sql


@pytest.mark.postgres
def test_first_migration_runs_raw_sql(pg_url: str) -> None:
    b = RAW.format(text="'first'").encode()
    migration = plan(None, b)
    assert "MN501" not in migration.codes
    with psycopg.connect(pg_url, autocommit=True) as conn:
        psql(pg_url, migration.up_sql)
        got = catalog(conn)
    assert got.table("public.items").comment == "first"
    assert isinstance(migration.ops[-1], ops_objects.RawSQL) and migration.ops[-1].run


FN = """\
version: 1
functions:
  calc:
    arguments: {{x: {type}}}
    returns: {type}
    language: sql
    body: SELECT x + {n}
tables:
  t:
    columns:
      id: {{type: integer, primary_key: true}}
"""


def test_function_body_replaced_signature_recreated() -> None:
    a = FN.format(type="integer", n=1).encode()
    body = plan(a, FN.format(type="integer", n=2).encode())
    assert [type(op).__name__ for op in body.ops] == ["CreateFunction"]
    assert "CREATE OR REPLACE FUNCTION" in body.up_sql and "DROP" not in body.up_sql
    assert "SELECT x + 1" in body.down_sql and "DROP" not in body.down_sql
    sig = plan(a, FN.format(type="bigint", n=1).encode())
    assert 'DROP FUNCTION "calc"(integer);' in sig.up_sql
    assert 'DROP FUNCTION "calc"(bigint);' in sig.down_sql
    assert sig.up_sql.index("DROP FUNCTION") < sig.up_sql.index("CREATE OR REPLACE")


@pytest.mark.postgres
def test_signature_change_on_postgres(pg_url: str) -> None:
    a, b = FN.format(type="integer", n=1).encode(), FN.format(type="bigint", n=3).encode()
    migration = plan(a, b)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        psql(pg_url, ddl(b))
        want_b = catalog(conn)
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        psql(pg_url, ddl(a))
        want_a = catalog(conn)
        psql(pg_url, migration.up_sql)
        assert differences(catalog(conn), want_b) == []
        assert conn.execute("SELECT calc(2::bigint)").fetchone() == (5,)
        psql(pg_url, migration.down_sql)
        assert differences(catalog(conn), want_a) == []
