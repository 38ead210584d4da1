"""Does PostgreSQL 15's interval input (interval_in, DecodeInterval) read a text?

The forms it takes: ISO 8601 (``P1Y2M3DT4H``, ``P0001-02-03T04:05:06``), and
PostgreSQL's own: ``[@] quantity unit [quantity unit ...] [ago]`` with the
units of datetime.c's table (abbreviations and plurals, read from their
first ten letters), ``hh:mm[:ss[.f]]``, ``years-months``, a day count before
a time, and a bare trailing number (seconds).  A unit given twice is refused,
as the server refuses it.  Checked against the server in
tests/test_pgsql_untyped.py.
"""

from __future__ import annotations

import re

_UNIT_WORDS = {
    "microsecond": ("microsecon", "us", "usec", "usecond", "useconds", "usecs"),
    "millisecond": ("millisecon", "ms", "msec", "msecond", "mseconds", "msecs"),
    "second": ("s", "sec", "second", "seconds", "secs"),
    "minute": ("m", "min", "mins", "minute", "minutes"),
    "hour": ("h", "hour", "hours", "hr", "hrs"),
    "day": ("d", "day", "days"),
    "week": ("w", "week", "weeks"),
    "month": ("mon", "mons", "month", "months"),
    "year": ("y", "year", "years", "yr", "yrs"),
    "decade": ("dec", "decade", "decades", "decs"),
    "century": ("c", "cent", "centuries", "century"),
    "millennium": ("mil", "millennia", "millennium", "mils"),
}
UNITS = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
_TOKEN = re.compile(
    r"\s*(?:(?P<time>[+-]?\d+:\d+(?::\d+(?:\.\d*)?)?)"
    r"|(?P<ym>[+-]?\d+-\d+(?![-\d]))"
    r"|(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"|(?P<word>[a-z]+)"
    r"|(?P<at>@))"
)
_PUNCTUATION = set("!\"#$%&'()*,/;<=>?[\\]^_`{|}~")
_ISO = re.compile(
    r"p(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)[ymwd])*(?:t(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)[hms])*)?"
)
_ISO_ALT = re.compile(r"p\d+-\d+-\d+(?:t\d+:\d+(?::\d+(?:\.\d*)?)?)?")


def valid_interval(text: str) -> bool:
    value = text.strip().lower()
    if value.startswith("p"):
        return value != "p" and bool(_ISO.fullmatch(value) or _ISO_ALT.fullmatch(value))
    seen: set[str] = set()
    pending = False  # a number waiting for its unit
    at = 0

    def mark(*units: str) -> bool:
        if seen & set(units):
            return False
        seen.update(units)
        return True

    while at < len(value):
        match = _TOKEN.match(value, at)
        if match is None or match.end() == at:
            if value[at:].strip() == "":
                break
            if value[at] in _PUNCTUATION:  # ParseDateTime skips other punctuation
                at += 1
                continue
            return False
        at = match.end()
        kind = match.lastgroup
        if kind == "at":  # '@' is ignored wherever it is
            continue
        if kind == "num":
            if pending:
                return False
            pending = True
        elif kind == "time":
            if pending and not mark("day"):
                return False
            pending = False
            if not mark("hour", "minute", "second"):
                return False
        elif kind == "ym":
            if pending or not mark("years-months"):
                return False
        else:
            word = match["word"]
            if word == "ago":
                if pending or not seen:
                    return False
                continue
            unit = UNITS.get(word[:10])
            if unit is None or not pending or not mark(unit):
                return False
            pending = False
    if pending and not mark("second"):
        return False
    return bool(seen)
