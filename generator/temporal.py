"""Literal defaults of the date and time types, in the ISO 8601 forms that
PostgreSQL and Python's ``fromisoformat`` both read the same way."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from .source import ScalarInfo
from .sqltext import Literal, LiteralError, quote_string, value_kind
from .types import ColumnType

# What PostgreSQL and Python's fromisoformat both read the same way: ISO 8601
# extended format only (no week dates, no basic format, at most microseconds).
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
_ZONE = r"(Z|[+-](0[0-9]|1[0-5])(:[0-5][0-9])?)"
_TEMPORAL_FORMS = {
    "date": (re.compile(_DATE), "'2024-01-31'"),
    "time": (re.compile(_TIME), "'13:45' or '13:45:30.5'"),
    "timestamp": (re.compile(f"{_DATE}([T ]{_TIME})?"), "'2024-01-31 13:45:00'"),
    "timestamptz": (re.compile(f"{_DATE}[T ]{_TIME}{_ZONE}"), "'2024-01-31T13:45:00Z'"),
}


def check_temporal(
    ctype: ColumnType, value: Any, info: ScalarInfo | None, enums: Mapping[str, tuple[str, ...]]
) -> Literal:
    kind = ctype.info.literal
    if info is not None and info.plain and info.ambiguous and isinstance(value, str):
        raise LiteralError(
            f"unquoted {value!r} {info.ambiguous}",
            f"quote it: default: '{value}'",
        )
    if not isinstance(value, str):
        raise LiteralError(
            f"{ctype.sql} default must be a quoted ISO 8601 string, not {value_kind(value)}"
        )
    if value.strip().lower() in ("now", "today", "current_timestamp", "current_date"):
        raise LiteralError(
            f"the literal {value!r} is evaluated once, when the table is created",
            "for the time of each insert write default: {sql: now()}",
        )
    form, example = _TEMPORAL_FORMS[kind]
    if kind in ("time", "timestamp") and re.fullmatch(f"({_DATE}[T ])?{_TIME}{_ZONE}", value):
        raise LiteralError(
            f"{value!r} has a time zone, but a {ctype.sql} column keeps none",
            "remove the zone (PostgreSQL would drop it silently), or use timestamptz",
        )
    if not form.fullmatch(value) and not (
        kind == "timestamptz" and re.fullmatch(f"{_DATE}([T ]{_TIME})?", value)
    ):
        raise LiteralError(
            f"{value!r} is not a {ctype.sql} in ISO 8601 form", f"write it like {example}"
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
