"""The walk over a parsed expression: columns, types, volatility, aggregates.

One method per node type of PostgreSQL's raw parse tree (as sqlglot's
generator has one per expression type); a node type without one is walked
for the column references in it and typed as unknown.  Types are PostgreSQL
base names (pgtypes.py) resolved by PostgreSQL's own rules over its catalog
(typeconv.py, overload.py); a type we cannot know (a function of an extension
outside the data, or of the spec's own) is None and never produces an error.
"""

from __future__ import annotations

import difflib
from typing import Any

from .catalog import RANK, Volatility, load
from .limits import SYSTEM_COLUMNS  # a CHECK or generated column may not read them
from .parse import MAX_DEPTH, ExprError
from .pgtypes import LITERAL, NULL, base
from .typeconv import TypeConv

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


class TooDeep(Exception):
    def __init__(self, offset: int) -> None:
        self.offset = offset


class Walker:
    """The walk's state, its plumbing and the leaves of the tree (infer.py: the rest)."""

    def __init__(
        self,
        sql: str,
        shift: int,
        columns: dict[str, str],
        table: str | None,
        extensions: frozenset[str] = frozenset(),
        functions: frozenset[str] = frozenset(),
    ) -> None:
        self.conv = TypeConv(load().view(extensions))
        self.user_functions = functions  # the spec's own: PostgreSQL resolves them, not us
        self.sql = sql
        self.shift = shift
        self.types = {name: base(spec) for name, spec in columns.items()}
        self.table = table
        self.errors: list[Any] = []
        self.columns: list[str] = []
        self.column_at: list[int] = []
        self.bare: list[tuple[int, str]] = []  # (offset, column) of each unquoted reference
        self.volatility: Volatility = "immutable"
        self.volatile_cause: tuple[int, str] = (0, "")
        self.unknown_functions: list[str] = []
        self.refs = 0  # column references seen, to tell constant subexpressions
        # Untyped values (a quoted literal, a NULL operand) whose type PostgreSQL
        # settles when the DDL runs ('x' compared with an integer): not judged here.
        self.untyped: list[tuple[int, str | None]] = []
        self.aggregate_at: tuple[int, str] | None = None
        self.window_at: tuple[int, str] | None = None
        self.subquery_at: int | None = None
        self.set_returning_at: tuple[int, str] | None = None
        self.targets: list[str | None] = []  # the last operator's argument types
        self.constants: dict[int, int] = {}  # id(A_Const) -> its offset (parse.literal_offsets)

    # -- plumbing -------------------------------------------------------------

    def run(self, node: Any) -> str | None:
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
        if id(node) in self.constants:
            return self.constants[id(node)]
        loc = getattr(node, "location", None)
        if not isinstance(loc, int) or loc < self.shift:
            return 0
        return min(loc - self.shift, len(self.sql))

    def error(self, code: str, message: str, hint: str, offset: int, length: int = 0) -> None:
        self.errors.append(ExprError(code, message, hint, offset, length))

    def untyped_at(self, offset: int, typ: str | None) -> None:
        self.untyped.append((offset, typ))

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
        if kind == "Float":  # an integer too large for int4, or a decimal
            text = node.val.fval
            return "int8" if text.isdigit() and int(text) < 2**63 else "numeric"
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
        self.refs += 1
        written = self.sql[at:]
        if len(names) == 2:  # t.col: position the error on the column part
            at += written.find(".") + 1
            written = self.sql[at:]
        quoted = written.startswith('"')
        if name in self.types:
            if not quoted and len(names) == 1:
                self.bare.append((at, name))
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
