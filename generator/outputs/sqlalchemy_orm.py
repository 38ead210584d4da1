"""Context for ``templates/sqlalchemy/orm.py.jinja``: a typed SQLAlchemy 2.0 ORM.

The metadata must equal ``schema.sql``: every column carries its exact type
and server default (the same SQL text), and every constraint is declared in
``__table_args__`` under the name the DDL gives it, so nothing depends on the
naming convention (which only names constraints added by hand).

Every relationship option (cascade, passive deletes, overlaps, post_update,
use_alter) is decided by the resolver (``resolve/orm.py``); this module prints.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..model import Column, Index, Relation, Schema, Sequence, Table, View
from ..naming import quote_ident
from ..types import ColumnType, Import
from .pyfmt import INDENT, Call, assign, call, docstring, import_lines, layout, py_str
from .pytypes import enum_aliases, python_type, sqlalchemy_type

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


def _sequence(name: str, schema_of: str | None) -> Call:
    """A serial column's sequence: SQLAlchemy takes its next value before the INSERT
    (the server default, nextval(), is the same sequence)."""
    return call("Sequence", py_str(name), schema=py_str(schema_of) if schema_of else None)


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


def _passive(rel: Relation) -> str | None:
    if rel.passive_deletes == "all":
        return py_str("all")
    return "True" if rel.passive_deletes else None


def _overlaps(rel: Relation) -> str | None:
    return py_str(",".join(rel.overlaps)) if rel.overlaps else None


def _join(table: Table, junction: Table, pair: tuple[str, str] | None) -> str | None:
    """``"User.id == UserFollow.follower_id"``"""
    if pair is None:
        return None
    column, junction_column = table.column(pair[0]), junction.column(pair[1])
    left = f"{table.class_name}.{column.attr}"
    return py_str(f"{left} == {junction.class_name}.{junction_column.attr}")


def secondary_lines(rel: Relation, schema: Schema) -> list[str]:
    """Many-to-many through a junction table."""
    target, junction = schema.table(rel.target), schema.table(rel.secondary or "")
    value = call(
        "relationship",
        secondary=py_str(junction.key),
        primaryjoin=_join(target, junction, rel.primaryjoin),
        secondaryjoin=_join(target, junction, rel.secondaryjoin),
        back_populates=py_str(rel.back_populates),
        passive_deletes=_passive(rel),
        overlaps=_overlaps(rel),
    )
    return assign(rel.name, f"Mapped[list[{target.class_name}]]", value, INDENT)


def _attrs(table: Table, columns: tuple[str, ...]) -> str | None:
    """``Class.attr`` (or a list of them) for SQLAlchemy's column arguments."""
    if not columns:
        return None
    return py_str(_joined([f"{table.class_name}.{table.column(c).attr}" for c in columns]))


def relationship_lines(table: Table, rel: Relation, schema: Schema) -> list[str]:
    if rel.secondary is not None:
        return secondary_lines(rel, schema)
    target = schema.table(rel.target)
    owner = table if rel.owner_side else target
    if rel.many:
        ann = f"list[{target.class_name}]"
    else:
        ann = target.class_name + (" | None" if rel.optional else "")
    value = call(
        "relationship",
        back_populates=py_str(rel.back_populates),
        foreign_keys=_attrs(owner, rel.foreign_keys),
        remote_side=_attrs(table, rel.remote_side),
        cascade=py_str(rel.cascade) if rel.cascade else None,
        passive_deletes=_passive(rel),
        post_update="True" if rel.post_update else None,
        overlaps=_overlaps(rel),
    )
    return assign(rel.name, f"Mapped[{ann}]", value, INDENT)


def _joined(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else "[" + ", ".join(exprs) + "]"


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
