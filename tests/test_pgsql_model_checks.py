"""generator.pgsql.model_checks: issue 9's classes as positioned diagnostics, PostgreSQL agreeing.

Each spec below passes today's ``schemagen validate``; ``check_schema`` (the
adapter a resolve pass calls) reports it at the exact line and column, and
PostgreSQL refuses the DDL generated from it (``validate --db``'s machinery),
or, where it is marked so, accepts it with another meaning.  Every valid spec
of the repository (golden cases, examples, schema.yaml) gets no diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli import ROOT

from generator.diagnostics import Diagnostics
from generator.pgsql.model_checks import check_schema
from generator.pgsql.validate_db import check_on_server
from generator.pipeline import generate, load_schema
from generator.source import load_yaml

HEAD = "version: 1\ntables:\n  items:\n    columns:\n      id: {type: integer, primary_key: true}\n"
MEANING = "accepted by PostgreSQL with another meaning"

# (spec after HEAD, expected "line:col code: message", PostgreSQL refuses the DDL?)
CASES = [
    (
        "      order: {type: integer, check: order >= 0}\n",
        "6:37 expr-keyword: 'order' is a reserved word in SQL, so it is not read as the column"
        ' "order"',
        True,
    ),
    (
        "      Price: {type: integer, check: Price > 0}\n",
        '6:37 expr-column: column "price" does not exist: PostgreSQL folds unquoted names to'
        " lower case",
        True,
    ),
    (
        "      user: {type: text, check: \"user <> ''\"}\n",
        '6:34 expr-keyword: user here is the SQL function CURRENT_USER, not the column "user"',
        MEANING,
    ),
    (
        "      label: {type: text, check: label >= 0}\n",
        "6:40 expr-type: operator does not exist: text >= integer",
        True,
    ),
    (
        "      n: {type: integer, default: {sql: now()}}\n",
        "6:41 expr-type: a DEFAULT of type timestamp with time zone cannot fill a column of type"
        " integer",
        True,
    ),
    (
        "      n: {type: integer, check: n + 1}\n",
        "6:33 expr-type: a CHECK constraint must be a boolean expression, this one is of type"
        " integer",
        True,
    ),
    (
        "      n: {type: integer, check: count(n) < 10}\n",
        "6:33 expr-aggregate: an aggregate is not allowed in a CHECK constraint",
        True,
    ),
    (
        '      day: {type: date, generated: {sql: "now()::date"}}\n',
        "6:43 expr-volatile: a generated column must be immutable, but now() is stable",
        True,
    ),
    (
        '      n: {type: integer}\n    indexes:\n      - {columns: [n], where: "random() > 0.5"}\n',
        "8:32 expr-volatile: an index predicate must be immutable, but random() is volatile",
        True,
    ),
    (
        "      body: {type: text}\n    indexes:\n      - {columns: [body], using: gin}\n",
        "8:9 pg-opclass: data type text has no default operator class for index method gin",
        True,
    ),
    (
        "      n: {type: integer}\n    indexes:\n      - {columns: [n], using: gist}\n",
        "8:9 pg-opclass: data type integer has no default operator class for index method gist",
        True,
    ),
    (
        "      flag: {type: boolean}\n    indexes:\n      - {columns: [flag], using: brin}\n",
        "8:9 pg-opclass: data type boolean has no default operator class for index method brin",
        True,
    ),
    (
        "      doc: {type: json}\n    indexes:\n      - {columns: [doc]}\n",
        "8:9 pg-opclass: data type json has no default operator class for index method btree",
        True,
    ),
    (
        "      doc: {type: json, unique: true}\n",
        "6:7 pg-opclass: a json column cannot be in a unique constraint: json has no equality"
        " operator",
        True,
    ),
    (
        "      xmin: {type: integer}\n",
        '6:7 pg-reserved-name: column name "xmin" is taken by a PostgreSQL system column',
        True,
    ),
    (
        "      data: {type: jsonb, default: {a: 1e400}}\n",
        "6:36 pg-value: JSON has no Infinity: PostgreSQL refuses it in a json or jsonb value",
        True,
    ),
    (
        "      big: {type: numeric, default: 1e-20000}\n",
        "6:37 pg-value: the number has 20,000 digits after the decimal point; PostgreSQL's"
        " numeric holds at most 16,383",
        True,
    ),
    (
        '      addr: {type: inet, default: "fe80::1%eth0"}\n',
        "6:35 pg-value: PostgreSQL's inet has no IPv6 zone index: 'fe80::1%eth0'",
        True,
    ),
    (
        "      seq: {type: integer, identity: always}\n  items_seq_seq:\n    columns:\n"
        "      id: {type: integer, primary_key: true}\n",
        '6:7 pg-reserved-name: the identity column "seq" needs a sequence named'
        ' "items_seq_seq", which is another object\'s name',
        True,
    ),
    (
        "  pg_class:\n    description: ours\n    columns:\n"
        "      id: {type: integer, primary_key: true}\n",
        '6:3 pg-reserved-name: table name "pg_class" is a PostgreSQL system catalog name;'
        " unqualified, it means pg_catalog.pg_class",
        MEANING,
    ),
    (
        "  pg_app.things:\n    columns:\n      id: {type: integer, primary_key: true}\n",
        '6:3 pg-reserved-name: schema name "pg_app" is reserved: the prefix "pg_" is for'
        " system schemas",
        True,
    ),
]


IDS = [expected.split(": ")[0].replace(" ", "-") for _, expected, _ in CASES]


def _check(text: str) -> list[str]:
    raw = text.encode()
    loaded = load_schema(raw, "spec.yaml")
    assert loaded.diagnostics == [], loaded.diagnostics  # today's validate accepts it
    assert loaded.schema is not None
    doc = load_yaml(raw, "spec.yaml", Diagnostics())
    assert doc is not None
    return [
        f"{d.span.line}:{d.span.col} {d.code}: {d.message}" if d.span else f"? {d.code}"
        for d in check_schema(loaded.schema, doc)
    ]


@pytest.mark.parametrize(("tail", "expected", "refused"), CASES, ids=IDS)
def test_issue_9_class(tail: str, expected: str, refused: object) -> None:
    assert _check(HEAD + tail) == [expected]


def test_enum_named_like_a_builtin_type() -> None:
    spec = "version: 1\nenums:\n  json: [a, b]\n" + HEAD.removeprefix("version: 1\n")
    assert _check(spec) == [
        '3:3 pg-reserved-name: enum name "json" is a PostgreSQL built-in type; unqualified,'
        " it means pg_catalog.json, not this enum"
    ]


def _valid_specs() -> Iterator[Path]:
    yield ROOT / "schema.yaml"
    yield from sorted(ROOT.glob("examples/*.yaml"))
    for case in sorted((ROOT / "tests" / "cases").iterdir()):
        if not list(case.rglob("stderr.txt")):  # a case that must fail has one
            yield case / "schema.yaml"


@pytest.mark.parametrize("path", list(_valid_specs()), ids=lambda p: p.parent.name + "/" + p.name)
def test_valid_specs_get_no_diagnostic(path: Path) -> None:
    assert _check(path.read_text()) == []


@pytest.fixture(scope="module")
def scratch_url(pg_server: str) -> Iterator[str]:
    from pg import fresh_database

    with fresh_database(pg_server) as url:
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize(("tail", "expected", "refused"), CASES, ids=IDS)
def test_postgres_refuses_what_we_refuse(
    scratch_url: str, tail: str, expected: str, refused: object
) -> None:
    raw = (HEAD + tail).encode()
    result = generate(raw, "spec.yaml")
    loaded = load_schema(raw, "spec.yaml")
    assert result.ok and loaded.schema is not None
    found = check_on_server(scratch_url, loaded.schema, result.files["schema.sql"], None)
    if refused is True:
        assert found, f"PostgreSQL accepts what we refuse: {expected}"
    else:  # the meaning change is proven in test_pgsql_expr.py / test_pgsql_limits.py
        assert refused == MEANING and found == []


# -- at scale: random valid specs (test_properties' strategy, which proves they apply) --------

from hypothesis import assume, given, settings  # noqa: E402
from test_properties import FIXED, dump, mutated, spec  # noqa: E402


@settings(FIXED, max_examples=60)
@given(data=spec())
def test_random_valid_specs_get_no_diagnostic(data: dict[str, object]) -> None:
    raw = dump(data)
    loaded = load_schema(raw, "spec.yaml")
    assume(loaded.schema is not None)  # the strategy draws a few invalid names
    assert _check(raw.decode()) == []


@settings(FIXED, max_examples=60)
@given(raw=mutated())
def test_mutated_specs_never_raise_and_are_positioned(raw: bytes) -> None:
    loaded = load_schema(raw, "spec.yaml")
    if loaded.schema is None:
        return
    doc = load_yaml(raw, "spec.yaml", Diagnostics())
    assert doc is not None
    for d in check_schema(loaded.schema, doc):
        assert d.span is not None and d.span.line >= 1 and d.span.col >= 1, d
