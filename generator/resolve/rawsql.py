"""Pass ``rawsql``: the escape hatch, ``postgres: {before: ..., after: ...}``.

Raw SQL for what the spec cannot say, placed at a defined point of schema.sql.
Every statement must be one sqlglot parses into a real statement: an
unparsable one, or one sqlglot keeps only as an opaque ``Command`` (it could
hide anything), is an error naming the statement's line.  The statements are
copied as written and never read into the model.
"""

from __future__ import annotations

from .draft import Draft


def problems(sql: str) -> list[tuple[int, str]]:
    """(line in the block, problem) for each statement sqlglot cannot read."""
    import logging

    import sqlglot
    from sqlglot import TokenType, exp
    from sqlglot.errors import SqlglotError

    if "\x00" in sql:
        return [(1, "the SQL contains a NUL character")]
    try:
        tokens = sqlglot.tokenize(sql, read="postgres")
    except SqlglotError:
        return [(1, "an unterminated string, quoted name or dollar quote")]
    # Statements are split at top-level ';' tokens, so each is parsed (and
    # reported) on its own, with the line it starts on.
    out: list[tuple[int, str]] = []
    start = 0
    bounds: list[tuple[int, int]] = []
    for tok in tokens:
        if tok.token_type == TokenType.SEMICOLON:
            bounds.append((start, tok.end + 1))
            start = tok.end + 1
    if sql[start:].strip():
        bounds.append((start, len(sql)))
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the Commands sqlglot warns about are reported here
    try:
        for lo, hi in bounds:
            text = sql[lo:hi]
            if not text.strip().rstrip(";").strip():
                continue
            line = sql.count("\n", 0, lo + len(text) - len(text.lstrip())) + 1
            try:
                parsed = [s for s in sqlglot.parse(text, read="postgres") if s is not None]
            except SqlglotError as exc:
                out.append((line, f"sqlglot cannot parse it: {str(exc).splitlines()[0]}"))
                continue
            if any(isinstance(s, exp.Command) for s in parsed):
                head = " ".join(text.split())[:40]
                out.append((line, f"sqlglot reads {head!r} only as an opaque command"))
    finally:
        logger.setLevel(level)
    return out


def run(d: Draft) -> None:
    for key in ("before", "after"):
        sql = getattr(d.spec.postgres, key)
        if sql is None:
            continue
        found = problems(sql)
        for line, problem in found:
            d.error(
                "invalid-raw-sql",
                f"statement at line {line} of postgres.{key}: {problem}",
                ("postgres", key),
                "write statements sqlglot reads (CREATE, ALTER, GRANT, COMMENT...), each ending in ';'",
            )
        if not found:
            lines = sql.replace("\r\n", "\n").strip("\n").split("\n")
            d.raw_sql[key] = "\n".join(line.rstrip() for line in lines)
