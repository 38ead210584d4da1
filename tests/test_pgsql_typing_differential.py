"""Differential at scale: pgsql types expressions as PostgreSQL 15 does.

Thousands of expressions are generated over a table with a column of every
type a spec can hold (ranges, tsvector/tsquery, arrays, jsonb, an enum, a
domain...): operators, functions with right and wrong argument types, casts,
ANY over arrays and untyped array literals, IN lists, CASE, COALESCE,
GREATEST, ARRAY[...], untyped literals of every shape (intervals, ranges,
text search configurations).  For each, our verdict (analyse, plus the
literal checks the resolve pass applies) is compared with the server's
parse analysis, which is what a DDL statement gets (``CREATE TEMP VIEW v
AS SELECT expr AS x FROM w`` in a savepoint rolled back, the result type
read from pg_attribute; nothing is evaluated; a view stores an unknown
literal as text):

- never a false refusal: whatever PostgreSQL accepts, we accept;
- never a false acceptance: whatever we accept, PostgreSQL accepts;
- where we name a result type, it is pg_typeof's.

Only the typing is compared here (kind rules such as immutability are
test_pgsql_differential's).  A literal whose type's input pgsql does not
read exactly (time, tsvector, tsquery, bytea...: untyped.py judges only
what surely fails) is counted apart as left to the server, never silently.
The seed is fixed; DIFFERENTIAL_SEED varies it.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from generator.pgsql.expr import analyse
from generator.pgsql.pgtypes import display
from generator.pgsql.untyped import enum_problem, literals_at, problem

pytestmark = pytest.mark.postgres

EXPRESSIONS = 4000
SEED = int(os.environ.get("DIFFERENTIAL_SEED", "9"))
LABELS = {"mood": ("a", "b"), "color": ("red", "green")}
# column -> (spec type, SQL type)
COLUMNS = {
    "i": ("integer", "integer"),
    "b": ("bigint", "bigint"),
    "s": ("smallint", "smallint"),
    "num": ("numeric(10,2)", "numeric(10,2)"),
    "f": ("double precision", "double precision"),
    "re": ("real", "real"),
    "t": ("text", "text"),
    "v": ("varchar(20)", "varchar(20)"),
    "ch": ("char(3)", "char(3)"),
    "ci": ("citext", "citext"),
    "bo": ("boolean", "boolean"),
    "ts": ("timestamptz", "timestamptz"),
    "tl": ("timestamp", "timestamp"),
    "d": ("date", "date"),
    "tm": ("time", "time"),
    "iv": ("interval", "interval"),
    "j": ("jsonb", "jsonb"),
    "js": ("json", "json"),
    "u": ("uuid", "uuid"),
    "by": ("bytea", "bytea"),
    "ip": ("inet", "inet"),
    "cd": ("cidr", "cidr"),
    "ir": ("int4range", "int4range"),
    "br": ("int8range", "int8range"),
    "nr": ("numrange", "numrange"),
    "dr": ("daterange", "daterange"),
    "tr": ("tstzrange", "tstzrange"),
    "tv": ("tsvector", "tsvector"),
    "tq": ("tsquery", "tsquery"),
    "ta": ("text[]", "text[]"),
    "ia": ("integer[]", "integer[]"),
    "ua": ("uuid[]", "uuid[]"),
    "e": ("enum:mood", "mood"),
    "e2": ("enum:color", "color"),
    "ea": ("enum:mood[]", "mood[]"),
    "dm": ("integer", "posint"),  # a domain: pgsql sees its base type
}
SPEC = {name: spec for name, (spec, _) in COLUMNS.items()}
TABLE = (
    "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pg_trgm;"
    " CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TYPE color AS ENUM ('red', 'green');"
    " CREATE DOMAIN posint AS integer CHECK (VALUE > 0);"
    " CREATE TABLE w (" + ", ".join(f"{n} {sql}" for n, (_, sql) in COLUMNS.items()) + ")"
)
# Types whose input untyped.problem reads as PostgreSQL does (arrays of them too).
MODELLED = {"int2", "int4", "int8", "numeric", "float4", "float8", "bool", "uuid", "interval"}
MODELLED |= {"json", "jsonb", "inet", "cidr", "regconfig", "text", "varchar", "bpchar"}
MODELLED |= {"int4range", "int8range", "numrange", "daterange", "citext"}
LITERALS = [
    *("1", "2.5", "true", "NULL", "'x'", "'1'", "'2.5'", "'{1,2}'", "'{a,b}'", "'{}'"),
    *("'[1,5)'", "'(,)'", "'[5,1)'", "'empty'", "'[2020-01-01,2021-01-01)'", "'[a,b)'"),
    *("'1 day'", "'2 hours 30 minutes'", "'P1Y2M'", "'1 fortnight'", "'1 day 1 day'"),
    *("'2020-01-01'", "'today'", "'a & b'", "'cat:1 dog:2'", "'{\"a\": 1}'", "'[1, 2]'"),
    *("'english'", "'englsh'", "'10.0.0.1'", "'10.0.0.0/8'", "'a'", "'c'", "'red'", "'{a}'"),
    *("'00000000-0000-0000-0000-000000000000'", "'12:30'", "ARRAY[1, 2]", "ARRAY['a']"),
    *("interval '1 day'", "interval '3 weeks'", "interval 'soon'", "now()", "CURRENT_DATE"),
    *("int4range(1, 5)", "daterange(d, d)", "to_tsquery('a')", "'a'::text", "1::bigint"),
]
BINARY = [
    *("=", "<>", "<", ">=", "+", "-", "*", "/", "%", "||", "&&", "@>", "<@", "@@"),
    *("~~", "~", "->", "->>", "?", "-|-", "<<", ">>", "&<", "#", "^", "<->", "%>"),
]
FUNCTIONS = [
    *("lower", "upper", "length", "abs", "round", "isempty", "upper_inf", "to_tsvector"),
    *("to_tsquery", "plainto_tsquery", "setweight", "numnode", "strip", "array_length"),
    *("cardinality", "array_append", "array_cat", "array_to_string", "jsonb_typeof"),
    *("json_typeof", "jsonb_array_length", "date_trunc", "date_part", "age", "md5"),
    *("concat", "left", "substr", "replace", "split_part", "btrim", "range_merge"),
    *("tsvector_to_array", "array_position", "to_char", "make_date", "family", "host"),
    *("similarity", "word_similarity", "starts_with", "encode", "sqrt", "ceil", "trunc"),
    *("int4range", "numrange", "daterange", "ts_rank", "jsonb_build_object", "to_jsonb"),
    *("array_remove", "masklen", "abbrev", "num_nulls", "gen_random_uuid", "uuid_send"),
]
# The parser's sugar, typed as the operators and functions it becomes.
SUGAR = [
    *("({a} BETWEEN {b} AND {c})", "({a} NOT LIKE {b})", "({a} ILIKE {b})"),
    *("({a} IS DISTINCT FROM {b})", "NULLIF({a}, {b})", "(- {a})", "({a})[1]", "({a})[1:2]"),
    *("({a} AT TIME ZONE 'UTC')", "({a})::{t}[]", "({a} IS TRUE)", "({a} SIMILAR TO {b})"),
    *("({a} <> ALL({b}))", "(NOT {a})", "({a} AND {b})", "CASE {a} WHEN {b} THEN {c} END"),
    *("extract(epoch FROM {a})", "({a} ->> 'k')", "({a} #> '{{k}}')", "(@ {a})", "(~ {a})"),
]
CASTS = ["int", "text", "date", "numeric", "jsonb", "int4range", "tsvector", "uuid", "interval"]


def atom(rng: random.Random) -> str:
    return rng.choice(list(COLUMNS)) if rng.random() < 0.6 else rng.choice(LITERALS)


def expression(rng: random.Random, depth: int = 0) -> str:
    if depth > 1 or rng.random() < 0.25:
        return atom(rng)
    sub = lambda: expression(rng, depth + 1)  # noqa: E731
    shape = rng.randrange(12)
    if shape < 4:
        return f"({sub()} {rng.choice(BINARY)} {sub()})"
    if shape < 7:
        args = ", ".join(sub() for _ in range(rng.choice((0, 1, 1, 2, 2, 3))))
        return f"{rng.choice(FUNCTIONS)}({args})"
    if shape == 7:
        return f"({sub()})::{rng.choice(CASTS)}"
    if shape == 8:
        return f"({sub()} = ANY({sub()}))"
    if shape == 9:
        return f"({sub()} IN ({sub()}, {sub()}))"
    if shape == 10:
        return rng.choice(SUGAR).format(a=sub(), b=sub(), c=sub(), t=rng.choice(CASTS))
    word = rng.choice(("COALESCE", "GREATEST", "ARRAY", "CASE"))
    if word == "CASE":
        return f"CASE WHEN {sub()} IS NULL THEN {sub()} ELSE {sub()} END"
    if word == "ARRAY":
        return f"ARRAY[{sub()}, {sub()}]"
    return f"{word}({sub()}, {sub()})"


def our_verdict(sql: str) -> tuple[bool, str | None, bool]:
    """(refused, result type as PostgreSQL prints it or None, judged)."""
    extensions = ("citext", "pg_trgm")
    result = analyse(sql, SPEC, "index_expr", table="w", extensions=extensions)
    rules = {"expr-volatile", "expr-aggregate", "expr-set-returning", "expr-window"}
    errors = [
        e for e in result.errors if e.code not in rules and "must have a type" not in e.message
    ]
    if errors:
        return True, None, True
    judged = not result.unknown_functions
    for offset, typ in dict.fromkeys(result.untyped):
        for text in literals_at(sql, offset) if typ else ():
            element = (typ or "").replace("[]", "")
            if element.startswith("enum:"):
                bad = enum_problem(text, typ or "", LABELS[element[5:]])
            else:
                bad = problem(text, typ or "")
            if bad:
                return True, None, True
            judged = judged and (element in MODELLED or element.startswith("enum:"))
    shown = {"null": "text", "unknown": "text"}.get(result.type or "", display(result.type or ""))
    return False, shown if result.type else None, judged


@pytest.fixture(scope="module")
def pg(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url) as conn:
        conn.execute(TABLE)
        yield conn
        conn.rollback()


def servers_verdict(pg: psycopg.Connection[Any], sql: str) -> tuple[str | None, str]:
    """(the expression's type as parse analysis settles it, or None; the error)."""
    try:
        with pg.transaction(force_rollback=True):
            pg.execute(f"CREATE TEMP VIEW v AS SELECT {sql} AS x FROM w")
            row = pg.execute(
                "SELECT atttypid::regtype::text FROM pg_attribute"
                " WHERE attrelid = 'v'::regclass AND attname = 'x'"
            ).fetchone()
    except psycopg.Error as exc:
        return None, str(exc).split("\n")[0]
    assert row is not None
    return {"posint": "integer"}.get(row[0], row[0]), ""


def test_typing_agrees_with_postgresql(pg: psycopg.Connection[Any]) -> None:
    rng = random.Random(SEED)
    seen: Counter[str] = Counter()
    wrong: list[str] = []
    for _ in range(EXPRESSIONS):
        sql = expression(rng)
        refused, ours, judged = our_verdict(sql)
        theirs, error = servers_verdict(pg, sql)
        seen["expressions"] += 1
        if refused and theirs is not None:
            wrong.append(f"false refusal: {sql}  (PostgreSQL: {theirs})")
        elif not refused and theirs is None and judged:
            wrong.append(f"false acceptance: {sql}  (PostgreSQL: {error})")
        elif not refused and theirs is None:
            seen["left to the server (literal text not modelled)"] += 1
        elif refused:
            seen["refused by both"] += 1
        else:
            seen["accepted by both"] += 1
            if ours is not None and theirs != "?":
                seen["result types compared"] += 1
                if ours != theirs:
                    wrong.append(f"result type: {sql}  ours {ours}, PostgreSQL {theirs}")
    print("\n" + ", ".join(f"{k}: {v}" for k, v in seen.items()) + f", disagreements: {len(wrong)}")
    assert wrong == [], "\n".join(wrong[:40]) + f"\n({len(wrong)} in all)"
