"""Literal defaults: check a YAML value against a column type, render it as SQL.

A literal is data, so it is always rendered as a quoted, escaped SQL string
(or a bare number/boolean); SQL expressions are written ``{sql: ...}`` in the
spec and never pass through here.
"""

from __future__ import annotations

import json
import math
import re
import struct
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from .source import ScalarInfo
from .types import ColumnType


@dataclass(frozen=True)
class Literal:
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


def _ambiguous(info: ScalarInfo | None, expected: str) -> None:
    if info is not None and info.plain and info.ambiguous:
        if expected == "number":
            # Quoting would make it a string, which a number column refuses: say
            # which plain number to write instead.
            plain = info.raw.replace("_", "")
            hint = "write a plain decimal number"
            if re.fullmatch(r"[-+]?0[0-7]+", plain):
                hint = f"write {int(plain)}, or {int(plain, 8)} if you meant the octal {info.raw}"
            elif re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", plain):
                hint = f"write {plain}"
        else:
            hint = f"quote it ('{info.raw}') if you mean the text, or write the value unambiguously"
        raise LiteralError(
            f"unquoted {info.raw!r} {info.ambiguous}; it is ambiguous as a {expected}", hint
        )


def _kind(value: Any) -> str:
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


def _number_hint(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", value.strip()):
        return f"remove the quotes: default: {value.strip()}"
    return "write a number (e.g. default: 0), or an SQL expression as default: {sql: ...}"


def check_literal(ctype: ColumnType, value: Any, info: ScalarInfo | None) -> Literal:
    kind = ctype.info.literal
    if kind == "string":
        _ambiguous(info, "string default")
        if not isinstance(value, str):
            raise LiteralError(
                f"{ctype.sql} default must be a string, not {_kind(value)}",
                f"quote it: default: '{info.raw if info else value}'",
            )
        if ctype.length is not None and len(value) > ctype.length:
            raise LiteralError(
                f"default is {len(value)} characters; {ctype.sql} holds {ctype.length}",
                f"shorten the default, or make the column varchar({len(value)}) or text",
            )
        return Literal(quote_string(value), value)
    if kind == "integer":
        _ambiguous(info, "number")
        if isinstance(value, bool) or not isinstance(value, int):
            raise LiteralError(
                f"{ctype.sql} default must be a whole number, not {_kind(value)}",
                _number_hint(value),
            )
        lo, hi = ctype.info.int_range or (0, 0)
        if not lo <= value <= hi:
            wider = "bigint" if ctype.name != "bigint" else "numeric"
            raise LiteralError(
                f"default {value} is out of range for {ctype.sql} ({lo} to {hi})",
                f"use a value in that range, or make the column {wider}",
            )
        return Literal(str(value), value)
    if kind == "numeric":
        _ambiguous(info, "number")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise LiteralError(
                f"{ctype.sql} default must be a number, not {_kind(value)}", _number_hint(value)
            )
        raw = info.raw if info is not None and not isinstance(value, str) else str(value)
        try:
            dec = Decimal(raw)
        except InvalidOperation:
            raise LiteralError(f"{raw!r} is not a number") from None
        if not dec.is_finite():
            raise LiteralError(f"{raw!r} is not a finite number")
        if ctype.precision is not None:
            sign, digits, exp = dec.as_tuple()
            scale = max(-int(exp), 0)
            whole = len(digits) + int(exp) if int(exp) < 0 else len(digits) + int(exp)
            if scale > (ctype.scale or 0):
                raise LiteralError(
                    f"{raw} has {scale} decimal places; {ctype.sql} keeps {ctype.scale or 0}",
                    "round the default (PostgreSQL would round it silently), or raise the scale",
                )
            allowed = ctype.precision - (ctype.scale or 0)
            if max(whole, 0) > allowed:
                raise LiteralError(
                    f"{raw} has {whole} digits before the decimal point; {ctype.sql} allows {allowed}",
                    "use a smaller default, or raise the precision",
                )
        return Literal(str(dec), dec)
    if kind == "float":
        _ambiguous(info, "number")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LiteralError(
                f"{ctype.sql} default must be a number, not {_kind(value)}", _number_hint(value)
            )
        return _float(ctype, value)
    if kind == "boolean":
        if not isinstance(value, bool):
            hint = "write true or false"
            if info is not None and info.ambiguous:
                hint = f"{info.raw!r} is not a boolean in YAML 1.2; write true or false"
            raise LiteralError(f"boolean default must be true or false, not {_kind(value)}", hint)
        return Literal("true" if value else "false", value)
    if kind == "uuid":
        if not isinstance(value, str):
            raise LiteralError(f"uuid default must be a quoted UUID string, not {_kind(value)}")
        try:
            parsed = uuid.UUID(value)
        except ValueError:
            raise LiteralError(
                f"{value!r} is not a UUID",
                "for a random id write default: {sql: gen_random_uuid()}",
            ) from None
        return Literal(quote_string(str(parsed)), parsed)
    if kind in ("timestamp", "timestamptz", "date", "time"):
        return _temporal(ctype, kind, value, info)
    if kind == "interval":
        if not isinstance(value, str) or not re.fullmatch(r"[0-9a-zA-Z :.+-]+", value):
            raise LiteralError("interval default must be a string such as '1 day'")
        raise LiteralError(
            "interval literals are not supported as defaults",
            f"write default: {{sql: \"interval '{value}'\"}}",
        )
    if kind == "json":
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        except (TypeError, ValueError):
            raise LiteralError("default is not JSON") from None
        return Literal(quote_string(text) + "::" + ctype.name, value)
    raise LiteralError(f"{ctype.sql} columns take no literal default", "write default: {sql: ...}")


def _float(ctype: ColumnType, value: int | float) -> Literal:
    """A finite number that the column's float type holds without overflow or underflow
    (PostgreSQL refuses both; ``inf`` would even be read as a column name)."""
    try:
        number = float(value)
        if ctype.name == "real":
            number = struct.unpack("f", struct.pack("f", number))[0]
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or (number == 0.0 and value != 0):
        raise LiteralError(
            f"default {value} is out of range for {ctype.sql}",
            "use a smaller number, or make the column double precision or numeric",
        )
    return Literal(repr(float(value)), float(value))


# What PostgreSQL and Python's fromisoformat both read the same way: ISO 8601
# extended format only (no week dates, no basic format, at most microseconds).
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
_ZONE = r"(Z|[+-](0[0-9]|1[0-5])(:[0-5][0-9])?)"
_TEMPORAL_FORMS = {
    "date": (re.compile(_DATE), "'2024-01-31'"),
    "time": (re.compile(_TIME), "'13:45' or '13:45:30.5'"),
    "timestamp": (re.compile(f"{_DATE}([T ]{_TIME})?"), "'2024-01-31 13:45:00'"),
    "timestamptz": (re.compile(f"{_DATE}[T ]{_TIME}{_ZONE}"), "'2024-01-31T13:45:00Z'"),
}


def _temporal(ctype: ColumnType, kind: str, value: Any, info: ScalarInfo | None) -> Literal:
    if info is not None and info.plain and info.ambiguous and isinstance(value, str):
        raise LiteralError(
            f"unquoted {value!r} {info.ambiguous}",
            f"quote it: default: '{value}'",
        )
    if not isinstance(value, str):
        raise LiteralError(
            f"{ctype.sql} default must be a quoted ISO 8601 string, not {_kind(value)}"
        )
    if value.strip().lower() in ("now", "today", "current_timestamp", "current_date"):
        raise LiteralError(
            f"the literal {value!r} is evaluated once, when the table is created",
            "for the time of each insert write default: {sql: now()}",
        )
    form, example = _TEMPORAL_FORMS[kind]
    if kind in ("time", "timestamp") and re.fullmatch(f"({_DATE}[T ])?{_TIME}{_ZONE}", value):
        raise LiteralError(
            f"{value!r} has a time zone, but a {ctype.sql} column keeps none",
            "remove the zone (PostgreSQL would drop it silently), or use timestamptz",
        )
    if not form.fullmatch(value) and not (
        kind == "timestamptz" and re.fullmatch(f"{_DATE}([T ]{_TIME})?", value)
    ):
        raise LiteralError(
            f"{value!r} is not a {ctype.sql} in ISO 8601 form", f"write it like {example}"
        )
    try:
        parsed: Any
        if kind == "date":
            parsed = date.fromisoformat(value)
        elif kind == "time":
            parsed = time.fromisoformat(value)
        else:
            parsed = datetime.fromisoformat(value)
            if kind == "timestamptz" and parsed.tzinfo is None:
                raise LiteralError(
                    f"{value!r} has no time zone", "add one, e.g. '2024-01-01T00:00:00Z'"
                )
            if kind == "timestamp" and parsed.tzinfo is not None:
                raise LiteralError(
                    f"{value!r} has a time zone but the column is timestamp without one"
                )
    except ValueError as exc:
        if isinstance(exc, LiteralError):
            raise
        raise LiteralError(f"{value!r} is not an ISO 8601 {kind}") from None
    return Literal(quote_string(value), parsed)
