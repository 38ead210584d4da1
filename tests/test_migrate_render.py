"""The differ without a database (issue 10): pairing, hints, order, SQL, safety codes, CLI."""

from __future__ import annotations

import re
import textwrap

import pytest
from cli import run_cli
from migdb import plan, schema_of

from generator.migrate import ops, ops_tables
from generator.migrate.matching import DiffError
from generator.pipeline import generate

BASE = """\
version: 1
enums:
  status: [active, done]
tables:
  users:
    class_name: Person
    columns:
      id: {type: integer, primary_key: true}
      name: text
      status: {type: status, default: active}
  posts:
    columns:
      id: {type: integer, primary_key: true}
      author: {type: integer, references: {to: users.id, relation: writer}}
"""


def spec(text: str) -> bytes:
    return textwrap.dedent(text).encode()


def edit(old: str, new: str, text: str = BASE) -> bytes:
    assert old in text, old
    return text.replace(old, new).encode()


def test_identical_and_python_only_changes_are_empty() -> None:
    assert plan(BASE.encode(), BASE.encode()).empty
    python_only = edit("class_name: Person", "class_name: Human")
    python_only = python_only.replace(b"relation: writer", b"relation: by, inverse: wrote")
    python_only = python_only.replace(
        b"version: 1\n", b"version: 1\npython: {json_aliases: camel}\n"
    )
    reordered = edit(
        "      name: text\n      status: {type: status, default: active}\n",
        "      status: {type: status, default: active}\n      name: text\n",
    )
    assert plan(BASE.encode(), python_only).empty
    assert plan(BASE.encode(), reordered).empty
    assert plan(BASE.encode(), BASE.encode()).text() == "no changes\n"


def test_same_input_same_bytes() -> None:
    b = edit("name: text", "full_name: {type: varchar(80), renamed_from: name}")
    first, second = plan(BASE.encode(), b), plan(BASE.encode(), b)
    assert (first.up_sql, first.down_sql) == (second.up_sql, second.down_sql)
    assert 'RENAME COLUMN "name" TO "full_name"' in first.up_sql
    assert "TYPE varchar(80)" in first.up_sql
    assert 'RENAME COLUMN "full_name" TO "name"' in first.down_sql


def test_drop_and_add_without_hint_is_an_error_naming_the_line_to_add() -> None:
    b = edit("name: text", "full_name: text")
    with pytest.raises(DiffError) as info:
        plan(BASE.encode(), b)
    [diag] = info.value.diagnostics
    assert diag.code == "rename-or-drop"
    assert (diag.span.file, diag.span.line) == ("b.yaml", 9)
    assert "`full_name: {type: text, renamed_from: name}` (tables.users.columns.full_name)" in (
        diag.hint
    )
    assert "--confirm-drops" in diag.hint
    confirmed = plan(BASE.encode(), b, confirm_drops=True)
    kinds = [type(op) for op in confirmed.ops]
    assert ops_tables.DropColumn in kinds and ops_tables.AddColumn in kinds
    assert any("DL102" in s.codes for s in confirmed.steps)


def test_table_and_enum_renames_need_hints_too() -> None:
    b = edit("  users:\n", "  people:\n").replace(b"users.id", b"people.id")
    with pytest.raises(DiffError) as info:
        plan(BASE.encode(), b)
    assert "`renamed_from: users` under tables.people" in info.value.diagnostics[0].hint
    b2 = edit("  status: [active, done]", "  state: [active, done]").replace(
        b"type: status", b"type: state"
    )
    with pytest.raises(DiffError) as info:
        plan(BASE.encode(), b2)
    assert "`renamed_from: status` under enums.state" in info.value.diagnostics[0].hint


def test_hint_naming_nothing_is_a_positioned_error_but_an_applied_one_is_ignored() -> None:
    b = edit("name: text", "full_name: {type: text, renamed_from: nmae}")
    with pytest.raises(DiffError) as info:
        plan(BASE.encode(), b)
    messages = [d.message for d in info.value.diagnostics]
    assert "renamed_from 'nmae' names no column of the old schema in table 'users'" in messages
    bad = next(d for d in info.value.diagnostics if d.code == "bad-hint")
    assert bad.span is not None and bad.span.line == 9 and bad.path.endswith("renamed_from")
    applied = edit("name: text", "name: {type: text, renamed_from: old_name}")
    assert plan(BASE.encode(), applied).empty


def test_hints_never_change_generated_output() -> None:
    plain = edit("name: text", "full_name: text")
    hinted = edit("name: text", "full_name: {type: text, renamed_from: name, migrate: {using: x}}")
    hinted = hinted.replace(b"  users:\n", b"  users:\n    renamed_from: people\n")
    assert generate(plain, "s.yaml").files == generate(hinted, "s.yaml").files
    assert schema_of(plain) == schema_of(hinted)


def test_enum_labels_added_at_their_position_and_committed_when_used() -> None:
    b = edit("[active, done]", "[draft, active, paused, done]")
    migration = plan(BASE.encode(), b)
    up = migration.up_sql
    assert "ADD VALUE IF NOT EXISTS 'draft' BEFORE 'active'" in up
    assert "ADD VALUE IF NOT EXISTS 'paused' AFTER 'active'" in up
    assert up.count("BEGIN;") == 1  # nothing uses them: one transaction
    used = edit("default: active", "default: paused", b.decode())
    up = plan(BASE.encode(), used).up_sql
    assert up.count("BEGIN;") == 2
    assert (
        up.index("ADD VALUE IF NOT EXISTS 'paused'")
        < up.index("COMMIT;")
        < up.index("SET DEFAULT 'paused'")
    )
    assert "TX402" in plan(BASE.encode(), used).codes


def test_removing_or_reordering_labels_rebuilds_the_type() -> None:
    removed = plan(BASE.encode(), edit("[active, done]", "[active]"))
    assert [type(op) for op in removed.ops] == [ops.RebuildEnum]
    up = removed.up_sql
    assert 'ALTER TYPE "status" RENAME TO "status_old"' in up
    assert (
        'ALTER TABLE "users" ALTER COLUMN "status" TYPE "status" USING "status"::text::"status"'
        in up
    )
    assert 'DROP TYPE "status_old"' in up
    assert "DL104" in removed.codes
    reordered = plan(BASE.encode(), edit("[active, done]", "[done, active]"))
    assert "DL104" not in reordered.codes and "LK301" in reordered.codes
    renamed = edit(
        "[active, done]", "{values: [active, finished], renamed_labels: {finished: done}}"
    )
    assert "RENAME VALUE 'done' TO 'finished'" in plan(BASE.encode(), renamed).up_sql


def test_safety_codes() -> None:
    not_null = plan(edit("name: text", "name: {type: text, nullable: true}"), BASE.encode())
    assert not_null.codes == ("LK302", "MF201")
    new_col = plan(BASE.encode(), edit("name: text", "name: text\n      age: integer"))
    assert new_col.codes == ("MF202",)
    backfilled = edit(
        "name: text", "name: text\n      age: {type: integer, migrate: {backfill: '0'}}"
    )
    assert "MF202" not in plan(BASE.encode(), backfilled).codes
    widened = plan(edit("name: text", "name: varchar(10)"), edit("name: text", "name: varchar(20)"))
    assert widened.codes == ()
    narrowed = plan(
        edit("name: text", "name: varchar(20)"), edit("name: text", "name: varchar(10)")
    )
    assert narrowed.codes == ("DL103", "LK301", "MF206")
    dropped = plan(BASE.encode(), BASE.replace("      name: text\n", "").encode())
    assert dropped.codes == ("DL102",)


def test_online_forms() -> None:
    b = edit(
        "      status: {type: status, default: active}\n",
        "      status: {type: status, default: active}\n    indexes: [{columns: [name]}]\n"
        "    checks: ['length(name) > 0']\n",
    ).replace(b"name: text", b"name: {type: text, unique: true}")
    migration = plan(BASE.encode(), b, online=True)
    up = migration.up_sql
    assert 'CREATE INDEX CONCURRENTLY "users_name_idx"' in up
    assert 'CREATE UNIQUE INDEX CONCURRENTLY "users_name_key"' in up
    assert 'UNIQUE USING INDEX "users_name_key"' in up
    assert "NOT VALID" in up and 'VALIDATE CONSTRAINT "users_name_check"' in up
    assert "TX401" in migration.codes and "LK303" not in migration.codes
    # CONCURRENTLY is never inside BEGIN ... COMMIT
    for block in re.findall(r"BEGIN;(.*?)COMMIT;", up, re.S):
        assert "CONCURRENTLY" not in block
    offline = plan(BASE.encode(), b)
    assert "CONCURRENTLY" not in offline.up_sql and "LK303" in offline.codes


def test_new_tables_get_no_row_or_lock_codes_and_no_online_forms() -> None:
    b = BASE + "  tags:\n    columns:\n      id: {type: integer, primary_key: true}\n"
    b += "      label: {type: text, unique: true}\n    indexes: [{columns: [label]}]\n"
    migration = plan(BASE.encode(), b.encode(), online=True)
    assert migration.codes == ()
    assert "CONCURRENTLY" not in migration.up_sql


def test_every_reverse_reverses() -> None:
    a = BASE.replace("relation: writer}", "relation: writer, on_delete: cascade}")
    b = edit("name: text", "full_name: {type: varchar(9), renamed_from: name, description: x}", a)
    b = b.replace(b"  users:\n", b"  app.people:\n    renamed_from: users\n    description: t\n")
    b = b.replace(b"to: users.id", b"to: app.people.id").replace(b"cascade", b"restrict")
    b = b.replace(b"[active, done]", b"[done, active]")
    b += b"  tags:\n    columns:\n      id: {type: integer, primary_key: true}\n"
    migration = plan(a.encode(), b)
    kinds = {type(op).__name__ for op in migration.ops}
    assert {"RenameTable", "RenameColumn", "RebuildEnum", "CreateTable", "SetComment"} <= kinds
    for op in migration.ops:
        assert op.reverse().reverse() == op
    assert len(migration.down.steps) == len(migration.ops)
    assert migration.down.steps[0].summary == 'drop table "tags"' or "foreign key" in (
        migration.down.steps[0].summary
    )


def test_cli_diff(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b, c = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    a.write_text(BASE)
    b.write_text(BASE.replace("name: text", "name: {type: text, nullable: true}"))
    c.write_text(BASE.replace("name: text", "nom: text"))
    same = run_cli("diff", "--from", str(a), "--to", str(a))
    assert same.returncode == 0 and "no differences" in same.stdout
    diff = run_cli("diff", "--from", str(a), "--to", str(b))
    assert diff.returncode == 1
    assert 'drop NOT NULL on "users"."name"' in diff.stdout
    assert 'ALTER TABLE "users" ALTER COLUMN "name" DROP NOT NULL;' in diff.stdout
    assert not list(tmp_path.glob("*.sql"))  # writes nothing
    bad = run_cli("diff", "--from", str(a), "--to", str(c))
    assert bad.returncode == 2 and "renamed_from: name" in bad.stderr
    assert "Traceback" not in bad.stderr
    confirmed = run_cli("diff", "--from", str(a), "--to", str(c), "--confirm-drops")
    assert confirmed.returncode == 1 and "DL102" in confirmed.stdout


def test_a_default_follows_its_renamed_label() -> None:
    b = edit("[active, done]", "{values: [live, done], renamed_labels: {live: active}}")
    migration = plan(BASE.encode(), b.replace(b"default: active", b"default: live"))
    assert [type(op) for op in migration.ops] == [ops.RenameEnumLabel]  # no SET DEFAULT


def test_a_label_gone_while_another_is_new_says_how_to_write_renamed_labels() -> None:
    with pytest.raises(DiffError) as info:
        plan(BASE.encode(), edit("[active, done]", "[active, finished]"))
    [diag] = info.value.diagnostics
    assert diag.span is not None and diag.span.line == 3 and diag.path == "enums.status"
    assert "`status: {values: [...], renamed_labels: {'finished': 'done'}}`" in diag.hint
