"""Read the spec's spelling of a column type into a ``ColumnType``.

A type is a row of the type table (``types.py``) with its parameters
(``varchar(50)``, ``numeric(10,2)``), an enum declared under ``enums:``
(``status``, ``auth.role``), or a one-dimensional array of either (``text[]``,
``status[]``).  Literal defaults of any of them are checked here through
``literals``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from .literals import check_literal
from .source import ScalarInfo
from .sqltext import Literal, LiteralError
from .types import ALIASES, SPELLABLE, TYPES, ColumnType, did_you_mean

EnumLabels = Mapping[str, tuple[str, ...]]

VARCHAR_MAX = 10_485_760
NUMERIC_MAX_PRECISION = 1000

# Names people reach for out of habit from other tools, which PostgreSQL does
# not accept, and what it calls them.  (PostgreSQL's own other spellings, such
# as int4 or character varying, are the type table's ``aliases``: accepted.)
SYNONYMS: dict[str, str] = {
    "string": "text",
    "str": "text",
    "datetime": "timestamptz",
    "double": "double precision",
}
# PostgreSQL's serial types, and the identity column that replaces each.
SERIALS = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}


def serial_kind(text: str) -> str:
    """``serial``, ``bigserial`` or ``smallserial`` when a column is written so, else ""."""
    name = " ".join(text.lower().split())
    return name if name in SERIALS else ""


_TYPE_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*(?:\(\s*([^)]*?)\s*\))?\s*")
_IDENT = re.compile(r"[a-z_][a-z0-9_]*")

Parsed = tuple[ColumnType | None, str, str]  # (type, error, hint)


def parse_column_type(text: str, enums: EnumLabels) -> Parsed:
    """A column's type: a built-in type, an enum, or an array of either."""
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


@cache  # a spec repeats a handful of type spellings thousands of times
def parse_type(text: str) -> Parsed:
    """A built-in type with its parameters."""
    if text.lower() in SERIALS:  # only as an array element: a column's serial is read before
        return (
            None,
            f"{text!r} is not an array element type",
            f"write {SERIALS[text.lower()]}[]; serial makes a column that owns a sequence",
        )
    m = _TYPE_RE.fullmatch(text)
    if not m:
        return (
            None,
            f"cannot read type {text!r}",
            "write a type such as 'text', 'varchar(50)' or 'numeric(10,2)'",
        )
    # SQL keywords are case-insensitive and DDL copied from a dump is often upper
    # case (INT, VARCHAR(160)); every spelling is written back as the table's name.
    name, args = " ".join(m.group(1).lower().split()), m.group(2)
    name = ALIASES.get(name, name)
    info = TYPES.get(name)
    if info is not None and info.internal:
        return (
            None,
            f"{name!r} is not a type you can write",
            f"declare the {name} under '{name}s:' (e.g. {name}s: {{status: [draft, published]}}) "
            "and write its name as the type: type: status",
        )
    if info is None:
        if name in SYNONYMS:
            return None, f"unknown type {name!r}", f"PostgreSQL calls it {SYNONYMS[name]!r}"
        hint = did_you_mean(name, SPELLABLE) or f"known types: {', '.join(SPELLABLE)}"
        if args is None and _IDENT.fullmatch(name) and not hint.startswith("did you mean"):
            # Most likely an enum that is not declared (yet): say how to declare it.
            hint = f"to make it an enum, declare it under 'enums:', e.g. enums: {{{name}: [a, b]}}; {hint}"
        return None, f"unknown type {name!r}", hint
    if args is None:
        return ColumnType(name, length=1 if info.params == "length1" else None), "", ""
    parts = [p.strip() for p in args.split(",")]
    if not all(re.fullmatch(r"-?[0-9]+", p) for p in parts):
        return None, f"type parameters must be whole numbers in {text!r}", ""
    nums = [int(p) for p in parts]
    if info.params in ("length?", "length1"):
        if len(nums) != 1:
            return None, f"{name} takes one length", f"write {name}(N)"
        if not 1 <= nums[0] <= VARCHAR_MAX:
            return (
                None,
                f"{name} length {nums[0]} is out of range",
                f"use a length from 1 to {VARCHAR_MAX}, or 'text'",
            )
        return ColumnType(name, length=nums[0]), "", ""
    if info.params == "precision_scale":
        if len(nums) not in (1, 2):
            return None, f"{name} takes (precision) or (precision, scale)", "write numeric(10,2)"
        precision, scale = nums[0], nums[1] if len(nums) == 2 else 0
        if not 1 <= precision <= NUMERIC_MAX_PRECISION:
            return (
                None,
                f"numeric precision {precision} is out of range",
                f"use a precision from 1 to {NUMERIC_MAX_PRECISION}",
            )
        if not 0 <= scale <= precision:
            return (
                None,
                f"numeric scale {scale} is out of range",
                f"use a scale from 0 to the precision ({precision})",
            )
        return ColumnType(name, precision=precision, scale=scale), "", ""
    return None, f"type {name!r} takes no parameters", f"write {name}"


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
        items = [check_literal(ctype.element, v, None, enums) for v in value]
        cast = "::" + ctype.sql
        if not items:
            return Literal("'{}'" + cast, [])
        return Literal(
            "ARRAY[" + ", ".join(i.sql for i in items) + "]" + cast, [i.value for i in items]
        )
    return check_literal(ctype, value, info, enums)


__all__ = ["SERIALS", "check_column_literal", "parse_column_type", "parse_type", "serial_kind"]
