"""Issue 9's gate: every spec ``schemagen validate`` accepts applies on PostgreSQL.

Mutants of valid specs (the repository's schema.yaml, its examples, and random
specs with expressions and indexes) get one edit each of the kinds a user
makes: an expression from a pool of plausible ones (wrong types, reserved
words, capitals, volatile functions, aggregates, subqueries), another column
type, an index with another method or predicate, a hostile column or table
name, a generated column, a referential action, a view (a query over the
mutated table, from a pool of plausible ones, with right or wrong declared
columns).  Each mutant is validated;
each accepted one is applied on PostgreSQL on one connection, in a
transaction rolled back.  "Accepted but PostgreSQL refuses" must be zero,
with no exception: every refusal fails it.  Functions and operators of every
type, ranges and text search included, are resolved from PostgreSQL's catalog
(pgsql/catalog.py), and view queries are type-checked (pgsql/query.py), so
there is no known gap left to count apart.  MUTANT_SEED varies the draw (one
fixed seed by default).  The counts are printed (``pytest
tests/test_accepted_applies.py -s`` or in any run).
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from hypothesis import given, seed, settings
from hypothesis import strategies as st
from test_properties import FIXED, dump, spec

from generator.pipeline import generate, load_schema

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = 500
SEED = int(os.environ.get("MUTANT_SEED", "0"))
SOURCES = [ROOT / "schema.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]

EXPRESSIONS = [
    "{c} >= 0",
    "{c} > 0 AND {c} < 100",
    "{c} + 1",
    "count({c}) < 10",
    "{c} > now()",
    "{c} <> ''",
    "length({c}) > 0",
    "lower({c}) = {c}",
    "{c} IS NOT NULL",
    "{c} = ANY('{{1,2}}')",
    "(SELECT 1) = 1",
    "random() > 0.5",
    "now() > '2000-01-01'",
    "Price > 0",
    "order >= 0",
    "user <> ''",
    "{c}::text <> ''",
    "{c} BETWEEN 1 AND 10",
    "{c} ~ '^a'",
    "{c} @> '{{}}'",
    "jsonb_typeof({c}) = 'object'",
    "{c} < CURRENT_DATE",
    "coalesce({c}, 0) > 0",
    "{c} && int4range(1, 10)",
    "{c} @> 5",
    "{c} @> '[1,3)'",
    "{c} = '[5,1)'",
    "to_tsvector('english', {c}) @@ to_tsquery('a')",
    "{c} @@ 'cat & dog'",
    "{c} @? '$.a ? (@ > 1)'",
    "{c} @@ '$.a == 1'",
    "{c} @@ 'a <-> b:*'",
    "{c} @@ '1.a'",
    "length({c}) > 0 AND lower({c}) <> ''",
    "upper({c}) > 0",
    "{c} = ANY('{{1,2}}')",
    "{c} = ANY('{{00000000-0000-0000-0000-000000000000}}')",
    "{c} > interval '1 fortnight'",
    "{c} < interval '2 days 3 hours'",
    "{c} + interval '1 day 1 day' > now()",
    "abs({c}) > 1",
    "round({c}, 2) > 1",
    "date_trunc('day', {c}) IS NOT NULL",
    "jsonb_array_length({c}) > 0",
    "array_length({c}, 1) > 1",
    "{c} ->> 'a' = 'b'",
    "isempty({c})",
    "md5({c}) <> ''",
]
DEFAULTS = [
    "now()",
    "1 + 2",
    "gen_random_uuid()",
    "'x'",
    "lower('A')",
    "CURRENT_DATE",
    "1 < 2",
    "{c}",
    "true",
    "'{{}}'",
    "random()",
    "(1)",
    "-1",
    "'2024-01-01'",
    "now() + interval '1 day'",
    "interval '1 fortnight'",
    "'[1,5)'",
    "'P1D'",
    "to_tsvector('englsh', 'a')",
    "int4range(1, 5)",
    "'cat & dog'",
]
TYPES = ["integer", "bigint", "text", "varchar(10)", "boolean", "numeric(10,2)", "jsonb", "json"]
TYPES += ["timestamptz", "date", "uuid", "text[]", "integer[]", "inet", "real", "bytea"]
TYPES += ["int4range", "daterange", "tstzrange", "tsvector", "tsquery", "interval", "uuid[]"]
METHODS = ["btree", "hash", "gin", "gist", "brin", "spgist"]
# View queries a user writes over the mutated table {t} (column {c}, another column
# {d}) and another table {o} (column {oc}): each with its output columns, typed as
# the column they read ("{c}") or a type; the declared types are then drawn from
# the right one and plausible wrong ones (a view query is type-checked, issue 9).
VIEWS: list[tuple[str, list[tuple[str, str]]]] = [
    ("SELECT {c} FROM {t}", [("{c}", "{c}")]),
    ("SELECT {c}, {d} FROM {t} WHERE {c} IS NOT NULL", [("{c}", "{c}"), ("{d}", "{d}")]),
    ("SELECT {c}, count(*) AS n FROM {t} GROUP BY {c}", [("{c}", "{c}"), ("n", "bigint")]),
    ("SELECT {c}, {d} FROM {t} GROUP BY {c}", [("{c}", "{c}"), ("{d}", "{d}")]),
    ("SELECT {c} FROM {t} WHERE {d}", [("{c}", "{c}")]),
    ("SELECT {c} FROM {t} WHERE {c} > 0", [("{c}", "{c}")]),
    ("SELECT {c} FROM {t} WHERE {c} = 'x'", [("{c}", "{c}")]),
    ("SELECT x.{c} FROM {t} x JOIN {o} y ON y.{oc} = x.{c}", [("{c}", "{c}")]),
    ("SELECT x.{c}, y.{oc} FROM {t} x LEFT JOIN {o} y ON true", [("{c}", "{c}"), ("{oc}", "{oc}")]),
    ("SELECT {c} FROM {t} UNION SELECT {oc} FROM {o}", [("{c}", "{c}")]),
    ("SELECT {c}, {d} FROM {t} UNION SELECT {c} FROM {t}", [("{c}", "{c}"), ("{d}", "{d}")]),
    ("SELECT {tq}.{c} FROM {t} x", [("{c}", "{c}")]),
    ("SELECT {c} FROM {t} WHERE {c} IN (SELECT {oc} FROM {o})", [("{c}", "{c}")]),
    ("SELECT max({c}) AS m FROM {t}", [("m", "{c}")]),
    ("SELECT sum({c}) AS s FROM {t}", [("s", "numeric")]),
    ("SELECT {c} || 'x' AS s FROM {t}", [("s", "text")]),
    ("SELECT {c} + 1 AS s FROM {t}", [("s", "{c}")]),
    ("SELECT coalesce({c}, {d}) AS s FROM {t}", [("s", "{c}")]),
    ("SELECT (SELECT {oc} FROM {o} LIMIT 1) AS s FROM {t}", [("s", "{oc}")]),
    ("SELECT DISTINCT {c} FROM {t} ORDER BY {d}", [("{c}", "{c}")]),
    (
        "SELECT {c}, row_number() OVER (ORDER BY {d}) AS r FROM {t}",
        [("{c}", "{c}"), ("r", "bigint")],
    ),
    ("SELECT {c} AS a, {d} AS a2 FROM {t} ORDER BY 3", [("a", "{c}"), ("a2", "{d}")]),
    ("SELECT nmae FROM {t}", [("nmae", "text")]),
]
NAMES = ["xmin", "ctid", "Price", "order", "user", "tableoid", "value", "id_seq", "pg_class"]


def source(draw: Any) -> dict[str, Any]:
    if draw(st.booleans()):
        data: dict[str, Any] = draw(spec(extras=True))
        return data
    loaded = yaml.safe_load(draw(st.sampled_from(SOURCES)).read_text())
    assert isinstance(loaded, dict)
    return loaded


def quote(name: str, draw: Any) -> str:
    return draw(st.sampled_from([name, f'"{name}"']))


@st.composite
def mutant(draw: Any) -> bytes:
    data = copy.deepcopy(source(draw))
    tables = data.get("tables") or {}
    tname = draw(st.sampled_from(sorted(tables)))
    table = tables[tname]
    cols = table.setdefault("columns", {})
    plain = sorted(n for n, c in cols.items() if isinstance(c, dict) and not n.startswith("..."))
    if not plain:
        return dump(data)
    cname = draw(st.sampled_from(plain))
    col = cols[cname]
    c = quote(cname, draw)
    ops = ["check", "default", "type", "index", "name", "generated", "table", "view", "view"]
    op = draw(st.sampled_from(ops))
    if op == "check":
        col["check"] = draw(st.sampled_from(EXPRESSIONS)).format(c=c)
    elif op == "default":
        col.pop("identity", None)
        col["default"] = {"sql": draw(st.sampled_from(DEFAULTS)).format(c=c)}
    elif op == "type":
        col["type"] = draw(st.sampled_from(TYPES))
        col.pop("default", None)
    elif op == "index":
        index: dict[str, Any] = {"columns": [cname], "using": draw(st.sampled_from(METHODS))}
        if draw(st.booleans()):
            index["where"] = draw(st.sampled_from(EXPRESSIONS)).format(c=c)
        table.setdefault("indexes", []).append(index)
    elif op == "name":
        new = draw(st.sampled_from(NAMES))
        if new.lower() not in map(str.lower, cols):
            cols[new] = cols.pop(cname)
    elif op == "generated":
        gen = {"type": draw(st.sampled_from(TYPES)), "nullable": True}
        gen["generated"] = {"sql": draw(st.sampled_from(EXPRESSIONS + DEFAULTS)).format(c=c)}
        cols[f"{cname}_g"] = gen
    elif op == "view":
        view_mutant(draw, data, tname, cname)
    else:
        new = draw(st.sampled_from(NAMES))
        if new not in tables:
            tables[new] = tables.pop(tname)
    return dump(data)


# Edits of an existing view's query (schema.yaml's and the examples'): the first
# occurrence is replaced when the query has it.
QUERY_EDITS = [
    ("LEFT JOIN", "JOIN"),
    ("LEFT JOIN", "FULL JOIN"),
    ("count(", "sum("),
    ("count(", "max("),
    ("sum(", "avg("),
    ("coalesce(", "nullif("),
    (" = ", " < "),
    (" = ", " || "),
    ("GROUP BY p.id, p.title", "GROUP BY p.title"),
    ("GROUP BY p.id, p.title", "GROUP BY p.id"),
    ("p.id", "a.id"),
    ("p.title", "a.title"),
    ("WHERE ", "WHERE NOT "),
    ("WHERE ", "WHERE 1 + "),
    (", 0)", ", '')"),
    (" AS ", " AS x_"),
    ("SELECT ", "SELECT DISTINCT "),
    ("FROM ", "FROM public."),
]


def _ident(name: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in name.split("."))


def view_mutant(draw: Any, data: dict[str, Any], tname: str, cname: str) -> None:
    """A view over the mutated table, or another declared type for an existing view."""
    views = data.setdefault("views", {})
    if views and draw(st.integers(0, 2)) == 0:  # edit an existing view's query
        view = views[draw(st.sampled_from(sorted(views)))]
        old, new = draw(st.sampled_from(QUERY_EDITS))
        if isinstance(view.get("query"), str) and old in view["query"]:
            view["query"] = view["query"].replace(old, new, 1)
            return
    if views and draw(st.integers(0, 3)) == 0:
        view = views[draw(st.sampled_from(sorted(views)))]
        columns = view.get("columns") or {}
        if columns:
            name = draw(st.sampled_from(sorted(columns)))
            columns[name] = {"type": draw(st.sampled_from(TYPES)), "nullable": True}
        return
    tables = data["tables"]
    other = draw(st.sampled_from(sorted(tables)))

    def plain(table: str) -> list[str]:
        cols = tables[table].get("columns") or {}
        return sorted(n for n, c in cols.items() if isinstance(c, dict) and "type" in c)

    ours, theirs = plain(tname), plain(other)
    if not theirs:
        return
    others = [n for n in ours if n != cname] or ours  # {d}: another column when there is one
    d, oc = draw(st.sampled_from(others)), draw(st.sampled_from(theirs))
    query, outputs = draw(st.sampled_from(VIEWS))
    names = {"{c}": cname, "{d}": d, "{oc}": oc}
    types = {
        "{c}": tables[tname]["columns"][cname]["type"],
        "{d}": tables[tname]["columns"][d]["type"],
    }
    types["{oc}"] = tables[other]["columns"][oc]["type"]
    sql = query.format(
        t=_ident(tname),
        o=_ident(other),
        c=_ident(cname),
        d=_ident(d),
        oc=_ident(oc),
        tq=_ident(tname.split(".")[-1]),
    )
    declared: dict[str, Any] = {}
    for name, typ in outputs:
        right = types.get(typ, typ)
        spelled = draw(st.sampled_from([right, right, right, *TYPES[:4]]))
        nullable = draw(st.sampled_from([True, True, False]))
        declared[names.get(name, name)] = {"type": spelled, "nullable": nullable}
    views["mutated_view"] = {"query": sql, "columns": declared}


@pytest.fixture(scope="module")
def pg_db(pg_server: str) -> Iterator[tuple[str, psycopg.Connection[Any]]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as conn:
        yield url, conn


@pytest.mark.postgres
def test_every_accepted_mutant_applies_on_postgresql(
    pg_db: tuple[str, psycopg.Connection[Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    _, pg_conn = pg_db
    seen: Counter[str] = Counter()
    refused_by_postgres: list[str] = []

    @settings(FIXED, max_examples=MUTANTS, derandomize=not SEED)
    @seed(SEED)
    @given(raw=mutant())
    def prop(raw: bytes) -> None:
        seen["mutants"] += 1
        view = b"mutated_view" in raw
        seen["view mutants"] += view
        if load_schema(raw, "schema.yaml").diagnostics:
            seen["refused"] += 1
            return
        seen["accepted"] += 1
        seen["view mutants accepted"] += view
        result = generate(raw, "schema.yaml")
        assert result.ok, result.diagnostics
        try:
            with pg_conn.transaction(force_rollback=True):
                pg_conn.execute(result.files["schema.sql"].encode())
            seen["applied"] += 1
        except psycopg.Error as exc:
            refused_by_postgres.append(f"{exc}\n{raw.decode()}")

    prop()
    with capsys.disabled():
        print(
            f"\nmutants: {seen['mutants']}, refused by validate: {seen['refused']},"
            f" accepted: {seen['accepted']}, applied on PostgreSQL: {seen['applied']},"
            f" accepted but PostgreSQL refuses: {len(refused_by_postgres)}"
            f" (view mutants: {seen['view mutants']},"
            f" accepted: {seen['view mutants accepted']})"
        )
    assert refused_by_postgres == [], "\n\n".join(r.split("\n")[0] for r in refused_by_postgres)
    assert seen["accepted"] == seen["applied"] > 0
