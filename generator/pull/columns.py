"""One catalog column -> its spec type and default, or why it cannot be written.

The spec type is accepted only when schemagen would give the column exactly
the catalog's type back (``ColumnType.catalog`` is ``format_type()``'s
spelling); a default becomes a literal only in the shapes PostgreSQL stores a
literal in, and otherwise stays SQL, which PostgreSQL normalises the same way.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..catalog import Catalog, Column, Other
from ..typeref import parse_type
from ..types import TYPES
from .yamlout import Raw

_CATALOG_NAMES: dict[str, str] = {info.catalog: name for name, info in TYPES.items()}
_PARAMS = re.compile(r"(.*?)\((\d+(?:,\d+)?)\)(.*)")
_STRING = re.compile(r"'((?:[^']|'')*)'::(.+)")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_IDENT = re.compile(r'"(?:[^"]|"")*"|[^".]+')
_NEXTVAL = re.compile(r"nextval\('((?:[^']|'')*)'::regclass\)")


def enum_key(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def spec_type(col: Column, type_text: str, enums: set[tuple[str, str]]) -> str | None:
    """The spec spelling of a catalog type, or None when the spec has none."""
    array = type_text.endswith("[]")
    base = type_text[:-2] if array else type_text
    suffix = "[]" if array else ""
    if col.type_kind == "e":
        if (col.type_schema, col.type_name) not in enums:
            return None
        candidate = enum_key(col.type_schema, col.type_name) + suffix
        return candidate
    name = _CATALOG_NAMES.get(base)
    params = ""
    if name is None:
        m = _PARAMS.fullmatch(base)
        if m is None or m.group(3):
            return None
        name, params = _CATALOG_NAMES.get(m.group(1)), f"({m.group(2)})"
        if name is None:
            return None
    if TYPES[name].extension and col.type_schema == "pg_catalog":
        return None
    parsed, _, _ = parse_type(name + params)
    if parsed is None or dataclasses.replace(parsed, array=array).catalog != type_text:
        return None
    return name + params + suffix


def domain_base(col: Column, catalog: Catalog) -> Other | None:
    if col.type_kind != "d":
        return None
    for other in catalog.others:
        if other.kind == "domain" and (other.schema, other.name) == (
            col.type_schema,
            col.type_name,
        ):
            return other
    return None


def literal_default(text: str, spec_type_text: str) -> Any:
    """A literal for the spec when the stored default is one, else None."""
    parsed, _, _ = parse_type(spec_type_text.removesuffix("[]"))
    kind = parsed.info.literal if parsed is not None else "string"  # enums take strings
    array = spec_type_text.endswith("[]")
    m = _STRING.fullmatch(text)
    if array:
        return [] if m and m.group(1) == "{}" else None
    if kind == "string" and m:
        return m.group(1).replace("''", "'")  # schemagen escapes it back as needed
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    inner = m.group(1) if m else text
    if kind in ("integer", "numeric") and _NUMBER.fullmatch(inner):
        if kind == "integer":
            return int(inner) if "." not in inner else None
        return Raw(inner)
    return None


def sequence_of(col: Column) -> tuple[str | None, str] | None:
    """The sequence a ``nextval(...)`` default draws from: (schema or None, name)."""
    m = _NEXTVAL.fullmatch(col.default or "")
    if m is None:
        return None
    parts = _IDENT.findall(m.group(1).replace("''", "'"))
    names = [p[1:-1].replace('""', '"') if p.startswith('"') else p.lower() for p in parts]
    if len(names) == 1:
        return None, names[0]
    return (names[0], names[1]) if len(names) == 2 else None


def serial_sequence(col: Column, table_key: str, catalog: Catalog) -> Other | None:
    """The sequence behind a ``serial`` default, when the column owns it."""
    if col.identity is not None:
        return None
    seq = sequence_of(col)
    if seq is None:
        return None
    schema, name = seq
    for other in catalog.others:
        if (
            other.kind == "sequence"
            and other.owned_by == f"{table_key}.{col.name}"
            and other.name == name
            and schema in (None, other.schema)
        ):
            return other
    return None


_TYPE_MAX = {"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}


def identity_options(col: Column, table_key: str, catalog: Catalog) -> str:
    """The identity's sequence options when they are not the defaults, else ""."""
    for other in catalog.others:
        if other.kind == "identity sequence" and other.owned_by == f"{table_key}.{col.name}":
            top = _TYPE_MAX.get(col.type, 0)
            default = f"AS {col.type} START 1 INCREMENT 1 MINVALUE 1 MAXVALUE {top} CACHE 1"
            return "" if other.definition == default else other.definition
    return ""
