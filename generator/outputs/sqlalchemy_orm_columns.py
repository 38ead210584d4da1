"""A column's ``Mapped[...]`` annotation and ``mapped_column(...)``: its exact type,
identity, generated expression, sequence and server default (the same SQL text
as schema.sql, in the forms Alembic compares with the catalog).

Built once per distinct column (``_column_key``, held to what ``_mapped_column``
reads by tests/test_render_column_cache.py) and per distinct type, in caches
``sqlalchemy_orm.context`` makes for each run.  Split from ``sqlalchemy_orm.py``.
"""

from __future__ import annotations

from typing import Any

from ..model import Column, Schema
from ..types import ColumnType, Import
from .pyfmt import INDENT, Call, assign, call, py_str
from .pytypes import python_type, sqlalchemy_type

_SA = "sqlalchemy"
_ORM = "sqlalchemy.orm"


def _sequence(name: str, schema_of: str | None) -> Call:
    """A serial column's sequence: SQLAlchemy takes its next value before the INSERT
    (the server default, nextval(), is the same sequence)."""
    return call("Sequence", py_str(name), schema=py_str(schema_of) if schema_of else None)


# A column type's Python annotation, SQLAlchemy type and their imports, per
# ``context``: a schema has a few dozen distinct types for thousands of columns.
_TypeCache = dict[ColumnType, tuple[str, str | Call, set[Import]]]
# A column's annotation and ``mapped_column(...)`` per ``_column_key``, per ``context``:
# columns that differ only in their attribute name share them (a 1,000-table spec
# has 13,000 columns and a few dozen of these), and ``Call`` keeps its one-line form.
_ColumnCache = dict[tuple[Any, ...], tuple[str, Call]]


def _types(ctype: ColumnType, schema: Schema) -> tuple[str, str | Call, set[Import]]:
    python, python_imports = python_type(ctype, schema, pydantic=False)
    sa_type, sa_imports = sqlalchemy_type(ctype, schema)
    return python, sa_type, python_imports | sa_imports


def _column_key(col: Column, schema_of: str | None) -> tuple[Any, ...]:
    """Every field ``_mapped_column`` reads: all but the attribute name.  The column's
    name only where it is read: as the first argument when it is not the attribute's,
    and to compare with a shared sequence's owner."""
    named = col.attr != col.name  # then the name is mapped_column's first argument
    return (
        col.name if named or col.shared_sequence is not None else None,
        named,
        col.type,
        col.nullable,
        col.identity,
        col.generated,
        col.sequence,
        col.default.sql if col.default is not None else None,
        col.shared_sequence,
        col.domain_default,
        col.on_update_now,
        col.description,
        schema_of,
    )


def column_lines(
    col: Column,
    schema: Schema,
    imports: set[Import],
    columns: _ColumnCache,
    types: _TypeCache,
    schema_of: str | None = None,
) -> list[str]:
    key = _column_key(col, schema_of)
    mapped = columns.get(key)
    if mapped is None:  # the imports go into the context's set once, on the first
        mapped = columns[key] = _mapped_column(col, schema, imports, types, schema_of)
    ann, value = mapped
    return assign(col.attr, ann, value, INDENT)


def _mapped_column(
    col: Column,
    schema: Schema,
    imports: set[Import],
    types: _TypeCache,
    schema_of: str | None,
) -> tuple[str, Call]:
    """``Mapped[...]`` and ``mapped_column(...)``: reads only what ``_column_key`` holds."""
    cached = types.get(col.type)
    if cached is None:
        cached = types[col.type] = _types(col.type, schema)
    python, sa_type, type_imports = cached
    imports |= type_imports
    if col.on_update_now:
        imports.add((_SA, "func"))
    args: list[str | Call] = [py_str(col.name)] if col.attr != col.name else []
    args.append(sa_type)
    if col.identity is not None:
        args.append(call("Identity", always="True" if col.identity == "always" else None))
        imports.add((_SA, "Identity"))
    if col.generated is not None:
        args.append(call("Computed", py_str(col.generated), persisted="True"))
        imports.add((_SA, "Computed"))
    server_default = None
    if col.sequence is not None:
        args.append(_sequence(col.sequence, schema_of))
        imports.add((_SA, "Sequence"))
        if col.type.name == "smallint" and col.default is not None:
            # Alembic takes an owned sequence's default for a serial only on
            # integer and bigint; on smallint it compares the text it reads back.
            server_default = call("text", py_str(col.default.sql.replace("::regclass", "")))
            imports.add((_SA, "text"))
    elif col.default is not None:
        sql: str | None = col.default.sql
        if col.shared_sequence is not None:  # the same sequence, as the ORM's default
            seq = schema.sequence(col.shared_sequence)
            args.append(seq.py_name)
            # Alembic compares nextval() defaults without the cast (it drops
            # ::regclass from what it reads back); PostgreSQL stores both alike.
            # It omits the default of an integer or bigint column named as the
            # column the sequence is owned by (it takes that for a serial).
            owner = seq.owned_by[1] if seq.owned_by else None
            serial_like = owner == col.name and col.type.name in ("integer", "bigint")
            sql = None if serial_like else col.default.sql.replace("::regclass", "")
        if sql is not None:
            server_default = call("text", py_str(sql))
            imports.add((_SA, "text"))
    elif col.domain_default and col.type.domain is not None:
        # SQLAlchemy reflects a domain's default as the column's; say the same.
        dom_default = schema.domain(col.type.domain).default
        if dom_default is not None:
            server_default = call("text", py_str(dom_default.sql))
            imports.add((_SA, "text"))
    value = call(
        "mapped_column",
        *args,
        server_default=server_default,
        onupdate="func.now()" if col.on_update_now else None,
        comment=py_str(col.description) if col.description else None,
    )
    imports.add((_ORM, "mapped_column"))
    return f"Mapped[{python}{' | None' if col.nullable else ''}]", value
