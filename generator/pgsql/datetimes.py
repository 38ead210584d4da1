"""Quoted dates, times and timestamps that PostgreSQL 15's input surely refuses.

date_in, timestamp_in and time_in read many spellings (ISO 8601, month
names, Julian days, time zone names, ``epoch``, ``today``...), so this
refuses only what no spelling allows, and accepts the rest for the server to
judge: a text with no digit that is no special word; characters no date has
(``[1,5)``, ``{1,2}``, ``a & b``); a uuid's dash groups; an ISO 8601
duration or quantity (``1 day``); a bare number of fewer than 6 digits, a decimal or dotted number
(``2.5``, ``10.0.0.1``); an ISO date whose month or day does not exist
(``2021-02-29``) or whose time does not (``25:00``); a time alone where a
date is needed, a date alone where a time is.  tests/test_pgsql_untyped.py
holds each rule to the server.
"""

from __future__ import annotations

import calendar
import re

from .interval import UNITS

_SPECIAL = {
    "date": {"epoch", "infinity", "-infinity", "now", "today", "tomorrow", "yesterday"},
    "time": {"now", "allballs"},
}
_FOREIGN = set('[]{}&|;=<>"`!?*#$%^~')
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\s t])")
_TIME = re.compile(r"[\s t]*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d*)?)?")
_CLOCK = re.compile(r"(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d*)?)?")


def datetime_problem(text: str, typ: str) -> bool:
    """True when PostgreSQL surely refuses ``text`` as a ``typ`` (date,
    timestamp, timestamptz, time, timetz)."""
    value = text.strip().lower()
    kind = "time" if typ in ("time", "timetz") else "date"
    if not any(c.isdigit() for c in value):
        return value not in _SPECIAL[kind]
    if set(value) & _FOREIGN or re.search(r"\w+(?:-\w+){3,}", value):
        return True
    if re.match(r"p[\d.]", value):
        return True  # an ISO 8601 duration (P1D) is an interval
    quantity = re.fullmatch(r"[+-]?\d+(?:\.\d+)?\s*([a-z]+)(?:\s+ago)?", value)
    if quantity is not None and quantity[1][:10] in UNITS:
        return True  # '1 day', '3 hours': an interval
    if value.isdigit() and len(value) < 3 or re.fullmatch(r"\d+\.\d+", value) and "." in value[:3]:
        return True  # '1', '12', '1.5', '12.5'

    if kind == "date":
        if value.isdigit() and len(value) < 6:
            return True  # '1', '2024': 6 and 8 digits read as yymmdd, yyyymmdd
        if re.fullmatch(r"\d+(?:\.\d+)+", value) and not re.fullmatch(r"\d{4}\.\d{3}", value):
            return True  # '2.5', '10.0.0.1' (2020.001 is an ordinal date)
        if _CLOCK.fullmatch(value):
            return True  # a time of day alone
    iso = _ISO_DATE.match(value)
    if iso is None:
        return bool(kind == "time" and _CLOCK.fullmatch(value) and _bad_clock(value))
    year, month, day = (int(g) for g in iso.groups())
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return True
    rest = value[iso.end() :]
    if kind == "time" and not rest.strip():
        return True  # a date alone has no time of day
    clock = _TIME.match(rest)
    return clock is not None and _bad_clock(clock.group().strip(" t"))


def _bad_clock(text: str) -> bool:
    match = _CLOCK.match(text)
    if match is None:
        return False
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] else 0
    if hour == 24:
        return minute > 0 or second > 0
    return hour > 24 or minute > 59 or second > 60
