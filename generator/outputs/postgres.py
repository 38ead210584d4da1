"""Context for ``templates/postgres/schema.sql.jinja``.

Statement order: extensions, schemas, enum types and the PL/pgSQL functions
(things tables depend on), then tables, then foreign keys added afterwards
with ``ALTER TABLE … ADD CONSTRAINT`` (as pg_dump does, so reference cycles
and any table order work; unique indexes a foreign key references come just
before them, since PostgreSQL needs them first), then the ownership of serial
columns' sequences (``ALTER SEQUENCE … OWNED BY``, as pg_dump writes it: the
sequence exists before the table whose default reads it), then indexes,
SQL-language functions (PostgreSQL checks their bodies against the tables),
views in dependency order, triggers, row-level security and policies,
comments; the raw ``postgres.before`` SQL ends the preamble, ``postgres.after``
ends the file.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..model import (
    ROLE_KEYWORDS,
    Column,
    Domain,
    ForeignKey,
    Function,
    Index,
    Schema,
    Sequence,
    Table,
    Trigger,
    View,
)
from ..naming import quote_ident
from ..sqltext import quote_string


# A NamedTuple, not a frozen dataclass: creating a dataclass is ~3.5 M instructions
# (about 1 ms) of every run; a NamedTuple ~0.7 M.
class TableDDL(NamedTuple):
    name: str  # quoted
    # Column and constraint lines: without trailing commas from table_ddl, with them
    # from create_table (the template's).
    lines: tuple[str, ...]


class AlterDDL(NamedTuple):
    table: str  # quoted
    constraint: str  # e.g. CONSTRAINT "x" FOREIGN KEY (...) REFERENCES ...


def _cols(names: tuple[str, ...]) -> str:
    return ", ".join(quote_ident(n) for n in names)


def column_line(col: Column) -> str:
    parts = [col.sql_name, col.type.sql]
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default.sql}")
    if col.identity is not None:
        parts.append(f"GENERATED {col.identity.upper()} AS IDENTITY")
    if col.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({col.generated}) STORED")
    return " ".join(parts)


def foreign_key_clause(table: Table, fk: ForeignKey, schema: Schema) -> str:
    target = schema.table(fk.ref_table)  # by key: may be in another PostgreSQL schema
    text = (
        f"CONSTRAINT {quote_ident(fk.name)} FOREIGN KEY ({_cols(fk.columns)}) "
        f"REFERENCES {target.sql_name} ({_cols(fk.ref_columns)})"
    )
    if fk.on_update_sql:
        text += f" ON UPDATE {fk.on_update_sql}"
    if fk.on_delete_sql:
        text += f" ON DELETE {fk.on_delete_sql}"
    return text


def key_clause(
    name: str, kind: str, columns: tuple[str, ...], nulls_not_distinct: bool = False
) -> str:
    """``CONSTRAINT name PRIMARY KEY|UNIQUE [NULLS NOT DISTINCT] (...)``, in CREATE TABLE
    and ALTER TABLE ... ADD."""
    kind += " NULLS NOT DISTINCT" if nulls_not_distinct else ""
    return f"CONSTRAINT {quote_ident(name)} {kind} ({_cols(columns)})"


def check_clause(name: str, sql: str) -> str:
    return f"CONSTRAINT {quote_ident(name)} CHECK ({sql})"


def table_ddl(table: Table) -> TableDDL:
    lines = [column_line(c) for c in table.columns]
    lines.append(key_clause(table.primary_key.name, "PRIMARY KEY", table.primary_key.columns))
    lines.extend(
        key_clause(u.name, "UNIQUE", u.columns, u.nulls_not_distinct) for u in table.uniques
    )
    lines.extend(check_clause(c.name, c.sql) for c in table.checks)
    for x in table.exclusions:
        elements = ", ".join(f"{quote_ident(col)} WITH {op}" for col, op in x.elements)
        text = f"CONSTRAINT {quote_ident(x.name)} EXCLUDE USING {x.using} ({elements})"
        lines.append(text + (f" WHERE ({x.where})" if x.where is not None else ""))
    return TableDDL(table.sql_name, tuple(lines))


def create_table(table: Table) -> TableDDL:
    """The lines with their commas: the template printing a comma after all but the
    last line (``loop.last``) was a fifth of rendering schema.sql."""
    ddl = table_ddl(table)
    return TableDDL(ddl.name, tuple([f"{line}," for line in ddl.lines[:-1]]) + ddl.lines[-1:])


def index_sql(table: Table, index: Index) -> str:
    columns = ", ".join(
        (f"({c.expression})" if c.expression is not None else quote_ident(c.name))
        + (f" {c.opclass}" if c.opclass else "")
        + (" DESC" if c.descending else "")
        for c in index.columns
    )
    text = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
    text += f" {quote_ident(index.name)} ON {table.sql_name}"
    if index.using != "btree":
        text += f" USING {index.using}"
    text += f" ({columns})"
    if index.include:
        text += f" INCLUDE ({_cols(index.include)})"
    if index.nulls_not_distinct:
        text += " NULLS NOT DISTINCT"
    if index.where is not None:
        text += f" WHERE ({index.where})"
    return text + ";"


def domain_sql(dom: Domain) -> str:
    text = f"CREATE DOMAIN {dom.sql_name} AS {dom.type.sql}"
    if not dom.nullable:
        text += " NOT NULL"
    if dom.default is not None:
        text += f" DEFAULT {dom.default.sql}"
    for check in dom.checks:
        text += f"\n    CONSTRAINT {quote_ident(check.name)} CHECK ({check.sql})"
    return text + ";"


def function_sql(fn: Function) -> str:
    args = ", ".join(f"{quote_ident(name)} {type_}" for name, type_ in fn.arguments)
    options = "".join(
        [
            f" {fn.volatility}" if fn.volatility else "",
            " SECURITY DEFINER" if fn.security_definer else "",
        ]
    )
    tag = fn.quote_tag
    return (
        f"CREATE OR REPLACE FUNCTION {quote_ident(fn.name)}({args}) RETURNS {fn.returns}\n"
        f"    LANGUAGE {fn.language}{options} AS {tag}{fn.body}{tag};"
    )


def trigger_sql(table: Table, trigger: Trigger) -> str:
    args = ", ".join(quote_string(a) for a in trigger.args)
    events = " OR ".join(
        f"UPDATE OF {_cols(trigger.update_of)}" if e == "UPDATE" and trigger.update_of else e
        for e in trigger.events
    )
    when = f"\n    WHEN ({trigger.when})\n   " if trigger.when is not None else ""
    return (
        f"CREATE TRIGGER {quote_ident(trigger.name)} {trigger.timing} {events} ON {table.sql_name}\n"
        f"    FOR EACH {trigger.for_each}{when} EXECUTE FUNCTION {quote_ident(trigger.function)}({args});"
    )


def view_sql(view: View) -> list[str]:
    """A view (or materialized view) and its indexes, each a statement."""
    kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    cols = _cols(tuple(c.name for c in view.columns))
    text = f"CREATE {kind} {view.sql_name} ({cols}) AS\n{view.query}"
    out = [text + ";"]  # a materialized view is filled at creation (WITH DATA, the default)
    for ix in view.indexes:
        unique = "UNIQUE " if ix.unique else ""
        names = _cols(tuple(c.name for c in ix.columns))
        out.append(f"CREATE {unique}INDEX {quote_ident(ix.name)} ON {view.sql_name} ({names});")
    return out


def role_sql(role: str) -> str:
    return role.upper() if role in ROLE_KEYWORDS else quote_ident(role)


def security_sql(table: Table) -> list[str]:
    """Row-level security and the table's policies, after its triggers."""
    out = []
    if table.row_level_security:
        out.append(f"ALTER TABLE {table.sql_name} ENABLE ROW LEVEL SECURITY;")
    if table.force_row_level_security:
        out.append(f"ALTER TABLE {table.sql_name} FORCE ROW LEVEL SECURITY;")
    for p in table.policies:
        text = f"CREATE POLICY {quote_ident(p.name)} ON {table.sql_name}\n"
        text += f"    AS {'PERMISSIVE' if p.permissive else 'RESTRICTIVE'} FOR {p.command}"
        text += f" TO {', '.join(role_sql(r) for r in p.roles)}"
        if p.using is not None:
            text += f"\n    USING ({p.using})"
        if p.with_check is not None:
            text += f"\n    WITH CHECK ({p.with_check})"
        out.append(text + ";")
    return out


def preamble(schema: Schema) -> list[str]:
    """Statements the tables depend on, each a block of its own."""
    out = [f"CREATE EXTENSION IF NOT EXISTS {quote_ident(e)};" for e in schema.extensions]
    out += [f"CREATE SCHEMA IF NOT EXISTS {quote_ident(n)};" for n in schema.namespaces]
    for enum in schema.enums:
        labels = ",\n".join(f"    {quote_string(label)}" for label in enum.labels)
        out.append(f"CREATE TYPE {enum.sql_name} AS ENUM (\n{labels}\n);")
    out += [domain_sql(dom) for dom in schema.domains]
    out += [function_sql(fn) for fn in schema.functions if not fn.after_tables]
    out += [sequence_sql(seq) for seq in schema.sequences]
    out += [
        f"CREATE SEQUENCE {t.sequence_sql(c.sequence)} AS {c.type.sql};"
        for t in schema.tables
        for c in t.columns
        if c.sequence is not None
    ]
    if schema.sql_before is not None:
        out.append(schema.sql_before)
    return out


def sequence_sql(seq: Sequence) -> str:
    """CREATE SEQUENCE with the options that are not PostgreSQL's defaults, in one order."""
    options = "".join(f" {word} {value}".rstrip() for word, value in seq.options())
    return f"CREATE SEQUENCE {seq.sql_name}{options};"


def owned_by_sql(seq: Sequence) -> str:
    return f"ALTER SEQUENCE {seq.sql_name} OWNED BY {seq.owner_sql or 'NONE'};"


def sequence_owners(schema: Schema) -> list[str]:
    """Each serial column owns its sequence (dropped with it), as PostgreSQL's serial;
    a declared sequence with ``owned_by`` is given to its column the same way."""
    out = [
        f"ALTER SEQUENCE {t.sequence_sql(c.sequence)} OWNED BY {t.sql_name}.{c.sql_name};"
        for t in schema.tables
        for c in t.columns
        if c.sequence is not None
    ]
    return out + [owned_by_sql(s) for s in schema.sequences if s.owned_by is not None]


def comments(schema: Schema) -> list[str]:
    out = [
        f"COMMENT ON TYPE {e.sql_name} IS {quote_string(e.description)};"
        for e in schema.enums
        if e.description
    ]
    out += [
        f"COMMENT ON DOMAIN {dom.sql_name} IS {quote_string(dom.description)};"
        for dom in schema.domains
        if dom.description
    ]
    out += [
        f"COMMENT ON SEQUENCE {seq.sql_name} IS {quote_string(seq.description)};"
        for seq in schema.sequences
        if seq.description
    ]
    for table in schema.tables:
        if table.description:
            out.append(f"COMMENT ON TABLE {table.sql_name} IS {quote_string(table.description)};")
        for col in table.columns:
            if col.description:
                out.append(
                    f"COMMENT ON COLUMN {table.sql_name}.{col.sql_name} IS {quote_string(col.description)};"
                )
    return out


def context(schema: Schema) -> dict[str, Any]:
    return {
        "source": schema.source_name,
        "tables": [create_table(t) for t in schema.tables],
        "foreign_keys": [
            AlterDDL(t.sql_name, foreign_key_clause(t, fk, schema))
            for t in schema.tables
            for fk in t.foreign_keys
        ],
        "key_indexes": [
            index_sql(t, ix) for t in schema.tables for ix in t.indexes if ix.referenced
        ],
        "indexes": [
            index_sql(t, ix) for t in schema.tables for ix in t.indexes if not ix.referenced
        ],
        "functions": [function_sql(fn) for fn in schema.functions if fn.after_tables],
        "views": [view_sql(v) for v in schema.views],
        "triggers": [trigger_sql(t, tr) for t in schema.tables for tr in t.triggers],
        "security": [s for t in schema.tables for s in security_sql(t)],
        "comments": comments(schema),
        "after": schema.sql_after,
        "preamble": preamble(schema),
        "sequence_owners": sequence_owners(schema),
    }
