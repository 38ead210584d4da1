"""Pass ``tables``: tables and their columns, column groups expanded, types
read, literal and SQL defaults checked."""

from __future__ import annotations

from functools import cache

from ..model import Default
from ..source import Path
from ..spec import ColumnSpec
from ..typeref import SERIALS, parse_column_type, serial_kind
from ..types import ColumnType, did_you_mean, names_where
from .draft import Draft, DraftColumn, DraftTable, table_identity


def run(d: Draft) -> None:
    folded: dict[str, str] = {}
    for tname, tspec in d.spec.tables.items():
        tpath: Path = ("tables", tname)
        d.check_key(tname, "table", tpath)
        same = folded.get(table_identity(tname))
        if same is not None and same.lower() != tname.lower():
            d.error(
                "duplicate-table",
                f"tables {same!r} and {tname!r} are the same table: "
                "public is PostgreSQL's default schema",
                tpath,
                f"declare the table once, as {same!r}",
                key=True,
            )
        elif same is not None:
            d.error(
                "duplicate-table",
                f"table {tname!r} differs from {same!r} only in case; "
                f"unquoted SQL folds both to {tname.lower()!r}",
                tpath,
                "give the tables clearly different names",
                key=True,
            )
        folded[table_identity(tname)] = tname
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
    accepted: dict[tuple[str, ColumnType], Default] = {}
    for table in d.tables.values():  # now that every column is known
        _table_checks(d, table, accepted)


def _table_checks(
    d: Draft, table: DraftTable, accepted: dict[tuple[str, ColumnType], Default]
) -> None:
    """PostgreSQL's limits and reserved names, and what it makes of each default.

    ``accepted``: each SQL default accepted so far, by its text and its column's
    type.  A DEFAULT may read no column, so whether one is accepted does not
    depend on its table (draft/expressions.py, _analyse): accepted once, it is
    accepted in every table, and reports nothing.  A refused one is analysed in
    each table, and reported at each."""
    from ..pgsql import limits, values

    named = limits.table_name_problem(table.bare, table.namespace)
    if named:
        d.pg_problem("pg-reserved-name", named, table.path, key=True)
    too_many = limits.column_count_problem(len(table.columns))
    if too_many:
        d.pg_problem("pg-limit", too_many, table.path, key=True)
    for col in table.columns.values():
        system = limits.column_name_problem(col.name)
        if system:
            d.pg_problem("pg-reserved-name", system, col.path, key=True)
        default, ctype = col.default, col.type
        if default is None or ctype is None or col.shared_sequence:
            continue  # nextval() of a declared sequence: checked by the columns pass
        path = col.path + ("default",)
        if default.kind == "sql":
            sql = str(col.spec.default["sql"])
            known = accepted.get((sql, ctype))
            if known is not None:
                col.default = known
            elif d.expression(table, sql, path + ("sql",), "default", ctype) is not None:
                col.default = accepted[sql, ctype] = Default("sql", _operand(d.written(sql)))
            continue
        problem = None
        if ctype.array:
            pass
        elif ctype.name in ("json", "jsonb"):
            problem = values.json_problem(default.value, binary=ctype.name == "jsonb")
        elif ctype.name == "numeric":
            problem = values.numeric_problem(default.value)
        elif ctype.name in ("inet", "cidr"):
            problem = values.inet_problem(str(default.value))  # ipaddress keeps a zone id
        if problem:
            d.pg_problem("pg-value", problem, path)


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
    col.serial, ctype, message, hint = _column_type(d, spec.type)
    if ctype is not None and ctype.domain is not None:
        domain = d.domains[ctype.domain]
        if spec.nullable and not domain.nullable:
            d.error(
                "domain-not-null",
                f"column {name!r} is nullable but domain {domain.key!r} is NOT NULL",
                path + ("nullable",),
                "remove 'nullable: true', or make the domain nullable",
            )
    if ctype is None:
        d.error(
            "unknown-type" if "unknown" in message else "invalid-type",
            message,
            path + ("type",),
            hint,
        )
    col.type = ctype
    if spec.default is not None and ctype is not None:
        col.default = d.default(ctype, spec.default, path + ("default",))
        if (
            isinstance(spec.default, dict)
            and col.default is not None
            and "sequence" in spec.default
        ):
            col.shared_sequence = spec.default["sequence"].strip()  # checked by the columns pass
    if spec.on_update == "now" and ctype is not None and not ctype.info.on_update_now:
        d.error(
            "on-update-type",
            f"on_update: now needs a {names_where('on_update_now')} column, not {ctype.sql}",
            path + ("on_update",),
            "remove on_update or change the column type",
        )


def _column_type(d: Draft, written: str) -> tuple[str, ColumnType | None, str, str]:
    """(serial kind or "", type, error, hint) of a column's ``type:``.  Every column
    that spells its type so reads the same (enums and domains are all known by
    now), and a spec spells a handful of types thousands of times: read once."""
    read = d.column_types.get(written)
    if read is None:
        read = d.column_types[written] = _read_type(d, written)
    return read


def _read_type(d: Draft, written: str) -> tuple[str, ColumnType | None, str, str]:
    serial = serial_kind(written)
    ctype: ColumnType | None
    text = written.strip()
    domain = d.domains.get(text)
    element = d.domains.get(text[:-2].rstrip()) if text.endswith("[]") else None
    if serial:  # the column's type; the sequence and its default: columns and names passes
        ctype, message, hint = ColumnType(SERIALS[serial]), "", ""
    elif domain is not None:
        ctype, message, hint = domain.type.of_domain(domain.key), "", ""
    elif element is not None and element.type.array:  # PostgreSQL has no year[][] column
        ctype, message, hint = (
            None,
            f"domain {element.key!r} is already an array ({element.type.sql}): "
            "multi-dimensional arrays are not supported",
            f"write type: {element.key}, or a domain over the element type",
        )
    elif element is not None:  # an array of a domain: each element is checked by it
        ctype, message, hint = element.type.array_of_domain(element.key), "", ""
    else:
        ctype, message, hint = parse_column_type(written, d.enum_labels)
    if ctype is None and "unknown type" in message and d.domains:  # a domain misspelt?
        near = did_you_mean(text.removesuffix("[]").rstrip(), sorted(d.domains))
        hint = f"{near} (a domain)" if near else hint
    return serial, ctype, message, hint


@cache  # a spec repeats its defaults (now()) in every table
def _operand(sql: str) -> str:
    """The default as DDL writes it: an operator expression in parentheses.

    PostgreSQL reads ``DEFAULT 1 < 2`` (its DEFAULT grammar takes comparisons),
    but DEFAULT's restricted grammar is a trap for readers and for sqlglot,
    which checks the rendered DDL; ``DEFAULT (1 < 2)`` means the same.
    """
    from ..pgsql.parse import parse

    parsed = parse(sql, "default", set())
    if not isinstance(parsed, tuple):
        return sql
    node = parsed[0]
    kind = type(node).__name__
    arithmetic = (
        kind == "A_Expr" and node.kind.name == "AEXPR_OP" and node.name[-1].sval in "+-*/%^"
    )
    if kind in ("A_Expr", "BoolExpr", "NullTest", "BooleanTest") and not arithmetic:
        return f"({sql})"
    return sql
