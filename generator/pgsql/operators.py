"""PostgreSQL's operators and casts between type classes, as data (pg_operator, pg_cast).

Which arithmetic exists between which classes and what it returns, and which
casts read a session setting (so are only stable).  infer.py asks these.
"""

from __future__ import annotations

from .functions import SAME
from .pgtypes import LITERAL, NULL, display, type_class

COMPARE = {"=", "<>", "!=", "<", ">", "<=", ">="}
ARITH = {"+", "-", "*", "/", "%", "^"}
BOOL_OPS = {"~", "~*", "!~", "!~*", "@>", "<@", "?", "?|", "?&", "&&", "@@"}
INTEGERS = ("int2", "int4")
# Classes whose operators we know completely: between these, a missing pair is an error.
KNOWN = {
    *("numeric", "text", "boolean", "timestamp", "date", "time", "interval"),
    *("uuid", "network", "json", "bytea"),
}
# (left class, right class, operator) -> result: a type, SAME (the left operand's
# type) or "=2" (the right one's); from PostgreSQL's pg_operator for these classes.
ARITH_RESULTS = {
    **{("timestamp", "interval", op): SAME for op in "+-"},
    ("interval", "timestamp", "+"): "=2",
    ("timestamp", "timestamp", "-"): "interval",
    ("timestamp", "date", "-"): "interval",
    ("date", "timestamp", "-"): "interval",
    **{("date", "numeric", op): "date" for op in "+-"},
    ("date", "date", "-"): "int4",
    **{("date", "interval", op): "timestamp" for op in "+-"},
    ("interval", "date", "+"): "timestamp",
    ("date", "time", "+"): "timestamp",
    ("time", "date", "+"): "timestamp",
    **{("interval", "interval", op): "interval" for op in "+-"},
    **{("interval", "numeric", op): "interval" for op in "*/"},
    ("numeric", "interval", "*"): "interval",
    **{("time", "interval", op): SAME for op in "+-"},
    ("interval", "time", "+"): "=2",
    ("time", "time", "-"): "interval",
    ("json", "text", "-"): SAME,
    ("json", "numeric", "-"): SAME,
    **{("network", "numeric", op): SAME for op in "+-"},
    ("numeric", "network", "+"): "=2",
    ("network", "network", "-"): "int8",
}
NUMERIC_ORDER = ["int2", "int4", "int8", "numeric", "float4", "float8"]

# Types whose text form reads a setting (DateStyle, IntervalStyle; an enum's or
# array's output function is only stable): pg_proc's typoutput/typinput volatility.
SETTING_OUT = ("timestamp", "timestamptz", "date", "interval")
SETTING_IN = ("timestamp", "timestamptz", "date", "time", "timetz", "interval")


def cast_cause(source: str | None, target: str | None) -> str | None:
    """Why a cast is only stable, or None when it is immutable (as far as we know)."""
    if source in (None, LITERAL, NULL) or target is None:
        return None  # a literal is converted once, when the DDL runs
    sc, tc = type_class(source), type_class(target)
    where = f"the cast from {display(source or '')} to {display(target)}"
    zone = f"{where} (it reads the time zone)"
    if source == "timestamptz" and target in ("date", "time", "timestamp"):
        return zone
    if source in ("timestamp", "date") and target == "timestamptz":
        return zone
    if tc == "text" and (source in SETTING_OUT or sc in ("enum", "array")):
        return f"{where} (its text form reads settings)"
    if sc == "text" and (target in SETTING_IN or tc in ("enum", "array")):
        return f"{where} (reading it depends on settings)"
    return None
