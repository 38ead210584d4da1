"""``schemagen validate --db URL``: let PostgreSQL itself judge the DDL.

The generated schema.sql is split into statements (PostgreSQL's own scanner,
so dollar-quoted bodies stay whole) and applied one by one, each in a
savepoint, inside one transaction that is always rolled back.  A statement
PostgreSQL refuses is traced to the model object that produced it (a table,
column, constraint, index, enum, extension) and reported at that object's
place in the spec; the error's position inside the statement picks the
column or constraint when it can.  Errors that only follow from an earlier
one (a table that was never created) are not repeated.

Unlike the rest of this package this module is a consumer: it reads the
model and makes diagnostics.  psycopg is imported only here, lazily.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic, Span
from ..model import Schema, Table
from ..records import Value, record
from ..source import Document, format_path
from .positions import check_path, expression_span, index_path

CODE = "postgres-refused"
# Errors that follow from an earlier failure rather than from their own statement.
_CONSEQUENTIAL = {"42P01", "42704", "3F000", "42883"}  # undefined table/object/schema/function


@record
class Origin(Value):
    what: str  # 'table "users"', 'column "users"."email"'
    span: Span | None
    path: tuple[str | int, ...]


class ConnectError(Exception):
    """The server could not be reached: bad input (exit 2), one line."""


def statements(ddl: str) -> list[str]:
    import pglast

    return [ddl[s] for s in pglast.split(ddl, with_parser=False, only_slices=True)]


def check_on_server(url: str, schema: Schema, ddl: str, doc: Document | None) -> list[Diagnostic]:
    """Apply ``ddl`` on the server in a transaction that is rolled back; the refusals."""
    import psycopg

    try:
        conn = psycopg.connect(url, connect_timeout=10, autocommit=False)
    except psycopg.Error as exc:
        raise ConnectError(_first_line(str(exc))) from None
    found: list[Diagnostic] = []
    failed: list[str] = []  # statements refused so far
    try:
        conn.execute("SET LOCAL lock_timeout = '5s'")
        for text in statements(ddl):
            try:
                with conn.transaction():
                    conn.execute(text.encode())  # bytes: no placeholder parsing of '%'
            except psycopg.Error as exc:
                if _follows(exc, failed):
                    continue
                failed.append(text)
                found.append(_diagnostic(exc, text, schema, doc))
    finally:
        conn.rollback()
        conn.close()
    return found


def _follows(exc: Any, failed: list[str]) -> bool:
    """Is this a missing object that an earlier refused statement would have created?

    'relation "items" does not exist' after CREATE TABLE "items" failed, or
    'type "citext" does not exist' after CREATE EXTENSION "citext" failed.
    """
    if exc.sqlstate not in _CONSEQUENTIAL or not failed:
        return False
    message = exc.diag.message_primary or ""
    match = re.search(r'"([^"]+)"', message) or re.search(r"function (\w+)\(", message)
    if match is None:
        return False
    name = match.group(1).split(".")[-1]
    return any(f'"{name}"' in text or f" {name} " in text for text in failed)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "connection failed"


def _diagnostic(exc: Any, text: str, schema: Schema, doc: Document | None) -> Diagnostic:
    diag = exc.diag
    position = int(diag.statement_position) - 1 if diag.statement_position else None
    origin = locate(text, position, schema, doc)
    hints = [h for h in (diag.message_detail, diag.message_hint) if h]
    if exc.sqlstate in ("42P07", "42710"):  # duplicate table / object
        hints.append(
            "validate --db creates every object, so give it an empty database"
            " (e.g. createdb schemagen_check)"
        )
    return Diagnostic(
        CODE,
        f"PostgreSQL refused {origin.what}: {diag.message_primary}",
        origin.span,
        path=format_path(origin.path),
        hint=" ".join(hints),
    )


def locate(text: str, position: int | None, schema: Schema, doc: Document | None) -> Origin:
    """The model object that produced the statement ``text``."""
    import pglast

    try:
        node = pglast.parse_sql(text)[0].stmt
    except Exception:  # noqa: BLE001 - a statement the server refused may not parse here either
        return Origin("a statement", _span(doc, ()), ())
    kind = type(node).__name__
    if kind == "CreateExtensionStmt":
        return _extension(node.extname, schema, doc)
    if kind == "CreateSchemaStmt":
        for owner in schema.tables:
            if owner.schema == node.schemaname:
                return Origin(f'schema "{node.schemaname}"', owner.span, ("tables", owner.key))
    if kind == "CreateEnumStmt":
        names = [n.sval for n in node.typeName]
        for enum in schema.enums:
            if (enum.schema or "", enum.name) == (names[0] if len(names) > 1 else "", names[-1]):
                return Origin(f'enum "{enum.key}"', enum.span, ("enums", enum.key))
    if kind in ("ViewStmt", "CreateTableAsStmt"):  # a view's or materialized view's query
        rel = node.view if kind == "ViewStmt" else node.into.rel
        for view in schema.views:
            if view.name == rel.relname:
                return Origin(f'view "{view.name}"', view.span, ("views", view.name))
    if kind == "CreatePolicyStmt" and (ruled := _table(node.table, schema)) is not None:
        path = ("tables", ruled.key, "policies", node.policy_name)
        return Origin(f'policy "{node.policy_name}"', _span(doc, path) or ruled.span, path)
    table = _table(getattr(node, "relation", None), schema)
    if kind == "CommentStmt":
        return _comment(node, schema, doc)
    if table is None:
        return Origin("a statement", _span(doc, ()), ())
    here = Origin(f'table "{table.key}"', table.span, ("tables", table.key))
    if kind == "CreateStmt" and position is not None:
        return _element(node, text, position, table, doc) or here
    if kind == "AlterTableStmt":
        for cmd in node.cmds or ():
            name = getattr(getattr(cmd, "def_", None), "conname", None)
            for fk in table.foreign_keys:
                if fk.name == name:
                    return Origin(f'foreign key "{name}"', fk.span or table.span, here.path)
    if kind == "IndexStmt":
        for index in table.indexes:
            if index.name == node.idxname:
                return _index(index, table, text, position, doc)
    return here


def _index(
    index: Any, table: Table, text: str, position: int | None, doc: Document | None
) -> Origin:
    """The index's item in the spec; its ``where`` at the failing token when it is there."""
    what = f'index "{index.name}"'
    path = index_path(doc, table.key, index.span) if doc is not None else None
    if doc is None or path is None:
        return Origin(what, index.span or table.span, ("tables", table.key, "indexes"))
    start = text.find(index.where) if index.where else -1
    if index.where and position is not None and 0 <= start <= position:
        where = expression_span(doc, (*path, "where"), index.where, position - start)
        return Origin(what, where, (*path, "where"))
    return Origin(what, index.span, path)


def _extension(name: str, schema: Schema, doc: Document | None) -> Origin:
    index = schema.extensions.index(name) if name in schema.extensions else 0
    path: tuple[str | int, ...] = ("postgres", "extensions", index)
    return Origin(f'extension "{name}"', _span(doc, path), path)


def _table(relation: Any, schema: Schema) -> Table | None:
    if relation is None:
        return None
    key = f"{relation.schemaname}.{relation.relname}" if relation.schemaname else relation.relname
    try:
        return schema.table(key)
    except KeyError:
        return None


def _element(
    node: Any, text: str, position: int, table: Table, doc: Document | None
) -> Origin | None:
    """The column or constraint of CREATE TABLE at the error's position."""
    before = [e for e in node.tableElts or () if 0 <= getattr(e, "location", -1) <= position]
    if not before:
        return None
    element = max(before, key=lambda e: e.location)
    path: tuple[str | int, ...] = ("tables", table.key, "columns")
    if type(element).__name__ == "ColumnDef":
        for col in table.columns:
            if col.name != element.colname:
                continue
            what = f'column "{table.key}"."{col.name}"'
            inner = [c for c in element.constraints or () if 0 <= c.location <= position]
            key = _KEYS.get(max(inner, key=lambda c: c.location).contype.name) if inner else None
            sql = {"default": col.default.sql if col.default else None, "generated": col.generated}
            if key == "check":
                break  # a column's CHECK is a constraint: found below by its name
            if key is not None and doc is not None and (expr := sql.get(key)):
                sub = (*path, col.name, key)
                where = expression_span(doc, sub, expr, position - text.find(expr))
                return Origin(what, where, sub)
            return Origin(what, col.span or _span(doc, (*path, col.name)), (*path, col.name))
    name = getattr(element, "conname", None)
    if type(element).__name__ == "ColumnDef":
        checks = [c for c in element.constraints or () if c.contype.name == "CONSTR_CHECK"]
        name = checks[0].conname if checks else name
    for check in table.checks:
        if check.name == name or (name is None and check.sql in text):
            at = check_path(doc, table.key, check.sql) if doc else None
            offset = position - text.find(check.sql)
            where = expression_span(doc, at, check.sql, offset) if doc and at else None
            return Origin(f'check "{check.name}"', where or table.span, at or ("tables", table.key))
    return None


_KEYS = {"CONSTR_DEFAULT": "default", "CONSTR_GENERATED": "generated", "CONSTR_CHECK": "check"}


def _comment(node: Any, schema: Schema, doc: Document | None) -> Origin:
    names = [n.sval for n in getattr(node.object, "names", None) or node.object or ()]
    for table in schema.tables:
        parts = [table.schema, table.name] if table.schema else [table.name]
        if names[: len(parts)] == parts:
            rest = names[len(parts) :]
            if rest:
                return Origin(
                    f'the comment on "{table.key}"."{rest[0]}"',
                    _span(doc, ("tables", table.key, "columns", rest[0])),
                    ("tables", table.key, "columns", rest[0]),
                )
            return Origin(f'the comment on "{table.key}"', table.span, ("tables", table.key))
    return Origin("a comment", _span(doc, ()), ())


def _span(doc: Document | None, path: tuple[str | int, ...]) -> Span | None:
    return doc.span(path) if doc is not None else None


def run(raw: bytes, file: str, url: str) -> tuple[int, str, str]:
    """The command: (exit code, stdout, stderr).  Static checks first, then the server."""
    from ..diagnostics import Diagnostics, format_all
    from ..pipeline import generate
    from ..source import load_yaml

    result = generate(raw, file)
    if not result.ok:
        return 2, "", format_all(result.diagnostics, result.sources)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return (
            2,
            "",
            "error[no-psycopg]: validate --db needs psycopg: pip install 'schemagen[postgres]'\n",
        )
    from ..pipeline import load_schema
    from ..render import render_ddl

    schema = load_schema(raw, file).schema
    assert schema is not None
    doc = load_yaml(raw, file, Diagnostics())
    try:
        found = check_on_server(url, schema, render_ddl(schema), doc)
    except ConnectError as exc:
        return 2, "", f"error[db-connect]: cannot connect to the database: {exc}\n"
    if found:
        found.sort(key=Diagnostic.sort_key)  # in spec order, as every other diagnostic
        return 2, "", format_all(found, result.sources)
    tables = len(schema.tables)
    return 0, f"{file}: ok ({tables} tables; PostgreSQL accepts the DDL, rolled back)\n", ""
