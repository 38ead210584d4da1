"""Context for ``templates/sqlalchemy/orm.py.jinja``: a typed SQLAlchemy 2.0 ORM.

The metadata must equal ``schema.sql``: every column carries its exact type
and server default (the same SQL text), and every constraint is declared in
``__table_args__`` under the name the DDL gives it, so nothing depends on the
naming convention (which only names constraints added by hand).

Every relationship option (cascade, passive deletes, overlaps, post_update,
use_alter) is decided by the resolver (``resolve/orm.py``); this module prints.

This module assembles each class, the views' tables and the shared sequences,
and collects the imports; the parts live beside it: ``sqlalchemy_orm_columns``
(``mapped_column()`` and its cache), ``sqlalchemy_orm_table_args``
(``__table_args__``: constraints and indexes), ``sqlalchemy_orm_relations``
(``relationship()``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..model import Schema, Sequence, Table, View
from ..types import Import
from .pyfmt import INDENT, Call, call, docstring, import_lines, layout, py_str
from .pytypes import enum_aliases, sqlalchemy_type
from .sqlalchemy_orm_columns import _ColumnCache, _TypeCache, column_lines
from .sqlalchemy_orm_relations import relationship_lines
from .sqlalchemy_orm_table_args import table_args

_SA = "sqlalchemy"
_ORM = "sqlalchemy.orm"


# A NamedTuple, not a frozen dataclass: creating a dataclass is ~3.5 M instructions
# (about 1 ms) of every run; a NamedTuple ~0.7 M.
class OrmClass(NamedTuple):
    name: str
    # The docstring, a blank line, __tablename__, __table_args__, columns and
    # relationships, indented: one text, as printing 120,000 lines one by one in
    # the template was a tenth of the render.
    body: str


# Sequence's keyword for each CREATE SEQUENCE option (data type: AS)
_SEQUENCE_KWARGS = {
    "INCREMENT BY": "increment",
    "MINVALUE": "minvalue",
    "MAXVALUE": "maxvalue",
    "START WITH": "start",
    "CACHE": "cache",
}


def shared_sequence(seq: Sequence, imports: set[Import]) -> list[str]:
    """A sequence of ``sequences:`` as one module-level ``Sequence`` on
    ``Base.metadata`` (``create_all`` creates it once), used by each column whose
    default draws from it."""
    kwargs: dict[str, str | Call | None] = {"metadata": "Base.metadata"}
    if seq.schema:
        kwargs["schema"] = py_str(seq.schema)
    for word, value in seq.options():
        if word == "AS":
            sa_type = {"smallint": "SmallInteger", "integer": "Integer"}[value]
            kwargs["data_type"] = sa_type
            imports.add((_SA, sa_type))
        elif word == "CYCLE":
            kwargs["cycle"] = "True"
        else:
            kwargs[_SEQUENCE_KWARGS[word]] = value
    imports.add((_SA, "Sequence"))
    return layout(call("Sequence", py_str(seq.name), **kwargs), "", f"{seq.py_name} = ")


def orm_class(
    table: Table,
    schema: Schema,
    imports: set[Import],
    columns: _ColumnCache,
    types: _TypeCache,
    junction: bool = False,
) -> OrmClass:
    body = [f"{INDENT}__tablename__ = {py_str(table.name)}"]
    body += layout(table_args(table, schema, imports), INDENT, "__table_args__ = ")
    if junction:
        # A many-to-many across this table deletes its rows too (and the database
        # cascades): a row already gone is not an error when this class deletes it.
        # Read-only, as a class attribute should be (ruff RUF012); SQLAlchemy copies it.
        body.append(
            f'{INDENT}__mapper_args__ = MappingProxyType({{"confirm_deleted_rows": False}})'
        )
        imports.add(("types", "MappingProxyType"))
    body.append("")
    for col in table.columns:
        body += column_lines(col, schema, imports, columns, types, table.schema)
    if table.relations:
        imports.add((_ORM, "relationship"))
        body.append("")
        for rel in table.relations:
            body += relationship_lines(table, rel, schema)
    doc = f"The ``{table.name}`` table." + (f"\n\n{table.description}" if table.description else "")
    return OrmClass(table.class_name, "\n".join([*docstring(doc, INDENT), "", *body]))


def view_table(view: View, schema: Schema, imports: set[Import]) -> list[str]:
    """A view as a ``Table`` on ``views_metadata``: queryable with ``select()``,
    never created by ``Base.metadata.create_all`` nor compared by Alembic."""
    columns: list[str | Call] = []
    for col in view.columns:
        sa_type, sa_imports = sqlalchemy_type(col.type, schema)
        imports |= sa_imports
        columns.append(
            call(
                "Column",
                py_str(col.name),
                sa_type,
                primary_key="True" if col.name in view.key else None,
                nullable="True" if col.nullable else "False",
            )
        )
    imports |= {(_SA, "Table"), (_SA, "Column")}
    return layout(
        call("Table", py_str(view.name), "views_metadata", *columns), "", f"{view.name} = "
    )


def context(schema: Schema) -> dict[str, Any]:
    imports: set[Import] = {
        (_SA, "MetaData"),
        (_ORM, "DeclarativeBase"),
        (_ORM, "Mapped"),
    }
    columns: _ColumnCache = {}
    types: _TypeCache = {}
    junctions = {r.secondary for t in schema.tables for r in t.relations if r.secondary}
    classes = [
        orm_class(t, schema, imports, columns, types, t.key in junctions) for t in schema.tables
    ]
    views = [view_table(v, schema, imports) for v in schema.views]
    sequences = [shared_sequence(s, imports) for s in schema.sequences]
    if schema.enums:
        imports.add(("typing", "Literal"))
    return {
        "source": schema.source_name,
        "enums": enum_aliases(schema),
        "imports": import_lines(imports),
        "classes": classes,
        "views": views,
        "sequences": sequences,
    }
