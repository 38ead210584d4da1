"""Constraints, indexes and triggers of one table -> the spec, or notes."""

from __future__ import annotations

import re
from typing import Any

from ..catalog import Constraint, Index, IndexColumn
from ..naming import constraint_name, plural
from .draft import TableDraft, order_table_keys, table_key
from .notes import Note

ON_UPDATE_FUNCTION = "schemagen_on_update_now"
ON_UPDATE_TRIGGER = "on_update_now"


def constraints(draft: TableDraft, drafts: dict[str, TableDraft], notes: list[Note]) -> None:
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
            # pg_index.indnullsnotdistinct of the index behind it (the catalog reads it)
            nnd = any(i.nulls_not_distinct for i in table.indexes if i.constraint == con.name)
            if "INCLUDE" in con.definition:
                notes.append(Note("left out", "constraint", where, con.definition))
            elif nnd:
                entry = {"columns": list(con.columns), "nulls_not_distinct": True}
                spec.setdefault("unique", []).append(entry)
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
        elif not (con.kind == "exclusion" and exclusion(draft, con)):
            notes.append(Note("left out", con.kind + " constraint", where, con.definition))
    order_table_keys(spec)


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
    keys += [  # a unique index of plain columns, which the spec also writes
        tuple(c.expression for c in i.columns)
        for i in target.table.indexes
        if i.unique and i.predicate is None and all(c.is_column for c in i.columns)
    ]
    if con.ref_columns not in keys:
        notes.append(
            Note(
                "left out",
                "foreign key",
                where,
                f"{con.definition}: the referenced columns are not the primary key "
                "or a UNIQUE constraint or unique index, which the spec requires",
            )
        )
        return
    ref: dict[str, Any] = {}
    if con.on_delete != "no action":
        ref["on_delete"] = con.on_delete
    if con.on_update != "no action":
        ref["on_update"] = con.on_update
    inverse = _plain_inverse(draft, con, target_key)
    if inverse:
        ref["inverse"] = inverse
    column = draft.columns.get(con.columns[0]) if len(con.columns) == 1 else None
    if column is not None and "references" not in column:
        to = f"{target_key}.{con.ref_columns[0]}"
        column["references"] = {"to": to, **ref}
        draft.foreign_keys.append((con, column["references"]))
        return
    fk = {"columns": list(con.columns), "to": f"{target_key}({', '.join(con.ref_columns)})", **ref}
    draft.spec.setdefault("foreign_keys", []).append(fk)
    draft.foreign_keys.append((con, fk))


def _plain_inverse(draft: TableDraft, con: Constraint, target_key: str) -> str | None:
    """The plural collection name, decided here in the common case (the only
    foreign key to that table, not part of a key, not to itself) so that most
    pulls resolve once; names.py corrects the other cases after resolving."""
    table = draft.table
    keyed = {c for k in table.constraints if k.kind in ("primary key", "unique") for c in k.columns}
    siblings = [
        c
        for c in table.constraints
        if c.kind == "foreign key"
        and (c.ref_schema, c.ref_table) == (con.ref_schema, con.ref_table)
    ]
    if (
        len(siblings) != 1
        or keyed & set(con.columns)
        or target_key == table_key(table.schema, table.name)
    ):
        return None
    many = plural(table.name)
    return many if many != table.name else None


_METHODS = ("btree", "hash", "gin", "gist", "brin", "spgist")


def indexes(draft: TableDraft, notes: list[Note]) -> None:
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
        spec: dict[str, Any] = {"columns": [_index_column(c) for c in index.columns]}
        if index.unique:
            spec["unique"] = True
        if index.nulls_not_distinct:
            spec["nulls_not_distinct"] = True
        if index.method != "btree":
            spec["using"] = index.method
        if index.predicate:
            spec["where"] = index.predicate
        if index.include:
            spec["include"] = list(index.include)
        draft.spec.setdefault("indexes", []).append(spec)
        draft.indexes.append((index, spec))
    order_table_keys(draft.spec)


def _index_column(col: IndexColumn) -> Any:
    if col.opclass or (col.descending and not col.is_column):  # 'lower(x) desc' reads as SQL
        entry: dict[str, Any] = {"column" if col.is_column else "expression": col.expression}
        if col.opclass:
            entry["opclass"] = col.opclass.split(".")[-1]
        if col.descending:
            entry["order"] = "desc"
        return entry
    text = col.expression
    if not col.is_column and "(" not in text:
        text = f"({text})"  # an entry with a parenthesis is an expression
    return text + (" desc" if col.descending else "")


def _index_problem(index: Index) -> str:
    if index.method not in _METHODS:
        return f"method {index.method}"
    for col in index.columns:
        if col.nulls_first != col.descending:
            return "NULLS FIRST/LAST other than the default"
        if col.collation:
            return "a collation"
    return ""


_EXCLUDE = re.compile(r"EXCLUDE USING (\w+) \((.*?)\)(?: WHERE \((.*)\))?")
_ELEMENT = re.compile(r"([a-z_][a-z0-9_]*) WITH (\S+)")


def exclusion(draft: TableDraft, con: Constraint) -> bool:
    """An EXCLUDE constraint of plain columns into the spec's ``exclude:``."""
    m = _EXCLUDE.fullmatch(con.definition)
    if m is None:
        return False
    elements = [_ELEMENT.fullmatch(e.strip()) for e in m.group(2).split(",")]
    if not all(elements) or any(e.group(1) not in draft.columns for e in elements if e):
        return False
    columns = tuple(e.group(1) for e in elements if e)
    spec: dict[str, Any] = {}
    if m.group(1) != "gist":
        spec["using"] = m.group(1)
    spec["elements"] = [{"column": e.group(1), "with": e.group(2)} for e in elements if e]
    if m.group(3):
        spec["where"] = m.group(3)
    if con.name != constraint_name(draft.table.name, columns, "excl"):
        spec["name"] = con.name
    draft.spec.setdefault("exclude", []).append(spec)
    return True


def triggers(draft: TableDraft, notes: list[Note], written: set[str]) -> bool:
    """Recognise schemagen's own ``on_update: now`` trigger; report any other."""
    mine = False
    for trig in draft.table.triggers:
        if trig.name in written:
            continue
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
