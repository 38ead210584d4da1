"""A SELECT's FROM clause as scope items (parse_clause.c: transformFromClauseItem).

Tables and views of the spec (``public.`` is the default schema, as the
search_path the DDL runs under), WITH queries, subqueries (which need an
alias), VALUES, set-returning functions, and joins: ON conditions must be
boolean, USING and NATURAL merge their columns, and outer joins make the
other side's columns nullable.  A relation that is not the spec's, or a
function whose columns are not known, is an opaque item: any column of it
reads as unknown, so nothing about it is refused here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .pgtypes import comparable, display
from .scope import UNKNOWN_COLUMNS, Col, Item, Scope, counted

if TYPE_CHECKING:
    from .query import Analyser


def from_clause(a: Analyser, items: Any, parent: Scope | None) -> list[Item]:
    """The items of a FROM list, each able to see those before it when LATERAL."""
    done: list[Item] = []
    for node in items or ():
        new = from_item(a, node, parent, done)
        _no_duplicates(a, done, new, node)
        done += new
    return done


def _no_duplicates(a: Analyser, done: list[Item], new: list[Item], node: Any) -> None:
    taken = {(i.schema, i.refname) for i in done if i.rel_visible and i.refname}
    for item in new:
        if item.rel_visible and (item.schema, item.refname) in taken:
            a.error(
                "query-table",
                f'table name "{item.refname}" specified more than once',
                "give one of them an alias",
                a.at(node),
            )


def from_item(a: Analyser, node: Any, parent: Scope | None, left: list[Item]) -> list[Item]:
    kind = type(node).__name__
    if kind == "RangeVar":
        return [_relation(a, node)]
    if kind == "RangeSubselect":
        scope = Scope(left, parent) if node.lateral else (parent or Scope([]))
        cols = a.statement(node.subquery, scope)
        if node.alias is None:
            a.error(
                "query-table",
                "subquery in FROM must have an alias",
                "name it: (SELECT ...) AS s",
                _paren(a, node.subquery),
            )
            return [Item(None, [], rel_visible=False, cols_visible=False, opaque=True)]
        return [_aliased(a, cols, node.alias, node)]
    if kind == "RangeFunction":
        return [_function(a, node, Scope(left, parent))]
    if kind == "JoinExpr":
        return _join(a, node, parent, left)
    if kind == "RangeTableSample":  # t TABLESAMPLE ...: the table's own columns
        return from_item(a, node.relation, parent, left)
    alias = getattr(node, "alias", None)  # XMLTABLE...: named, columns not modelled
    return [Item(alias.aliasname if alias is not None else None, [], opaque=True)]


def _known(a: Analyser) -> str:
    names = sorted(n for schema, n in a.relations if schema is None)
    return "the spec's tables and views: " + ", ".join(names)


def _paren(a: Analyser, subquery: Any) -> int:
    start = a.at(subquery.targetList[0]) if getattr(subquery, "targetList", None) else 0
    return max(a.sql.rfind("(", 0, start), 0)


def _relation(a: Analyser, node: Any) -> Item:
    name, schema = node.relname, node.schemaname
    alias = node.alias.aliasname if node.alias is not None else None
    cte = a.cte(name) if schema is None else None
    if cte is not None:
        item = Item(name, [], opaque=not counted(cte))
        item.columns = [replace(c, source=(item.uid, c.name)) for c in cte if c != UNKNOWN_COLUMNS]
        return _renamed(a, item, node)
    relation = a.relations.get((None if schema == "public" else schema, name))
    if relation is None and a.closed and schema in (None, "public") and not name.startswith("pg_"):
        a.error("query-relation", f'relation "{name}" does not exist', _known(a), a.at(node))
    if relation is None:  # not the spec's: the view pass says so, or the server
        return Item(alias or name, [], schema=None if alias else schema, opaque=True)
    item = Item(name, [], schema=schema, pk=relation.pk, table=relation.table)
    item.columns = [replace(c, source=(item.uid, c.name)) for c in relation.columns]
    return _renamed(a, item, node)


def _renamed(a: Analyser, item: Item, node: Any) -> Item:
    if node.alias is None:
        return item
    cols = a.rename(item.columns, node.alias.colnames, node.alias.aliasname, node)
    item.hidden, item.refname, item.schema = item.refname, node.alias.aliasname, None
    item.columns = cols
    return item


def _aliased(a: Analyser, cols: list[Col], alias: Any, node: Any) -> Item:
    item = Item(alias.aliasname, [], opaque=not counted(cols))
    cols = [c for c in cols if c != UNKNOWN_COLUMNS]
    renamed = a.rename(cols, alias.colnames, alias.aliasname, node)
    item.columns = [replace(c, source=(item.uid, c.name)) for c in renamed]
    return item


# Set-returning functions whose one column's type follows from the arguments.
_SERIES = {"int4": "int4", "int8": "int8", "numeric": "numeric", "timestamp": "timestamp"}
_SERIES |= {"timestamptz": "timestamptz"}


def _function(a: Analyser, node: Any, scope: Scope) -> Item:
    from .qwalk import QueryWalk

    walk = QueryWalk(a, scope)
    calls = [f[0] for f in node.functions]
    types = [[walk.clause(arg)[0] for arg in getattr(call, "args", None) or ()] for call in calls]
    alias = node.alias
    if len(calls) != 1 or type(calls[0]).__name__ != "FuncCall" or node.functions[0][1]:
        return Item(alias.aliasname if alias else None, [], opaque=True)
    name = calls[0].funcname[-1].sval
    args = types[0]
    typ: str | None = None
    if name == "unnest" and len(args) == 1 and args[0] and args[0].endswith("[]"):
        typ = args[0][:-2]
    elif name == "generate_series" and len(args) in (2, 3) and args[0] in _SERIES:
        typ = _SERIES[args[0]] if args[0] == args[1] else None
    if typ is None:
        return Item(alias.aliasname if alias else name, [], opaque=True)
    refname = alias.aliasname if alias else name
    cols = [
        Col(
            refname if alias and not alias.colnames else name,
            typ,
            display(typ) if typ != "enum" else None,
        )
    ]
    if node.ordinality:
        cols.append(Col("ordinality", "int8", "bigint", nullable=False))
    item = Item(refname, [])
    renamed = a.rename(cols, alias.colnames if alias else (), refname, node)
    item.columns = [replace(c, source=(item.uid, c.name)) for c in renamed]
    return item


def _at(a: Analyser, join: Any) -> int:
    """A join has no position of its own: its right side's."""
    side = join.rarg
    while type(side).__name__ == "JoinExpr":
        side = side.larg
    return a.at(side)


def _row(items: list[Item]) -> list[Col]:
    """The columns a join sees of one side: its visible items' columns."""
    return [c for i in items if i.cols_visible for c in i.column_list()]


def _join(a: Analyser, node: Any, parent: Scope | None, before: list[Item]) -> list[Item]:
    from .qwalk import QueryWalk, boolean_problem

    left = from_item(a, node.larg, parent, before)
    right = from_item(a, node.rarg, parent, before + left)
    _no_duplicates(a, left, right, node.rarg)
    how = node.jointype.name
    if how in ("JOIN_LEFT", "JOIN_FULL"):
        for item in right:
            item.nullable = True
    if how in ("JOIN_RIGHT", "JOIN_FULL"):
        for item in left:
            item.nullable = True
    lrow, rrow = _row(left), _row(right)
    opaque = any(i.opaque for i in left + right)
    if node.isNatural:
        rnames = {c.name for c in rrow}
        using = [c.name for c in lrow if c.name in rnames]
    else:
        using = [s.sval for s in node.usingClause or ()]
    merged: list[Col] = []
    for name in using:
        lc = [c for c in lrow if c.name == name]
        rc = [c for c in rrow if c.name == name]
        for side, found in (("left", lc), ("right", rc)):
            if len(found) != 1 and not opaque:
                problem = "does not exist in" if not found else "appears more than once in"
                what = f'column "{name}" specified in USING clause {problem} {side} table'
                if found:
                    what = f'common column name "{name}" appears more than once in {side} table'
                a.error("query-column", what, "join on a column both sides have once", _at(a, node))
        if len(lc) != 1 or len(rc) != 1:
            merged.append(Col(name, None, None))
            continue
        lcol, rcol = lc[0], rc[0]
        if comparable(lcol.base, rcol.base, a.extensions) is False:
            assert lcol.base is not None and rcol.base is not None
            a.error(
                "query-type",
                f"JOIN/USING types {display(lcol.base)} and {display(rcol.base)} cannot be matched",
                "join on columns of one type, or join ON with a cast",
                _at(a, node),
            )
        same = lcol.base == rcol.base
        source = {"JOIN_RIGHT": rcol.source, "JOIN_FULL": None}.get(how, lcol.source)
        nullable = (
            (lcol.nullable and rcol.nullable)
            if how == "JOIN_FULL"
            else (rcol if how == "JOIN_RIGHT" else lcol).nullable
        )
        exact = lcol.exact if same and lcol.exact == rcol.exact and how != "JOIN_FULL" else None
        merged.append(Col(name, lcol.base if same else None, exact, nullable, source))
    if node.quals is not None:
        walk = QueryWalk(a, Scope(left + right, parent))
        typ, agg, win = walk.clause(node.quals)
        if how == "JOIN_INNER":
            a.filter_by(node.quals, walk.resolved)
        condition = boolean_problem(typ, "JOIN/ON", walk.conv)
        if condition:
            a.error(
                "query-type", condition, "join on a condition, e.g. a.id = b.a_id", a.at(node.quals)
            )
        for at, what in ((agg, "aggregate functions"), (win, "window functions")):
            if at is not None:
                a.error(
                    "query-group",
                    f"{what} are not allowed in JOIN conditions",
                    "",
                    at[0],
                    len(at[1]),
                )
    # each side's columns carry its nullability already (items marked above)
    rest = [c for c in lrow if c.name not in using] + [c for c in rrow if c.name not in using]
    join = Item(None, merged + rest, rel_visible=False, opaque=opaque)
    if node.alias is not None:
        join.refname, join.rel_visible = node.alias.aliasname, True
        join.columns = a.rename(join.columns, node.alias.colnames, node.alias.aliasname, node)
        return [join]
    if node.join_using_alias is not None:
        join.refname, join.rel_visible = node.join_using_alias.aliasname, True
    for item in left + right:
        item.cols_visible = False
    return [*left, *right, join]
