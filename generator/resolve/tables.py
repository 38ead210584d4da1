"""Pass ``tables``: tables and their columns, column groups expanded, types
read, literal and SQL defaults checked."""

from __future__ import annotations

import re
from typing import Any

from ..model import Default
from ..source import Path
from ..spec import ColumnSpec
from ..sqlexpr import check_default_expression
from ..sqltext import LiteralError
from ..typeref import SERIALS, check_column_literal, parse_column_type, serial_kind
from ..types import ColumnType, did_you_mean, names_where
from .draft import Draft, DraftColumn, DraftTable


def run(d: Draft) -> None:
    folded: dict[str, str] = {}
    for tname, tspec in d.spec.tables.items():
        tpath: Path = ("tables", tname)
        d.check_key(tname, "table", tpath)
        if tname.lower() in folded:
            d.error(
                "duplicate-table",
                f"table {tname!r} differs from {folded[tname.lower()]!r} only in case; "
                f"unquoted SQL folds both to {tname.lower()!r}",
                tpath,
                "give the tables clearly different names",
                key=True,
            )
        folded[tname.lower()] = tname
        table = d.tables[tname] = DraftTable(tname, tspec, tpath)
        for key, cspec in tspec.columns.items():
            cpath = tpath + ("columns", key)
            if key.startswith("..."):
                _expand_group(d, table, key[3:], cspec, cpath)
            elif cspec is None:
                d.error(
                    "missing-type",
                    f"column {key!r} has no type",
                    cpath,
                    f"write '{key}: text' (or another type), or '...{key}:' to insert a column group",
                    key=True,
                )
            else:
                _add_column(d, table, key, cspec, cpath)


def _expand_group(
    d: Draft, table: DraftTable, group: str, value: ColumnSpec | None, path: Path
) -> None:
    if value is not None:
        d.error(
            "group-value",
            f"'...{group}' inserts a column group and takes no value",
            path,
            f"write '...{group}:' with nothing after the colon",
        )
        return
    columns = d.spec.column_groups.get(group)
    if columns is None:
        d.error(
            "unknown-group",
            f"unknown column group {group!r}",
            path,
            did_you_mean(group, list(d.spec.column_groups))
            or "define it under 'column_groups:' at the top level",
            key=True,
        )
        return
    for cname, cspec in columns.items():
        _add_column(d, table, cname, cspec, ("column_groups", group, cname), via=path)


def _add_column(
    d: Draft, table: DraftTable, name: str, spec: ColumnSpec, path: Path, via: Path | None = None
) -> None:
    at = via or path
    if not d.check_ident(name, "column", path):
        return
    other = table.folded.get(name.lower())
    if other is not None:
        first = d.doc.key_span(other.path)
        where = f" (line {first.line})" if first else ""
        if via is not None:  # the user wrote '...group', not the column: say which
            message = (
                f"column group {str(via[-1])[3:]!r} adds column {name!r}, which table "
                f"{table.key!r} already has{where}"
            )
        else:
            message = f"column {name!r} is defined twice in table {table.key!r}" + (
                f" (first on line {first.line})" if first else ""
            )
        if other.name != name:
            message += f"; {other.name!r} and {name!r} differ only in case, and unquoted SQL folds both to {name.lower()!r}"
        d.error("duplicate-column", message, at, "remove or rename one of them", key=True)
        return
    col = DraftColumn(name, spec, path)
    table.columns[name] = table.folded[name.lower()] = col
    col.serial = serial_kind(spec.type)
    ctype: ColumnType | None
    if col.serial:  # the column's type; the sequence and its default: columns and names passes
        ctype, message, hint = ColumnType(SERIALS[col.serial]), "", ""
    else:
        ctype, message, hint = parse_column_type(spec.type, d.enum_labels)
    if ctype is None:
        d.error(
            "unknown-type" if "unknown" in message else "invalid-type",
            message,
            path + ("type",),
            hint,
        )
    col.type = ctype
    if spec.default is not None and ctype is not None:
        col.default = _default(d, ctype, spec.default, path + ("default",))
    if spec.on_update == "now" and ctype is not None and not ctype.info.on_update_now:
        d.error(
            "on-update-type",
            f"on_update: now needs a {names_where('on_update_now')} column, not {ctype.sql}",
            path + ("on_update",),
            "remove on_update or change the column type",
        )


_NEXTVAL = re.compile(r"\bnextval\s*\(", re.IGNORECASE)


def _serial_for(ctype: ColumnType) -> str:
    return next((s for s, base in SERIALS.items() if base == ctype.name), "serial")


def _default(d: Draft, ctype: ColumnType, value: Any, path: Path) -> Default | None:
    if isinstance(value, dict) and "sql" in value:
        if set(value) != {"sql"} or not isinstance(value["sql"], str):
            d.error(
                "invalid-default",
                "an SQL default is written {sql: <expression>} with nothing else",
                path,
                "for example: default: {sql: now()}",
            )
            return None
        if _NEXTVAL.search(value["sql"]):
            d.error(
                "sequence-default",
                "a nextval() default needs a sequence the spec does not declare",
                path + ("sql",),
                f"write type: {_serial_for(ctype)} and remove the default: the column then owns "
                "its sequence (<table>_<column>_seq), as PostgreSQL's serial does; "
                "or use identity: by_default",
            )
            return None
        problem = check_default_expression(value["sql"])
        if problem:
            d.error(
                "invalid-default",
                problem,
                path + ("sql",),
                "write one SQL expression, e.g. now()",
            )
            return None
        return Default("sql", value["sql"].strip())
    try:
        lit = check_column_literal(ctype, value, d.doc.scalar(path), d.enum_labels)
    except LiteralError as exc:
        d.error("invalid-default", str(exc), path, exc.hint)
        return None
    return Default("literal", lit.sql, lit.value)
