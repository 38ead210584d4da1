"""Functions, triggers, row-level security and policies (issue 13) applied to a
fresh PostgreSQL database: read back from the catalog (pg_proc, pg_trigger,
pg_policy, relrowsecurity) and made to show their behaviour (a trigger fires,
a policy hides another user's rows from a non-owner role)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pgfeatures import apply, ddl, rows
from psycopg import sql

from generator.pipeline import load_schema

pytestmark = pytest.mark.postgres

CASE = Path(__file__).parent / "cases" / "functions_triggers" / "schema.yaml"


@contextmanager
def roles(conn: psycopg.Connection[Any], *names: str) -> Iterator[None]:
    """Create login-less roles for one test; drop them after, even on failure
    (roles belong to the cluster, not to the test's database)."""
    for name in names:
        conn.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        conn.execute("RESET ROLE")
        for name in names:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def _role_name() -> str:
    """A role name no concurrent test run shares (the cluster is shared)."""
    return f"sg_role_{uuid.uuid4().hex[:12]}"


def _case_spec() -> str:
    return CASE.read_text()  # its named role is predefined (pg_read_all_data)


def test_catalog_holds_the_functions_triggers_and_policies(pg_url: str) -> None:
    with apply(pg_url, _case_spec()) as conn:
        schema = load_schema(CASE.read_bytes(), "schema.yaml").schema
        assert schema is not None
        procs = rows(
            conn,
            """SELECT proname, pg_get_function_arguments(oid), format_type(prorettype, NULL),
                      provolatile, prosecdef, prosrc
               FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY proname""",
        )
        assert [(p[0], p[5]) for p in procs] == sorted((f.name, f.body) for f in schema.functions)
        by_name = {p[0]: p for p in procs}
        assert by_name["note_count"][1:5] == ("owner uuid", "bigint", "s", False)
        assert by_name["set_search"][2] == "trigger"
        # The body holding $$ and $body$ is a string, not statements: it round-trips.
        evil = rows(conn, "SELECT evil()")[0][0]
        assert evil == "x$$; DROP TABLE notes; --$body$"
        triggers = dict(
            rows(
                conn,
                """SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
                   WHERE tgrelid = 'notes'::regclass AND NOT tgisinternal""",
            )
        )
        assert set(triggers) == {t.name for t in schema.table("notes").triggers}
        assert "BEFORE INSERT OR UPDATE OF title, body ON public.notes" in triggers["notes_search"]
        assert "WHEN ((new.title IS NOT NULL))" in triggers["notes_search"]
        args = rows(conn, "SELECT tgargs FROM pg_trigger WHERE tgname = 'notes_search'")[0][0]
        assert bytes(args).split(b"\x00")[:-1] == [b"it's'); DROP TABLE notes; --"]
        assert rows(
            conn,
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'notes'::regclass",
        ) == [(True, True)]
        policies = rows(
            conn,
            """SELECT polname, polcmd, polpermissive,
                      array(SELECT rolname FROM pg_roles WHERE oid = ANY(polroles) ORDER BY 1),
                      pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)
               FROM pg_policy WHERE polrelid = 'notes'::regclass ORDER BY polname""",
        )
        assert [p[:4] for p in policies] == [
            ("no_delete", "d", False, ["pg_read_all_data"]),
            ("own_notes", "*", True, []),  # PUBLIC is oid 0, no pg_roles row
        ]
        assert policies[1][4] == "(user_id = (current_setting('app.user_id'::text, true))::uuid)"


def test_trigger_fires_and_does_what_it_says(pg_url: str) -> None:
    with apply(pg_url, _case_spec()) as conn:
        owner = uuid.uuid4()
        conn.execute(
            "INSERT INTO notes (id, user_id, title, body) VALUES (1, %s, 'Hello', 'World')",
            (owner,),
        )
        assert rows(conn, "SELECT search FROM notes") == [("hello world",)]
        conn.execute("UPDATE notes SET title = 'Bye' WHERE id = 1")  # UPDATE OF title
        assert rows(conn, "SELECT search FROM notes") == [("bye world",)]
        conn.execute("UPDATE notes SET search = 'kept' WHERE id = 1")  # not title/body
        assert rows(conn, "SELECT search FROM notes") == [("kept",)]
        assert rows(conn, "SELECT note_count(%s)", owner) == [(1,)]


RLS_SPEC = """
version: 1
tables:
  projects:
    row_level_security: {enabled: true, force: true}
    columns:
      id: {type: integer, primary_key: true}
      user_id: text
      name: text
    policies:
      own_projects:
        using: user_id = current_setting('app.user_id', true)
        with_check: user_id = current_setting('app.user_id', true)
"""


def test_policy_hides_another_users_rows(pg_url: str) -> None:
    alice, bob = (f"sg_rls_{uuid.uuid4().hex[:8]}" for _ in range(2))
    with (
        psycopg.connect(pg_url, autocommit=True) as admin,
        roles(admin, alice, bob),
        apply(pg_url, RLS_SPEC) as conn,
    ):
        for role in (alice, bob):
            conn.execute(
                sql.SQL("GRANT SELECT, INSERT ON projects TO {}").format(sql.Identifier(role))
            )
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(alice)))
        conn.execute("SET app.user_id = 'alice'")
        conn.execute("INSERT INTO projects VALUES (1, 'alice', 'a1')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # WITH CHECK
            conn.execute("INSERT INTO projects VALUES (2, 'bob', 'forged')")
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(bob)))
        conn.execute("SET app.user_id = 'bob'")
        conn.execute("INSERT INTO projects VALUES (3, 'bob', 'b1')")
        assert rows(conn, "SELECT id FROM projects ORDER BY id") == [(3,)]
        conn.execute("RESET app.user_id")  # no setting: no rows at all
        assert rows(conn, "SELECT id FROM projects") == []
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(alice)))
        conn.execute("SET app.user_id = 'alice'")
        assert rows(conn, "SELECT id, name FROM projects") == [(1, "a1")]
        conn.execute("RESET ROLE")  # the superuser bypasses RLS: both rows are there
        assert rows(conn, "SELECT id FROM projects ORDER BY id") == [(1,), (3,)]


def test_views_declared_columns_rows_models_and_refresh(pg_url: str, tmp_path: Path) -> None:
    import sqlalchemy
    from genpy import engine, generate_into, load_package

    spec = _case_spec()
    generate_into(spec, tmp_path / "objects_views")
    models, orm = load_package(tmp_path / "objects_views", "objects_views")
    schema = load_schema(spec.encode(), "schema.yaml").schema
    assert schema is not None
    with apply(pg_url, spec) as conn:
        for view in schema.views:  # declared columns = what PostgreSQL reports for the query
            got = rows(
                conn,
                """SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
                   WHERE attrelid = %s::regclass AND attnum > 0 ORDER BY attnum""",
                view.name,
            )
            assert got == [(c.name, c.type.catalog) for c in view.columns], view.name
        assert rows(conn, "SELECT matviewname FROM pg_matviews") == [("asset_counts",)]
        assert rows(conn, "SELECT viewname FROM pg_views WHERE schemaname = 'public'") == [
            ("project_totals",)
        ]
        conn.execute("INSERT INTO projects VALUES (1, 'a'), (2, 'b')")
        conn.execute("INSERT INTO assets VALUES (1, 1, 10), (2, 1, 5)")
        # Filled at creation, before the rows: empty until refreshed.
        assert rows(conn, "SELECT count(*) FROM asset_counts") == [(0,)]
        conn.execute("REFRESH MATERIALIZED VIEW asset_counts")
        conn.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY asset_counts")  # the unique index
        with engine(pg_url).connect() as sa:
            found = sa.execute(
                sqlalchemy.select(orm.project_totals).order_by(orm.project_totals.c.project_id)
            ).all()
            counts = sa.execute(sqlalchemy.select(orm.asset_counts)).all()
        totals = [models.ProjectTotals.model_validate(r._mapping) for r in found]
        assert [(t.project_id, t.asset_count, t.has_assets) for t in totals] == [
            (1, 2, True),
            (2, 0, False),
        ]
        assert {r.project_id: r.total_size for r in counts} == {1: 15, 2: None}
        with pytest.raises(Exception, match="frozen"):
            totals[0].asset_count = 3  # a view's row model is read-only
        # The views are not in Base.metadata: create_all would not touch them.
        assert "asset_counts" not in orm.Base.metadata.tables
        assert set(orm.views_metadata.tables) == {"asset_counts", "project_totals"}


def test_raw_sql_before_and_after_is_applied_where_it_says(pg_url: str) -> None:
    spec = (Path(__file__).parent / "cases" / "raw_sql" / "schema.yaml").read_text()
    with apply(pg_url, spec) as conn:
        assert rows(conn, "SELECT obj_description('public'::regnamespace, 'pg_namespace')") == [
            ("raw; with a semicolon",)
        ]
        assert rows(
            conn,
            "SELECT has_table_privilege('pg_read_all_data', 'items', 'SELECT'), "
            "has_table_privilege('public', 'items', 'SELECT')",
        ) == [(True, False)]
    schema = load_schema(spec.encode(), "schema.yaml").schema
    assert schema is not None and [t.name for t in schema.tables] == ["items"]  # never guessed


def test_repository_schema_rls_and_asset_count_view(pg_url: str) -> None:
    """This repository's schema.yaml: a user sees only their own projects, and the
    asset count view lists only theirs, rows that validate into the view's model."""
    from generated.models import ProjectAssetCounts  # type: ignore[import-not-found]

    root = Path(__file__).resolve().parent.parent
    app = _role_name()
    with (
        psycopg.connect(pg_url, autocommit=True) as conn,
        roles(conn, app),
    ):
        conn.execute((root / "generated" / "schema.sql").read_text())  # type: ignore[arg-type]
        conn.execute(
            "INSERT INTO projects (id, title, user_id) VALUES "
            "('00000000-0000-0000-0000-000000000001', 'mine', 'u1'), "
            "('00000000-0000-0000-0000-000000000002', 'theirs', 'u2')"
        )
        conn.execute(
            "INSERT INTO assets (project_id, title, file_name, file_url, file_type, mime_type, size) "
            "VALUES ('00000000-0000-0000-0000-000000000001', 'a', 'a', 'u', 't', 'm', 7)"
        )
        conn.execute(
            sql.SQL("GRANT SELECT ON projects, project_asset_counts TO {}").format(
                sql.Identifier(app)
            )
        )
        repo = load_schema((root / "schema.yaml").read_bytes(), "schema.yaml").schema
        assert repo is not None
        (view,) = repo.views  # its declared columns are what PostgreSQL reports
        assert rows(
            conn,
            "SELECT attname, format_type(atttypid, atttypmod), NOT attnotnull FROM pg_attribute "
            "WHERE attrelid = 'project_asset_counts'::regclass AND attnum > 0 ORDER BY attnum",
        ) == [(c.name, c.type.catalog, True) for c in view.columns]  # view columns: never NOT NULL
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(app)))
        conn.execute("SELECT set_config('app.user_id', 'u1', false)")
        assert rows(conn, "SELECT title FROM projects") == [("mine",)]
        found = conn.execute("SELECT * FROM project_asset_counts")
        names = [c.name for c in found.description or ()]
        counts = [
            ProjectAssetCounts.model_validate(dict(zip(names, r, strict=True))) for r in found
        ]
        assert [(c.title, c.asset_count, c.total_size) for c in counts] == [("mine", 1, 7)]
        conn.execute("SELECT set_config('app.user_id', 'u2', false)")
        assert rows(conn, "SELECT title, asset_count FROM project_asset_counts") == [("theirs", 0)]


# A policy's subqueries are type-checked as a view's query is, the policy's table
# visible in them.  Each condition: its first diagnostic (None: accepted), then
# PostgreSQL is made to agree: refused when we refuse, accepted when we accept.
POLICY_SPEC = """\
version: 1
tables:
  members:
    columns:
      id: {type: integer, primary_key: true}
      user_name: text
  items:
    columns:
      id: {type: integer, primary_key: true}
      owner: integer
    row_level_security: true
    policies:
      mine: {using: "%s"}
"""
SUBQUERY_POLICIES = [
    ("owner IN (SELECT id FROM members WHERE user_name = current_user)", None),
    ("EXISTS (SELECT 1 FROM members m WHERE m.id = owner AND m.user_name = current_user)", None),
    ("EXISTS (SELECT 1 FROM members m WHERE m.id = items.owner)", None),
    ("owner = (SELECT max(id) FROM members GROUP BY user_name HAVING count(*) > 1 LIMIT 1)", None),
    ("owner = ANY (SELECT id FROM members UNION SELECT owner)", None),
    (
        "owner IN (SELECT id FROM members WHERE EXISTS"
        " (SELECT 1 FROM items i WHERE i.owner = members.id AND i.id = owner))",
        None,
    ),
    ("EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user)", None),
    (
        "owner IN (SELECT nosuch FROM nowhere)",
        '13:51: error[query-relation]: relation "nowhere" does not exist',
    ),
    (
        "owner IN (SELECT nosuch FROM members)",
        '13:39: error[query-column]: column "nosuch" does not exist',
    ),
    (
        "EXISTS (SELECT 1 FROM members m WHERE m.id = owner AND m.nosuch = 1)",
        "13:77: error[query-column]: column m.nosuch does not exist",
    ),
    (
        "owner IN (SELECT user_name FROM members)",
        "13:28: error[expr-type]: operator does not exist: integer = text",
    ),
    (
        "owner IN (SELECT id, user_name FROM members)",
        "13:28: error[query-shape]: subquery has too many columns",
    ),
    (
        "owner = (SELECT id FROM members GROUP BY user_name LIMIT 1)",
        '13:38: error[query-group]: column "members.id" must appear in the GROUP BY clause'
        " or be used in an aggregate function",
    ),
    (
        "EXISTS (SELECT 1 FROM members WHERE user_name)",
        "13:58: error[query-type]: argument of WHERE must be type boolean, not type text",
    ),
    (
        "count(*) > 0",  # at the policy's own level: PostgreSQL refuses it there
        "13:22: error[expr-aggregate]: an aggregate is not allowed in a policy's condition",
    ),
    (
        "owner + 1",
        "13:22: error[expr-type]: a policy's condition must be a boolean expression,"
        " this one is of type integer",
    ),
    (
        "EXISTS (SELECT 1 FROM members WHERE id = 'abc')",
        "13:63: error[expr-value]: 'abc' is not a valid integer: PostgreSQL reads this"
        " literal as integer here and refuses it",
    ),
]


def _first_diagnostic(spec: str) -> str | None:
    from generator.diagnostics import format_all
    from generator.pipeline import generate

    result = generate(spec.encode(), "schema.yaml")
    if result.ok:
        return None
    lines = format_all(result.diagnostics, result.sources).splitlines()
    assert lines[1] == "  at: tables.items.policies.mine.using", lines
    return lines[0].removeprefix("schema.yaml:")


def test_policy_subqueries_are_checked_as_postgresql_checks_them(pg_url: str) -> None:
    accepted_ddl = ddl(POLICY_SPEC % "true")
    assert "USING (true)" in accepted_ddl
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for condition, expected in SUBQUERY_POLICIES:
            found = _first_diagnostic(POLICY_SPEC % condition.replace('"', '\\"'))
            if expected is None:
                assert found is None, (condition, found)
            else:
                assert found == expected, condition
            text = accepted_ddl.replace("USING (true)", f"USING ({condition})")
            try:
                with conn.transaction(force_rollback=True):
                    conn.execute(text)  # type: ignore[arg-type]  # the test's own DDL
                ok = True
            except psycopg.Error:
                ok = False
            assert ok == (expected is None), (condition, "PostgreSQL accepts" if ok else "refuses")
