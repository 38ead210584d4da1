"""Catalog -> spec document (nested dicts in the order a person writes them).

Every catalog object either lands in the document or becomes a ``Note``;
nothing is dropped without one.  Constraint and index names are left out here;
``names.py`` puts back the ones schemagen would not derive.
"""

from __future__ import annotations

import re
from typing import Any

from ..catalog import Catalog, Other, Table
from .columns import (
    domain_base,
    enum_key,
    identity_options,
    literal_default,
    sequence_of,
    serial_sequence,
    spec_type,
)
from .draft import Draft, TableDraft, order_table_keys, plain_name, table_key
from .keys import ON_UPDATE_FUNCTION, constraints, indexes, triggers
from .notes import Note
from .objects import domain_key, domains, functions, object_key, policies, views
from .objects import triggers as own_triggers
from .sequences import drawn_from
from .sequences import entries as sequence_entries


def build(cat: Catalog) -> Draft:
    notes: list[Note] = []
    enums: dict[str, Any] = {}
    enum_ids: set[tuple[str, str]] = set()
    for enum in cat.enums:
        if not plain_name(enum.name) or not plain_name(enum.schema):
            notes.append(Note("left out", "enum", f"{enum.schema}.{enum.name}", _bad_name()))
            continue
        enum_ids.add((enum.schema, enum.name))
        labels = list(enum.labels)
        enums[enum_key(enum.schema, enum.name)] = (
            {"values": labels, "description": enum.comment} if enum.comment else labels
        )
    doms = domains(cat, enum_ids)
    drafts: dict[str, TableDraft] = {}
    used_serials: set[str] = set()
    on_update_trigger = False
    for table in cat.tables:
        draft = _table(cat, table, enum_ids, notes, used_serials, doms)
        if draft is not None:
            drafts[table_key(table.schema, table.name)] = draft
    fns, fn_keys = functions(cat, {f"public.{ON_UPDATE_FUNCTION}()"})
    written = set(fn_keys.values())
    for _key, draft in drafts.items():
        constraints(draft, drafts, notes)
        indexes(draft, notes)
        own = own_triggers(draft, fns, notes)
        on_update_trigger |= triggers(draft, notes, own)
        written |= policies(draft, cat)
        order_table_keys(draft.spec)
    view_specs, written_views = views(cat, enum_ids, doms)
    written |= written_views
    owners = {
        f"{d.table.schema}.{d.table.name}.{column}": f"{key}.{column}"
        for key, d in drafts.items()
        for column in d.spec["columns"]
    }
    seqs, written_seqs = sequence_entries(cat, used_serials, owners, notes)
    written |= written_seqs
    written |= {d.key for d in cat.of_kind("domain") if object_key(d.schema, d.name) in doms}
    extensions = [e.name for e in cat.extensions if plain_name(e.name)]
    for ext in cat.extensions:
        if ext.name not in extensions:
            notes.append(Note("left out", "extension", ext.name, _bad_name()))
    skipped = {f"public.{ON_UPDATE_FUNCTION}()"} if on_update_trigger else set()
    _report_others(cat, notes, used_serials, skipped | written, list(drafts.values()))
    for ns in cat.namespaces:
        used = any(t.table.schema == ns for t in drafts.values()) or any(
            e.split(".")[0] == ns for e in enums if "." in e
        )
        if ns != "public" and not used:
            notes.append(Note("left out", "schema", ns, "holds nothing the spec can carry"))
    for ns, comment in cat.schema_comments:
        if (ns, comment) != ("public", "standard public schema"):  # PostgreSQL's own
            notes.append(Note("left out", "schema comment", ns, repr(comment)))
    doc: dict[str, Any] = {"version": 1}
    postgres: dict[str, Any] = {}
    if extensions:
        postgres["extensions"] = extensions
    if on_update_trigger:
        postgres["on_update_trigger"] = True
    if postgres:
        doc["postgres"] = postgres
    if enums:
        doc["enums"] = enums
    if doms:
        doc["domains"] = doms
    if seqs:
        doc["sequences"] = seqs
    if fns:
        doc["functions"] = fns
    doc["tables"] = {key: d.spec for key, d in drafts.items()}
    if view_specs:
        doc["views"] = view_specs
    return Draft(doc, drafts, notes, skipped, fn_keys)


_SERIALS = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}


def _serial_type(seq: Other | None, table: Table, column: str, stype: str) -> str | None:
    """serial/bigserial/smallserial when the sequence is exactly what that type makes."""
    if seq is None or stype not in _SERIALS or seq.schema != table.schema:
        return None
    top = {"integer": 2147483647, "bigint": 9223372036854775807, "smallint": 32767}[stype]
    made = f"AS {stype} START 1 INCREMENT 1 MINVALUE 1 MAXVALUE {top} CACHE 1"
    if seq.name != f"{table.name}_{column}_seq" or seq.definition != made:
        return None
    return _SERIALS[stype]


def _bad_name() -> str:
    return "its name is not a plain identifier (letters, digits, _), which the spec requires"


def _table(
    cat: Catalog,
    table: Table,
    enum_ids: set[tuple[str, str]],
    notes: list[Note],
    serials: set[str],
    doms: dict[str, Any],
) -> TableDraft | None:
    name = table.key
    if table.kind != "table":
        detail = f"a {table.kind}: the spec has plain tables only"
        if table.partition_of:
            detail = f"a partition of {table.partition_of}: the spec has no partitioning"
        notes.append(Note("left out", table.kind, name, detail))
        return None
    if table.inherits:
        notes.append(Note("left out", "table", name, f"inherits from {', '.join(table.inherits)}"))
        return None
    bad = [c.name for c in table.columns if not plain_name(c.name)]
    if not plain_name(table.name) or not plain_name(table.schema) or bad:
        what = f"column {bad[0]!r}: " if bad else ""
        notes.append(Note("left out", "table", name, what + _bad_name()))
        return None
    if not any(c.kind == "primary key" for c in table.constraints):
        notes.append(
            Note(
                "left out",
                "table",
                name,
                "has no primary key, which the spec requires of every table; "
                "add one in the database, or write the table with a key by hand",
            )
        )
        return None
    columns: dict[str, dict[str, Any]] = {}
    for col in table.columns:
        where = f"{name}.{col.name}"
        domain = domain_base(col, cat)
        # year[]: the catalog names the element's type (the domain); the column is its array
        array = "[]" if col.type.endswith("[]") and col.type_kind == "d" else ""
        type_text = col.domain_type + array if domain is not None and col.domain_type else col.type
        dkey = domain_key(col, doms)
        stype = doms[dkey]["type"] + array if dkey else spec_type(col, type_text, enum_ids)
        if stype is None:
            why = f"column {col.name} has type {col.type}, which the spec does not have"
            if col.type_kind == "e":
                why = f"column {col.name} has enum {col.type}, which is not in the spec"
            notes.append(Note("left out", "table", name, why))
            return None
        spec: dict[str, Any] = {"type": dkey + array if dkey else stype}
        if domain is not None and dkey is None:
            notes.append(
                Note(
                    "changed",
                    "column",
                    where,
                    f"domain {domain.schema}.{domain.name} "
                    f"written as its base type {stype}; the domain's own constraints, "
                    "default and NOT NULL are not carried",
                )
            )
        if not col.not_null:
            spec["nullable"] = True
        if col.identity:
            spec["identity"] = col.identity.replace(" ", "_")
            options = identity_options(col, name, cat)
            if options:
                notes.append(
                    Note(
                        "changed",
                        "column",
                        where,
                        f"identity options {options}: "
                        "not carried (the spec's identity starts at 1, step 1)",
                    )
                )
        if col.generated:
            spec["generated"] = {"sql": col.generated}
        seq = serial_sequence(col, name, cat)
        serial = _serial_type(seq, table, col.name, stype)
        shared = drawn_from(col, stype, cat) if serial is None else None
        if seq is not None and serial is not None:
            spec["type"] = serial
            serials.add(seq.key)
        elif shared is not None:  # a sequences: entry (pull/sequences.py)
            spec["default"] = {"sequence": object_key(shared.schema, shared.name)}
        elif seq is not None:
            spec["identity"] = "by_default"
            serials.add(seq.key)
            notes.append(
                Note(
                    "changed",
                    "column",
                    where,
                    f"serial (sequence {seq.key}) written as identity: by_default, its "
                    "equivalent; move the counter over with setval when migrating",
                )
            )
        elif sequence_of(col) is not None:
            notes.append(
                Note(
                    "left out",
                    "table",
                    name,
                    f"column {col.name} takes its default "
                    f"from a sequence it does not own ({col.default}), which the spec "
                    "cannot create",
                )
            )
            return None
        elif col.default is not None:
            literal = literal_default(col.default, stype)
            spec["default"] = literal if literal is not None else {"sql": col.default}
        if col.collation:
            notes.append(Note("changed", "column", where, f"COLLATE {col.collation!r} not carried"))
        if col.comment is not None:
            spec["description"] = col.comment
        columns[col.name] = spec
    spec_table: dict[str, Any] = {}
    if table.comment is not None:
        spec_table["description"] = table.comment
    spec_table["columns"] = columns
    for flag, text in (
        (table.unlogged, "UNLOGGED"),
        (table.force_row_security and not table.row_security, "FORCE ROW LEVEL SECURITY"),
        (bool(table.options), f"storage options {', '.join(table.options)}"),
    ):
        if flag:
            notes.append(Note("changed", "table", name, f"{text}: not carried"))
    return TableDraft(table, spec_table, columns)


def _report_others(
    cat: Catalog, notes: list[Note], serials: set[str], skip: set[str], tables: list[TableDraft]
) -> None:
    for other in cat.others:
        if other.kind == "identity sequence" or other.key in serials or other.key in skip:
            continue
        detail = other.definition.strip().splitlines()[0] if other.definition.strip() else ""
        if other.kind == "sequence":
            detail = f"owned by {other.owned_by}" if other.owned_by else "not owned by a column"
        detail = detail[:120]
        if other.kind == "function":
            users = _function_users(other.name.split("(")[0], tables)
            if users:
                detail = (
                    f"used by {', '.join(users)}: create it before applying the spec's DDL "
                    f"(in a migration); {detail}"
                )
        notes.append(Note("left out", other.kind, other.key, detail))


def _function_users(name: str, tables: list[TableDraft]) -> list[str]:
    """Tables in the spec whose defaults, checks or indexes call this function (by name)."""
    printed = (
        name if re.fullmatch(r"[a-z_][a-z0-9_$]*", name) else '"' + name.replace('"', '""') + '"'
    )
    call = re.compile(r"(?<![\w$])(?:\w+\.|\"[^\"]+\"\.)?" + re.escape(printed) + r"\(")
    users = []
    for td in tables:
        texts = [c.default or "" for c in td.table.columns]
        texts += [c.generated or "" for c in td.table.columns]
        texts += [c.definition for c in td.table.constraints]
        texts += [i.definition for i in td.table.indexes]
        if any(call.search(t) for t in texts):
            users.append(td.table.key)
    return users
