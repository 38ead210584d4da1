"""Issue 4 spec errors: each asserts the exact code, line, column and key path,
and the words of the message and hint a user needs."""

from __future__ import annotations

import pytest
from diag import HEAD, only, spec_errors, where

BODY = HEAD[len("version: 1\n") :]  # "tables:" ... with table t (id uuid)

CASES = {
    "duplicate enum label": (
        "version: 1\nenums:\n  s: [a, b, a]\n" + BODY,
        ("duplicate-label", 3, 13, "enums.s[2]"),
        "lists 'a' twice",
        "remove one",
    ),
    "duplicate label in the long form": (
        "version: 1\nenums:\n  s:\n    values: [a, a]\n" + BODY,
        ("duplicate-label", 4, 17, "enums.s.values[1]"),
        "lists 'a' twice",
        "remove one",
    ),
    "enum default not a label": (
        "version: 1\nenums:\n  s: [draft, live]\n" + BODY + "      st: {type: s, default: drfat}\n",
        ("invalid-default", 8, 30, "tables.t.columns.st.default"),
        "not a label of enum 's'",
        "did you mean 'draft'?",
    ),
    "unknown enum type": (
        "version: 1\nenums:\n  status: [a]\n" + BODY + "      st: statsu\n",
        ("unknown-type", 8, 11, "tables.t.columns.st.type"),
        "unknown type 'statsu'",
        "did you mean 'status'?",
    ),
    "enum named like a table": (
        "version: 1\nenums:\n  t:\n    values: [a]\n    class_name: Kind\n" + BODY,
        ("type-name-taken", 3, 3, "enums.t"),
        "same name as a table",
        "rename the enum",
    ),
    "unparsable check": (
        HEAD + "      p: {type: integer, check: 'p >>> 0 AND'}\n",
        ("expr-syntax", 6, 45, "tables.t.columns.p.check"),
        "not a valid SQL expression: the expression is incomplete",
        "write one SQL expression over this table's columns, e.g. price >= 0",
    ),
    "check reads an unknown column": (
        HEAD + "      price: {type: integer, check: prcie > 0}\n",
        ("expr-column", 6, 37, "tables.t.columns.price.check"),
        'column "prcie" does not exist',
        'did you mean "price"?',
    ),
    "table check unparsable": (
        HEAD + "      a: integer\n    checks:\n      - 'a >'\n",
        ("expr-syntax", 8, 13, "tables.t.checks[0]"),
        "not a valid SQL expression: the expression is incomplete",
        "write one SQL expression over this table's columns, e.g. price >= 0",
    ),
    "identity on text": (
        HEAD + "      n: {type: text, identity: always}\n",
        ("identity-type", 6, 17, "tables.t.columns.n.type"),
        "must be smallint, integer or bigint",
        "bigint",
    ),
    "identity with a default": (
        HEAD + "      n: {type: integer, identity: always, default: 1}\n",
        ("identity-conflict", 6, 53, "tables.t.columns.n.default"),
        "cannot also have 'default'",
        "remove 'default'",
    ),
    "serial with a default": (
        HEAD + "      n: {type: serial, default: 1}\n",
        ("serial-conflict", 6, 34, "tables.t.columns.n.default"),
        "serial column 'n' cannot also have 'default'",
        "its sequence supplies the value",
    ),
    "generated from a generated column": (
        HEAD
        + "      a: integer\n      b: {type: integer, generated: {sql: a + 1}}\n"
        + "      c: {type: integer, generated: {sql: b + 1}}\n",
        ("expr-column", 8, 43, "tables.t.columns.c.generated.sql"),
        'a generated column cannot read another generated column ("b")',
        "repeat that column's expression here instead",
    ),
    "unique gin index": (
        HEAD
        + "      tags: text[]\n    indexes:\n      - {columns: [tags], using: gin, unique: true}\n",
        ("invalid-index", 8, 47, "tables.t.indexes[0].unique"),
        "only btree indexes can be unique",
        "",
    ),
    "index on an unknown column": (
        HEAD + "      a: text\n    indexes:\n      - {columns: [b desc]}\n",
        ("unknown-column", 8, 20, "tables.t.indexes[0].columns[0]"),
        "has no column 'b'",
        "",
    ),
    "unreadable index column": (
        HEAD + "      a: text\n    indexes:\n      - {columns: ['a sideways']}\n",
        ("invalid-index-column", 8, 20, "tables.t.indexes[0].columns[0]"),
        "cannot read index column 'a sideways'",
        "'created_at desc'",
    ),
    "misspelt index method": (
        HEAD + "      a: text\n    indexes:\n      - {columns: [a], using: gni}\n",
        ("invalid-value", 8, 31, "tables.t.indexes[0].using"),
        "not a valid using",
        "did you mean 'gin'?",
    ),
    "partial index reads an unknown column": (
        HEAD + "      a: text\n    indexes:\n      - {columns: [a], where: deleted_at IS NULL}\n",
        ("expr-column", 8, 31, "tables.t.indexes[0].where"),
        'column "deleted_at" does not exist',
        "columns: id, a",
    ),
    "composite foreign key arity": (
        HEAD
        + "      a: uuid\n      b: uuid\n    foreign_keys:\n      - {columns: [a, b], to: t(id)}\n",
        ("reference-arity", 9, 9, "tables.t.foreign_keys[0]"),
        "2 columns reference 1 columns of 't'",
        "t(id)",
    ),
    "composite foreign key to columns that are not unique": (
        HEAD + "      a: uuid\n      b: uuid\n    foreign_keys:\n"
        "      - columns: [a, b]\n        to: t(a, b)\n",
        ("reference-not-unique", 10, 13, "tables.t.foreign_keys[0].to"),
        "t(a, b) is neither the primary key nor unique",
        "unique: [[a, b]]",
    ),
    "composite foreign key to an unknown table": (
        HEAD + "      a: uuid\n    foreign_keys:\n      - {columns: [a], to: tt}\n",
        ("unknown-table", 8, 28, "tables.t.foreign_keys[0].to"),
        "unknown table 'tt'",
        "did you mean 't'?",
    ),
    "citext without its extension": (
        HEAD + "      e: citext\n",
        ("missing-extension", 6, 10, "tables.t.columns.e.type"),
        "needs the PostgreSQL extension 'citext'",
        "postgres: {extensions: [citext]}",
    ),
    "trigger asked for with nothing to bump": (
        "version: 1\npostgres: {on_update_trigger: true}\n" + BODY,
        ("unused-trigger", 2, 31, "postgres.on_update_trigger"),
        "no column has 'on_update: now'",
        "",
    ),
    "two dots in a table name": (
        "version: 1\ntables:\n  a.b.c:\n    columns:\n      id: {type: uuid, primary_key: true}\n",
        ("invalid-name", 3, 3, 'tables["a.b.c"]'),
        "more than one dot",
        "'schema.name'",
    ),
    "reference to an unknown schema-qualified table": (
        HEAD + "      u: {type: uuid, references: auth.user.id}\n",
        ("unknown-table", 6, 35, "tables.t.columns.u.references.to"),
        "unknown table 'auth.user'",
        "",
    ),
    "array default with a bad element": (
        HEAD + "      a: {type: 'integer[]', default: [1, x]}\n",
        ("invalid-default", 6, 39, "tables.t.columns.a.default"),
        "whole number",
        "",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_error_case(name: str) -> None:
    text, expected, message, hint = CASES[name]
    diag = only(text)
    assert where(diag) == expected
    assert message in diag.message
    assert hint in diag.hint


def test_all_feature_errors_are_reported_in_one_run() -> None:
    text = (
        "version: 1\nenums:\n  s: [a, a]\n"
        + BODY
        + "      n: {type: text, identity: always}\n      p: {type: integer, check: q > 0}\n"
    )
    codes = [d.code for d in spec_errors(text)]
    assert codes == ["duplicate-label", "identity-type", "expr-column"]


def test_a_misspelt_key_of_a_new_section_gets_a_did_you_mean() -> None:
    diag = only(HEAD + "      a: text\n    indexes:\n      - {columns: [a], inclde: [a]}\n")
    assert where(diag) == ("unknown-key", 8, 24, "tables.t.indexes[0].inclde")
    assert diag.hint == "did you mean 'include'?"
