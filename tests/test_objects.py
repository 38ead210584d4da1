"""Functions, triggers and policies (issue 13) without a database: the dollar
quote tag, the self-check that reads each object back from the DDL, and the
model carried by ``Schema.to_dict()`` for the differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import check_sql
from generator.model import Function
from generator.pipeline import load_schema
from generator.render import render_all

CASE = Path(__file__).parent / "cases" / "functions_triggers" / "schema.yaml"


@pytest.mark.parametrize(
    ("body", "tag"),
    [
        ("\nSELECT 1\n", "$$"),
        ("\nSELECT '$$'\n", "$body$"),
        ("\nSELECT '$$ $body$'\n", "$body1$"),
        ("\nSELECT 1 $", "$body$"),  # '$' + '$$' would close early at the body's end
        ("\nSELECT '$body'", "$$"),
        ("\nSELECT '$body1$ $$ $body$'\n", "$body2$"),
    ],
)
def test_the_quote_tag_cannot_occur_in_the_body(body: str, tag: str) -> None:
    fn = Function("f", "text", "sql", body)
    assert fn.quote_tag == tag
    quoted = f"{tag}{body}{tag}"
    assert quoted.find(tag, len(tag)) == len(tag) + len(body)  # the first close is the real one


def _case() -> tuple[object, str]:
    loaded = load_schema(CASE.read_bytes(), "schema.yaml")
    assert loaded.schema is not None
    return loaded.schema, render_all(loaded.schema)["schema.sql"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("LANGUAGE sql STABLE AS", "LANGUAGE sql VOLATILE AS"),
        ('"note_count"("owner" uuid) RETURNS bigint', '"note_count"("owner" uuid) RETURNS integer'),
        ('"note_count"("owner" uuid)', '"note_count"("owner" text)'),
        ("SELECT count(*) FROM notes", "SELECT count(1) FROM notes"),
        ("lower(NEW.title", "upper(NEW.title"),
        ('UPDATE OF "title", "body"', 'UPDATE OF "title"'),
        ("WHEN (NEW.title IS NOT NULL)", "WHEN (NEW.title IS NULL)"),
        ("FOR EACH ROW\n    WHEN", "FOR EACH STATEMENT\n    WHEN"),
        ('ALTER TABLE "notes" FORCE ROW LEVEL SECURITY;\n', ""),
        ("AS RESTRICTIVE FOR DELETE", "AS PERMISSIVE FOR DELETE"),
        ("FOR DELETE", "FOR UPDATE"),
        ("USING (false)", "USING (true)"),
        ("count(a.id) AS asset_count", "count(*) AS asset_count"),
        ('CREATE MATERIALIZED VIEW "asset_counts"', 'CREATE VIEW "asset_counts"'),
        ('("project_id", "asset_count", "has_assets")', '("project_id", "n", "has_assets")'),
        (
            'CREATE UNIQUE INDEX "asset_counts_project_id_idx"',
            'CREATE INDEX "asset_counts_project_id_idx"',
        ),
        ("WITH CHECK (user_id = current_setting('app.user_id', true)::uuid)", "WITH CHECK (true)"),
    ],
)
def test_a_drifted_object_is_caught(old: str, new: str) -> None:
    schema, sql = _case()
    assert check_sql(schema, sql, "schema.yaml") == []  # type: ignore[arg-type]
    assert old in sql
    problems = check_sql(schema, sql.replace(old, new, 1), "schema.yaml")  # type: ignore[arg-type]
    assert problems, (old, new)


def test_the_model_carries_every_object_for_the_differ() -> None:
    schema, _ = _case()
    data = schema.to_dict()  # type: ignore[attr-defined]
    functions = {f["name"]: f for f in data["functions"]}
    assert functions["note_count"]["arguments"] == [["owner", "uuid"]]
    assert functions["note_count"]["volatility"] == "STABLE"
    assert functions["note_count"]["after_tables"] is True
    notes = data["tables"][0]
    assert notes["row_level_security"] and notes["force_row_level_security"]
    assert [t["name"] for t in notes["triggers"]] == ["on_update_now", "notes_search"]
    search = notes["triggers"][1]
    assert (search["events"], search["update_of"], search["when"]) == (
        ["INSERT", "UPDATE"],
        ["title", "body"],
        "NEW.title IS NOT NULL",
    )
    assert [(p["name"], p["permissive"], p["command"]) for p in notes["policies"]] == [
        ("own_notes", True, "ALL"),
        ("no_delete", False, "DELETE"),
    ]
    views = {v["name"]: v for v in data["views"]}
    assert list(views) == ["asset_counts", "project_totals"]  # what a view reads comes first
    assert views["project_totals"]["depends_on"] == ["asset_counts"]
    assert views["asset_counts"]["materialized"] is True
    assert views["asset_counts"]["key"] == ["project_id"]
