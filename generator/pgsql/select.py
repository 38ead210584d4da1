"""One SELECT level: FROM, WHERE, the select list, GROUP BY, HAVING, ORDER BY, DISTINCT.

The clauses are analysed in PostgreSQL's order (transformSelectStmt), each
with the rule the server applies to it; the output columns are named as
PostgreSQL names them (FigureColname) and typed by the inferer, with the
exact type where it is certain (exact.py).

This module holds the level's driver (FROM is ``fromitems.py``'s), WHERE and
HAVING, and the select list (``*`` expanded, each output column named and
typed); GROUP BY, ORDER BY, DISTINCT [ON] and the grouping rule, which may
name the select list's items, are in ``select_clauses.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .colname import figure_colname
from .exact import exact
from .fromitems import from_clause
from .pgtypes import display
from .qwalk import QueryWalk, boolean_problem
from .scope import UNKNOWN_COLUMNS, Col, Scope
from .select_clauses import _check_grouping, _distinct, _group_by, _order_item

if TYPE_CHECKING:
    from .query import Analyser


@dataclass(eq=False, repr=False)
class Target:
    """One item of a SELECT list: the column it makes and the expression it came from."""

    col: Col
    node: Any  # the expression; None for a column of a '*'
    at: int
    calls: tuple[tuple[int, str] | None, ...] = (None, None)  # first aggregate, window call


def select(a: Analyser, stmt: Any, parent: Scope | None) -> list[Col]:
    items = from_clause(a, stmt.fromClause, parent)
    scope = Scope(items, parent)
    walk = QueryWalk(a, scope)
    if stmt.whereClause is not None:
        _condition(a, walk, stmt.whereClause, "WHERE")
        a.filter_by(stmt.whereClause, walk.resolved)
    aggregated = False
    targets: list[Target] = []
    for res in stmt.targetList or ():
        star = _star(a, scope, res.val)
        if star is not None:
            targets += [Target(c, None, a.at(res)) for c in star]
            continue
        typ, agg, win = walk.clause(res.val)
        aggregated = aggregated or agg is not None
        name = res.name or figure_colname(res.val, walk)[0]
        base = "text" if typ in ("unknown", "null") else typ  # an untyped output is text
        col = Col(name, base, _exact(res.val, walk), _nullable(res.val, walk))
        targets.append(Target(col, res.val, a.at(res), (agg, win)))
    grouped = _group_by(a, walk, stmt, targets)
    if stmt.havingClause is not None:
        aggregated = _condition(a, walk, stmt.havingClause, "HAVING") or aggregated
    for window in stmt.windowClause or ():
        walk.window(window, 0)
    order = [_order_item(a, walk, sb.node, targets) for sb in stmt.sortClause or ()]
    aggregated = aggregated or any(agg for _, agg in order)
    _distinct(a, walk, stmt, targets, [key for key, _ in order])
    for limit in (stmt.limitCount, stmt.limitOffset):
        if limit is not None:
            walk.clause(limit)
    if grouped is not None and (stmt.groupClause or aggregated):
        later = [
            stmt.havingClause,
            *(
                sb.node
                for sb, (k, _) in zip(stmt.sortClause or (), order, strict=True)
                if k is None
            ),
        ]
        _check_grouping(a, walk, targets, later, grouped)
    if id(stmt) == a.top_id:
        a.top = [(t.col, t.at, 0) for t in targets]
    return [t.col for t in targets]


def _condition(a: Analyser, walk: QueryWalk, node: Any, clause: str) -> bool:
    """WHERE or HAVING: boolean; no aggregate in WHERE, no window function in either."""
    typ, agg, win = walk.clause(node)
    problem = boolean_problem(typ, clause, walk.conv)
    if problem:
        a.error("query-type", problem, "write a condition, e.g. a.n > 0", a.at(node))
    if agg is not None and clause == "WHERE":
        a.error(
            "query-group",
            "aggregate functions are not allowed in WHERE",
            "filter on an aggregate in HAVING",
            agg[0],
            len(agg[1]),
        )
    if win is not None:
        a.error(
            "query-group",
            f"window functions are not allowed in {clause}",
            "filter in an outer query",
            win[0],
            len(win[1]),
        )
    return agg is not None


def _star(a: Analyser, scope: Scope, node: Any) -> list[Col] | None:
    if type(node).__name__ != "ColumnRef" or type(node.fields[-1]).__name__ != "A_Star":
        return None
    names = [f.sval for f in node.fields[:-1]]
    if not names:
        visible = [i for i in scope.items if i.cols_visible]
        if not visible:
            a.error(
                "query-column", "SELECT * with no tables specified is not valid", "", a.at(node)
            )
        if any(i.opaque for i in visible):
            return [UNKNOWN_COLUMNS]
        return [c for i in visible for c in i.column_list()]
    rel, schema = names[-1], names[-2] if len(names) > 1 else None
    for item in scope.items:
        if item.rel_visible and item.refname == rel and (schema is None or item.schema == schema):
            return item.column_list() if not item.opaque else [UNKNOWN_COLUMNS]
    a.error("query-column", *scope._missing(rel), a.at(node), len(rel))
    return []


def _leaf(walk: QueryWalk) -> Any:
    def leaf(node: Any) -> str | None:
        if type(node).__name__ == "ColumnRef":
            col = walk.resolved.get(id(node))
            return col.exact if col is not None else None
        if type(node).__name__ == "FuncCall":
            return _call_type(walk.calls.get(id(node)))
        cols = walk.subqueries.get(id(node))
        return cols[0].exact if cols and len(cols) == 1 else None

    return leaf


def _call_type(typ: str | None) -> str | None:
    """A function's result as format_type() prints it (no parameters: a function's
    result has none); None where display() is not that spelling."""
    if typ is None or typ in ("unknown", "null", "enum") or typ.removesuffix("[]") in _RAW:
        return None
    return display(typ)


_RAW = {"bpchar", "bit", "char"}  # format_type prints bpchar, bit, "char" without a length


def _exact(node: Any, walk: QueryWalk) -> str | None:
    if walk.user_functions and _calls(node, walk.user_functions):
        return None  # the spec's own function may overload a built-in one: not certain
    return exact(node, _leaf(walk))


def _calls(node: Any, names: frozenset[str]) -> bool:
    """Does ``node`` call one of ``names`` (outside its subqueries)?"""
    if isinstance(node, tuple):
        return any(_calls(n, names) for n in node)
    kind = type(node).__name__
    if kind == "SubLink":
        return False  # a subquery's exact type is its own column's (the leaf)
    if kind == "FuncCall" and node.funcname[-1].sval in names:
        return True
    children = (getattr(node, s, None) for s in getattr(node, "__slots__", ()))
    return any(
        _calls(c, names) for c in children if isinstance(c, tuple) or hasattr(c, "__slots__")
    )


def _nullable(node: Any, walk: QueryWalk) -> bool:
    """May the value be NULL for certain?  A nullable column read as is (and not
    tested by a WHERE or an inner join's condition), or NULL itself."""
    kind = type(node).__name__
    if kind == "ColumnRef":
        col = walk.resolved.get(id(node))
        return col is not None and col.nullable and col.source not in walk.analyser.filtered
    return kind == "A_Const" and bool(node.isnull)
