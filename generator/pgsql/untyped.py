"""Quoted literals whose type PostgreSQL infers from their place: is the text
one that type's input function reads?

``DEFAULT 'x'`` on a uuid column, ``CHECK (n <> '')`` on an integer and
``u > '2000-01-01'`` on a uuid are accepted by the parser and refused by the
server when the DDL runs ("invalid input syntax for type uuid").  expr.analyse
reports each such literal as (offset, type); this module reads the literal at
that offset and says whether the type's input would take it.  It refuses only
what PostgreSQL 15 surely refuses: a type it does not model, or a spelling it
cannot judge (a quoted array element), passes.  Intervals are read as
interval_in reads them (interval.py), a range's bounds by its subtype, a text
search configuration by the catalog's names, jsonpath as jsonpath_in parses it
(jsonpath.py), tsvector, tsquery and bytea as their input functions read them
(tsinput.py).
"""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Literal

_INT_RANGE = {"int2": 2**15, "int4": 2**31, "int8": 2**63}
_BOOL = {"t", "f", "true", "false", "y", "yes", "n", "no", "on", "off", "1", "0"}
_BOOL_PREFIXES = ("tr", "tru", "fa", "fal", "fals", "ye", "of")
_SPECIAL_TIMES = {"epoch", "infinity", "-infinity", "now", "today", "tomorrow", "yesterday"}
_SPECIAL_TIMES |= {"allballs"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIMENSIONS = re.compile(r"(?:\[\s*[+-]?\d+\s*(?::\s*[+-]?\d+\s*)?\])+\s*=\s*\{")
_SHORT_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){0,2}(?:/\d{1,2})?")


_OPERATOR = set("<>=!~@#%^&|*+-/ \t\n")


def literal_at(sql: str, offset: int) -> str | None:
    """The quoted literal at ``offset``: the literal itself, or an operand of the
    operator there (``u > '2000-01-01'``, ``'x' = u``); None when there is none."""
    if offset < len(sql) and sql[offset] != "'":
        after = offset
        while after < len(sql) and sql[after] in _OPERATOR:
            after += 1
        quantified = _ANY.match(sql, after)  # x = ANY('{...}')
        after = quantified.end() if quantified else after
        if after < len(sql) and sql[after] == "'":
            return _literal(sql, after)
        before = offset - 1
        while before >= 0 and sql[before] in " \t\n":
            before -= 1
        if before >= 0 and sql[before] == "'":
            start = _start_of(sql, before)
            return _literal(sql, start) if start is not None else None
        return None
    return _literal(sql, offset)


_ANY = re.compile(r"(?:any|all|some)\s*\(\s*", re.IGNORECASE)
_IN_LIST = re.compile(r"(?:not\s+)?in\s*\(", re.IGNORECASE)


def literals_at(sql: str, offset: int) -> list[str]:
    """The quoted literals an untyped value at ``offset`` may be: the one there,
    or every literal item of an ``IN (...)`` list starting there (pglast gives
    the list's items no position of their own)."""
    match = _IN_LIST.match(sql, offset)
    if match is None:
        one = literal_at(sql, offset)
        return [] if one is None else [one]
    found: list[str] = []
    i, depth = match.end(), 1
    while i < len(sql) and depth:
        c = sql[i]
        if c == "'":
            text = _literal(sql, i)
            if text is None:
                break
            if depth == 1 and sql[:i].rstrip()[-1:] in ("(", ","):  # an item, not an argument
                found.append(text)
            i += len(text.replace("'", "''")) + 2
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        i += 1
    return found


def _start_of(sql: str, end: int) -> int | None:
    """The opening quote of the literal whose closing quote is at ``end``."""
    i = end - 1
    while i >= 0:
        if sql[i] == "'":
            if i > 0 and sql[i - 1] == "'":
                i -= 2
                continue
            return i
        i -= 1
    return None


def _literal(sql: str, offset: int) -> str | None:
    """The value of the quoted literal starting at ``offset`` ('it''s' -> it's), if any."""
    if offset >= len(sql) or sql[offset] != "'" or (offset and sql[offset - 1] in "eEbBxXuU&"):
        return None  # not a plain '...' (E'', B'', X'', U&'' have their own rules)
    out: list[str] = []
    i = offset + 1
    while i < len(sql):
        if sql[i] == "'":
            if sql[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out)
        out.append(sql[i])
        i += 1
    return None


def problem(text: str, typ: str) -> bool:
    """True when PostgreSQL's input function for ``typ`` (a base name) refuses ``text``."""
    if typ.endswith("[]"):
        elements = _array_elements(text)
        if elements is None:
            return False  # nested or dimensioned: not modelled
        if isinstance(elements, bool):
            return True
        return any(e is not None and problem(e, typ[:-2]) for e in elements)
    value = text.strip()
    if typ in _INT_RANGE:
        try:
            number = int(value if "_" not in value else "x", 10)  # PostgreSQL 15: no 1_000
        except ValueError:
            return True
        return not -_INT_RANGE[typ] <= number < _INT_RANGE[typ]
    if typ in ("numeric", "float4", "float8"):
        if value.lower() in ("nan", "infinity", "-infinity", "+infinity", "inf", "-inf"):
            return False
        try:
            Decimal(value if "_" not in value else "x")
        except InvalidOperation:
            return True
        return False
    if typ == "bool":
        lowered = value.lower()
        return not (lowered in _BOOL or lowered in _BOOL_PREFIXES)
    if typ == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            return True
        return False
    if typ in ("date", "timestamp", "timestamptz", "time", "timetz"):
        from .datetimes import datetime_problem

        return datetime_problem(value, typ)
    if typ in _RANGES:
        return _range_problem(value, _RANGES[typ])
    if typ == "interval":
        from .interval import valid_interval

        return not valid_interval(value)
    if typ == "regconfig":
        from .catalog import load

        # a name of the catalog's, or an OID (reg* input takes any number unchecked)
        return value.lower() not in load().configs and not value.isdigit()
    if typ in ("json", "jsonb"):
        try:
            json.loads(value, parse_constant=_no_constant)
        except ValueError:
            return True
        return False
    if typ in _TEXTUAL:
        return _TEXTUAL[typ](text)  # the text as written: blanks may matter
    if typ in ("inet", "cidr"):
        if _SHORT_IPV4.fullmatch(value):  # '10', '2.5/16': classful shorthand (not judged)
            return typ == "inet" and "/" not in value
        try:
            ipaddress.ip_network(value, strict=typ == "cidr")
        except ValueError:
            return True
        return "%" in value
    return False


def _jsonpath(text: str) -> bool:
    from .jsonpath import jsonpath_problem

    return jsonpath_problem(text)


def _tsquery(text: str) -> bool:
    from .tsinput import tsquery_problem

    return tsquery_problem(text)


def _tsvector(text: str) -> bool:
    from .tsinput import tsvector_problem

    return tsvector_problem(text)


def _bytea(text: str) -> bool:
    from .tsinput import bytea_problem

    return bytea_problem(text)


_TEXTUAL = {"jsonpath": _jsonpath, "tsquery": _tsquery, "tsvector": _tsvector, "bytea": _bytea}
_RANGES = {
    "int4range": "int4",
    "int8range": "int8",
    "numrange": "numeric",
    "tsrange": "timestamp",
    "tstzrange": "timestamptz",
    "daterange": "date",
}
_RANGE = re.compile(r"\s*([\[(])([^,\"\\]*),([^,\"\\]*)([\])])\s*")


def _range_problem(value: str, subtype: str) -> bool:
    """range_in: 'empty', or bounds '[lower,upper)' each empty (unbounded) or a
    value of the subtype, the lower not above the upper."""
    if value.strip().lower() == "empty":
        return False
    stripped = value.strip()
    if stripped[:1] not in ("[", "(") or stripped[-1:] not in ("]", ")"):
        return True
    if '"' in value or "\\" in value:
        return False  # quoted bounds: not modelled
    match = _RANGE.fullmatch(value)
    if match is None:
        return True
    bounds = [match[2].strip(), match[3].strip()]
    if any(b and problem(b, subtype) for b in bounds):
        return True
    low, high = bounds
    if low and high and subtype in ("int4", "int8", "numeric"):
        try:
            return Decimal(low) > Decimal(high)
        except InvalidOperation:
            return False
    if (
        low
        and high
        and subtype == "date"
        and _ISO_DATE.fullmatch(low)
        and _ISO_DATE.fullmatch(high)
    ):
        return low > high
    return False


def enum_problem(text: str, typ: str, labels: tuple[str, ...]) -> bool:
    """True when PostgreSQL refuses ``text`` as the enum (or enum array) ``typ``
    whose labels are ``labels``."""
    if typ.endswith("[]"):
        elements = _array_elements(text)
        if elements is None:
            return False
        return elements is False or any(e is not None and e not in labels for e in elements)
    return text not in labels


def _array_elements(text: str) -> list[str | None] | Literal[False] | None:
    """array_in on a one-dimensional literal: its elements (None for NULL), False
    when malformed, None when it is a form not modelled (nested, dimensions)."""
    body = text.strip()
    if not body.startswith("{"):
        return None if _DIMENSIONS.match(body) else False  # '[1:2]={...}': not modelled
    if not body.endswith("}"):
        return False
    inner = body[1:-1]
    if "{" in inner or "}" in inner.replace("\\}", ""):
        return None
    if not inner.strip():
        return []
    out: list[str | None] = []
    i, n = 0, len(inner)
    while True:
        while i < n and inner[i].isspace():
            i += 1
        if i < n and inner[i] == '"':
            i += 1
            chars = []
            while i < n and inner[i] != '"':
                if inner[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(inner[i])
                i += 1
            if i >= n:
                return False
            i += 1
            out.append("".join(chars))
            while i < n and inner[i].isspace():
                i += 1
        else:
            start = i
            while i < n and inner[i] != "," and inner[i] != '"':
                i += 1
            if i < n and inner[i] == '"':
                return False
            word = inner[start:i].strip()
            if not word or "\\" in word:
                return False if not word else None
            out.append(None if word.upper() == "NULL" else word)
        if i >= n:
            return out
        if inner[i] != ",":
            return False
        i += 1


def _no_constant(name: str) -> float:
    raise ValueError(name)  # JSON has no NaN or Infinity
