"""The columns of a Drizzle table or view: the builder of each type
(``uuid("id")``, a serial, an enum's, a custom type's) with its options, the
chained methods (``.notNull()``, identity, generated, the default, a
single-column ``.unique()``, ``$onUpdate``) and the JSDoc of its description.

``Builder.column`` and ``Builder.default`` are these functions, bound in the
class body (``drizzle.py``), so callers and the per-column call are unchanged;
they are a module of their own, as the table-level part (``drizzle_extras.py``)
and ``relations()`` (``drizzle_relations.py``) are, so that each reads in one
sitting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Column, Table, View
from . import tsfmt as ts
from .drizzle_names import jsdoc, key, prop_name
from .tsfmt import Doc

if TYPE_CHECKING:
    from .drizzle import Builder

# Drizzle column builders by spec type; None: a custom type this file defines.
_BUILDERS = {
    "uuid": "uuid",
    "text": "text",
    "varchar": "varchar",
    "smallint": "smallint",
    "integer": "integer",
    "bigint": "bigint",
    "numeric": "numeric",
    "real": "real",
    "double precision": "doublePrecision",
    "boolean": "boolean",
    "timestamp": "timestamp",
    "timestamptz": "timestamp",
    "date": "date",
    "time": "time",
    "interval": "interval",
    "jsonb": "jsonb",
    "json": "json",
    "inet": "inet",
    "cidr": "cidr",
    "char": "char",
}
# serial columns (``Column.sequence``): Drizzle's serial builders make the same
# owned sequence and nextval() default as PostgreSQL's serial.
_SERIALS = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
# Types drizzle-orm has no builder for: (TypeScript data type, SQL type).
# Ranges read as their text form (``[1,10)``), as the pg driver returns them.
CUSTOM = {
    "bytea": ("Uint8Array", "bytea"),
    "citext": ("string", "citext"),
    "tsvector": ("string", "tsvector"),
    "tsquery": ("string", "tsquery"),
    **{
        r: ("string", r)
        for r in ("int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange")
    },
}
# Literal defaults Drizzle writes as PostgreSQL does; others are copied as SQL.
_LITERAL_TYPES = {"text", "varchar", "smallint", "integer", "bigint", "boolean", "enum"}


def column(b: Builder, table: Table | View, col: Column, inline_pk: bool) -> Doc:
    t = col.type
    name = ts.string(col.name)
    options: list[Doc] = []
    serial = col.sequence is not None and not t.array
    if serial:
        builder = _SERIALS[t.name]
        b.pg_imports.add(builder)
    elif t.name == "enum":
        builder = b.enum_vars[t.enum or ""]
    elif t.name in CUSTOM:
        builder = t.name
        b.custom.add(t.name)
    else:
        builder = _BUILDERS[t.name]
        b.pg_imports.add(builder)
    if t.length is not None:
        options.append(ts.prop("length", str(t.length)))
    if t.precision is not None:
        options += [ts.prop("precision", str(t.precision)), ts.prop("scale", str(t.scale or 0))]
    if t.name == "bigint":  # JSON has no bigint; the same number Pydantic reads
        options.append(ts.prop("mode", ts.string("number")))
    if t.name == "timestamptz":
        options.append(ts.prop("withTimezone", "true"))
    head = ts.call(builder, name, ts.obj(options)) if options else ts.call(builder, name)
    methods: list[tuple[str, list[Doc]]] = []
    if t.array:
        methods.append(("array", []))
    if inline_pk:
        methods.append(("primaryKey", []))
    elif not col.nullable:
        methods.append(("notNull", []))
    if col.identity == "always":
        methods.append(("generatedAlwaysAsIdentity", []))
    elif col.identity == "by default":
        methods.append(("generatedByDefaultAsIdentity", []))
    if col.generated is not None:
        methods.append(("generatedAlwaysAs", [b.sql(col.generated)]))
    if not serial:  # serial's nextval() default is its own
        methods += b.default(col)
    uniques = [u for u in getattr(table, "uniques", ()) if u.columns == (col.name,)]
    if uniques:
        args: list[Doc] = [ts.string(uniques[0].name)]
        if uniques[0].nulls_not_distinct:
            args.append(ts.obj([ts.prop("nulls", ts.string("not distinct"))]))
        methods.append(("unique", args))
    if col.on_update_now:
        methods.append(("$onUpdate", [ts.arrow("()", b.sql("now()"))]))
    doc: list[Doc] = []
    description = col.description
    if t.domain is not None:
        # Drizzle has no domains: the column has the domain's base type here.
        domain = b.schema.domain(t.domain)
        b.domain_columns.append(f"{table.name}.{col.name} ({domain.name})")
        note = f"Domain {domain.name} in schema.sql; its base type here."
        description = f"{description}\n\n{note}" if description else note
    elif t.element_domain is not None:  # year[]: an array of the base type here
        domain = b.schema.domain(t.element_domain)
        b.domain_columns.append(f"{table.name}.{col.name} ({domain.name})")
        note = f"An array of domain {domain.name} in schema.sql; of its base type here."
        description = f"{description}\n\n{note}" if description else note
    lines = jsdoc(description)
    if len(lines) == 1:  # descriptions are JSDoc: editors show them on hover
        doc = [f"/** {lines[0]} */", ts.HARD]
    elif lines:
        doc = ["/**"]
        for line in lines:
            doc += [ts.HARD, f" *{' ' + line if line else ''}"]
        doc += [ts.HARD, " */", ts.HARD]
    return [*doc, ts.prop(key(prop_name(col)), ts.chain(head, methods))]


def default(b: Builder, col: Column) -> list[tuple[str, list[Doc]]]:
    d, t = col.default, col.type
    if d is None:
        return []
    if d.kind == "sql":
        if d.sql == "gen_random_uuid()" and t.name == "uuid" and not t.array:
            return [("defaultRandom", [])]
        if d.sql == "now()" and t.name in ("timestamp", "timestamptz") and not t.array:
            return [("defaultNow", [])]
        return [("default", [b.sql(d.sql)])]
    value = d.value
    if t.name in _LITERAL_TYPES and not t.array:
        if isinstance(value, bool):
            return [("default", ["true" if value else "false"])]
        if isinstance(value, int) and abs(value) <= 2**53 - 1:  # a safe JS number
            return [("default", [str(value)])]
        if isinstance(value, str):
            return [("default", [ts.string(value)])]
    return [("default", [b.sql(d.sql)])]
