"""Context for ``templates/sqlalchemy/orm.py.jinja``: a typed SQLAlchemy 2.0 ORM.

The metadata must equal ``schema.sql``: every column carries its exact type
and server default (the same SQL text), and every constraint is declared in
``__table_args__`` under the name the DDL gives it, so nothing depends on the
naming convention (which only names constraints added by hand).

Relationships mirror the foreign key's ON DELETE so the ORM does not fight
the database: ``cascade`` deletes loaded children in the session and leaves
the rest to the database (``passive_deletes=True``); ``set null`` lets the
database null them; ``restrict``/``no action``/``set default`` leave the
decision to the database (``passive_deletes="all"``) instead of nulling the
children's keys first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Column, ForeignKey, Index, Relation, Schema, Table
from ..naming import quote_ident
from ..types import Import
from .pyfmt import INDENT, Call, assign, call, docstring, import_lines, layout, py_str
from .pytypes import enum_aliases, python_type, sqlalchemy_type

_SA = "sqlalchemy"
_ORM = "sqlalchemy.orm"


@dataclass(frozen=True)
class OrmClass:
    name: str
    doc: tuple[str, ...]  # docstring lines, indented
    body: tuple[str, ...]  # __tablename__, __table_args__, columns, relationships


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
        args.append(call("UniqueConstraint", *_names(u.columns), name=py_str(u.name)))
        imports.add((_SA, "UniqueConstraint"))
    for check in table.checks:
        args.append(call("CheckConstraint", py_str(check.sql), name=py_str(check.name)))
        imports.add((_SA, "CheckConstraint"))
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
                ondelete=py_str(fk.on_delete.upper()) if fk.on_delete != "no action" else None,
                onupdate=py_str(fk.on_update.upper()) if fk.on_update != "no action" else None,
                # a cycle: added by ALTER, as in schema.sql
                use_alter="True" if fk.cyclic else None,
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
    for col in index.columns:
        if col.descending:
            columns.append(call("text", py_str(f"{quote_ident(col.name)} DESC")))
            imports.add((_SA, "text"))
        else:
            columns.append(py_str(col.name))
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
        postgresql_where=where,
        postgresql_include=_list(_names(index.include)) if index.include else None,
    )


def column_lines(col: Column, schema: Schema, imports: set[Import]) -> list[str]:
    python, python_imports = python_type(col.type, schema, pydantic=False)
    sa_type, sa_imports = sqlalchemy_type(col.type, schema)
    imports |= python_imports | sa_imports
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
    if col.default is not None:
        server_default = call("text", py_str(col.default.sql))
        imports.add((_SA, "text"))
    value = call(
        "mapped_column",
        *args,
        server_default=server_default,
        onupdate="func.now()" if col.on_update_now else None,
        comment=py_str(col.description) if col.description else None,
    )
    imports.add((_ORM, "mapped_column"))
    ann = python + (" | None" if col.nullable else "")
    return assign(col.attr, f"Mapped[{ann}]", value, INDENT)


def _foreign_key(owner: Table, rel: Relation) -> ForeignKey:
    for fk in owner.foreign_keys:
        if fk.name == rel.foreign_key:
            return fk
    raise KeyError(rel.foreign_key)


def secondary_lines(table: Table, rel: Relation, schema: Schema) -> list[str]:
    """Many-to-many through a junction table.  The junction's own relationships
    write the same rows, so they are named as overlapping (SQLAlchemy would warn)."""
    target, junction = schema.table(rel.target), schema.table(rel.secondary or "")
    overlaps = {r.name for r in junction.relations}
    overlaps |= {r.name for t in (table, target) for r in t.relations if r.target == junction.key}
    value = call(
        "relationship",
        secondary=py_str(junction.key),
        back_populates=py_str(rel.back_populates),
        passive_deletes="True" if rel.passive_deletes else None,
        overlaps=py_str(",".join(sorted(overlaps))),
    )
    return assign(rel.name, f"Mapped[list[{target.class_name}]]", value, INDENT)


def relationship_lines(table: Table, rel: Relation, schema: Schema) -> list[str]:
    if rel.secondary is not None:
        return secondary_lines(table, rel, schema)
    target = schema.table(rel.target)
    owner = table if rel.owner_side else target
    fk = _foreign_key(owner, rel)
    self_reference = rel.target == table.key
    # Two foreign keys between the same pair of tables: say which one this follows.
    # (either way round: users.best_post_id and posts.author_id link the same pair).
    pair = {table.key, target.key}
    ambiguous = (
        sum(
            1
            for t in {table.key: table, target.key: target}.values()
            for f in t.foreign_keys
            if {t.key, f.ref_table} == pair
        )
        > 1
    )
    fk_cols = [f"{owner.class_name}.{owner.column(c).attr}" for c in fk.columns]
    foreign_keys = py_str(_joined(fk_cols)) if ambiguous or self_reference else None
    remote_side = None
    if rel.owner_side and self_reference:  # the referenced row is the remote side
        refs = [f"{table.class_name}.{table.column(c).attr}" for c in fk.ref_columns]
        remote_side = py_str(_joined(refs))
    cascade = passive = None
    if not rel.owner_side:
        if fk.on_delete == "cascade":
            cascade, passive = py_str("all, delete"), "True"
        elif fk.on_delete == "set null":
            passive = "True"
        else:
            passive = py_str("all")
    if rel.many:
        ann = f"list[{target.class_name}]"
    else:
        ann = target.class_name + (" | None" if rel.optional else "")
    value = call(
        "relationship",
        back_populates=py_str(rel.back_populates),
        foreign_keys=foreign_keys,
        remote_side=remote_side,
        cascade=cascade,
        passive_deletes=passive,
        # Rows that point at each other (a cycle): set this reference by a second
        # UPDATE, so the unit of work can insert both rows first.
        post_update="True" if rel.owner_side and fk.cyclic and rel.optional else None,
        overlaps=_overlaps(owner, fk, schema),
    )
    return assign(rel.name, f"Mapped[{ann}]", value, INDENT)


def _overlaps(owner: Table, fk: ForeignKey, schema: Schema) -> str | None:
    """Relationships that write a column this foreign key writes too: tasks.tenant_id
    under both (tenant_id) -> tenants and (tenant_id, project_id) -> projects.
    Both are right; naming them keeps SQLAlchemy from warning about the overlap."""
    names: set[str] = set()
    for other in owner.foreign_keys:
        if other.name == fk.name or not set(other.columns) & set(fk.columns):
            continue
        names |= {r.name for r in owner.relations if r.owner_side and r.foreign_key == other.name}
        parent = schema.table(other.ref_table)
        names |= {
            r.name
            for r in parent.relations
            if not r.owner_side and r.target == owner.key and r.foreign_key == other.name
        }
    return py_str(",".join(sorted(names))) if names else None


def _joined(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else "[" + ", ".join(exprs) + "]"


def orm_class(table: Table, schema: Schema, imports: set[Import]) -> OrmClass:
    body = [f"{INDENT}__tablename__ = {py_str(table.name)}"]
    body += layout(table_args(table, schema, imports), INDENT, "__table_args__ = ")
    body.append("")
    for col in table.columns:
        body += column_lines(col, schema, imports)
    if table.relations:
        imports.add((_ORM, "relationship"))
        body.append("")
        for rel in table.relations:
            body += relationship_lines(table, rel, schema)
    doc = f"The ``{table.name}`` table." + (f"\n\n{table.description}" if table.description else "")
    return OrmClass(table.class_name, tuple(docstring(doc, INDENT)), tuple(body))


def context(schema: Schema) -> dict[str, Any]:
    imports: set[Import] = {
        (_SA, "MetaData"),
        (_ORM, "DeclarativeBase"),
        (_ORM, "Mapped"),
    }
    classes = [orm_class(t, schema, imports) for t in schema.tables]
    if schema.enums:
        imports.add(("typing", "Literal"))
    return {
        "source": schema.source_name,
        "enums": enum_aliases(schema),
        "imports": import_lines(imports),
        "classes": classes,
    }
