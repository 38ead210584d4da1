"""Literal defaults: check a YAML value against a column type, render it as SQL.

A literal is data, so it is always rendered as a quoted, escaped SQL string
(or a bare number/boolean); SQL expressions are written ``{sql: ...}`` in the
spec and never pass through here.
"""

from __future__ import annotations

import json
import re
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


def quote_string(text: str) -> str:
    """A standard SQL string literal: only the single quote needs doubling.

    PostgreSQL has ``standard_conforming_strings`` on since 9.1, so backslashes
    are ordinary characters; we refuse NUL, which no text value may contain.
    """
    if "\x00" in text:
        raise LiteralError("text cannot contain a NUL character", "remove the NUL character")
    return "'" + text.replace("'", "''") + "'"


def _ambiguous(info: ScalarInfo | None, expected: str) -> None:
    if info is not None and info.plain and info.ambiguous:
        raise LiteralError(
            f"unquoted {info.raw!r} {info.ambiguous}; it is ambiguous as a {expected}",
            f"quote it ('{info.raw}') if you mean the text, or write the value unambiguously",
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
        return Literal(repr(float(value)), float(value))
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
