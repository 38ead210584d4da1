"""Split an SQL script into statements and the transactions it asks for.

``up.sql`` is written to run unchanged under ``psql -v ON_ERROR_STOP=1 -f``, so
its transaction boundaries are explicit ``BEGIN;`` / ``COMMIT;`` statements,
and what cannot run in a transaction (``CREATE INDEX CONCURRENTLY``, an enum
label that a later statement uses) stands between them.  ``migrate apply``
runs the same file the same way: each BEGIN..COMMIT block in one transaction,
each statement outside a block on its own.  A script without any BEGIN (one
written by hand) runs as a single transaction.

Pure functions; the splitter knows PostgreSQL's quoting: '...', E'...' with
backslash escapes, "...", $tag$...$tag$, -- and nested /* */ comments.
"""

from __future__ import annotations

import re

from ..records import Value, record

_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_BEGIN = re.compile(
    r"(BEGIN|START\s+TRANSACTION)(\s+(WORK|TRANSACTION))?(\s+ISOLATION\s+.*)?", re.I | re.S
)
_COMMIT = re.compile(r"(COMMIT|END)(\s+(WORK|TRANSACTION))?", re.I)


class ScriptError(ValueError):
    pass


@record
class Statement(Value):
    sql: str  # as written, leading comments included, without the final ';'
    line: int  # where it starts in the file (1-based), for error messages


@record
class Segment(Value):
    transaction: bool  # True: run all statements in one transaction
    statements: tuple[Statement, ...]


def _skip_quoted(text: str, i: int, quote: str, backslash: bool) -> int:
    """Index just after the closing quote of a literal or identifier opened at i."""
    j = i + 1
    while j < len(text):
        c = text[j]
        if backslash and c == "\\":
            j += 2
            continue
        if c == quote:
            if j + 1 < len(text) and text[j + 1] == quote:  # doubled: an escaped quote
                j += 2
                continue
            return j + 1
        j += 1
    raise ScriptError(f"unterminated {quote} quote")


def _skip_block_comment(text: str, i: int) -> int:
    depth, j = 0, i
    while j < len(text):
        if text.startswith("/*", j):
            depth, j = depth + 1, j + 2
        elif text.startswith("*/", j):
            depth, j = depth - 1, j + 2
            if depth == 0:
                return j
        else:
            j += 1
    raise ScriptError("unterminated /* comment")


def _strip_comments(sql: str) -> str:
    out, i = [], 0
    while i < len(sql):
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end + 1
        elif sql.startswith("/*", i):
            i = _skip_block_comment(sql, i)
        else:
            out.append(sql[i])
            i += 1
    return "".join(out).strip()


def _code_start(chunk: str) -> int:
    """Where the first token after leading whitespace and comments is."""
    i = 0
    while i < len(chunk):
        if chunk[i].isspace():
            i += 1
        elif chunk.startswith("--", i):
            end = chunk.find("\n", i)
            i = len(chunk) if end < 0 else end + 1
        elif chunk.startswith("/*", i):
            i = _skip_block_comment(chunk, i)
        else:
            break
    return i


def split(text: str) -> list[Statement]:
    """The statements of a script, in order; comment-only stretches are dropped."""
    statements: list[Statement] = []
    start, i = 0, 0

    def emit(end: int) -> None:
        chunk = text[start:end]
        if _strip_comments(chunk):
            line = text.count("\n", 0, start + _code_start(chunk)) + 1
            statements.append(Statement(chunk.strip(), line))

    while i < len(text):
        c = text[i]
        if text.startswith("--", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
        elif text.startswith("/*", i):
            i = _skip_block_comment(text, i)
        elif c == "'":
            escaped = (
                i > 0
                and text[i - 1] in "eE"
                and not (i > 1 and (text[i - 2].isalnum() or text[i - 2] == "_"))
            )
            i = _skip_quoted(text, i, "'", escaped)
        elif c == '"':
            i = _skip_quoted(text, i, '"', False)
        elif (
            c == "$"
            and (m := _DOLLAR.match(text, i))
            and not (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"))
        ):
            close = text.find(m.group(0), m.end())
            if close < 0:
                raise ScriptError(f"unterminated {m.group(0)} quote")
            i = close + len(m.group(0))
        elif c == ";":
            emit(i)
            start = i = i + 1
        else:
            i += 1
    emit(len(text))
    return statements


def segments(text: str) -> list[Segment]:
    """The script as transactions and lone statements, in order."""
    statements = split(text)
    kinds = [
        "begin" if _BEGIN.fullmatch(s) else "commit" if _COMMIT.fullmatch(s) else ""
        for s in (_strip_comments(st.sql) for st in statements)
    ]
    if "begin" not in kinds:
        if "commit" in kinds:
            raise ScriptError(
                f"line {statements[kinds.index('commit')].line}: COMMIT without BEGIN"
            )
        return [Segment(True, tuple(statements))] if statements else []
    result: list[Segment] = []
    block: list[Statement] | None = None
    for st, kind in zip(statements, kinds, strict=True):
        if kind == "begin":
            if block is not None:
                raise ScriptError(f"line {st.line}: BEGIN inside a transaction block")
            block = []
        elif kind == "commit":
            if block is None:
                raise ScriptError(f"line {st.line}: COMMIT without BEGIN")
            if block:
                result.append(Segment(True, tuple(block)))
            block = None
        elif block is not None:
            block.append(st)
        else:
            result.append(Segment(False, (st,)))
    if block is not None:
        raise ScriptError("BEGIN without COMMIT at the end of the script")
    return result
