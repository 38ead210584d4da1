"""Domains: what is refused, where, and with which fix (the accepted forms:
golden case domains, applied to PostgreSQL and read back from pg_type)."""

from __future__ import annotations

from typing import Any

import pytest
from diag import only, where

from generator.pipeline import load_schema

TABLE = "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"


@pytest.mark.parametrize(
    ("domains", "column", "expected", "hint"),
    [
        (
            "  year: {type: integer, checks: [created_at > 0]}\n",
            "",
            ("unknown-column", 3, 34, "domains.year.checks[0]"),
            "write VALUE for the value checked, e.g. VALUE >= 0",
        ),
        (
            "  year: {type: integer, checks: [1 > 0]}\n",
            "",
            ("invalid-expression", 3, 34, "domains.year.checks[0]"),
            "write a condition on VALUE, e.g. VALUE >= 0",
        ),
        (
            "  year: {type: integr}\n",
            "",
            ("unknown-type", 3, 16, "domains.year.type"),
            "did you mean 'integer'?",
        ),
        (
            "  year: {type: integer, default: abc}\n",
            "",
            ("invalid-default", 3, 34, "domains.year.default"),
            None,
        ),
        (
            "  email: {type: text, nullable: false}\n",
            "      e: {type: email, nullable: true}\n",
            ("domain-not-null", 8, 34, "tables.t.columns.e.nullable"),
            "remove 'nullable: true', or make the domain nullable",
        ),
    ],
)
def test_misuse_is_a_positioned_error(
    domains: str, column: str, expected: tuple[str, int, int, str], hint: str | None
) -> None:
    diag = only("version: 1\ndomains:\n" + domains + TABLE + column)
    assert where(diag) == expected
    if hint is not None:
        assert diag.hint == hint


def test_a_domain_column_has_the_base_types_python_and_the_checks_bounds() -> None:
    spec = (
        "version: 1\ndomains:\n  pct: {type: smallint, default: 0, checks: ['VALUE BETWEEN 0 AND 100']}\n"
        + TABLE
        + "      p: pct\n      q: {type: pct, check: q <> 50}\n"
    )
    loaded = load_schema(spec.encode(), "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    p = loaded.schema.tables[0].column("p")
    assert (p.type.sql, p.type.catalog, p.type.info.python) == ('"pct"', "pct", "int")
    assert (p.limits.ge, p.limits.le) == (0, 100)
    assert p.default is None and p.domain_default and p.server_default


def test_a_domain_may_not_take_a_builtin_types_name() -> None:
    diag = only("version: 1\ndomains:\n  money: {type: numeric}\n" + TABLE)
    assert where(diag) == ("type-name-taken", 3, 3, "domains.money")
    assert diag.hint == "rename the domain, e.g. 'money_value' or 'app_money'"


ARRAYS = (
    "version: 1\ndomains:\n"
    "  tags: {type: 'text[]'}\n"
    "  year: {type: integer, checks: ['VALUE >= 1901 AND VALUE <= 2155']}\n"
) + TABLE


@pytest.mark.parametrize(
    ("column", "expected", "hint"),
    [
        (
            "      a: 'tags[]'\n",
            ("invalid-type", 9, 10, "tables.t.columns.a.type"),
            "write type: tags, or a domain over the element type",
        ),
        (
            "      a: 'yeer[]'\n",
            ("unknown-type", 9, 10, "tables.t.columns.a.type"),
            "did you mean 'year'? (a domain)",
        ),
        (
            "      a: 'year[][]'\n",
            ("invalid-type", 9, 10, "tables.t.columns.a.type"),
            "use one pair of brackets, e.g. 'integer[]', or a jsonb column",
        ),
    ],
)
def test_misused_arrays_of_domains_are_positioned_errors(
    column: str, expected: tuple[str, int, int, str], hint: str
) -> None:
    diag = only(ARRAYS + column)
    assert where(diag) == expected
    assert diag.hint == hint


def test_an_array_of_a_domain_is_the_domains_array_with_per_item_bounds() -> None:
    from generator.pipeline import generate

    spec = ARRAYS + "      ys: 'year[]'\n      xs: {type: tags, nullable: true}\n"
    loaded = load_schema(spec.encode(), "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    ys = loaded.schema.tables[0].column("ys")
    assert (ys.type.sql, ys.type.catalog, ys.type.element_domain) == ('"year"[]', "year[]", "year")
    assert (ys.type.base.sql, ys.type.element.domain) == ("integer[]", "year")
    assert (ys.limits.ge, ys.limits.le) == (1901, 2155)  # per element
    xs = loaded.schema.tables[0].column("xs")  # a domain over an array is unchanged
    assert (xs.type.sql, xs.type.catalog, xs.type.element_domain) == ('"tags"', "tags", None)
    files = generate(spec.encode(), "schema.yaml").files
    assert '"ys" "year"[] NOT NULL,' in files["schema.sql"]
    assert "ys: list[Annotated[int, Field(ge=1901, le=2155)]]" in files["models.py"]
    assert 'ARRAY(DOMAIN("year", Integer, create_type=False))' in files["orm.py"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "values", [[1901, 2155], [1900], [2155, 2156], [], [1999, 1901, 2000]], ids=str
)
def test_the_models_refuse_exactly_the_arrays_postgresql_refuses(
    values: list[int], pg_url: str, tmp_path: Any
) -> None:
    import psycopg
    from genpy import generate_into, load_package
    from pydantic import ValidationError

    files = generate_into(ARRAYS + "      ys: 'year[]'\n", tmp_path / "pkg")
    models, _ = load_package(tmp_path / "pkg", "domain_arrays_pkg")
    try:
        models.InsertT(id=1, ys=values)
        model_ok = True
    except ValidationError:
        model_ok = False
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(files["schema.sql"].encode())
        try:
            conn.execute("INSERT INTO t (id, ys) VALUES (1, %s)", (values,))
            db_ok = True
        except psycopg.errors.CheckViolation:
            db_ok = False
    assert model_ok == db_ok
