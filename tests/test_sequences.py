"""Shared sequences (``sequences:`` and ``default: {sequence: name}``): the model,
the DDL, and every misuse as a positioned error with its exact message and fix."""

from __future__ import annotations

import pytest
from diag import FILE, only, spec_errors, where

from generator.check.sql import check_sql
from generator.model import Schema
from generator.pipeline import load_schema
from generator.render import render_all


def spec(sequences: str, columns: str = "", tables: str = "") -> str:
    """A spec with ``sequences:`` (line 3 on), then table t whose id is its key."""
    return (
        "version: 1\nsequences:\n"
        + sequences
        + "tables:\n  t:\n    columns:\n      id: {type: bigint, primary_key: true}\n"
        + columns
        + tables
    )


def load(text: str) -> Schema:
    loaded = load_schema(text.encode(), FILE)
    assert loaded.schema is not None, [where(d) for d in loaded.diagnostics]
    return loaded.schema


def test_options_left_out_are_postgresqls_defaults() -> None:
    schema = load(spec("  n: {}\n  down: {type: smallint, increment: -2}\n"))
    n, down = schema.sequences
    assert (n.data_type, n.start, n.increment, n.min_value, n.max_value) == (
        "bigint", 1, 1, 1, 2**63 - 1,
    )  # fmt: skip
    assert n.options() == ()
    assert (down.start, down.min_value, down.max_value) == (-1, -32768, -1)
    assert down.options() == (("AS", "smallint"), ("INCREMENT BY", "-2"))


def test_writing_a_default_is_the_same_model_as_leaving_it_out() -> None:
    a = load(spec("  n: {start: 1, min: 1, cache: 1, cycle: false, type: bigint}\n"))
    b = load(spec("  n: {}\n"))
    assert a.sequences == b.sequences


def test_ddl_order_and_defaults() -> None:
    text = spec(
        "  billing.n: {start: 10, owned_by: billing.acc.no, description: It's counted.}\n",
        tables="  billing.acc:\n    columns:\n"
        "      no: {type: bigint, primary_key: true, default: {sequence: billing.n}}\n",
    )
    sql = render_all(load(text))["schema.sql"]
    create = 'CREATE SEQUENCE "billing"."n" START WITH 10;'
    table = "\"no\" bigint NOT NULL DEFAULT nextval('billing.n'::regclass)"
    owned = 'ALTER SEQUENCE "billing"."n" OWNED BY "billing"."acc"."no";'
    comment = "COMMENT ON SEQUENCE \"billing\".\"n\" IS 'It''s counted.';"
    assert sql.index(create) < sql.index(table) < sql.index(owned) < sql.index(comment)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"n" START WITH 10;', '"n" START WITH 11;', "sequence"),
        ('"n" START WITH 10;', '"n" AS integer START WITH 10;', "sequence"),
        ('CREATE SEQUENCE "n" START WITH 10;', "", "sequence"),
        ('ALTER SEQUENCE "n" OWNED BY "t"."c";', "", "owner"),
        ("COMMENT ON SEQUENCE \"n\" IS 'x';", "", "the COMMENT ON"),
    ],
)
def test_the_self_check_expects_each_sequence_from_the_model(
    old: str, new: str, expected: str
) -> None:
    text = spec(
        "  n: {start: 10, owned_by: t.c, description: x}\n",
        "      c: {type: bigint, default: {sequence: n}}\n",
    )
    schema = load(text)
    sql = render_all(schema)["schema.sql"]
    assert check_sql(schema, sql, FILE) == []
    assert old in sql
    problems = check_sql(schema, sql.replace(old, new, 1), FILE)
    assert any(
        p.message.startswith(f"generated schema.sql failed its check: {expected}") for p in problems
    ), [p.message for p in problems]


def test_insert_models_leave_sequence_columns_optional() -> None:
    schema = load(spec("  n: {}\n", "      c: {type: bigint, default: {sequence: n}}\n"))
    col = schema.tables[0].column("c")
    assert col.shared_sequence == "n" and not col.required_on_insert
    assert col.default is not None and col.default.sql == "nextval('n'::regclass)"


# -- misuse: one error each, at the key that is wrong ---------------------------


def test_unknown_sequence_with_did_you_mean() -> None:
    diag = only(
        spec(
            "  order_numbers: {}\n", "      c: {type: bigint, default: {sequence: order_number}}\n"
        )
    )
    assert where(diag) == ("unknown-sequence", 8, 45, "tables.t.columns.c.default.sequence")
    assert diag.message == "no sequence 'order_number' under 'sequences:'"
    assert diag.hint == "did you mean 'order_numbers'?"


def test_unknown_sequence_without_a_near_name_says_how_to_declare_it() -> None:
    diag = only(spec("  a: {}\n", "      c: {type: bigint, default: {sequence: zzz}}\n"))
    assert diag.hint == "declare it at the top level: sequences: {zzz: {start: 1}}"


def test_a_sequence_default_with_another_key_is_refused() -> None:
    diag = only(spec("  n: {}\n", "      c: {type: bigint, default: {sequence: n, sql: x}}\n"))
    assert where(diag)[0::3] == ("invalid-default", "tables.t.columns.c.default")


def test_a_column_narrower_than_the_sequence() -> None:
    diag = only(spec("  n: {}\n", "      c: {type: integer, default: {sequence: n}}\n"))
    assert where(diag) == ("sequence-type", 8, 17, "tables.t.columns.c.type")
    assert diag.message == (
        "column 'c' is integer, but sequence 'n' (bigint) counts from 1 to "
        "9223372036854775807: nextval() could overflow the column"
    )
    assert diag.hint == "write type: bigint, or give the sequence type: integer"


def test_a_narrow_column_is_fine_when_the_sequences_range_fits() -> None:
    load(spec("  n: {max: 30000}\n", "      c: {type: smallint, default: {sequence: n}}\n"))


def test_a_non_integer_column_is_refused() -> None:
    for ctype in ("text", "'numeric(10,2)'", "'bigint[]'"):
        diag = only(spec("  n: {}\n", f"      c: {{type: {ctype}, default: {{sequence: n}}}}\n"))
        assert where(diag)[0::3] == ("sequence-type", "tables.t.columns.c.type")
        assert diag.message.startswith(
            "a sequence default needs a smallint, integer or bigint column"
        )


def test_a_sequence_default_on_an_identity_column_is_refused() -> None:
    diag = only(
        spec("  n: {}\n", "      c: {type: bigint, identity: always, default: {sequence: n}}\n")
    )
    assert where(diag)[0::3] == ("identity-conflict", "tables.t.columns.c.default")


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        ("increment: 0", "increment", "a sequence's increment cannot be 0"),
        ("cache: 0", "cache", "a sequence's cache must be at least 1, not 0"),
        ("start: 5, min: 10", "start", "start 5 is outside the sequence's range 10 to 9223372036854775807"),
        ("start: 50, max: 10", "start", "start 50 is outside the sequence's range 1 to 10"),
        ("min: 10, max: 10", "min", "a sequence's min (10) must be less than its max (10)"),
        ("type: smallint, max: 40000", "max", "max 40000 is out of range for a sequence of type smallint (-32768 to 32767)"),
        ("increment: -1, max: -5, min: 0", "min", "a sequence's min (0) must be less than its max (-5)"),
    ],
)  # fmt: skip
def test_options_postgresql_refuses(options: str, key: str, message: str) -> None:
    diag = only(spec(f"  n: {{{options}}}\n"))
    assert (diag.code, diag.path, diag.message) == (
        "sequence-option",
        f"sequences.n.{key}",
        message,
    )
    assert diag.span is not None and diag.span.line == 3


def test_the_type_must_be_an_integer_type() -> None:
    diag = only(spec("  n: {type: numeric}\n"))
    assert diag.path == "sequences.n.type"


@pytest.mark.parametrize(
    ("columns", "owned_by", "message"),
    [
        ("", "nope.id", "owned_by names table 'nope', which the spec does not define"),
        ("", "t.nope", "owned_by names column 'nope', which table 't' does not have"),
        ("", "tid", "owned_by 'tid' does not name a column"),
    ],
)
def test_owned_by_must_name_a_column_of_the_spec(columns: str, owned_by: str, message: str) -> None:
    diag = only(spec(f"  n: {{owned_by: {owned_by}}}\n", columns))
    assert (diag.code, diag.path, diag.message) == (
        "invalid-owned-by",
        "sequences.n.owned_by",
        message,
    )


def test_owned_by_a_column_of_another_schema_is_refused() -> None:
    diag = only(spec("  billing.n: {owned_by: t.id}\n"))
    assert (diag.code, diag.path) == ("invalid-owned-by", 'sequences["billing.n"].owned_by')
    assert diag.message == (
        "sequence 'billing.n' cannot be owned by a column of table 't': "
        "PostgreSQL requires the sequence and the table in the same schema"
    )


@pytest.mark.parametrize(
    ("name", "columns", "other"),
    [
        ("t", "", "table 't'"),
        ("t_pkey", "", "a key of table 't'"),
        ("t_s_seq", "      s: serial\n", "the sequence of serial column t.s"),
        ("t_c_idx", "      c: text\n", "an index of table 't'"),
    ],
)
def test_a_name_another_relation_of_the_schema_has(name: str, columns: str, other: str) -> None:
    indexes = "    indexes: [{columns: [c]}]\n" if "idx" in name else ""
    # (a sequence 't' is also the ORM's T, class T's name: a second error, its own test)
    diags = [d for d in spec_errors(spec(f"  {name}: {{}}\n", columns, indexes))]
    assert [d.code for d in diags if d.code != "duplicate-class-name"] == ["duplicate-name"]
    diag = next(d for d in diags if d.code == "duplicate-name")
    assert where(diag) == ("duplicate-name", 3, 3, f"sequences.{name}")
    assert diag.message == (
        f"sequence name {name!r} is already {other}: one schema holds one relation of each name"
    )


def test_a_name_an_enum_or_domain_has() -> None:
    """CREATE SEQUENCE refuses a type's name (found by the random-spec property)."""
    for kind, body in (("enums", "[a, b]"), ("domains", "{type: integer}")):
        text = f"version: 1\n{kind}:\n  mood: {body}\n" + spec("  mood: {}\n")[11:]
        diag = only(text)
        assert (diag.code, diag.path) == ("duplicate-name", "sequences.mood")
        what = "enum" if kind == "enums" else "domain"
        assert diag.message == (
            f"sequence name 'mood' is already {what} 'mood': "
            "PostgreSQL refuses a sequence named as a type"
        )


def test_names_the_orm_would_share_are_refused() -> None:
    diag = only(spec('  n: {}\n  "N": {}\n'))
    assert where(diag) == ("duplicate-name", 4, 3, "sequences.N")
    assert diag.message == "sequences 'n' and 'N' would share the ORM's name N"


def test_the_orms_sequence_names_avoid_imports_and_classes() -> None:
    schema = load(spec("  real: {}\n  jsonb: {}\n  orders: {}\n"))
    assert [q.py_name for q in schema.sequences] == ["REAL_SEQ", "JSONB_SEQ", "ORDERS"]
    diag = only(
        spec(
            "  orders: {}\n",
            tables="  u:\n    class_name: ORDERS\n    columns:\n"
            "      id: {type: bigint, primary_key: true}\n",
        )
    )
    assert (diag.code, diag.path) == ("duplicate-class-name", "sequences.orders")


def test_the_same_name_in_another_schema_is_fine() -> None:
    load(spec("  billing.t: {}\n"))


def test_a_nextval_sql_default_of_a_declared_sequence_points_at_sequence() -> None:
    diag = only(
        spec("  n: {}\n", "      c: {type: bigint, default: {sql: \"nextval('n'::regclass)\"}}\n")
    )
    assert where(diag) == ("sequence-default", 8, 40, "tables.t.columns.c.default.sql")
    assert diag.message == "a nextval() default of sequence 'n' is written {sequence: ...}"
    assert diag.hint.startswith("write default: {sequence: n}")


def test_a_domain_default_cannot_draw_from_a_sequence() -> None:
    text = (
        "version: 1\ndomains:\n  d: {type: bigint, default: {sequence: n}}\n"
        + spec("  n: {}\n")[11:]
    )
    diag = only(text)
    assert (diag.code, diag.path) == ("sequence-default", "domains.d.default")


def test_every_misuse_is_reported_in_one_run() -> None:
    text = spec(
        "  a: {increment: 0}\n  t_pkey: {}\n  c: {owned_by: t.zz}\n",
        "      x: {type: integer, default: {sequence: c}}\n"
        "      y: {type: bigint, default: {sequence: b}}\n",
    )
    codes = sorted(d.code for d in spec_errors(text))
    assert codes == [
        "duplicate-name", "invalid-owned-by", "sequence-option", "sequence-type", "unknown-sequence",
    ]  # fmt: skip


def test_a_wrong_value_under_an_aliased_key_is_one_error_not_a_crash() -> None:
    """The repair that lets one run report everything finds a field by its alias
    too (an exclusion element's ``with``); it used to raise KeyError."""
    diag = only(
        "version: 1\npostgres: {extensions: [btree_gist]}\ntables:\n  t:\n    columns:\n"
        "      id: {type: bigint, primary_key: true}\n      r: tstzrange\n"
        "    exclude: [{elements: [{column: r, with: 5}]}]\n"
    )
    assert where(diag) == ("invalid-value", 8, 45, "tables.t.exclude[0].elements[0].with")


def test_the_json_schema_describes_sequences() -> None:
    """Editors see the section and the default form (schemagen.schema.json)."""
    import json
    from pathlib import Path

    import jsonschema
    import yaml

    root = Path(__file__).resolve().parent.parent
    schema = json.loads((root / "schemagen.schema.json").read_text())
    case = yaml.safe_load((root / "tests/cases/shared_sequences/schema.yaml").read_text())
    jsonschema.validate(case, schema)
    assert schema["$defs"]["SequenceDefault"]["required"] == ["sequence"]
    case["sequences"]["x"] = {"as": "bigint"}  # PostgreSQL's word; the spec's is type
    with pytest.raises(jsonschema.ValidationError, match="'as' was unexpected"):
        jsonschema.validate(case, schema)
