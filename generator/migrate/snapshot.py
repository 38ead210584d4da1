"""The snapshot: the resolved model as canonical JSON, and back.

A migration folder keeps the model it leads to, so the next ``migrate new``
compares models, never SQL.  The text is canonical (sorted keys, two-space
indent, ``\\n``, no timestamps), so the same history gives the same bytes on
every machine and a reviewer's diff of two snapshots shows only meaning.

``Schema.to_dict`` leaves out a literal default's Python value (it is derived
from the SQL and the type); the snapshot keeps it, tagged with its type,
because the differ compares whole ``Schema`` objects and a column whose
default lost its value would never equal the spec's.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import types
import typing
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from ..model import Default, Schema

FORMAT = 1  # bump when a snapshot written now could not be read back by an older reader


class SnapshotError(ValueError):
    """A snapshot that cannot be read back into a model; the message says where."""


# -- model -> JSON -------------------------------------------------------------


# (tag, type, encode, decode): order matters where one type subclasses another
# (bool is an int, datetime a date, an IP interface an IP address).
_TAGGED: list[tuple[str, Any, Any, Any]] = [
    ("decimal", Decimal, str, Decimal),
    ("uuid", uuid.UUID, str, uuid.UUID),
    ("datetime", datetime, datetime.isoformat, datetime.fromisoformat),
    ("date", date, date.isoformat, date.fromisoformat),
    ("time", time, time.isoformat, time.fromisoformat),
    (
        "ip_interface",
        (ipaddress.IPv4Interface, ipaddress.IPv6Interface),
        str,
        ipaddress.ip_interface,
    ),
    ("ip_address", (ipaddress.IPv4Address, ipaddress.IPv6Address), str, ipaddress.ip_address),
    ("ip_network", (ipaddress.IPv4Network, ipaddress.IPv6Network), str, ipaddress.ip_network),
]
_PLAIN = (str, int, float, bool, dict, type(None))  # JSON as is (a dict is a json default)


def _value(value: Any) -> Any:
    """A literal default's Python value as JSON, tagged so it comes back as the same type."""
    if isinstance(value, list):  # an array default: its elements may be any of these
        return {"type": "list", "value": [_value(v) for v in value]}
    if isinstance(value, _PLAIN):
        return {"type": "plain", "value": value}
    for tag, kind, encode, _ in _TAGGED:
        if isinstance(value, kind):
            return {"type": tag, "value": encode(value)}
    raise TypeError(f"a default's value of type {type(value).__name__} has no snapshot form")


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            if not f.compare:  # spans: where it was written, not what it means
                continue
            value = getattr(obj, f.name)
            out[f.name] = (
                _value(value) if isinstance(obj, Default) and f.name == "value" else _plain(value)
            )
        return out
    if isinstance(obj, tuple):
        return [_plain(x) for x in obj]
    if isinstance(obj, Decimal):  # a limit from a CHECK (numeric bounds keep their digits)
        return {"decimal": str(obj)}
    return obj


def snapshot_dict(schema: Schema) -> dict[str, Any]:
    return {"format": FORMAT, "model": _plain(schema)}


def dumps(schema: Schema) -> str:
    """The snapshot file's text."""
    return json.dumps(snapshot_dict(schema), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# -- JSON -> model -------------------------------------------------------------


def _decode_value(data: Any, where: str) -> Any:
    if not isinstance(data, dict) or set(data) != {"type", "value"}:
        raise SnapshotError(f"{where}: expected {{type, value}}")
    tag, raw = data["type"], data["value"]
    if tag == "plain":
        return raw
    if tag == "list":
        if not isinstance(raw, list):
            raise SnapshotError(f"{where}: expected a list")
        return [_decode_value(v, f"{where}[{i}]") for i, v in enumerate(raw)]
    for name, _, _, decode in _TAGGED:
        if name == tag:
            try:
                return decode(raw)
            except (TypeError, ValueError, ArithmeticError) as exc:
                raise SnapshotError(f"{where}: bad {tag} value {raw!r} ({exc})") from None
    raise SnapshotError(f"{where}: unknown value type {tag!r}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(hint: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if hint is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _build(option, data, where)
            except SnapshotError:
                continue
        raise SnapshotError(f"{where}: {data!r} is not a {hint}")
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(data, list):
            raise SnapshotError(f"{where}: expected a list")
        return tuple(_build(item, x, f"{where}[{i}]") for i, x in enumerate(data))
    if origin is typing.Literal:
        if data not in typing.get_args(hint):
            raise SnapshotError(f"{where}: {data!r} is not one of {typing.get_args(hint)}")
        return data
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint, data, where)
    if hint is Decimal:
        if not isinstance(data, dict) or set(data) != {"decimal"}:
            raise SnapshotError(f"{where}: expected {{decimal: text}}, found {data!r}")
        try:
            return Decimal(data["decimal"])
        except (TypeError, ArithmeticError):
            raise SnapshotError(f"{where}: bad decimal {data['decimal']!r}") from None
    if hint in (str, int, float, bool):
        # JSON has one number type; an int where a float is expected is fine.
        ok = isinstance(data, hint) and not (hint is int and isinstance(data, bool))
        if hint is float and isinstance(data, int) and not isinstance(data, bool):
            return float(data)
        if not ok:
            raise SnapshotError(f"{where}: expected {hint.__name__}, found {data!r}")
        return data
    raise SnapshotError(f"{where}: cannot read a {hint}")  # a model field of a new kind


def _dataclass(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise SnapshotError(f"{where}: expected an object for {cls.__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.compare}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise SnapshotError(
            f"{where}: unknown key {unknown[0]!r} in {cls.__name__} (written by a newer schemagen?)"
        )
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        path = f"{where}.{name}"
        if name not in data:
            # A field added to the model since the snapshot was written keeps its default.
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SnapshotError(f"{path}: missing")
            continue
        if cls is Default and name == "value":
            kwargs[name] = _decode_value(data[name], path)
        else:
            kwargs[name] = _build(hints[name], data[name], path)
    return cls(**kwargs)


def schema_from_dict(data: Any) -> Schema:
    """The model a snapshot dict describes; ``SnapshotError`` says what is wrong."""
    if not isinstance(data, dict) or "model" not in data or "format" not in data:
        raise SnapshotError("not a schemagen snapshot (no 'format' and 'model' keys)")
    if data["format"] != FORMAT:
        raise SnapshotError(
            f"snapshot format {data['format']!r}; this schemagen reads format {FORMAT}"
        )
    schema: Schema = _dataclass(Schema, data["model"], "model")
    return schema


def loads(text: str) -> Schema:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SnapshotError(f"not valid JSON ({exc})") from None
    return schema_from_dict(data)
