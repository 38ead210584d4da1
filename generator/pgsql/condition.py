"""A table's condition whose subqueries read other relations: a row-level security policy.

expr.analyse types the condition over the table's own columns and stops at a
subquery; here the whole condition is walked again as a view query's WHERE is
(qwalk.QueryWalk), with the table as the outer FROM entry, so each subquery's
tables, columns, grouping and its fit to ``IN``/``ANY``/``ALL`` are checked
as PostgreSQL checks them, and a subquery may read the table's columns
(correlated).  Offsets count characters of the condition as written.
"""

from __future__ import annotations

from .parse import ExprError, statement_constants
from .query import Analyser, Relations
from .scope import Item, Scope

_PREFIX = "SELECT ("  # parse.parse's: the condition parses as it did there


def analyse_condition(
    sql: str,
    table: tuple[str | None, str],
    relations: Relations,
    extensions: frozenset[str] = frozenset(),
    functions: frozenset[str] = frozenset(),
    closed: bool = False,
) -> tuple[tuple[ExprError, ...], tuple[tuple[int, str | None], ...]]:
    """Errors and untyped literals (offset, type) of ``sql``, a condition over
    ``table`` (schema, name) of ``relations``; it has parsed as an expression.
    ``closed``: no relation but the ``relations`` and pg_catalog's can exist."""
    from dataclasses import replace

    from pglast import parse_sql

    from .qwalk import QueryWalk
    from .walk import TooDeep

    text = f"{_PREFIX}{sql}\n)"  # as parse.parse reads it; offsets shift by the prefix
    stmt = parse_sql(text)[0].stmt
    source = relations[table]
    own = Item(table[1], list(source.columns), schema=table[0], pk=source.pk, table=True)
    analyser = Analyser(text, relations, extensions, functions)
    analyser.constants = statement_constants(text, stmt)
    analyser.closed = closed
    try:
        QueryWalk(analyser, Scope([own])).clause(stmt.targetList[0].val)
    except TooDeep:
        return (), ()  # expr.analyse has said so
    shift = len(_PREFIX)
    errors = sorted(analyser.errors, key=lambda e: e.offset)
    moved = (replace(e, offset=max(e.offset - shift, 0)) for e in errors)
    untyped = ((max(at - shift, 0), typ) for at, typ in analyser.untyped)
    return tuple(dict.fromkeys(moved)), tuple(dict.fromkeys(untyped))
