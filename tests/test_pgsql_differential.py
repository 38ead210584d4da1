"""Differential property: for random expressions, our verdict is PostgreSQL's.

Expressions are drawn from a small grammar over the columns of
test_pgsql_expr's table (typed atoms, casts, functions from our table,
operators, AND/OR/NOT, CASE, COALESCE) for every kind.  Whenever we refuse,
PostgreSQL must refuse; whenever we accept, know every function used and no
string literal is read as another type (its text is the server's to judge),
PostgreSQL must accept.  Each probe runs in a savepoint of one transaction.
NULL as an operand is left out of the grammar: PostgreSQL folds ``x = NULL``
to a constant before it judges volatility, and no spec means that.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pgsql_expr import COLUMNS, GENERATED, TABLE_SQL, _applies, _ddl

from generator.pgsql.expr import analyse

pytestmark = pytest.mark.postgres

ATOMS = [
    "n",
    "id",
    "amount",
    "name",
    "created_at",
    "at_local",
    "day",
    "doc",
    "tags",
    "status",
    '"order"',
    '"Price"',
    "1",
    "2.5",
    "'x'",
    "'2020-01-01'",
    "true",
    "now()",
    "CURRENT_DATE",
    "interval '1 day'",
    "random()",
    "gen_random_uuid()",
    "length(name)",
    "lower(name)",
    "abs(n)",
    "count(n)",
    "doc ->> 'a'",
    "cardinality(tags)",
    *("date_trunc('day', created_at)", "date_trunc('day', at_local)", "to_char(day, 'YYYY')"),
    *("age(created_at)", "greatest(n, 1)", "nullif(n, 0)", "n IN (1, 2)", "name LIKE 'a%'"),
    *("n BETWEEN 1 AND 2", "status = 'a'", "tags && ARRAY['a']", "doc @> '{}'", "md5(name)"),
    *("round(amount, 1)", "clock_timestamp()", "concat(name, n)", "CURRENT_USER"),
    *("(created_at AT TIME ZONE 'UTC')", "LOCALTIMESTAMP", "jsonb_typeof(doc)"),
]
CASTS = ["int", "text", "date", "timestamptz", "timestamp", "numeric", "boolean", "jsonb"]
BINARY = ["=", "<>", "<", ">=", "+", "-", "*", "||", "AND", "OR"]


# COALESCE's first argument and CASE's condition read a column: PostgreSQL folds
# coalesce(1, random()) and CASE WHEN true ... to a constant before it judges
# volatility, which a spec has no reason to write.
COLUMN_ATOMS = [a for a in ATOMS[:12] if a[0] not in "'0123456789"]


def expressions() -> st.SearchStrategy[str]:
    atom = st.sampled_from(ATOMS)
    column = st.sampled_from(COLUMN_ATOMS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(BINARY), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(inner, st.sampled_from(CASTS)).map(lambda t: f"({t[0]})::{t[1]}"),
            inner.map(lambda e: f"NOT {e}"),
            inner.map(lambda e: f"{e} IS NULL"),
            st.tuples(column, inner).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
            st.tuples(column, inner, inner).map(
                lambda t: f"CASE WHEN {t[0]} IS NULL THEN {t[1]} ELSE {t[2]} END"
            ),
        )

    return st.recursive(atom, extend, max_leaves=4)


@pytest.fixture(scope="module")
def pg(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url) as conn:
        conn.execute(TABLE_SQL)
        yield conn
        conn.rollback()


COUNTS = {"agree": 0, "unknown": 0}


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(
    sql=expressions(),
    kind=st.sampled_from(["check", "default", "generated", "index_where", "index_expr"]),
    target=st.sampled_from(["integer", "text", "timestamptz", "date", "boolean", "numeric"]),
)
def test_our_verdict_is_postgresqls(
    pg: psycopg.Connection[Any], sql: str, kind: str, target: str
) -> None:
    result = analyse(sql, COLUMNS, kind, target=target, table="t", generated=GENERATED)  # type: ignore[arg-type]
    own = {"expr-too-deep", "expr-too-long"}
    if any(e.code in own for e in result.errors):
        return
    refused = _applies(pg, _ddl(sql, kind, target))
    if result.errors:
        assert refused, (
            f"we refuse {sql!r} ({kind}, {target}): {result.errors[0].message}; PostgreSQL accepts"
        )
    elif not result.unknown_functions and not result.untyped:
        assert not refused, f"we accept {sql!r} ({kind}, {target}); PostgreSQL: {refused}"
