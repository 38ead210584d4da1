"""``schemagen migrate new`` with the real differ, from a first migration to a renamed
column, and the whole cycle on PostgreSQL (the repository's own migrations included)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg
import pytest
from cli import ROOT, run_cli
from migfolder import SPEC_A, SPEC_B

from generator.migrate import folder

RENAMED = SPEC_B.replace(
    "      email: varchar(200)\n", "      contact: {type: varchar(200), renamed_from: email}\n"
)
DROPPED = SPEC_B.replace("      email: varchar(200)\n", "")


def run(p: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("migrate", *args, "--spec", str(p / "schema.yaml"), cwd=p)


def spec(p: Path, text: str) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    (p / "schema.yaml").write_text(text)
    return p


def files(p: Path) -> dict[str, bytes]:
    return {
        x.relative_to(p).as_posix(): x.read_bytes()
        for x in sorted((p / "migrations").rglob("*"))
        if x.is_file()
    }


def test_new_writes_the_first_migration_then_has_nothing_to_do(tmp_path: Path) -> None:
    p = spec(tmp_path, SPEC_A)
    first = run(p, "new", "init")
    assert first.returncode == 0, first.stderr
    assert 'create table "users"' in first.stdout
    assert "migrations/0001_init/ (up.sql, down.sql, snapshot.json)" in first.stdout
    up = (p / "migrations/0001_init/up.sql").read_text()
    assert 'CREATE TABLE "users"' in up
    before = files(p)
    again = run(p, "new", "more")
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert files(p) == before
    assert run(p, "check").returncode == 0


def test_the_same_spec_history_gives_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        p = spec(tmp_path / name, SPEC_A)
        assert run(p, "new", "init").returncode == 0
        spec(p, SPEC_B)
        assert run(p, "new", "add_orders").returncode == 0
        outputs.append(files(p))
    assert outputs[0] == outputs[1]
    assert "migrations/0002_add_orders/snapshot.json" in outputs[0]


def test_a_data_loss_step_is_refused_unless_acknowledged(tmp_path: Path) -> None:
    p = spec(tmp_path, SPEC_B)
    assert run(p, "new", "init").returncode == 0
    spec(p, DROPPED)
    before = files(p)
    refused = run(p, "new", "drop_email")
    assert refused.returncode == 6
    assert "DL102" in refused.stdout  # the plan is printed with its codes
    assert "--allow-data-loss" in refused.stderr
    assert files(p) == before  # nothing written
    accepted = run(p, "new", "drop_email", "--allow-data-loss")
    assert accepted.returncode == 0, accepted.stderr
    assert "DROP COLUMN" in (p / "migrations/0002_drop_email/up.sql").read_text()


def test_a_rename_comes_from_the_spec_and_an_unhinted_one_is_a_positioned_error(
    tmp_path: Path,
) -> None:
    p = spec(tmp_path, SPEC_B)
    assert run(p, "new", "init").returncode == 0
    spec(p, RENAMED.replace(", renamed_from: email", ""))
    ambiguous = run(p, "new", "rename")
    assert ambiguous.returncode == 2
    assert "schema.yaml:" in ambiguous.stderr and "renamed_from: email" in ambiguous.stderr
    assert not (p / "migrations/0002_rename").exists()
    spec(p, RENAMED)
    renamed = run(p, "new", "rename")
    assert renamed.returncode == 0, renamed.stderr
    assert 'RENAME COLUMN "email" TO "contact"' in (p / "migrations/0002_rename/up.sql").read_text()
    assert run(p, "check").returncode == 0


def test_new_refuses_a_bad_name_and_a_damaged_folder(tmp_path: Path) -> None:
    p = spec(tmp_path, SPEC_A)
    bad = run(p, "new", "add orders")
    assert bad.returncode == 2 and "migration name 'add orders'" in bad.stderr
    (p / "migrations").mkdir()
    (p / "migrations/0002_x").mkdir()
    damaged = run(p, "new", "init")
    assert damaged.returncode == 2 and "gap" in damaged.stderr and "Traceback" not in damaged.stderr


@pytest.mark.postgres
def test_from_first_deploy_to_a_renamed_column_on_postgres(
    tmp_path: Path, pg_url: str, pg_server: str
) -> None:
    p = spec(tmp_path, SPEC_A)
    assert run(p, "new", "init").returncode == 0
    assert run(p, "apply", "--db", pg_url).returncode == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO users (email) VALUES ('ada@example.com')")
    spec(p, SPEC_B)
    assert run(p, "new", "add_orders").returncode == 0
    spec(p, RENAMED)
    assert run(p, "new", "rename_email").returncode == 0
    applied = run(p, "apply", "--db", pg_url)
    assert applied.returncode == 0, applied.stderr
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT contact FROM users").fetchall() == [("ada@example.com",)]
    status = run(p, "status", "--db", pg_url)
    assert status.returncode == 0 and status.stdout.count(" applied ") == 3
    checked = run(p, "check", "--db", pg_server)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Down to the first migration and up again: the row survives the rename both ways.
    assert run(p, "apply", "--db", pg_url, "--to", "1").returncode == 0
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT email FROM users").fetchall() == [("ada@example.com",)]
    assert run(p, "apply", "--db", pg_url).returncode == 0


@pytest.mark.postgres
def test_the_repository_migrations_replay_to_schema_sql_and_run_under_psql(
    pg_server: str, pg_url: str
) -> None:
    checked = run_cli("migrate", "check", "--db", pg_server, cwd=ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for m in folder.read(ROOT / "migrations").migrations:
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
                str(ROOT / "migrations" / m.dirname / "up.sql"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


ENUM_A = """\
version: 1
enums:
  status: [draft, live]
tables:
  posts:
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      state: {type: status, default: draft}
      title: text
"""
# A label added and used as the default in the same migration (committed first),
# and an index built CONCURRENTLY (outside any transaction) with --online.
ENUM_B = ENUM_A.replace("[draft, live]", "[draft, review, live]").replace(
    "default: draft}\n      title: text\n",
    "default: review}\n      title: text\n    indexes:\n      - columns: [title]\n",
)


@pytest.mark.postgres
def test_apply_honours_the_transaction_boundaries_of_up_sql(tmp_path: Path, pg_url: str) -> None:
    p = spec(tmp_path, ENUM_A)
    assert run(p, "new", "init").returncode == 0
    assert run(p, "apply", "--db", pg_url).returncode == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO posts (title) VALUES ('kept')")
    spec(p, ENUM_B)
    written = run(p, "new", "review", "--online")
    assert written.returncode == 0, written.stderr
    assert "TX402" in written.stdout and "TX401" in written.stdout
    # Inside one transaction both statements would fail ("unsafe use of new value",
    # "CREATE INDEX CONCURRENTLY cannot run inside a transaction block").
    applied = run(p, "apply", "--db", pg_url)
    assert applied.returncode == 0, applied.stderr
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT state::text, title FROM posts").fetchall() == [
            ("draft", "kept")
        ]
        conn.execute("INSERT INTO posts (title) VALUES ('new')")
        assert conn.execute("SELECT state::text FROM posts WHERE title = 'new'").fetchone() == (
            "review",
        )
        valid = conn.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'posts_title_idx'::regclass"
        ).fetchone()
        assert valid == (True,)
        conn.execute("DELETE FROM posts WHERE title = 'new'")
    assert history_names(pg_url) == ["init", "review"]
    down = run(p, "apply", "--db", pg_url, "--to", "1")
    assert down.returncode == 0, down.stderr
    assert history_names(pg_url) == ["init"]
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT state::text, title FROM posts").fetchall() == [
            ("draft", "kept")
        ]


def history_names(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM schemagen.migrations ORDER BY number")]
