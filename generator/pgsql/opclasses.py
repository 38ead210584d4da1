"""Which index methods can index which column type without naming an operator class.

``CREATE INDEX ... USING gin (title)`` on a text column fails with "data type
text has no default operator class for access method gin"; a json column in
a primary key, a unique constraint or a btree index fails the same way.  This
table says beforehand.

Derived from PostgreSQL 15 by its own rule (GetDefaultOpClass): a default
operator class (pg_opclass.opcdefault) for the method whose input type is the
column's type, a type it converts to implicitly without a function (varchar,
citext and cidr borrow text's and inet's), or ``anyarray`` / ``anyenum``.
tests/test_pgsql_opclasses.py recomputes it from pg_opclass and, for every
type and method, creates the index to prove it.
"""

from __future__ import annotations

from functools import cache

METHODS = ("btree", "hash", "gin", "gist", "brin", "spgist")
RANGES = ("int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange")

# Spec type names; "enum" is any enum, "<type>[]" an array of that type.
SPEC_TYPES = (
    "uuid",
    "text",
    "varchar",
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
    "boolean",
    "timestamp",
    "timestamptz",
    "date",
    "time",
    "interval",
    "bytea",
    "jsonb",
    "json",
    "inet",
    "cidr",
    "citext",
    "enum",
    "char",
    "tsvector",
    "tsquery",
    *RANGES,
)


def _all_but(*names: str, arrays: bool = True) -> frozenset[str]:
    scalars = {t for t in SPEC_TYPES if t not in names}
    return frozenset(scalars | ({f"{t}[]" for t in SPEC_TYPES} if arrays else set()))


DEFAULT_OPCLASS: dict[str, frozenset[str]] = {
    # json has no equality operator, so no btree or hash class (jsonb has both);
    # an array of anything gets array_ops.
    "btree": _all_but("json"),
    # text search types have no hash class (their arrays do: array_ops)
    "hash": _all_but("json", "tsvector", "tsquery"),
    # gin: arrays (of types with btree equality), jsonb and tsvector; text needs pg_trgm.
    "gin": frozenset({"jsonb", "tsvector"} | {f"{t}[]" for t in SPEC_TYPES if t != "json"}),
    # gist: ranges and text search; none of the other spec types without btree_gist
    # (inet's class is not default).
    "gist": frozenset({"tsvector", "tsquery", *RANGES}),
    "brin": _all_but("boolean", "jsonb", "json", "enum", "tsvector", "tsquery", arrays=False),
    "spgist": frozenset({"text", "varchar", "citext", "inet", "cidr", *RANGES}),
}

_HINTS = {
    ("gin", "text"): "for LIKE/similarity search install pg_trgm and use gin_trgm_ops",
    ("gist", "text"): "for LIKE/similarity search install pg_trgm and use gist_trgm_ops",
    ("gist", "inet"): "name PostgreSQL's class: inet_ops (it is not the default)",
    ("gist", "cidr"): "name PostgreSQL's class: inet_ops (it is not the default)",
}


@cache  # asked for every key column and index column; a spec has a few types
def has_default_opclass(method: str, spec_type: str) -> bool | None:
    """None when the method or the type is not one this table knows."""
    if method not in DEFAULT_OPCLASS:
        return None
    name = " ".join(spec_type.lower().split())
    element = name[:-2] if name.endswith("[]") else name
    if "(" in element:  # varchar(50), numeric(10,2): parameters do not matter
        element = element[: element.index("(")].strip()
        name = element + ("[]" if name.endswith("[]") else "")
    if element in ("bpchar", "character"):  # char's other spellings
        element, name = "char", "char" + ("[]" if name.endswith("[]") else "")
    if element not in SPEC_TYPES:
        return None
    return name in DEFAULT_OPCLASS[method]


def index_problem(method: str, spec_type: str) -> tuple[str, str] | None:
    """(message, hint) when PostgreSQL cannot index this type with this method."""
    if has_default_opclass(method, spec_type) is not False:
        return None
    shown = spec_type.split("(")[0].strip()
    message = f"data type {shown} has no default operator class for index method {method}"
    element = shown.removesuffix("[]")
    if element == "json":
        return message, "use jsonb: it has btree, hash and gin operator classes"
    hint = _HINTS.get((method, "text" if element in ("varchar", "citext") else element))
    if hint is None:
        usable = [m for m in METHODS if has_default_opclass(m, spec_type)]
        hint = f"use {' or '.join(usable)}" if usable else "index an expression of another type"
        if method == "gist" and usable:
            hint += ", or install btree_gist for gist"
    return message, hint


def key_problem(spec_type: str, what: str) -> tuple[str, str] | None:
    """A primary key, unique constraint or foreign key needs btree equality."""
    if has_default_opclass("btree", spec_type) is not False:
        return None
    shown = spec_type.split("(")[0].strip()
    return (
        f"a {shown} column cannot be in a {what}: {shown} has no equality operator",
        "use jsonb, which has one" if shown.startswith("json") else "use another type",
    )
