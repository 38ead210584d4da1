"""PostgreSQL 15's limits and reserved names, as checks that name the fix.

Each function returns (message, hint) or None; the resolver positions them.
The numbers are compile-time constants of a standard build (MaxHeapAttributeNumber,
INDEX_MAX_KEYS, NAMEDATALEN) and the names come from pg_catalog
(catalog_names.py); tests/test_pgsql_limits.py has the server confirm each.
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalog_names import BUILTIN_TYPES, CATALOG_RELATIONS

MAX_COLUMNS = 1_600  # per table, dropped columns included
MAX_INDEX_COLUMNS = 32  # per index, primary key or unique constraint (INCLUDE counts)
MAX_NAME_BYTES = 63  # NAMEDATALEN - 1; longer names are truncated
# Every table has these; PostgreSQL refuses a column of the same name.
SYSTEM_COLUMNS = ("tableoid", "xmin", "cmin", "xmax", "cmax", "ctid")

Problem = tuple[str, str]


def column_count_problem(count: int) -> Problem | None:
    if count <= MAX_COLUMNS:
        return None
    return (
        f"the table has {count:,} columns; PostgreSQL allows at most {MAX_COLUMNS:,}",
        "split it into tables joined one-to-one, or move rarely used fields into a jsonb column",
    )


def index_column_count_problem(count: int, what: str = "index") -> Problem | None:
    if count <= MAX_INDEX_COLUMNS:
        return None
    return (
        f"the {what} has {count} columns; PostgreSQL allows at most {MAX_INDEX_COLUMNS}",
        "index fewer columns, or an expression over them",
    )


def column_name_problem(name: str) -> Problem | None:
    if name not in SYSTEM_COLUMNS:
        return None
    return (
        f'column name "{name}" is taken by a PostgreSQL system column',
        f"rename it, e.g. {name}_value (every table has {', '.join(SYSTEM_COLUMNS)})",
    )


def schema_name_problem(name: str) -> Problem | None:
    if not name.startswith("pg_"):
        return None
    return (
        f'schema name "{name}" is reserved: the prefix "pg_" is for system schemas',
        f"rename it, e.g. {name[3:] or 'app'}",
    )


def table_name_problem(name: str, schema: str | None) -> Problem | None:
    """A table whose unqualified name would mean a system catalog object."""
    if schema is not None or name not in CATALOG_RELATIONS:
        return None
    return (
        f'table name "{name}" is a PostgreSQL system catalog name; unqualified, it means'
        f" pg_catalog.{name}",
        "rename it, or put the table in a schema (schema: ...)",
    )


def type_name_problem(name: str, schema: str | None, what: str = "enum") -> Problem | None:
    """An enum or domain whose unqualified name would mean a built-in type."""
    if schema is not None or name not in BUILTIN_TYPES:
        return None
    return (
        f'{what} name "{name}" is a PostgreSQL built-in type; unqualified, it means'
        f" pg_catalog.{name}, not this {what}",
        f"rename it, e.g. {name}_kind, or put the {what} in a schema",
    )


def identity_sequence_name(table: str, column: str) -> str:
    """The sequence PostgreSQL creates for an identity column (ChooseRelationName).

    ``<table>_<column>_seq``, with the longer of the two names shortened first
    so the result fits 63 bytes (never splitting a UTF-8 character).  When the
    name is taken at CREATE TABLE time PostgreSQL appends a digit instead;
    when it is taken later, that later CREATE fails.
    """
    label = "seq"
    first, second = table.encode(), column.encode()
    room = MAX_NAME_BYTES - len(label) - 2
    n1, n2 = len(first), len(second)
    while n1 + n2 > room:
        if n1 > n2:
            n1 -= 1
        else:
            n2 -= 1
    return f"{_clip(first, n1)}_{_clip(second, n2)}_{label}"


def _clip(raw: bytes, size: int) -> str:
    return raw[:size].decode("utf-8", errors="ignore")


def sequence_collisions(
    identities: Iterable[tuple[str, str]], relations: Iterable[str]
) -> list[tuple[str, str, str]]:
    """(table, column, sequence name) for each identity column whose sequence
    name is also the name of a table, index or other relation in the same schema."""
    taken = set(relations)
    return [
        (table, column, name)
        for table, column in identities
        if (name := identity_sequence_name(table, column)) in taken
    ]
