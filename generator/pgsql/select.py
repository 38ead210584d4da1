"""One SELECT level: FROM, WHERE, the select list, GROUP BY, HAVING, ORDER BY, DISTINCT.

The clauses are analysed in PostgreSQL's order (transformSelectStmt), each
with the rule the server applies to it; the output columns are named as
PostgreSQL names them (FigureColname) and typed by the inferer, with the
exact type where it is certain (exact.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .colname import figure_colname
from .exact import exact
from .fromitems import from_clause
from .grouping import aggregate_kind, canon, ungrouped
from .pgtypes import display
from .qwalk import QueryWalk, boolean_problem
from .scope import UNKNOWN_COLUMNS, Col, Scope

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


def _position(a: Analyser, node: Any, targets: list[Target], clause: str) -> Target | None:
    """The select list item ``GROUP BY 2`` or ``ORDER BY 2`` names; another constant
    there is an error (it would name nothing)."""
    after = targets[-1].at if targets else 0
    if type(node).__name__ == "A_Const" and type(node.val).__name__ != "Integer":
        a.error(
            "query-shape",
            f"non-integer constant in {clause}",
            "name a column, or give its position in the select list",
            _constant_at(a, after),
        )
        return None
    if type(node).__name__ == "A_Const":
        n = node.val.ival
        if not 1 <= n <= len(targets):
            a.error(
                "query-shape",
                f"{clause} position {n} is not in select list",
                f"the select list has {len(targets)} columns",
                _number_at(a, n, targets[-1].at if targets else 0),
                len(str(n)),
            )
            return None
        target: Target = targets[n - 1]
        return target
    return None


def _constant_at(a: Analyser, after: int) -> int:
    """Where the first constant after ``after`` is written (pglast keeps no position)."""
    from pglast import parser

    kinds = ("FCONST", "SCONST", "TRUE_P", "FALSE_P", "NULL_P", "ICONST")
    for token in parser.scan(a.sql):
        if token.start > after and token.name in kinds:
            return int(token.start)
    return 0


def _number_at(a: Analyser, n: int, after: int) -> int:
    """Where the integer ``n`` is written after ``after`` (pglast keeps no position for it)."""
    from pglast import parser

    for token in parser.scan(a.sql):
        if (
            token.start > after
            and token.name == "ICONST"
            and a.sql[token.start : token.end + 1] == str(n)
        ):
            return int(token.start)
    return 0


def _output_name(a: Analyser, node: Any, targets: list[Target]) -> Target | None:
    if type(node).__name__ != "ColumnRef" or len(node.fields) != 1:
        return None
    field = node.fields[0]
    named = [t for t in targets if type(field).__name__ == "String" and t.col.name == field.sval]
    return named[0] if len(named) == 1 else None


def _no_calls_in_group_by(
    a: Analyser, aggregate: tuple[int, str] | None, window: tuple[int, str] | None
) -> None:
    for at, what in ((aggregate, "aggregate functions"), (window, "window functions")):
        if at is not None:
            a.error(
                "query-group",
                f"{what} are not allowed in GROUP BY",
                "group by columns",
                at[0],
                len(at[1]),
            )


def _key(target: Target, walk: QueryWalk) -> Any:
    if target.node is None:
        return ("col", target.col.source)
    return canon(target.node, _resolver(walk))


def _resolver(walk: QueryWalk) -> Any:
    return lambda node: walk.resolved.get(id(node))


def _group_by(a: Analyser, walk: QueryWalk, stmt: Any, targets: list[Target]) -> set[Any] | None:
    """The grouped expressions' keys; None when GROUP BY itself is wrong (then the
    grouping of the rest is not judged: PostgreSQL stops at the first)."""
    before = len(a.errors)
    grouped: set[Any] = set()
    for node in _flatten(stmt.groupClause or ()):
        target = _position(a, node, targets, "GROUP BY")
        if target is None and type(node).__name__ == "ColumnRef" and len(node.fields) == 1:
            name = node.fields[0].sval if type(node.fields[0]).__name__ == "String" else ""
            if walk.scope.unqualified(name, False)[1] is not None:  # not an input column:
                target = _output_name(a, node, targets)  # an output column's name (SQL92)
        if target is not None:  # GROUP BY 2, where the second item may be count(*)
            _no_calls_in_group_by(a, target.calls[0], target.calls[1])
            grouped.add(_key(target, walk))
            continue
        if type(node).__name__ == "A_Const":
            continue  # a position out of range, or another constant: reported
        _, agg, win = walk.clause(node)
        _no_calls_in_group_by(a, agg, win)
        grouped.add(canon(node, _resolver(walk)))
    return grouped if len(a.errors) == before else None


def _flatten(nodes: Any) -> list[Any]:
    out: list[Any] = []
    for node in nodes:
        if type(node).__name__ == "GroupingSet":
            out += _flatten(node.content or ())
        else:
            out.append(node)
    return out


def _order_item(a: Analyser, walk: QueryWalk, node: Any, targets: list[Target]) -> tuple[Any, bool]:
    """(the sort key when it names an output column, else None; has an aggregate)."""
    target = _position(a, node, targets, "ORDER BY") or _output_name(a, node, targets)
    if target is not None:
        return _key(target, walk), False
    if type(node).__name__ == "A_Const":
        return ("bad",), False  # reported
    _, agg, _ = walk.clause(node)
    return None, agg is not None


def _distinct(
    a: Analyser, walk: QueryWalk, stmt: Any, targets: list[Target], order: list[Any]
) -> None:
    clause = stmt.distinctClause
    if not clause:
        return
    keys = {_key(t, walk) for t in targets}
    sorts = [
        k if k is not None else canon(sb.node, _resolver(walk))
        for k, sb in zip(order, stmt.sortClause or (), strict=True)
    ]
    if clause == (None,):
        for key, sb in zip(sorts, stmt.sortClause or (), strict=True):
            if key not in keys and key != ("bad",):
                a.error(
                    "query-shape",
                    "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                    "add the expression to the select list, or order by a selected column",
                    a.at(sb.node),
                )
        return
    on = []
    for node in clause:
        target = _position(a, node, targets, "SELECT DISTINCT ON") or _output_name(a, node, targets)
        if target is not None:
            on.append(_key(target, walk))
        else:
            walk.clause(node)
            on.append(canon(node, _resolver(walk)))
    seen: set[Any] = set()
    for key in sorts:
        if set(on) <= seen:
            break
        if key not in on:
            a.error(
                "query-shape",
                "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                "begin ORDER BY with the DISTINCT ON expressions",
                a.at(clause[0]),
            )
            return
        seen.add(key)


def _check_grouping(
    a: Analyser, walk: QueryWalk, targets: list[Target], later: list[Any], grouped: set[Any]
) -> None:
    local = {i.uid: i.pk for i in walk.scope.items}
    names = {i.uid: i.refname for i in walk.scope.items}
    resolve = _resolver(walk)
    view, user = a.conv.view, a.functions

    def kind(node: Any) -> str:
        return aggregate_kind(node, view, user)

    found: list[tuple[int, Col]] = []
    for t in targets:
        if t.node is None:
            src = t.col.source
            if src is not None and src[0] in local and ("col", src) not in grouped:
                pk = local[src[0]]
                if not (pk and all(("col", (src[0], k)) in grouped for k in pk)):
                    found.append((t.at, t.col))
            continue
        found += [(a.at(n), c) for n, c in ungrouped(t.node, grouped, local, resolve, kind)]
    for node in later:
        found += [(a.at(n), c) for n, c in ungrouped(node, grouped, local, resolve, kind)]
    for at, col in found:
        owner = names.get(col.source[0]) if col.source else None
        label = f"{owner}.{col.name}" if owner else col.name
        a.error(
            "query-group",
            f'column "{label}" must appear in the GROUP BY clause or be used in an aggregate function',
            f"add {label} to GROUP BY, or aggregate it (e.g. max({label}))",
            at,
            len(label),
        )
