"""The sqlglot check catches a template that drifts from the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import check_sql
from generator.pipeline import load_schema
from generator.render import render_all

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rendered() -> tuple[object, str]:
    loaded = load_schema((ROOT / "schema.yaml").read_bytes(), "schema.yaml")
    assert loaded.schema is not None
    return loaded.schema, render_all(loaded.schema)["schema.sql"]


def test_the_repository_ddl_passes(rendered: tuple[object, str]) -> None:
    schema, sql = rendered
    assert check_sql(schema, sql, "schema.yaml") == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"mime_type" varchar(100)', '"mime_type" varchar(101)', "columns of 'assets' differ"),
        ('"size" bigint NOT NULL', '"size" bigint', "columns of 'assets' differ"),
        (
            '"attempts" integer NOT NULL DEFAULT 0',
            '"attempts" integer NOT NULL',
            "columns of 'asset_processing_jobs'",
        ),
        (
            'CONSTRAINT "assets_pkey" PRIMARY KEY ("id")',
            'CONSTRAINT "assets_pkey" PRIMARY KEY ("title")',
            "primary key of 'assets'",
        ),
        (
            'UNIQUE ("asset_id")',
            'UNIQUE ("project_id")',
            "unique constraints of 'asset_processing_jobs'",
        ),
        ("ON DELETE CASCADE;", "ON DELETE SET NULL;", "foreign key"),
        ('CREATE TABLE "subscriptions"', 'CREATE TABLE "subscription"', "table 'subscription'"),
        (
            '"order" integer NOT NULL,\n    "created_at" timestamp NOT NULL DEFAULT now(),\n    "updated_at" timestamp NOT NULL DEFAULT now(),\n    CONSTRAINT "prompts_pkey"',
            '"created_at" timestamp NOT NULL DEFAULT now(),\n    "order" integer NOT NULL,\n    "updated_at" timestamp NOT NULL DEFAULT now(),\n    CONSTRAINT "prompts_pkey"',
            "columns of 'prompts' differ",
        ),
        ("ALTER TABLE", "VACUUM; ALTER TABLE", "sqlglot could not parse"),
        ('CREATE TABLE "projects" (', 'CREATE TABLE "projects" ((', "does not parse"),
    ],
)
def test_a_drifted_ddl_is_caught(
    rendered: tuple[object, str], old: str, new: str, expected: str
) -> None:
    schema, sql = rendered
    assert old in sql
    problems = check_sql(schema, sql.replace(old, new, 1), "schema.yaml")  # type: ignore[arg-type]
    assert problems, "the check accepted drifted SQL"
    assert any(expected in p.message for p in problems), [p.message for p in problems]
    assert all(p.code == "sql-check" for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("jsonb_build_object(col, now())", "jsonb_build_object(col, NULL)", "function"),
        ("RETURNS trigger", "RETURNS void", "function"),
        ('"on_update_now" BEFORE UPDATE', '"on_update_now" AFTER UPDATE', "trigger"),
        ("'changed_at', 'updated_at');", "'updated_at', 'changed_at');", "trigger"),
    ],
)
def test_a_drifted_trigger_is_caught(old: str, new: str, expected: str) -> None:
    """The trigger function and triggers are compared with the model's, not with
    the renderer's own text (which would agree with any mistake in it)."""
    spec = (ROOT / "tests/cases/updated_at_trigger/schema.yaml").read_bytes()
    loaded = load_schema(spec, "schema.yaml")
    assert loaded.schema is not None
    sql = render_all(loaded.schema)["schema.sql"]
    assert check_sql(loaded.schema, sql, "schema.yaml") == []
    assert old in sql
    problems = check_sql(loaded.schema, sql.replace(old, new, 1), "schema.yaml")
    assert any(
        p.message.startswith(f"generated schema.sql failed its check: {expected}") for p in problems
    ), [p.message for p in problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('OWNED BY "actor"."actor_id"', 'OWNED BY "actor"."name"', "owner"),
        ('"invoice_line_no_seq" AS smallint', '"invoice_line_no_seq" AS integer', "sequence"),
        ('CREATE SEQUENCE "actor_actor_id_seq" AS integer;', "", "sequence"),
        ('ALTER SEQUENCE "actor_actor_id_seq" OWNED BY "actor"."actor_id";', "", "owner"),
    ],
)
def test_a_drifted_sequence_is_caught(old: str, new: str, expected: str) -> None:
    """Serial columns' sequences and their owners are compared with the model's."""
    spec = (ROOT / "tests/cases/serial_columns/schema.yaml").read_bytes()
    loaded = load_schema(spec, "schema.yaml")
    assert loaded.schema is not None
    sql = render_all(loaded.schema)["schema.sql"]
    assert check_sql(loaded.schema, sql, "schema.yaml") == []
    assert old in sql
    problems = check_sql(loaded.schema, sql.replace(old, new, 1), "schema.yaml")
    assert any(
        p.message.startswith(f"generated schema.sql failed its check: {expected}") for p in problems
    ), [p.message for p in problems]
