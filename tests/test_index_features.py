"""Expression indexes, operator classes and NULLS NOT DISTINCT: what is refused,
where, and with which fix (the accepted forms: golden case index_expressions)."""

from __future__ import annotations

import pytest
from diag import only, where

HEAD = (
    "version: 1\n"
    "tables:\n"
    "  t:\n"
    "    columns:\n"
    "      id: {type: integer, primary_key: true}\n"
    "      name: text\n"
    "      doc: jsonb\n"
    "    indexes:\n"
)


@pytest.mark.parametrize(
    ("index", "code", "path", "message", "hint"),
    [
        (
            "{columns: [{column: name, opclass: gin_trgm_ops}], using: gin}",
            "invalid-opclass",
            "tables.t.indexes[0].columns[0].opclass",
            "operator class gin_trgm_ops needs the PostgreSQL extension 'pg_trgm'",
            "add it at the top level: postgres: {extensions: [pg_trgm]}",
        ),
        (
            "{columns: [{column: doc, opclass: jsonb_path_ops}]}",
            "invalid-opclass",
            "tables.t.indexes[0].columns[0].opclass",
            "jsonb_path_ops is a gin operator class, the index is btree",
            "write using: gin",
        ),
        (
            "{columns: [{column: name, opclass: jsonb_path_ops}], using: gin}",
            "invalid-opclass",
            "tables.t.indexes[0].columns[0].opclass",
            "jsonb_path_ops does not apply to text column 'name'",
            "it applies to jsonb",
        ),
        (
            "{columns: [{column: name, opclass: gin_trgm_opz}], using: gin}",
            "unknown-opclass",
            "tables.t.indexes[0].columns[0].opclass",
            "unknown operator class 'gin_trgm_opz'",
            "did you mean 'gin_trgm_ops'?",
        ),
        (
            "{columns: [name], nulls_not_distinct: true}",
            "invalid-index",
            "tables.t.indexes[0].nulls_not_distinct",
            "nulls_not_distinct applies to unique indexes",
            "add unique: true, or remove nulls_not_distinct",
        ),
        (
            "{columns: [{column: name, expression: 'lower(name)'}]}",
            "invalid-index-column",
            "tables.t.indexes[0].columns[0]",
            "an index column names either 'column' or 'expression'",
            "write {column: title, opclass: gin_trgm_ops} or {expression: lower(email)}",
        ),
        (
            "{columns: ['lower(nam)']}",
            "expr-column",
            "tables.t.indexes[0].columns[0]",
            'column "nam" does not exist',
            'did you mean "name"?',
        ),
        (
            "{columns: [{column: nam}]}",
            "unknown-column",
            "tables.t.indexes[0].columns[0].column",
            "table 't' has no column 'nam'",
            "did you mean 'name'?",
        ),
        (
            "{columns: [name], using: gist}",
            "pg-opclass",
            "tables.t.indexes[0].columns[0]",
            "data type text has no default operator class for index method gist",
            "for LIKE/similarity search install pg_trgm and use gist_trgm_ops",
        ),
    ],
)
def test_misuse_is_a_positioned_error_with_the_fix(
    index: str, code: str, path: str, message: str, hint: str
) -> None:
    diag = only(HEAD + f"      - {index}\n")
    assert where(diag)[0] == code and where(diag)[1] == 9 and diag.path == path
    assert (diag.message, diag.hint) == (message, hint)


@pytest.mark.parametrize(
    ("index", "message", "hint"),
    [
        (  # the class's type against the expression's (pgsql infers it: integer)
            "{columns: [{expression: 'id + 1', opclass: text_pattern_ops}]}",
            "text_pattern_ops does not apply to expression 'id + 1' of type integer",
            "it applies to text, varchar, citext",
        ),
        (
            "{columns: [{expression: 'lower(name)', opclass: jsonb_path_ops}], using: gin}",
            "jsonb_path_ops does not apply to expression 'lower(name)' of type text",
            "it applies to jsonb",
        ),
        (  # the class's method against the index's
            "{columns: [{expression: 'lower(name)', opclass: gin_trgm_ops}]}",
            "gin_trgm_ops is a gin operator class, the index is btree",
            "write using: gin",
        ),
        (
            "{columns: [{expression: 'lower(name)', opclass: gin_trgm_ops}], using: gin}",
            "operator class gin_trgm_ops needs the PostgreSQL extension 'pg_trgm'",
            "add it at the top level: postgres: {extensions: [pg_trgm]}",
        ),
        (  # a function outside PostgreSQL's catalog (PostGIS's): its type is the server's
            "{columns: [{expression: 'st_astext(name)', opclass: text_pattern_ops}]}",
            "cannot tell the type of index expression 'st_astext(name)', so not whether "
            "text_pattern_ops applies to it",
            "cast it to the type the class indexes, e.g. (st_astext(name))::text",
        ),
    ],
)
def test_an_operator_class_on_an_expression_must_fit_its_type_and_method(
    index: str, message: str, hint: str
) -> None:
    diag = only(HEAD + f"      - {index}\n")
    column = len("      - ") + index.index("opclass: ") + len("opclass: ") + 1
    assert where(diag) == ("invalid-opclass", 9, column, "tables.t.indexes[0].columns[0].opclass")
    assert (diag.message, diag.hint) == (message, hint)


def test_an_expression_without_a_default_class_for_the_method_is_refused() -> None:
    """gin on lower(name) (text) fails on PostgreSQL as gin on a text column does."""
    diag = only(HEAD + "      - {columns: ['lower(name)'], using: gin}\n")
    assert where(diag) == ("pg-opclass", 9, 20, "tables.t.indexes[0].columns[0]")
    assert diag.message == "data type text has no default operator class for index method gin"
    diag = only(HEAD + "      - {columns: [{expression: 'doc', opclass: text_pattern_ops}]}\n")
    assert diag.message == "text_pattern_ops does not apply to expression 'doc' of type jsonb"


def test_an_operator_class_on_an_expression_is_in_every_output() -> None:
    from generator.pipeline import generate

    spec = (
        "version: 1\npostgres: {extensions: [pg_trgm]}\noutputs: {drizzle: true}\n"
        + HEAD.split("\n", 1)[1]
        + "      - {columns: [{expression: 'lower(name)', opclass: gin_trgm_ops}], using: gin}\n"
        + "      - {columns: [{expression: 'id + 1', order: desc}]}\n"
    )
    files = generate(spec.encode(), "schema.yaml").files
    assert "USING gin ((lower(name)) gin_trgm_ops);" in files["schema.sql"]
    assert 'ON "t" ((id + 1) DESC);' in files["schema.sql"]
    orm = files["orm.py"]
    assert 'literal_column("lower(name)").label("expr_0")' in orm
    assert 'postgresql_ops={"expr_0": "gin_trgm_ops"}' in orm
    assert 'literal_column("(id + 1)").desc()' in orm  # not one call: in parentheses
    ts = files["schema.ts"]
    assert 'using("gin", sql`(lower(name)) gin_trgm_ops`)' in ts
    assert "sql`(id + 1) DESC`" in ts


def test_an_expression_index_is_named_as_postgresql_names_it() -> None:
    from generator.pipeline import load_schema

    spec = (
        HEAD + "      - {columns: ['lower(name)'], unique: true}\n      - {columns: ['(id + 1)']}\n"
    )
    loaded = load_schema(spec.encode(), "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    assert [ix.name for ix in loaded.schema.tables[0].indexes] == ["t_lower_idx", "t_expr_idx"]


UNIQUES = (
    "version: 1\n"
    "tables:\n"
    "  t:\n"
    "    columns:\n"
    "      id: {type: integer, primary_key: true}\n"
    "      a: {type: text, nullable: true}\n"
    "      b: {type: text, nullable: true}\n"
    "    unique:\n"
)


def test_misused_nulls_not_distinct_uniques_are_all_reported_in_one_run() -> None:
    from diag import spec_errors

    diags = spec_errors(
        UNIQUES
        + "      - {columns: [a, bb], nulls_not_distinct: true}\n"
        + "      - {columns: [a], nulls_not_distinct: 'yes'}\n"
        + "      - {columns: [b], nulls_not_distinct: true, name: x}\n"
        + "      - [a, b]\n"
        + "      - {columns: [a, b], nulls_not_distinct: true}\n"
    )
    assert [(where(d), d.hint) for d in diags] == [
        (("unknown-column", 9, 23, "tables.t.unique[0].columns[1]"), "did you mean 'b'?"),
        (("invalid-value", 10, 44, "tables.t.unique[1].nulls_not_distinct"), "write true or false"),
        (  # a unique takes no name (schemagen names it as PostgreSQL does)
            ("misplaced-key", 11, 50, "tables.t.unique[2].name"),
            "move it into an entry of tables.t.checks, or into an entry of tables.t.indexes,"
            " or into an entry of tables.t.exclude",
        ),
        (("redundant-unique", 13, 9, "tables.t.unique[4]"), "remove one"),
    ]


def test_a_nulls_not_distinct_unique_is_in_the_model_and_every_output() -> None:
    from generator.pipeline import generate, load_schema

    spec = (
        UNIQUES.replace("version: 1\n", "version: 1\noutputs: {drizzle: true}\n")
        + "      - {columns: [a, b], nulls_not_distinct: true}\n"
        + "      - {columns: [b], nulls_not_distinct: true}\n"
        + "      - [b, a]\n"
    )
    schema = load_schema(spec.encode(), "schema.yaml").schema
    assert schema is not None
    assert [(u.name, u.nulls_not_distinct) for u in schema.tables[0].uniques] == [
        ("t_a_b_key", True),
        ("t_b_key", True),
        ("t_b_a_key", False),
    ]
    files = generate(spec.encode(), "schema.yaml").files
    assert 'CONSTRAINT "t_a_b_key" UNIQUE NULLS NOT DISTINCT ("a", "b"),' in files["schema.sql"]
    assert 'CONSTRAINT "t_b_a_key" UNIQUE ("b", "a")' in files["schema.sql"]
    assert files["orm.py"].count("postgresql_nulls_not_distinct=True") == 2
    assert 'unique("t_a_b_key").on(t.a, t.b).nullsNotDistinct(),' in files["schema.ts"]
    assert '.unique("t_b_key", { nulls: "not distinct" })' in files["schema.ts"]


@pytest.mark.postgres
def test_an_expression_over_an_extension_type_gets_its_class_checked_and_applies(
    pg_url: str,
) -> None:
    """The opclass check reads the one analysis validation made, extensions included:
    replace() on a citext column is citext's own (text), so text_pattern_ops fits,
    and PostgreSQL builds the index.  An enum expression still gets no text class."""
    import psycopg

    from generator.pipeline import generate

    spec = (
        "version: 1\npostgres: {extensions: [citext]}\nenums:\n  mood: [ok, sad]\n"
        "tables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "      email: citext\n      m: mood\n    indexes:\n"
        "      - {columns: [{expression: \"replace(email, 'a', 'b')\", opclass: text_pattern_ops}]}\n"
    )
    result = generate(spec.encode(), "schema.yaml")
    assert result.ok, result.diagnostics
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(result.files["schema.sql"].encode())
        (opclass,) = conn.execute(
            "SELECT o.opcname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_opclass o ON o.oid = i.indclass[0] WHERE c.relname LIKE 't_%idx'"
        ).fetchone() or (None,)
        assert opclass == "text_pattern_ops"
    enum_spec = spec.replace("\"replace(email, 'a', 'b')\"", "\"coalesce(m, 'ok')\"")
    diag = only(enum_spec)
    assert diag.code == "invalid-opclass"
    assert diag.message.endswith("of type enum")
