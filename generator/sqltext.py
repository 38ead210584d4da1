"""Literal values as SQL: the checked literal, its error, and quoting text so
PostgreSQL reads it back byte for byte.

Shared by the literal parsers (``literals.py``, ``temporal.py``) and the DDL
output (enum labels, comments).
"""

from __future__ import annotations

import re
from typing import Any

from .records import Value, record


@record
class Literal(Value):
    """A SQL literal and the Python value it stands for."""

    sql: str  # the SQL text of the default, e.g. 'x' or 0
    value: Any  # the Python value, for the generated code


class LiteralError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNICODE_ESCAPE = re.compile(r"\\(\\|[0-9a-fA-F]{4}|\+[0-9a-fA-F]{6})")


def _survives_normalising(text: str) -> bool:
    """True when the rendered file's line clean-up (``\\r\\n`` to ``\\n``, trailing
    whitespace stripped) cannot change the text: no control character but
    ``\\n``, and no whitespace just before a line break."""
    lines = text.split("\n")
    return not _CONTROL.search("".join(lines)) and not any(
        line[-1:].isspace() for line in lines[:-1]
    )


def quote_string(text: str) -> str:
    """An SQL string literal that PostgreSQL reads back byte for byte.

    Usually a standard literal: ``standard_conforming_strings`` is on (since
    9.1), so only the single quote is doubled and backslashes and ``$$`` are
    ordinary characters; a multi-line description stays readable.  Text that
    the output's line clean-up would change (a ``\\r``, a tab or other control
    character, spaces before a line break) becomes a Unicode-escape literal,
    ``U&'a\\000db'``, with every control character escaped: no raw line break
    is left inside it, so neither our renderer nor an editor or git can alter it.  (``U&`` rather than ``E``: sqlglot reads it
    in every position, COMMENT ON included.)  NUL is refused: no text holds it.
    """
    if "\x00" in text:
        raise LiteralError("text cannot contain a NUL character", "remove the NUL character")
    if _survives_normalising(text):
        return "'" + text.replace("'", "''") + "'"
    body = text.replace("\\", "\\\\").replace("'", "''")
    return "U&'" + _CONTROL.sub(lambda m: f"\\{ord(m[0]):04x}", body) + "'"


def read_unicode_literal(body: str) -> str:
    """The text of a ``U&'...'`` literal's body (quotes already undoubled), for checks."""
    return _UNICODE_ESCAPE.sub(
        lambda m: "\\" if m[1] == "\\" else chr(int(m[1].lstrip("+"), 16)), body
    )


def value_kind(value: Any) -> str:
    """How an error message names a YAML value: "a string", "a number"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
