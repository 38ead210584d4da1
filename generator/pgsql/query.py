"""Type-check a view's query as PostgreSQL's analyser would (parse_clause.c, parse_agg.c).

The query is parsed by pglast (PostgreSQL 15's parser); each SELECT level
builds its FROM scope (fromitems.py), types every expression with the
inferer through a walk whose column references read that scope (qwalk.py),
and checks what the clauses require: boolean WHERE/ON/HAVING, no aggregate
where one cannot be, every column outside an aggregate grouped (grouping.py),
set operations of matching width and types.  The result is the query's output
columns with their names and, where certain, exact types (exact.py).

What cannot be typed (a function outside PostgreSQL 15's catalog: the spec's
own or an unlisted extension's; a relation that is not the spec's) stays
silent: the server has the last word, and a spec it accepts is never refused
here.  Offsets in errors count characters of the
query as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..records import Value, record
from .exact import exact
from .parse import ExprError, precheck, statement_constants
from .pgtypes import display
from .scope import UNKNOWN_COLUMNS, Col, Scope, counted

MAX_QUERY = 100_000  # characters; the view's text is the DDL's


@record
class Source(Value):
    """A table or view of the spec, as a query reads it."""

    columns: tuple[Col, ...]  # name, inferer type, exact type, nullability
    pk: tuple[str, ...] = ()  # a table's primary key: it groups the other columns
    table: bool = False  # a table (not a view): it has system columns


@record
class Output(Value):
    """One output column of a view's query: name, type and nullability when known."""

    name: str
    exact: str | None  # format_type() spelling, when known for certain
    nullable: bool
    offset: int  # where the select list item starts
    length: int


@record
class QueryAnalysis:
    """What a view's query returns, as far as it can be known, or why not."""

    errors: tuple[ExprError, ...]
    columns: tuple[Output, ...] = ()
    complete: bool = False  # parsed, no error, and every output column seen
    unknown_functions: tuple[str, ...] = ()
    untyped: tuple[tuple[int, str | None], ...] = ()


Relations = Mapping[tuple[str | None, str], Source]  # (schema or None, name)


class Analyser:
    def __init__(
        self,
        sql: str,
        relations: Relations,
        extensions: frozenset[str] = frozenset(),
        functions: frozenset[str] = frozenset(),
    ) -> None:
        from .catalog import load
        from .typeconv import TypeConv

        self.sql = sql
        self.relations = relations
        # the spec's extensions (their functions become known) and own functions
        # (resolved by the server, not here), as for a table's expressions
        self.extensions = extensions
        self.functions = functions
        self.conv = TypeConv(load().view(extensions))
        self.errors: list[ExprError] = []
        self.unknown_functions: list[str] = []  # functions the inferer cannot vouch for
        # Columns a WHERE or an inner join's ON reads: NULL there usually fails the
        # condition, so they are not held to be nullable in the output.
        self.filtered: set[tuple[int, str]] = set()
        # (offset, type) of quoted literals whose type the server settles: see expr.Analysis
        self.untyped: list[tuple[int, str | None]] = []
        self.ctes: list[dict[str, list[Col]]] = []  # WITH names in scope, innermost last
        self.top: list[tuple[Col, int, int]] = []  # the outermost select list: (col, at, length)
        self.top_id = 0  # id() of the SELECT whose list names the view's columns
        self.constants: dict[int, int] = {}  # id(A_Const) -> its offset (parse.statement_constants)
        # Every relation the query may read is in ``relations`` (besides pg_catalog's):
        # an unknown one is refused (a policy's subquery; a view's pass says so itself).
        self.closed = False

    def filter_by(self, node: Any, resolved: dict[int, Col]) -> None:
        from .grouping import column_refs

        for ref in column_refs(node):
            col = resolved.get(id(ref))
            if col is not None and col.source is not None:
                self.filtered.add(col.source)

    def error(self, code: str, message: str, hint: str, offset: int, length: int = 0) -> None:
        self.errors.append(ExprError(code, message, hint, offset, length))

    def statement(self, stmt: Any, parent: Scope | None) -> list[Col]:
        from .select import select

        pushed = stmt.withClause is not None
        if pushed:
            self.with_clause(stmt.withClause, parent)
        try:
            if stmt.op.name != "SETOP_NONE":
                return self.set_operation(stmt, parent)
            if stmt.valuesLists:
                return self.values(stmt, parent)
            return select(self, stmt, parent)
        finally:
            if pushed:
                self.ctes.pop()

    def cte(self, name: str) -> list[Col] | None:
        for level in reversed(self.ctes):
            if name in level:
                return level[name]
        return None

    def with_clause(self, clause: Any, parent: Scope | None) -> None:
        level: dict[str, list[Col]] = {}
        self.ctes.append(level)
        for cte in clause.ctes:
            query = cte.ctequery
            if type(query).__name__ != "SelectStmt":
                level[cte.ctename] = []  # a data-modifying WITH: refused by the view pass
                continue
            if clause.recursive and query.op.name != "SETOP_NONE":
                first = self.statement(query.larg, parent)  # the non-recursive term
                level[cte.ctename] = self.rename(first, cte.aliascolnames, cte.ctename, cte)
            cols = self.statement(query, parent)
            level[cte.ctename] = self.rename(cols, cte.aliascolnames, cte.ctename, cte)

    def rename(self, cols: list[Col], names: Any, what: str, node: Any) -> list[Col]:
        names = [n.sval for n in names or ()]
        if not counted(cols):
            return cols  # a '*' of unknown width: the names cannot be matched up
        if len(names) > len(cols):
            self.error(
                "query-shape",
                f'table "{what}" has {len(cols)} columns available but {len(names)} columns specified',
                "name as many columns as the query returns",
                self.at(node),
            )
            return cols
        return [
            Col(n, c.base, c.exact, c.nullable, c.source)
            for n, c in zip(names + [c.name for c in cols[len(names) :]], cols, strict=True)
        ]

    def at(self, node: Any) -> int:
        loc = getattr(node, "location", None)
        return min(loc, len(self.sql)) if isinstance(loc, int) and loc >= 0 else 0

    def set_operation(self, stmt: Any, parent: Scope | None) -> list[Col]:
        word = stmt.op.name.replace("SETOP_", "")
        left = self.statement(stmt.larg, parent)
        right = self.statement(stmt.rarg, parent)
        at = _first_target(stmt.rarg, self)
        if not counted(left) or not counted(right):
            return [UNKNOWN_COLUMNS]
        if len(left) != len(right):
            self.error(
                "query-shape",
                f"each {word} query must have the same number of columns",
                f"the first query returns {len(left)} columns, this one {len(right)}",
                at,
            )
            return left
        out = []
        for a, b in zip(left, right, strict=True):
            typ = self.common(word, [a, b], at)
            same = a.exact == b.exact and a.exact is not None
            kind = typ.exact if typ is not None else None
            out.append(
                Col(
                    a.name,
                    typ.base if typ else None,
                    a.exact if same else kind,
                    a.nullable or b.nullable,
                )
            )
        return out

    def common(self, word: str, cols: list[Col], at: int) -> Col | None:
        """PostgreSQL's common type of UNION branches or VALUES rows (select_common_type)."""
        from .exact import plain

        typed = [c for c in cols if c.base not in (None, "unknown", "null")]
        if any(c.base is None for c in cols):
            return None
        if not typed:
            return Col("", "text", "text")
        first = typed[0]
        bases = {c.base for c in typed}
        if len(bases) == 1:
            exacts = {c.exact for c in typed}
            if None in exacts:  # a branch's exact type is not known: neither is the result's
                return Col("", first.base, None)
            same = exacts.pop() if len(exacts) == 1 and len(typed) == len(cols) else None
            return Col("", first.base, same or plain(first.exact))
        enums = [b for b in bases if b and b.startswith("enum")]
        if (len(enums) > 1 and "enum" in enums) or not all(self.conv.known(b) for b in bases):
            return None  # an enum we cannot name beside another, or a type outside the catalog
        # typeconv-union-case over PostgreSQL's catalog, as CASE and COALESCE are typed
        chosen, problem = self.conv.common([c.base or "" for c in typed])
        if problem is not None:
            kind, a, b = problem
            shown = {c.base: _shown(c) for c in reversed(typed)}
            message = (
                f"{word} types {shown[a]} and {shown[b]} cannot be matched"
                if kind == "match"
                else f"{word} could not convert type {shown[a]} to {shown[b]}"
            )
            self.error("query-type", message, "cast them to one type", at)
            return None
        return Col("", chosen, None)

    def values(self, stmt: Any, parent: Scope | None) -> list[Col]:
        from .qwalk import QueryWalk

        walk = QueryWalk(self, Scope([], parent))
        rows = [[walk.clause(v)[0] for v in row] for row in stmt.valuesLists]
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            self.error("query-shape", "VALUES lists must all be the same length", "", self.at(stmt))
            return []
        out = []
        for i in range(width):
            cells = [
                Col("", typed[i], exact(row[i], lambda n: None))
                for typed, row in zip(rows, stmt.valuesLists, strict=True)
            ]
            typ = self.common("VALUES", cells, self.at(stmt.valuesLists[0][i]))
            out.append(Col(f"column{i + 1}", typ.base if typ else None, typ.exact if typ else None))
        return out


def _shown(col: Col) -> str:
    """A type as PostgreSQL names it in a message: the enum's own name when known."""
    from .exact import plain

    return plain(col.exact) or display(col.base or "")


def _first_target(stmt: Any, analyser: Analyser) -> int:
    while stmt.op.name != "SETOP_NONE":
        stmt = stmt.larg
    targets = stmt.targetList or ()
    return analyser.at(targets[0]) if targets else analyser.at(stmt)


def _syntax(sql: str) -> ExprError:
    """PostgreSQL's own grammar refuses what sqlglot read (a subquery without alias...)."""
    from pglast import parse_sql
    from pglast.parser import ParseError

    from .parse import _ascii_positions

    try:
        parse_sql(_ascii_positions(sql))
    except ParseError as exc:
        where = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else len(sql)
        return ExprError("query-syntax", str(exc.args[0]), "", min(where, len(sql)))
    return ExprError("query-syntax", "not a valid query", "", 0)  # pragma: no cover


def analyse_query(
    sql: str,
    relations: Relations,
    extensions: frozenset[str] = frozenset(),
    functions: frozenset[str] = frozenset(),
) -> QueryAnalysis:
    """Errors and output columns of a view's query over the spec's ``relations``;
    ``extensions`` and ``functions`` as for expr.analyse."""
    from pglast import parse_sql
    from pglast.parser import ParseError

    from .walk import TooDeep

    problem = precheck(sql[:MAX_QUERY])
    if problem is not None and problem.code != "expr-too-long":
        return QueryAnalysis((problem,))
    if len(sql) > MAX_QUERY:
        return QueryAnalysis(())
    try:
        stmts = parse_sql(sql)
    except ParseError:
        return QueryAnalysis((_syntax(sql),))
    if len(stmts) != 1 or type(stmts[0].stmt).__name__ != "SelectStmt":
        return QueryAnalysis(())
    analyser = Analyser(sql, relations, extensions, functions)
    analyser.constants = statement_constants(sql, stmts[0].stmt)  # pglast drops their location
    first = stmts[0].stmt
    while first.op.name != "SETOP_NONE":
        first = first.larg
    analyser.top_id = id(first)
    try:
        cols = analyser.statement(stmts[0].stmt, None)
    except TooDeep as exc:
        return QueryAnalysis(
            (ExprError("expr-too-deep", "the query nests too deeply", "simplify it", exc.offset),)
        )
    errors = tuple(dict.fromkeys(sorted(analyser.errors, key=lambda e: e.offset)))
    top = analyser.top
    # names and places from the first SELECT's list; types from the whole (a UNION's)
    places = [(at, length) for _, at, length in top] if len(top) == len(cols) else []
    places += [(0, 0)] * (len(cols) - len(places))
    outputs = tuple(
        Output(c.name, c.exact, c.nullable, at, length)
        for c, (at, length) in zip(cols, places, strict=True)
    )
    return QueryAnalysis(
        errors,
        outputs,
        complete=not errors and counted(cols),
        unknown_functions=tuple(dict.fromkeys(analyser.unknown_functions)),
        untyped=tuple(dict.fromkeys(analyser.untyped)),
    )
