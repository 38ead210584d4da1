"""Issue 9's gate: every spec ``schemagen validate`` accepts applies on PostgreSQL.

Mutants of valid specs (the repository's schema.yaml, its examples, and random
specs with expressions and indexes) get one edit each of the kinds a user
makes: an expression from a pool of plausible ones (wrong types, reserved
words, capitals, volatile functions, aggregates, subqueries), another column
type, an index with another method or predicate, a hostile column or table
name, a generated column, a referential action.  Each mutant is validated;
each accepted one is applied on PostgreSQL on one connection, in a
transaction rolled back.  "Accepted but PostgreSQL refuses" must be zero, but
for one known gap of the static checks (README, "Not yet"), classified from
PostgreSQL's own answer (``validate --db`` maps it back to the spec) and
counted apart, never silently: a view's query is parsed but not type-checked.
Functions and operators of every type, ranges and text search included, are
resolved from PostgreSQL's catalog (pgsql/catalog.py), so a refusal of theirs
fails this test.  MUTANT_SEED varies the draw (one fixed seed by default).
The counts are printed (``pytest tests/test_accepted_applies.py -s`` or in any run).
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
    op = draw(st.sampled_from(["check", "default", "type", "index", "name", "generated", "table"]))
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
    else:
        new = draw(st.sampled_from(NAMES))
        if new not in tables:
            tables[new] = tables.pop(tname)
    return dump(data)


@pytest.fixture(scope="module")
def pg_db(pg_server: str) -> Iterator[tuple[str, psycopg.Connection[Any]]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as conn:
        yield url, conn


def known_gap(url: str, raw: bytes) -> str | None:
    """Which known gap explains PostgreSQL's refusal of an accepted spec, if one does:
    every statement PostgreSQL refuses must come from a view."""
    from generator.diagnostics import Diagnostics
    from generator.pgsql.validate_db import check_on_server
    from generator.render import render_ddl
    from generator.source import load_yaml

    schema = load_schema(raw, "schema.yaml").schema
    assert schema is not None
    doc = load_yaml(raw, "schema.yaml", Diagnostics())
    found = check_on_server(url, schema, render_ddl(schema), doc)
    if not found or any(not diag.path.startswith("views") for diag in found):
        return None
    return "view query"


@pytest.mark.postgres
def test_every_accepted_mutant_applies_on_postgresql(
    pg_db: tuple[str, psycopg.Connection[Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, pg_conn = pg_db
    seen: Counter[str] = Counter()
    refused_by_postgres: list[str] = []

    @settings(FIXED, max_examples=MUTANTS, derandomize=not SEED)
    @seed(SEED)
    @given(raw=mutant())
    def prop(raw: bytes) -> None:
        seen["mutants"] += 1
        if load_schema(raw, "schema.yaml").diagnostics:
            seen["refused"] += 1
            return
        seen["accepted"] += 1
        result = generate(raw, "schema.yaml")
        assert result.ok, result.diagnostics
        try:
            with pg_conn.transaction(force_rollback=True):
                pg_conn.execute(result.files["schema.sql"].encode())
            seen["applied"] += 1
        except psycopg.Error as exc:
            gap = known_gap(url, raw)
            if gap is None:
                refused_by_postgres.append(f"{exc}\n{raw.decode()}")
            else:
                seen[f"known gap: {gap}"] += 1

    prop()
    with capsys.disabled():
        print(
            f"\nmutants: {seen['mutants']}, refused by validate: {seen['refused']},"
            f" accepted: {seen['accepted']}, applied on PostgreSQL: {seen['applied']},"
            f" accepted but PostgreSQL refuses: {len(refused_by_postgres)}"
            + "".join(f", {k}: {v}" for k, v in sorted(seen.items()) if k.startswith("known"))
        )
    assert refused_by_postgres == [], "\n\n".join(r.split("\n")[0] for r in refused_by_postgres)
    gaps = sum(v for k, v in seen.items() if k.startswith("known gap"))
    assert seen["accepted"] == seen["applied"] + gaps and seen["applied"] > 0
