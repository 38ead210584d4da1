"""Parse one spec expression with PostgreSQL's grammar (pglast), or say why not.

The lexical checks refuse what would break the DDL around the expression;
the parse wraps it in the statement PostgreSQL reads it in (a SELECT list
item, or a column DEFAULT, whose grammar is narrower) and returns its node.
A syntax error names the reserved word used as a column, with the fix.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any, Literal

from ..records import Value, record

Kind = Literal["check", "default", "generated", "index_where", "index_expr"]

# Longer expressions are refused before parsing: libpg_query turns the parse
# tree into Python objects recursively, and a chain of some 30,000 operators
# overflows the C stack (a crash, not an exception).  Nesting is bounded for
# the same reason; PostgreSQL's own grammar stops near 10,000 levels.
MAX_LENGTH = 10_000
MAX_DEPTH = 200
_PREFIX = "SELECT ("
_DEFAULT_PREFIX = "CREATE TABLE t (c int DEFAULT "


@record
class ExprError(Value):
    """A problem in an expression, at a character offset into its text."""

    code: str  # expr-syntax, expr-column, expr-keyword, expr-type, expr-volatile, ...
    message: str
    hint: str
    offset: int  # characters into the expression
    length: int = 0


def precheck(sql: str) -> ExprError | None:
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


@cache  # pure in ``sql``; specs repeat the same defaults in every table
def lexical(sql: str) -> ExprError | None:
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


def parse(sql: str, kind: Kind, names: Collection[str]) -> tuple[Any, int] | ExprError:
    """The expression's node and where the expression starts in the parsed text.

    ``names`` are the table's column names (any case); only a syntax error reads them.
    """
    prefix = _DEFAULT_PREFIX if kind == "default" else _PREFIX
    # A newline before the closing parenthesis: a '--' comment cannot swallow it.
    text = f"{prefix}{sql}\n)"
    statements = _statements(text)
    if statements is None:
        if kind == "default":  # say whether parentheses would make it valid
            retry = parse(sql, "check", names)
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


def literal_offsets(sql: str, kind: Kind, node: Any) -> dict[int, int]:
    """Where each constant of ``node`` starts in ``sql``, by the node's id().

    pglast's Python tree drops a constant's location; libpg_query's JSON keeps
    it, and lists the constants in the same order as the tree's fields, so
    the n-th constant of one is the n-th of the other.
    """
    if "'" not in sql:
        return {}
    import json

    from pglast.parser import parse_sql_json

    prefix = _DEFAULT_PREFIX if kind == "default" else _PREFIX
    located: list[int] = []
    text = _ascii_positions(f"{prefix}{sql}\n)")  # the JSON counts bytes; we, characters
    _json_constants(json.loads(parse_sql_json(text)), located)
    nodes: list[Any] = []
    _tree_constants(node, nodes)
    if kind == "default":  # the JSON holds the whole statement; the tree, the default
        located = located[-len(nodes) :] if nodes else []
    return {
        id(n): at - len(prefix) for n, at in zip(nodes, located, strict=False) if at >= len(prefix)
    }


def statement_constants(sql: str, stmt: Any) -> dict[int, int]:
    """literal_offsets for a whole statement (a view's query) parsed from ``sql``."""
    if "'" not in sql:
        return {}
    import json

    from pglast.parser import parse_sql_json

    located: list[int] = []  # in characters: the JSON counts bytes
    _json_constants(json.loads(parse_sql_json(_ascii_positions(sql))), located)
    nodes: list[Any] = []
    _tree_constants(stmt, nodes)
    return {id(n): at for n, at in zip(nodes, located, strict=False) if at >= 0}


def _json_constants(obj: Any, out: list[int]) -> None:
    if isinstance(obj, list):
        for item in obj:
            _json_constants(item, out)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if key == "A_Const":
                out.append(value.get("location", -1))
            else:
                _json_constants(value, out)


def _tree_constants(node: Any, out: list[Any]) -> None:
    if isinstance(node, tuple):
        for item in node:
            _tree_constants(item, out)
    elif hasattr(node, "__slots__"):
        if type(node).__name__ == "A_Const":
            out.append(node)
            return
        for name in node.__slots__:
            _tree_constants(getattr(node, name, None), out)


@cache
def _statements(text: str) -> tuple[Any, ...] | None:
    """pglast's statements for ``text``, None on a syntax error.

    Specs repeat the same defaults (now(), gen_random_uuid()) in every table,
    and pglast builds each tree node by node in Python (57 us for ``now()``):
    one parse per distinct text.  The nodes are shared, so callers only read them.
    """
    from pglast import parse_sql
    from pglast.parser import ParseError

    try:
        return tuple(parse_sql(text))
    except ParseError:
        return None


def _single_column(stmt: Any) -> bool:
    elts: Any = getattr(stmt, "tableElts", None) or ()
    if len(elts) != 1 or type(elts[0]).__name__ != "ColumnDef":
        return False
    cons: Any = elts[0].constraints or ()
    return len(cons) == 1 and cons[0].raw_expr is not None


def _syntax_error(sql: str, text: str, shift: int, names: Collection[str]) -> ExprError:
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
    fixed, quoted = _quote_keywords(sql, {name.lower() for name in names})
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
