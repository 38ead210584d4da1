"""Semantic validation through generator.pipeline.load_schema: one positioned error per case."""

from __future__ import annotations

import pytest
from diag import FILE, HEAD, only, spec_errors, where

from generator.diagnostics import format_all
from generator.pipeline import load_schema

# Each case: (spec text, (code, line, col, key path), words the message must hold, hint words).
# Columns appended to HEAD start on line 6, at column 7.
CASES: dict[str, tuple[str, tuple[str, int, int, str], str, str]] = {
    "unknown key with did-you-mean": (
        HEAD + "      a: {type: text, nulable: true}\n",
        ("unknown-key", 6, 23, "tables.t.columns.a.nulable"),
        "unknown key 'nulable'",
        "did you mean 'nullable'?",
    ),
    "unknown table-level key": (
        "version: 1\ntables:\n  t:\n    colums: {a: {type: text, primary_key: true}}\n",
        ("unknown-key", 4, 5, "tables.t.colums"),
        "unknown key 'colums'",
        "did you mean 'columns'?",
    ),
    "missing type": (
        HEAD + "      a: {nullable: true}\n",
        ("missing-key", 6, 7, "tables.t.columns.a.type"),
        "missing required key 'type'",
        "add 'type:'",
    ),
    "missing columns": (
        "version: 1\ntables:\n  t:\n    description: x\n",
        ("missing-key", 3, 3, "tables.t.columns"),
        "missing required key 'columns'",
        "add 'columns:'",
    ),
    "missing version": (
        "tables: {}\n",
        ("missing-key", 1, 1, "version"),
        "missing required key 'version'",
        "add 'version: 1'",
    ),
    "wrong version": (
        "version: 2\ntables: {}\n",
        ("invalid-value", 1, 10, "version"),
        "the number 2 is not a valid version",
        "expected 1",
    ),
    "nullable: yes": (
        HEAD + "      a: {type: text, nullable: yes}\n",
        ("invalid-value", 6, 33, "tables.t.columns.a.nullable"),
        "expected true or false, got the string 'yes'",
        "'yes' is not a boolean in YAML 1.2",
    ),
    "nullable quoted true": (
        HEAD + "      a: {type: text, nullable: 'true'}\n",
        ("invalid-value", 6, 33, "tables.t.columns.a.nullable"),
        "expected true or false, got the string 'true'",
        "remove the quotes: write true",
    ),
    "type is a number": (
        HEAD + "      a: {type: 5}\n",
        ("invalid-value", 6, 17, "tables.t.columns.a.type"),
        "expected a string, got the number 5",
        "quote it: '5'",
    ),
    "columns is a list": (
        "version: 1\ntables:\n  t:\n    columns: [a, b]\n",
        ("invalid-value", 4, 14, "tables.t.columns"),
        "expected a mapping, got a list",
        "key: value",
    ),
    "unknown on_delete action": (
        HEAD + "      a: {type: uuid, references: {to: t.id, on_delete: cascades}}\n",
        ("invalid-value", 6, 57, "tables.t.columns.a.references.on_delete"),
        "the string 'cascades' is not a valid on_delete",
        "did you mean 'cascade'?",
    ),
    "numeric params split by a flow mapping": (
        HEAD + "      a: {type: numeric(5,2), default: 1}\n",
        ("unknown-key", 6, 27, 'tables.t.columns.a["2)"]'),
        "split at the comma",
        "quote the type",
    ),
    "unknown type": (
        HEAD + "      a: txt\n",
        ("unknown-type", 6, 10, "tables.t.columns.a.type"),
        "unknown type 'txt'",
        "did you mean 'text'?",
    ),
    "type synonym from another tool": (
        HEAD + "      a: {type: string}\n",
        ("unknown-type", 6, 17, "tables.t.columns.a.type"),
        "unknown type 'string'",
        "PostgreSQL calls it 'text'",
    ),
    "varchar without length is fine, varchar(0) is not": (
        HEAD + "      a: varchar\n      b: varchar(0)\n",
        ("invalid-type", 7, 10, "tables.t.columns.b.type"),
        "varchar length 0 is out of range",
        "use a length from 1",
    ),
    "numeric scale above precision": (
        HEAD + "      a: {type: 'numeric(2,3)'}\n",
        ("invalid-type", 6, 17, "tables.t.columns.a.type"),
        "numeric scale 3 is out of range",
        "from 0 to the precision (2)",
    ),
    "unknown table in reference": (
        HEAD + "      a: {type: uuid, references: {to: tt.id}}\n",
        ("unknown-table", 6, 40, "tables.t.columns.a.references.to"),
        "unknown table 'tt'",
        "did you mean 't'?",
    ),
    "unknown column in reference": (
        HEAD + "      a: {type: uuid, references: {to: t.idd}}\n",
        ("unknown-column", 6, 40, "tables.t.columns.a.references.to"),
        "table 't' has no column 'idd'",
        "did you mean 'id'?",
    ),
    "unreadable reference": (
        HEAD + "      a: {type: uuid, references: t}\n",
        ("invalid-reference", 6, 35, "tables.t.columns.a.references.to"),
        "cannot read reference 't'",
        "'table.column'",
    ),
    "reference to a column that is not unique": (
        HEAD + "      b: uuid\n      a: {type: uuid, references: {to: t.b}}\n",
        ("reference-not-unique", 7, 40, "tables.t.columns.a.references.to"),
        "t.b is neither the primary key nor unique",
        "mark 'b' 'unique: true'",
    ),
    "type mismatch across a reference": (
        HEAD + "      a: {type: integer, references: t.id}\n",
        ("reference-type", 6, 17, "tables.t.columns.a.type"),
        "t.a is integer but references t.id, which is uuid",
        "make 'a' a uuid column",
    ),
    "varchar length mismatch across a reference": (
        "version: 1\ntables:\n  u:\n    columns:\n      code: {type: varchar(10), primary_key: true}\n"
        "  t:\n    columns:\n      id: {type: uuid, primary_key: true}\n"
        "      code: {type: varchar(20), references: u.code}\n",
        ("reference-type", 9, 20, "tables.t.columns.code.type"),
        "t.code is varchar(20) but references u.code, which is varchar(10)",
        "make 'code' a varchar(10) column",
    ),
    "table names differing only in case": (
        "version: 1\ntables:\n  T:\n    columns:\n      id: {type: uuid, primary_key: true}\n"
        "  t:\n    columns:\n      id: {type: uuid, primary_key: true}\n",
        ("duplicate-table", 6, 3, "tables.t"),
        "table 't' differs from 'T' only in case",
        "different names",
    ),
    "public.t and t are one table": (
        "version: 1\ntables:\n  t:\n    columns:\n      id: {type: uuid, primary_key: true}\n"
        "  public.t:\n    columns:\n      id: {type: uuid, primary_key: true}\n",
        ("duplicate-table", 6, 3, 'tables["public.t"]'),
        "tables 't' and 'public.t' are the same table: public is PostgreSQL's default schema",
        "declare the table once, as 't'",
    ),
    "a domain named like a table": (
        "version: 1\ndomains:\n  t: {type: integer}\ntables:\n  t:\n    columns:\n"
        "      id: {type: uuid, primary_key: true}\n",
        ("type-name-taken", 3, 3, "domains.t"),
        "domain 't' has the same name as a table; in PostgreSQL a table is also a type",
        "rename the domain or the table",
    ),
    "a reserved word as a default": (
        HEAD + "      table: {type: real, default: {sql: table}}\n",
        ("expr-keyword", 6, 42, "tables.t.columns.table.default.sql"),
        "'table' is a reserved word in SQL",
        'quote the column name: "table"',
    ),
    "column names differing only in case": (
        HEAD + "      Name: text\n      name: text\n",
        ("duplicate-column", 7, 7, "tables.t.columns.name"),
        "column 'name' is defined twice in table 't' (first on line 6)",
        "remove or rename",
    ),
    "group column clashing with a direct column": (
        "version: 1\ncolumn_groups:\n  ts:\n    created_at: timestamp\ntables:\n  t:\n"
        "    columns:\n      id: {type: uuid, primary_key: true}\n      created_at: timestamp\n"
        "      ...ts:\n",
        ("duplicate-column", 10, 7, 'tables.t.columns["...ts"]'),
        "column group 'ts' adds column 'created_at', which table 't' already has (line 9)",
        "remove or rename",
    ),
    "column name over 63 bytes": (
        HEAD + "      " + "a" * 64 + ": text\n",
        ("name-too-long", 6, 7, "tables.t.columns." + "a" * 64),
        "is 64 bytes; PostgreSQL keeps 63",
        "at most 63 bytes",
    ),
    "table name over 63 bytes": (
        "version: 1\ntables:\n  "
        + "t" * 64
        + ":\n    columns:\n      id: {type: uuid, primary_key: true}\n",
        ("name-too-long", 3, 3, "tables." + "t" * 64),
        "table name '" + "t" * 64 + "' is 64 bytes",
        "truncate it silently",
    ),
    "non-ASCII column name": (
        # 32 characters, 64 bytes: refused as a name before its length matters
        HEAD + "      " + "é" * 32 + ": text\n",
        ("invalid-name", 6, 7, 'tables.t.columns["' + "é" * 32 + '"]'),
        "is not a plain identifier",
        "letters, digits and underscores",
    ),
    "'abc' for integer": (
        HEAD + "      a: {type: integer, default: abc}\n",
        ("invalid-default", 6, 35, "tables.t.columns.a.default"),
        "integer default must be a whole number, not a string",
        "write a number",
    ),
    "quoted number for integer": (
        HEAD + "      a: {type: integer, default: '5'}\n",
        ("invalid-default", 6, 35, "tables.t.columns.a.default"),
        "integer default must be a whole number, not a string",
        "remove the quotes: default: 5",
    ),
    "integer out of range": (
        HEAD + "      a: {type: integer, default: 2147483648}\n",
        ("invalid-default", 6, 35, "tables.t.columns.a.default"),
        "default 2147483648 is out of range for integer (-2147483648 to 2147483647)",
        "make the column bigint",
    ),
    "smallint out of range": (
        HEAD + "      a: {type: smallint, default: -32769}\n",
        ("invalid-default", 6, 36, "tables.t.columns.a.default"),
        "default -32769 is out of range for smallint",
        "",
    ),
    "too long for varchar": (
        HEAD + "      a: {type: varchar(3), default: abcd}\n",
        ("invalid-default", 6, 38, "tables.t.columns.a.default"),
        "default is 4 characters; varchar(3) holds 3",
        "varchar(4)",
    ),
    "varchar length counts characters not bytes": (
        HEAD
        + "      a: {type: varchar(3), default: ééé}\n      b: {type: varchar(3), default: éééé}\n",
        ("invalid-default", 7, 38, "tables.t.columns.b.default"),
        "default is 4 characters",
        "",
    ),
    "numeric scale": (
        HEAD + "      a:\n        type: numeric(5,2)\n        default: 1.234\n",
        ("invalid-default", 8, 18, "tables.t.columns.a.default"),
        "1.234 has 3 decimal places; numeric(5,2) keeps 2",
        "raise the scale",
    ),
    "numeric precision": (
        HEAD + "      a:\n        type: numeric(5,2)\n        default: 1234.5\n",
        ("invalid-default", 8, 18, "tables.t.columns.a.default"),
        "1234.5 has 4 digits before the decimal point; numeric(5,2) allows 3",
        "raise the precision",
    ),
    "unquoted 0755": (
        HEAD + "      a: {type: integer, default: 0755}\n",
        ("invalid-default", 6, 35, "tables.t.columns.a.default"),
        "unquoted '0755' is an octal number in YAML 1.1",
        "write 755, or 493 if you meant the octal 0755",
    ),
    "unquoted 12:30": (
        HEAD + "      a: {type: text, default: 12:30}\n",
        ("invalid-default", 6, 32, "tables.t.columns.a.default"),
        "unquoted '12:30' is a sexagesimal number in YAML 1.1",
        "quote it ('12:30')",
    ),
    "unquoted 1_000": (
        HEAD + "      a: {type: integer, default: 1_000}\n",
        ("invalid-default", 6, 35, "tables.t.columns.a.default"),
        "unquoted '1_000' contains '_' digit separators",
        "write 1000",
    ),
    "unquoted date": (
        HEAD + "      a: {type: date, default: 2024-01-01}\n",
        ("invalid-default", 6, 32, "tables.t.columns.a.default"),
        "unquoted '2024-01-01' is a date in YAML 1.1",
        "quote it: default: '2024-01-01'",
    ),
    "unquoted no for a text column": (
        HEAD + "      a: {type: text, default: no}\n",
        ("invalid-default", 6, 32, "tables.t.columns.a.default"),
        "unquoted 'no' is a boolean in YAML 1.1",
        "quote it ('no')",
    ),
    "no for a boolean column": (
        HEAD + "      a: {type: boolean, default: off}\n",
        ("invalid-default", 6, 35, "tables.t.columns.a.default"),
        "boolean default must be true or false, not a string",
        "'off' is not a boolean in YAML 1.2",
    ),
    "'now' as a timestamp literal": (
        HEAD + "      a: {type: timestamp, default: 'now'}\n",
        ("invalid-default", 6, 37, "tables.t.columns.a.default"),
        "the literal 'now' is evaluated once, when the table is created",
        "default: {sql: now()}",
    ),
    "unquoted now as a timestamp literal": (
        HEAD + "      a: {type: timestamptz, default: now}\n",
        ("invalid-default", 6, 39, "tables.t.columns.a.default"),
        "the literal 'now' is evaluated once",
        "default: {sql: now()}",
    ),
    "timestamptz literal without a zone": (
        HEAD + "      a: {type: timestamptz, default: '2024-01-01T00:00:00'}\n",
        ("invalid-default", 6, 39, "tables.t.columns.a.default"),
        "'2024-01-01T00:00:00' has no time zone",
        "add one",
    ),
    "uuid literal that is not a uuid": (
        HEAD + "      a: {type: uuid, default: abc}\n",
        ("invalid-default", 6, 32, "tables.t.columns.a.default"),
        "'abc' is not a UUID",
        "gen_random_uuid()",
    ),
    "text default that is a number": (
        HEAD + "      a: {type: text, default: 5}\n",
        ("invalid-default", 6, 32, "tables.t.columns.a.default"),
        "text default must be a string, not a number",
        "quote it: default: '5'",
    ),
    "SQL default that is two statements": (
        HEAD + "      a: {type: timestamp, default: {sql: 'now(); drop table x'}}\n",
        ("expr-syntax", 6, 49, "tables.t.columns.a.default.sql"),
        "a ';' ends the expression: this is one SQL expression, not statements",
        "remove the ';' and what follows it",
    ),
    "SQL default that does not parse": (
        HEAD + "      a: {type: integer, default: {sql: '1 +'}}\n",
        ("expr-syntax", 6, 45, "tables.t.columns.a.default.sql"),
        "not a valid SQL expression: the expression is incomplete",
        "write one SQL expression over this table's columns, e.g. price >= 0",
    ),
    "SQL default with a subquery": (
        HEAD + "      a: {type: integer, default: {sql: '(select 1)'}}\n",
        ("expr-subquery", 6, 42, "tables.t.columns.a.default.sql"),
        "a subquery is not allowed in a DEFAULT",
        "read other rows in a trigger, or use a foreign key",
    ),
    "SQL default with extra keys": (
        HEAD + "      a: {type: integer, default: {sql: '1', cast: int}}\n",
        ("invalid-default", 6, 35, "tables.t.columns.a.default"),
        "an SQL default is written {sql: <expression>} with nothing else",
        "",
    ),
    "missing primary key": (
        "version: 1\ntables:\n  t:\n    columns:\n      a: text\n",
        ("missing-primary-key", 3, 3, "tables.t"),
        "table 't' has no primary key",
        "primary_key: true",
    ),
    "two columns marked primary key": (
        HEAD + "      b: {type: uuid, primary_key: true}\n",
        ("two-primary-keys", 6, 36, "tables.t.columns.b.primary_key"),
        "table 't' marks 2 columns as primary_key",
        "primary_key: [id, b]",
    ),
    "table-level and column primary key": (
        "version: 1\ntables:\n  t:\n    primary_key: [a]\n    columns:\n"
        "      a: {type: uuid, primary_key: true}\n",
        ("two-primary-keys", 4, 18, "tables.t.primary_key"),
        "both a table-level primary_key and primary_key: true on column 'a'",
        "keep one of them",
    ),
    "composite key naming an unknown column": (
        "version: 1\ntables:\n  t:\n    primary_key: [a, bb]\n    columns:\n      a: uuid\n      b: uuid\n",
        ("unknown-column", 4, 22, "tables.t.primary_key[1]"),
        "table 't' has no column 'bb'",
        "did you mean 'b'?",
    ),
    "nullable primary key": (
        "version: 1\ntables:\n  t:\n    columns:\n      id: {type: uuid, primary_key: true, nullable: true}\n",
        ("nullable-primary-key", 5, 53, "tables.t.columns.id.nullable"),
        "primary key column 'id' cannot be nullable",
        "remove 'nullable: true'",
    ),
    "set null on a NOT NULL column": (
        HEAD + "      a: {type: uuid, references: {to: t.id, on_delete: set null}}\n",
        ("set-null-not-nullable", 6, 57, "tables.t.columns.a.references.on_delete"),
        "on_delete: set null on NOT NULL column 'a'",
        "nullable: true",
    ),
    "set default without a default": (
        HEAD
        + "      a: {type: uuid, nullable: true, references: {to: t.id, on_update: set default}}\n",
        ("set-default-no-default", 6, 73, "tables.t.columns.a.references.on_update"),
        "on_update: set default on column 'a', which has no default",
        "give the column a default",
    ),
    "on_update: now on a non-time column": (
        HEAD + "      a: {type: text, on_update: now}\n",
        ("on-update-type", 6, 34, "tables.t.columns.a.on_update"),
        "on_update: now needs a timestamp, timestamptz or date column, not text",
        "remove on_update",
    ),
    "unknown column group": (
        "version: 1\ncolumn_groups:\n  timestamps:\n    created_at: timestamp\n"
        "tables:\n  t:\n    columns:\n      id: {type: uuid, primary_key: true}\n"
        "      ...timestamp:\n",
        ("unknown-group", 9, 7, 'tables.t.columns["...timestamp"]'),
        "unknown column group 'timestamp'",
        "did you mean 'timestamps'?",
    ),
    "column group with a value": (
        "version: 1\ncolumn_groups:\n  g:\n    x: text\ntables:\n  t:\n    columns:\n"
        "      id: {type: uuid, primary_key: true}\n      ...g: text\n",
        ("group-value", 9, 13, 'tables.t.columns["...g"]'),
        "'...g' inserts a column group and takes no value",
        "nothing after the colon",
    ),
    "column without a type": (
        HEAD + "      a:\n",
        ("missing-type", 6, 7, "tables.t.columns.a"),
        "column 'a' has no type",
        "'...a:' to insert a column group",
    ),
    "unique naming an unknown column": (
        "version: 1\ntables:\n  t:\n    unique: [[id, nme]]\n    columns:\n"
        "      id: {type: uuid, primary_key: true}\n      name: text\n",
        ("unknown-column", 4, 19, "tables.t.unique[0][1]"),
        "table 't' has no column 'nme'",
        "did you mean 'name'?",
    ),
    "unique on the primary key": (
        HEAD.replace("primary_key: true", "primary_key: true, unique: true"),
        ("redundant-unique", 5, 51, "tables.t.columns.id.unique"),
        "column 'id' is already unique (it is the primary key)",
        "remove 'unique: true'",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_error_case(name: str) -> None:
    text, expected, message, hint = CASES[name]
    diag = only(text)
    assert where(diag) == expected
    assert message in diag.message
    assert hint in diag.hint
    assert diag.hint, "every error has a hint"


def test_every_error_of_a_file_is_reported_in_one_run() -> None:
    text = (
        "version: 1\n"  # 1
        "tables:\n"  # 2
        "  projects:\n"  # 3
        "    columns:\n"  # 4
        "      id: {type: uuid, primary_key: true}\n"  # 5
        "      title: {type: txt, nulable: true}\n"  # 6
        "      size: {type: integer, default: abc}\n"  # 7
        "  assets:\n"  # 8
        "    columns:\n"  # 9
        "      project_id: {type: uuid, references: {to: project.id}}\n"  # 10
        "      updated_at: {type: text, on_update: now}\n"  # 11
    )
    assert [where(d) for d in spec_errors(text)] == [
        ("unknown-type", 6, 21, "tables.projects.columns.title.type"),
        ("unknown-key", 6, 26, "tables.projects.columns.title.nulable"),
        ("invalid-default", 7, 38, "tables.projects.columns.size.default"),
        ("missing-primary-key", 8, 3, "tables.assets"),
        ("unknown-table", 10, 49, "tables.assets.columns.project_id.references.to"),
        ("on-update-type", 11, 43, "tables.assets.columns.updated_at.on_update"),
    ]


def test_several_shape_errors_are_reported_together() -> None:
    text = HEAD + "      a: {type: text, nullable: yes}\n      b: {type: 5, unique: 'no'}\n"
    assert [where(d) for d in spec_errors(text)] == [
        ("invalid-value", 6, 33, "tables.t.columns.a.nullable"),
        ("invalid-value", 7, 17, "tables.t.columns.b.type"),
        ("invalid-value", 7, 28, "tables.t.columns.b.unique"),
    ]


def test_formatted_output_has_position_path_excerpt_and_hint() -> None:
    text = HEAD + "      a: {type: text, nullable: yes}\n      b: txt\n"
    loaded = load_schema(text.encode(), FILE)
    assert format_all(loaded.diagnostics, loaded.sources) == (
        "schema.yaml:6:33: error[invalid-value]: expected true or false, got the string 'yes'\n"
        "  at: tables.t.columns.a.nullable\n"
        "     6 |       a: {type: text, nullable: yes}\n"
        "       |                                 ^\n"
        "  hint: 'yes' is not a boolean in YAML 1.2; write true or false\n"
        "schema.yaml:7:10: error[unknown-type]: unknown type 'txt'\n"
        "  at: tables.t.columns.b.type\n"
        "     7 |       b: txt\n"
        "       |          ^\n"
        "  hint: did you mean 'text'?\n"
        "2 errors found\n"
    )


def test_shape_and_meaning_errors_are_reported_in_one_run() -> None:
    # A typo'd key, a bad action and a bad flag used to hide the semantic errors
    # until they were fixed; a safely repaired copy is now checked too.
    text = (
        "version: 1\n"
        "tables:\n"
        "  projects:\n"
        "    colums:\n"
        "      id: {type: uuid, primary_key: true}\n"
        "      owner: {type: strng}\n"
        "  tasks:\n"
        "    columns:\n"
        "      id: {type: uuid, primary_key: true}\n"
        "      project_id: {type: uuid, references: {to: project.id, on_delete: cascades}}\n"
        "      title: {type: txt, nullable: yes}\n"
    )
    loaded = load_schema(text.encode(), FILE)
    assert loaded.schema is None
    assert [where(d) for d in loaded.diagnostics] == [
        ("unknown-key", 4, 5, "tables.projects.colums"),
        # inside the renamed mapping: positions are those of the text as written
        ("unknown-type", 6, 21, "tables.projects.columns.owner.type"),
        ("unknown-table", 10, 49, "tables.tasks.columns.project_id.references.to"),
        ("invalid-value", 10, 72, "tables.tasks.columns.project_id.references.on_delete"),
        ("unknown-type", 11, 21, "tables.tasks.columns.title.type"),
        ("invalid-value", 11, 36, "tables.tasks.columns.title.nullable"),
    ]


def test_a_missing_required_key_is_one_error_among_the_rest() -> None:
    # 'a' has no type: its own follow-ons (no type to check the default against)
    # are not reported, but the unknown type of 'b' is.
    text = HEAD + "      a: {nullable: true, default: 5}\n      b: txt\n"
    loaded = load_schema(text.encode(), FILE)
    assert [where(d) for d in loaded.diagnostics] == [
        ("missing-key", 6, 7, "tables.t.columns.a.type"),
        ("unknown-type", 7, 10, "tables.t.columns.b.type"),
    ]


def test_formatted_output_for_several_errors_counts_them() -> None:
    text = HEAD + "      a: txt\n      b: {type: integer, default: x}\n"
    loaded = load_schema(text.encode(), FILE)
    out = format_all(loaded.diagnostics, loaded.sources)
    assert out.splitlines() == [
        "schema.yaml:6:10: error[unknown-type]: unknown type 'txt'",
        "  at: tables.t.columns.a.type",
        "     6 |       a: txt",
        "       |          ^",
        "  hint: did you mean 'text'?",
        "schema.yaml:7:35: error[invalid-default]: integer default must be a whole number, not a string",
        "  at: tables.t.columns.b.default",
        "     7 |       b: {type: integer, default: x}",
        "       |                                   ^",
        "  hint: write a number (e.g. default: 0), or an SQL expression as default: {sql: ...}",
        "2 errors found",
    ]


def test_a_spec_that_is_not_a_mapping() -> None:
    diag = only("- a\n- b\n")
    assert where(diag) == ("invalid-value", 1, 1, "")
    assert diag.message == "the spec must be a mapping, got a list"


def test_valid_specs_produce_no_diagnostics() -> None:
    loaded = load_schema(
        (
            HEAD
            + "      a: {type: varchar, default: ééé}\n"
            + "      b: {type: 'numeric(5,2)', default: 123.45}\n"
            + "      c: {type: timestamptz, default: '2024-01-01T00:00:00+02:00'}\n"
            + "      d: {type: date, default: '2024-02-29'}\n"
            + "      e: {type: boolean, default: false}\n"
            + "      f: {type: bigint, default: -9223372036854775808}\n"
            + "      g: {type: text, default: {sql: \"'a' || 'b'\"}}\n"
            + "      h: {type: uuid, nullable: true, references: {to: t.id, on_delete: set null}}\n"
        ).encode(),
        FILE,
    )
    assert loaded.diagnostics == []
    assert loaded.schema is not None
    t = loaded.schema.table("t")
    assert [c.name for c in t.columns] == ["id", "a", "b", "c", "d", "e", "f", "g", "h"]
    assert t.column("f").default is not None and t.column("f").default.sql == "-9223372036854775808"
