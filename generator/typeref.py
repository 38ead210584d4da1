"""Column types beyond the type table: enums, arrays, and their literal defaults.

``types.parse_type`` knows the built-in types; a column may also name an enum
declared under ``enums:`` (``status``, ``auth.role``) or ask for a
one-dimensional array of either (``text[]``, ``status[]``).  Literal defaults
of those kinds are checked here; everything else goes to ``literals``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from .literals import Literal, LiteralError, check_literal, quote_string
from .source import ScalarInfo
from .types import ColumnType, did_you_mean, parse_type

EnumLabels = Mapping[str, tuple[str, ...]]
_SERIALS = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}


def parse_column_type(text: str, enums: EnumLabels) -> tuple[ColumnType | None, str, str]:
    """Like ``parse_type``, plus enum names and a trailing ``[]``; (type, error, hint)."""
    base = text.strip()
    array = base.endswith("[]")
    if array:
        base = base[:-2].rstrip()
        if base.endswith("[]"):
            return (
                None,
                f"multi-dimensional arrays are not supported: {text!r}",
                "use one pair of brackets, e.g. 'integer[]', or a jsonb column",
            )
    if base in enums:
        return ColumnType("enum", enum=base, array=array), "", ""
    if base in _SERIALS:
        return (
            None,
            f"unknown type {base!r}",
            f"write {{type: {_SERIALS[base]}, identity: by_default}}: "
            "an identity column is PostgreSQL's modern serial",
        )
    ctype, message, hint = parse_type(base)
    if ctype is None:
        if "unknown type" in message and enums:
            hint = did_you_mean(base, sorted(enums)) or hint
            if not hint.startswith("did you mean"):
                hint += f"; enums: {', '.join(enums)}"
        return None, message, hint
    if array:
        ctype = ColumnType(ctype.name, ctype.length, ctype.precision, ctype.scale, array=True)
    return ctype, "", ""


def check_column_literal(
    ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels
) -> Literal:
    """Check a literal default against any column type, including enums and arrays."""
    if ctype.array:
        if not isinstance(value, list):
            raise LiteralError(
                f"{ctype.sql} default must be a list",
                "write default: [] or default: [a, b], or an SQL expression {sql: ...}",
            )
        # Elements come from a YAML sequence, so their scalar info is not at hand.
        items = [_element(ctype.element, v, None, enums) for v in value]
        cast = "::" + ctype.sql
        if not items:
            return Literal("'{}'" + cast, [])
        return Literal(
            "ARRAY[" + ", ".join(i.sql for i in items) + "]" + cast, [i.value for i in items]
        )
    return _element(ctype, value, info, enums)


def _element(ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: EnumLabels) -> Literal:
    if ctype.enum is not None:
        labels = enums.get(ctype.enum, ())
        if not isinstance(value, str) or value not in labels:
            guess = did_you_mean(str(value), list(labels)) if isinstance(value, str) else ""
            raise LiteralError(
                f"default {value!r} is not a label of enum {ctype.enum!r}",
                guess or f"labels: {', '.join(labels)}",
            )
        return Literal(quote_string(value), value)
    if ctype.name in ("inet", "cidr"):
        if not isinstance(value, str):
            raise LiteralError(f"{ctype.name} default must be a quoted address string")
        try:
            # The Python value psycopg reads back: a network, an interface, an address.
            parsed: Any = (
                ipaddress.ip_network(value)
                if ctype.name == "cidr"
                else ipaddress.ip_interface(value)
                if "/" in value
                else ipaddress.ip_address(value)
            )
        except ValueError:
            raise LiteralError(f"{value!r} is not a valid {ctype.name} value") from None
        return Literal(quote_string(value), parsed)
    return check_literal(ctype, value, info)
