"""The exact type of a view's output column, as ``format_type()`` prints it.

A view's declared column types type the generated Python and TypeScript rows,
so they are compared with what the query returns, parameters included
(``character varying(10)`` is not ``character varying``).  The inferer's
types are coarser (``lower(varchar)`` is read as varchar; PostgreSQL returns
text), so only what is known for certain is given here; anything else is
None and no comparison is made.  Measured on PostgreSQL 15 (tests/test_pgsql_query.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .catalog import EXTENSIONS, load
from .pgtypes import base, display

Leaf = Callable[[Any], str | None]  # exact type of a column reference, subquery or call

_INTS = {"smallint": 0, "integer": 1, "bigint": 2}
_FLOATS = ("real", "double precision")
_SVF = {  # SQLValueFunction -> its type (CURRENT_USER is of type name, not text)
    "SVFOP_CURRENT_DATE": "date",
    "SVFOP_CURRENT_TIME": "time with time zone",
    "SVFOP_CURRENT_TIME_N": "time with time zone",
    "SVFOP_CURRENT_TIMESTAMP": "timestamp with time zone",
    "SVFOP_CURRENT_TIMESTAMP_N": "timestamp with time zone",
    "SVFOP_LOCALTIME": "time without time zone",
    "SVFOP_LOCALTIME_N": "time without time zone",
    "SVFOP_LOCALTIMESTAMP": "timestamp without time zone",
    "SVFOP_LOCALTIMESTAMP_N": "timestamp without time zone",
}
_PARAMS = ("character varying", "character", "numeric", "bit", "bit varying")


def plain(spelled: str | None) -> str | None:
    """The type without its parameters: ``numeric(10,2)`` -> ``numeric``."""
    if spelled is None:
        return None
    if "(" in spelled and spelled.split("(")[0] in _PARAMS:
        head, _, tail = spelled.partition("(")
        return head + tail.partition(")")[2]
    return spelled


def cast_type(type_name: Any) -> str | None:
    """``varchar(10)`` in a cast -> ``character varying(10)``; None if not a built-in type."""
    names = [n.sval for n in type_name.names]
    if names[0] not in ("pg_catalog", names[-1]) or type_name.setof:
        return None
    pg = base(names[-1])
    if pg is None or pg in ("enum", "citext"):
        return None
    spelled = display(pg)
    mods = [m.val.ival for m in type_name.typmods or () if hasattr(getattr(m, "val", None), "ival")]
    if type_name.typmods and len(mods) != len(type_name.typmods):
        return None
    if mods and spelled in _PARAMS:
        spelled += (
            "("
            + ",".join(str(m) for m in mods)
            + (",0" if len(mods) == 1 and pg == "numeric" else "")
            + ")"
        )
    elif mods:
        return None  # timestamp(3), interval fields: not modelled
    elif pg == "bpchar":
        spelled = "character(1)"  # char without a length is char(1)
    return spelled + "[]" * len(type_name.arrayBounds or ())


def exact(node: Any, leaf: Leaf) -> str | None:
    kind = type(node).__name__
    if kind in ("ColumnRef", "SubLink") and (
        kind == "ColumnRef" or node.subLinkType.name == "EXPR_SUBLINK"
    ):
        return leaf(node)
    if kind == "SubLink":
        return (
            "boolean"
            if node.subLinkType.name in ("EXISTS_SUBLINK", "ANY_SUBLINK", "ALL_SUBLINK")
            else None
        )
    if kind == "A_Const":
        if node.isnull:
            return "text"  # an untyped output column is resolved as text
        val = type(node.val).__name__
        if val == "Float":
            return "bigint" if node.val.fval.isdigit() else "numeric"
        return {"Integer": "integer", "Boolean": "boolean", "String": "text"}.get(val)
    if kind == "TypeCast":
        return cast_type(node.typeName)
    if kind in ("BoolExpr", "NullTest", "BooleanTest"):
        return "boolean"
    if kind == "SQLValueFunction":
        return _SVF.get(node.op.name)
    if kind in ("CoalesceExpr", "MinMaxExpr"):
        return _common([_branch(a, leaf) for a in node.args])
    if kind == "CaseExpr":
        results = [_branch(w.result, leaf) for w in node.args]
        results.append(_branch(node.defresult, leaf) if node.defresult is not None else "null")
        return _common(results)
    if kind == "A_Expr":
        return _operator(node, leaf)
    if kind == "FuncCall":
        return _call(node, leaf)
    if kind == "CollateClause":
        return exact(node.arg, leaf)
    return None


def _branch(node: Any, leaf: Leaf) -> str | None:
    """A branch of CASE or COALESCE; an untyped literal or NULL takes the others' type."""
    if type(node).__name__ == "A_Const" and (node.isnull or type(node.val).__name__ == "String"):
        return "null"
    return exact(node, leaf)


def _common(types: list[str | None]) -> str | None:
    """Same type and parameters in every branch: kept; same type: parameters dropped
    (an untyped branch is converted with no parameters)."""
    if None in types:
        return None
    typed = [t for t in types if t != "null"]
    if not typed:
        return "text"  # only untyped literals and NULLs: resolved as text
    if len(set(typed)) != 1:
        numbers = {plain(t) or "" for t in typed}
        if numbers <= {*_INTS, "numeric"}:  # coalesce(sum(n), 0): numeric, no parameters
            return "numeric" if "numeric" in numbers else max(numbers, key=_INTS.__getitem__)
        return None
    return typed[0] if len(typed) == len(types) else plain(typed[0])


def _operator(node: Any, leaf: Leaf) -> str | None:
    if node.kind.name != "AEXPR_OP":
        return "boolean" if node.kind.name not in ("AEXPR_NULLIF",) else None
    op = node.name[-1].sval
    if op in ("=", "<>", "!=", "<", ">", "<=", ">="):
        return "boolean"
    left = plain(exact(node.lexpr, leaf)) if node.lexpr is not None else None
    right = plain(exact(node.rexpr, leaf))
    if node.lexpr is None and op == "-":
        return right if right in (*_INTS, "numeric", *_FLOATS) else None
    if op not in "+-*/%" or left is None or right is None:
        return "text" if op == "||" and left == right == "text" else None
    if left in _INTS and right in _INTS:
        return max(left, right, key=_INTS.__getitem__)
    numbers = (*_INTS, "numeric")
    if left in numbers and right in numbers:
        return "numeric"
    if left in _FLOATS and right in _FLOATS:
        return "real" if left == right == "real" else "double precision"
    if {left, right} <= {*_INTS, *_FLOATS} and op != "%":
        return "double precision"  # an integer meets a float: float8 is the preferred type
    return None


def _call(node: Any, leaf: Leaf) -> str | None:
    names = [n.sval for n in node.funcname]
    if len(names) > 1 and names[0] != "pg_catalog":
        return None
    name = names[-1]
    if node.agg_star:
        return "bigint" if name == "count" else None
    args = [plain(exact(a, leaf)) for a in node.args or ()]
    first = args[0] if args else None
    if name in ("sum", "avg") and len(args) == 1 and first is not None:
        if first in _INTS:
            return "bigint" if name == "sum" and first != "bigint" else "numeric"
        if first in _FLOATS:
            return first if name == "sum" else "double precision"
        return first if first in ("numeric", "interval") else None
    if name in ("min", "max") and len(args) == 1 and first is not None:
        # min(varchar) is min(text); char has its own, printed without a length
        strings = {"character varying": "text", "character": "bpchar", "cidr": "inet"}
        return strings.get(first, first)
    if name == "array_agg" and len(args) == 1 and first is not None and not first.endswith("]"):
        return first + "[]"
    return leaf(node) or _one_result(name)  # as the walk resolved it, else by name


def _one_result(name: str) -> str | None:
    """The result type every function of that name returns, in PostgreSQL 15 and
    in every extension of the data (citext adds lower(citext) returning citext):
    certain whichever is called.  None for a polymorphic or pseudo-type result."""
    results = {f.result for f in load().functions(name)}
    if len(results) != 1:
        return None
    result = results.pop()
    info = load().view(frozenset(EXTENSIONS)).type(result)
    if info is None or info.typtype == "p":
        return None
    return display(result)
