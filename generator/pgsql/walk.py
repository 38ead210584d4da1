"""The walk over a parsed expression: columns, types, volatility, aggregates.

One method per node type of PostgreSQL's raw parse tree (as sqlglot's
generator has one per expression type); a node type without one is walked
for the column references in it and typed as unknown.  Types are PostgreSQL
base names (pgtypes.py); a check is made only when both sides are known, so
an unknown never produces an error: the server has the last word
(``schemagen validate --db``).
"""

from __future__ import annotations

import difflib
from typing import Any

from .functions import FUNCTIONS, RANK, SAME, Volatility
from .pgtypes import LITERAL, NULL, base, comparable, display, type_class

# Too deep for the recursive walk: expr.py turns this into a positioned error.
MAX_DEPTH = 200

# Columns every table has; a CHECK or generated column may not read them.
SYSTEM_COLUMNS = frozenset({"tableoid", "xmin", "xmax", "cmin", "cmax", "ctid"})

_COMPARE = {"=", "<>", "!=", "<", ">", "<=", ">="}
_ARITH = {"+", "-", "*", "/", "%", "^"}
_BOOL_OPS = {"~", "~*", "!~", "!~*", "@>", "<@", "?", "?|", "?&", "&&", "@@"}
_NUMERIC_ORDER = ["int2", "int4", "int8", "numeric", "float4", "float8"]

# SQL-standard functions written without parentheses (CURRENT_DATE, USER...).
_VALUE_FUNCTIONS = {
    "SVFOP_CURRENT_DATE": ("date", "CURRENT_DATE"),
    "SVFOP_CURRENT_TIME": ("timetz", "CURRENT_TIME"),
    "SVFOP_CURRENT_TIME_N": ("timetz", "CURRENT_TIME"),
    "SVFOP_CURRENT_TIMESTAMP": ("timestamptz", "CURRENT_TIMESTAMP"),
    "SVFOP_CURRENT_TIMESTAMP_N": ("timestamptz", "CURRENT_TIMESTAMP"),
    "SVFOP_LOCALTIME": ("time", "LOCALTIME"),
    "SVFOP_LOCALTIME_N": ("time", "LOCALTIME"),
    "SVFOP_LOCALTIMESTAMP": ("timestamp", "LOCALTIMESTAMP"),
    "SVFOP_LOCALTIMESTAMP_N": ("timestamp", "LOCALTIMESTAMP"),
    "SVFOP_CURRENT_ROLE": ("text", "CURRENT_ROLE"),
    "SVFOP_CURRENT_USER": ("text", "CURRENT_USER"),
    "SVFOP_USER": ("text", "CURRENT_USER"),
    "SVFOP_SESSION_USER": ("text", "SESSION_USER"),
    "SVFOP_CURRENT_CATALOG": ("text", "CURRENT_CATALOG"),
    "SVFOP_CURRENT_SCHEMA": ("text", "CURRENT_SCHEMA"),
}

# Casts that read a session setting (TimeZone, DateStyle), so are only stable.
_STABLE_CASTS = (
    {("timestamptz", t) for t in ("date", "time", "timestamp", "text", "varchar", "bpchar")}
    | {
        (s, t)
        for s in ("text", "varchar", "bpchar", "citext")
        for t in ("date", "time", "timestamp", "timestamptz", "interval", "timetz")
    }
    | {(s, "timestamptz") for s in ("timestamp", "date")}
)


class TooDeep(Exception):
    def __init__(self, offset: int) -> None:
        self.offset = offset


class Walk:
    def __init__(self, sql: str, shift: int, columns: dict[str, str], table: str | None) -> None:
        self.sql = sql
        self.shift = shift
        self.types = {name: base(spec) for name, spec in columns.items()}
        self.table = table
        self.errors: list[Any] = []
        self.columns: list[str] = []
        self.column_at: list[int] = []
        self.volatility: Volatility = "immutable"
        self.volatile_cause: tuple[int, str] = (0, "")
        self.unknown_functions: list[str] = []
        self.aggregate_at: tuple[int, str] | None = None
        self.window_at: tuple[int, str] | None = None
        self.subquery_at: int | None = None

    # -- plumbing -------------------------------------------------------------

    def run(self, node: Any) -> str | None:
        from .expr import ExprError

        try:
            return self.visit(node, 0)
        except TooDeep as exc:
            self.errors.append(
                ExprError(
                    "expr-too-deep",
                    f"the expression nests more than {MAX_DEPTH} levels deep",
                    "simplify it, or move the logic into a function",
                    exc.offset,
                )
            )
            return None

    def at(self, node: Any) -> int:
        loc = getattr(node, "location", None)
        if not isinstance(loc, int) or loc < self.shift:
            return 0
        return min(loc - self.shift, len(self.sql))

    def error(self, code: str, message: str, hint: str, offset: int, length: int = 0) -> None:
        from .expr import ExprError

        self.errors.append(ExprError(code, message, hint, offset, length))

    def stable(self, level: Volatility, offset: int, cause: str) -> None:
        if RANK[level] > RANK[self.volatility]:
            self.volatility = level
            self.volatile_cause = (offset, cause)

    def visit(self, node: Any, depth: int) -> str | None:
        if node is None:
            return None
        if depth > MAX_DEPTH:
            raise TooDeep(self.at(node))
        if isinstance(node, tuple):
            for item in node:
                self.visit(item, depth + 1)
            return None
        method = getattr(self, "v_" + type(node).__name__, None)
        if method is not None:
            result: str | None = method(node, depth + 1)
            return result
        for name in getattr(node, "__slots__", ()):  # walk what we do not model
            child = getattr(node, name, None)
            if isinstance(child, tuple) or hasattr(child, "__slots__"):
                self.visit(child, depth + 1)
        return None

    # -- leaves ---------------------------------------------------------------

    def v_A_Const(self, node: Any, depth: int) -> str | None:
        if node.isnull:
            return NULL
        kind = type(node.val).__name__
        if kind == "Float":
            text = node.val.fval
            return "int8" if text.isdigit() else "numeric"
        return {"Integer": "int4", "Boolean": "bool", "String": LITERAL}.get(kind)

    def v_ColumnRef(self, node: Any, depth: int) -> str | None:
        at = self.at(node)
        fields = node.fields
        if any(type(f).__name__ == "A_Star" for f in fields):
            self.error("expr-column", "'*' is not allowed here", "name the column", at, 1)
            return None
        names = [f.sval for f in fields]
        if len(names) > 2 or (len(names) == 2 and names[0] != self.table):
            self.error(
                "expr-column",
                f"{'.'.join(names)} reads another table; only this table's columns can be read",
                "write the column's name alone",
                at,
            )
            return None
        name = names[-1]
        written = self.sql[at:]
        if len(names) == 2:  # t.col: position the error on the column part
            at += written.find(".") + 1
            written = self.sql[at:]
        quoted = written.startswith('"')
        if name in self.types:
            if name not in self.columns:
                self.columns.append(name)
                self.column_at.append(at)
            return self.types[name]
        length = len(name) + (2 if quoted else 0)
        if name in SYSTEM_COLUMNS:
            self.error(
                "expr-column",
                f'the system column "{name}" cannot be read here',
                "read a column of the table",
                at,
                length,
            )
            return None
        exact = [c for c in self.types if c.lower() == name and not quoted]
        if exact:
            self.error(
                "expr-column",
                f'column "{name}" does not exist: PostgreSQL folds unquoted names to lower case',
                f'quote it to mean the column {exact[0]}: "{exact[0]}"',
                at,
                length,
            )
            return None
        close = difflib.get_close_matches(name, list(self.types), n=1, cutoff=0.6)
        self.error(
            "expr-column",
            f'column "{name}" does not exist',
            f'did you mean "{close[0]}"?' if close else f"columns: {', '.join(self.types)}",
            at,
            length,
        )
        return None

    def v_SQLValueFunction(self, node: Any, depth: int) -> str | None:
        at = self.at(node)
        typ, spelled = _VALUE_FUNCTIONS.get(node.op.name, (None, "?"))
        word = self.sql[at:].split("(")[0].split()[0] if self.sql[at:].strip() else ""
        word = "".join(c for c in word if c.isalnum() or c == "_")
        if word.lower() in {c.lower() for c in self.types}:
            fixed = self.sql[:at] + f'"{word.lower()}"' + self.sql[at + len(word) :]
            self.error(
                "expr-keyword",
                f'{word} here is the SQL function {spelled}, not the column "{word.lower()}"',
                f"quote the column name: {fixed}",
                at,
                len(word),
            )
        self.stable("stable", at, spelled)
        return typ

    def v_ParamRef(self, node: Any, depth: int) -> str | None:
        self.error("expr-syntax", "parameters ($1) are not allowed here", "", self.at(node))
        return None

    def v_SubLink(self, node: Any, depth: int) -> str | None:
        if self.subquery_at is None:
            self.subquery_at = self.at(node)
        self.visit(node.testexpr, depth)
        return "bool" if node.subLinkType.name != "EXPR_SUBLINK" else None

    # -- operators --------------------------------------------------------------

    def v_TypeCast(self, node: Any, depth: int) -> str | None:
        source = self.visit(node.arg, depth)
        names = [n.sval for n in node.typeName.names]
        target = base(names[-1]) if names[0] in ("pg_catalog", names[-1]) else None
        if target is not None and node.typeName.arrayBounds:
            target += "[]"
        if target is not None and (source, target) in _STABLE_CASTS:
            zone = "timestamptz" in (source, target)
            cause = f"the cast from {display(source or '')} to {display(target)}"
            self.stable(
                "stable", self.at(node), cause + (" (it reads the time zone)" if zone else "")
            )
        return target

    def v_A_Expr(self, node: Any, depth: int) -> str | None:
        kind = node.kind.name
        op = node.name[-1].sval if node.name else ""
        left = self.visit(node.lexpr, depth)
        right = self.visit(node.rexpr, depth) if not isinstance(node.rexpr, tuple) else None
        if isinstance(node.rexpr, tuple):
            for item in node.rexpr:
                self._compare(left, self.visit(item, depth), op or "=", node)
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
        if kind != "AEXPR_OP":
            return "bool"  # IN, BETWEEN, ANY/ALL
        if op in _COMPARE:
            self._compare(left, right, op, node)
            return "bool"
        if op in _BOOL_OPS:
            return "bool"
        if op in ("->>", "#>>"):
            return "text"
        if op in ("->", "#>"):
            return left
        if op == "||":
            return self._concat(left, right, node)
        if op in _ARITH:
            return self._arith(left, right, op, node)
        return None

    def _compare(self, left: str | None, right: str | None, op: str, node: Any) -> None:
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
        classes = {type_class(left), type_class(right)}
        if "array" in classes:
            return left if type_class(left) == "array" else right
        if left == right == "jsonb":
            return "jsonb"
        texty = [t for t in (left, right) if t == LITERAL or type_class(t) == "text"]
        if texty:
            other = [t for t in (left, right) if t not in texty and t not in (None, NULL)]
            # text || x converts x with its output function, which for date and
            # time types reads DateStyle, TimeZone or IntervalStyle.
            if other and type_class(other[0]) in ("timestamp", "date", "time", "interval"):
                self.stable(
                    "stable",
                    self.at(node),
                    f"'||' on a {display(other[0])} (its text form reads settings)",
                )
            return "text"
        return None

    def _arith(self, left: str | None, right: str | None, op: str, node: Any) -> str | None:
        if left is None and node.lexpr is None:  # prefix minus
            return right
        lc, rc = type_class(left), type_class(right)
        if {lc, rc} == {"numeric"}:
            assert left is not None and right is not None
            return max(left, right, key=_NUMERIC_ORDER.index)
        if "numeric" in (lc, rc) and "text" in (lc, rc) and LITERAL not in (left, right):
            self.error(
                "expr-type",
                f"operator does not exist: {display(left or '')} {op} {display(right or '')}",
                "cast the text side to a number, or use a numeric column",
                self.at(node),
                len(op),
            )
            return None
        if lc == "timestamp" and rc == "interval" and op in "+-":
            if left == "timestamptz":  # adding a day depends on the time zone (DST)
                self.stable(
                    "stable", self.at(node), "timestamptz + interval (it reads the time zone)"
                )
            return left
        if lc == rc == "timestamp" and op == "-":
            return "interval"
        if lc == "date" and rc == "numeric" and op in "+-":
            return "date"
        if lc == rc == "date" and op == "-":
            return "int4"
        if lc == rc == "interval" and op in "+-":
            return "interval"
        return None

    def v_BoolExpr(self, node: Any, depth: int) -> str | None:
        word = node.boolop.name.replace("_EXPR", "")
        for arg in node.args:
            typ = self.visit(arg, depth)
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
        self.stable(info.volatility, at, f"{name}()")
        if info.result == SAME:
            first = args[0] if args else None
            return "text" if first == LITERAL else first
        return info.result

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
            numeric = [t for t in known if t in _NUMERIC_ORDER]
            return (
                max(numeric, key=_NUMERIC_ORDER.index) if len(numeric) == len(known) else known[0]
            )
        return LITERAL if LITERAL in types else None

    def v_A_ArrayExpr(self, node: Any, depth: int) -> str | None:
        types = [self.visit(e, depth) for e in node.elements or ()]
        element = self._common(types, "ARRAY", node)
        return f"{element}[]" if element not in (None, LITERAL, NULL) else None

    def v_CollateClause(self, node: Any, depth: int) -> str | None:
        return self.visit(node.arg, depth)
