"""Analyse one SQL expression of a spec with PostgreSQL's own grammar.

A CHECK, an SQL default, a generated column, an index predicate or an index
expression is parsed by pglast (PostgreSQL 15's parser, libpg_query), so a
reserved word, case folding and precedence mean here what they mean in the
server.  The walk (walk.py) then resolves column references, infers the
result type, volatility, aggregates and subqueries; ``rules`` below holds each
kind of expression to what PostgreSQL requires of it.

Offsets in errors count characters of the expression as written, so a caller
adds them to the position of the YAML scalar.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from .functions import Volatility
from .pgtypes import TypeClass, assignable, base, display, type_class

Kind = Literal["check", "default", "generated", "index_where", "index_expr"]

# Longer expressions are refused before parsing: libpg_query turns the parse
# tree into Python objects recursively, and a chain of some 30,000 operators
# overflows the C stack (a crash, not an exception).  Nesting is bounded for
# the same reason; PostgreSQL's own grammar stops near 10,000 levels.
MAX_LENGTH = 10_000
MAX_DEPTH = 200

# How each kind is named in messages, and the wrapper that parses it in the
# grammar PostgreSQL uses for it (a DEFAULT is a restricted b_expr).
_WHAT = {
    "check": "a CHECK constraint",
    "default": "a DEFAULT",
    "generated": "a generated column",
    "index_where": "an index predicate",
    "index_expr": "an index expression",
}
_PREFIX = "SELECT ("
_DEFAULT_PREFIX = "CREATE TABLE t (c int DEFAULT "


@dataclass(frozen=True)
class ExprError:
    code: str  # expr-syntax, expr-column, expr-keyword, expr-type, expr-volatile, ...
    message: str
    hint: str
    offset: int  # characters into the expression
    length: int = 0


@dataclass(frozen=True)
class Analysis:
    errors: tuple[ExprError, ...]
    columns: tuple[str, ...] = ()  # the columns read, exact names, in order of first use
    type: str | None = None  # PostgreSQL base type name (int4, text, ...), None if unknown
    volatility: Volatility = "immutable"
    unknown_functions: tuple[str, ...] = ()  # functions we cannot vouch for
    aggregate: bool = False
    window: bool = False
    subquery: bool = False
    extras: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def type_class(self) -> TypeClass:
        return "unknown" if self.type in (None, "unknown", "null") else type_class(self.type)


def analyse(
    sql: str,
    columns: Mapping[str, str],
    kind: Kind,
    *,
    target: str | None = None,
    table: str | None = None,
    generated: Collection[str] = (),
) -> Analysis:
    """Analyse ``sql`` as an expression of ``kind`` on a table with ``columns``.

    ``columns`` maps each column's exact name to its type as the spec writes it
    (``integer``, ``varchar(50)``, ``text[]``, ``enum``); ``target`` is the type
    of the column a default or generated expression fills; ``table`` is the
    table's name (a reference may be qualified with it); ``generated`` names
    the table's generated columns (no generation expression may read them).
    """
    return _analyse(sql, tuple(columns.items()), kind, target, table, tuple(generated))


@cache  # specs repeat the same defaults (now(), gen_random_uuid()) in every table
def _analyse(
    sql: str,
    columns: tuple[tuple[str, str], ...],
    kind: Kind,
    target: str | None,
    table: str | None,
    generated: tuple[str, ...],
) -> Analysis:
    from .walk import Walk

    problem = _precheck(sql)
    if problem is not None:
        return Analysis((problem,))
    problem = _lexical(sql)
    if problem is not None:
        return Analysis((problem,))
    parsed = _parse(sql, kind, {name.lower() for name, _ in columns})
    if isinstance(parsed, ExprError):
        return Analysis((parsed,))
    node, shift = parsed
    walk = Walk(sql, shift, dict(columns), table)
    typ = walk.run(node)
    analysis = Analysis(
        tuple(walk.errors),
        tuple(walk.columns),
        typ,
        walk.volatility,
        tuple(walk.unknown_functions),
        walk.aggregate_at is not None,
        walk.window_at is not None,
        walk.subquery_at is not None,
        {"aggregate_at": walk.aggregate_at, "window_at": walk.window_at},
    )
    return _rules(analysis, walk, kind, target, generated)


def _precheck(sql: str) -> ExprError | None:
    if not sql.strip():
        return ExprError("expr-syntax", "the SQL expression is empty", "write an expression", 0)
    if "\x00" in sql:
        at = sql.index("\x00")
        return ExprError("expr-syntax", "the expression contains a NUL character", "remove it", at)
    if len(sql) > MAX_LENGTH:
        return ExprError(
            "expr-too-long",
            f"the expression is {len(sql):,} characters long; schemagen reads at most {MAX_LENGTH:,}",
            "move the logic into a function and call it, or split the CHECK",
            0,
        )
    depth = deepest = 0
    for at, char in enumerate(sql):  # outside strings a '(' or '[' nests; close enough
        if char in "([":
            depth += 1
            if depth > MAX_DEPTH:
                return ExprError(
                    "expr-too-deep",
                    f"the expression nests parentheses more than {MAX_DEPTH} levels deep",
                    "remove redundant parentheses, or move the logic into a function",
                    at,
                    1,
                )
            deepest = max(deepest, depth)
        elif char in ")]":
            depth -= 1
    return None


def _lexical(sql: str) -> ExprError | None:
    """Refuse what would break the DDL around the expression, token by token.

    A ';' would end the statement; a '--' comment would swallow the text after
    the expression in the DDL; a line break inside a string would be changed by
    the output's line normalisation.
    """
    from pglast import parser

    try:
        tokens = parser.scan(sql)
    except parser.ParseError as exc:  # an unterminated string or quoted name
        return ExprError("expr-syntax", f"not a valid SQL expression: {exc.args[0]}", "", 0)
    unmatched = _unmatched_close(tokens)
    if unmatched is not None:  # 'n) OR (true' would parse inside our wrapper, not in the DDL
        return ExprError("expr-syntax", "a ')' without its '('", "remove it", unmatched, 1)
    for token in tokens:
        if token.name in ("C_COMMENT", "SQL_COMMENT"):
            return ExprError(
                "expr-syntax",
                "comments ('--', '/* */') are not allowed in an SQL expression",
                "remove the comment; put it in the column's 'description' instead",
                token.start,
            )
        text = sql[token.start : token.end + 1]
        if text == ";":
            return ExprError(
                "expr-syntax",
                "a ';' ends the expression: this is one SQL expression, not statements",
                "remove the ';' and what follows it",
                token.start,
                1,
            )
        if token.name in ("SCONST", "IDENT", "USCONST", "UIDENT") and set(text) & {"\n", "\r"}:
            return ExprError(
                "expr-syntax",
                "a line break inside a quoted string or name",
                "write it as E'...\\n...'",
                token.start,
            )
    return None


def _ascii_positions(text: str) -> str:
    """The same text with every non-ASCII character replaced by one ASCII letter.

    pglast reports a syntax error's position in a unit that is neither bytes
    nor characters once the text has multi-byte characters; PostgreSQL's lexer
    treats any byte >= 0x80 as a letter, so a letter keeps every token where it was.
    """
    return "".join(c if c < "\x80" else "x" for c in text)


def _parse(sql: str, kind: Kind, names: set[str]) -> tuple[Any, int] | ExprError:
    """The expression's node and where the expression starts in the parsed text."""
    from pglast import parse_sql
    from pglast.parser import ParseError

    prefix = _DEFAULT_PREFIX if kind == "default" else _PREFIX
    # A newline before the closing parenthesis: a '--' comment cannot swallow it.
    text = f"{prefix}{sql}\n)"
    try:
        statements = parse_sql(text)
    except ParseError:
        if kind == "default":  # say whether parentheses would make it valid
            retry = _parse(sql, "check", names)
            if not isinstance(retry, ExprError):
                return ExprError(
                    "expr-syntax",
                    "in a DEFAULT this expression must be written in parentheses",
                    f"write ({sql.strip()})",
                    0,
                )
        return _syntax_error(sql, text, len(prefix), names)
    shape = "a single SQL expression"
    if len(statements) != 1:
        return ExprError("expr-syntax", f"not {shape}", "remove the ';' and what follows it", 0)
    stmt = statements[0].stmt
    if kind == "default":
        node = stmt.tableElts[0].constraints[0].raw_expr if _single_column(stmt) else None
    else:
        targets: Any = getattr(stmt, "targetList", None) or ()
        extra = ("fromClause", "whereClause", "groupClause", "sortClause", "limitCount")
        ok = len(targets) == 1 and not any(getattr(stmt, a, None) for a in extra)
        node = targets[0].val if ok and targets[0].name is None else None
    if node is None:
        return ExprError("expr-syntax", f"not {shape}", "write one expression", 0)
    return node, len(prefix)


def _single_column(stmt: Any) -> bool:
    elts: Any = getattr(stmt, "tableElts", None) or ()
    if len(elts) != 1 or type(elts[0]).__name__ != "ColumnDef":
        return False
    cons: Any = elts[0].constraints or ()
    return len(cons) == 1 and cons[0].raw_expr is not None


def _syntax_error(sql: str, text: str, shift: int, names: set[str]) -> ExprError:
    from pglast import parser

    try:
        parser.parse_sql(_ascii_positions(text))
    except parser.ParseError as exc:
        message = str(exc.args[0])
        where = exc.args[1] if len(exc.args) > 1 else None
        at = where if isinstance(where, int) else len(text)  # None: at the end of input
    else:  # pragma: no cover - the masked text parses only if the original does
        return ExprError("expr-syntax", "not a valid SQL expression", "", 0)
    offset = min(max(at - shift, 0), len(sql))
    # A reserved word used as a column's name: say so, with the expression quoted.
    fixed, quoted = _quote_keywords(sql, names)
    if quoted:
        first = quoted[0]
        return ExprError(
            "expr-keyword",
            f'{first!r} is a reserved word in SQL, so it is not read as the column "{first}"',
            f"quote the column name: {fixed}",
            sql.lower().find(first),
            len(first),
        )
    if offset >= len(sql.rstrip()):
        message = "the expression is incomplete"
    return ExprError("expr-syntax", f"not a valid SQL expression: {message}", "", offset)


def _unmatched_close(tokens: Any) -> int | None:
    """Where a ')' closes more than was opened (it would close the DDL's own '(')."""
    depth = 0
    for token in tokens:
        if token.name == "ASCII_40":
            depth += 1
        elif token.name == "ASCII_41":
            depth -= 1
            if depth < 0:
                return int(token.start)
    return None


def _quote_keywords(sql: str, names: set[str]) -> tuple[str, list[str]]:
    """``sql`` with each bare keyword that names a column quoted, if that parses."""
    from pglast import parser

    quoted: list[str] = []
    out, last = [], 0
    for token in parser.scan(sql):
        word = sql[token.start : token.end + 1]
        if token.kind != "NO_KEYWORD" and word.lower() in names:
            out.append(sql[last : token.start] + '"' + word.lower() + '"')
            last = token.end + 1
            quoted.append(word.lower())
    fixed = "".join(out) + sql[last:]
    if not quoted:
        return sql, []
    try:
        parser.parse_sql(f"{_PREFIX}{fixed}\n)")
    except parser.ParseError:
        return sql, []
    return fixed, quoted


def _rules(
    analysis: Analysis, walk: Any, kind: Kind, target: str | None, generated: tuple[str, ...]
) -> Analysis:
    """What PostgreSQL requires of each kind of expression, as positioned errors."""
    errors = list(analysis.errors)
    what = _WHAT[kind]
    fix = "move it into a trigger, or compute it in the application"
    if walk.subquery_at is not None:
        errors.append(
            ExprError(
                "expr-subquery",
                f"a subquery is not allowed in {what}",
                "read other rows in a trigger, or use a foreign key",
                walk.subquery_at,
            )
        )
    for at, name in ((walk.aggregate_at, "an aggregate"), (walk.window_at, "a window function")):
        if at is not None:
            errors.append(
                ExprError(
                    "expr-aggregate", f"{name} is not allowed in {what}", fix, at[0], len(at[1])
                )
            )
    typ = analysis.type
    boolean = typ is None or typ in ("unknown", "null") or type_class(typ) == "boolean"
    if kind in ("check", "index_where") and not boolean and typ is not None:
        errors.append(
            ExprError(
                "expr-type",
                f"{what} must be a boolean expression, this one is of type {display(typ)}",
                "compare it with something, e.g. n > 0",
                0,
            )
        )
    if kind == "default" and walk.columns:
        col, at = walk.columns[0], walk.column_at[0]
        errors.append(
            ExprError(
                "expr-column",
                f'a DEFAULT cannot read a column ("{col}")',
                "use a generated column to compute a value from other columns",
                at,
                len(col),
            )
        )
    if kind == "generated":
        for col, at in zip(walk.columns, walk.column_at, strict=True):
            if col in generated:
                errors.append(
                    ExprError(
                        "expr-column",
                        f'a generated column cannot read another generated column ("{col}")',
                        "repeat that column's expression here instead",
                        at,
                        len(col),
                    )
                )
    if kind in ("generated", "index_where", "index_expr") and analysis.volatility != "immutable":
        cause = walk.volatile_cause
        errors.append(
            ExprError(
                "expr-volatile",
                f"{what} must be immutable, but {cause[1]} is {analysis.volatility}",
                _volatile_hint(kind, cause[1]),
                cause[0],
            )
        )
    if kind in ("default", "generated") and target is not None:
        want = base(target)
        if assignable(typ, want) is False and typ is not None and want is not None:
            errors.append(
                ExprError(
                    "expr-type",
                    f"{what} of type {display(typ)} cannot fill a column of type {display(want)}",
                    f"write an expression of type {display(want)}, or change the column's type",
                    0,
                )
            )
    errors.sort(key=lambda e: (e.offset, e.code))
    return Analysis(
        tuple(dict.fromkeys(errors)),
        analysis.columns,
        analysis.type,
        analysis.volatility,
        analysis.unknown_functions,
        analysis.aggregate,
        analysis.window,
        analysis.subquery,
    )


def _volatile_hint(kind: Kind, cause: str) -> str:
    if "time zone" in cause:
        return "use timestamp without time zone, or convert with AT TIME ZONE 'UTC'"
    if kind == "generated":
        return "use a DEFAULT for a value taken at insert time"
    return "index only immutable expressions; compare with now() in the query instead"
