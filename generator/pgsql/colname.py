"""The name PostgreSQL gives an unnamed select list item (parse_target.c: FigureColname).

``count(*)`` is ``count``, ``x::int`` is ``x``, ``'a'::text`` is ``text``,
``CASE ... ELSE x END`` is ``x``, an expression is ``?column?``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .scope import counted

if TYPE_CHECKING:
    from .qwalk import QueryWalk


_SVF_NAMES = {"SVFOP_USER": "current_user"}


def figure_colname(node: Any, walk: QueryWalk) -> tuple[str, int]:
    """PostgreSQL's name for an unnamed select list item, and how strong it is."""
    kind = type(node).__name__
    if kind == "ColumnRef" and type(node.fields[-1]).__name__ == "String":
        return node.fields[-1].sval, 2
    if kind == "A_Indirection":
        last = node.indirection[-1]
        return (last.sval, 2) if type(last).__name__ == "String" else figure_colname(node.arg, walk)
    if kind == "FuncCall":
        return node.funcname[-1].sval, 2
    if kind == "A_Expr" and node.kind.name == "AEXPR_NULLIF":
        return "nullif", 2
    if kind == "TypeCast":
        name, strength = figure_colname(node.arg, walk)
        return (name, strength) if strength > 1 else (node.typeName.names[-1].sval, 1)
    if kind == "CaseExpr":
        name, strength = (
            figure_colname(node.defresult, walk) if node.defresult is not None else ("", 0)
        )
        return (name, strength) if strength > 1 else ("case", 1)
    if kind == "CollateClause":
        return figure_colname(node.arg, walk)
    if kind == "SubLink":
        which = node.subLinkType.name
        if which in ("EXISTS_SUBLINK", "ARRAY_SUBLINK"):
            return which.split("_")[0].lower(), 2
        cols = walk.subqueries.get(id(node))
        if which == "EXPR_SUBLINK" and cols and counted(cols):
            return cols[0].name, 2
    if kind == "SQLValueFunction":
        op = node.op.name
        return _SVF_NAMES.get(op, op.removeprefix("SVFOP_").removesuffix("_N").lower()), 2
    simple = {"CoalesceExpr": "coalesce", "A_ArrayExpr": "array", "RowExpr": "row"}
    simple |= {"GroupingFunc": "grouping"}
    if kind in simple:
        return simple[kind], 2
    if kind == "MinMaxExpr":
        return ("greatest" if node.op.name == "IS_GREATEST" else "least"), 2
    return "?column?", 0
