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
