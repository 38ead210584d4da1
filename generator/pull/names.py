"""Settle the names in a pulled spec by asking the resolver itself.

The spec is resolved; every constraint and index name schemagen derives is
compared with the database's, and a name is written into the spec only where
they differ (a check moves from its column to the table's list to carry one).
Names the spec cannot write (primary key, unique, foreign key) become notes.
Python names: a collection named after a singular table is made plural
(``Artist.albums``), and a class or relationship name that collides, which
``generate`` would refuse, gets an explicit one.  Repeat until nothing changes.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Schema
from ..model import Table as ModelTable
from ..naming import pascal, plural, singular
from ..source import format_path
from .draft import Draft, TableDraft, order_table_keys
from .fallback import drop_refused_objects, drop_refused_tables
from .notes import Note


class PullError(Exception):
    """The pulled spec did not resolve: a bug in pull (the diagnostics say where)."""

    def __init__(self, diagnostics: list[Diagnostic], text: str):
        super().__init__("; ".join(f"{d.path}: {d.message}" for d in diagnostics[:5]))
        self.diagnostics = diagnostics
        self.text = text


def settle(draft: Draft, render: Any) -> tuple[str, Schema]:
    from ..pipeline import load_schema

    plurals_done = False
    for _ in range(24):
        text: str = render(draft)
        loaded = load_schema(text.encode(), "schema.yaml")
        if loaded.diagnostics or loaded.schema is None:
            if _fix_collisions(draft, loaded.diagnostics):
                continue
            if drop_refused_objects(draft, loaded.diagnostics):
                continue
            if not drop_refused_tables(draft, loaded.diagnostics):
                raise PullError(loaded.diagnostics, text)
            continue
        schema = loaded.schema
        changed = _fix_constraint_names(draft, schema)
        if not plurals_done:
            changed |= _plural_collections(draft, schema)
            plurals_done = True
        if not changed:
            _name_notes(draft, schema)
            return text, schema
    raise PullError([], text)


def _model_table(schema: Schema, key: str) -> ModelTable:
    return schema.table(key)


def _fix_constraint_names(draft: Draft, schema: Schema) -> bool:
    changed = False
    for key, td in draft.tables.items():
        model = _model_table(schema, key)
        by_sql: dict[str, list[str]] = {}
        for check in model.checks:
            by_sql.setdefault(check.sql, []).append(check.name)
        for i, (con, sql, column) in enumerate(td.checks):
            names = by_sql.get(sql.strip(), [])
            derived = names.pop(0) if names else None
            if derived == con.name:
                continue
            if column is not None:  # a column check cannot carry a name: move it
                del td.columns[column]["check"]
                td.spec.setdefault("checks", []).append({"name": con.name, "sql": sql})
                td.checks[i] = (con, sql, None)
                changed = True
                continue
            checks = td.spec["checks"]
            for j, item in enumerate(checks):
                if item == sql:  # the first unnamed check with this text
                    checks[j] = {"name": con.name, "sql": sql}
                    changed = True
                    break
        for (index, spec), resolved in zip(td.indexes, model.indexes, strict=False):
            if resolved.name != index.name and spec.get("name") != index.name:
                spec["name"] = index.name
                changed = True
        _reorder(td)
    return changed


def _reorder(td: TableDraft) -> None:
    order_table_keys(td.spec)


def _fk_paths(td: TableDraft, key: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for _i, (con, spec) in enumerate(td.foreign_keys):
        if "columns" in spec:
            index = td.spec["foreign_keys"].index(spec)
            path = format_path(("tables", key, "foreign_keys", index))
        else:
            path = format_path(("tables", key, "columns", con.columns[0], "references"))
        out.append((path, spec))
    return out


def _plural_collections(draft: Draft, schema: Schema) -> bool:
    """``Artist.album`` -> ``Artist.albums`` when the table's name is singular."""
    changed = False
    for key, td in draft.tables.items():
        model = _model_table(schema, key)
        for con, spec in td.foreign_keys:
            fk = next(f for f in model.foreign_keys if f.columns == con.columns)
            parent = schema.table(fk.ref_table)
            rel = next(
                (
                    r
                    for r in parent.relations
                    if r.foreign_key == fk.name
                    and not r.owner_side
                    and r.secondary is None
                    and r.target == key
                ),
                None,
            )
            if rel is None or not rel.many:
                continue
            bare = model.name
            stem = rel.name.rstrip("_")
            if stem.endswith(bare) and plural(bare) != bare:
                spec["inverse"] = stem[: len(stem) - len(bare)] + plural(bare)
                changed = True
    return changed


_CLASS = re.compile(r"tables '(.*)' and '(.*)' both map to class '(.*)'")


def _fix_collisions(draft: Draft, diagnostics: list[Diagnostic]) -> bool:
    fixed = False
    for diag in diagnostics:
        if diag.code == "invalid-class-name":
            for key, td in draft.tables.items():
                if diag.path == format_path(("tables", key)) and "class_name" not in td.spec:
                    td.spec["class_name"] = pascal(singular(td.table.name)) + "Model"
                    _reorder(td)
                    fixed = True
            continue
        if diag.code == "duplicate-class-name":
            m = _CLASS.match(diag.message)
            second = draft.tables.get(m.group(2)) if m else None
            if second is not None and "class_name" not in second.spec:
                schema, name = second.table.schema, second.table.name
                prefix = pascal(schema) if schema != "public" else ""
                candidate = prefix + pascal(singular(name))
                if m and candidate == m.group(3):
                    candidate = prefix + pascal(name)
                second.spec["class_name"] = candidate
                _reorder(second)
                fixed = True
            continue
        if diag.code not in ("relation-collision", "invalid-relation-name"):
            continue
        which = "inverse" if "'inverse:'" in diag.hint else "relation"
        for key, td in draft.tables.items():
            for path, spec in _fk_paths(td, key):
                if diag.path not in (path, f"{path}.{which}"):
                    continue
                columns = spec.get("columns") or [path.rsplit(".", 2)[-2]]
                stem = columns[-1].removesuffix("_id")
                target = spec["to"].split("(")[0].rsplit(".", 1)[0].split(".")[-1]
                if which == "relation":
                    old = spec.get("relation")
                    new = f"{stem}_{singular(target)}" if old is None else f"{old}_"
                else:
                    old = spec.get("inverse")
                    keys = [
                        c.columns
                        for c in td.table.constraints
                        if c.kind in ("primary key", "unique")
                    ]
                    mine = td.table.name if tuple(columns) in keys else plural(td.table.name)
                    new = f"{mine}_by_{stem}" if old is None else f"{old}_"
                if old is not None and old.endswith("___"):
                    continue  # give up: the table is left out with the resolver's reason
                spec[which] = new
                fixed = True
    return fixed


def _name_notes(draft: Draft, schema: Schema) -> None:
    """The names the spec cannot write, where schemagen derives another."""
    for key, td in draft.tables.items():
        model = _model_table(schema, key)
        for con in td.table.constraints:
            derived = None
            if con.kind == "primary key":
                derived = model.primary_key.name
            elif con.kind == "unique":
                derived = next((u.name for u in model.uniques if u.columns == con.columns), None)
            elif con.kind == "foreign key":
                derived = next(
                    (f.name for f in model.foreign_keys if f.columns == con.columns), None
                )
            if derived is not None and derived != con.name:
                draft.notes.append(
                    Note(
                        "changed",
                        con.kind,
                        f"{td.table.key}.{con.name}",
                        f"the spec cannot name a {con.kind}; schemagen names it {derived}",
                    )
                )
