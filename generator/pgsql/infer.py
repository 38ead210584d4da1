"""Typing the inner nodes of an expression: casts, operators, calls, CASE.

Each ``v_<Node>`` returns the PostgreSQL base type of its node (or None when
it cannot tell) and records errors and volatility on the walk (walk.py);
calls.py resolves functions and operators as the server does, over its
catalog.  The raw parse tree's sugar (IN, BETWEEN, LIKE, ANY, NULLIF, IS
DISTINCT FROM) is typed as the operators PostgreSQL turns it into.
"""

from __future__ import annotations

from typing import Any

from . import overload
from .calls import Calls, shown
from .pgtypes import LITERAL, NULL, base, display
from .typeconv import UNKNOWN

_LIKE = {"AEXPR_LIKE", "AEXPR_ILIKE", "AEXPR_SIMILAR"}


class Walk(Calls):
    uncollated_at: tuple[int, str] | None = None  # lower('x'): see expr._rules

    # -- operators --------------------------------------------------------------

    def v_TypeCast(self, node: Any, depth: int) -> str | None:
        names = [n.sval for n in node.typeName.names]
        target = None
        if names[0] in ("pg_catalog", names[-1]):
            target = base(names[-1]) or (names[-1] if self.conv.view.type(names[-1]) else None)
        if target is not None and node.typeName.arrayBounds:
            target += "[]"
        array = type(node.arg).__name__ == "A_ArrayExpr" and node.arg.elements
        if array and target is not None and target.endswith("[]"):
            return self._array_cast(node.arg, target, depth)
        refs = self.refs
        source = self.visit(node.arg, depth)
        constant = self.refs == refs  # PostgreSQL converts a constant when the DDL runs
        if source is None or target is None or not self.known(source, target):
            return target
        at = self.at(node)
        if source in UNKNOWN:
            if source == LITERAL:
                self.convert(node.arg, source, target, "")
            return target
        if not self.conv.coercible(source, target, "e"):
            self.error(
                "expr-type",
                f"cannot cast type {display(source)} to {display(target)}",
                "convert with a function (e.g. to_char, to_timestamp), or cast through text",
                at,
            )
            return target
        if constant and self.conv.category(source)[0] == "S" and target != source:
            self.untyped_at(at, target)  # '2020-01-01'::text::date: read when the DDL runs
        vol = self.conv.cast_volatility(source, target)
        if vol != "immutable":
            self.stable(vol, at, self.cast_cause(source, target))
        return target

    def _array_cast(self, node: Any, target: str, depth: int) -> str:
        """ARRAY[a, b]::t[]: each element is cast to t (transformArrayExpr)."""
        element = target[:-2]
        for item in node.elements:
            typ = self.visit(item, depth)
            if typ is None or typ == NULL or not self.known(typ, element):
                continue
            if typ == LITERAL:
                self.convert(item, typ, element, "")
            elif not self.conv.coercible(typ, element, "e"):
                self.error(
                    "expr-type",
                    f"cannot cast type {display(typ)} to {display(element)}",
                    "convert with a function, or cast through text",
                    self.at(item),
                )
            else:
                vol = self.conv.cast_volatility(typ, element)
                if vol != "immutable":
                    self.stable(vol, self.at(item), self.cast_cause(typ, element))
        return target

    def v_A_Expr(self, node: Any, depth: int) -> str | None:
        kind = node.kind.name
        op = node.name[-1].sval if node.name else ""
        left = self.visit(node.lexpr, depth)
        if kind in ("AEXPR_IN", "AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN"):
            items = list(node.rexpr)
            types = [self.visit(item, depth) for item in items]
            if kind == "AEXPR_IN":
                self._in(op, node, left, items, types)
            else:
                for item, typ, word in zip(items, types, (">=", "<="), strict=True):
                    self.operator(word, node, (node.lexpr, item), left, typ)
            return "bool"
        if kind in ("AEXPR_BETWEEN_SYM", "AEXPR_NOT_BETWEEN_SYM"):
            items = list(node.rexpr)
            types = [self.visit(item, depth) for item in items]
            for item, typ in zip(items, types, strict=True):
                self.operator(">=", node, (node.lexpr, item), left, typ)
                self.operator("<=", node, (node.lexpr, item), left, typ)
            return "bool"
        right = self.visit(node.rexpr, depth)
        if kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL"):
            return self._any(op, node, left, right, kind)
        if kind in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT", "AEXPR_NULLIF"):
            oper, result = self.operator("=", node, (node.lexpr, node.rexpr), left, right)
            if oper is not None and result != "bool":
                word = "NULLIF" if kind == "AEXPR_NULLIF" else "IS DISTINCT FROM"
                self.error("expr-type", f"{word} requires = operator to yield boolean", "", 0)
            if kind != "AEXPR_NULLIF":
                return "bool"
            return left if left not in UNKNOWN else (oper.args[0] if oper else None)
        if kind == "AEXPR_SIMILAR":
            op = "!~" if op == "!~" else "~"
        if kind in _LIKE or kind == "AEXPR_OP":
            return self.operator(op, node, (node.lexpr, node.rexpr), left, right)[1]
        return None

    def _any(self, op: str, node: Any, left: str | None, right: str | None, kind: str) -> str:
        """``x op ANY (array)``: the operator between x and the array's element."""
        if left is None or right is None or not self.known(left, right):
            return "bool"
        if right not in UNKNOWN and not right.endswith("[]"):
            word = "ANY" if kind == "AEXPR_OP_ANY" else "ALL"
            self.error(
                "expr-type",
                "op ANY/ALL (array) requires array on right side",
                f"write {word}(ARRAY[...]) or {word}('{{...}}')",
                self.at(node),
            )
            return "bool"
        element = right[:-2] if right not in UNKNOWN else LITERAL
        oper, result = self.operator(op, node, (node.lexpr, None), left, element)
        if oper is not None and result != "bool":
            self.error("expr-type", "op ANY/ALL (array) requires operator to yield boolean", "", 0)
        element_type = self.targets[-1] if self.targets else None
        if oper is not None and right in UNKNOWN and element_type and element_type.endswith("[]"):
            self.error(  # arrays of arrays have no type of their own
                "expr-type",
                f"could not find array type for data type {display(element_type)}",
                "compare with an array column, or write ARRAY[...]",
                self.at(node),
            )
            return "bool"
        if oper is not None and right == LITERAL and element_type is not None:
            self.untyped_at(self.at(node.rexpr), element_type + "[]")  # '{1,2}' as uuid[]
        return "bool"

    def _in(self, op: str, node: Any, left: str | None, items: list[Any], types: list[Any]) -> None:
        """transformAExprIn: constants that share a type with the left side are
        compared as one array; the rest, one '=' each."""
        refs = [self._reads_columns(item) for item in items]
        constants = [i for i, r in enumerate(refs) if not r]
        pending = list(range(len(items)))
        if len(constants) > 1 and left is not None and self.known(left, *types):
            group = [left, *(types[i] or "" for i in constants)]
            common, problem = self.conv.common(group)
            if problem is None and common is not None:
                oper, _ = self.operator(op, node, (node.lexpr, None), left, common)
                for i in constants:
                    self.convert(items[i], types[i], common, "")
                pending = [i for i in pending if i not in constants]
                if oper is None:
                    return
        for i in pending:
            self.operator(op, node, (node.lexpr, items[i]), left, types[i])

    def _reads_columns(self, node: Any) -> bool:
        text = type(node).__name__
        if text == "ColumnRef":
            return True
        for name in getattr(node, "__slots__", ()):
            child = getattr(node, name, None)
            children = child if isinstance(child, tuple) else (child,)
            if any(hasattr(c, "__slots__") and self._reads_columns(c) for c in children):
                return True
        return False

    def v_BoolExpr(self, node: Any, depth: int) -> str | None:
        word = node.boolop.name.replace("_EXPR", "")
        for arg in node.args:
            self._boolean(self.visit(arg, depth), arg, f"argument of {word}")
        return "bool"

    def _boolean(self, typ: str | None, node: Any, what: str) -> None:
        if typ == LITERAL:
            self.untyped_at(self.at(node), "bool")
        elif typ is not None and typ not in (NULL, "bool") and self.known(typ):
            self.error(
                "expr-type",
                f"{what} must be type boolean, not type {display(typ)}",
                "compare it with something, e.g. n > 0",
                self.at(node),
            )

    def v_NullTest(self, node: Any, depth: int) -> str | None:
        self.visit(node.arg, depth)
        return "bool"

    def v_BooleanTest(self, node: Any, depth: int) -> str | None:
        word = node.booltesttype.name.replace("IS_", "IS ").replace("_", " ")
        self._boolean(self.visit(node.arg, depth), node.arg, f"argument of {word}")
        return "bool"

    # -- calls ------------------------------------------------------------------

    def v_FuncCall(self, node: Any, depth: int) -> str | None:
        names = [n.sval for n in node.funcname]
        name = names[-1]
        at = self.at(node)
        items = list(node.args or ())
        args = [self.visit(a, depth) for a in items]
        self.visit(node.agg_filter, depth)
        self.visit(node.agg_order, depth)
        builtin = len(names) == 1 or names[0] == "pg_catalog"
        if node.over is not None:
            self.window_at = self.window_at or (at, name)
        named = any(type(a).__name__ == "NamedArgExpr" for a in items)
        if not builtin or named or node.func_variadic:
            if name not in self.unknown_functions:
                self.unknown_functions.append(name)
            return None
        func, result = self.function(name, node, items, args)
        # an aggregate with OVER is a window function (sum(x) OVER ()), not an aggregate
        if node.over is None and (node.agg_star or (func is not None and func.kind == "a")):
            self.aggregate_at = self.aggregate_at or (at, name)
        if func is not None and func.kind == "w":
            self.window_at = self.window_at or (at, name)
        if name in ("lower", "upper", "initcap") and args[:1] == [LITERAL]:
            self.uncollated_at = (at, name)  # a generated column has no collation to lend it
        return result

    def v_CoalesceExpr(self, node: Any, depth: int) -> str | None:
        items = list(node.args)
        return self.common("COALESCE", node, items, [self.visit(a, depth) for a in items])

    def v_MinMaxExpr(self, node: Any, depth: int) -> str | None:
        word = "GREATEST" if node.op.name == "IS_GREATEST" else "LEAST"
        items = list(node.args)
        result = self.common(word, node, items, [self.visit(a, depth) for a in items])
        if result is None or result in UNKNOWN:
            return result
        found = overload.operator(self.conv, "<", result, result)
        if isinstance(found, str) and not self.conv.view.open_world:
            self.error(
                "expr-type",
                f"could not identify a comparison function for type {display(result)}",
                f"{word} compares its arguments; cast them to a type that has '<'",
                self.at(node),
            )
            return None
        return result

    def v_CaseExpr(self, node: Any, depth: int) -> str | None:
        subject = self.visit(node.arg, depth)
        # The ELSE branch comes first: it is the first candidate for the
        # common type (transformCaseExpr), and PostgreSQL's messages follow it.
        results, nodes = [], []
        if node.defresult is not None:
            results.append(self.visit(node.defresult, depth))
            nodes.append(node.defresult)
        for when in node.args:
            cond = self.visit(when.expr, depth)
            if node.arg is None:
                self._boolean(cond, when, "argument of CASE/WHEN")
            else:
                self.operator("=", when, (node.arg, when.expr), subject, cond)
            results.append(self.visit(when.result, depth))
            nodes.append(when.result)
        return self.common("CASE", node, nodes, results)

    def v_A_ArrayExpr(self, node: Any, depth: int) -> str | None:
        items = list(node.elements or ())
        if not items:
            hint = "cast it to the type you mean, e.g. ARRAY[]::integer[]"
            self.error("expr-type", "cannot determine type of empty array", hint, self.at(node))
            return None
        element = self.common("ARRAY", node, items, [self.visit(e, depth) for e in items])
        if element is None:
            return None
        return element if element.endswith("[]") else f"{element}[]"

    def v_A_Indirection(self, node: Any, depth: int) -> str | None:
        typ = self.visit(node.arg, depth)
        for ind in node.indirection:
            if type(ind).__name__ != "A_Indices":
                return None  # (x).field: a composite's field, not modelled
            self.visit(ind.lidx, depth)
            self.visit(ind.uidx, depth)
            if typ is None or not self.known(typ):
                return None
            info = self.conv.view.type(typ)
            if typ in UNKNOWN or (info is not None and not info.subscript):
                self.error(
                    "expr-type",
                    f"cannot subscript type {shown([typ])} because it does not support subscripting",
                    "subscript an array or a jsonb value; cast the value first",
                    self.at(node),
                )
                return None
            if typ == "jsonb" and ind.is_slice:
                self.error(
                    "expr-type", "jsonb subscript does not support slices", "", self.at(node)
                )
                return None
            if typ.endswith("[]"):
                typ = typ if ind.is_slice else typ[:-2]
            elif typ != "jsonb":
                return None  # hstore, point...: their element types are not modelled
        return typ

    def v_CollateClause(self, node: Any, depth: int) -> str | None:
        return self.visit(node.arg, depth)


__all__ = ["Walk", "shown"]
