"""Type names, their classes, and which class PostgreSQL converts into which.

An expression's type is tracked as a PostgreSQL base type name (``int4``,
``timestamptz``...) because volatility depends on it (a cast from
``timestamptz`` to ``date`` reads the session's TimeZone; one from
``timestamp`` does not).  Callers see the coarser class.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

TypeClass = Literal[
    "boolean",
    "numeric",
    "text",
    "timestamp",
    "date",
    "time",
    "interval",
    "json",
    "uuid",
    "bytea",
    "network",
    "enum",
    "array",
    "unknown",
]

# Pseudo-types of an expression: a quoted literal whose type PostgreSQL picks
# from its context ('5' can be an integer), and NULL, which fits anything.
LITERAL = "unknown"
NULL = "null"

# Every spelling a spec or a cast may use -> PostgreSQL's base name.
ALIASES: dict[str, str] = {
    "boolean": "bool",
    "bool": "bool",
    "smallint": "int2",
    "int2": "int2",
    "integer": "int4",
    "int": "int4",
    "int4": "int4",
    "bigint": "int8",
    "int8": "int8",
    "numeric": "numeric",
    "decimal": "numeric",
    "real": "float4",
    "float4": "float4",
    "double precision": "float8",
    "float8": "float8",
    "text": "text",
    "varchar": "varchar",
    "character varying": "varchar",
    "bpchar": "bpchar",
    "char": "bpchar",
    "name": "text",
    "citext": "citext",
    "timestamp": "timestamp",
    "timestamp without time zone": "timestamp",
    "timestamptz": "timestamptz",
    "timestamp with time zone": "timestamptz",
    "date": "date",
    "time": "time",
    "time without time zone": "time",
    "timetz": "timetz",
    "interval": "interval",
    "json": "json",
    "jsonb": "jsonb",
    "uuid": "uuid",
    "bytea": "bytea",
    "inet": "inet",
    "cidr": "cidr",
    "enum": "enum",
    **{t: t for t in ("tsvector", "tsquery", "int4range", "int8range", "numrange")},
    **{t: t for t in ("tsrange", "tstzrange", "daterange")},
}

# Types whose operators and functions the analysis does not model (comparisons
# with them are not judged), but whose assignment rule is plain: PostgreSQL 15
# has no assignment cast into them, and out of them only to string types.
OPAQUE = frozenset(("tsvector", "tsquery", "int4range", "int8range", "numrange"))
OPAQUE |= {"tsrange", "tstzrange", "daterange"}

CLASS: dict[str, TypeClass] = {
    "bool": "boolean",
    **dict.fromkeys(("int2", "int4", "int8", "numeric", "float4", "float8"), "numeric"),
    **dict.fromkeys(("text", "varchar", "bpchar", "citext"), "text"),
    **dict.fromkeys(("timestamp", "timestamptz"), "timestamp"),
    "date": "date",
    **dict.fromkeys(("time", "timetz"), "time"),
    "interval": "interval",
    **dict.fromkeys(("json", "jsonb"), "json"),
    "uuid": "uuid",
    "bytea": "bytea",
    **dict.fromkeys(("inet", "cidr"), "network"),
    "enum": "enum",
}

# The display name in messages, as PostgreSQL prints it.
DISPLAY: dict[str, str] = {
    "bool": "boolean",
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "varchar": "character varying",
    "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "time": "time without time zone",
    "bpchar": "character",
}


@cache  # the walk reads every column's type for every expression of its table
def base(name: str) -> str | None:
    """PostgreSQL's base name for a spec or SQL type name (``text[]`` stays an array)."""
    text = " ".join(name.lower().split())
    if text.endswith("[]"):
        inner = base(text[:-2])
        return f"{inner}[]" if inner else None
    if "(" in text:  # varchar(50), numeric(10,2)
        text = text[: text.index("(")].strip()
    return ALIASES.get(text)


def type_class(pg: str | None) -> TypeClass:
    if pg is None or pg in (LITERAL, NULL):
        return "unknown"
    if pg.endswith("[]"):
        return "array"
    return CLASS.get(pg, "unknown")


def display(pg: str) -> str:
    if pg.endswith("[]"):
        return display(pg[:-2]) + "[]"
    return DISPLAY.get(pg, pg)


# Pairs (from, to) PostgreSQL converts on assignment (pg_cast castcontext 'i' or
# 'a'), beyond same-class numeric and string conversions handled below.
_ASSIGN = {
    ("date", "timestamp"),
    ("timestamp", "date"),
    ("timestamp", "time"),
    ("time", "interval"),
    ("json", "json"),
}


def assignable(source: str | None, target: str | None) -> bool | None:
    """Does PostgreSQL store a value of ``source`` in a column of ``target``?

    None when we cannot tell (an unknown type on either side).
    """
    if source is None or target is None:
        return None
    if source in (LITERAL, NULL) or source == target:
        return True
    src, dst = type_class(source), type_class(target)
    if source in OPAQUE or target in OPAQUE:  # and source != target
        other = target if source in OPAQUE else source
        if dst == "text" and not target.endswith("[]"):
            return True
        return None if other not in OPAQUE and type_class(other) == "unknown" else False
    if "unknown" in (src, dst):
        return None
    if dst == "text" and not target.endswith("[]"):
        # Every type converts to a string type on assignment (I/O conversion).
        return True
    if src == dst:
        if src == "array":
            return assignable(source[:-2], target[:-2])
        # enum to enum: only the same enum, which we cannot name here.
        return None if src == "enum" else True
    return (src, dst) in _ASSIGN


# Classes whose values PostgreSQL can compare with each other without a cast.
_COMPARABLE = [
    {"numeric"},
    {"text"},
    {"timestamp", "date"},
    {"boolean"},
    {"uuid"},
    {"time"},
    {"interval"},
    {"network"},
    {"bytea"},
]


def comparable(left: str | None, right: str | None) -> bool | None:
    """Is there a comparison operator between the two types? None: cannot tell."""
    if left is None or right is None or LITERAL in (left, right) or NULL in (left, right):
        return None
    a, b = type_class(left), type_class(right)
    if left in OPAQUE or right in OPAQUE:  # a range or text search type: only with itself
        other = right if left in OPAQUE else left
        if left == right:
            return True
        return None if other not in OPAQUE and type_class(other) == "unknown" else False
    if "unknown" in (a, b):
        return None
    if a == b and a in ("enum", "array", "json"):
        # the same enum or array type, or jsonb with jsonb, compare; json has no '='
        return False if left == right == "json" else None
    if "enum" in (a, b) or "array" in (a, b) or "json" in (a, b):
        return False  # no operator between these and another class
    return any(a in group and b in group for group in _COMPARABLE)


# Explicit casts between classes beyond same-class and string I/O (pg_cast).
_CASTS = _ASSIGN | {
    ("interval", "time"),
    ("date", "timestamp"),
    ("timestamp", "timestamp"),
}
_CAST_PAIRS = {("int4", "bool"), ("bool", "int4")}
_JSONB_TO = {"numeric", "boolean"}  # jsonb -> numeric types and boolean (PostgreSQL 11+)


def castable(source: str | None, target: str | None) -> bool | None:
    """Does ``CAST(source AS target)`` exist?  None when we cannot tell."""
    if source is None or target is None or source in (LITERAL, NULL) or source == target:
        return None if source is None or target is None else True
    src, dst = type_class(source), type_class(target)
    if "text" in (src, dst):  # every type has text input and output
        return True
    if "unknown" in (src, dst) or src == dst == "array" or src == dst == "enum":
        return None
    if "array" in (src, dst) or "enum" in (src, dst):
        return False  # an array or enum converts only to text and its own kind
    if src == dst:
        return True
    if (source, target) in _CAST_PAIRS or (source == "jsonb" and dst in _JSONB_TO):
        return True
    return (src, dst) in _CASTS
