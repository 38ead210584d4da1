"""Column types the spec cannot spell: exact messages, positions and hints."""

from __future__ import annotations

from diag import HEAD, only, where

from generator.types import TYPES


def test_type_enum_is_refused_with_a_hint_to_declare_the_enum() -> None:
    diag = only(HEAD + "      status: enum\n")
    assert where(diag) == ("invalid-type", 6, 15, "tables.t.columns.status.type")
    assert diag.message == "'enum' is not a type you can write"
    assert diag.hint == (
        "declare the enum under 'enums:' (e.g. enums: {status: [draft, published]}) "
        "and write its name as the type: type: status"
    )


def test_an_array_of_enum_is_refused_the_same_way() -> None:
    diag = only(HEAD + "      tags: {type: 'enum[]'}\n")
    assert where(diag) == ("invalid-type", 6, 20, "tables.t.columns.tags.type")
    assert diag.message == "'enum' is not a type you can write"


def test_internal_kinds_are_not_offered_as_known_types() -> None:
    diag = only(HEAD + "      a: frobnicate\n")
    assert diag.message == "unknown type 'frobnicate'"
    internal = [name for name, info in TYPES.items() if info.internal]
    assert internal == ["enum"]
    known = diag.hint.partition("known types: ")[2].split(", ")
    assert known[:2] == ["bigint", "boolean"]
    assert not set(internal) & set(known)


def test_an_undeclared_enum_name_gets_a_hint_to_declare_it() -> None:
    diag = only(HEAD + "      status: post_status\n")
    assert where(diag) == ("unknown-type", 6, 15, "tables.t.columns.status.type")
    assert diag.message == "unknown type 'post_status'"
    assert diag.hint.startswith(
        "to make it an enum, declare it under 'enums:', e.g. enums: {post_status: [a, b]}; "
        "known types: bigint, boolean,"
    )


def test_a_close_declared_enum_is_suggested_instead() -> None:
    diag = only("version: 1\nenums:\n  post_status: [a]\n" + HEAD[11:] + "      s: post_statu\n")
    assert diag.hint == "did you mean 'post_status'?"


def test_habits_postgresql_refuses_get_its_name() -> None:
    diag = only(HEAD + "      n: datetime\n")
    assert (diag.message, diag.hint) == (
        "unknown type 'datetime'",
        "PostgreSQL calls it 'timestamptz'",
    )


def test_spellings_from_real_ddl_are_the_type_they_name() -> None:
    from generator.pipeline import load_schema

    written = {
        "INT": "integer",
        "int4": "integer",
        "int8": "bigint",
        "float8": "double precision",
        "bool": "boolean",
        "VARCHAR(160)": "varchar(160)",
        "character varying(20)": "varchar(20)",
        "'NUMERIC(10,2)'": "numeric(10,2)",
        "timestamp with time zone": "timestamptz",
        "Double  Precision": "double precision",
        "character(2)": "char(2)",
        "char": "char(1)",
    }
    lines = "".join(f"      c{i}: {t}\n" for i, t in enumerate(written))
    loaded = load_schema((HEAD + lines).encode(), "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    got = [c.type.sql for c in loaded.schema.tables[0].columns[1:]]
    assert got == list(written.values())


def test_a_nextval_default_is_refused_with_the_serial_to_write() -> None:
    diag = only(HEAD + "      n: {type: bigint, default: {sql: \"nextval('n_seq'::regclass)\"}}\n")
    assert where(diag) == ("sequence-default", 6, 40, "tables.t.columns.n.default.sql")
    assert diag.hint.startswith("write type: bigserial and remove the default")


def test_a_serial_column_takes_no_default_identity_or_null() -> None:
    for key, value in (("default", "1"), ("identity", "always"), ("nullable", "true")):
        diag = only(HEAD + f"      n: {{type: serial, {key}: {value}}}\n")
        assert (diag.code, diag.path) == ("serial-conflict", f"tables.t.columns.n.{key}")
        assert diag.message == f"serial column 'n' cannot also have '{key}'"


def test_a_serial_array_is_refused() -> None:
    diag = only(HEAD + "      n: {type: 'serial[]'}\n")
    assert diag.message == "'serial' is not an array element type"
    assert diag.hint.startswith("write integer[]")
