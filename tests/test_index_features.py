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


def test_an_expression_index_is_named_as_postgresql_names_it() -> None:
    from generator.pipeline import load_schema

    spec = (
        HEAD + "      - {columns: ['lower(name)'], unique: true}\n      - {columns: ['(id + 1)']}\n"
    )
    loaded = load_schema(spec.encode(), "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    assert [ix.name for ix in loaded.schema.tables[0].indexes] == ["t_lower_idx", "t_expr_idx"]
