"""Both sides of the wire: rows written by Drizzle read into the Pydantic models.

The TypeScript program (tests/node/roundtrip.ts, type-checked with ``tsc
--strict`` against the generated schema.ts of tests/cases/outputs_all) inserts
rows with the insert types and reads them back with the select types and the
generated relations, on PostgreSQL, then prints them as JSON.  Each JSON row
validates into the Pydantic select model and dumps back to the same JSON:
timestamps, UUIDs, numerics, nulls, enums, arrays and JSON values.

tests/node/self_junction.ts does the same for tests/cases/self_junction: users
follow users through a junction whose two keys reach one table, and the
relational queries read followers and followees apart.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
from nodetools import SOURCE, run, workdir

CASE = Path(__file__).resolve().parent / "cases" / "outputs_all" / "expected"
TSCONFIG = (
    '{"compilerOptions": {"strict": true, "target": "ES2022", "module": "NodeNext",'
    ' "moduleResolution": "NodeNext", "skipLibCheck": true, "outDir": "dist",'
    ' "types": ["node"]}, "include": ["*.ts"]}\n'
)


def _same_digits(row: dict[str, object]) -> dict[str, object]:
    """JavaScript prints milliseconds (``.101Z``, ``.000Z``), Pydantic microseconds
    (``.101000Z``) and no fraction at all for a whole second (``:57Z``): the same
    instant; only the fraction's padding is made alike (trailing zeros dropped)."""
    pattern = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d*?)0*)?(Z|[+-]\d\d:\d\d)$")

    def same(m: re.Match[str]) -> str:
        return m[1] + (f".{m[2]}" if m[2] else "") + m[3]

    return {k: pattern.sub(same, v) if isinstance(v, str) else v for k, v in row.items()}


def _libpq_env(url: str) -> dict[str, str]:
    """The database as PG* variables, which node-postgres reads as libpq does
    (it cannot parse every URL form libpq accepts, such as a socket host)."""
    from psycopg.conninfo import conninfo_to_dict

    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "dbname": "PGDATABASE"}
    info = conninfo_to_dict(url)
    return {env: str(info[key]) for key, env in names.items() if info.get(key)}


def test_typescript_rows_round_trip_through_pydantic(
    node_tools: Path, pg_url: str, tmp_path: Path
) -> None:
    folder = workdir(node_tools, tmp_path / "ts")
    (folder / "package.json").write_text('{"type": "module"}\n')
    (folder / "schema.ts").write_bytes((CASE / "web/src/db/schema.ts").read_bytes())
    (folder / "roundtrip.ts").write_bytes((SOURCE / "roundtrip.ts").read_bytes())
    (folder / "tsconfig.json").write_text(TSCONFIG)
    run(node_tools, ["tsc", "-p", "tsconfig.json"], folder)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute((CASE / "db/schema.sql").read_bytes())
    done = subprocess.run(
        ["node", "dist/roundtrip.js"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, **_libpq_env(pg_url)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)

    spec = importlib.util.spec_from_file_location("rt_models", CASE / "app/db/models.py")
    assert spec is not None and spec.loader is not None
    models = importlib.util.module_from_spec(spec)
    sys.modules["rt_models"] = models
    spec.loader.exec_module(models)
    pairs = [(models.Customer, rows["customer"]), (models.Profile, rows["profile"])]
    pairs += [(models.Ticket, row) for row in rows["tickets"]]
    for model, row in pairs:
        parsed = model.model_validate_json(json.dumps(row))
        assert _same_digits(json.loads(parsed.model_dump_json(by_alias=True))) == _same_digits(row)
    full, bare = rows["tickets"]
    assert full["state"] == "on hold" and bare["state"] == "open"  # the enum and its default
    assert full["dueAt"] == "2026-01-02T03:04:05.678Z" and bare["dueAt"] is None
    assert full["estimateHours"] == "1.5" and rows["customer"]["credit"] == "12.50"
    assert rows["profile"]["displayName"] is None


def test_a_junction_whose_two_keys_reach_one_table_resolves_both_ways_in_drizzle(
    node_tools: Path, pg_url: str, tmp_path: Path
) -> None:
    """user_follows(follower_id, followee_id -> users): the relationName pairs let
    Drizzle's relational queries tell the two keys apart, in both directions."""
    case = CASE.parent.parent / "self_junction" / "expected"
    folder = workdir(node_tools, tmp_path / "ts")
    (folder / "package.json").write_text('{"type": "module"}\n')
    (folder / "schema.ts").write_bytes((case / "schema.ts").read_bytes())
    (folder / "self_junction.ts").write_bytes((SOURCE / "self_junction.ts").read_bytes())
    (folder / "tsconfig.json").write_text(TSCONFIG)
    run(node_tools, ["tsc", "-p", "tsconfig.json"], folder)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute((case / "schema.sql").read_bytes())
    done = subprocess.run(
        ["node", "dist/self_junction.js"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, **_libpq_env(pg_url)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {
            "name": "ann",
            "followees": ["bob", "cy"],
            "followers": [],
            "friends": ["bob"],
            "friend_of": [],
        },
        {
            "name": "bob",
            "followees": ["cy"],
            "followers": ["ann"],
            "friends": [],
            "friend_of": ["ann"],
        },
        {
            "name": "cy",
            "followees": [],
            "followers": ["ann", "bob"],
            "friends": [],
            "friend_of": [],
        },
    ]
