"""GROUP BY: which expressions are grouped, and the columns that are not (parse_agg.c).

In a grouped query (GROUP BY, or an aggregate anywhere in the select list,
HAVING or ORDER BY) every column read outside an aggregate must be grouped:
the same expression as a GROUP BY item, a column of it, or a column of a table
whose primary key is grouped (PostgreSQL's functional dependency, primary
keys only).  Expressions are compared as PostgreSQL compares them once
analysed: column references by the column they resolve to, the rest by shape.
Whether a call is an aggregate is read from PostgreSQL's catalog (pg_proc's
prokind, for the spec's extensions); a function it does not hold (the spec's
own, or of an extension outside the data) might be an aggregate, so what is
under one is not judged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .catalog import View
from .scope import Col

Resolve = Callable[[Any], Col | None]  # a ColumnRef node -> the column it reads
Kind = Callable[[Any], str]  # a FuncCall node -> aggregate_kind's answer


def canon(node: Any, resolve: Resolve) -> Any:
    """A hashable form of an expression: equal when PostgreSQL would match them."""
    kind = type(node).__name__
    if kind == "ColumnRef":
        col = resolve(node)
        return ("col", col.source) if col is not None and col.source else ("ref", id(node))
    if isinstance(node, tuple):
        return tuple(canon(n, resolve) for n in node)
    slots = getattr(node, "__slots__", None)
    if slots is None:
        return node if isinstance(node, str | int | float | bool | type(None)) else str(node)
    return (kind, *(canon(getattr(node, s, None), resolve) for s in slots if s != "location"))


def aggregate_kind(node: Any, view: View, user: frozenset[str] = frozenset()) -> str:
    """ "aggregate", "window", "plain" or "unknown" (a function we cannot vouch for)."""
    if node.over is not None:
        return "window"
    names = [n.sval for n in node.funcname]
    if node.agg_star or node.agg_order or node.agg_within_group or node.agg_filter is not None:
        return "aggregate"
    builtin = len(names) == 1 or names[0] == "pg_catalog"
    if not builtin or names[-1] in user:
        return "unknown"
    kinds = {f.kind for f in view.functions(names[-1])}
    if kinds == {"a"}:
        return "aggregate"
    if kinds == {"f"} and not view.open_world:  # an unknown extension may add an aggregate
        return "plain"
    return "unknown"  # not in the catalog, or a name that is both (none in PostgreSQL 15)


def ungrouped(
    node: Any, grouped: set[Any], local: dict[int, tuple[str, ...]], resolve: Resolve, kind_of: Kind
) -> Iterator[tuple[Any, Col]]:
    """The column references of ``node`` that are neither grouped nor aggregated.

    ``local`` maps this level's FROM items to their primary keys (empty but
    for tables); a column of an outer query is a constant here."""
    if node is None:
        return
    if isinstance(node, tuple):
        for item in node:
            yield from ungrouped(item, grouped, local, resolve, kind_of)
        return
    if canon(node, resolve) in grouped:
        return
    kind = type(node).__name__
    if kind == "ColumnRef":
        col = resolve(node)
        if col is None or col.source is None or col.source[0] not in local:
            return  # an outer query's column, an unknown one, or a whole row: not judged
        uid = col.source[0]
        pk = local[uid]
        if pk and all(("col", (uid, k)) in grouped for k in pk):
            return  # the table's primary key is grouped: its columns depend on it
        yield node, col
        return
    if kind == "SubLink":
        return  # an outer reference inside a subquery: not judged here
    if kind == "FuncCall":
        which = kind_of(node)
        if which in ("aggregate", "unknown"):
            return
    for slot in getattr(node, "__slots__", ()):
        child = getattr(node, slot, None)
        if isinstance(child, tuple) or hasattr(child, "__slots__"):
            yield from ungrouped(child, grouped, local, resolve, kind_of)


def column_refs(node: Any) -> Iterator[Any]:
    """Every column reference in ``node`` (subqueries included)."""
    if isinstance(node, tuple):
        for item in node:
            yield from column_refs(item)
        return
    if type(node).__name__ == "ColumnRef":
        yield node
        return
    for slot in getattr(node, "__slots__", ()):
        child = getattr(node, slot, None)
        if isinstance(child, tuple) or hasattr(child, "__slots__"):
            yield from column_refs(child)
