"""A column's limits as Pydantic Field keywords: its type's, tightened by its checks.

The type gives the first bounds (an integer's range, a varchar's length,
numeric's digits); CHECK constraints can only narrow them.

A CHECK is arbitrary SQL, so the models cannot enforce it in general; but the
common shapes (``price >= 0``, ``qty BETWEEN 1 AND 10``, ``length(code) <= 8``
and conjunctions of them) are plain bounds, and a value that breaks one is
refused by the model before it reaches the database.  Each conjunct of an AND
is implied by the whole check, so using only the conjuncts we understand is
sound; anything else (OR, other columns, functions) is left to PostgreSQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from ..model import Check, Column

# (value, inclusive); None when unbounded
Bound = tuple[Decimal, bool] | None


@dataclass
class Bounds:
    low: Bound = None
    high: Bound = None

    def tighten_low(self, value: Decimal, inclusive: bool) -> None:
        if self.low is None or value > self.low[0] or (value == self.low[0] and not inclusive):
            self.low = (value, inclusive)

    def tighten_high(self, value: Decimal, inclusive: bool) -> None:
        if self.high is None or value < self.high[0] or (value == self.high[0] and not inclusive):
            self.high = (value, inclusive)


def _number(node: Any) -> Decimal | None:
    from sqlglot import exp

    sign = 1
    if isinstance(node, exp.Neg):
        sign, node = -1, node.this
    if isinstance(node, exp.Paren):
        return _number(node.this)
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return sign * Decimal(node.this)
        except InvalidOperation:
            return None
    return None


@cache
def _conjuncts(sql: str) -> tuple[Any, ...]:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(sql, read="postgres")
    except SqlglotError:
        return ()
    while isinstance(tree, exp.Paren):
        tree = tree.this
    return tuple(tree.flatten()) if isinstance(tree, exp.And) else (tree,)


def _target(node: Any, column: str) -> str | None:
    """ "value" for the column itself, "length" for length(column), else None."""
    from sqlglot import exp

    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Column) and not node.table and node.name == column:
        return "value"
    if isinstance(node, exp.Length) and _target(node.this, column) == "value":
        return "length"
    return None


def _apply(node: Any, column: str, value: Bounds, length: Bounds) -> None:
    from sqlglot import exp

    if isinstance(node, exp.Between):
        target, low, high = (
            _target(node.this, column),
            _number(node.args["low"]),
            _number(node.args["high"]),
        )
        if target and low is not None and high is not None:
            bounds = value if target == "value" else length
            bounds.tighten_low(low, True)
            bounds.tighten_high(high, True)
        return
    ops = {exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.EQ: "="}
    op = ops.get(type(node))
    if op is None:
        return
    left, right = node.this, node.expression
    target, number = _target(left, column), _number(right)
    if target is None:  # 0 < price: read it as price > 0
        target, number = _target(right, column), _number(left)
        op = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "="}[op]
    if target is None or number is None:
        return
    bounds = value if target == "value" else length
    if op in (">", ">=", "="):
        bounds.tighten_low(number, op != ">")
    if op in ("<", "<=", "="):
        bounds.tighten_high(number, op != "<")


def _int_bounds(b: Bounds) -> tuple[int | None, int | None]:
    """Inclusive integer bounds: ``> 0`` is ``>= 1`` for a whole number."""
    low = high = None
    if b.low is not None:
        v, inclusive = b.low
        low = math.ceil(v) if inclusive else math.floor(v) + 1
    if b.high is not None:
        v, inclusive = b.high
        high = math.floor(v) if inclusive else math.ceil(v) - 1
    return low, high


def _type_bounds(col: Column) -> tuple[Bounds, Bounds]:
    t = col.type
    value, length = Bounds(), Bounds()
    if t.info.int_range is not None:
        value.tighten_low(Decimal(t.info.int_range[0]), True)
        value.tighten_high(Decimal(t.info.int_range[1]), True)
    if t.precision is not None and t.precision == (t.scale or 0):
        # numeric(2,2) has no whole digits.  pydantic's max_digits would count
        # the 0 of Decimal("0") as one and refuse it: say it as bounds instead.
        value.tighten_low(Decimal(-1), False)
        value.tighten_high(Decimal(1), False)
    if t.length is not None:
        length.tighten_high(Decimal(t.length), True)
    return value, length


def _decimal(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return f'Decimal("{number}")'


def field_constraints(col: Column, checks: tuple[Check, ...]) -> dict[str, str]:
    """Field keywords for the column's limits, in a fixed order (may be empty)."""
    t = col.type
    if t.array or t.enum is not None:
        return {}  # the limits are per element; the database checks those
    value, length = _type_bounds(col)
    for check in checks:
        if check.columns == (col.name,):
            for node in _conjuncts(check.sql):
                _apply(node, col.name, value, length)
    out: dict[str, str] = {}
    kind = t.info.constraints
    if kind == "length":
        low, high = _int_bounds(length)
        if low is not None and low > 0:
            out["min_length"] = str(low)
        if high is not None:
            out["max_length"] = str(max(high, 0))
    elif kind == "integer":
        low, high = _int_bounds(value)
        if low is not None:
            out["ge"] = str(low)
        if high is not None:
            out["le"] = str(high)
    elif kind in ("decimal", "float"):
        if t.precision is not None:
            if t.precision != (t.scale or 0):
                out["max_digits"] = str(t.precision)
            out["decimal_places"] = str(t.scale or 0)
        for key, bound in (("g", value.low), ("l", value.high)):
            if bound is not None:
                number, inclusive = bound
                text = _decimal(number) if kind == "decimal" else repr(float(number))
                out[key + ("e" if inclusive else "t")] = text
    return out
