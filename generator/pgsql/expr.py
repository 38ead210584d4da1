"""Analyse one SQL expression of a spec with PostgreSQL's own grammar.

A CHECK, an SQL default, a generated column, an index predicate or an index
expression is parsed by pglast (PostgreSQL 15's parser, libpg_query), so a
reserved word, case folding and precedence mean here what they mean in the
server.  The walk (walk.py, infer.py) then resolves column references, infers the
result type, volatility, aggregates and subqueries; ``rules`` below holds each
kind of expression to what PostgreSQL requires of it.

Offsets in errors count characters of the expression as written, so a caller
adds them to the position of the YAML scalar.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from ..records import record
from .catalog import Volatility
from .parse import MAX_DEPTH, MAX_LENGTH, ExprError, Kind, lexical, literal_offsets, parse, precheck
from .pgtypes import TypeClass, assignable, base, display, type_class

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "Analysis", "ExprError", "Kind", "analyse"]

# How each kind is named in messages.
_WHAT = {
    "check": "a CHECK constraint",
    "default": "a DEFAULT",
    "generated": "a generated column",
    "index_where": "an index predicate",
    "index_expr": "an index expression",
}


@record
class Analysis:
    """What one spec expression reads, returns and may do, or why it is refused."""

    errors: tuple[ExprError, ...]
    columns: tuple[str, ...] = ()  # the columns read, exact names, in order of first use
    type: str | None = None  # PostgreSQL base type name (int4, text, ...), None if unknown
    volatility: Volatility = "immutable"
    unknown_functions: tuple[str, ...] = ()  # functions we cannot vouch for
    # (offset, type) of untyped values (a quoted literal, a NULL operand) whose
    # type PostgreSQL settles when the DDL runs: their text and the operator it
    # then picks are the server's to judge (validate --db), not ours.
    untyped: tuple[tuple[int, str | None], ...] = ()
    aggregate: bool = False
    window: bool = False
    subquery: bool = False
    bare: tuple[tuple[int, str], ...] = ()  # (offset, column) of unquoted column references
    parsed: bool = True  # False: refused before or by PostgreSQL's grammar

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def type_class(self) -> TypeClass:
        return "unknown" if self.type in (None, "unknown", "null") else type_class(self.type)


def analyse(
    sql: str,
    columns: Mapping[str, str],
    kind: Kind,
    *,
    target: str | None = None,
    table: str | None = None,
    generated: Collection[str] = (),
    extensions: Collection[str] = (),
    functions: Collection[str] = (),
) -> Analysis:
    """Analyse ``sql`` as an expression of ``kind`` on a table with ``columns``.

    ``columns`` maps each column's exact name to its type as the spec writes it
    (``integer``, ``varchar(50)``, ``text[]``, ``enum``); ``target`` is the type
    of the column a default or generated expression fills; ``table`` is the
    table's name (a reference may be qualified with it); ``generated`` names
    the table's generated columns (no generation expression may read them);
    ``extensions`` are the spec's (their functions, operators and types become
    known) and ``functions`` the names of the spec's own functions (resolved
    by the server, not here).
    """
    return _analyse(
        sql,
        tuple(columns.items()),
        kind,
        target,
        table,
        tuple(generated),
        frozenset(extensions),
        frozenset(functions),
    )


@cache  # specs repeat the same defaults (now(), gen_random_uuid()) in every table
def _analyse(
    sql: str,
    columns: tuple[tuple[str, str], ...],
    kind: Kind,
    target: str | None,
    table: str | None,
    generated: tuple[str, ...],
    extensions: frozenset[str],
    functions: frozenset[str],
) -> Analysis:
    from .infer import Walk

    problem = precheck(sql)
    if problem is not None:
        return Analysis((problem,), parsed=False)
    problem = lexical(sql)
    if problem is not None:
        return Analysis((problem,), parsed=False)
    types = dict(columns)
    parsed = parse(sql, kind, types)
    if isinstance(parsed, ExprError):
        return Analysis((parsed,), parsed=False)
    node, shift = parsed
    walk = Walk(sql, shift, types, table, extensions, functions)
    walk.constants = literal_offsets(sql, kind, node)
    typ = walk.run(node)
    analysis = Analysis(
        errors=tuple(walk.errors),
        columns=tuple(walk.columns),
        type=typ,
        volatility=walk.volatility,
        unknown_functions=tuple(walk.unknown_functions),
        untyped=tuple(walk.untyped),
        aggregate=walk.aggregate_at is not None,
        window=walk.window_at is not None,
        subquery=walk.subquery_at is not None,
        bare=tuple(walk.bare),
    )
    return _rules(analysis, walk, kind, target, generated, extensions)


def _rules(
    analysis: Analysis,
    walk: Any,
    kind: Kind,
    target: str | None,
    generated: tuple[str, ...],
    extensions: frozenset[str],
) -> Analysis:
    """What PostgreSQL requires of each kind of expression, as positioned errors."""
    errors = list(analysis.errors)
    what = _WHAT[kind]
    fix = "move it into a trigger, or compute it in the application"
    if walk.subquery_at is not None:
        errors.append(
            ExprError(
                "expr-subquery",
                f"a subquery is not allowed in {what}",
                "read other rows in a trigger, or use a foreign key",
                walk.subquery_at,
            )
        )
    for at, name in ((walk.aggregate_at, "an aggregate"), (walk.window_at, "a window function")):
        if at is not None:
            errors.append(
                ExprError(
                    "expr-aggregate", f"{name} is not allowed in {what}", fix, at[0], len(at[1])
                )
            )
    if walk.set_returning_at is not None:
        at, name = walk.set_returning_at
        errors.append(
            ExprError(
                "expr-set-returning",
                f"a set-returning function ({name}) is not allowed in {what}",
                "call a function that returns one value, or aggregate in the application",
                at,
                len(name),
            )
        )
    typ = analysis.type
    boolean = typ is None or typ in ("unknown", "null", "bool")
    if kind in ("check", "index_where") and not boolean and typ is not None:
        errors.append(
            ExprError(
                "expr-type",
                f"{what} must be a boolean expression, this one is of type {display(typ)}",
                "compare it with something, e.g. n > 0",
                0,
            )
        )
    if kind == "default" and walk.columns:
        col, at = walk.columns[0], walk.column_at[0]
        errors.append(
            ExprError(
                "expr-column",
                f'a DEFAULT cannot read a column ("{col}")',
                "use a generated column to compute a value from other columns",
                at,
                len(col),
            )
        )
    if kind == "generated":
        for col, at in zip(walk.columns, walk.column_at, strict=True):
            if col in generated:
                errors.append(
                    ExprError(
                        "expr-column",
                        f'a generated column cannot read another generated column ("{col}")',
                        "repeat that column's expression here instead",
                        at,
                        len(col),
                    )
                )
    uncollated = walk.uncollated_at
    if kind == "generated" and uncollated is not None:
        errors.append(
            ExprError(
                "expr-collation",
                f"could not determine which collation to use for {uncollated[1]}()",
                f"give the literal a type: {uncollated[1]}('...'::text)",
                uncollated[0],
                len(uncollated[1]),
            )
        )
    if kind in ("generated", "index_where", "index_expr") and analysis.volatility != "immutable":
        cause = walk.volatile_cause
        errors.append(
            ExprError(
                "expr-volatile",
                f"{what} must be immutable, but {cause[1]} is {analysis.volatility}",
                _volatile_hint(kind, cause[1]),
                cause[0],
            )
        )
    if kind in ("default", "generated") and target is not None:
        want = base(target)
        if assignable(typ, want, extensions) is False and typ is not None and want is not None:
            errors.append(
                ExprError(
                    "expr-type",
                    f"{what} of type {display(typ)} cannot fill a column of type {display(want)}",
                    f"write an expression of type {display(want)}, or change the column's type",
                    0,
                )
            )
    untyped = analysis.untyped
    if kind in ("default", "generated") and typ == "unknown" and target is not None:
        untyped += ((0, base(target)),)  # DEFAULT 'x' is read as the column's type
    if kind in ("check", "index_where") and typ == "unknown":
        untyped += ((0, "bool"),)  # CHECK ('x') is read as a boolean
    if kind == "index_expr" and typ in ("unknown", "null"):
        errors.append(
            ExprError(
                "expr-type",
                "an index expression must have a type; a quoted literal or NULL alone has none",
                "cast it, e.g. 'x'::text, or index a column",
                0,
            )
        )
    errors.sort(key=lambda e: (e.offset, e.code))
    return replace(analysis, errors=tuple(dict.fromkeys(errors)), untyped=untyped)


def _volatile_hint(kind: Kind, cause: str) -> str:
    if "time zone" in cause:
        return "use timestamp without time zone, or convert with AT TIME ZONE 'UTC'"
    if kind == "generated":
        return "use a DEFAULT for a value taken at insert time"
    return "index only immutable expressions; compare with now() in the query instead"
