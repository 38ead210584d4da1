"""Type names, their classes, and which class PostgreSQL converts into which.

An expression's type is tracked as a PostgreSQL base type name (``int4``,
``timestamptz``...) because volatility depends on it (a cast from
``timestamptz`` to ``date`` reads the session's TimeZone; one from
``timestamp`` does not).  Callers see the coarser class.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

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
    "timetz": "time with time zone",
    "varbit": "bit varying",
    "char": '"char"',
}


@cache  # the walk reads every column's type for every expression of its table
def base(name: str) -> str | None:
    """PostgreSQL's base name for a spec or SQL type name (``text[]`` stays an array)."""
    text = " ".join(name.lower().split())
    if text.endswith("[]"):
        inner = base(text[:-2])
        return f"{inner}[]" if inner else None
    if name.startswith("enum:"):  # a named enum of the spec: enum:status, enum:auth.role
        return name
    if "(" in text:  # varchar(50), numeric(10,2)
        text = text[: text.index("(")].strip()
    return ALIASES.get(text)


def type_class(pg: str | None) -> TypeClass:
    if pg is None or pg in (LITERAL, NULL):
        return "unknown"
    if pg.endswith("[]"):
        return "array"
    if pg.startswith("enum:"):
        return "enum"
    return CLASS.get(pg, "unknown")


def display(pg: str) -> str:
    if pg.endswith("[]"):
        return display(pg[:-2]) + "[]"
    if pg.startswith("enum:"):
        return pg[5:]
    return DISPLAY.get(pg, pg)


def _conv(extensions: frozenset[str]) -> Any:
    from .catalog import load
    from .typeconv import TypeConv

    return TypeConv(load().view(extensions))


def _judge(
    source: str | None, target: str | None, context: str, ext: frozenset[str]
) -> bool | None:
    if source is None or target is None:
        return None
    conv = _conv(ext)
    if not (conv.known(source) and conv.known(target)):
        return None
    if source == "enum" and target == "enum":
        return None  # two enums: the same one converts, another does not
    return bool(conv.coercible(source, target, context))


def assignable(
    source: str | None, target: str | None, extensions: frozenset[str] = frozenset()
) -> bool | None:
    """Does PostgreSQL store a value of ``source`` in a column of ``target``
    (an assignment cast, pg_cast and I/O)?  None when we cannot tell."""
    return _judge(source, target, "a", extensions)


def comparable(
    left: str | None, right: str | None, extensions: frozenset[str] = frozenset()
) -> bool | None:
    """Is there an '=' operator between the two types?  None: cannot tell."""
    from . import overload

    if left is None or right is None or left in (LITERAL, NULL) or right in (LITERAL, NULL):
        return None
    conv = _conv(extensions)
    if not (conv.known(left) and conv.known(right)):
        return None
    found = overload.operator(conv, "=", left, right)
    return None if found is None else not isinstance(found, str) or found == "ambiguous"
