"""Context for ``templates/drizzle/schema.ts.jinja``: a Drizzle ORM schema.

The TypeScript side of the stack reads the same tables as the Python side, so
this schema must build the same catalog as ``schema.sql`` when drizzle-kit
turns it into DDL: the same types, nullability, defaults and constraint and
index names (every constraint is declared at table level with its name,
because Drizzle's own names differ from PostgreSQL's).  Property names are
the JSON names of the Pydantic models (camelCase with ``json_aliases:
camel``), so a row that one side serialises the other side reads.

What Drizzle cannot say is left to schema.sql and noted in the file: index
INCLUDE columns, COMMENT ON (descriptions become JSDoc), the on-update
trigger (Drizzle sets the column from the client with ``$onUpdate``).

This module holds ``Builder`` (the variables' names, schemas, enums,
sequences, tables, views) and ``context``, which assembles the file; the parts
live beside it: ``drizzle_columns`` (each column, bound as ``Builder.column``
and ``Builder.default``), ``drizzle_extras`` (a table's keys, checks, indexes
and policies), ``drizzle_relations`` (``relations()``), ``drizzle_names``
(properties, references, unique variables, JSDoc) and ``tsfmt`` (the
TypeScript layout).
"""

from __future__ import annotations

from typing import Any

from ..model import Enum, Schema, Sequence, Table, View
from ..naming import camel
from . import drizzle_columns
from . import tsfmt as ts
from .drizzle_columns import _BUILDERS, CUSTOM
from .drizzle_extras import table_extras
from .drizzle_names import Block, Names, jsdoc
from .drizzle_relations import relations_block
from .tsfmt import Doc

# pgSequence's option for each CREATE SEQUENCE option, in its order.
_SEQUENCE_PROPS = (
    ("INCREMENT BY", "increment"),
    ("MINVALUE", "minValue"),
    ("MAXVALUE", "maxValue"),
    ("START WITH", "startWith"),
    ("CACHE", "cache"),
)


class Builder:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.pg_imports: set[str] = set()
        self.orm_imports: set[str] = set()
        self.custom: set[str] = set()
        self.notes: list[str] = []
        self.domain_columns: list[str] = []
        self.names = Names(set(_BUILDERS.values()) | set(CUSTOM) | _PG_HELPERS)
        self.ns_vars = {ns: self.names.claim(camel(ns) + "Schema") for ns in schema.namespaces}
        self.enum_vars = {
            e.key: self.names.claim(camel(e.key.replace(".", "_")) + "Enum") for e in schema.enums
        }
        self.view_vars = {v.name: self.names.claim(camel(v.name), "View") for v in schema.views}
        self.table_vars = {
            t.key: self.names.claim(camel(t.key.replace(".", "_")), "Table") for t in schema.tables
        }
        self.sequence_vars = {
            s.key: self.names.claim(camel(s.key.replace(".", "_")), "Sequence")
            for s in schema.sequences
        }

    def sql(self, text: str) -> str:
        self.orm_imports.add("sql")
        return ts.template("sql", text)

    # -- enums and schemas ----------------------------------------------------
    def enum_block(self, enum: Enum) -> Block:
        labels = ts.arr([ts.string(v) for v in enum.labels])
        if enum.schema and enum.schema != "public":
            value: Doc = ts.call(f"{self.ns_vars[enum.schema]}.enum", ts.string(enum.name), labels)
        else:
            self.pg_imports.add("pgEnum")
            value = ts.call("pgEnum", ts.string(enum.name), labels)
        code = ts.assign(f"export const {self.enum_vars[enum.key]}", value)
        return Block(jsdoc(enum.description), code)

    # -- sequences ------------------------------------------------------------
    def sequence_block(self, seq: Sequence) -> Block:
        """``pgSequence(name, {options})``: drizzle-kit writes CREATE SEQUENCE before the
        tables, with every option spelt out.  Drizzle's sequences are bigint: one of
        another type gets its type's bounds here, and is noted; so is OWNED BY."""
        words = dict(seq.options())
        if seq.data_type != "bigint":  # its bounds, which Drizzle's bigint default is not
            words.setdefault("MINVALUE", str(seq.min_value))
            words.setdefault("MAXVALUE", str(seq.max_value))
            self.notes.append(
                f"sequence {seq.key} is AS {seq.data_type} in schema.sql; pgSequence is bigint."
            )
        if seq.owned_by is not None:
            self.notes.append(
                f"sequence {seq.key} is OWNED BY {'.'.join(seq.owned_by)} in schema.sql;"
                " pgSequence cannot say so."
            )
        options: list[Doc] = []
        for word, prop in _SEQUENCE_PROPS:
            if word in words:
                number = int(words[word])  # beyond JavaScript's safe integers: a string
                text = str(number) if abs(number) < 2**53 else ts.string(str(number))
                options.append(ts.prop(prop, text))
        if "CYCLE" in words:
            options.append(ts.prop("cycle", "true"))
        args: list[Doc] = [ts.string(seq.name), *([ts.obj(options)] if options else [])]
        if seq.schema and seq.schema != "public":
            value: Doc = ts.call(f"{self.ns_vars[seq.schema]}.sequence", *args)
        else:
            self.pg_imports.add("pgSequence")
            value = ts.call("pgSequence", *args)
        code = ts.assign(f"export const {self.sequence_vars[seq.key]}", value)
        return Block(jsdoc(seq.description), code)

    # -- columns: drizzle_columns.py ------------------------------------------
    column = drizzle_columns.column
    default = drizzle_columns.default

    # -- tables ---------------------------------------------------------------
    def table_block(self, table: Table) -> Block:
        pk = table.primary_key
        inline_pk = len(pk.columns) == 1 and pk.name == f"{table.name}_pkey"
        columns = [
            self.column(table, col, inline_pk and col.name == pk.columns[0])
            for col in table.columns
        ]
        extras = self.extras(table, inline_pk)
        if table.schema and table.schema != "public":
            fn = f"{self.ns_vars[table.schema]}.table"
        else:
            fn = "pgTable"
            self.pg_imports.add("pgTable")
        items: list[Doc] = [ts.string(table.name), ts.hug(ts.obj(columns, broken=True))]
        if extras:
            params = "(t)"
            if any(fk.cyclic for fk in table.foreign_keys):
                # Tables that refer to each other: TypeScript cannot infer the
                # callback's type through the cycle, so it is spelled out.
                self.pg_imports.add("type PgTableExtraConfigValue")
                params = "(t): PgTableExtraConfigValue[]"
            items.append(ts.hug(ts.Group(ts.arrow(params, ts.arr(extras)))))  # type: ignore[arg-type]
        value: Doc = ts.call(fn, *items)
        if table.row_level_security:
            value = ts.chain(value, [("enableRLS", [])])
        if table.force_row_level_security:
            self.notes.append(
                f"{table.name}: FORCE ROW LEVEL SECURITY (Drizzle has no such option)."
            )
        code = ts.render([f"export const {self.table_vars[table.key]} = ", value, ";"])
        return Block(jsdoc(table.description), code)

    # -- views ----------------------------------------------------------------
    def view_block(self, view: View) -> Block:
        """``pgView(name, {columns}).as(sql`query`)``: drizzle-kit's generate writes
        CREATE VIEW with this query; the declared columns type the rows."""
        fn = "pgMaterializedView" if view.materialized else "pgView"
        self.pg_imports.add(fn)
        columns = [self.column(view, col, False) for col in view.columns]
        head = ts.call(fn, ts.string(view.name), ts.hug(ts.obj(columns, broken=True)))
        if self._after_materialized(view):
            # drizzle-kit's generate writes every plain view before every
            # materialized one, so this view's CREATE would fail: it is declared
            # as existing (typed, left out of drizzle-kit's migrations).
            self.notes.append(
                f"{view.name}: reads a materialized view, which drizzle-kit creates after"
                " plain views; declared .existing(): create it with schema.sql."
            )
            value = ts.chain(head, [("existing", [])])
        else:
            value = ts.chain(head, [("as", [self.sql(view.query.strip())])])
        for ix in view.indexes:
            self.notes.append(
                f"{view.name}: index {ix.name} of the materialized view is in schema.sql;"
                " Drizzle cannot declare indexes on views."
            )
        code = ts.render([f"export const {self.view_vars[view.name]} = ", value, ";"])
        return Block(jsdoc(view.description), code)

    def _after_materialized(self, view: View) -> bool:
        if view.materialized:
            return False
        views = {v.name: v for v in self.schema.views}
        seen, todo = set(), list(view.depends_on)
        while todo:
            name = todo.pop()
            if name in views and name not in seen:
                seen.add(name)
                if views[name].materialized:
                    return True
                todo += views[name].depends_on
        return False

    # -- a table's third argument: drizzle_extras.py --------------------------
    extras = table_extras


_PG_HELPERS = {
    "check",
    "customType",
    "foreignKey",
    "index",
    "pgEnum",
    "pgSchema",
    "pgTable",
    "pgMaterializedView",
    "pgPolicy",
    "pgSequence",
    "pgView",
    "primaryKey",
    "serial",
    "bigserial",
    "smallserial",
    "unique",
    "uniqueIndex",
}

_CUSTOM_TEMPLATE = (
    "const {name} = customType<{{ data: {data} }}>({{\n"
    "  dataType() {{\n"
    '    return "{sql}";\n'
    "  }},\n"
    "}});"
)


def _import(names: set[str], module: str) -> str:
    specs: list[Doc] = [*sorted(names, key=lambda n: n.removeprefix("type "))]
    doc = ts.Group(["import ", ts.obj(specs), f" from {ts.string(module)};"])
    return ts.render(doc)


def outside(schema: Schema, domain_columns: list[str]) -> list[str]:
    """What schema.sql creates and this file cannot carry, so a reader knows."""
    out = []
    for d in schema.domains:
        cols = [c for c in domain_columns if c.endswith(f" ({d.name})")]
        used = " (" + ", ".join(c.split(" ")[0] for c in cols) + ")" if cols else ""
        out.append(f"domain {d.name}: its columns have its base type here{used}")
    if schema.functions:
        out.append("functions " + ", ".join(f.name for f in schema.functions))
    triggers = [f"{t.name}.{tr.name}" for t in schema.tables for tr in t.triggers]
    if triggers:
        out.append("triggers " + ", ".join(triggers))
    exclusions = [x.name for t in schema.tables for x in t.exclusions]
    if exclusions:
        out.append("exclusion constraints (EXCLUDE) " + ", ".join(exclusions))
    if schema.sql_before or schema.sql_after:
        out.append("raw SQL (postgres: before/after)")
    return out


def context(schema: Schema) -> dict[str, Any]:
    b = Builder(schema)
    namespaces = []
    for ns, var in b.ns_vars.items():
        b.pg_imports.add("pgSchema")
        namespaces.append(
            ts.render([f"export const {var} = ", ts.call("pgSchema", ts.string(ns)), ";"])
        )
    enums = [b.enum_block(e) for e in schema.enums]
    sequences = [b.sequence_block(s) for s in schema.sequences]
    tables = [b.table_block(t) for t in schema.tables]
    views = [b.view_block(v) for v in schema.views]
    relations = [r for r in (relations_block(b, t) for t in schema.tables) if r is not None]
    types = []
    for t in schema.tables:
        var = b.table_vars[t.key]
        for name, infer in ((t.class_name, "Select"), (f"Insert{t.class_name}", "Insert")):
            value = f"typeof {var}.$infer{infer}"
            types.append(ts.assign(f"export type {name}", value, poorly_breakable=True))
    customs = []
    for name in sorted(b.custom):
        b.pg_imports.add("customType")
        data, sql_type = CUSTOM[name]
        customs.append(_CUSTOM_TEMPLATE.format(name=name, data=data, sql=sql_type))
    imports = []
    if b.orm_imports:
        imports.append(_import(b.orm_imports, "drizzle-orm"))
    imports.append(_import(b.pg_imports, "drizzle-orm/pg-core"))
    return {
        "source": schema.source_name,
        "notes": b.notes,
        "imports": imports,
        "customs": customs,
        "namespaces": namespaces,
        "enums": enums + sequences,
        "tables": tables + views,
        "outside": outside(schema, b.domain_columns),
        "relations": relations,
        "types": types,
    }
