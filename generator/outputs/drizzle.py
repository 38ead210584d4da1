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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Column, Enum, Index, Schema, Table
from ..naming import camel
from . import tsfmt as ts
from .tsfmt import Doc

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
}
# Types drizzle-orm has no builder for: (TypeScript data type, SQL type).
CUSTOM = {"bytea": ("Uint8Array", "bytea"), "citext": ("string", "citext")}
# Literal defaults Drizzle writes as PostgreSQL does; others are copied as SQL.
_LITERAL_TYPES = {"text", "varchar", "smallint", "integer", "bigint", "boolean", "enum"}
_RESERVED = set(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "let",
        "static",
        "implements",
        "interface",
        "package",
        "private",
        "protected",
        "public",
        "await",
        "arguments",
        "eval",
        "undefined",
    ]
)
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


@dataclass(frozen=True)
class Block:
    doc: tuple[str, ...]  # JSDoc lines (without the comment markers' indentation)
    code: str


def _key(name: str) -> str:
    return name if _IDENT.fullmatch(name) else ts.string(name)


def prop_name(col: Column) -> str:
    """The JSON name the Pydantic models read and write (see resolve_python.json_alias)."""
    return col.json_alias or col.attr


class Names:
    """Unique TypeScript names for schemas, enums and tables (never an import's name)."""

    def __init__(self, imports: set[str]) -> None:
        self.taken = set(imports) | _RESERVED | {"sql", "relations"}

    def claim(self, base: str, suffix: str = "") -> str:
        """``base``, else ``base + suffix`` (a table named ``text`` is ``textTable``), else numbered."""
        name, n = base, 2
        if name in self.taken and suffix:
            name = base = base + suffix
        while name in self.taken:
            name, n = f"{base}{n}", n + 1
        self.taken.add(name)
        return name


def _jsdoc(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(line.rstrip().replace("*/", "*\\/") for line in text.strip().splitlines())


class Builder:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.pg_imports: set[str] = set()
        self.orm_imports: set[str] = set()
        self.custom: set[str] = set()
        self.notes: list[str] = []
        self.names = Names(set(_BUILDERS.values()) | set(CUSTOM) | _PG_HELPERS)
        self.ns_vars = {ns: self.names.claim(camel(ns) + "Schema") for ns in schema.namespaces}
        self.enum_vars = {
            e.key: self.names.claim(camel(e.key.replace(".", "_")) + "Enum") for e in schema.enums
        }
        self.table_vars = {
            t.key: self.names.claim(camel(t.key.replace(".", "_")), "Table") for t in schema.tables
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
        return Block(_jsdoc(enum.description), code)

    # -- columns --------------------------------------------------------------
    def column(self, table: Table, col: Column, inline_pk: bool) -> Doc:
        t = col.type
        name = ts.string(col.name)
        options: list[Doc] = []
        if t.name == "enum":
            builder = self.enum_vars[t.enum or ""]
        elif t.name in CUSTOM:
            builder = t.name
            self.custom.add(t.name)
        else:
            builder = _BUILDERS[t.name]
            self.pg_imports.add(builder)
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
            methods.append(("generatedAlwaysAs", [self.sql(col.generated)]))
        methods += self.default(col)
        uniques = [u for u in table.uniques if u.columns == (col.name,)]
        if uniques:
            methods.append(("unique", [ts.string(uniques[0].name)]))
        if col.on_update_now:
            methods.append(("$onUpdate", [ts.arrow("()", self.sql("now()"))]))
        doc: list[Doc] = []
        lines = _jsdoc(col.description)
        if len(lines) == 1:  # descriptions are JSDoc: editors show them on hover
            doc = [f"/** {lines[0]} */", ts.HARD]
        elif lines:
            doc = ["/**"]
            for line in lines:
                doc += [ts.HARD, f" *{' ' + line if line else ''}"]
            doc += [ts.HARD, " */", ts.HARD]
        return [*doc, ts.prop(_key(prop_name(col)), ts.chain(head, methods))]

    def default(self, col: Column) -> list[tuple[str, list[Doc]]]:
        d, t = col.default, col.type
        if d is None:
            return []
        if d.kind == "sql":
            if d.sql == "gen_random_uuid()" and t.name == "uuid" and not t.array:
                return [("defaultRandom", [])]
            if d.sql == "now()" and t.name in ("timestamp", "timestamptz") and not t.array:
                return [("defaultNow", [])]
            return [("default", [self.sql(d.sql)])]
        value = d.value
        if t.name in _LITERAL_TYPES and not t.array:
            if isinstance(value, bool):
                return [("default", ["true" if value else "false"])]
            if isinstance(value, int) and abs(value) <= 2**53 - 1:  # a safe JS number
                return [("default", [str(value)])]
            if isinstance(value, str):
                return [("default", [ts.string(value)])]
        return [("default", [self.sql(d.sql)])]

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
        code = ts.render(
            [f"export const {self.table_vars[table.key]} = ", ts.call(fn, *items), ";"]
        )
        return Block(_jsdoc(table.description), code)

    def _cols(self, table: Table, names: tuple[str, ...]) -> list[Doc]:
        return [
            f"t.{_key(prop_name(table.column(n)))}"
            if _IDENT.fullmatch(prop_name(table.column(n)))
            else f"t[{ts.string(prop_name(table.column(n)))}]"
            for n in names
        ]

    def extras(self, table: Table, inline_pk: bool) -> list[Doc]:
        out: list[Doc] = []
        pk = table.primary_key
        if not inline_pk:
            self.pg_imports.add("primaryKey")
            out.append(
                ts.call(
                    "primaryKey",
                    ts.hug(
                        ts.obj(
                            [
                                ts.prop("name", ts.string(pk.name)),
                                ts.prop("columns", ts.arr(self._cols(table, pk.columns))),
                            ]
                        )
                    ),
                )
            )
        for u in table.uniques:
            if len(u.columns) > 1:
                self.pg_imports.add("unique")
                out.append(
                    ts.chain(
                        ts.call("unique", ts.string(u.name)), [("on", self._cols(table, u.columns))]
                    )
                )
        for fk in table.foreign_keys:
            self.pg_imports.add("foreignKey")
            target = self.schema.table(fk.ref_table)
            if target.key == table.key:
                refs = self._cols(table, fk.ref_columns)
            else:
                var = self.table_vars[target.key]
                refs = [
                    f"{var}.{_key(prop_name(target.column(c)))}"
                    if _IDENT.fullmatch(prop_name(target.column(c)))
                    else f"{var}[{ts.string(prop_name(target.column(c)))}]"
                    for c in fk.ref_columns
                ]
            head = ts.call(
                "foreignKey",
                ts.hug(
                    ts.obj(
                        [
                            ts.prop("name", ts.string(fk.name)),
                            ts.prop("columns", ts.arr(self._cols(table, fk.columns))),
                            ts.prop("foreignColumns", ts.arr(refs)),
                        ]
                    )
                ),
            )
            actions: list[tuple[str, list[Doc]]] = []
            if fk.on_delete != "no action":
                actions.append(("onDelete", [ts.string(fk.on_delete)]))
            if fk.on_update != "no action":
                actions.append(("onUpdate", [ts.string(fk.on_update)]))
            out.append(ts.chain(head, actions))
        for check in table.checks:
            self.pg_imports.add("check")
            out.append(ts.call("check", ts.string(check.name), self.sql(check.sql)))
        for index in table.indexes:
            out.append(self.index(table, index))
        return out

    def index(self, table: Table, index: Index) -> Doc:
        fn = "uniqueIndex" if index.unique else "index"
        self.pg_imports.add(fn)
        cols: list[Doc] = []
        for ic, ref in zip(
            index.columns, self._cols(table, tuple(c.name for c in index.columns)), strict=True
        ):
            assert isinstance(ref, str)
            # PostgreSQL's DESC puts NULLs first; Drizzle's desc() alone says NULLS LAST.
            cols.append(ts.chain(ref, [("desc", []), ("nullsFirst", [])]) if ic.descending else ref)
        methods: list[tuple[str, list[Doc]]] = []
        if index.using == "btree":
            methods.append(("on", cols))
        else:
            methods.append(("using", [ts.string(index.using), *cols]))
        if index.where:
            methods.append(("where", [self.sql(index.where)]))
        if index.include:
            self.notes.append(
                f"{table.name}: index {index.name} also has INCLUDE ({', '.join(index.include)})"
                " in schema.sql; Drizzle cannot declare INCLUDE columns."
            )
        return ts.chain(ts.call(fn, ts.string(index.name)), methods)

    # -- relations ------------------------------------------------------------
    def relations_block(self, table: Table) -> Block | None:
        rels = [r for r in table.relations if r.secondary is None]
        if not rels:
            return None
        self.orm_imports.add("relations")
        var = self.table_vars[table.key]
        helpers: set[str] = set()
        props: list[Doc] = []
        for rel in rels:
            owner = table if rel.owner_side else self.schema.table(rel.target)
            fk = next(f for f in owner.foreign_keys if f.name == rel.foreign_key)
            target_var = self.table_vars[rel.target]
            options: list[Doc] = []
            if rel.owner_side:
                target = self.schema.table(rel.target)
                options += [
                    ts.prop("fields", ts.arr(self._refs(var, table, fk.columns))),
                    ts.prop("references", ts.arr(self._refs(target_var, target, fk.ref_columns))),
                ]
            if self._ambiguous(owner, fk.ref_table):
                options.append(ts.prop("relationName", ts.string(fk.name)))
            kind = "many" if rel.many else "one"
            helpers.add(kind)
            items: list[Doc] = [target_var, *([ts.hug(ts.obj(options))] if options else [])]
            props.append(ts.prop(_key(self.rel_name(rel.name)), ts.call(kind, *items)))
        params = "({ " + ", ".join(sorted(helpers, key=["one", "many"].index)) + " })"
        body = ts.hug(ts.Group(["(", ts.obj(props, broken=True), ")"]))
        name = self.names.claim(f"{var}Relations")
        value = ts.call("relations", var, ts.hug(ts.Group(ts.arrow(params, body))))  # type: ignore[arg-type]
        return Block((), ts.assign(f"export const {name}", value))

    def rel_name(self, name: str) -> str:
        return camel(name) if self.schema.json_aliases == "camel" else name

    def _refs(self, var: str, table: Table, cols: tuple[str, ...]) -> list[Doc]:
        out: list[Doc] = []
        for c in cols:
            p = prop_name(table.column(c))
            out.append(f"{var}.{p}" if _IDENT.fullmatch(p) else f"{var}[{ts.string(p)}]")
        return out

    def _ambiguous(self, owner: Table, ref_table: str) -> bool:
        """Drizzle pairs the two sides by relationName when a pair of tables has
        more than one foreign key between them (or a table refers to itself)."""
        if owner.key == ref_table:
            return True
        pair = {owner.key, ref_table}
        count = sum(
            1 for t in self.schema.tables for f in t.foreign_keys if {t.key, f.ref_table} == pair
        )
        return count > 1


_PG_HELPERS = {
    "check",
    "customType",
    "foreignKey",
    "index",
    "pgEnum",
    "pgSchema",
    "pgTable",
    "primaryKey",
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


def context(schema: Schema) -> dict[str, Any]:
    b = Builder(schema)
    namespaces = []
    for ns, var in b.ns_vars.items():
        b.pg_imports.add("pgSchema")
        namespaces.append(
            ts.render([f"export const {var} = ", ts.call("pgSchema", ts.string(ns)), ";"])
        )
    enums = [b.enum_block(e) for e in schema.enums]
    tables = [b.table_block(t) for t in schema.tables]
    relations = [r for r in (b.relations_block(t) for t in schema.tables) if r is not None]
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
        "enums": enums,
        "tables": tables,
        "relations": relations,
        "types": types,
    }
