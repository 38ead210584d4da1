"""Typing the inner nodes of an expression: casts, operators, calls, CASE.

Each ``v_<Node>`` returns the PostgreSQL base type of its node (or None when
it cannot tell) and records errors and volatility on the walk (walk.py).
"""

from __future__ import annotations

from typing import Any

from .functions import FUNCTIONS, NUMERIC_RESULT, SAME, SECOND, volatility_of
from .operators import (
    ARITH,
    ARITH_RESULTS,
    BOOL_OPS,
    COMPARE,
    INTEGERS,
    KNOWN,
    NUMERIC_ORDER,
    SETTING_OUT,
    cast_cause,
)
from .pgtypes import LITERAL, NULL, OPAQUE, base, castable, comparable, display, type_class
from .walk import Walker


class Walk(Walker):
    uncollated_at: tuple[int, str] | None = None  # lower('x'): see expr._rules

    # -- operators --------------------------------------------------------------

    def v_TypeCast(self, node: Any, depth: int) -> str | None:
        refs = self.refs
        source = self.visit(node.arg, depth)
        constant = self.refs == refs  # PostgreSQL converts a constant when the DDL runs
        names = [n.sval for n in node.typeName.names]
        target = base(names[-1]) if names[0] in ("pg_catalog", names[-1]) else None
        if target is not None and node.typeName.arrayBounds:
            target += "[]"
        if castable(source, target) is False:
            assert source is not None and target is not None
            self.error(
                "expr-type",
                f"cannot cast type {display(source)} to {display(target)}",
                "convert with a function (e.g. to_char, to_timestamp), or cast through text",
                self.at(node),
            )
        text_in = source == LITERAL or (constant and type_class(source) == "text")
        if text_in and type_class(target) not in ("text", "unknown"):
            self.untyped_at(self.at(node), target)
        cause = cast_cause(source, target)
        if cause is not None:
            self.stable("stable", self.at(node), cause)
        return target

    def v_A_Expr(self, node: Any, depth: int) -> str | None:
        kind = node.kind.name
        op = node.name[-1].sval if node.name else ""
        left = self.visit(node.lexpr, depth)
        right = self.visit(node.rexpr, depth) if not isinstance(node.rexpr, tuple) else None
        if isinstance(node.rexpr, tuple):
            for item in node.rexpr:
                self._compare(left, self.visit(item, depth), op or "=", node, (node.lexpr, item))
        if kind in ("AEXPR_LIKE", "AEXPR_ILIKE", "AEXPR_SIMILAR"):
            if left is not None and type_class(left) not in ("text", "unknown"):
                self.error(
                    "expr-type",
                    f"operator does not exist: {display(left)} {op} unknown",
                    "LIKE compares text; cast the column: col::text LIKE '...'",
                    self.at(node),
                )
            return "bool"
        if kind in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT"):
            self._compare(left, right, "IS DISTINCT FROM", node)
            return "bool"
        if kind == "AEXPR_NULLIF":
            return left
        quantified = kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL") and right == LITERAL
        if quantified and left is not None and type_class(left) not in ("text", "unknown", "array"):
            self.untyped_at(self.at(node), f"{left}[]")  # x = ANY('{...}')
        if kind != "AEXPR_OP":
            return "bool"  # IN, BETWEEN, ANY/ALL
        if op in COMPARE:
            self._compare(left, right, op, node, (node.lexpr, node.rexpr))
            return "bool"
        if op in BOOL_OPS:
            self._bool_operand(left, op, node)
            return "bool"
        if op in ("->", "->>", "#>", "#>>"):
            if left is not None and type_class(left) not in ("json", "unknown"):
                self.error(
                    "expr-type",
                    f"operator does not exist: {display(left)} {op} unknown",
                    f"'{op}' reads a json or jsonb value; mind precedence: write (doc {op} 'a')",
                    self.at(node),
                    len(op),
                )
                return None
            return "text" if op.endswith(">>") else left
        if op == "||":
            return self._concat(left, right, node)
        if op in ARITH:
            return self._arith(left, right, op, node)
        return None

    def _compare(
        self, left: str | None, right: str | None, op: str, node: Any, sides: Any = (None, None)
    ) -> None:
        if left == right == LITERAL:  # 'a' = 'b': both text, and which collation?
            self.untyped_at(self.at(node), "text")
        for one, other, side in ((left, right, sides[0]), (right, left, sides[1])):
            if one == LITERAL and type_class(other) not in ("text", "unknown"):
                where = getattr(side, "location", None)  # the literal itself, when known
                self.untyped_at(self.at(side) if where is not None else self.at(node), other)
        if comparable(left, right) is False:
            assert left is not None and right is not None
            self.error(
                "expr-type",
                f"operator does not exist: {display(left)} {op} {display(right)}",
                "compare values of the same type, or cast one side",
                self.at(node),
                len(op),
            )
        elif {left, right} == {"timestamptz", "date"} or {left, right} == {
            "timestamptz",
            "timestamp",
        }:
            self.stable("stable", self.at(node), "comparing timestamptz with a zoneless value")

    def _concat(self, left: str | None, right: str | None, node: Any) -> str | None:
        if NULL in (left, right):  # x || NULL: PostgreSQL picks by the other side
            other = left if right == NULL else right
            if type_class(other) in ("array", "json"):
                self.untyped_at(self.at(node), other)
                return None
            return "text"
        classes = {type_class(left), type_class(right)}
        if "array" in classes:
            array = left if type_class(left) == "array" else right
            other = right if array == left else left
            assert array is not None
            element = other[:-2] if other and other.endswith("[]") else other
            if element not in (None, LITERAL) and comparable(array[:-2], element) is False:
                self.error(
                    "expr-type",
                    f"operator does not exist: {display(left or '')} || {display(right or '')}",
                    "append an element of the array's type, or cast it",
                    self.at(node),
                    2,
                )
                return None
            return array
        if left == right and left in ("jsonb", "bytea"):
            return left
        texty = [t for t in (left, right) if t == LITERAL or type_class(t) == "text"]
        if texty:
            others = [t for t in (left, right) if t not in texty and t not in (None, NULL)]
            # text || x converts x with its output function, which for dates, times,
            # intervals, enums and arrays reads a setting (DateStyle...): stable.
            kind = type_class(others[0]) if others else ""
            if others and (others[0] in SETTING_OUT or kind in ("enum", "array")):
                cause = f"'||' on a {display(others[0] or '')} (its text form reads settings)"
                self.stable("stable", self.at(node), cause)
            return "text"
        if classes <= KNOWN | {"enum"} and NULL not in (left, right):
            self.error(
                "expr-type",
                f"operator does not exist: {display(left or '')} || {display(right or '')}",
                "cast one side to text: a::text || b",
                self.at(node),
                2,
            )
        return None

    def _arith(self, left: str | None, right: str | None, op: str, node: Any) -> str | None:
        if left is None and node.lexpr is None:  # prefix minus
            return right
        if LITERAL in (left, right):
            self.untyped_at(self.at(node), left if right == LITERAL else right)
            return None
        if NULL in (left, right):  # NULL takes a type from the operator PostgreSQL picks
            other = left if right == NULL else right
            if type_class(other) == "numeric":
                return other
            self.untyped_at(self.at(node), other)
            return None
        lc, rc = type_class(left), type_class(right)
        mixed = "timestamptz" in (left, right) and left != right
        if mixed and {lc, rc} <= {"timestamp", "date"}:  # the zoneless side reads TimeZone
            cause = f"{display(left or '')} {op} {display(right or '')} (it reads the time zone)"
            self.stable("stable", self.at(node), cause)
        if {lc, rc} == {"numeric"}:
            assert left is not None and right is not None
            return max(left, right, key=NUMERIC_ORDER.index)
        if left in INTEGERS and rc == "date" and op == "+":
            lc, rc, left, right = rc, lc, right, left  # 7 + day is day + 7
        key = (lc, rc, op)
        if key in ARITH_RESULTS:
            if (lc, rc) == ("date", "numeric") and right not in INTEGERS:
                pass  # date + 2.5: only integers
            elif lc == "json" and left != "jsonb":
                pass  # only jsonb deletes keys with '-'
            else:
                if left == "timestamptz" and rc == "interval":  # a day's length follows DST
                    cause = "timestamptz + interval (it reads the time zone)"
                    self.stable("stable", self.at(node), cause)
                result = ARITH_RESULTS[key]
                return left if result == SAME else right if result == "=2" else result
        # arrays and enums have no arithmetic at all
        arrays = bool({"array", "enum"} & {lc, rc}) and "unknown" not in (lc, rc)
        if (arrays or lc in KNOWN and rc in KNOWN) and NULL not in (left, right):
            self.error(
                "expr-type",
                f"operator does not exist: {display(left or '')} {op} {display(right or '')}",
                "compute with values of matching types, or cast one side",
                self.at(node),
                len(op),
            )
        return None

    def v_BoolExpr(self, node: Any, depth: int) -> str | None:
        word = node.boolop.name.replace("_EXPR", "")
        for arg in node.args:
            typ = self.visit(arg, depth)
            if typ == LITERAL:
                self.untyped_at(self.at(arg), "bool")
            if typ is not None and type_class(typ) not in ("boolean", "unknown"):
                self.error(
                    "expr-type",
                    f"argument of {word} must be type boolean, not type {display(typ)}",
                    "compare it with something, e.g. n > 0",
                    self.at(arg),
                )
        return "bool"

    def v_NullTest(self, node: Any, depth: int) -> str | None:
        self.visit(node.arg, depth)
        return "bool"

    def v_BooleanTest(self, node: Any, depth: int) -> str | None:
        self.visit(node.arg, depth)
        return "bool"

    # -- calls ------------------------------------------------------------------

    def v_FuncCall(self, node: Any, depth: int) -> str | None:
        names = [n.sval for n in node.funcname]
        name = names[-1]
        at = self.at(node)
        args = [self.visit(a, depth) for a in node.args or ()]
        self.visit(node.agg_filter, depth)
        builtin = len(names) == 1 or names[0] == "pg_catalog"
        info = FUNCTIONS.get(name) if builtin else None
        if node.over is not None:
            self.window_at = self.window_at or (at, name)
        elif node.agg_star or (info is not None and info.kind == "aggregate"):
            self.aggregate_at = self.aggregate_at or (at, name)
        if name == "timezone" and builtin and len(args) == 2:  # x AT TIME ZONE 'UTC'
            return {"timestamptz": "timestamp", "timestamp": "timestamptz"}.get(args[1] or "")
        if info is None:
            if name not in self.unknown_functions:
                self.unknown_functions.append(name)
            return None
        self.stable(volatility_of(name, args), at, f"{name}()")
        self._argument(name, args[0] if args else None, at)
        if name in ("lower", "upper", "initcap") and args[:1] == [LITERAL]:
            self.uncollated_at = (at, name)  # a generated column has no collation to lend it
        if info.result in (SAME, SECOND):
            which = 0 if info.result == SAME else 1
            arg = args[which] if len(args) > which else None
            return "text" if arg == LITERAL else arg
        if info.result == NUMERIC_RESULT:
            first = args[0] if args else None
            if first is None or type_class(first) != "numeric":
                return None
            return "float8" if first in ("float4", "float8") else "numeric"
        return info.result

    def _bool_operand(self, left: str | None, op: str, node: Any) -> None:
        """The left operand of ~, @>, ?, &&, @@ has a class that has the operator."""
        wanted = _OPERAND.get(op)
        cls = type_class(left)
        if wanted is None or cls == "unknown" or left is None:
            return
        if cls in wanted and not (op in _JSONB_ONLY and left == "json"):
            return
        self.error(
            "expr-type",
            f"operator does not exist: {display(left)} {op} unknown",
            f"'{op}' applies to {' or '.join(sorted(wanted))} values; cast the operand",
            self.at(node),
            len(op),
        )

    def _argument(self, name: str, first: str | None, at: int) -> None:
        """The first argument of a common function has a type it takes."""
        wanted = _ARGUMENT.get(name)
        cls = type_class(first)
        # A range or text search value is none of the classes these functions take
        # (lower(tsvector) does not exist); other unknown types are left to the server.
        if wanted is None or first is None or (cls == "unknown" and first not in OPAQUE):
            return
        if cls in wanted and not (name.startswith("jsonb_") and first == "json"):
            return
        self.error(
            "expr-type",
            f"function {name}({display(first)}) does not exist",
            f"{name}() takes {' or '.join(sorted(wanted))}; cast the argument, e.g. {name}(x::text)"
            if "text" in wanted
            else f"{name}() takes {' or '.join(sorted(wanted))}",
            at,
            len(name),
        )

    def v_CoalesceExpr(self, node: Any, depth: int) -> str | None:
        return self._common([self.visit(a, depth) for a in node.args], "COALESCE", node)

    def v_MinMaxExpr(self, node: Any, depth: int) -> str | None:
        word = "GREATEST" if node.op.name == "IS_GREATEST" else "LEAST"
        return self._common([self.visit(a, depth) for a in node.args], word, node)

    def v_CaseExpr(self, node: Any, depth: int) -> str | None:
        subject = self.visit(node.arg, depth)
        results = []
        for when in node.args:
            cond = self.visit(when.expr, depth)
            if cond == LITERAL:
                self.untyped_at(self.at(when), "bool" if subject is None else subject)
            if (
                subject is None
                and cond is not None
                and type_class(cond) not in ("boolean", "unknown")
            ):
                self.error(
                    "expr-type",
                    f"argument of CASE/WHEN must be type boolean, not type {display(cond)}",
                    "write a condition, e.g. WHEN n > 0",
                    self.at(when),
                )
            results.append(self.visit(when.result, depth))
        results.append(self.visit(node.defresult, depth))
        return self._common(results, "CASE", node)

    def _common(self, types: list[str | None], word: str, node: Any) -> str | None:
        known = [t for t in types if t not in (None, LITERAL, NULL)]
        if "timestamptz" in known and {"timestamp", "date"} & set(known):
            self.stable("stable", self.at(node), f"{word} mixing timestamptz with a zoneless type")
        if LITERAL in types and known and type_class(known[0]) != "text":
            self.untyped_at(self.at(node), known[0])
        for other in known[1:]:
            if comparable(known[0], other) is False:
                self.error(
                    "expr-type",
                    f"{word} types {display(known[0])} and {display(other)} cannot be matched",
                    "cast them to one type",
                    self.at(node),
                )
                return None
        if known:
            numeric = [t for t in known if t in NUMERIC_ORDER]
            return max(numeric, key=NUMERIC_ORDER.index) if len(numeric) == len(known) else known[0]
        # Only untyped and NULLs: PostgreSQL resolves them as text.
        return "text" if types and None not in types else None

    def v_A_ArrayExpr(self, node: Any, depth: int) -> str | None:
        types = [self.visit(e, depth) for e in node.elements or ()]
        element = self._common(types, "ARRAY", node)
        return f"{element}[]" if element not in (None, LITERAL, NULL) else None

    def v_CollateClause(self, node: Any, depth: int) -> str | None:
        return self.visit(node.arg, depth)


# Which type classes the left operand of an operator of BOOL_OPS may have
# (pg_operator); ranges and other types we do not model are "unknown" and pass.
_OPERAND: dict[str, set[str]] = {
    **dict.fromkeys(("~", "~*", "!~", "!~*"), {"text"}),
    **dict.fromkeys(("@>", "<@"), {"array", "json"}),
    "&&": {"array", "network"},
    **dict.fromkeys(("?", "?|", "?&"), {"json"}),
    "@@": {"text"},
}
_JSONB_ONLY = {"@>", "<@", "?", "?|", "?&"}  # json has none of them
# The first argument's classes for common functions (pg_proc); ranges pass as unknown.
_ARGUMENT: dict[str, set[str]] = {
    **dict.fromkeys(("lower", "upper", "initcap", "btrim", "ltrim", "rtrim"), {"text"}),
    **dict.fromkeys(("char_length", "character_length", "left", "right"), {"text"}),
    **dict.fromkeys(("replace", "split_part", "starts_with", "reverse"), {"text"}),
    **dict.fromkeys(("length", "md5", "octet_length"), {"text", "bytea"}),
    **dict.fromkeys(("jsonb_typeof", "jsonb_array_length", "jsonb_strip_nulls"), {"json"}),
}
