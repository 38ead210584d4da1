"""The migrations folder: snapshots, the integrity chain, and every kind of bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli import ROOT, run_cli
from migfolder import SPEC_A, SPEC_B, add, model, project, schema_sql

from generator.migrate import folder, snapshot
from generator.migrate.script import ScriptError, segments, split
from generator.pipeline import load_schema

SPECS = sorted(
    [
        ROOT / "schema.yaml",
        *(ROOT / "examples").glob("*.yaml"),
        *(ROOT / "tests/cases").glob("*/schema.yaml"),
    ]
)
VALID = [p for p in SPECS if not (p.parent / "expected/stderr.txt").exists()]


@pytest.mark.parametrize("path", VALID, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_snapshot_reads_back_as_the_same_model(path: Path) -> None:
    loaded = load_schema(path.read_bytes(), str(path))
    assert loaded.schema is not None
    text = snapshot.dumps(loaded.schema)
    back = snapshot.loads(text)
    assert back == loaded.schema
    assert snapshot.dumps(back) == text  # same model, same bytes
    # It is Schema.to_dict() plus each literal default's typed value, with decimals
    # (limits from CHECKs) tagged so they read back as Decimal, not as text.
    data = json.loads(text, object_hook=lambda d: d["decimal"] if set(d) == {"decimal"} else d)
    data = data["model"]
    for table in data["tables"]:
        for column in table["columns"]:
            if column["default"] is not None:
                column["default"].pop("value")
    for domain in data.get("domains", []):
        if domain["default"] is not None:
            domain["default"].pop("value")
    assert data == loaded.schema.to_dict()


def test_the_valid_specs_cover_literal_defaults_of_every_kind() -> None:
    """The round trip above is only as good as the defaults it meets."""
    kinds = set()
    for path in VALID:
        loaded = load_schema(path.read_bytes(), str(path))
        assert loaded.schema is not None
        text = json.loads(snapshot.dumps(loaded.schema))
        for table in text["model"]["tables"]:
            for column in table["columns"]:
                if column["default"] and column["default"]["kind"] == "literal":
                    kinds.add(column["default"]["value"]["type"])
    assert {"plain", "decimal", "uuid", "date", "datetime", "time", "list"} <= kinds


def test_a_snapshot_is_canonical_text() -> None:
    text = snapshot.dumps(model(SPEC_A))
    assert text.endswith("}\n") and "\r" not in text
    assert json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n" == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a schemagen snapshot"),
        ('{"format": 99, "model": {}}', "snapshot format 99"),
        ('{"format": 1, "model": {"tables": [], "colour": 1}}', "unknown key 'colour'"),
        ('{"format": 1, "model": {}}', "model.tables: missing"),
        ('{"format": 1, "model": {"tables": [{"name": 3}]}}', "model.tables[0]"),
    ],
)
def test_a_damaged_snapshot_says_where(text: str, message: str) -> None:
    with pytest.raises(snapshot.SnapshotError, match=message.replace("[", r"\[")):
        snapshot.loads(text)


# -- the folder and its chain ---------------------------------------------------


def test_migrations_are_numbered_and_chained(tmp_path: Path) -> None:
    p = project(tmp_path)
    assert add(p, "add_orders", "CREATE TABLE orders ();\n", "DROP TABLE orders;\n", SPEC_B) == (
        "0002_add_orders"
    )
    read = folder.read(p / "migrations")
    assert [m.dirname for m in read.migrations] == ["0001_init", "0002_add_orders"]
    assert read.last_schema() == model(SPEC_B)
    lines = (p / "migrations/schemagen.sum").read_text().splitlines()
    assert [line.split()[0] for line in lines if not line.startswith("#")] == [
        "0001_init",
        "0002_add_orders",
    ]
    assert sorted(x.name for x in (p / "migrations/0001_init").iterdir()) == [
        "down.sql",
        "snapshot.json",
        "up.sql",
    ]
    # Each hash depends on the one before: the same second migration on another
    # first one gets another line.
    other = project(tmp_path / "other", init=False)
    add(other, "init", schema_sql(SPEC_A) + "-- changed\n", "", SPEC_A)
    add(other, "add_orders", "CREATE TABLE orders ();\n", "DROP TABLE orders;\n", SPEC_B)
    mine = (p / "migrations/schemagen.sum").read_text().splitlines()[-1]
    theirs = (other / "migrations/schemagen.sum").read_text().splitlines()[-1]
    assert mine != theirs


def test_the_same_history_gives_the_same_bytes(tmp_path: Path) -> None:
    one, two = project(tmp_path / "one"), project(tmp_path / "two")
    for rel in ("schemagen.sum", "0001_init/up.sql", "0001_init/snapshot.json"):
        assert (one / "migrations" / rel).read_bytes() == (two / "migrations" / rel).read_bytes()


def check(p: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("migrate", "check", "--spec", str(p / "schema.yaml"), *extra, cwd=p)


def assert_bad_input(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_check_passes_on_an_intact_folder(tmp_path: Path) -> None:
    result = check(project(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "1 migrations intact" in result.stdout


def test_an_edited_migration_is_detected_and_hash_accepts_an_intended_edit(tmp_path: Path) -> None:
    p = project(tmp_path)
    up = p / "migrations/0001_init/up.sql"
    up.write_text(up.read_text() + "-- tweak\n")
    assert_bad_input(
        check(p), "0001_init: error[migrations]: changed since schemagen wrote it", "migrate hash"
    )
    rehash = run_cli("migrate", "hash", "--spec", str(p / "schema.yaml"), cwd=p)
    assert rehash.returncode == 0, rehash.stderr
    assert check(p).returncode == 0


def test_crlf_line_endings_from_a_windows_checkout_are_not_an_edit(tmp_path: Path) -> None:
    p = project(tmp_path)
    for name in ("up.sql", "down.sql", "snapshot.json"):
        path = p / "migrations/0001_init" / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert check(p).returncode == 0
    up = p / "migrations/0001_init/up.sql"
    up.write_bytes(up.read_bytes().replace(b"varchar(200)", b"varchar(201)"))
    assert_bad_input(check(p), "changed since schemagen wrote it")


@pytest.mark.parametrize(
    ("damage", "needles"),
    [
        (
            lambda m: (m / "0001_init/snapshot.json").unlink(),
            ["0001_init/snapshot.json", "missing"],
        ),
        (
            lambda m: (m / "0001_init/snapshot.json").write_text("{ broken"),
            ["0001_init: error", "changed since schemagen wrote it"],
        ),
        (lambda m: (m / "schemagen.sum").unlink(), ["schemagen.sum", "missing", "migrate hash"]),
        (
            lambda m: (m / "schemagen.sum").write_text("0001_init deadbeef\n"),
            ["schemagen.sum:1", "cannot read line"],
        ),
        (
            lambda m: (m / "0001_init").rename(m / "0003_init"),
            ["0003_init", "gap: 0001-0002 missing"],
        ),
        (
            lambda m: (m / "add_users.sql").write_text("CREATE TABLE x ();"),
            ["add_users.sql", "not a schemagen migration"],
        ),
        (
            lambda m: shutil.copytree(m / "0001_init", m / "0001_again"),
            ["2 migrations numbered 0001", "0001_again, 0001_init"],
        ),
        (
            lambda m: (m / "0001_init/notes.txt").write_text("hi"),
            ["0001_init/notes.txt", "unexpected file"],
        ),
        (
            lambda m: shutil.copytree(m / "0001_init", m / "0002_by_hand"),
            ["0002_by_hand", "not in schemagen.sum"],
        ),
    ],
    ids=[
        "no-snapshot",
        "corrupt-snapshot",
        "no-sum",
        "corrupt-sum",
        "gap",
        "stray-file",
        "duplicate",
        "extra-file",
        "by-hand",
    ],
)
def test_bad_input_is_one_clear_error_per_problem(
    tmp_path: Path, damage: object, needles: list[str]
) -> None:
    p = project(tmp_path)
    damage(p / "migrations")  # type: ignore[operator]
    assert_bad_input(check(p), *needles)


def test_a_corrupt_snapshot_with_an_intact_chain_is_named(tmp_path: Path) -> None:
    p = project(tmp_path)
    (p / "migrations/0001_init/snapshot.json").write_text('{"format": 1, "model": {}}')
    assert run_cli("migrate", "hash", "--spec", str(p / "schema.yaml"), cwd=p).returncode == 0
    assert_bad_input(
        check(p), "0001_init/snapshot.json", "cannot read the snapshot: model.tables: missing"
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    p = project(tmp_path)
    (p / "migrations/0001_init/up.sql").unlink()
    (p / "migrations/stray.sql").write_text("")
    result = check(p)
    assert_bad_input(result, "0001_init/up.sql", "stray.sql")


def test_check_says_run_migrate_new_when_the_spec_moved_on(tmp_path: Path) -> None:
    p = project(tmp_path)
    (p / "schema.yaml").write_text(SPEC_B)
    result = check(p)
    assert result.returncode == 1, result.stderr
    assert "run `schemagen migrate new NAME`" in result.stderr
    assert "orders" in result.stdout  # what differs: the missing migration's steps


def test_check_without_migrations_says_how_to_start(tmp_path: Path) -> None:
    p = project(tmp_path, init=False)
    result = check(p)
    assert result.returncode == 1
    assert "schemagen migrate new init" in result.stderr


# -- two branches ----------------------------------------------------------------


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(cwd),
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_two_branches_each_adding_a_migration_conflict_in_git(tmp_path: Path) -> None:
    p = project(tmp_path)
    assert git(p, "init", "-q", "-b", "main").returncode == 0
    git(p, "add", "-A")
    assert git(p, "commit", "-qm", "init").returncode == 0
    git(p, "checkout", "-qb", "orders")
    add(p, "add_orders", "CREATE TABLE orders ();\n", "DROP TABLE orders;\n", SPEC_B)
    git(p, "add", "-A")
    git(p, "commit", "-qm", "orders")
    git(p, "checkout", "-q", "main")
    spec_c = SPEC_A.replace("email: varchar(200)", "email: varchar(200)\n      name: text")
    add(
        p,
        "add_name",
        "ALTER TABLE users ADD name text;\n",
        "ALTER TABLE users DROP name;\n",
        spec_c,
    )
    git(p, "add", "-A")
    git(p, "commit", "-qm", "name")
    merge = git(p, "merge", "orders")
    assert merge.returncode != 0
    assert "CONFLICT (content): Merge conflict in migrations/schemagen.sum" in merge.stdout
    # Left as git leaves it, the folder is refused...
    assert_bad_input(check(p), "conflict markers", "migrate new NAME")
    # ...and so is the lazy resolution that keeps both lines.
    sum_file = p / "migrations/schemagen.sum"
    kept = [x for x in sum_file.read_text().splitlines() if not x.startswith(("<<<", "===", ">>>"))]
    sum_file.write_text("\n".join(kept) + "\n")
    assert_bad_input(check(p), "2 migrations numbered 0002: 0002_add_name, 0002_add_orders")


# -- names and scripts -------------------------------------------------------------


def test_migration_names() -> None:
    assert folder.migration_name("Add-Orders") == "add_orders"
    for bad in ("", "add orders", "../x", "x" * 61, "_x"):
        with pytest.raises(ValueError):
            folder.migration_name(bad)


def test_the_script_splitter_keeps_quoted_semicolons_and_finds_the_transactions() -> None:
    text = (
        "-- a comment; with a semicolon\n"
        "BEGIN;\n"
        "CREATE TABLE a (x text DEFAULT 'a;b''c', y text DEFAULT E'\\\\'';');\n"
        "COMMENT ON TABLE a IS $c$x;y$c$;\n"
        "COMMIT;\n"
        "/* outer /* inner; */ still; */\n"
        "CREATE INDEX CONCURRENTLY a_x ON a (x);\n"
        "BEGIN;\n"
        "ALTER TYPE \"t;\" ADD VALUE 'q';\n"
        "COMMIT;\n"
    )
    parts = segments(text)
    assert [(s.transaction, len(s.statements)) for s in parts] == [(True, 2), (False, 1), (True, 1)]
    assert parts[0].statements[0].sql.endswith("'a;b''c', y text DEFAULT E'\\\\'';')")
    assert parts[0].statements[1].line == 4  # the statement's line, not its comment's
    assert parts[1].statements[0].line == 7
    assert [s.sql for s in split("SELECT 1; SELECT 2")] == ["SELECT 1", "SELECT 2"]
    assert segments("CREATE TABLE x (); CREATE TABLE y ();")[
        0
    ].transaction  # no BEGIN: one transaction
    for bad in (
        "BEGIN; SELECT 1;",
        "COMMIT;",
        "SELECT 'x",
        "SELECT $a$ x",
        "BEGIN; BEGIN; COMMIT;",
    ):
        with pytest.raises(ScriptError):
            segments(bad)
