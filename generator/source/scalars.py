"""What a YAML scalar means, read as YAML 1.2 reads it, and how it was written.

PyYAML's constructors read YAML 1.1, where ``no``, ``off``, ``0755``, ``12:30``,
``1_000`` and dates are booleans, numbers and dates.  A plain scalar is read
here instead: YAML 1.2's null, booleans, integers and floats, anything else a
string, which is remembered as *ambiguous* when YAML 1.1 (and so many tools and
readers) would convert it, so a default written that way can be refused with a
hint to quote it.  ``ScalarInfo`` is how a scalar was written, for the checks
that depend on it (the literal ``1`` and ``true`` differ, ``'1'`` is text).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..records import record

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# Plain scalars that YAML 1.1 (and so many tools and readers) would convert.
_AMBIGUOUS = [
    (re.compile(r"(?i)y|n|yes|no|on|off"), "is a boolean in YAML 1.1"),
    (re.compile(r"(?i)true|false"), "has unusual capitalisation for a boolean"),
    (re.compile(r"[-+]?0[0-7]+|[-+]?0o[0-7]+"), "is an octal number in YAML 1.1"),
    (re.compile(r"[-+]?0x[0-9a-fA-F]+"), "is a hexadecimal number"),
    (re.compile(r"(?=[^_]*_)[-+]?[0-9][0-9_]*(\.[0-9_]*)?"), "contains '_' digit separators"),
    (re.compile(r"[-+]?[0-9]+(:[0-5]?[0-9])+(\.[0-9_]*)?"), "is a sexagesimal number in YAML 1.1"),
    (re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?"), "is a date in YAML 1.1"),
    (re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"), "is a special float"),
    (
        re.compile(r"[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|[-+]?[0-9]+\.([eE][-+]?[0-9]+)?"),
        "is a float in YAML 1.1",
    ),
]
# Only scalars starting like a number, or these words, can be ambiguous.
_AMBIGUOUS_START = frozenset("0123456789+-.")
_AMBIGUOUS_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false"})


@record
class ScalarInfo:
    """A scalar's text as written, whether it was plain, and why it may be ambiguous."""

    raw: str
    plain: bool
    ambiguous: str = ""  # why a plain scalar may not mean what it looks like


# A spec repeats the same scalars (uuid, true, cascade) in every table; the answers
# are immutable (a str, number, bool or None; a read-only ScalarInfo), so shared.
# One argument each: a cache keyed by the string itself is the cheapest to ask.
@lru_cache(maxsize=1 << 16)
def _plain(raw: str) -> tuple[Any, str]:
    """What a plain (unquoted) scalar means, and why it may not mean what it looks
    like ("" when it surely does).  A quoted or block scalar is always its text."""
    if raw in ("", "~", "null", "Null", "NULL"):
        return None, ""
    if raw == "true":
        return True, ""
    if raw == "false":
        return False, ""
    if raw[0] not in _AMBIGUOUS_START and raw.lower() not in _AMBIGUOUS_WORDS:
        return raw, ""  # a name such as 'text' or 'cascade' (no number starts so)
    if _INT.fullmatch(raw):
        if len(raw) > 4000:  # int() refuses over 4,300 digits; no column holds such a number
            return raw, "is a number too long to read"
        return int(raw), ""
    if _FLOAT.fullmatch(raw):
        return float(raw), ""
    for pattern, why in _AMBIGUOUS:
        if pattern.fullmatch(raw):
            return raw, why
    return raw, ""


@lru_cache(maxsize=1 << 12)
def _plain_info(raw: str) -> ScalarInfo:
    return ScalarInfo(raw, plain=True, ambiguous=_plain(raw)[1])


@lru_cache(maxsize=1 << 12)
def _quoted_info(raw: str) -> ScalarInfo:
    return ScalarInfo(raw, plain=False)
