"""The model's side of the statements check: the ``Extras`` the DDL must declare,
from the resolved model alone, never from the renderer's text (``expected``);
an index and a column's identity and generated expression in the terms the SQL
side reads them (``index_key``, ``model_column_extras``).  Split from
``statements.py``, which reads the SQL side.
"""

from __future__ import annotations

from typing import Any

from ..model import Column, Index, Schema
from .extras import Extras, expression_key
from .objects import expected_objects


def model_column_extras(col: Column) -> tuple[str | None, str | None]:
    generated = expression_key(col.generated) if col.generated is not None else None
    return col.identity, generated


def printed_type(text: str) -> str:
    """A type as sqlglot prints it back (``integer`` -> ``INT``)."""

    from sqlglot import exp

    return str(exp.DataType.build(text, dialect="postgres").sql("postgres"))


def index_key(owner: str, ix: Index) -> tuple[Any, ...]:
    """An index as the model has it, in the terms ``_read_index`` reads the SQL."""
    return (
        ix.name,
        owner,
        ix.unique,
        ix.using,
        tuple(
            (
                c.name,
                expression_key(c.expression) if c.expression is not None else None,
                c.opclass,
                c.descending,
            )
            for c in ix.columns
        ),
        ix.include,
        expression_key(ix.where) if ix.where is not None else None,
        ix.nulls_not_distinct,
    )


def expected(schema: Schema) -> Extras:
    want = Extras()
    want.extensions = set(schema.extensions)
    want.namespaces = set(schema.namespaces)
    want.enums = {(e.key, e.labels) for e in schema.enums}
    for e in schema.enums:
        if e.description:
            want.comments.add(("TYPE", e.key, e.description))
    for dom in schema.domains:
        if dom.description:
            want.comments.add(("DOMAIN", dom.key, dom.description))
        checks = frozenset((c.name, expression_key(c.sql)) for c in dom.checks)
        want.domains.add((dom.key, dom.type.sql, not dom.nullable, dom.default is not None, checks))
    for t in schema.tables:
        if t.description:
            want.comments.add(("TABLE", t.key, t.description))
        for c in t.columns:
            if c.description:
                want.comments.add(("COLUMN", f"{t.key}.{c.name}", c.description))
        for ix in t.indexes:
            want.indexes.add(index_key(t.key, ix))
        for c in t.columns:
            if c.sequence is not None:
                seq = f"{t.schema}.{c.sequence}" if t.schema else c.sequence
                want.sequences.add((seq, printed_type(c.type.sql), frozenset()))
                want.owners.add((seq, t.key, c.name))
    for s in schema.sequences:
        options = frozenset((w, v) for w, v in s.options() if w != "AS")
        want.sequences.add((s.key, printed_type(s.data_type), options))
        if s.owned_by is not None:
            want.owners.add((s.key, *s.owned_by))
        if s.description:
            want.comments.add(("SEQUENCE", s.key, s.description))
    expected_objects(schema, want)
    return want
