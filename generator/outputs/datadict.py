"""Context for ``templates/docs/schema.md.jinja``: a Markdown data dictionary.

Every table with its columns (type, nullability, default, key, description),
constraints, indexes and checks, and links both ways between related tables
(a foreign key links to its target; the target lists what refers to it); a
junction the ORM maps a many-to-many across says which two tables it links.
Anchors are GitHub's heading slugs, so the links work where the file is read.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Index, Schema, Sequence, Table


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def code(text: str) -> str:
    """An inline code span that survives backticks and table pipes in ``text``."""
    flat = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in flat else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def link(table: Table) -> str:
    return f"[{table.key}](#{slug(table.key)})"


def _cols(cols: tuple[str, ...]) -> str:
    return ", ".join(code(c) for c in cols)


def _index(index: Index) -> str:
    cols = ", ".join(code(c.name + (" desc" if c.descending else "")) for c in index.columns)
    parts = [code(index.name), "unique" if index.unique else "", index.using, f"({cols})"]
    if index.include:
        parts.append(f"include ({_cols(index.include)})")
    if index.where:
        parts.append(f"where {code(index.where)}")
    return " ".join(p for p in parts if p)


def table_doc(schema: Schema, table: Table, junction: bool = False) -> dict[str, Any]:
    """``junction``: the ORM maps a many-to-many across this table (resolve decided)."""
    fk_cols = {c for fk in table.foreign_keys for c in fk.columns}
    single_unique = {u.columns[0] for u in table.uniques if len(u.columns) == 1}
    rows = []
    for col in table.columns:
        keys = [
            k
            for k, on in (
                ("PK", col.name in table.primary_key.columns),
                ("FK", col.name in fk_cols),
                ("unique", col.name in single_unique),
            )
            if on
        ]
        default = code(col.default.sql) if col.default else ""
        if col.identity:
            default = f"identity ({col.identity})"
        if col.generated:
            default = f"generated: {code(col.generated)}"
        if col.on_update_now:
            default += " (set to now() on update)"
        cells = [code(col.name), code(col.type.sql), "yes" if col.nullable else "no"]
        cells += [default, ", ".join(keys), cell(col.description)]
        rows.append("| " + " | ".join(cells) + " |")
    facts = [f"Primary key {code(table.primary_key.name)}: {_cols(table.primary_key.columns)}"]
    facts += [f"Unique {code(u.name)}: {_cols(u.columns)}" for u in table.uniques]
    for fk in table.foreign_keys:
        target = schema.table(fk.ref_table)
        actions = "".join(
            f", on {what} {action}"
            for what, action in (("delete", fk.on_delete), ("update", fk.on_update))
            if action != "no action"
        )
        facts.append(
            f"Foreign key {code(fk.name)}: {_cols(fk.columns)} → {link(target)} "
            f"({_cols(fk.ref_columns)}){actions}"
        )
    if junction:  # the two keys of the primary key, in order
        ends = " and ".join(
            f"{link(schema.table(fk.ref_table))} ({_cols(fk.columns)})" for fk in table.foreign_keys
        )
        facts.append(f"Junction (many-to-many): links {ends}")
    facts += [f"Check {code(c.name)}: {code(c.sql)}" for c in table.checks]
    facts += [f"Index {_index(ix)}" for ix in table.indexes]
    referrers = [
        f"{link(other)} ({_cols(fk.columns)})"
        for other in schema.tables
        for fk in other.foreign_keys
        if fk.ref_table == table.key
    ]
    if referrers:
        facts.append("Referenced by " + ", ".join(referrers))
    return {
        "heading": table.key,
        "description": table.description or "",
        "rows": rows,
        "facts": facts,
    }


def sequence_doc(schema: Schema, seq: Sequence) -> dict[str, Any]:
    """A shared sequence: its options (as CREATE SEQUENCE writes the non-default
    ones), the columns that draw from it and the column that owns it."""
    options = ", ".join(f"{w.lower()} {v}".strip() for w, v in seq.options() if w != "AS")
    facts = [f"Type {code(seq.data_type)}" + (f"; {options}" if options else "")]
    users = [
        f"{link(t)} ({code(c.name)})"
        for t in schema.tables
        for c in t.columns
        if c.shared_sequence == seq.key
    ]
    if users:
        facts.append("Default of " + ", ".join(users))
    if seq.owned_by is not None:
        table, column = seq.owned_by
        facts.append(f"Owned by {link(schema.table(table))} ({code(column)})")
    return {"heading": seq.key, "description": seq.description or "", "facts": facts}


def context(schema: Schema) -> dict[str, Any]:
    junctions = {r.secondary for t in schema.tables for r in t.relations if r.secondary}
    enums = [
        {
            "heading": e.key,
            "description": e.description or "",
            "labels": ", ".join(code(v) for v in e.labels),
        }
        for e in schema.enums
    ]
    return {
        "source": schema.source_name,
        "contents": ", ".join(link(t) for t in schema.tables),
        "enums": enums,
        "sequences": [sequence_doc(schema, q) for q in schema.sequences],
        "tables": [table_doc(schema, t, t.key in junctions) for t in schema.tables],
    }
