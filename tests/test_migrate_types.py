"""The differ on the issue-12 model without a database: domains, serial columns,
exclusion constraints, index expressions/opclasses/NULLS NOT DISTINCT (the SQL runs
on PostgreSQL in test_migrate_property.py and the golden tests/migrate_cases)."""

from __future__ import annotations

import psycopg
import pytest
from migdb import catalog, ddl, differences, plan, psql, reset

from generator.migrate import ops_types
from generator.migrate.matching import DiffError

BASE = """\
version: 1
domains:
  year: {type: integer, checks: ["VALUE >= 1901"]}
  spare: {type: text}
tables:
  films:
    columns:
      id: {type: integer, primary_key: true}
      year: {type: year, nullable: true}
      title: {type: text, nullable: true}
      no: serial
    exclude:
      - {using: btree, elements: [{column: id, with: "="}]}
    indexes:
      - {columns: [{expression: "lower(title)"}]}
      - {columns: [{column: title, opclass: text_pattern_ops}]}
      - {columns: [title], unique: true}
"""


def edit(old: str, new: str, text: str = BASE) -> bytes:
    assert old in text, old
    return text.replace(old, new).encode()


def test_unchanged_is_empty() -> None:
    assert plan(BASE.encode(), BASE.encode()).empty


def test_base_type_of_a_used_domain_is_refused_at_the_domain() -> None:
    b = edit("year: {type: integer, checks", "year: {type: bigint, checks")
    with pytest.raises(DiffError) as err:
        plan(BASE.encode(), b)
    (diag,) = err.value.diagnostics
    assert diag.code == "domain-type-change"
    assert diag.path == "domains.year"
    assert diag.span is not None and diag.span.line == 3
    assert "films.year" in diag.message and "new domain" in diag.hint


def test_base_type_of_an_unused_domain_drops_and_creates_it() -> None:
    migration = plan(BASE.encode(), edit("spare: {type: text}", "spare: {type: varchar(9)}"))
    assert [type(op) for op in migration.ops] == [ops_types.RecreateDomain]
    assert 'DROP DOMAIN "spare";\nCREATE DOMAIN "spare" AS varchar(9);' in migration.up_sql
    assert 'CREATE DOMAIN "spare" AS text;' in migration.down_sql


def test_domain_check_default_and_not_null_are_altered() -> None:
    b = edit(
        'year: {type: integer, checks: ["VALUE >= 1901"]}',
        'year: {type: integer, checks: ["VALUE >= 1900"], default: 2000}',
    )
    b = b.replace(b"spare: {type: text}", b"spare: {type: text, nullable: false}")
    up = plan(BASE.encode(), b).up_sql
    assert 'ALTER DOMAIN "year" DROP CONSTRAINT "year_check";' in up
    assert 'ALTER DOMAIN "year" ADD CONSTRAINT "year_check" CHECK (VALUE >= 1900);' in up
    assert 'ALTER DOMAIN "year" SET DEFAULT 2000;' in up
    assert 'ALTER DOMAIN "spare" SET NOT NULL;' in up
    assert up.index("DROP CONSTRAINT") < up.index("ADD CONSTRAINT")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('{expression: "lower(title)"}', '{expression: "upper(title)"}'),
        ("opclass: text_pattern_ops", "opclass: varchar_pattern_ops"),
        ("[title], unique: true}", "[title], unique: true, nulls_not_distinct: true}"),
    ],
)
def test_index_expression_opclass_and_nulls_not_distinct_rebuild_the_index(
    old: str, new: str
) -> None:
    migration = plan(BASE.encode(), edit(old, new))
    kinds = [type(op).__name__ for op in migration.ops]
    assert kinds == ["DropIndex", "CreateIndex"], kinds


def test_renamed_table_keeps_its_exclusion_and_sequence() -> None:
    b = edit("  films:\n", "  movies:\n    renamed_from: films\n")
    migration = plan(BASE.encode(), b)
    up = migration.up_sql
    assert "EXCLUDE" not in up and "CREATE SEQUENCE" not in up and "CREATE INDEX" not in up
    assert 'RENAME CONSTRAINT "films_id_excl" TO "movies_id_excl"' in up
    assert "'movies_no_seq'" in up  # the sequence a fresh build of B would have
    assert "nextval" not in up  # the default follows the sequence: nothing to set


def test_exclusion_added_and_dropped_with_safety_code() -> None:
    b = edit('elements: [{column: id, with: "="}]', 'elements: [{column: id, with: "<>"}]')
    migration = plan(BASE.encode(), b)
    kinds = [type(op).__name__ for op in migration.ops]
    assert kinds == ["DropExclusion", "AddExclusion"], kinds
    assert migration.steps[1].codes == ("MF207", "LK302")
    assert 'EXCLUDE USING btree ("id" WITH <>)' in migration.up_sql


def test_serial_column_back_to_integer_and_again() -> None:
    b = edit("no: serial", "no: integer")
    there = plan(BASE.encode(), b)
    assert 'ALTER SEQUENCE "films_no_seq" OWNED BY NONE;' in there.up_sql
    assert there.up_sql.index("DROP DEFAULT") < there.up_sql.index('DROP SEQUENCE "films_no_seq"')
    back = plan(b, BASE.encode())
    assert back.up_sql.index("CREATE SEQUENCE") < back.up_sql.index("SET DEFAULT nextval")
    assert "PERFORM setval" in back.up_sql  # existing values are not handed out again


RANGES_A = """\
version: 1
tables:
  t:
    columns:
      id: {type: integer, primary_key: true}
      r: {type: int4range, nullable: true}
      c: {type: text, nullable: true}
      v: {type: text, nullable: true}
"""
RANGES_B = (
    RANGES_A.replace("type: int4range", "type: int8range")
    .replace("c: {type: text", 'c: {type: "char(5)"')
    .replace("v: {type: text", "v: {type: tsvector")
)


@pytest.mark.postgres
def test_range_char_and_tsvector_type_changes_run_both_ways(pg_url: str) -> None:
    """No cast joins two range types: the differ converts through text."""
    a, b = RANGES_A.encode(), RANGES_B.encode()
    there, back = plan(a, b), plan(b, a)
    assert '"r"::text::int8range' in there.up_sql
    with psycopg.connect(pg_url, autocommit=True) as conn:
        psql(pg_url, ddl(b))
        want_b = catalog(conn)
        reset(conn)
        psql(pg_url, ddl(a))
        want_a = catalog(conn)
        psql(pg_url, "INSERT INTO t VALUES (1, '[1,5)', 'abc', 'a fat cat');")
        psql(pg_url, there.up_sql)
        assert differences(catalog(conn), want_b) == []
        row = conn.execute("SELECT r::text, c, v::text FROM t").fetchone()
        assert row == ("[1,5)", "abc  ", "'a' 'cat' 'fat'")
        psql(pg_url, back.up_sql)
        assert differences(catalog(conn), want_a) == []
