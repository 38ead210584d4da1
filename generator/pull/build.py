"""Catalog -> spec document (nested dicts in the order a person writes them).

Every catalog object either lands in the document or becomes a ``Note``;
nothing is dropped without one.  Constraint and index names are left out here;
``names.py`` puts back the ones schemagen would not derive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog import Catalog, Constraint, Index, Table
from ..naming import IDENT_RE, MAX_IDENT_BYTES, ident_bytes
from .columns import domain_base, enum_key, literal_default, serial_sequence, spec_type
from .notes import Note

ON_UPDATE_FUNCTION = "schemagen_on_update_now"
ON_UPDATE_TRIGGER = "on_update_now"


def table_key(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def plain_name(name: str) -> bool:
    return bool(IDENT_RE.fullmatch(name)) and ident_bytes(name) <= MAX_IDENT_BYTES


@dataclass
class TableDraft:
    table: Table
    spec: dict[str, Any]
    columns: dict[str, dict[str, Any]]
    # (constraint, the SQL written, column name or None for table level)
    checks: list[tuple[Constraint, str, str | None]] = field(default_factory=list)
    indexes: list[tuple[Index, dict[str, Any]]] = field(default_factory=list)
    foreign_keys: list[tuple[Constraint, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Draft:
    doc: dict[str, Any]
    tables: dict[str, TableDraft]
    notes: list[Note]
    skipped_functions: set[str]  # 'schema.name(args)' carried by the spec (the on_update trigger)


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
    drafts: dict[str, TableDraft] = {}
    used_serials: set[str] = set()
    on_update_trigger = False
    for table in cat.tables:
        draft = _table(cat, table, enum_ids, notes, used_serials)
        if draft is not None:
            drafts[table_key(table.schema, table.name)] = draft
    for _key, draft in drafts.items():
        _constraints(draft, drafts, notes)
        _indexes(draft, notes)
        on_update_trigger |= _triggers(draft, notes)
    extensions = [e.name for e in cat.extensions if plain_name(e.name)]
    for ext in cat.extensions:
        if ext.name not in extensions:
            notes.append(Note("left out", "extension", ext.name, _bad_name()))
    skipped = {f"public.{ON_UPDATE_FUNCTION}()"} if on_update_trigger else set()
    _report_others(cat, notes, used_serials, skipped)
    for ns in cat.namespaces:
        used = any(t.table.schema == ns for t in drafts.values()) or any(
            e.split(".")[0] == ns for e in enums if "." in e
        )
        if ns != "public" and not used:
            notes.append(Note("left out", "schema", ns, "holds nothing the spec can carry"))
    for ns, comment in cat.schema_comments:
        if ns != "public":
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
    doc["tables"] = {key: d.spec for key, d in drafts.items()}
    return Draft(doc, drafts, notes, skipped)


def _bad_name() -> str:
    return "its name is not a plain identifier (letters, digits, _), which the spec requires"


def _table(
    cat: Catalog, table: Table, enum_ids: set[tuple[str, str]], notes: list[Note], serials: set[str]
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
        type_text = col.type
        if domain is not None:
            type_text = domain.definition.split(" NOT NULL")[0].split(" DEFAULT ")[0]
            type_text = type_text.split(" CONSTRAINT ")[0]
        stype = spec_type(col, type_text, enum_ids)
        if stype is None:
            notes.append(
                Note(
                    "left out",
                    "table",
                    name,
                    f"column {col.name} has type {col.type}, which the spec does not have",
                )
            )
            return None
        spec: dict[str, Any] = {"type": stype}
        if domain is not None:
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
        if col.generated:
            spec["generated"] = {"sql": col.generated}
        seq = serial_sequence(col, name, cat)
        if seq is not None:
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
        (table.row_security, "row level security enabled"),
        (bool(table.options), f"storage options {', '.join(table.options)}"),
    ):
        if flag:
            notes.append(Note("changed", "table", name, f"{text}: not carried"))
    return TableDraft(table, spec_table, columns)


def _constraints(draft: TableDraft, drafts: dict[str, TableDraft], notes: list[Note]) -> None:
    table, spec = draft.table, draft.spec
    name = table.key
    for con in table.constraints:
        where = f"{name}.{con.name}"
        extra = [
            w
            for w, on in (
                ("DEFERRABLE", con.deferrable),
                ("NOT VALID", not con.validated),
                ("MATCH FULL", con.match_full),
            )
            if on
        ]
        if extra:
            notes.append(Note("changed", "constraint", where, f"{', '.join(extra)} not carried"))
        if con.comment is not None:
            notes.append(Note("left out", "constraint comment", where, repr(con.comment)))
        if con.kind == "primary key":
            if len(con.columns) == 1:
                draft.columns[con.columns[0]]["primary_key"] = True
            else:
                spec["primary_key"] = list(con.columns)
        elif con.kind == "unique":
            if "INCLUDE" in con.definition or "NULLS NOT DISTINCT" in con.definition:
                notes.append(Note("left out", "constraint", where, con.definition))
            elif len(con.columns) == 1 and not draft.columns[con.columns[0]].get("unique"):
                draft.columns[con.columns[0]]["unique"] = True
            else:
                spec.setdefault("unique", []).append(list(con.columns))
        elif con.kind == "check":
            sql = con.expression or ""
            if len(con.columns) == 1 and "check" not in draft.columns[con.columns[0]]:
                draft.columns[con.columns[0]]["check"] = sql
                draft.checks.append((con, sql, con.columns[0]))
            else:
                spec.setdefault("checks", []).append(sql)
                draft.checks.append((con, sql, None))
        elif con.kind == "foreign key":
            _foreign_key(draft, con, drafts, notes)
        else:
            notes.append(Note("left out", con.kind + " constraint", where, con.definition))
    _order_table_keys(spec)


_COLUMN_ORDER = (
    "type",
    "primary_key",
    "nullable",
    "identity",
    "generated",
    "default",
    "unique",
    "check",
    "references",
    "on_update",
    "description",
)


def column_spec(spec: dict[str, Any]) -> Any:
    ordered = {k: spec[k] for k in _COLUMN_ORDER if k in spec}
    ref = ordered.get("references")
    if ref is not None and list(ref) == ["to"]:
        ordered["references"] = ref["to"]  # shorthand: references: users.id
    return ordered["type"] if list(ordered) == ["type"] else ordered


_TABLE_ORDER = (
    "description",
    "class_name",
    "primary_key",
    "columns",
    "unique",
    "checks",
    "foreign_keys",
    "indexes",
)


def _order_table_keys(spec: dict[str, Any]) -> None:
    items = {k: spec[k] for k in _TABLE_ORDER if k in spec}
    spec.clear()
    spec.update(items)


def _foreign_key(
    draft: TableDraft, con: Constraint, drafts: dict[str, TableDraft], notes: list[Note]
) -> None:
    where = f"{draft.table.key}.{con.name}"
    target_key = table_key(con.ref_schema or "public", con.ref_table or "")
    target = drafts.get(target_key)
    if target is None:
        notes.append(
            Note(
                "left out",
                "foreign key",
                where,
                f"{con.definition}: its table {con.ref_schema}.{con.ref_table} is not in the spec",
            )
        )
        return
    keys = [c.columns for c in target.table.constraints if c.kind in ("primary key", "unique")]
    if con.ref_columns not in keys:
        notes.append(
            Note(
                "left out",
                "foreign key",
                where,
                f"{con.definition}: the referenced columns are not the primary key "
                "or a UNIQUE constraint (a unique index alone), which the spec requires",
            )
        )
        return
    ref: dict[str, Any] = {}
    if con.on_delete != "no action":
        ref["on_delete"] = con.on_delete
    if con.on_update != "no action":
        ref["on_update"] = con.on_update
    column = draft.columns.get(con.columns[0]) if len(con.columns) == 1 else None
    if column is not None and "references" not in column:
        to = f"{target_key}.{con.ref_columns[0]}"
        column["references"] = {"to": to, **ref}
        draft.foreign_keys.append((con, column["references"]))
        return
    fk = {"columns": list(con.columns), "to": f"{target_key}({', '.join(con.ref_columns)})", **ref}
    draft.spec.setdefault("foreign_keys", []).append(fk)
    draft.foreign_keys.append((con, fk))


_METHODS = ("btree", "hash", "gin", "gist", "brin", "spgist")


def _indexes(draft: TableDraft, notes: list[Note]) -> None:
    for index in draft.table.indexes:
        if index.constraint is not None:
            continue  # carried by its constraint
        where = f"{draft.table.key}.{index.name}"
        problem = _index_problem(index)
        if problem:
            notes.append(Note("left out", "index", where, f"{problem}: {index.definition}"))
            continue
        if index.comment is not None:
            notes.append(Note("left out", "index comment", where, repr(index.comment)))
        spec: dict[str, Any] = {
            "columns": [c.expression + (" desc" if c.descending else "") for c in index.columns]
        }
        if index.unique:
            spec["unique"] = True
        if index.method != "btree":
            spec["using"] = index.method
        if index.predicate:
            spec["where"] = index.predicate
        if index.include:
            spec["include"] = list(index.include)
        draft.spec.setdefault("indexes", []).append(spec)
        draft.indexes.append((index, spec))
    _order_table_keys(draft.spec)


def _index_problem(index: Index) -> str:
    if index.method not in _METHODS:
        return f"method {index.method}"
    for col in index.columns:
        if not col.is_column:
            return "an expression index (the spec indexes columns)"
        if col.nulls_first != col.descending:
            return "NULLS FIRST/LAST other than the default"
        if col.opclass or col.collation:
            return "an operator class or collation"
    if index.nulls_not_distinct:
        return "NULLS NOT DISTINCT"
    return ""


def _triggers(draft: TableDraft, notes: list[Note]) -> bool:
    """Recognise schemagen's own ``on_update: now`` trigger; report any other."""
    mine = False
    for trig in draft.table.triggers:
        ours = (
            trig.name == ON_UPDATE_TRIGGER
            and trig.function == f"public.{ON_UPDATE_FUNCTION}"
            and "BEFORE UPDATE" in trig.definition
            and "FOR EACH ROW" in trig.definition
            and trig.arguments
            and all(a in draft.columns for a in trig.arguments)
            and trig.enabled
        )
        if ours:
            for arg in trig.arguments:
                draft.columns[arg]["on_update"] = "now"
            mine = True
        else:
            notes.append(
                Note("left out", "trigger", f"{draft.table.key}.{trig.name}", trig.definition)
            )
    return mine


def _report_others(cat: Catalog, notes: list[Note], serials: set[str], skip: set[str]) -> None:
    for other in cat.others:
        if other.kind == "identity sequence" or other.key in serials or other.key in skip:
            continue
        detail = other.definition.strip().splitlines()[0] if other.definition.strip() else ""
        if other.kind == "sequence":
            detail = f"owned by {other.owned_by}" if other.owned_by else "not owned by a column"
        notes.append(Note("left out", other.kind, other.key, detail[:120]))
