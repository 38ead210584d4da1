"""Typing calls: functions and operators resolved as PostgreSQL resolves them.

A call's arguments are converted to the types the chosen function takes:
a quoted literal is then read by that type's input function (recorded as
untyped, for untyped.py to judge its text), any other value converts by a
cast whose volatility counts.  Errors are PostgreSQL's own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import overload
from .catalog import Func, Oper, Volatility
from .pgtypes import LITERAL, NULL, display
from .typeconv import UNKNOWN
from .walk import Walker

_FUNC_HINT = "no function matches the given name and argument types; cast the arguments"
_OPER_HINT = "no operator matches the given name and argument types; cast an operand"
_POLY = "could not determine polymorphic type because input has type unknown"
_POLY_HINT = "cast the literal to the type you mean, e.g. '{1,2}'::integer[]"
_COMPARE = {"=", "<>", "!=", "<", ">", "<=", ">="}
# pg_catalog's SQL functions over anyelement whose body is a cast to text: the
# planner inlines them before judging volatility (quote_literal(n) is immutable).
_INLINED_TEXT_CASTS = {"quote_literal", "quote_nullable"}


def shown(types: Sequence[str | None]) -> str:
    return ", ".join("unknown" if t in UNKNOWN else display(t or "") for t in types)


class Calls(Walker):
    def known(self, *types: str | None) -> bool:
        return all(self.conv.known(t) for t in types)

    def convert(self, node: Any, actual: str | None, target: str | None, cause: str) -> None:
        """``node`` (of type ``actual``) converted to ``target``: a literal is
        read by the target's input, anything else counts the cast's volatility."""
        if target is None or actual is None or actual == NULL:
            return
        if actual == LITERAL:
            category = self.conv.category(target)[0]
            if category not in ("S", "P", "?") or target.endswith("[]"):
                self.untyped_at(self.at(node), target)  # a constant's own offset
            return
        vol = self.conv.cast_volatility(actual, target)
        if vol != "immutable":
            self.stable(vol, self.at(node), cause or self.cast_cause(actual, target))

    def cast_cause(self, source: str, target: str) -> str:
        where = f"the cast from {display(source)} to {display(target)}"
        zoned = {"timestamptz"} & {source, target}
        if zoned and {source, target} & {"date", "time", "timestamp"}:
            return f"{where} (it reads the time zone)"
        if self.conv.category(target)[0] == "S":
            return f"{where} (its text form reads settings)"
        if self.conv.category(source)[0] == "S":
            return f"{where} (reading it depends on settings)"
        return where

    def oper_cause(self, left: str | None, right: str, *, op: str) -> str:
        pair = {left, right}
        if "timestamptz" in pair and "interval" in pair:
            return f"timestamptz {op} interval (it reads the time zone)"
        if "timestamptz" in pair and pair & {"date", "timestamp"}:
            if op in _COMPARE:
                return "comparing timestamptz with a zoneless value"
            return f"{display(left or '')} {op} {display(right)} (it reads the time zone)"
        return f"{shown([left])} {op} {shown([right])}" if left else f"{op} {shown([right])}"

    # -- operators --------------------------------------------------------------

    def operator(
        self, op: str, node: Any, sides: tuple[Any, Any], left: str | None, right: str | None
    ) -> tuple[Oper | None, str | None]:
        """Resolve ``left op right`` (prefix when ``sides[0]`` is None): the
        operator and its result type, or (None, None) when we cannot tell."""
        prefix = sides[0] is None
        self.targets = []
        if right is None or (not prefix and left is None):
            return None, None
        if not self.known(right) or not (prefix or self.known(left)):
            return None, None
        found = overload.operator(self.conv, op, None if prefix else left, right)
        if found is None or (isinstance(found, str) and self.conv.view.open_world):
            return None, None
        at = self.at(node)
        spelled = f"{op} {shown([right])}" if prefix else f"{shown([left])} {op} {shown([right])}"
        if found == "missing":
            self.error("expr-type", f"operator does not exist: {spelled}", _OPER_HINT, at, len(op))
            return None, None
        if isinstance(found, str):
            hint = "cast an operand to the type you mean"
            self.error("expr-type", f"operator is not unique: {spelled}", hint, at, len(op))
            return None, None
        if found.undetermined:
            self.error("expr-type", _POLY, _POLY_HINT, at, len(op))
            return None, None
        oper = found.candidate
        actual = [right] if prefix else [left, right]
        nodes = [sides[1]] if prefix else list(sides)
        self.targets = [found.target(i) for i in range(len(actual))]
        for arg, typ, target in zip(nodes, actual, self.targets, strict=True):
            if arg is not None:  # None: the element of ANY's array, converted by the caller
                self.convert(arg, typ, target, "")
        vol = oper.volatility
        if op == "||" and "anynonarray" in oper.args:  # text || x: an inlined cast to text
            other = right if oper.args[0] == "text" else left
            known = other is not None and other not in UNKNOWN
            vol = self.conv.cast_volatility(other, "text") if known and other else "immutable"
            if vol != "immutable":
                cause = f"'||' on a {display(other or '')} (its text form reads settings)"
                self.stable(vol, at, cause)
        elif vol != "immutable":
            resolved = [t or "" for t in self.targets]  # as resolved: text @@ text
            first = None if prefix else resolved[0]
            self.stable(vol, at, self.oper_cause(first, resolved[-1], op=op))
        return oper, found.result

    # -- functions --------------------------------------------------------------

    def function(
        self, name: str, node: Any, nodes: Sequence[Any], args: list[str | None]
    ) -> tuple[Func | None, str | None]:
        """Resolve ``name(args)``: the function and its result, or (None, None)."""
        at = self.at(node)
        if name in self.user_functions or not self.known(*args):
            return None, None
        typed = [a or "" for a in args]
        found = overload.function(self.conv, name, typed)
        if found is None or (isinstance(found, str) and self.conv.view.open_world):
            if name not in self.unknown_functions:
                self.unknown_functions.append(name)
            return None, None
        if isinstance(found, str) and found.startswith("extension:"):
            ext = found.split(":", 1)[1]
            self.error(
                "expr-type",
                f"function {name}({shown(typed)}) does not exist",
                f"{name}() comes with the extension {ext}: postgres: {{extensions: [{ext}]}}",
                at,
                len(name),
            )
            return None, None
        if found == "missing":
            cast = self._function_cast(name, typed)
            if cast:
                self.convert(nodes[0], typed[0], name, "")
                return None, name
            message = f"function {name}({shown(typed)}) does not exist"
            self.error("expr-type", message, _FUNC_HINT, at, len(name))
            return None, None
        if isinstance(found, str):
            message = f"function {name}({shown(typed)}) is not unique"
            self.error("expr-type", message, "cast the arguments to the types you mean", at)
            return None, None
        if found.undetermined:
            self.error("expr-type", _POLY, _POLY_HINT, at, len(name))
            return None, None
        func = found.candidate
        for i, (arg, typ) in enumerate(zip(nodes, typed, strict=True)):
            self.convert(arg, typ, found.target(i), "")
        vol: Volatility = func.volatility
        if name in _INLINED_TEXT_CASTS and typed and typed[0] not in UNKNOWN:
            # SQL functions PostgreSQL inlines: as volatile as the cast to text
            vol = self.conv.cast_volatility(typed[0], "text")
        if vol != "immutable":
            self.stable(vol, at, f"{name}()")
        if func.returns_set:
            self.set_returning_at = self.set_returning_at or (at, name)
        return func, found.result

    def _function_cast(self, name: str, args: list[str]) -> bool:
        """``text(x)``, ``int4(x)``: a type's name called on one value is a cast
        when it relabels or converts through text (func_get_detail)."""
        info = self.conv.view.type(name)
        if len(args) != 1 or info is None or info.typtype == "p":
            return False
        source = args[0]
        if source in UNKNOWN:
            return True
        cast = self.conv.view.cast(source, name)
        if cast is not None:
            return cast.method == "b"
        if source.endswith("[]") and name.endswith("[]"):
            return False
        return "S" in (info.category, self.conv.category(source)[0])

    # -- CASE, COALESCE, GREATEST, ARRAY ------------------------------------------

    def common(
        self, word: str, node: Any, nodes: Sequence[Any], types: list[str | None]
    ) -> str | None:
        """select_common_type over the branches, each converted to the result."""
        if not self.known(*types):
            return None
        typed = [t or "" for t in types]
        chosen, problem = self.conv.common(typed)
        if problem is not None:
            kind, a, b = problem
            if kind == "match":
                message = f"{word} types {display(a)} and {display(b)} cannot be matched"
            else:
                message = f"{word} could not convert type {display(a)} to {display(b)}"
            self.error("expr-type", message, "cast them to one type", self.at(node))
            return None
        for arg, typ in zip(nodes, typed, strict=True):
            if arg is not None:
                self.convert(
                    arg, typ, chosen, f"{word} mixing {shown([typ])} with {shown([chosen])}"
                )
        return chosen
