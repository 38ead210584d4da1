"""A DEFAULT is analysed once for every table (resolve/draft/expressions.py,
_analyse): the analysis made without columns stands only when it finds nothing
wrong and reads no column, and then says what each table's own analysis says;
anything else is analysed on the table, so its diagnostic is the table's own, at
the same token."""

from __future__ import annotations

import pytest

from generator.pgsql.expr import analyse
from generator.pipeline import load_schema

COLUMNS = {"id": "integer", "n": "integer", "user": "text", "label": "text", "Price": "integer"}
DEFAULTS = [
    ("now()", "timestamptz"),
    ("now()", "integer"),
    ("gen_random_uuid()", "uuid"),
    ("'x'", "uuid"),
    ("'x'", "text"),
    ("1 + 2", "integer"),
    ("1 < 2", "boolean"),
    ("now() + interval '1 day'", "timestamptz"),
    ("lower('A')", "text"),
    ("user", "text"),
    ("current_user", "text"),
    ("current_date", "date"),
    ("n", "integer"),
    ("n + 1", "integer"),
    ("coalesce(n, 1)", "integer"),
    ('"user"', "text"),
    ("Price", "integer"),
    ('"Price"', "integer"),
    ("items.n", "integer"),
    ("other.n", "integer"),
    ("items", "text"),
    ("xmin", "text"),
    ("(select 1)", "integer"),
    ("no_such_function()", "integer"),
    ("table", "text"),
]


@pytest.mark.parametrize(("sql", "target"), DEFAULTS)
def test_the_shared_analysis_stands_only_where_the_tables_would_agree(
    sql: str, target: str
) -> None:
    own = analyse(sql, COLUMNS, "default", target=target, table="items")
    shared = analyse(sql, {}, "default", target=target)
    if shared.ok and not shared.columns:
        # the columns can add only the note on USER beside a column "user",
        # which a DEFAULT may have (Draft.expression)
        kept = tuple(e for e in own.errors if e.code != "expr-keyword")
        assert kept == shared.errors == ()
        assert own.columns == own.bare == ()
        assert (own.type, own.volatility, own.untyped, own.unknown_functions) == (
            shared.type,
            shared.volatility,
            shared.untyped,
            shared.unknown_functions,
        )
    else:  # refused without columns: the table's own analysis is made, and reported
        assert not shared.ok


HEAD = "version: 1\ntables:\n"


def _table(name: str, extra: str = "") -> str:
    return (
        f"  {name}:\n    columns:\n      id: {{type: integer, primary_key: true}}\n"
        "      at: {type: timestamptz, default: {sql: now()}}\n" + extra
    )


def _errors(text: str) -> list[str]:
    loaded = load_schema(text.encode(), "spec.yaml")
    return [
        f"{d.span.line}:{d.span.col} {d.code}: {d.message} | {d.hint}"
        for d in loaded.diagnostics
        if d.span is not None
    ]


def test_a_default_reading_a_column_is_refused_at_its_token_among_shared_ones() -> None:
    bad = "      n: {type: integer, default: {sql: 2 * n}}\n"
    alone = _errors(HEAD + _table("c", bad))
    among = _errors(HEAD + _table("a") + _table("b") + _table("c", bad))
    assert alone == [
        '7:45 expr-column: a DEFAULT cannot read a column ("n") | use a generated column'
        " to compute a value from other columns"
    ]
    assert among == [alone[0].replace("7:45", "15:45", 1)]


def test_user_beside_a_column_user_is_the_function_in_every_table() -> None:
    extra = '      "user": {type: text, default: {sql: user}}\n'
    loaded = load_schema((HEAD + _table("a") + _table("b", extra)).encode(), "spec.yaml")
    assert loaded.diagnostics == [] and loaded.schema is not None
    (user,) = [c for c in loaded.schema.tables[1].columns if c.name == "user"]
    assert user.default is not None and user.default.sql == "user"


def test_an_accepted_default_is_accepted_in_every_table_a_refused_one_reported_in_each() -> None:
    """tables.py keeps each accepted default by its text and its column's type."""
    bad = "      n: {type: integer, default: {sql: 2 * n}}\n"
    wrong_type = "      m: {type: integer, default: {sql: now()}}\n"
    among = _errors(HEAD + _table("a", bad) + _table("b", wrong_type) + _table("c", bad))
    assert [e.split(" |")[0] for e in among] == [
        '7:45 expr-column: a DEFAULT cannot read a column ("n")',
        "12:41 expr-type: a DEFAULT of type timestamp with time zone cannot fill a column of"
        " type integer",
        '17:45 expr-column: a DEFAULT cannot read a column ("n")',
    ]


def test_a_literal_default_is_judged_as_written_in_every_table() -> None:
    """check_default keeps valid literals by type and scalar as written: true and 1
    differ, and a refused literal is reported in each table."""
    ok = "      f: {type: boolean, default: true}\n"
    one = "      f: {type: boolean, default: 1}\n"
    text = HEAD + _table("a", ok) + _table("b", one) + _table("c", ok) + _table("d", one)
    errors = [e.split(": ", 1)[0] for e in _errors(text)]
    assert errors == ["12:35 invalid-default", "22:35 invalid-default"]
