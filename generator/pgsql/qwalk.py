"""The expression walk inside a query: column references resolved in the FROM scope.

infer.Walk types an expression over one table's columns; a query's
expressions read the columns of its FROM entries and of the queries around
it, and may hold subqueries.  This subclass changes only those leaves (column
references, subqueries, ``grouping()``) and keeps every typing rule of the
inferer (every function, aggregates included, resolved over PostgreSQL's
catalog for the spec's extensions); aggregates and window functions it finds are recorded so the query
pass can say in which clause they are not allowed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .infer import Walk
from .pgtypes import display
from .scope import Col, Scope, counted
from .typeconv import UNKNOWN, TypeConv

if TYPE_CHECKING:
    from .query import Analyser


class QueryWalk(Walk):
    def __init__(self, analyser: Analyser, scope: Scope) -> None:
        super().__init__(analyser.sql, 0, {}, None, analyser.extensions, analyser.functions)
        self.analyser = analyser
        self.constants = analyser.constants
        self.scope = scope
        self.errors = analyser.errors  # one list for the whole query, in the order found
        self.unknown_functions = analyser.unknown_functions
        self.resolved: dict[int, Col] = {}  # id(ColumnRef node) -> its column
        self.subqueries: dict[int, list[Col]] = {}  # id(SubLink node) -> its output
        self.calls: dict[int, str] = {}  # id(FuncCall node) -> its result, as resolved

    def untyped_at(self, offset: int, typ: str | None) -> None:
        self.analyser.untyped.append((offset, typ))

    def clause(
        self, node: Any
    ) -> tuple[str | None, tuple[int, str] | None, tuple[int, str] | None]:
        """Type one clause: (type, first aggregate, first window function) in it."""
        self.aggregate_at = self.window_at = None
        typ = self.visit(node, 0)
        return typ, self.aggregate_at, self.window_at

    def v_ColumnRef(self, node: Any, depth: int) -> str | None:
        at = self.at(node)
        fields = node.fields
        if any(type(f).__name__ == "A_Star" for f in fields):
            return None  # t.* as a value (row_to_json(t.*)): a composite, not typed here
        names = [f.sval for f in fields]
        quoted = self.sql[at : at + 1] == '"'
        if len(names) == 1:
            col, message, hint = self.scope.unqualified(names[0], quoted)
        elif len(names) in (2, 3):
            schema = names[0] if len(names) == 3 else None
            col, message, hint = self.scope.qualified(schema, names[-2], names[-1])
        else:
            return None  # catalog.schema.table.column: not resolved here
        if message is not None:
            self.error("query-column", message, hint, at, len(".".join(names)))
            return None
        assert col is not None
        self.resolved[id(node)] = col
        return col.base

    def v_SubLink(self, node: Any, depth: int) -> str | None:
        cols = self.analyser.statement(node.subselect, self.scope)
        self.subqueries[id(node)] = cols
        kind = node.subLinkType.name
        at = self.at(node)
        if kind == "EXISTS_SUBLINK":
            return "bool"
        if not counted(cols):
            self.visit(node.testexpr, depth)
            return "bool" if kind in ("ANY_SUBLINK", "ALL_SUBLINK") else None
        if kind in ("EXPR_SUBLINK", "ARRAY_SUBLINK") and len(cols) != 1:
            self.error(
                "query-shape",
                "subquery must return only one column",
                "select one column in the subquery",
                at,
            )
            return None
        if kind == "EXPR_SUBLINK":
            return cols[0].base
        if kind == "ARRAY_SUBLINK":
            typ = cols[0].base
            return f"{typ}[]" if typ is not None and not typ.endswith("]") else None
        if kind in ("ANY_SUBLINK", "ALL_SUBLINK"):
            left = self.visit(node.testexpr, depth)
            row = type(node.testexpr).__name__ == "RowExpr"
            if len(cols) != 1 and not row:
                self.error(
                    "query-shape",
                    "subquery has too many columns" if cols else "subquery has too few columns",
                    "select one column in the subquery",
                    at,
                )
            elif not row:
                op = node.operName[-1].sval if node.operName else "="
                oper, result = self.operator(op, node, (node.testexpr, None), left, cols[0].base)
                if oper is not None and result != "bool":
                    self.error(
                        "expr-type",
                        "op ANY/ALL (subquery) requires operator to yield boolean",
                        "",
                        at,
                    )
            return "bool"
        return None

    def v_FuncCall(self, node: Any, depth: int) -> str | None:
        typ = super().v_FuncCall(node, depth)  # agg_order and FILTER walked there
        if typ is not None:
            self.calls[id(node)] = typ
        if node.over is not None:
            self.window(node.over, depth)
        return typ

    def window(self, spec: Any, depth: int) -> None:
        for part in spec.partitionClause or ():
            self.visit(part, depth)
        for item in spec.orderClause or ():
            self.visit(item.node, depth)

    def v_SQLValueFunction(self, node: Any, depth: int) -> str | None:
        """``user`` written for a column of that name: PostgreSQL reads the SQL
        function CURRENT_USER, so the view would silently return another value."""
        at = self.at(node)
        written = self.sql[at:]
        word = ""
        while len(word) < len(written) and (
            written[len(word)].isalnum() or written[len(word)] == "_"
        ):
            word += written[len(word)]
        typ = super().v_SQLValueFunction(node, depth)  # its type and stability
        names = {c.name for i in self.scope.visible() for c in i.columns}
        if word.lower() in names:
            self.error(
                "expr-keyword",
                f"{word} here is the SQL function {word.upper()}"
                f'{"" if word.lower() != "user" else " (CURRENT_USER)"}, not the column "{word.lower()}"',
                f'quote the column name: "{word.lower()}"',
                at,
                len(word),
            )
        return typ

    def v_GroupingFunc(self, node: Any, depth: int) -> str | None:
        for arg in node.args or ():
            self.visit(arg, depth)
        return "int4"

    def v_RowExpr(self, node: Any, depth: int) -> str | None:
        for arg in node.args or ():
            self.visit(arg, depth)
        return None


def boolean_problem(typ: str | None, clause: str, conv: TypeConv) -> str | None:
    """PostgreSQL's message when a WHERE, ON or HAVING condition is not boolean
    (coerce_to_boolean: only what converts to bool implicitly, per the catalog)."""
    if typ is None or typ in UNKNOWN or not conv.known(typ):
        return None
    if conv.coercible(typ, "bool"):
        return None
    return f"argument of {clause} must be type boolean, not type {display(typ)}"
