"""Pass ``usertriggers``: the triggers declared under a table's ``triggers:``.

The function is one declared under ``functions:`` that returns ``trigger``.
``WHEN`` is one SQL expression (no statements, comments or subqueries) that
reads only ``NEW.<column>`` and ``OLD.<column>`` of this table, and only the
row versions its events have (an INSERT has no OLD, a DELETE no NEW), as
PostgreSQL requires.  The ``on_update: now`` trigger (pass ``triggers``) is the
same model object, so both are rendered and checked the same way.
"""

from __future__ import annotations

from ..model import Trigger
from ..sqlexpr import check_expression
from .draft import Draft, DraftTable


def run(d: Draft) -> None:
    # The spec's functions, not the resolved ones: a function with its own error
    # is reported once, not again by every trigger that names it.
    functions = d.spec.functions
    for table in d.tables.values():
        for name, spec in table.spec.triggers.items():
            path: tuple[str | int, ...] = (*table.path, "triggers", name)
            ok = d.check_ident(name, "trigger", path)
            if any(t.name == name for t in table.triggers):
                ok = False
                d.error(
                    "duplicate-name",
                    f"table {table.key!r} already has the trigger {name!r} (on_update: now)",
                    path,
                    "choose another name",
                    key=True,
                )
            fn = functions.get(spec.function)
            if fn is None or fn.returns.strip().lower() != "trigger":
                ok = False
                d.error(
                    "unknown-function",
                    f"{spec.function!r} is not a function under 'functions:' that returns trigger",
                    (*path, "function"),
                    f"declare it: functions: {{{spec.function}: {{returns: trigger, language: plpgsql, body: ...}}}}",
                )
            events = [e.upper() for e in spec.events]
            if not events or len(set(events)) != len(events):
                ok = False
                d.error(
                    "invalid-trigger",
                    "events must name each of insert, update, delete, truncate at most once",
                    (*path, "events"),
                    "e.g. events: [insert, update]",
                )
            update_of: tuple[str, ...] = ()
            if spec.columns:
                if "UPDATE" not in events:
                    ok = False
                    d.error(
                        "invalid-trigger",
                        "'columns' limits an UPDATE trigger, but the events have no update",
                        (*path, "columns"),
                        "add update to the events, or remove 'columns'",
                    )
                cols = d.column_list(table, spec.columns, (*path, "columns"))
                ok = cols is not None and ok
                update_of = cols or ()
            if spec.for_each == "row" and "TRUNCATE" in events:
                ok = False
                d.error(
                    "invalid-trigger",
                    "a TRUNCATE trigger fires once per statement",
                    (*path, "events"),
                    "write for_each: statement, or remove truncate from the events",
                )
            if spec.when is not None:
                ok = _check_when(d, table, spec.when, events, spec.for_each, (*path, "when")) and ok
            for i, arg in enumerate(spec.arguments):
                if "\x00" in arg:
                    ok = False
                    d.error(
                        "invalid-trigger",
                        "an argument contains a NUL character",
                        (*path, "arguments", i),
                        "remove it",
                    )
            if ok:
                table.triggers.append(
                    Trigger(
                        name,
                        spec.function,
                        tuple(spec.arguments),
                        spec.timing.upper(),
                        tuple(events),
                        update_of,
                        spec.for_each.upper(),
                        " ".join(spec.when.split()) if spec.when is not None else None,
                    )
                )


def _check_when(
    d: Draft,
    table: DraftTable,
    sql: str,
    events: list[str],
    for_each: str,
    path: tuple[str | int, ...],
) -> bool:
    if for_each != "row":
        d.error(
            "invalid-trigger",
            "a statement trigger has no row for WHEN to test",
            path,
            "write for_each: row, or remove 'when'",
        )
        return False
    problem = check_expression(sql)
    if problem:
        d.error(
            "invalid-expression",
            f"trigger condition: {problem}",
            path,
            "write one condition over NEW.<column> and OLD.<column>, e.g. NEW.title IS DISTINCT FROM OLD.title",
        )
        return False
    import sqlglot
    from sqlglot import exp

    ok = True
    where = sqlglot.parse_one(f"SELECT ({sql}\n)", read="postgres")
    for col in where.find_all(exp.Column):
        row = col.table.upper()
        if row not in ("NEW", "OLD"):
            ok = False
            d.error(
                "invalid-expression",
                f"trigger condition reads {col.sql('postgres')!r}; it may read only NEW.<column> and OLD.<column>",
                path,
                f"write NEW.{col.name} or OLD.{col.name}",
            )
        elif (row == "OLD" and "INSERT" in events) or (row == "NEW" and "DELETE" in events):
            ok = False
            d.error(
                "invalid-expression",
                f"trigger condition reads {row}, which {'an INSERT' if row == 'OLD' else 'a DELETE'} does not have",
                path,
                "split the trigger by event, or test only the row version every event has",
            )
        elif col.name not in table.columns:
            ok = False
            d.error(
                "unknown-column",
                f"trigger condition reads {row}.{col.name}, which is not a column of {table.key!r}",
                path,
                f"columns: {', '.join(table.columns)}",
            )
    return ok
