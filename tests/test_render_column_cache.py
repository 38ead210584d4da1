"""The renderers build a column's field once per distinct column (issue 8's speed
work): pydantic_models keys it by ``_field_key``, sqlalchemy_orm_columns by ``_column_key``,
each a hand-written list of the Column fields its builder reads.  These tests keep
those lists honest: for every field of Column, two columns that differ only in it
either get different keys or render the same field.  A field added to Column
without an alternative value below fails ``test_every_column_field_is_varied``."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from generator.diagnostics import Span
from generator.model import Column, Default, Limits, Schema
from generator.outputs import pydantic_models as pm
from generator.outputs import sqlalchemy_orm_columns as orm
from generator.outputs.pyfmt import INDENT, assign
from generator.pipeline import load_schema

SPEC = b"""\
version: 1
sequences:
  numbers: {start: 1000}
tables:
  item:
    columns:
      id: {type: bigint, primary_key: true, default: {sequence: numbers}}
      label: {type: varchar(40), nullable: true, description: A label.}
      price: {type: 'numeric(10,2)', default: 0}
      amount: {type: integer}
"""


@pytest.fixture(scope="module")
def schema() -> Schema:
    loaded = load_schema(SPEC, "spec.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    return loaded.schema


def _alternatives(schema: Schema) -> dict[str, list[Any]]:
    """Other values for each Column field, each one a column could really have."""
    text = schema.table("item").column("label").type
    number = schema.table("item").column("price").type
    return {
        "name": ["other_name"],
        "type": [text, number],
        "nullable": [True, False],
        "default": [
            None,
            Default("sql", "now()"),
            Default("literal", "0", 0),
            Default("literal", "'[1]'::jsonb", [1]),
        ],
        "on_update_now": [True],
        "description": [None, "Another description."],
        "attr": ["other_attr"],
        "json_alias": ["otherAlias"],
        "span": [Span("spec.yaml", 3, 1)],
        "identity": ["always", "by default"],
        "generated": ["amount * 2"],
        "limits": [Limits(), Limits(ge=0), Limits(ge=0.0), Limits(ge=Decimal("0.50"))],
        "sequence": ["item_id_seq"],
        "domain_default": [True],
        "shared_sequence": [None, "numbers"],
    }


def _variants(schema: Schema) -> list[tuple[Column, Column]]:
    pairs = []
    for base in schema.table("item").columns:
        for name, values in _alternatives(schema).items():
            for value in values:
                if getattr(base, name) != value or name == "limits":
                    pairs.append((base, dataclasses.replace(base, **{name: value})))
    return pairs


def test_every_column_field_is_varied(schema: Schema) -> None:
    fields = {f.name for f in dataclasses.fields(Column)}
    assert fields == set(_alternatives(schema))


def _pydantic_field(col: Column, schema: Schema) -> list[list[str]]:
    """A column's forms in the three models, built in a cache of their own."""
    needs = pm.Needs(set())
    required, optional, insert_required = pm._Fields(needs, schema).of(col)
    lines = [pm._field_lines("x", required), [str(insert_required)]]
    if optional is not None:
        lines.append(pm._field_lines("x", optional))
    return [*lines, sorted(map(str, needs.imports))]


def test_pydantic_columns_with_one_key_render_one_field(schema: Schema) -> None:
    for base, other in _variants(schema):
        if pm._field_key(base) == pm._field_key(other):
            assert _pydantic_field(base, schema) == _pydantic_field(other, schema), other


def _orm_column(col: Column, schema: Schema) -> list[Any]:
    imports: set[tuple[str, str]] = set()
    ann, value = orm._mapped_column(col, schema, imports, {}, None)
    return [assign("x", ann, value, INDENT), sorted(imports)]


def test_orm_columns_with_one_key_render_one_column(schema: Schema) -> None:
    for base, other in _variants(schema):
        if orm._column_key(base, None) == orm._column_key(other, None):
            assert _orm_column(base, schema) == _orm_column(other, schema), other


def test_the_keys_do_tell_columns_apart(schema: Schema) -> None:
    """The guard above is not vacuous: most single-field changes change the key."""
    pairs = _variants(schema)
    differ = sum(pm._field_key(a) != pm._field_key(b) for a, b in pairs)
    assert differ > len(pairs) // 2
