"""Context for ``templates/docs/schema.mmd.jinja``: a Mermaid ``erDiagram``.

GitHub and GitLab render it as it is (a ``.md`` path wraps it in a mermaid
fence).  One entity per table with its columns (type, PK/FK/UK markers,
description), one relationship line per foreign key: ``}o--||`` for many to
one, ``||--o|`` when the referencing columns are unique (one to one); the
target side is ``|o`` when the referencing columns are nullable.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import ForeignKey, Schema, Table


def entity(table: Table) -> str:
    """Mermaid entity names allow letters, digits, ``_`` and ``-``; a schema's dot becomes ``__``."""
    return table.key.replace(".", "__")


def _type(sql: str) -> str:
    # An attribute type is one word: "double precision" -> double_precision, "numeric(10,2)" kept
    # without the comma Mermaid does not accept.
    return re.sub(r"[^A-Za-z0-9_()\[\]]", "_", sql.replace(",", "_").replace('"', ""))


def _comment(text: str | None) -> str:
    if not text:
        return ""
    flat = " ".join(text.split()).replace('"', "'")
    return f' "{flat}"'


def _unique_columns(table: Table) -> set[tuple[str, ...]]:
    keys = {u.columns for u in table.uniques} | {table.primary_key.columns}
    return keys | {
        tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique and not ix.where
    }


def relationship(schema: Schema, table: Table, fk: ForeignKey) -> str:
    """``target ||--o{ table``: each row has one target (``|o``: or none, when
    nullable); a target has many rows (``o|``: at most one, when the key is unique)."""
    target = schema.table(fk.ref_table)
    left = "|o" if any(table.column(c).nullable for c in fk.columns) else "||"
    right = "o|" if fk.columns in _unique_columns(table) else "o{"
    label = ", ".join(fk.columns)
    return f'    {entity(target)} {left}--{right} {entity(table)} : "{label}"'


def attributes(table: Table) -> list[str]:
    fk_cols = {c for fk in table.foreign_keys for c in fk.columns}
    unique_cols = {cols[0] for cols in _unique_columns(table) if len(cols) == 1}
    lines = []
    for col in table.columns:
        keys = [
            k
            for k, on in (
                ("PK", col.name in table.primary_key.columns),
                ("FK", col.name in fk_cols),
                ("UK", col.name in unique_cols and col.name not in table.primary_key.columns),
            )
            if on
        ]
        marks = f" {', '.join(keys)}" if keys else ""
        lines.append(f"        {_type(col.type.sql)} {col.name}{marks}{_comment(col.description)}")
    return lines


def context(schema: Schema) -> dict[str, Any]:
    path = schema.outputs.path("mermaid") or ""
    return {
        "source": schema.source_name,
        "fenced": path.endswith(".md"),
        "entities": [(entity(t), attributes(t)) for t in schema.tables],
        "relationships": [
            relationship(schema, t, fk) for t in schema.tables for fk in t.foreign_keys
        ],
    }
