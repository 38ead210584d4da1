"""``__table_args__`` of an ORM class, and its indexes: every constraint and index
under the name schema.sql gives it, so the metadata equals the DDL without the
naming convention.  An indexed expression takes the forms alembic compares with
the catalog (``_expression_element``).

Split from ``sqlalchemy_orm.py``, which assembles each class around these.
"""

from __future__ import annotations

import re

from ..model import Index, Schema, Table
from ..naming import quote_ident
from ..types import Import
from .pyfmt import Call, call, py_str

_SA = "sqlalchemy"


def _list(items: list[str]) -> Call:
    return Call("", tuple(("", i) for i in items), "[]")


def _names(cols: tuple[str, ...]) -> list[str]:
    return [py_str(c) for c in cols]


def table_args(table: Table, schema: Schema, imports: set[Import]) -> Call:
    args: list[str | Call] = [
        call(
            "PrimaryKeyConstraint",
            *_names(table.primary_key.columns),
            name=py_str(table.primary_key.name),
        )
    ]
    imports.add((_SA, "PrimaryKeyConstraint"))
    for u in table.uniques:
        args.append(
            call(
                "UniqueConstraint",
                *_names(u.columns),
                name=py_str(u.name),
                postgresql_nulls_not_distinct="True" if u.nulls_not_distinct else None,
            )
        )
        imports.add((_SA, "UniqueConstraint"))
    for check in table.checks:
        args.append(call("CheckConstraint", py_str(check.sql), name=py_str(check.name)))
        imports.add((_SA, "CheckConstraint"))
    for x in table.exclusions:
        elements = [Call("", (("", py_str(c)), ("", py_str(op)))) for c, op in x.elements]
        where = call("text", py_str(x.where)) if x.where is not None else None
        args.append(
            call(
                "ExcludeConstraint",
                *elements,
                name=py_str(x.name),
                using=py_str(x.using),
                where=where,
            )
        )
        imports.add(("sqlalchemy.dialects.postgresql", "ExcludeConstraint"))
        if where is not None:
            imports.add((_SA, "text"))
    for index in table.indexes:
        args.append(index_call(index, imports))
    for fk in table.foreign_keys:
        target = schema.table(fk.ref_table)
        refs = [py_str(f"{target.key}.{c}") for c in fk.ref_columns]
        args.append(
            call(
                "ForeignKeyConstraint",
                _list(_names(fk.columns)),
                _list(refs),
                name=py_str(fk.name),
                ondelete=py_str(fk.on_delete_sql) if fk.on_delete_sql else None,
                onupdate=py_str(fk.on_update_sql) if fk.on_update_sql else None,
                use_alter="True" if fk.use_alter else None,
            )
        )
        imports.add((_SA, "ForeignKeyConstraint"))
    items: list[tuple[str, str | Call]] = [("", a) for a in args]
    options = {"schema": table.schema, "comment": table.description}
    entries = tuple(("", f"{py_str(k)}: {py_str(v)}") for k, v in options.items() if v)
    if entries:
        items.append(("", Call("", entries, "{}")))
    return Call("", tuple(items))


def index_call(index: Index, imports: set[Import]) -> Call:
    imports.add((_SA, "Index"))
    columns: list[str | Call] = []
    ops: list[tuple[str, str]] = []
    for col in index.columns:
        if col.expression is not None and (col.opclass or col.descending):
            columns.append(_expression_element(col.expression, col.opclass, col.descending, ops))
            imports.add((_SA, "literal_column"))
        elif col.expression is not None:
            columns.append(call("text", py_str(col.expression)))
            imports.add((_SA, "text"))
        elif col.descending:
            opclass = f" {col.opclass}" if col.opclass else ""
            columns.append(call("text", py_str(f"{quote_ident(col.name)}{opclass} DESC")))
            imports.add((_SA, "text"))
        else:
            columns.append(py_str(col.name))
            if col.opclass:
                ops.append(("", f"{py_str(col.name)}: {py_str(col.opclass)}"))
    where = None
    if index.where:
        where = call("text", py_str(index.where))
        imports.add((_SA, "text"))
    return call(
        "Index",
        py_str(index.name),
        *columns,
        unique="True" if index.unique else None,
        postgresql_using=py_str(index.using) if index.using != "btree" else None,
        postgresql_ops=Call("", tuple(ops), "{}") if ops else None,
        postgresql_nulls_not_distinct="True" if index.nulls_not_distinct else None,
        postgresql_where=where,
        postgresql_include=_list(_names(index.include)) if index.include else None,
    )


def _expression_element(
    sql: str, opclass: str | None, descending: bool, ops: list[tuple[str, str]]
) -> Call:
    """An indexed expression with an operator class or DESC, in the forms alembic
    compares with the catalog: ``literal_column(...).label(l)`` with the class in
    ``postgresql_ops`` under ``l``, or ``.desc()``.  SQLAlchemy writes the text as is,
    so an expression that is not one function call keeps its parentheses."""
    text = sql if _one_call(sql) else f"({sql})"
    if opclass and descending:  # .desc() would hide the label from postgresql_ops
        return Call(f"literal_column({py_str(f'{text} {opclass}')}).desc", ())
    if descending:
        return Call(f"literal_column({py_str(text)}).desc", ())
    label = f"expr_{len(ops)}"
    ops.append(("", f"{py_str(label)}: {py_str(opclass or '')}"))
    return Call(f"literal_column({py_str(text)}).label", (("", py_str(label)),))


def _one_call(sql: str) -> bool:
    """``lower(email)``: a function call and nothing after it (PostgreSQL then needs
    no parentheses around it in an index)."""
    m = re.match(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*\(", sql)
    if m is None:
        return False
    depth, quoted = 1, False
    for i, ch in enumerate(sql[m.end() :], m.end()):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
            if depth == 0:
                return not sql[i + 1 :].strip()
    return False
