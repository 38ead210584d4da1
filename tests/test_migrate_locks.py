"""Which steps rewrite the table, measured on PostgreSQL (issue 10).

For every column change the differ classifies, a populated table's
``relfilenode`` is read before and after the migration: it changes exactly
when the step carries LK301 ("rewrites the table").  All cases share one
migration (one table each) and one database.
"""

from __future__ import annotations

import psycopg
import pytest
from migdb import ddl, dump, plan, psql

from generator.migrate import ops_tables

TYPE_CHANGES = [
    ("integer", "bigint"),
    ("bigint", "integer"),
    ("integer", "text"),
    ("text", "varchar(10)"),
    ("text", "varchar"),
    ("varchar(10)", "varchar(20)"),
    ("varchar(20)", "varchar(10)"),
    ("varchar(10)", "text"),
    ("varchar(10)", "varchar"),
    ("numeric(10,2)", "numeric(12,2)"),
    ("numeric(10,2)", "numeric(10,3)"),
    ("numeric(10,2)", "numeric"),
    ("mood", "text"),
]
# New columns on a populated table: (spec of the column, what PostgreSQL does).
NEW_COLUMNS = [
    {"type": "text", "nullable": True},
    {"type": "integer", "default": 5},
    {"type": "timestamptz", "default": {"sql": "now()"}},
    {"type": "uuid", "default": {"sql": "gen_random_uuid()"}},
    {"type": "integer", "identity": "by_default"},
    {"type": "integer", "generated": {"sql": "id * 2"}, "nullable": True},
]
VALUES = {"integer": "1", "bigint": "1", "text": "'1'", "mood": "'ok'"}


def _specs() -> tuple[dict, dict]:  # type: ignore[type-arg]
    a: dict = {"version": 1, "enums": {"mood": ["ok"]}, "tables": {}}  # type: ignore[type-arg]
    b: dict = {"version": 1, "enums": {"mood": ["ok"]}, "tables": {}}  # type: ignore[type-arg]
    for i, (old, new) in enumerate(TYPE_CHANGES):
        cols = {"id": {"type": "integer", "primary_key": True}}
        a["tables"][f"t{i}"] = {"columns": {**cols, "c": {"type": old}}}
        b["tables"][f"t{i}"] = {"columns": {**cols, "c": {"type": new}}}
    for i, column in enumerate(NEW_COLUMNS):
        cols = {"id": {"type": "integer", "primary_key": True}}
        a["tables"][f"n{i}"] = {"columns": dict(cols)}
        b["tables"][f"n{i}"] = {"columns": {**cols, "c": column}}
    return a, b


@pytest.mark.postgres
def test_rewrite_classification_matches_relfilenode(pg_url: str) -> None:
    a, b = _specs()
    migration = plan(dump(a), dump(b))
    claimed: dict[str, bool] = {}
    for op, step in zip(migration.ops, migration.steps, strict=True):
        if isinstance(op, ops_tables.AlterColumnType | ops_tables.AddColumn):
            claimed[op.table.name] = "LK301" in step.codes
    assert set(claimed) == set(a["tables"])
    psql(pg_url, ddl(dump(a)))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for i, (old, _) in enumerate(TYPE_CHANGES):
            value = VALUES.get(old.split("(")[0], "1")
            conn.execute(f"INSERT INTO t{i} VALUES (1, {value})")  # type: ignore[arg-type]
        for i in range(len(NEW_COLUMNS)):
            conn.execute(f"INSERT INTO n{i} VALUES (1)")  # type: ignore[arg-type]

        def files() -> dict[str, int]:
            found = conn.execute(
                "SELECT relname, relfilenode FROM pg_class WHERE relkind = 'r'"
                " AND relnamespace = 'public'::regnamespace"
            )
            return dict(found.fetchall())  # type: ignore[arg-type]

        before = files()
        psql(pg_url, migration.up_sql)
        after = files()
    measured = {name: before[name] != after[name] for name in claimed}
    assert measured == claimed
    # The facts the README states, so a change of classification is seen here too.
    assert measured["t0"] and measured["t3"] and not measured["t5"] and not measured["t7"]
