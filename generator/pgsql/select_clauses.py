"""The clauses of one SELECT level that may name its select list: GROUP BY,
ORDER BY, DISTINCT and DISTINCT ON (parse_clause.c), and the grouping rule
checked over the select list and the later clauses (parse_agg.c).

An item of them may be a position (``GROUP BY 2``) or an output column's
name, found as findTargetlistEntrySQL92 finds it; otherwise it is an
expression of its own, analysed in the level's scope.  ``select.py`` calls
these after the select list is built; they are a module of their own so that
each reads in one sitting.  What is grouped and what is not is decided by
``grouping.py``; this module applies it to the level's clauses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .grouping import aggregate_kind, canon, ungrouped
from .qwalk import QueryWalk
from .scope import Col

if TYPE_CHECKING:
    from .query import Analyser
    from .select import Target


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
