"""The migration commands against PostgreSQL: apply, status, --to, the history's
checksums, the advisory lock, check --db, and up.sql under psql."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cli import cli_env, run_cli
from migfolder import SPEC_A, SPEC_B, add, project, schema_sql
from psycopg import sql
from psycopg.conninfo import make_conninfo

from generator.migrate.history import LOCK_KEY

pytestmark = pytest.mark.postgres

# A second migration with explicit boundaries: a transaction, then an index
# built CONCURRENTLY (it cannot run inside one), as up.sql files are written.
UP_2 = """\
BEGIN;
CREATE TABLE "orders" (
    "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    "user_id" bigint NOT NULL,
    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "orders"
    ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id");
COMMIT;

CREATE INDEX CONCURRENTLY "orders_scratch_idx" ON "orders" ("user_id");
DROP INDEX CONCURRENTLY "orders_scratch_idx";
"""
DOWN_2 = 'BEGIN;\nDROP TABLE "orders";\nCOMMIT;\n'


def two(tmp_path: Path) -> Path:
    p = project(tmp_path)
    add(p, "add_orders", UP_2, DOWN_2, SPEC_B)
    (p / "schema.yaml").write_text(SPEC_B)
    return p


def migrate(p: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("migrate", *args, "--spec", str(p / "schema.yaml"), cwd=p)


def tables(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1"
        ).fetchall()
    return [r[0] for r in rows]


def history(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT number, name FROM schemagen.migrations ORDER BY 1").fetchall()


def test_apply_status_and_going_down_with_to(tmp_path: Path, pg_url: str) -> None:
    p = two(tmp_path)
    before = migrate(p, "status", "--db", pg_url)
    assert before.returncode == 1 and "2 pending" in before.stderr
    assert "0001_init" in before.stdout and "pending" in before.stdout

    up = migrate(p, "apply", "--db", pg_url)
    assert up.returncode == 0, up.stderr
    assert "applying 0001_init" in up.stdout and "applying 0002_add_orders" in up.stdout
    assert tables(pg_url) == ["orders", "users"]
    assert history(pg_url) == [(1, "init"), (2, "add_orders")]
    after = migrate(p, "status", "--db", pg_url)
    assert after.returncode == 0, after.stderr
    assert after.stdout.count(" applied 20") == 2

    again = migrate(p, "apply", "--db", pg_url)
    assert again.returncode == 0 and "0 migration(s) run" in again.stdout

    down = migrate(p, "apply", "--db", pg_url, "--to", "0001_init")
    assert down.returncode == 0, down.stderr
    assert "rolling back 0002_add_orders" in down.stdout
    assert tables(pg_url) == ["users"]
    assert history(pg_url) == [(1, "init")]

    assert migrate(p, "apply", "--db", pg_url, "--to", "0").returncode == 0
    assert tables(pg_url) == [] and history(pg_url) == []
    assert migrate(p, "apply", "--db", pg_url, "--to", "2").returncode == 0
    assert tables(pg_url) == ["orders", "users"]

    missing = migrate(p, "apply", "--db", pg_url, "--to", "7")
    assert missing.returncode == 2 and "no such migration" in missing.stderr


def test_apply_refuses_a_database_whose_applied_migration_was_edited(
    tmp_path: Path, pg_url: str
) -> None:
    p = two(tmp_path)
    assert migrate(p, "apply", "--db", pg_url, "--to", "1").returncode == 0
    up = p / "migrations/0001_init/up.sql"
    up.write_text(up.read_text().replace("varchar(200)", "varchar(300)"))
    assert migrate(p, "hash").returncode == 0  # the folder is consistent again...
    refused = migrate(p, "apply", "--db", pg_url)
    assert refused.returncode == 2  # ...but the database remembers what it ran
    assert "0001_init was edited after it was applied" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert tables(pg_url) == ["users"]  # 0002 did not run
    status = migrate(p, "status", "--db", pg_url)
    assert status.returncode == 2 and "edited after it was applied" in status.stderr


def test_baseline_adopts_a_database_built_from_schema_sql(tmp_path: Path, pg_url: str) -> None:
    p = two(tmp_path)
    with psycopg.connect(pg_url) as conn:
        conn.execute(schema_sql(SPEC_A).encode())
    result = migrate(p, "apply", "--db", pg_url, "--baseline", "0001_init")
    assert result.returncode == 0, result.stderr
    assert history(pg_url) == [(1, "init")]
    assert migrate(p, "apply", "--db", pg_url).returncode == 0  # 0001 is not run again
    assert tables(pg_url) == ["orders", "users"]
    again = migrate(p, "apply", "--db", pg_url, "--baseline", "1")
    assert again.returncode == 2 and "without migration history" in again.stderr


def test_a_failing_migration_is_reported_with_its_line_and_not_recorded(
    tmp_path: Path, pg_url: str
) -> None:
    p = project(tmp_path)
    add(p, "broken", "BEGIN;\nCREATE TABLE ok ();\nCREATE TABLE users ();\nCOMMIT;\n", "", SPEC_B)
    result = migrate(p, "apply", "--db", pg_url)
    assert result.returncode == 2
    assert '0002_broken/up.sql:3: relation "users" already exists' in result.stderr
    assert "nothing of it was committed" in result.stderr
    assert tables(pg_url) == ["users"]  # the transaction rolled back: no "ok"
    assert history(pg_url) == [(1, "init")]


def test_a_migration_that_failed_halfway_resumes_at_the_failed_part(
    tmp_path: Path, pg_url: str
) -> None:
    p = project(tmp_path)
    up = (
        "BEGIN;\nCREATE TABLE t1 (x int);\nCOMMIT;\n"
        "CREATE INDEX CONCURRENTLY t2_x ON t2 (x);\n"
        "BEGIN;\nCREATE TABLE t3 ();\nCOMMIT;\n"
    )
    add(p, "three_parts", up, "DROP TABLE t3, t1;\n", SPEC_B)
    failed = migrate(p, "apply", "--db", pg_url)
    assert failed.returncode == 2
    assert '0002_three_parts/up.sql:4: relation "t2" does not exist' in failed.stderr
    assert "first 1 of 3 parts are committed" in failed.stderr
    status = migrate(p, "status", "--db", pg_url)
    assert status.returncode == 1 and "partly applied: 1 part(s) committed" in status.stdout
    back = migrate(p, "apply", "--db", pg_url, "--to", "1")
    assert back.returncode == 2 and "finish it" in back.stderr
    with psycopg.connect(pg_url) as conn:  # the cause, fixed by hand
        conn.execute("CREATE TABLE t2 (x int)")
    resumed = migrate(p, "apply", "--db", pg_url)
    assert resumed.returncode == 0, resumed.stderr  # t1 was not created twice
    assert "applying 0002_three_parts from part 2 of 3" in resumed.stdout
    assert tables(pg_url) == ["t1", "t2", "t3", "users"]
    assert history(pg_url) == [(1, "init"), (2, "three_parts")]
    assert migrate(p, "status", "--db", pg_url).returncode == 0


def test_a_second_apply_waits_for_the_lock_then_gives_up_clearly(
    tmp_path: Path, pg_url: str
) -> None:
    p = two(tmp_path)
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        pid = other.info.backend_pid
        blocked = migrate(p, "apply", "--db", pg_url, "--lock-timeout", "1")
        assert blocked.returncode == 2
        assert f"holds the migration lock (session pid {pid})" in blocked.stderr
        assert tables(pg_url) == []

        def release() -> None:
            time.sleep(1.5)
            other.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))

        thread = threading.Thread(target=release)
        thread.start()
        waited = migrate(p, "apply", "--db", pg_url, "--lock-timeout", "30")
        thread.join()
    assert waited.returncode == 0, waited.stderr
    assert "waiting for the migration lock" in waited.stderr
    assert tables(pg_url) == ["orders", "users"]


def test_up_sql_runs_under_psql(tmp_path: Path, pg_url: str) -> None:
    p = two(tmp_path)
    for rel in ("0001_init/up.sql", "0002_add_orders/up.sql"):
        result = subprocess.run(
            [
                "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                pg_url,
                "-f",
                str(p / "migrations" / rel),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert tables(pg_url) == ["orders", "users"]


def test_check_replays_the_migrations_and_compares_catalogs(tmp_path: Path, pg_server: str) -> None:
    p = two(tmp_path)
    same = migrate(p, "check", "--db", pg_server)
    assert same.returncode == 0, same.stderr
    assert "the catalog equals schema.sql's" in same.stdout
    # A migration that forgot the foreign key: the folder is intact, the replay differs.
    broken = project(tmp_path / "broken")
    add(
        broken,
        "add_orders",
        UP_2.replace("ALTER TABLE", "-- ALTER TABLE").replace("    ADD", "--"),
        DOWN_2,
        SPEC_B,
    )
    (broken / "schema.yaml").write_text(SPEC_B)
    drift = migrate(broken, "check", "--db", pg_server)
    assert drift.returncode == 1, drift.stderr
    assert "orders_user_id_fkey" in drift.stdout
    assert "does not build schema.sql's catalog" in drift.stderr
    with psycopg.connect(pg_server) as conn:  # the scratch databases are gone
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemagen_check_%'"
        ).fetchone()
    assert left == (0,)


def test_a_server_that_refuses_scratch_databases_is_one_line(
    tmp_path: Path, pg_server: str
) -> None:
    p = two(tmp_path)
    role = f"schemagen_nocreatedb_{os.getpid()}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN NOCREATEDB").format(sql.Identifier(role)))
        try:
            url = make_conninfo(pg_server, user=role)
            result = migrate(p, "check", "--db", url)
        finally:
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error[migrate]: replaying into scratch databases:")
    assert "permission denied to create database" in result.stderr


def test_without_psycopg_the_database_commands_say_how_to_install_it(tmp_path: Path) -> None:
    p = two(tmp_path)
    code = "import sys; sys.modules['psycopg'] = None; from generator.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "migrate", "status", "--db", "postgresql://x/y"],
        cwd=p,
        env=cli_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error[migrate]: this command needs psycopg 3; install it: pip install 'schemagen[postgres]'"
    )
    # ...while generating and checking the folder need no database driver.
    assert run_cli("migrate", "hash", "--spec", str(p / "schema.yaml"), cwd=p).returncode == 0


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    p = two(tmp_path)
    result = migrate(p, "status", "--db", "postgresql://postgres@127.0.0.1:1/none")
    assert result.returncode == 2
    assert result.stderr.startswith("error[migrate]: cannot connect to the database:")
    assert "Traceback" not in result.stderr
