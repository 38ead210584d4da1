"""Hostile and broken input, through the whole pipeline (issue 5).

Each bad spec must give exactly one positioned diagnostic: code, line,
column and key path are asserted, plus the words that tell the user what is
wrong and, where it matters, the hint.  Nothing may raise.  Legal but
hostile input (reserved words, quotes, backslashes, ``$$``, line breaks,
emoji, long derived names) is applied to PostgreSQL and read back from the
catalog: see tests/test_hostile_postgres.py.
"""

from __future__ import annotations

import tracemalloc

import pytest

from generator.pipeline import generate
from generator.source.loader import MAX_BYTES

H = "version: 1\ntables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"
SPECS: dict[str, str | bytes] = {
    # YAML
    "python_object_tag": H + "      x: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
    "python_tag_on_key_value": H + "      x: {type: !!python/name:os.system text}\n",
    "column_declared_twice": H + "      x: text\n      x: integer\n",
    "column_twice_case": H + "      x: text\n      X: integer\n",
    "table_declared_twice": H
    + "  t:\n    columns:\n      id: {type: integer, primary_key: true}\n",
    "yes_as_text_default": H + "      x: {type: text, default: yes}\n",
    "off_as_boolean_default": H + "      x: {type: boolean, default: off}\n",
    "no_as_nullable": H + "      x: {type: text, nullable: no}\n",
    "octal_integer_default": H + "      x: {type: integer, default: 0755}\n",
    "sexagesimal_time_default": H + "      x: {type: time, default: 12:30}\n",
    "underscore_integer_default": H + "      x: {type: integer, default: 1_000}\n",
    "float_text_default": H + "      x: {type: text, default: 1.10}\n",
    "date_default_unquoted": H + "      x: {type: date, default: 2024-01-31}\n",
    "date_as_text_default": H + "      x: {type: text, default: 2024-01-31}\n",
    "huge_integer_default": H + "      x: {type: bigint, default: " + "9" * 5000 + "}\n",
    "tab_indent": H + "\t  x: text\n",
    "invalid_utf8": H.encode() + b"      caf\xe9: text\n",
    "nul_raw": H + "      x: te\x00xt\n",
    "nul_escape_default": H + '      x: {type: text, default: "a\\0b"}\n',
    "nul_escape_description": H + '      x: {type: text, description: "a\\x00b"}\n',
    "nul_escape_table_description": 'version: 1\ntables:\n  t:\n    description: "a\\0"\n    columns:\n      id: {type: integer, primary_key: true}\n',
    "several_documents": H + "---\n" + H,
    "empty": "",
    # identifiers
    "name_64_bytes": H + "      " + "a" * 64 + ": text\n",
    "table_name_64_bytes": "version: 1\ntables:\n  "
    + "t" * 64
    + ":\n    columns:\n      id: {type: integer, primary_key: true}\n",
    "multibyte_name": H + "      " + "é" * 32 + ": text\n",
    "quote_in_name": H + "      'a\"b': text\n",
    "semicolon_in_name": H + "      'x; DROP TABLE t': text\n",
    "space_in_name": H + "      'a b': text\n",
    "empty_name": H + "      '': text\n",
    "tables_fold_to_same": H + "  T:\n    columns:\n      id: {type: integer, primary_key: true}\n",
    # types
    "varchar_zero": H + "      x: varchar(0)\n",
    "varchar_negative": H + "      x: varchar(-5)\n",
    "varchar_too_long": H + "      x: varchar(10485761)\n",
    "numeric_precision_zero": H + "      x: numeric(0,0)\n",
    "numeric_precision_1001": H + "      x: numeric(1001)\n",
    "numeric_scale_over_precision": H + "      x: numeric(5,6)\n",
    "unknown_type": H + "      x: integr\n",
    "unknown_type_synonym": H + "      x: string\n",
    "numeric_flow_comma": H + "      x: {type: numeric(5,2), default: 1}\n",
    "abc_for_integer": H + "      x: {type: integer, default: abc}\n",
    "too_long_for_varchar": H + "      x: {type: varchar(3), default: abcd}\n",
    "out_of_range_smallint": H + "      x: {type: smallint, default: 32768}\n",
    "out_of_range_real": H + "      x: {type: real, default: 1e39}\n",
    "overflowing_int_for_real": H + "      x: {type: real, default: " + "9" * 400 + "}\n",
    "infinite_double": H + "      x: {type: double precision, default: 1e999}\n",
    "too_many_decimals": H + "      x: {type: 'numeric(5,2)', default: 1.234}\n",
    "week_date": H + "      x: {type: date, default: '2024-W05-3'}\n",
    "basic_format_timestamp": H + "      x: {type: timestamp, default: '20240131T120000'}\n",
    "time_with_zone": H + "      x: {type: time, default: '12:30+02:00'}\n",
    "timestamp_with_zone": H + "      x: {type: timestamp, default: '2024-01-31 12:30:00Z'}\n",
    "timestamptz_without_zone": H
    + "      x: {type: timestamptz, default: '2024-01-31 12:30:00'}\n",
    "sql_default_with_comment": H + "      x: {type: text, default: {sql: \"'a' -- ,\"}}\n",
    "sql_default_with_statement": H
    + "      x: {type: text, default: {sql: \"'a'); DROP TABLE t; --\"}}\n",
    "sql_default_line_break_in_string": H
    + "      x: {type: text, default: {sql: \"'a  \\nb'\"}}\n",
    "sql_default_reads_a_column": H + '      x: {type: integer, default: {sql: "id + 1"}}\n',
    "sql_default_subquery": H + "      x: {type: integer, default: {sql: (SELECT 1)}}\n",
    # references
    "ref_missing_table": H + "      x: {type: integer, references: tt.id}\n",
    "ref_missing_column": H + "      x: {type: integer, references: t.idd}\n",
    "ref_not_unique": H + "      x: {type: integer, references: t.y}\n      y: integer\n",
    "ref_type_mismatch": H + "      x: {type: bigint, references: t.id}\n",
    "ref_set_null_not_null": H
    + "      x: {type: integer, references: {to: t.id, on_delete: set null}}\n",
    "ref_unreadable": H + "      x: {type: integer, references: t}\n",
    "no_primary_key": "version: 1\ntables:\n  t:\n    columns:\n      x: text\n",
    "two_primary_keys": "version: 1\ntables:\n  t:\n    columns:\n      x: {type: text, primary_key: true}\n      y: {type: text, primary_key: true}\n",
    "table_and_column_primary_key": "version: 1\ntables:\n  t:\n    primary_key: [y]\n    columns:\n      x: {type: text, primary_key: true}\n      y: text\n",
}


EXPECTED = [
    (
        "python_object_tag",
        ("yaml-tag", 6, 10, "tables.t.columns.x"),
        "python/object/apply:os.system",
        "",
    ),
    ("python_tag_on_key_value", ("yaml-tag", 6, 17, "tables.t.columns.x.type"), "", ""),
    (
        "column_declared_twice",
        ("duplicate-key", 7, 7, "tables.t.columns.x"),
        "first defined on line 6",
        "",
    ),
    ("column_twice_case", ("duplicate-column", 7, 7, "tables.t.columns.X"), "", ""),
    ("table_declared_twice", ("duplicate-key", 6, 3, "tables.t"), "", ""),
    (
        "yes_as_text_default",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "'yes' is a boolean in YAML 1.1",
        "quote it",
    ),
    ("off_as_boolean_default", ("invalid-default", 6, 35, "tables.t.columns.x.default"), "", ""),
    ("no_as_nullable", ("invalid-value", 6, 33, "tables.t.columns.x.nullable"), "", ""),
    (
        "octal_integer_default",
        ("invalid-default", 6, 35, "tables.t.columns.x.default"),
        "octal",
        "write 755, or 493 if you meant the octal 0755",
    ),
    (
        "sexagesimal_time_default",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "sexagesimal",
        "quote it",
    ),
    (
        "underscore_integer_default",
        ("invalid-default", 6, 35, "tables.t.columns.x.default"),
        "'_' digit separators",
        "write 1000",
    ),
    (
        "float_text_default",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "must be a string",
        "quote it",
    ),
    (
        "date_default_unquoted",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "is a date in YAML 1.1",
        "quote it",
    ),
    (
        "date_as_text_default",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "is a date in YAML 1.1",
        "",
    ),
    (
        "huge_integer_default",
        ("invalid-default", 6, 34, "tables.t.columns.x.default"),
        "too long to read",
        "",
    ),
    ("tab_indent", ("yaml-syntax", 6, 1, ""), "", "tabs"),
    ("invalid_utf8", ("encoding", 6, 10, ""), "", ""),
    ("nul_raw", ("nul-byte", 6, 12, ""), "", ""),
    ("nul_escape_default", ("nul-byte", 6, 32, "tables.t.columns.x.default"), "NUL", ""),
    ("nul_escape_description", ("nul-byte", 6, 36, "tables.t.columns.x.description"), "NUL", ""),
    ("nul_escape_table_description", ("nul-byte", 4, 18, "tables.t.description"), "NUL", ""),
    ("several_documents", ("multiple-documents", 6, 1, ""), "", ""),
    ("empty", ("empty-spec", 1, 1, ""), "", ""),
    (
        "name_64_bytes",
        (
            "name-too-long",
            6,
            7,
            "tables.t.columns.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ),
        "is 64 bytes",
        "",
    ),
    (
        "table_name_64_bytes",
        (
            "name-too-long",
            3,
            3,
            "tables.tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
        ),
        "is 64 bytes",
        "",
    ),
    (
        "multibyte_name",
        ("invalid-name", 6, 7, 'tables.t.columns["éééééééééééééééééééééééééééééééé"]'),
        "not a plain identifier",
        "",
    ),
    ("quote_in_name", ("invalid-name", 6, 7, 'tables.t.columns["a"b"]'), "", ""),
    ("semicolon_in_name", ("invalid-name", 6, 7, 'tables.t.columns["x; DROP TABLE t"]'), "", ""),
    ("space_in_name", ("invalid-name", 6, 7, 'tables.t.columns["a b"]'), "", ""),
    ("empty_name", ("invalid-name", 6, 7, 'tables.t.columns[""]'), "", ""),
    ("tables_fold_to_same", ("duplicate-table", 6, 3, "tables.T"), "", ""),
    ("varchar_zero", ("invalid-type", 6, 10, "tables.t.columns.x.type"), "", ""),
    ("varchar_negative", ("invalid-type", 6, 10, "tables.t.columns.x.type"), "", ""),
    ("varchar_too_long", ("invalid-type", 6, 10, "tables.t.columns.x.type"), "", ""),
    ("numeric_precision_zero", ("invalid-type", 6, 10, "tables.t.columns.x.type"), "", ""),
    ("numeric_precision_1001", ("invalid-type", 6, 10, "tables.t.columns.x.type"), "", ""),
    ("numeric_scale_over_precision", ("invalid-type", 6, 10, "tables.t.columns.x.type"), "", ""),
    (
        "unknown_type",
        ("unknown-type", 6, 10, "tables.t.columns.x.type"),
        "unknown type 'integr'",
        "did you mean 'integer'?",
    ),
    ("unknown_type_synonym", ("unknown-type", 6, 10, "tables.t.columns.x.type"), "", ""),
    (
        "numeric_flow_comma",
        ("unknown-key", 6, 27, 'tables.t.columns.x["2)"]'),
        "split at the comma",
        "quote the type",
    ),
    (
        "abc_for_integer",
        ("invalid-default", 6, 35, "tables.t.columns.x.default"),
        "whole number",
        "",
    ),
    ("too_long_for_varchar", ("invalid-default", 6, 38, "tables.t.columns.x.default"), "", ""),
    ("out_of_range_smallint", ("invalid-default", 6, 36, "tables.t.columns.x.default"), "", ""),
    (
        "out_of_range_real",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "out of range for real",
        "",
    ),
    (
        "overflowing_int_for_real",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "out of range for real",
        "",
    ),
    (
        "infinite_double",
        ("invalid-default", 6, 44, "tables.t.columns.x.default"),
        "out of range for double precision",
        "",
    ),
    ("too_many_decimals", ("invalid-default", 6, 42, "tables.t.columns.x.default"), "", ""),
    (
        "week_date",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "not a date in ISO 8601 form",
        "",
    ),
    (
        "basic_format_timestamp",
        ("invalid-default", 6, 37, "tables.t.columns.x.default"),
        "not a timestamp in ISO 8601 form",
        "",
    ),
    (
        "time_with_zone",
        ("invalid-default", 6, 32, "tables.t.columns.x.default"),
        "has a time zone",
        "",
    ),
    (
        "timestamp_with_zone",
        ("invalid-default", 6, 37, "tables.t.columns.x.default"),
        "has a time zone",
        "",
    ),
    ("timestamptz_without_zone", ("invalid-default", 6, 39, "tables.t.columns.x.default"), "", ""),
    (
        "sql_default_with_comment",
        ("expr-syntax", 6, 43, "tables.t.columns.x.default.sql"),
        "comments",
        "",
    ),
    (
        "sql_default_with_statement",
        ("expr-syntax", 6, 42, "tables.t.columns.x.default.sql"),
        "",
        "",
    ),
    (
        "sql_default_line_break_in_string",
        ("expr-syntax", 6, 38, "tables.t.columns.x.default.sql"),
        "line break",
        "",
    ),
    (
        "sql_default_reads_a_column",
        ("expr-column", 6, 42, "tables.t.columns.x.default.sql"),
        "cannot read a column",
        "",
    ),
    ("sql_default_subquery", ("expr-subquery", 6, 41, "tables.t.columns.x.default.sql"), "", ""),
    ("ref_missing_table", ("unknown-table", 6, 38, "tables.t.columns.x.references.to"), "", ""),
    ("ref_missing_column", ("unknown-column", 6, 38, "tables.t.columns.x.references.to"), "", ""),
    (
        "ref_not_unique",
        ("reference-not-unique", 6, 38, "tables.t.columns.x.references.to"),
        "neither the primary key nor unique",
        "",
    ),
    (
        "ref_type_mismatch",
        ("reference-type", 6, 17, "tables.t.columns.x.type"),
        "is bigint but references t.id, which is integer",
        "",
    ),
    (
        "ref_set_null_not_null",
        ("set-null-not-nullable", 6, 60, "tables.t.columns.x.references.on_delete"),
        "",
        "",
    ),
    ("ref_unreadable", ("invalid-reference", 6, 38, "tables.t.columns.x.references.to"), "", ""),
    ("no_primary_key", ("missing-primary-key", 3, 3, "tables.t"), "", ""),
    ("two_primary_keys", ("two-primary-keys", 6, 36, "tables.t.columns.y.primary_key"), "", ""),
    ("table_and_column_primary_key", ("two-primary-keys", 4, 18, "tables.t.primary_key"), "", ""),
]


def test_every_spec_has_an_expectation() -> None:
    assert sorted(SPECS) == sorted(name for name, *_ in EXPECTED)


@pytest.mark.parametrize(("name", "where", "words", "hint"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_bad_input_gives_one_positioned_diagnostic(
    name: str, where: tuple[str, int, int, str], words: str, hint: str
) -> None:
    text = SPECS[name]
    result = generate(text if isinstance(text, bytes) else text.encode(), "schema.yaml")
    assert result.files == {}
    assert [(d.code, d.span.line, d.span.col, d.path) for d in result.diagnostics if d.span] == [
        where
    ]
    assert words in result.diagnostics[0].message
    assert hint in result.diagnostics[0].hint
    assert result.diagnostics[0].hint  # every diagnostic says how to fix it


def test_billion_laughs_finishes_small() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):  # 10**10 leaves if expanded
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    tracemalloc.start()
    try:
        result = generate(("\n".join(levels) + "\n").encode(), "schema.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d.code for d in result.diagnostics] == ["yaml-aliases"]
    assert peak < 20 * 1024 * 1024


def test_a_file_over_the_size_limit_is_refused_before_parsing() -> None:
    raw = b"version: 1\n# " + b"x" * MAX_BYTES + b"\n"
    result = generate(raw, "schema.yaml")
    assert [(d.code, d.span.line, d.span.col) for d in result.diagnostics if d.span] == [
        ("file-too-large", 1, 1)
    ]


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    text = (
        H
        + "      a: {type: varchar(0)}\n"
        + "      b: {type: integer, default: abc}\n"
        + "      c: {type: integer, references: nope.id}\n"
        + "      'd e': text\n"
    )
    result = generate(text.encode(), "schema.yaml")
    assert [(d.code, d.span.line) for d in result.diagnostics if d.span] == [
        ("invalid-type", 6),
        ("invalid-default", 7),
        ("unknown-table", 8),
        ("invalid-name", 9),
    ]
