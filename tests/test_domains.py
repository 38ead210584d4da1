"""Domains: what is refused, where, and with which fix (the accepted forms:
golden case domains, applied to PostgreSQL and read back from pg_type)."""

from __future__ import annotations

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
