"""Differential property: for random view queries, our verdict and output types are PostgreSQL's.

Queries are drawn from a small grammar over test_pgsql_query's tables: FROM
lists and joins (inner, outer, USING, subqueries, a view, a schema-qualified
table, a set-returning function), select lists of columns (some misspelt,
some of a table not in FROM), aggregates, operators, casts and scalar
subqueries, WHERE, GROUP BY (by expression or position), ORDER BY and
UNION.  Whenever we refuse, PostgreSQL must refuse (``CREATE VIEW``);
whenever we accept a query with no function we cannot vouch for and no
quoted literal read as another type, PostgreSQL must accept it, with the
same output names and every output type we claim.  Each probe runs in a
savepoint of one transaction; the counts are printed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pgsql_query import SOURCES, TABLE_SQL, view_columns

from generator.pgsql.query import analyse_query

pytestmark = pytest.mark.postgres

P = ["id", "title", "n", "budget", "code", "created_at", "user_id", "mood"]
A = ["id", "project_id", "size", "title", "day", "ok", "tags"]
FROMS: dict[str, dict[str, list[str]]] = {
    "projects p": {"p": P},
    "assets a": {"a": A},
    "projects p JOIN assets a ON a.project_id = p.id": {"p": P, "a": A},
    "projects p LEFT JOIN assets a ON a.project_id = p.id": {"p": P, "a": A},
    "projects p FULL JOIN assets a ON a.project_id = p.id": {"p": P, "a": A},
    "projects p JOIN assets a ON a.size": {"p": P, "a": A},
    "projects p JOIN assets a ON a.id = p.n": {"p": P, "a": A},
    "counts c JOIN assets a USING (project_id)": {"c": ["project_id", "n"], "a": A},
    "billing.invoices i JOIN projects p ON p.id = i.project_id": {
        "i": ["id", "total", "project_id"],
        "p": P,
    },
    "(SELECT id, n AS k, title FROM projects) p": {"p": ["id", "k", "title"]},
    "projects p, LATERAL (SELECT count(*) AS m FROM assets x WHERE x.project_id = p.id) a": {
        "p": P,
        "a": ["m"],
    },
    "assets a, unnest(a.tags) AS t(tag)": {"a": A, "t": ["tag"]},
    "(VALUES (1, 'a'), (2, 'b')) v(k, s)": {"v": ["k", "s"]},
    "projects p NATURAL JOIN assets a": {"p": P, "a": A},
    "counts c RIGHT JOIN projects p ON p.id = c.project_id": {"c": ["project_id", "n"], "p": P},
    "(projects p JOIN assets a ON a.project_id = p.id) j": {"j": ["title", "n", "size", "day"]},
}
TYPOS = ["nmae", "titel", "user", "Title"]
OPS = ["+", "-", "*", "=", "<", "||", "AND"]
CASTS = ["text", "integer", "bigint", "numeric", "varchar(10)", "date", "boolean"]
AGGS = ["count", "sum", "max", "min", "avg"]


@st.composite
def expr(draw: Any, aliases: dict[str, list[str]], depth: int = 0) -> str:
    alias = draw(st.sampled_from(sorted(aliases)))
    names = aliases[alias] + (TYPOS if draw(st.integers(0, 9)) == 0 else [])
    column = f"{alias}.{draw(st.sampled_from(names))}"
    if draw(st.integers(0, 19)) == 0:
        column = draw(st.sampled_from(["q.id", "projects.id", "title", "id"]))
    choice = draw(st.integers(0, 9 if depth < 2 else 3))
    if choice <= 2:
        return column
    if choice == 3:
        return draw(st.sampled_from(["1", "2.5", "true", "now()", "NULL"]))
    if choice == 4 and draw(st.booleans()):
        return f"{draw(st.sampled_from(AGGS))}({column})"
    if choice == 5:
        inner = draw(expr(aliases, depth + 1))
        return f"({inner})::{draw(st.sampled_from(CASTS))}"
    if choice == 6:
        return f"coalesce({column}, {draw(expr(aliases, depth + 1))})"
    if choice == 7:
        return f"(SELECT count(*) FROM assets x WHERE x.project_id = {column})"
    left, right = draw(expr(aliases, depth + 1)), draw(expr(aliases, depth + 1))
    return f"({left} {draw(st.sampled_from(OPS))} {right})"


@st.composite
def select(draw: Any) -> str:
    source = draw(st.sampled_from(sorted(FROMS)))
    aliases = FROMS[source]
    if draw(st.booleans()):  # mostly well formed: columns, grouped when aggregated
        cols = [f"{a}.{c}" for a in sorted(aliases) for c in aliases[a]]
        items = draw(st.lists(st.sampled_from(cols), min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):
            agg = draw(st.sampled_from(AGGS))
            extra = draw(st.sampled_from(cols))
            sql = f"SELECT {', '.join(items)}, {agg}({extra}) AS total FROM {source}"
            return sql + " GROUP BY " + ", ".join(draw(st.permutations(items)))
        return f"SELECT {', '.join(items)} FROM {source}"
    items = draw(st.lists(expr(aliases), min_size=1, max_size=3))
    sql = "SELECT " + ", ".join(f"{e} AS c{i}" for i, e in enumerate(items)) + f" FROM {source}"
    if draw(st.integers(0, 2)) == 0:
        sql += f" WHERE {draw(expr(aliases))}"
    if draw(st.integers(0, 2)) == 0:
        groups = draw(st.lists(st.one_of(expr(aliases), st.sampled_from(["1", "2"])), max_size=2))
        if groups:
            sql += " GROUP BY " + ", ".join(groups)
    if draw(st.integers(0, 3)) == 0:
        sql += f" ORDER BY {draw(st.sampled_from(['1', 'c0', '3']))}"
    return sql


@st.composite
def query(draw: Any) -> str:
    first = draw(select())
    if draw(st.integers(0, 4)) == 0:
        word = draw(st.sampled_from(["UNION", "UNION ALL", "EXCEPT"]))
        return f"{first.split(' ORDER BY ')[0]} {word} {draw(select()).split(' ORDER BY ')[0]}"
    return first


@pytest.fixture(scope="module")
def pg(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url) as conn:
        conn.execute(TABLE_SQL)  # type: ignore[arg-type]
        yield conn
        conn.rollback()


COUNTS: Counter[str] = Counter()


@settings(max_examples=600, deadline=None, derandomize=True, database=None)
@given(sql=query())
def test_our_verdict_and_types_are_postgresqls(pg: psycopg.Connection[Any], sql: str) -> None:
    result = analyse_query(sql, SOURCES)
    names = [c.name for c in result.columns]
    repeated = len(set(names)) != len(names)  # a plain CREATE VIEW would refuse the names
    got = view_columns(pg, sql, [f"c{i}" for i in range(len(names))] if repeated else None)
    COUNTS["queries"] += 1
    if result.errors:
        COUNTS["refused by us"] += 1
        assert isinstance(got, str), (
            f"we refuse {sql!r}: {result.errors[0].message}; PostgreSQL accepts"
        )
        return
    if result.unknown_functions or result.untyped:
        COUNTS["not judged (literal text or unknown function)"] += 1
        return
    COUNTS["accepted by us"] += 1
    assert not isinstance(got, str), f"we accept {sql!r}; PostgreSQL says: {got}"
    if not repeated:
        assert names == [name for name, _ in got], sql
    for ours, (name, theirs) in zip(result.columns, got, strict=True):
        if ours.exact is not None:
            COUNTS["output types compared"] += 1
            assert ours.exact == theirs, f"{sql!r}: {name} is {theirs}, we say {ours.exact}"


def test_print_counts(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\nview query differential: " + ", ".join(f"{k}: {v}" for k, v in COUNTS.items()))
