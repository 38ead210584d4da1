"""Literal defaults: check a YAML value against a column type, render it as SQL.

A literal is data, so it is always rendered as a quoted, escaped SQL string
(or a bare number/boolean); SQL expressions are written ``{sql: ...}`` in the
spec and never pass through here.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
import struct
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .source import ScalarInfo
from .sqltext import Literal, LiteralError, quote_string, value_kind
from .temporal import check_temporal
from .types import TYPES, ColumnType, did_you_mean

EnumLabels = Mapping[str, tuple[str, ...]]


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


def _number_hint(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", value.strip()):
        return f"remove the quotes: default: {value.strip()}"
    return "write a number (e.g. default: 0), or an SQL expression as default: {sql: ...}"


def _string(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    _ambiguous(info, "string default")
    if not isinstance(value, str):
        raise LiteralError(
            f"{ctype.sql} default must be a string, not {value_kind(value)}",
            f"quote it: default: '{info.raw if info else value}'",
        )
    if ctype.length is not None and len(value) > ctype.length:
        raise LiteralError(
            f"default is {len(value)} characters; {ctype.sql} holds {ctype.length}",
            f"shorten the default, or make the column varchar({len(value)}) or text",
        )
    return Literal(quote_string(value), value)


def _integer(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    _ambiguous(info, "number")
    if isinstance(value, bool) or not isinstance(value, int):
        raise LiteralError(
            f"{ctype.sql} default must be a whole number, not {value_kind(value)}",
            _number_hint(value),
        )
    lo, hi = ctype.info.int_range or (0, 0)
    if not lo <= value <= hi:
        # the widest integer type, unless this is it; then numeric
        widest = max(t.int_range[1] for t in TYPES.values() if t.int_range)
        wider = next(t.name for t in TYPES.values() if t.int_range and t.int_range[1] == widest)
        wider_name = wider if wider != ctype.name else "numeric"
        raise LiteralError(
            f"default {value} is out of range for {ctype.sql} ({lo} to {hi})",
            f"use a value in that range, or make the column {wider_name}",
        )
    return Literal(str(value), value)


def _numeric(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    _ambiguous(info, "number")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise LiteralError(
            f"{ctype.sql} default must be a number, not {value_kind(value)}", _number_hint(value)
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


def _boolean(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    if not isinstance(value, bool):
        hint = "write true or false"
        if info is not None and info.ambiguous:
            hint = f"{info.raw!r} is not a boolean in YAML 1.2; write true or false"
        raise LiteralError(f"boolean default must be true or false, not {value_kind(value)}", hint)
    return Literal("true" if value else "false", value)


def _uuid(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    if not isinstance(value, str):
        raise LiteralError(f"uuid default must be a quoted UUID string, not {value_kind(value)}")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise LiteralError(
            f"{value!r} is not a UUID",
            "for a random id write default: {sql: gen_random_uuid()}",
        ) from None
    return Literal(quote_string(str(parsed)), parsed)


def _interval(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-zA-Z :.+-]+", value):
        raise LiteralError("interval default must be a string such as '1 day'")
    raise LiteralError(
        "interval literals are not supported as defaults",
        f"write default: {{sql: \"interval '{value}'\"}}",
    )


def _json(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    except (TypeError, ValueError):
        raise LiteralError("default is not JSON") from None
    return Literal(quote_string(text) + "::" + ctype.name, value)


def _address(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    if not isinstance(value, str):
        raise LiteralError(f"{ctype.name} default must be a quoted address string")
    try:
        # The Python value psycopg reads back: a network, an interface, an address.
        parsed: Any = (
            ipaddress.ip_network(value)
            if ctype.info.literal == "cidr"
            else ipaddress.ip_interface(value)
            if "/" in value
            else ipaddress.ip_address(value)
        )
    except ValueError:
        raise LiteralError(f"{value!r} is not a valid {ctype.name} value") from None
    return Literal(quote_string(value), parsed)


def _enum(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    labels = enums.get(ctype.enum or "", ())
    if not isinstance(value, str) or value not in labels:
        guess = did_you_mean(str(value), list(labels)) if isinstance(value, str) else ""
        raise LiteralError(
            f"default {value!r} is not a label of enum {ctype.enum!r}",
            guess or f"labels: {', '.join(labels)}",
        )
    return Literal(quote_string(value), value)


def _none(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    raise LiteralError(f"{ctype.sql} columns take no literal default", "write default: {sql: ...}")


def _float(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    """A finite number that the column's float type holds without overflow or underflow
    (PostgreSQL refuses both; ``inf`` would even be read as a column name)."""
    _ambiguous(info, "number")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LiteralError(
            f"{ctype.sql} default must be a number, not {value_kind(value)}", _number_hint(value)
        )
    try:
        number = float(value)
        if ctype.info.literal == "float4":  # rounds to single precision
            number = struct.unpack("f", struct.pack("f", number))[0]
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or (number == 0.0 and value != 0):
        raise LiteralError(
            f"default {value} is out of range for {ctype.sql}",
            "use a smaller number, or make the column double precision or numeric",
        )
    return Literal(repr(float(value)), float(value))


Parser = Callable[[ColumnType, Any, "ScalarInfo | None", EnumLabels], Literal]

# The literal parsers the type table names (TypeInfo.literal).
PARSERS: dict[str, Parser] = {
    "string": _string,
    "integer": _integer,
    "numeric": _numeric,
    "float": _float,
    "float4": _float,
    "boolean": _boolean,
    "uuid": _uuid,
    "timestamp": check_temporal,
    "timestamptz": check_temporal,
    "date": check_temporal,
    "time": check_temporal,
    "interval": _interval,
    "json": _json,
    "inet": _address,
    "cidr": _address,
    "enum": _enum,
    "none": _none,
}


def check_literal(
    ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels
) -> Literal:
    """Check a literal default of one (non-array) value with the type's parser."""
    return PARSERS[ctype.info.literal](ctype, value, info, enums)
