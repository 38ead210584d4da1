"""The views pass: a view's query type-checked, each problem at its place in the spec.

Errors inside a ``query: |`` block are put on the query's own line and
column; the declared ``columns:`` are held to the query's order, types and
nullability; every problem of every view comes in one run.  The accepted
spec is applied on PostgreSQL 15 and its views' columns read back.
"""

from __future__ import annotations

import psycopg
import pytest
from diag import spec_errors, where

from generator.pipeline import generate, load_schema

TABLES = """version: 1
tables:
  projects:
    columns:
      id: {type: integer, primary_key: true}
      title: varchar(80)
      owner: {type: text, nullable: true}
  assets:
    columns:
      id: {type: bigint, primary_key: true}
      project_id: {type: integer, references: projects.id}
      size: {type: bigint, nullable: true}
views:
"""

BAD = (
    TABLES
    + """  counts:
    query: |
      SELECT p.id AS project_id, p.titel,
             count(a.id) AS n
      FROM projects p LEFT JOIN assets a ON a.project_id = p.id
      WHERE p.id
      GROUP BY p.id
    columns:
      project_id: integer
      title: text
      n: bigint
  typed:
    query: |
      SELECT p.id, count(*) AS n, a.size, p.title
      FROM projects p LEFT JOIN assets a ON a.project_id = p.id
      GROUP BY p.id, a.size
    columns:
      id: integer
      n: {type: integer}
      size: bigint
      title: text
  swapped:
    query: "SELECT owner, id FROM projects UNION SELECT 'x', 1"
    columns:
      id: integer
      owner: {type: text, nullable: true}
  grouped:
    query: |
      SELECT a.project_id, a.size FROM assets a GROUP BY a.project_id
    columns:
      project_id: integer
      size: {type: bigint, nullable: true}
  mismatch:
    query: "SELECT id FROM projects UNION SELECT title FROM projects"
    columns:
      id: integer
"""
)


def test_every_problem_of_every_view_at_its_place() -> None:
    found = [(*where(d), d.message) for d in spec_errors(BAD)]
    assert found == [
        (
            "query-column",
            16,
            34,
            "views.counts.query",
            "column p.titel does not exist",
        ),
        (
            "query-type",
            19,
            13,
            "views.counts.query",
            "argument of WHERE must be type boolean, not type integer",
        ),
        (
            "view-column-type",
            32,
            17,
            "views.typed.columns.n.type",
            'column "n" is declared integer, but the query returns bigint',
        ),
        (
            "view-nullable",
            33,
            7,
            "views.typed.columns.size",
            'column "size" can be NULL (it reads a nullable column, or the nullable side of an'
            " outer join), but 'columns' declares it NOT NULL",
        ),
        (
            "view-column-type",
            34,
            14,
            "views.typed.columns.title.type",
            'column "title" is declared text, but the query returns character varying(80)',
        ),
        (
            "view-columns",
            38,
            7,
            "views.swapped.columns.id",
            "the query returns \"owner\" as column 1; 'columns' declares it as column 2",
        ),
        (
            "view-columns",
            39,
            7,
            "views.swapped.columns.owner",
            "the query returns \"id\" as column 2; 'columns' declares it as column 1",
        ),
        (
            "query-group",
            42,
            28,
            "views.grouped.query",
            'column "a.size" must appear in the GROUP BY clause or be used in an aggregate'
            " function",
        ),
        (
            "query-type",
            47,
            50,
            "views.mismatch.query",
            "UNION types integer and character varying cannot be matched",
        ),
    ]


def test_hints_name_the_fix() -> None:
    hints = {d.message: d.hint for d in spec_errors(BAD)}
    assert hints["column p.titel does not exist"] == 'did you mean "p.title"?'
    assert hints['column "n" is declared integer, but the query returns bigint'] == (
        "declare it as bigint, or cast it in the query: ...::integer AS n"
    )


GOOD = (
    TABLES
    + """  project_sizes:
    key: [project_id]
    query: |
      SELECT p.id AS project_id, p.title, count(a.id) AS n,
             coalesce(sum(a.size), 0) AS total, max(a.size) AS biggest
      FROM projects p LEFT JOIN assets a ON a.project_id = p.id
      GROUP BY p.id
    columns:
      project_id: integer
      title: varchar(80)
      n: bigint
      total: numeric
      biggest: {type: bigint, nullable: true}
  big_projects:
    materialized: true
    query: |
      SELECT s.project_id AS id, s.title FROM project_sizes s
      WHERE s.total > 100 AND EXISTS (SELECT 1 FROM assets a WHERE a.project_id = s.project_id)
      UNION SELECT id, title FROM projects WHERE owner IS NULL
    columns:
      id: integer
      title: varchar(80)
  counted:
    query: SELECT count(*) AS n FROM public.assets
    columns:
      n: bigint
  owned:  # the WHERE keeps NULL out: not held to be nullable
    query: |
      SELECT p.owner, a.size FROM projects p LEFT JOIN assets a ON a.project_id = p.id
      WHERE p.owner IS NOT NULL AND a.size > 0
    columns:
      owner: text
      size: bigint
"""
)


def test_a_valid_spec_is_accepted() -> None:
    assert spec_errors(GOOD) == []


@pytest.mark.postgres
def test_accepted_views_apply_with_the_declared_columns(pg_url: str) -> None:
    result = generate(GOOD.encode(), "schema.yaml")
    assert result.ok, result.diagnostics
    schema = load_schema(GOOD.encode(), "schema.yaml").schema
    assert schema is not None
    with psycopg.connect(pg_url) as conn:
        conn.execute(result.files["schema.sql"].encode())
        for view in schema.views:
            got = conn.execute(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 ORDER BY attnum",
                (view.name,),
            ).fetchall()
            assert got == [(c.name, c.type.catalog) for c in view.columns], view.name


def test_star_literals_and_keywords() -> None:
    spec = (
        TABLES
        + """  everything:
    query: SELECT * FROM projects
    columns:
      id: integer
  aliased:
    query: "SELECT p.*, 1 AS one FROM projects p"
    columns:
      id: integer
      title: varchar(80)
      owner: {type: text, nullable: true}
      one: integer
  literal_text:
    query: |
      SELECT id FROM projects
      WHERE id = 'x' AND owner = 'y'
    columns:
      id: integer
  keyword:
    query: |
      SELECT id, user AS owner FROM projects
    columns:
      id: integer
      owner: text
"""
    )
    tables = spec.replace(
        "      owner: {type: text, nullable: true}\n  assets:",
        "      owner: {type: text, nullable: true}\n      user: {type: text, nullable: true}\n  assets:",
    )
    found = [(*where(d), d.message, d.hint) for d in spec_errors(tables)]
    assert found == [
        (
            "view-columns",
            17,
            5,
            "views.everything.columns",
            "the query returns 4 columns; 'columns' declares 1",
            "declare each column the query returns, in order: id, title, owner, user",
        ),
        (
            "view-columns",
            21,
            5,
            "views.aliased.columns",
            "the query returns 5 columns; 'columns' declares 4",
            "declare each column the query returns, in order: id, title, owner, user, one",
        ),
        (
            "expr-value",
            29,
            18,  # the literal itself, as for a table's expressions
            "views.literal_text.query",
            "'x' is not a valid integer: PostgreSQL reads this literal as integer here and"
            " refuses it",
            "write a integer value, or cast the literal to the type you mean",
        ),
        (
            "expr-keyword",
            34,
            18,
            "views.keyword.query",
            'user here is the SQL function USER (CURRENT_USER), not the column "user"',
            'quote the column name: "user"',
        ),
    ]
