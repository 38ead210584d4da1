"""Check SQL expressions written in the spec (defaults; later checks and generated columns).

sqlglot is imported here, lazily, so that commands which never meet an
expression do not pay for it.
"""

from __future__ import annotations

from functools import cache


@cache  # the same few expressions (now(), gen_random_uuid()) recur in every table
def check_expression(text: str) -> str:
    """Return an error message, or "" when ``text`` is one SQL expression.

    Wrapping the text in ``SELECT (...)`` makes sqlglot parse exactly one
    expression: a second statement (``now(); DROP TABLE x``) cannot hide in it.
    """
    if not text.strip():
        return "the SQL expression is empty"
    if "\x00" in text:
        return "the SQL expression contains a NUL character"
    import sqlglot
    from sqlglot import TokenType, exp
    from sqlglot.errors import SqlglotError

    try:
        tokens = sqlglot.tokenize(text, read="postgres")
    except SqlglotError as exc:
        return f"not a valid SQL expression: {_first_line(exc)}"
    if any(t.token_type == TokenType.SEMICOLON for t in tokens):
        # The classic injection shape (now(); DROP TABLE x): say so plainly.
        return "a ';' ends the expression: write one SQL expression, not statements"
    if any(t.comments for t in tokens):
        # In the DDL a '--' comment would swallow the ',' after the default.
        return "comments ('--', '/* */') are not allowed in an SQL expression"
    if any(set(text[t.start : t.end + 1]) & {"\n", "\r"} for t in tokens):
        # The output is normalised line by line (trailing spaces, line endings).
        return "a line break inside a quoted string or name; write it as E'...\\n...'"
    try:
        statements = sqlglot.parse(f"SELECT ({text}\n)", read="postgres")
    except SqlglotError as exc:
        return f"not a valid SQL expression: {_first_line(exc)}"
    if len(statements) != 1 or not isinstance(statements[0], exp.Select):
        return "not a single SQL expression"
    select = statements[0]
    if len(select.expressions) != 1 or select.args.get("from_") or select.args.get("from"):
        return "not a single SQL expression"
    if select.expressions[0].find(exp.Query) is not None:
        return "subqueries are not allowed here"
    return ""


def _first_line(exc: Exception) -> str:
    """sqlglot's message without its "Line 1, Col: 13." (a position in our wrapper, not the spec)."""
    errors = getattr(exc, "errors", None)
    text = str(errors[0]["description"]) if errors else str(exc).splitlines()[0]
    if text.startswith("Required keyword"):  # names sqlglot's classes, not the user's text
        return "the expression is incomplete"
    if text.startswith("Error tokenizing"):
        return "an unterminated string or quoted name"
    return text


@cache
def expression_columns(text: str) -> tuple[tuple[str, bool], ...]:
    """The column names an expression reads, in order of first use, as (name, quoted).

    Call only after ``check_expression`` found no problem.  Unquoted names are
    returned as written; PostgreSQL folds them to lower case, and the caller
    compares accordingly.
    """
    import sqlglot
    from sqlglot import exp

    select = sqlglot.parse_one(f"SELECT ({text}\n)", read="postgres")
    seen: dict[str, bool] = {}
    for node in select.find_all(exp.Column, bfs=False):
        ident = node.this
        if isinstance(ident, exp.Identifier) and not node.table:
            seen.setdefault(ident.name, bool(ident.quoted))
    return tuple(seen.items())


@cache
def check_default_expression(text: str) -> str:
    """``check_expression`` plus what a column DEFAULT needs on top.

    In ``DEFAULT <expr>`` PostgreSQL (and sqlglot) read a restricted grammar:
    ``1 < 2`` or ``x IS NULL`` must be parenthesised there, or the DDL breaks.
    And a default cannot read a column.
    """
    problem = check_expression(text)
    if problem:
        return problem
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    wanted = sqlglot.parse_one(f"SELECT ({text}\n)", read="postgres").expressions[0].this
    try:
        table = sqlglot.parse_one(f"CREATE TABLE t (c int DEFAULT {text}\n)", read="postgres")
        column = table.this.expressions[0]
        got = [
            c.kind.this
            for c in column.constraints
            if isinstance(c.kind, exp.DefaultColumnConstraint)
        ]
    except (SqlglotError, AttributeError, IndexError):
        got = []
    if got != [wanted]:
        return f"in a DEFAULT this expression must be written in parentheses: ({text.strip()})"
    if wanted.find(exp.Column) is not None:
        return "a default cannot read a column (PostgreSQL refuses column references here)"
    return ""
