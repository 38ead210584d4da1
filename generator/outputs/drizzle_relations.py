"""``relations()`` of the Drizzle schema: each foreign key, both ways.

The owning side is ``one(target, {fields, references})``; the other side is
``many(owner)``, or ``one(owner)`` when the key is unique (one to one).  A pair
of tables joined by more than one key (or a table that refers to itself)
names each pair of sides with the constraint's name (``relationName``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Schema, Table
from ..naming import camel
from . import tsfmt as ts
from .drizzle_names import Block, key, ref
from .tsfmt import Doc

if TYPE_CHECKING:
    from .drizzle import Builder


def relations_block(b: Builder, table: Table) -> Block | None:
    """``export const projectsRelations = relations(projects, ...)``, or None."""
    rels = [r for r in table.relations if r.secondary is None]
    if not rels:
        return None
    b.orm_imports.add("relations")
    var = b.table_vars[table.key]
    helpers: set[str] = set()
    props: list[Doc] = []
    for rel in rels:
        owner = table if rel.owner_side else b.schema.table(rel.target)
        fk = next(f for f in owner.foreign_keys if f.name == rel.foreign_key)
        target_var = b.table_vars[rel.target]
        options: list[Doc] = []
        if rel.owner_side:
            target = b.schema.table(rel.target)
            options += [
                ts.prop("fields", ts.arr(_refs(var, table, fk.columns))),
                ts.prop("references", ts.arr(_refs(target_var, target, fk.ref_columns))),
            ]
        if _ambiguous(b.schema, owner, fk.ref_table):
            options.append(ts.prop("relationName", ts.string(fk.name)))
        kind = "many" if rel.many else "one"
        helpers.add(kind)
        items: list[Doc] = [target_var, *([ts.hug(ts.obj(options))] if options else [])]
        props.append(ts.prop(key(_rel_name(b.schema, rel.name)), ts.call(kind, *items)))
    params = "({ " + ", ".join(sorted(helpers, key=["one", "many"].index)) + " })"
    body = ts.hug(ts.Group(["(", ts.obj(props, broken=True), ")"]))
    name = b.names.claim(f"{var}Relations")
    value = ts.call("relations", var, ts.hug(ts.Group(ts.arrow(params, body))))  # type: ignore[arg-type]
    return Block((), ts.assign(f"export const {name}", value))


def _rel_name(schema: Schema, name: str) -> str:
    return camel(name) if schema.json_aliases == "camel" else name


def _refs(var: str, table: Table, cols: tuple[str, ...]) -> list[Doc]:
    return [ref(var, table, c) for c in cols]


def _ambiguous(schema: Schema, owner: Table, ref_table: str) -> bool:
    """Drizzle pairs the two sides by relationName when a pair of tables has
    more than one foreign key between them (or a table refers to itself)."""
    if owner.key == ref_table:
        return True
    pair = {owner.key, ref_table}
    count = sum(1 for t in schema.tables for f in t.foreign_keys if {t.key, f.ref_table} == pair)
    return count > 1
