"""Users' SQL expressions analysed on the draft with PostgreSQL's grammar (pgsql.expr).

These are ``Draft`` methods (bound in ``__init__.py``: ``d.expression(...)``),
written here because they are one concern, larger than the draft's parts:
analysing an expression on a table, reporting each problem at its token,
refusing the literals PostgreSQL would refuse, remembering how the DDL writes
what was analysed (``written``), and the spec's extensions and functions that
every analysis reads (computed once, cached on the draft).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from ...diagnostics import Span
from ...source import Path, format_path
from ...types import ColumnType
from .parts import DraftTable, _enum_named

if TYPE_CHECKING:
    from ...pgsql.expr import Analysis, Kind
    from . import Draft

_CHECK = "a CHECK constraint"  # how expr.analyse names the kind a policy is analysed as


def expression(
    d: Draft,
    table: DraftTable,
    sql: str,
    path: Path,
    kind: Kind | Literal["policy"],
    target: ColumnType | None = None,
) -> tuple[str, ...] | None:
    """Analyse a user's SQL expression with PostgreSQL's grammar (pgsql.expr):
    each problem is reported at its token; the columns it reads, or None on error.

    Column references resolve as PostgreSQL resolves them (unquoted names fold
    to lower case), so ``Price > 0`` does not read a column named ``Price``.
    A row-level security policy's condition is read as a CHECK is (boolean,
    over the row) except that it may hold subqueries and volatile calls; its
    subqueries are type-checked as a view's query is, seeing the table's columns.
    """
    result = _analyse(d, table, sql, "check" if kind == "policy" else kind, target)
    allowed = {"expr-subquery"} if kind == "policy" else set()
    if kind == "default" and result.parsed:
        # No column may be read there, so USER is the function CURRENT_USER; a
        # reserved word that does not parse (DEFAULT table) stays an error.
        allowed.add("expr-keyword")
    errors = [e for e in result.errors if e.code not in allowed]
    for err in errors:
        message = err.message
        if kind == "policy":  # analysed as a CHECK is; named as what it is
            message = message.replace(_CHECK, "a policy's condition")
        span = _token_span(d, path, sql, err.offset)
        hint = err.hint or "write one SQL expression over this table's columns, e.g. price >= 0"
        d.diags.add(err.code, message, span, path=format_path(path), hint=hint)
    bad = False
    for offset, typ in dict.fromkeys(result.untyped) if not errors else ():
        if typ is None or bad:  # the first refused literal, as PostgreSQL stops at it
            continue
        from ...pgsql.untyped import literals_at  # here: most expressions have none

        for text in literals_at(sql, offset):
            if d.literal_refused(text, typ):
                bad = True
                span = _token_span(d, path, sql, offset)
                d.literal_error(span, path, text, typ)
                break
    if kind == "policy" and result.subquery and not errors and not bad:
        from ..viewquery import condition

        bad = not condition(d, (table.namespace, table.bare), sql, path)
    if errors or bad:
        return None
    if result.bare:
        from ...pgsql.quoting import quote_misread

        written = quote_misread(sql, result.bare).strip()
        if written != sql.strip():
            d.rewrites[sql.strip()] = written
    return result.columns


def _token_span(d: Draft, path: Path, sql: str, offset: int) -> Span | None:
    """Where the character at ``offset`` of the expression at ``path`` is."""
    from ...pgsql.positions import expression_span  # only for a diagnostic

    return expression_span(d.doc, path, sql, offset)


def extensions(d: Draft) -> frozenset[str]:
    """The extensions the DDL creates: ``postgres: extensions:`` and any
    CREATE EXTENSION of the raw SQL before the tables."""
    if d._extensions is None:
        raw = d.spec.postgres.before or ""
        made = re.findall(r"create\s+extension\s+(?:if\s+not\s+exists\s+)?\"?([\w-]+)", raw, re.I)
        d._extensions = frozenset(d.spec.postgres.extensions) | {m.lower() for m in made}
    return d._extensions


def user_functions(d: Draft) -> frozenset[str]:
    """Functions the spec creates (``functions:``, CREATE FUNCTION in raw SQL):
    PostgreSQL resolves calls to them, pgsql does not."""
    if d._user_functions is None:
        raw = " ".join(filter(None, (d.spec.postgres.before, d.spec.postgres.after)))
        made = re.findall(r"function\s+(?:[\w\"]+\.)?\"?(\w+)", raw, re.IGNORECASE)
        d._user_functions = frozenset(name.rsplit(".", 1)[-1] for name in d.spec.functions) | {
            m.lower() for m in made
        }
    return d._user_functions


def written(d: Draft, sql: str) -> str:
    """An analysed expression as the DDL writes it (stripped)."""
    return d.rewrites.get(sql.strip(), sql.strip())


def literal_refused(d: Draft, text: str, typ: str) -> bool:
    """Would PostgreSQL refuse the quoted literal ``text`` read as ``typ``: a pgsql
    type name, ``enum:<key>`` for one of the spec's enums, ``enum`` for one not known?"""
    from ...pgsql.untyped import enum_problem
    from ...pgsql.untyped import problem as untyped_problem

    if typ.startswith("enum:"):  # a label of that enum (or an array of them)
        known = d.enum_labels.get(typ[5:].removesuffix("[]"))
        return known is not None and enum_problem(text, typ, known)
    if typ == "enum":  # which enum is not known: a label of none is refused
        return all(text not in v for v in d.enum_labels.values())
    return untyped_problem(text, typ)


def literal_error(d: Draft, span: Span | None, path: Path, text: str, typ: str) -> None:
    from ...pgsql.pgtypes import display

    shown = display(typ)
    d.diags.add(
        "expr-value",
        f"{text!r} is not a valid {shown}: PostgreSQL reads this literal"
        f" as {shown} here and refuses it",
        span,
        path=format_path(path),
        hint=f"write a {shown} value, or cast the literal to the type you mean",
    )


def expression_type(d: Draft, table: DraftTable, sql: str, kind: Kind) -> str | None:
    """The PostgreSQL type (``text``, ``int4``, ``text[]``) of an expression that
    ``expression()`` accepted; None when pgsql cannot tell (an unknown function).
    It is the same (cached) analysis ``expression()`` made, so asking again costs
    nothing and cannot disagree with it."""
    typ = _analyse(d, table, sql, kind).type
    if typ is not None and typ.startswith("enum:"):  # one of the spec's enums: "enum"
        typ = "enum[]" if typ.endswith("[]") else "enum"
    return None if typ in (None, "unknown", "null") else typ


def _analyse(
    d: Draft, table: DraftTable, sql: str, kind: Kind, target: ColumnType | None = None
) -> Analysis:
    """pgsql's analysis of ``sql`` on ``table``, with the spec's extensions and
    functions: every caller reads the one analysis.

    A DEFAULT is first analysed as if the table had no columns: that analysis
    is one for every table (pgsql caches it), where the table's own would be
    made again for each table's now().  It stands only when it found nothing
    wrong: a DEFAULT that names a column, a table or anything else a table's
    columns decide is refused without columns, and is then analysed on the
    table so that its message is the table's.  (What the columns would add to
    an error-free analysis: nothing but the expr-keyword note on USER beside a
    column "user", which ``expression()`` lets a DEFAULT have.)  Other kinds
    read columns as a rule, so they gain nothing from the shared analysis."""
    from ...pgsql.expr import analyse

    target_type = _enum_named(target) if target is not None else None
    extensions, functions = d.extensions(), d.user_functions()
    if kind == "default":
        shared = analyse(
            sql, {}, kind, target=target_type, extensions=extensions, functions=functions
        )
        if shared.ok and not shared.columns:
            return shared
    types, generated = table.expression_columns()
    return analyse(
        sql,
        types,
        kind,
        target=target_type,
        table=table.bare,
        generated=generated,
        extensions=extensions,
        functions=functions,
    )
