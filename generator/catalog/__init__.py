"""Read a PostgreSQL database's catalog into plain, read-only, ordered data.

One reader for everything that needs to know what a live database holds:
``schemagen pull`` (catalog -> spec), ``diff --from-db`` and the migration
commands (drift), and the tests (two databases are equal).  It covers what the
spec language can say and, for reporting, what it cannot (views, functions,
policies, domains, ...).  Everything is ordered by name (columns by position),
so the same database always reads the same; no OIDs are kept.

``read_catalog`` takes an open psycopg connection (the caller owns psycopg,
an optional dependency); ``compare`` lists the differences between two
catalogs in words, ignoring column order.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..records import Value, record

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")

FK_ACTIONS = {
    "a": "no action",
    "r": "restrict",
    "c": "cascade",
    "n": "set null",
    "d": "set default",
}
CONSTRAINT_KINDS = {
    "p": "primary key",
    "u": "unique",
    "c": "check",
    "f": "foreign key",
    "x": "exclusion",
}


@record
class Column(Value):
    name: str
    attnum: int  # position in the table; ignored by compare()
    type: str  # format_type(): 'character varying(50)', 'integer[]', '"Mood"'
    not_null: bool
    default: str | None = None  # pg_get_expr of the default
    identity: str | None = None  # 'always' | 'by default'
    generated: str | None = None  # expression of a STORED generated column
    comment: str | None = None
    collation: str | None = None  # only when not the type's default
    type_schema: str = "pg_catalog"  # where the (element) type lives
    type_name: str = ""  # the (element) type's own name, unquoted
    type_kind: str = "b"  # pg_type.typtype of the element: b base, e enum, d domain, ...
    domain_type: str | None = None  # a domain's base type, format_type() spelling


@record
class Constraint(Value):
    name: str
    kind: str  # 'primary key' | 'unique' | 'check' | 'foreign key' | 'exclusion'
    definition: str  # pg_get_constraintdef
    columns: tuple[str, ...] = ()
    ref_schema: str | None = None  # a foreign key's referenced table: schema and name
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: str = "no action"
    on_update: str = "no action"
    expression: str | None = None  # a check's expression, without CHECK ( )
    deferrable: bool = False
    validated: bool = True
    match_full: bool = False
    comment: str | None = None


@record
class IndexColumn(Value):
    expression: str  # a column name (unquoted) or an expression's text
    is_column: bool
    descending: bool = False
    nulls_first: bool = False  # the default is NULLS FIRST exactly when descending
    opclass: str | None = None  # only when not the default operator class
    collation: str | None = None  # only when not the column's


@record
class Index(Value):
    name: str
    definition: str  # pg_get_indexdef
    unique: bool
    method: str
    columns: tuple[IndexColumn, ...]
    include: tuple[str, ...] = ()
    predicate: str | None = None
    constraint: str | None = None  # name of the constraint it backs (pkey, unique, exclusion)
    nulls_not_distinct: bool = False
    comment: str | None = None


@record
class Trigger(Value):
    name: str
    definition: str  # pg_get_triggerdef
    function: str  # 'schema.function'
    arguments: tuple[str, ...] = ()
    enabled: bool = True
    timing: str = "BEFORE"  # BEFORE | AFTER | INSTEAD OF
    events: tuple[str, ...] = ()  # INSERT, UPDATE, DELETE, TRUNCATE in that order
    update_of: tuple[str, ...] = ()
    for_each: str = "ROW"
    when: str | None = None  # the WHEN condition as pg_get_triggerdef prints it


@record
class Table(Value):
    schema: str
    name: str
    kind: str  # 'table' | 'partitioned table' | 'partition' | 'foreign table'
    columns: tuple[Column, ...]
    constraints: tuple[Constraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    comment: str | None = None
    partition_of: str | None = None  # parent 'schema.table' of a partition
    partition_key: str | None = None  # pg_get_partkeydef of a partitioned table
    inherits: tuple[str, ...] = ()  # plain (non-partition) inheritance parents
    unlogged: bool = False
    row_security: bool = False
    force_row_security: bool = False
    options: tuple[str, ...] = ()  # reloptions

    @property
    def key(self) -> str:
        return f"{self.schema}.{self.name}"


@record
class Enum(Value):
    schema: str
    name: str
    labels: tuple[str, ...]
    comment: str | None = None


@record
class Extension(Value):
    name: str
    schema: str
    version: str


@record
class Other(Value):
    """An object the spec language cannot hold, kept for reporting (and drift)."""

    kind: str  # 'view', 'materialized view', 'function', 'procedure', 'policy', 'domain', ...
    schema: str
    name: str  # functions: name(argument types); policies: table.policy
    definition: str = ""
    owned_by: str | None = None  # sequences: 'schema.table.column' when owned
    # functions, policies, views, domains: their parts, for pull (catalog/details.py)
    info: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.info).get(key, default)

    @property
    def key(self) -> str:
        return f"{self.schema}.{self.name}"


@record
class Catalog(Value):
    namespaces: tuple[str, ...]
    extensions: tuple[Extension, ...]
    enums: tuple[Enum, ...]
    tables: tuple[Table, ...]
    others: tuple[Other, ...]  # views, functions, policies, sequences, domains, types, ...
    schema_comments: tuple[tuple[str, str], ...] = ()

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def of_kind(self, kind: str) -> tuple[Other, ...]:
        return tuple(o for o in self.others if o.kind == kind)

    def comparable(self) -> dict[str, Any]:
        """A plain form that ignores column order: equal for equal databases."""

        def plain(obj: Any) -> Any:
            if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
                return {
                    f.name: plain(getattr(obj, f.name))
                    for f in dataclasses.fields(obj)
                    if f.name != "attnum"
                }
            if isinstance(obj, tuple):
                return [plain(x) for x in obj]
            return obj

        out: dict[str, Any] = plain(self)
        for table in out["tables"]:
            table["columns"] = sorted(table["columns"], key=lambda c: c["name"])
        return out


def compare(a: Catalog, b: Catalog) -> list[str]:
    """The differences between two catalogs, one readable line each (empty: equal)."""
    lines: list[str] = []
    _diff(a.comparable(), b.comparable(), "", lines)
    return lines


def _label(item: Any) -> str | None:
    if isinstance(item, dict):
        if "schema" in item and "name" in item:
            kind = item.get("kind", "")
            return f"{kind + ' ' if kind and isinstance(kind, str) else ''}{item['schema']}.{item['name']}"
        if "name" in item:
            return str(item["name"])
        if "expression" in item:
            return str(item["expression"])
    return None


def _diff(a: Any, b: Any, path: str, lines: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            _diff(a.get(key), b.get(key), f"{path}.{key}" if path else key, lines)
        return
    if isinstance(a, list) and isinstance(b, list):
        labels_a = [_label(x) for x in a]
        labels_b = [_label(x) for x in b]
        la = [x for x in labels_a if x is not None]
        lb = [x for x in labels_b if x is not None]
        # items without a name (or with repeated names) are compared as a list
        if (
            len(la) != len(a)
            or len(lb) != len(b)
            or len(set(la)) != len(la)
            or len(set(lb)) != len(lb)
        ):
            if a != b:
                lines.append(f"{path}: {a!r} != {b!r}")
            return
        ma = dict(zip(la, a, strict=True))
        mb = dict(zip(lb, b, strict=True))
        for key in sorted(ma.keys() - mb.keys()):
            lines.append(f"{path}: only in the first: {key}")
        for key in sorted(mb.keys() - ma.keys()):
            lines.append(f"{path}: only in the second: {key}")
        for key in la:
            if key in mb:
                _diff(ma[key], mb[key], f"{path}[{key}]", lines)
        if [k for k in la if k in mb] != [k for k in lb if k in ma]:
            lines.append(f"{path}: same items in another order")
        return
    if a != b:
        lines.append(f"{path}: {a!r} != {b!r}")


def read_catalog(conn: Any, schemas: list[str] | None = None) -> Catalog:
    """Read the catalog of ``schemas`` (default: every non-system schema).

    Objects that belong to an extension (its functions, types, tables) are left
    out: the extension itself is listed.
    """
    from .queries import read

    return read(conn, schemas)
