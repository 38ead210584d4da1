"""The PostgreSQL checks of this package applied to a resolved model, as diagnostics.

This is the adapter a resolve pass calls (``diags.extend(check_schema(schema,
doc))``): it walks the model, asks expr, limits, opclasses and values, and
positions each problem at the spec text that produced it (the token inside an
expression when it can).  It reads only ``generator.model``, the diagnostics
and the YAML document, the interfaces the other branches keep stable.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Span
from ..model import Column, Schema, Table
from ..source import Document, format_path
from . import limits, opclasses, values
from .expr import Kind, analyse
from .positions import KeyPath, check_path, expression_span, index_path

_JSON_TYPES = {"json", "jsonb"}


def spec_type(col: Column) -> str:
    """The type name the pgsql library reads: ``integer``, ``varchar``, ``enum``, ``text[]``."""
    return col.type.name + ("[]" if col.type.array else "")


def check_schema(schema: Schema, doc: Document) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for name in schema.namespaces:
        problem = limits.schema_name_problem(name)
        if problem:
            first = next((t for t in schema.tables if t.schema == name), None)
            where = first.span if first else None
            found.append(_diag("pg-reserved-name", problem, where, ("tables",)))
    for enum in schema.enums:
        problem = limits.type_name_problem(enum.name, enum.schema)
        if problem:
            found.append(_diag("pg-reserved-name", problem, enum.span, ("enums", enum.key)))
    for table in schema.tables:
        found.extend(_table(table, schema, doc))
    return found


def _diag(code: str, problem: tuple[str, str], span: Span | None, path: KeyPath) -> Diagnostic:
    message, hint = problem
    return Diagnostic(code, message, span, path=format_path(path), hint=hint)


def _table(table: Table, schema: Schema, doc: Document) -> Iterator[Diagnostic]:
    here: KeyPath = ("tables", table.key)
    named = limits.table_name_problem(table.name, table.schema)
    if named:
        yield _diag("pg-reserved-name", named, table.span, here)
    too_many = limits.column_count_problem(len(table.columns))
    if too_many:
        yield _diag("pg-limit", too_many, table.span, here)
    for col in table.columns:
        col_path: KeyPath = (*here, "columns", col.name)
        system = limits.column_name_problem(col.name)
        if system:
            yield _diag("pg-reserved-name", system, col.span, col_path)
        yield from _literal(col, col_path, doc)
    yield from _keys(table)
    yield from _expressions(table, doc)
    yield from _sequences(table, schema)


def _keys(table: Table) -> Iterator[Diagnostic]:
    here: KeyPath = ("tables", table.key)
    types = {c.name: spec_type(c) for c in table.columns}
    keyed = [("primary key", table.primary_key.columns)]
    keyed += [("unique constraint", u.columns) for u in table.uniques]
    for what, columns in keyed:
        count = limits.index_column_count_problem(len(columns), what)
        if count:
            yield _diag("pg-limit", count, table.span, here)
        for name in columns:
            problem = opclasses.key_problem(types[name], what)
            if problem:
                yield _diag(
                    "pg-opclass", problem, table.column(name).span, (*here, "columns", name)
                )
    for index in table.indexes:
        count = limits.index_column_count_problem(len(index.columns) + len(index.include))
        if count:
            yield _diag("pg-limit", count, index.span, (*here, "indexes"))
        for ic in index.columns:
            problem = opclasses.index_problem(index.using, types[ic.name])
            if problem:
                yield _diag("pg-opclass", problem, index.span, (*here, "indexes"))


def _expressions(table: Table, doc: Document) -> Iterator[Diagnostic]:
    types = {c.name: spec_type(c) for c in table.columns}
    generated = tuple(c.name for c in table.columns if c.generated is not None)
    jobs: list[tuple[str, Kind, str | None, KeyPath | None]] = []
    for col in table.columns:
        base: KeyPath = ("tables", table.key, "columns", col.name)
        if col.default is not None and col.default.kind == "sql":
            jobs.append((col.default.sql, "default", spec_type(col), (*base, "default")))
        if col.generated is not None:
            jobs.append((col.generated, "generated", spec_type(col), (*base, "generated")))
    for check in table.checks:
        jobs.append((check.sql, "check", None, check_path(doc, table.key, check.sql)))
    for index in table.indexes:
        if index.where is not None:
            at = index_path(doc, table.key, index.span)
            jobs.append((index.where, "index_where", None, (*at, "where") if at else None))
    for sql, kind, target, path in jobs:
        result = analyse(sql, types, kind, target=target, table=table.name, generated=generated)
        for err in result.errors:
            span = expression_span(doc, path, sql, err.offset) if path else table.span
            where = format_path(path or ("tables", table.key))
            yield Diagnostic(err.code, err.message, span, path=where, hint=err.hint)


def _literal(col: Column, path: KeyPath, doc: Document) -> Iterator[Diagnostic]:
    if col.default is None or col.default.kind != "literal" or col.type.array:
        return
    value = col.default.value
    problem = None
    if col.type.name in _JSON_TYPES:
        problem = values.json_problem(value, binary=col.type.name == "jsonb")
    elif col.type.name == "numeric":
        problem = values.numeric_problem(value)
    elif col.type.name in ("inet", "cidr"):
        problem = values.inet_problem(str(value))  # an ipaddress object keeps a zone
    if problem:
        yield _diag("pg-value", problem, doc.span((*path, "default")), (*path, "default"))


def _sequences(table: Table, schema: Schema) -> Iterator[Diagnostic]:
    """An identity column's sequence name taken by another relation of its schema."""
    identities = [(table.name, c.name) for c in table.columns if c.identity is not None]
    if not identities:
        return
    relations: list[str] = []
    for other in schema.tables:
        if other.schema == table.schema:
            relations.append(other.name)
            relations.append(other.primary_key.name)
            relations.extend(u.name for u in other.uniques)
            relations.extend(i.name for i in other.indexes)
    for _, column, name in limits.sequence_collisions(identities, relations):
        col = table.column(column)
        yield Diagnostic(
            "pg-reserved-name",
            f'the identity column "{column}" needs a sequence named "{name}",'
            " which is another object's name",
            col.span,
            path=format_path(("tables", table.key, "columns", column)),
            hint="rename that object, or the column",
        )
