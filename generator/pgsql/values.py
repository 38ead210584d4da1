"""Literal default values PostgreSQL cannot read, found before the DDL is applied.

Each function returns (message, hint) or None.  The limits are PostgreSQL
15's numeric format: at most 131,072 digits before the decimal point and
16,383 after (``value overflows numeric format``); jsonb numbers are numeric,
and JSON has no Infinity or NaN; inet has no IPv6 zone index (``%eth0``).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

NUMERIC_MAX_WHOLE_DIGITS = 131_072
NUMERIC_MAX_SCALE = 16_383

Problem = tuple[str, str]


def numeric_problem(value: Any) -> Problem | None:
    """A number (int, float, Decimal or its text) PostgreSQL's numeric cannot hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # numeric has Infinity and NaN since PostgreSQL 14
    if isinstance(value, int):  # str() of a huge int hits Python's 4,300-digit limit
        if value.bit_length() < _WHOLE_BITS or abs(value) < _whole_limit():
            return None
        return _too_many_whole(None)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None  # not a number: the caller's own check says so
    if not number.is_finite():
        return None
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    whole = len(digits) + exponent if any(digits) else 0
    if whole > NUMERIC_MAX_WHOLE_DIGITS:
        return _too_many_whole(whole)
    if -exponent > NUMERIC_MAX_SCALE:
        return (
            f"the number has {-exponent:,} digits after the decimal point;"
            f" PostgreSQL's numeric holds at most {NUMERIC_MAX_SCALE:,}",
            "round it, or drop trailing zeros",
        )
    return None


# 10**131,072 is a 435,412-bit number, and computing it took 6-10 ms of every
# run's start-up: a shorter int is below it, and only a longer one needs it.
_WHOLE_BITS = 435_411  # 2**435_411 < 10**131_072


@cache
def _whole_limit() -> int:
    return int(10**NUMERIC_MAX_WHOLE_DIGITS)  # typeshed: int ** int is Any


def _too_many_whole(digits: int | None) -> Problem:
    count = f"{digits:,}" if digits is not None else "more than 131,072"
    return (
        f"the number has {count} digits before the decimal point;"
        f" PostgreSQL's numeric holds at most {NUMERIC_MAX_WHOLE_DIGITS:,}",
        "use a smaller number",
    )


def json_problem(value: Any, *, binary: bool = True) -> Problem | None:
    """A JSON default (already parsed from YAML) that json/jsonb input refuses.

    ``binary``: the column is jsonb (its numbers are numeric, its strings
    cannot hold U+0000); json keeps text and refuses only Infinity and NaN.
    """
    stack = [value]
    while stack:  # iterative: a deeply nested default must not hit the recursion limit
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(item.keys())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            word = "NaN" if math.isnan(item) else "Infinity"
            return (
                f"JSON has no {word}: PostgreSQL refuses it in a json or jsonb value",
                'store null, or a string such as "Infinity"',
            )
        elif binary and isinstance(item, str) and "\x00" in item:
            return (
                "a jsonb string cannot hold the NUL character (\\u0000)",
                "remove it, or use bytea for binary data",
            )
        elif binary and isinstance(item, (int, float, Decimal)) and not isinstance(item, bool):
            problem = numeric_problem(item)
            if problem:
                return problem
    return None


def inet_problem(text: str) -> Problem | None:
    """An inet/cidr literal Python reads but PostgreSQL does not."""
    if "%" in text:
        return (
            f"PostgreSQL's inet has no IPv6 zone index: {text!r}",
            f"drop the zone: {text.split('%')[0]!r}",
        )
    return None
