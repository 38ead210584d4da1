"""Where in the spec a model object's SQL was written, down to a character.

The resolved model keeps spans for tables, columns, indexes and enums; the
expressions (checks, defaults, generated columns, index predicates) are found
here by key path in the YAML document, and an offset inside an expression is
moved onto the source line when the expression is written on one line
without escapes (else the scalar's start is the best place to point).
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Span
from ..source import Document

KeyPath = tuple[str | int, ...]


def _spec_table(doc: Document, table_key: str) -> dict[str, Any]:
    data = doc.data if isinstance(doc.data, dict) else {}
    tables = data.get("tables")
    spec = tables.get(table_key) if isinstance(tables, dict) else None
    return spec if isinstance(spec, dict) else {}


def check_path(doc: Document, table_key: str, sql: str) -> KeyPath | None:
    """Where the spec writes this CHECK: under a column, or in the table's list."""
    spec = _spec_table(doc, table_key)
    columns = spec.get("columns")
    for name, col in columns.items() if isinstance(columns, dict) else ():
        if isinstance(col, dict) and col.get("check") == sql:
            return ("tables", table_key, "columns", name, "check")
    checks = spec.get("checks")
    for i, item in enumerate(checks if isinstance(checks, list) else ()):
        if item == sql:
            return ("tables", table_key, "checks", i)
        if isinstance(item, dict) and item.get("sql") == sql:
            return ("tables", table_key, "checks", i, "sql")
    return None


def index_path(doc: Document, table_key: str, span: Span | None) -> KeyPath | None:
    """The index's item in the table's ``indexes`` list, found by its span."""
    items = _spec_table(doc, table_key).get("indexes")
    for i in range(len(items) if isinstance(items, list) else 0):
        if span is not None and doc.span(("tables", table_key, "indexes", i)) == span:
            return ("tables", table_key, "indexes", i)
    return None


def expression_span(doc: Document, path: KeyPath, expr: str, offset: int) -> Span | None:
    """The span of the expression at ``path`` (or its ``sql:``), moved ``offset`` characters in."""
    if doc.scalar(path) is None and doc.scalar((*path, "sql")) is not None:
        path = (*path, "sql")  # default: {sql: ...}
    span = doc.span(path)
    if span is None or not 1 <= span.line <= len(doc.lines):
        return span
    written = doc.lines[span.line - 1][span.col - 1 :]
    if written.startswith(expr):
        start = span.col
    elif written[:1] in "\"'" and written[1:].startswith(expr):
        start = span.col + 1
    else:  # escapes, a folded or a multi-line scalar: the offset does not map
        return span
    return Span(span.file, span.line, start + max(0, min(offset, len(expr))))


def query_span(doc: Document, path: KeyPath, text: str, offset: int) -> Span | None:
    """The span of character ``offset`` of a query written at ``path``.

    A literal block scalar (``query: |``) keeps every line of the query on a
    line of its own, indented: the offset maps to that line and column.  A
    one-line scalar maps as an expression does; a folded or escaped one points
    at the scalar.
    """
    span = doc.span(path)
    if span is None or not 1 <= span.line <= len(doc.lines):
        return span
    header = doc.lines[span.line - 1][span.col - 1 :]
    if not header.startswith("|"):
        return expression_span(doc, path, text, offset)
    offset = max(0, min(offset, len(text)))
    row = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    start = span.line + 1  # the first line of the block's content
    if start + first - 1 >= len(doc.lines):
        return span
    written = doc.lines[start + first - 1]
    indent = len(written) - len(written.lstrip(" "))
    at = start + row
    if at - 1 >= len(doc.lines) or not doc.lines[at - 1][indent:].startswith(lines[row].rstrip()):
        return span
    return Span(span.file, at, indent + col + 1)
