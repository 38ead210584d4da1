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

# Result: a base type name from pgtypes, or "=1" (the type of the first argument).
SAME = "=1"


@dataclass(frozen=True)
class Function:
    volatility: Volatility
    result: str | None  # None: depends on the arguments in ways we do not model
    kind: FuncKind = "normal"


def _f(volatility: Volatility, result: str | None, kind: FuncKind = "normal") -> Function:
    return Function(volatility, result, kind)


I, S, V = "immutable", "stable", "volatile"

FUNCTIONS: dict[str, Function] = {
    # time: now() and its synonyms are stable (fixed within a transaction);
    # clock_timestamp() is volatile.
    "now": _f(S, "timestamptz"),
    "transaction_timestamp": _f(S, "timestamptz"),
    "statement_timestamp": _f(S, "timestamptz"),
    "clock_timestamp": _f(V, "timestamptz"),
    "timeofday": _f(V, "text"),
    "age": _f(S, "interval"),
    "date_trunc": _f(S, None),
    "date_part": _f(S, "float8"),
    "make_date": _f(I, "date"),
    "make_interval": _f(I, "interval"),
    "to_timestamp": _f(S, "timestamptz"),
    "to_char": _f(S, "text"),
    "to_date": _f(S, "date"),
    # identifiers and randomness
    "gen_random_uuid": _f(V, "uuid"),
    "random": _f(V, "float8"),
    "nextval": _f(V, "int8"),
    "currval": _f(V, "int8"),
    "txid_current": _f(S, "int8"),
    "pg_backend_pid": _f(S, "int4"),
    # strings
    "lower": _f(I, SAME),
    "upper": _f(I, SAME),
    "length": _f(I, "int4"),
    "char_length": _f(I, "int4"),
    "character_length": _f(I, "int4"),
    "octet_length": _f(I, "int4"),
    "btrim": _f(I, "text"),
    "ltrim": _f(I, "text"),
    "rtrim": _f(I, "text"),
    "substr": _f(I, "text"),
    "left": _f(I, "text"),
    "right": _f(I, "text"),
    "replace": _f(I, "text"),
    "md5": _f(I, "text"),
    "initcap": _f(I, "text"),
    "concat": _f(S, "text"),
    "concat_ws": _f(S, "text"),
    "format": _f(S, "text"),
    "regexp_replace": _f(I, "text"),
    "starts_with": _f(I, "bool"),
    "split_part": _f(I, "text"),
    "strpos": _f(I, "int4"),
    "translate": _f(I, "text"),
    "repeat": _f(I, "text"),
    "reverse": _f(I, "text"),
    "lpad": _f(I, "text"),
    "rpad": _f(I, "text"),
    # numbers
    "abs": _f(I, SAME),
    "round": _f(I, None),
    "ceil": _f(I, None),
    "floor": _f(I, None),
    "trunc": _f(I, None),
    "sqrt": _f(I, "float8"),
    "power": _f(I, None),
    "mod": _f(I, SAME),
    "sign": _f(I, SAME),
    # json
    "to_jsonb": _f(S, "jsonb"),
    "to_json": _f(S, "json"),
    "jsonb_typeof": _f(I, "text"),
    "json_typeof": _f(I, "text"),
    "jsonb_array_length": _f(I, "int4"),
    "jsonb_build_object": _f(S, "jsonb"),
    "jsonb_build_array": _f(S, "jsonb"),
    # arrays
    "array_length": _f(I, "int4"),
    "cardinality": _f(I, "int4"),
    # aggregates: not allowed in a CHECK, default, generated column or index
    "count": _f(I, "int8", "aggregate"),
    "sum": _f(I, None, "aggregate"),
    "avg": _f(I, None, "aggregate"),
    "min": _f(I, None, "aggregate"),
    "max": _f(I, None, "aggregate"),
    "array_agg": _f(I, None, "aggregate"),
    "string_agg": _f(I, None, "aggregate"),
    "bool_and": _f(I, "bool", "aggregate"),
    "bool_or": _f(I, "bool", "aggregate"),
    "every": _f(I, "bool", "aggregate"),
    "jsonb_agg": _f(S, "jsonb", "aggregate"),
    "json_agg": _f(S, "json", "aggregate"),
    # window functions
    "row_number": _f(I, "int8", "window"),
    "rank": _f(I, "int8", "window"),
    "dense_rank": _f(I, "int8", "window"),
    "ntile": _f(I, "int4", "window"),
    "lag": _f(I, None, "window"),
    "lead": _f(I, None, "window"),
    "first_value": _f(I, None, "window"),
    "last_value": _f(I, None, "window"),
}

RANK = {"immutable": 0, "stable": 1, "volatile": 2}
