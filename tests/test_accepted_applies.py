"""Issue 9's gate: every spec ``schemagen validate`` accepts applies on PostgreSQL.

Mutants of valid specs (the repository's schema.yaml, its examples, and random
specs with expressions and indexes) get one edit each of the kinds a user
makes: an expression from a pool of plausible ones (wrong types, reserved
words, capitals, volatile functions, aggregates, subqueries), another column
type, an index with another method or predicate, a hostile column or table
name, a generated column, a referential action.  Each mutant is validated;
each accepted one is applied on PostgreSQL on one connection, in a
transaction rolled back.  "Accepted but PostgreSQL refuses" must be zero, but
for three known gaps of the static checks (README, "Not yet"), each classified
from PostgreSQL's own answer (``validate --db`` maps it back to the spec) and
counted apart, never silently: a view's query is parsed but not type-checked;
the argument types of built-in functions pgsql's table does not know are left to
the server; and so are the operators and functions of range and text search
types (``pgsql.pgtypes.OPAQUE``).  The
counts are printed (``pytest tests/test_accepted_applies.py -s`` or in any run).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import FIXED, dump, spec

from generator.pipeline import generate, load_schema

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = 500
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
]
TYPES = ["integer", "bigint", "text", "varchar(10)", "boolean", "numeric(10,2)", "jsonb", "json"]
TYPES += ["timestamptz", "date", "uuid", "text[]", "integer[]", "inet", "real", "bytea"]
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


# "function lower(integer) does not exist"; position(a IN b) is pg_catalog.position
_UNKNOWN_FUNCTION = re.compile(r"function (?:\w+\.)?(\w+)\(.*\) does not exist")


def known_gap(url: str, raw: bytes) -> str | None:
    """Which known gap explains PostgreSQL's refusal of an accepted spec, if one does:
    every statement PostgreSQL refuses must come from a view, call a function whose
    argument types pgsql does not know, or involve a range or text search type."""
    from generator.diagnostics import Diagnostics
    from generator.pgsql.functions import FUNCTIONS
    from generator.pgsql.pgtypes import OPAQUE
    from generator.pgsql.validate_db import check_on_server
    from generator.render import render_ddl
    from generator.source import load_yaml

    schema = load_schema(raw, "schema.yaml").schema
    assert schema is not None
    doc = load_yaml(raw, "schema.yaml", Diagnostics())
    found = check_on_server(url, schema, render_ddl(schema), doc)
    gaps = set()
    for diag in found:
        m = _UNKNOWN_FUNCTION.search(diag.message)
        if diag.path.startswith("views"):
            gaps.add("view query")
        elif m is not None and m[1].lower() not in FUNCTIONS:
            gaps.add("function arguments")
        elif "operator does not exist" in diag.message and _calls_unknown(schema, diag.path):
            gaps.add("function arguments")  # an operand is a call pgsql cannot type
        elif "range literal" in diag.message or any(t in diag.message for t in OPAQUE):
            gaps.add("range and text search types")
        else:
            return None
    return " and ".join(sorted(gaps)) if found else None


def _calls_unknown(schema: Any, path: str) -> bool:
    """Does the policy at ``path`` call a function outside pgsql's table (whose
    result type, like its arguments', only the server knows)?"""
    from generator.pgsql.expr import analyse
    from generator.resolve.draft import spec_type_of

    parts = path.split(".")
    if len(parts) != 4 or parts[0] != "tables" or parts[2] != "policies":
        return False
    table = schema.table(parts[1])
    policy = next(p for p in table.policies if p.name == parts[3])
    types = {c.name: spec_type_of(c.type) for c in table.columns}
    texts = [t for t in (policy.using, policy.with_check) if t is not None]
    return any(analyse(t, types, "check").unknown_functions for t in texts)


@pytest.mark.postgres
def test_every_accepted_mutant_applies_on_postgresql(
    pg_db: tuple[str, psycopg.Connection[Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, pg_conn = pg_db
    seen: Counter[str] = Counter()
    refused_by_postgres: list[str] = []

    @settings(FIXED, max_examples=MUTANTS)
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
