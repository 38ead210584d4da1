"""Built-in functions an expression in a spec commonly calls: volatility, kind, result.

From PostgreSQL 15's pg_proc (provolatile, prokind, prorettype) for the
functions people write in defaults, checks and generated columns;
tests/test_pgsql_functions.py compares every row with the server.  A function
not listed here is "unknown": the static checks stay silent about it and
``schemagen validate --db`` asks the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Volatility = Literal["immutable", "stable", "volatile"]
FuncKind = Literal["normal", "aggregate", "window"]

# Result: a base type name from pgtypes, or "=1" / "=2" (the type of the first /
# second argument), or NUMERIC_RESULT (float8 for a float argument, else numeric).
SAME = "=1"
SECOND = "=2"
NUMERIC_RESULT = "=num"


@dataclass(frozen=True)
class Function:
    volatility: Volatility
    result: str | None  # None: depends on the arguments in ways we do not model
    kind: FuncKind = "normal"


def _f(volatility: Volatility, result: str | None, kind: FuncKind = "normal") -> Function:
    return Function(volatility, result, kind)


IMM: Volatility = "immutable"
STA: Volatility = "stable"
VOL: Volatility = "volatile"

FUNCTIONS: dict[str, Function] = {
    # time: now() and its synonyms are stable (fixed within a transaction);
    # clock_timestamp() is volatile.
    "now": _f(STA, "timestamptz"),
    "transaction_timestamp": _f(STA, "timestamptz"),
    "statement_timestamp": _f(STA, "timestamptz"),
    "clock_timestamp": _f(VOL, "timestamptz"),
    "timeofday": _f(VOL, "text"),
    "age": _f(STA, "interval"),
    "date_trunc": _f(STA, SECOND),
    "date_part": _f(STA, "float8"),
    "make_date": _f(IMM, "date"),
    "make_interval": _f(IMM, "interval"),
    "to_timestamp": _f(STA, "timestamptz"),
    "to_char": _f(STA, "text"),
    "to_date": _f(STA, "date"),
    # identifiers and randomness
    "gen_random_uuid": _f(VOL, "uuid"),
    "random": _f(VOL, "float8"),
    "nextval": _f(VOL, "int8"),
    "currval": _f(VOL, "int8"),
    "txid_current": _f(STA, "int8"),
    "pg_backend_pid": _f(STA, "int4"),
    # strings
    "lower": _f(IMM, SAME),
    "upper": _f(IMM, SAME),
    "length": _f(IMM, "int4"),
    "char_length": _f(IMM, "int4"),
    "character_length": _f(IMM, "int4"),
    "octet_length": _f(IMM, "int4"),
    "btrim": _f(IMM, SAME),
    "ltrim": _f(IMM, SAME),
    "rtrim": _f(IMM, SAME),
    "substr": _f(IMM, SAME),
    "left": _f(IMM, "text"),
    "right": _f(IMM, "text"),
    "replace": _f(IMM, "text"),
    "md5": _f(IMM, "text"),
    "initcap": _f(IMM, "text"),
    "concat": _f(STA, "text"),
    "concat_ws": _f(STA, "text"),
    "format": _f(STA, "text"),
    "regexp_replace": _f(IMM, "text"),
    "starts_with": _f(IMM, "bool"),
    "split_part": _f(IMM, "text"),
    "strpos": _f(IMM, "int4"),
    "translate": _f(IMM, "text"),
    "repeat": _f(IMM, "text"),
    "reverse": _f(IMM, "text"),
    "lpad": _f(IMM, "text"),
    "rpad": _f(IMM, "text"),
    # numbers
    "abs": _f(IMM, SAME),
    "round": _f(IMM, NUMERIC_RESULT),
    "ceil": _f(IMM, NUMERIC_RESULT),
    "floor": _f(IMM, NUMERIC_RESULT),
    "trunc": _f(IMM, NUMERIC_RESULT),
    "sqrt": _f(IMM, NUMERIC_RESULT),
    "power": _f(IMM, NUMERIC_RESULT),
    "mod": _f(IMM, SAME),
    "sign": _f(IMM, SAME),
    # json
    "to_jsonb": _f(STA, "jsonb"),
    "to_json": _f(STA, "json"),
    "jsonb_typeof": _f(IMM, "text"),
    "json_typeof": _f(IMM, "text"),
    "jsonb_array_length": _f(IMM, "int4"),
    "jsonb_build_object": _f(STA, "jsonb"),
    "jsonb_build_array": _f(STA, "jsonb"),
    # arrays
    "array_length": _f(IMM, "int4"),
    "cardinality": _f(IMM, "int4"),
    # aggregates: not allowed in a CHECK, default, generated column or index
    "count": _f(IMM, "int8", "aggregate"),
    "sum": _f(IMM, None, "aggregate"),
    "avg": _f(IMM, None, "aggregate"),
    "min": _f(IMM, None, "aggregate"),
    "max": _f(IMM, None, "aggregate"),
    "array_agg": _f(IMM, None, "aggregate"),
    "string_agg": _f(IMM, None, "aggregate"),
    "bool_and": _f(IMM, "bool", "aggregate"),
    "bool_or": _f(IMM, "bool", "aggregate"),
    "every": _f(IMM, "bool", "aggregate"),
    "jsonb_agg": _f(STA, "jsonb", "aggregate"),
    "json_agg": _f(STA, "json", "aggregate"),
    # window functions
    "row_number": _f(IMM, "int8", "window"),
    "rank": _f(IMM, "int8", "window"),
    "dense_rank": _f(IMM, "int8", "window"),
    "ntile": _f(IMM, "int4", "window"),
    "lag": _f(IMM, None, "window"),
    "lead": _f(IMM, None, "window"),
    "first_value": _f(IMM, None, "window"),
    "last_value": _f(IMM, None, "window"),
}

RANK = {"immutable": 0, "stable": 1, "volatile": 2}

# Overloads that are immutable though the function's listed volatility (its most
# volatile overload) is not: by argument types (PostgreSQL base names).
# tests/test_pgsql_functions.py checks each signature in pg_proc.
IMMUTABLE_SIGNATURES: dict[str, tuple[tuple[str, ...], ...]] = {
    "date_trunc": (("text", "timestamp"), ("text", "interval")),
    "date_part": (("text", "timestamp"), ("text", "interval"), ("text", "time")),
    "age": (("timestamp", "timestamp"),),
    "to_timestamp": (("float8",),),
}


def volatility_of(name: str, args: list[str | None]) -> Volatility:
    """The volatility of a call, refined by its argument types where that matters."""
    for signature in IMMUTABLE_SIGNATURES.get(name, ()):
        if len(args) == len(signature) and all(
            a == s or (a == "unknown" and s == "text") or (s == "float8" and a in _NUMBERS)
            for a, s in zip(args, signature, strict=True)
        ):
            return "immutable"
    return FUNCTIONS[name].volatility


_NUMBERS = ("int2", "int4", "int8", "float4", "float8")  # numeric -> float8 is not implicit
