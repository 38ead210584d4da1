"""Pass ``checks``: CHECK constraints, a column's ``check:`` and the table's
``checks:``, analysed with PostgreSQL's grammar (Draft.expression) so a typo, an
unknown column or a non-boolean check is a positioned error, not a failed migration."""

from __future__ import annotations

from .draft import Draft, DraftCheck


def run(d: Draft) -> None:
    for table in d.tables.values():
        for col in table.columns.values():
            if col.spec.check is not None:
                cols = d.expression(table, col.spec.check, col.path + ("check",), "check")
                if cols is not None:
                    # the owning column first (it names the check), each column once
                    owned = tuple(dict.fromkeys((col.name, *cols)))
                    table.checks.append(DraftCheck(None, col.spec.check.strip(), owned, col.path))
        for i, check in enumerate(table.spec.checks):
            path = table.path + ("checks", i)
            if isinstance(check, str):
                sql, name = check, None
                cols = d.expression(table, sql, path, "check")
            else:
                sql, name = check.sql, check.name
                cols = d.expression(table, sql, path + ("sql",), "check")
                if name is not None:
                    d.check_ident(name, "check", path + ("name",))
            if cols is not None:
                table.checks.append(DraftCheck(name, sql.strip(), cols, path))
