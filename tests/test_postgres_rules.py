"""Issue 9's classes, refused by the resolve passes at the exact line and column.

Each spec below was accepted by ``schemagen validate`` before the passes asked
generator/pgsql (PostgreSQL's grammar, limits, operator classes, literal
values); now ``load_schema`` reports it at the token, and PostgreSQL refuses
the DDL schemagen used to write for it (or, where marked, accepts it with
another meaning).  Every valid spec of the repository gets no diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli import ROOT

from generator.pipeline import load_schema

HEAD = "version: 1\ntables:\n  items:\n    columns:\n      id: {type: integer, primary_key: true}\n"
MEANING = "accepted by PostgreSQL with another meaning"

# (spec after HEAD, expected "line:col code: message", the DDL schemagen wrote for it
# before issue 9, PostgreSQL refuses that DDL?)
CASES = [
    (
        "      order: {type: integer, check: order >= 0}\n",
        "6:37 expr-keyword: 'order' is a reserved word in SQL, so it is not read as the column"
        ' "order"',
        'CREATE TABLE items (id integer PRIMARY KEY, "order" integer CHECK (order >= 0))',
        True,
    ),
    (
        "      Price: {type: integer, check: Price > 0}\n",
        '6:37 expr-column: column "price" does not exist: PostgreSQL folds unquoted names to'
        " lower case",
        'CREATE TABLE items (id integer PRIMARY KEY, "Price" integer CHECK (Price > 0))',
        True,
    ),
    (
        "      user: {type: text, check: \"user <> ''\"}\n",
        '6:34 expr-keyword: user here is the SQL function CURRENT_USER, not the column "user"',
        "CREATE TABLE items (id integer PRIMARY KEY, \"user\" text CHECK (user <> ''))",
        MEANING,
    ),
    (
        "      label: {type: text, check: label >= 0}\n",
        "6:40 expr-type: operator does not exist: text >= integer",
        "CREATE TABLE items (id integer PRIMARY KEY, label text CHECK (label >= 0))",
        True,
    ),
    (
        "      n: {type: integer, default: {sql: now()}}\n",
        "6:41 expr-type: a DEFAULT of type timestamp with time zone cannot fill a column of type"
        " integer",
        "CREATE TABLE items (id integer PRIMARY KEY, n integer DEFAULT now())",
        True,
    ),
    (
        "      n: {type: integer, check: n + 1}\n",
        "6:33 expr-type: a CHECK constraint must be a boolean expression, this one is of type"
        " integer",
        "CREATE TABLE items (id integer PRIMARY KEY, n integer CHECK (n + 1))",
        True,
    ),
    (
        "      n: {type: integer, check: count(n) < 10}\n",
        "6:33 expr-aggregate: an aggregate is not allowed in a CHECK constraint",
        "CREATE TABLE items (id integer PRIMARY KEY, n integer CHECK (count(n) < 10))",
        True,
    ),
    (
        '      day: {type: date, generated: {sql: "now()::date"}}\n',
        "6:43 expr-volatile: a generated column must be immutable, but now() is stable",
        "CREATE TABLE items (id integer PRIMARY KEY, day date GENERATED ALWAYS AS (now()::date) STORED)",
        True,
    ),
    (
        '      n: {type: integer}\n    indexes:\n      - {columns: [n], where: "random() > 0.5"}\n',
        "8:32 expr-volatile: an index predicate must be immutable, but random() is volatile",
        "CREATE TABLE items (id integer PRIMARY KEY, n integer); CREATE INDEX ON items (n) WHERE random() > 0.5",
        True,
    ),
    (
        "      body: {type: text}\n    indexes:\n      - {columns: [body], using: gin}\n",
        "8:20 pg-opclass: data type text has no default operator class for index method gin",
        "CREATE TABLE items (id integer PRIMARY KEY, body text); CREATE INDEX ON items USING gin (body)",
        True,
    ),
    (
        "      n: {type: integer}\n    indexes:\n      - {columns: [n], using: gist}\n",
        "8:20 pg-opclass: data type integer has no default operator class for index method gist",
        "CREATE TABLE items (id integer PRIMARY KEY, n integer); CREATE INDEX ON items USING gist (n)",
        True,
    ),
    (
        "      flag: {type: boolean}\n    indexes:\n      - {columns: [flag], using: brin}\n",
        "8:20 pg-opclass: data type boolean has no default operator class for index method brin",
        "CREATE TABLE items (id integer PRIMARY KEY, flag boolean); CREATE INDEX ON items USING brin (flag)",
        True,
    ),
    (
        "      doc: {type: json}\n    indexes:\n      - {columns: [doc]}\n",
        "8:20 pg-opclass: data type json has no default operator class for index method btree",
        "CREATE TABLE items (id integer PRIMARY KEY, doc json); CREATE INDEX ON items (doc)",
        True,
    ),
    (
        "      doc: {type: json, unique: true}\n",
        "6:19 pg-opclass: a json column cannot be in a unique constraint: json has no equality"
        " operator",
        "CREATE TABLE items (id integer PRIMARY KEY, doc json UNIQUE)",
        True,
    ),
    (
        "      xmin: {type: integer}\n",
        '6:7 pg-reserved-name: column name "xmin" is taken by a PostgreSQL system column',
        "CREATE TABLE items (id integer PRIMARY KEY, xmin integer)",
        True,
    ),
    (
        "      data: {type: jsonb, default: {a: 1e400}}\n",
        "6:36 pg-value: JSON has no Infinity: PostgreSQL refuses it in a json or jsonb value",
        "CREATE TABLE items (id integer PRIMARY KEY, data jsonb DEFAULT '{\"a\": Infinity}')",
        True,
    ),
    (
        "      big: {type: numeric, default: 1e-20000}\n",
        "6:37 pg-value: the number has 20,000 digits after the decimal point; PostgreSQL's"
        " numeric holds at most 16,383",
        "CREATE TABLE items (id integer PRIMARY KEY, big numeric DEFAULT 1e-20000)",
        True,
    ),
    (
        '      addr: {type: inet, default: "fe80::1%eth0"}\n',
        "6:35 pg-value: PostgreSQL's inet has no IPv6 zone index: 'fe80::1%eth0'",
        "CREATE TABLE items (id integer PRIMARY KEY, addr inet DEFAULT 'fe80::1%eth0')",
        True,
    ),
    (
        "      seq: {type: integer, identity: always}\n  items_seq_seq:\n    columns:\n"
        "      id: {type: integer, primary_key: true}\n",
        '6:7 pg-reserved-name: the identity column "seq" needs a sequence named'
        ' "items_seq_seq", which is another object\'s name',
        "CREATE TABLE items (id integer PRIMARY KEY, seq integer GENERATED ALWAYS AS IDENTITY); CREATE TABLE items_seq_seq (id integer PRIMARY KEY)",
        True,
    ),
    (
        "  pg_class:\n    description: ours\n    columns:\n"
        "      id: {type: integer, primary_key: true}\n",
        '6:3 pg-reserved-name: table name "pg_class" is a PostgreSQL system catalog name;'
        " unqualified, it means pg_catalog.pg_class",
        "CREATE TABLE pg_class (id integer PRIMARY KEY)",
        MEANING,
    ),
    (
        "  pg_app.things:\n    columns:\n      id: {type: integer, primary_key: true}\n",
        '6:3 pg-reserved-name: schema name "pg_app" is reserved: the prefix "pg_" is for'
        " system schemas",
        "CREATE SCHEMA pg_app",
        True,
    ),
    (
        "      u: {type: uuid, default: {sql: \"'x'\"}}\n",
        "6:39 expr-value: 'x' is not a valid uuid: PostgreSQL reads this literal as uuid here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, u uuid DEFAULT 'x')",
        True,
    ),
    (
        "      n: {type: integer, check: \"n <> ''\"}\n",
        "6:39 expr-value: '' is not a valid integer: PostgreSQL reads this literal as integer here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, n integer CHECK (n <> ''))",
        True,
    ),
    (
        "      s: {type: uuid}\n    indexes:\n      - {columns: [s], where: \"s IN ('a', 'b')\"}\n",
        "8:38 expr-value: 'a' is not a valid uuid: PostgreSQL reads this literal as uuid here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, s uuid); CREATE INDEX ON items (s) WHERE s IN ('a', 'b')",
        True,
    ),
    (
        "      s: {type: uuid, check: \"s = ANY('{1,2}')\"}\n",
        "6:39 expr-value: '{1,2}' is not a valid uuid[]: PostgreSQL reads this literal as uuid[] here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, s uuid CHECK (s = ANY('{1,2}')))",
        True,
    ),
    (
        '      n: {type: integer, check: "length(n) > 0"}\n',
        "6:34 expr-type: function length(integer) does not exist",
        "CREATE TABLE items (id integer PRIMARY KEY, n integer CHECK (length(n) > 0))",
        True,
    ),
    (
        "      d: {type: date, check: \"d @> '{}'\"}\n",
        "6:33 expr-type: operator does not exist: date @> unknown",
        "CREATE TABLE items (id integer PRIMARY KEY, d date CHECK (d @> '{}'))",
        True,
    ),
    (
        "      g: {type: text, generated: {sql: \"lower('A')\"}}\n",
        "6:41 expr-collation: could not determine which collation to use for lower()",
        "CREATE TABLE items (id integer PRIMARY KEY, g text GENERATED ALWAYS AS (lower('A')) STORED)",
        True,
    ),
    # Issue 9's remaining gaps, closed: range and text search operators and
    # functions, function arguments, ANY('{..}') arrays, intervals, ranges.
    (
        "      r: {type: int4range, check: \"r @> '[5,1)'\"}\n",
        "6:41 expr-value: '[5,1)' is not a valid int4range: PostgreSQL reads this literal as int4range here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, r int4range CHECK (r @> '[5,1)'))",
        True,
    ),
    (
        "      iv: {type: interval, check: \"iv < interval '1 fortnight'\"}\n",
        "6:50 expr-value: '1 fortnight' is not a valid interval: PostgreSQL reads this literal as interval here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, iv interval CHECK (iv < interval '1 fortnight'))",
        True,
    ),
    (
        "      r: {type: int4range, check: \"upper(r) > 'x'\"}\n",
        "6:47 expr-value: 'x' is not a valid integer: PostgreSQL reads this literal as integer here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, r int4range CHECK (upper(r) > 'x'))",
        True,
    ),
    (
        "      v: {type: tsvector, check: \"v @> 'a'\"}\n",
        "6:37 expr-type: operator does not exist: tsvector @> unknown",
        "CREATE TABLE items (id integer PRIMARY KEY, v tsvector CHECK (v @> 'a'))",
        True,
    ),
    (
        "      m: {type: mood, check: \"m = ANY('{a,zzz}')\"}\nenums:\n  mood: [a, b]\n",
        "6:39 expr-value: '{a,zzz}' is not a valid mood[]: PostgreSQL reads this literal as mood[] here and refuses it",
        "CREATE TYPE mood AS ENUM ('a', 'b');"
        " CREATE TABLE items (id integer PRIMARY KEY, m mood CHECK (m = ANY('{a,zzz}')))",
        True,
    ),
    (
        "      t: {type: text, check: \"to_tsvector('englsh', t) @@ 'a'\"}\n",
        "6:43 expr-value: 'englsh' is not a valid regconfig: PostgreSQL reads this literal as regconfig here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY, t text CHECK (to_tsvector('englsh', t) @@ 'a'))",
        True,
    ),
    (
        "      ts: {type: timestamptz, default: {sql: \"'00000000-0000-0000-0000-000000000000'\"}}\n",
        "6:47 expr-value: '00000000-0000-0000-0000-000000000000' is not a valid timestamp with time zone: PostgreSQL reads this literal as timestamp with time zone here and refuses it",
        "CREATE TABLE items (id integer PRIMARY KEY,"
        " ts timestamptz DEFAULT '00000000-0000-0000-0000-000000000000')",
        True,
    ),
]


IDS = [expected.split(": ")[0].replace(" ", "-") for _, expected, _, _ in CASES]


def _check(text: str) -> list[str]:
    loaded = load_schema(text.encode(), "spec.yaml")
    return [
        f"{d.span.line}:{d.span.col} {d.code}: {d.message}" if d.span else f"? {d.code}"
        for d in loaded.diagnostics
    ]


@pytest.mark.parametrize(("tail", "expected", "ddl", "refused"), CASES, ids=IDS)
def test_issue_9_class(tail: str, expected: str, ddl: str, refused: object) -> None:
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


@pytest.mark.postgres
def test_postgres_refuses_what_we_refuse(pg_url: str) -> None:
    """One connection, each case's old DDL in a transaction rolled back."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        for _, expected, ddl, refused in CASES:
            try:
                with conn.transaction(force_rollback=True):
                    conn.execute(ddl)
                accepted = True
            except psycopg.Error:
                accepted = False
            if refused is True:
                assert not accepted, f"PostgreSQL accepts what we refuse: {expected}"
            else:  # the meaning change is proven in test_pgsql_expr.py / test_pgsql_limits.py
                assert refused == MEANING and accepted, expected


# Accepted because PostgreSQL accepts it, with the meaning PostgreSQL gives it.
MEANT = [
    # DEFAULT's grammar takes a comparison; the DDL parenthesises it
    ('      x: {type: boolean, default: {sql: "1 < 2"}}\n', "x", "(1 < 2)"),
    # a quoted capitalised name is the column "Price"
    ('      Price: {type: integer, nullable: true, check: "\\"Price\\" > 0"}\n', "Price", None),
]


@pytest.mark.postgres
def test_accepted_expressions_apply_with_their_meaning(pg_url: str) -> None:
    import psycopg

    from generator.pipeline import generate

    with psycopg.connect(pg_url, autocommit=True) as conn:
        for tail, column, default in MEANT:
            result = generate((HEAD + tail).encode(), "spec.yaml")
            assert result.ok, result.diagnostics
            with conn.transaction(force_rollback=True):
                conn.execute(result.files["schema.sql"])
                row = conn.execute(
                    "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"
                    " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    " WHERE a.attrelid = 'items'::regclass AND a.attname = %s",
                    (column,),
                ).fetchone()
                assert row is not None and row[0] == default
                conn.execute("INSERT INTO items (id) VALUES (1)")
                [value] = conn.execute(f'SELECT "{column}" FROM items').fetchone() or [None]
                assert value is (True if default else None)
