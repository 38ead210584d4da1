"""The safety net: a table the resolver refuses is left out, with the reason.

Pull writes only what it knows schemagen accepts, but PostgreSQL can print an
expression the spec cannot hold (a line break inside a string, syntax that
sqlglot does not read).  Rather than fail the whole pull, the table named by
the resolver's diagnostic is left out with a note quoting it, foreign keys
pointing at it are left out with theirs, and the rest is tried again.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..source import format_path
from .draft import Draft, table_key
from .notes import Note


def drop_refused_tables(draft: Draft, diagnostics: list[Diagnostic]) -> bool:
    refused: dict[str, str] = {}
    for diag in diagnostics:
        for key in draft.tables:
            prefix = format_path(("tables", key))
            if diag.path == prefix or diag.path.startswith((prefix + ".", prefix + "[")):
                refused.setdefault(key, f"{diag.message} (at {diag.path})")
    for key, reason in refused.items():
        table = draft.tables.pop(key).table
        draft.notes.append(
            Note("left out", "table", table.key, f"schemagen cannot hold it as read: {reason}")
        )
    for td in draft.tables.values():
        for con, spec in list(td.foreign_keys):
            if table_key(con.ref_schema or "public", con.ref_table or "") not in refused:
                continue
            td.foreign_keys.remove((con, spec))
            if "columns" in spec:
                td.spec["foreign_keys"].remove(spec)
                if not td.spec["foreign_keys"]:
                    del td.spec["foreign_keys"]
            else:
                del td.columns[con.columns[0]]["references"]
            draft.notes.append(
                Note(
                    "left out",
                    "foreign key",
                    f"{td.table.key}.{con.name}",
                    f"{con.definition}: its table {con.ref_schema}.{con.ref_table} is not in the spec",
                )
            )
    return bool(refused)


def drop_refused_objects(draft: Draft, diagnostics: list[Diagnostic]) -> bool:
    """A view or function the resolver refuses is left out, with the reason;
    triggers that run a refused function go with it."""
    dropped = False
    for section, kind in (("views", "view"), ("functions", "function")):
        specs = draft.doc.get(section, {})
        for diag in diagnostics:
            for key in list(specs):
                prefix = format_path((section, key))
                if diag.path == prefix or diag.path.startswith((prefix + ".", prefix + "[")):
                    if kind == "view" and specs[key].get("materialized"):
                        kind = "materialized view"
                    del specs[key]
                    dropped = True
                    reason = f"schemagen cannot hold it as read: {diag.message} (at {diag.path})"
                    name = draft.function_keys.get(key, "") if kind == "function" else ""
                    name = name or f"public.{key}"
                    draft.notes.append(Note("left out", kind, name, reason))
                    if kind == "function":
                        _drop_triggers(draft, key)
        if section in draft.doc and not specs:
            del draft.doc[section]
    return dropped


def _drop_triggers(draft: Draft, function: str) -> None:
    for td in draft.tables.values():
        triggers = td.spec.get("triggers", {})
        for name, spec in list(triggers.items()):
            if spec["function"] == function:
                del triggers[name]
                draft.notes.append(
                    Note(
                        "left out",
                        "trigger",
                        f"{td.table.key}.{name}",
                        f"runs {function}, which is left out",
                    )
                )
        if "triggers" in td.spec and not triggers:
            del td.spec["triggers"]
