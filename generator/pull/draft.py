"""The draft of a pulled spec: per table, the spec being written and what it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog import Constraint, Index, Table
from ..naming import IDENT_RE, MAX_IDENT_BYTES, ident_bytes
from .notes import Note


def table_key(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def plain_name(name: str) -> bool:
    return bool(IDENT_RE.fullmatch(name)) and ident_bytes(name) <= MAX_IDENT_BYTES


@dataclass
class TableDraft:
    table: Table
    spec: dict[str, Any]
    columns: dict[str, dict[str, Any]]
    # (constraint, the SQL written, column name or None for table level)
    checks: list[tuple[Constraint, str, str | None]] = field(default_factory=list)
    indexes: list[tuple[Index, dict[str, Any]]] = field(default_factory=list)
    foreign_keys: list[tuple[Constraint, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Draft:
    doc: dict[str, Any]
    tables: dict[str, TableDraft]
    notes: list[Note]
    skipped_functions: set[str]  # 'schema.name(args)' carried by the spec (the on_update trigger)


_COLUMN_ORDER = (
    "type",
    "primary_key",
    "nullable",
    "identity",
    "generated",
    "default",
    "unique",
    "check",
    "references",
    "on_update",
    "description",
)


def column_spec(spec: dict[str, Any]) -> Any:
    ordered = {k: spec[k] for k in _COLUMN_ORDER if k in spec}
    ref = ordered.get("references")
    if ref is not None and list(ref) == ["to"]:
        ordered["references"] = ref["to"]  # shorthand: references: users.id
    return ordered["type"] if list(ordered) == ["type"] else ordered


_TABLE_ORDER = (
    "description",
    "class_name",
    "primary_key",
    "columns",
    "unique",
    "checks",
    "foreign_keys",
    "indexes",
)


def order_table_keys(spec: dict[str, Any]) -> None:
    items = {k: spec[k] for k in _TABLE_ORDER if k in spec}
    spec.clear()
    spec.update(items)
