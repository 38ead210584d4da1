"""A view's query checked as PostgreSQL's analyser would, and held to its declared columns.

Used by the ``views`` pass through ``Draft.view_query`` (not a pass itself).  The query is type-checked
over the spec's tables and views (pgsql.query); each problem is reported at
its token inside the query.  Then the declared ``columns:`` are compared with
what the query returns: CREATE VIEW names the columns by position, so the
order must be the query's; the types must be the query's (they type the
Python and TypeScript rows); a column the query can return NULL in must be
declared ``nullable: true`` (the row model would refuse the row otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..diagnostics import Span
from ..pgsql.pgtypes import base
from ..pgsql.query import Output, Source, analyse_query
from ..pgsql.scope import Col
from ..source import Document, Path, format_path
from ..spec.objects import ViewSpec
from ..typeref import parse_column_type
from ..types import ColumnType
from .draft import spec_type_of

if TYPE_CHECKING:
    from .draft import Draft


def relations(d: Draft) -> dict[tuple[str | None, str], Source]:
    """The spec's tables and views as a query reads them (views by their declared columns)."""
    out: dict[tuple[str | None, str], Source] = {}
    for table in d.tables.values():
        cols = tuple(
            _col(name, c.type, c.spec.nullable and name not in table.pk)
            for name, c in table.columns.items()
        )
        out[(table.namespace, table.bare)] = Source(cols, table.pk, table=True)
    for name, view in d.spec.views.items():
        declared = []
        for cname, cspec in view.columns.items():
            ctype, _, _ = parse_column_type(cspec.type, d.enum_labels)
            declared.append(_col(cname, ctype, cspec.nullable))
        out.setdefault((None, name), Source(tuple(declared)))
    return out


def _col(name: str, ctype: ColumnType | None, nullable: bool) -> Col:
    if ctype is None:
        return Col(name, None, None, nullable)
    return Col(name, base(spec_type_of(ctype)), ctype.catalog, nullable)


def check(
    d: Draft,
    spec: ViewSpec,
    path: Path,
    declared: list[tuple[str, ColumnType]],
    sources: dict[tuple[str | None, str], Source],
) -> bool:
    """Report the query's problems and its disagreements with ``columns:``; True if none."""
    from ..pgsql.positions import query_span

    qpath = (*path, "query")
    result = analyse_query(spec.query, sources, d.extensions(), d.user_functions())
    for err in result.errors:
        span = query_span(d.doc, qpath, spec.query, err.offset)
        d.diags.add(err.code, err.message, span, path=format_path(qpath), hint=err.hint)
    if result.errors:
        return False
    if not result.complete:  # a '*' over a function's record: the width is not known
        if any(c.name == "*" for c in result.columns):
            d.error(
                "invalid-query",
                "'*' over a relation whose columns schemagen cannot read (a function's"
                " result); the view's columns could not be held to the declared ones",
                qpath,
                "list the columns",
            )
            return False
        return True
    if not _literals(d, spec.query, qpath, result.untyped):
        return False
    if len(result.columns) != len(spec.columns):  # a '*' expanded (else the pass said so)
        d.error(
            "view-columns",
            f"the query returns {len(result.columns)} columns; 'columns' declares"
            f" {len(spec.columns)}",
            (*path, "columns"),
            "declare each column the query returns, in order: "
            + ", ".join(c.name for c in result.columns),
            key=True,
        )
        return False
    ok = True
    names = list(spec.columns)
    types = dict(declared)
    for i, (out, name) in enumerate(zip(result.columns, names, strict=True)):
        ok = _compare(d, out, i, name, names, types.get(name), spec, path) and ok
    return ok


def condition(d: Draft, table: tuple[str | None, str], sql: str, path: Path) -> bool:
    """Type-check the subqueries of a policy's condition over the spec's relations,
    the table's columns visible in them (pgsql.condition); True if nothing is wrong."""
    from ..pgsql.condition import analyse_condition
    from ..pgsql.positions import expression_span

    if d._view_sources is None:
        d._view_sources = relations(d)
    # raw SQL before the tables, or an extension, may create relations we cannot see
    closed = not d.raw_sql.get("before") and not d.extensions()
    errors, untyped = analyse_condition(
        sql, table, d._view_sources, d.extensions(), d.user_functions(), closed
    )
    for err in errors:
        span = expression_span(d.doc, path, sql, err.offset)
        d.diags.add(err.code, err.message, span, path=format_path(path), hint=err.hint)
    return not errors and _literals(d, sql, path, untyped, expression_span)


def _literals(
    d: Draft,
    sql: str,
    qpath: Path,
    untyped: tuple[tuple[int, str | None], ...],
    spanner: Callable[[Document, Path, str, int], Span | None] | None = None,
) -> bool:
    """Quoted literals the query compares with a typed value: their text must be one
    PostgreSQL reads as that type (as Draft.expression checks a table's expressions)."""
    from ..pgsql.positions import query_span
    from ..pgsql.untyped import literals_at

    spanner = spanner or query_span
    ok = True
    for offset, typ in untyped:
        if typ is None:
            continue
        for text in literals_at(sql, offset) or _branch_literals(sql, offset):
            if d.literal_refused(text, typ):
                ok = False
                d.literal_error(spanner(d.doc, qpath, sql, offset), qpath, text, typ)
    return ok


def _branch_literals(sql: str, offset: int) -> list[str]:
    """The quoted literals that are whole branches of the COALESCE, GREATEST, LEAST
    or CASE starting at ``offset`` (``coalesce(sum(n), '')``): PostgreSQL reads
    each as the branches' common type.  pglast keeps no position for them."""
    from pglast import parser

    try:
        tokens = [t for t in parser.scan(sql) if t.start >= offset]
    except parser.ParseError:
        return []
    words = [sql[t.start : t.end + 1] for t in tokens]
    if not words or words[0].lower() not in ("coalesce", "greatest", "least", "case"):
        return []
    case = words[0].lower() == "case"
    opens, closes = ({"case"}, {"end"}) if case else ({"("}, {")"})
    before = {"then", "else"} if case else {"(", ","}
    after = {"when", "else", "end"} if case else {",", ")"}
    found, depth = [], 0
    for i, word in enumerate(words):
        low = word.lower()
        if low in opens or (not case and low == "("):
            depth += 1
        elif low in closes:
            depth -= 1
            if depth == 0:
                break
        elif (
            depth == 1
            and tokens[i].name == "SCONST"
            and 0 < i < len(words) - 1
            and words[i - 1].lower() in before
            and words[i + 1].lower() in after
        ):
            found.append(word[1:-1].replace("''", "'"))
    return found


def _compare(
    d: Draft,
    out: Output,
    i: int,
    name: str,
    names: list[str],
    ctype: ColumnType | None,
    spec: ViewSpec,
    path: Path,
) -> bool:
    cpath = (*path, "columns", name)
    if out.name != name and out.name in names:
        d.error(
            "view-columns",
            f'the query returns "{out.name}" as column {i + 1}; '
            f"'columns' declares it as column {names.index(out.name) + 1}",
            cpath,
            "declare the columns in the query's order: CREATE VIEW names them by position",
            key=True,
        )
        return False
    if ctype is not None and out.exact is not None and out.exact != ctype.catalog:
        d.error(
            "view-column-type",
            f'column "{name}" is declared {ctype.catalog}, but the query returns {out.exact}',
            (*cpath, "type"),  # or the column itself when written as ``name: type``
            f"declare it as {out.exact}, or cast it in the query: ...::{ctype.sql} AS {name}",
        )
        return False
    if out.nullable and not spec.columns[name].nullable:
        d.error(
            "view-nullable",
            f'column "{name}" can be NULL (it reads a nullable column, or the nullable side of'
            " an outer join), but 'columns' declares it NOT NULL",
            cpath,
            f"add 'nullable: true' to {name}, or coalesce() it in the query",
            key=True,
        )
        return False
    return True
