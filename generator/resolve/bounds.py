"""Pass ``bounds``: each column's limits, its type's tightened by its checks.

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
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from ..model import Limits, Number
from ..types import ColumnType
from .draft import Draft

_VALUE = re.compile(r"\bvalue\b", re.IGNORECASE)
Bound = tuple[Decimal, bool] | None  # (value, inclusive); None when unbounded
_NO_LIMITS = Limits()


@dataclass(eq=False, repr=False)
class _Range:
    """The bounds CHECKs state on one column, narrowed as each is read."""

    low: Bound = None
    high: Bound = None

    def tighten_low(self, value: Decimal, inclusive: bool) -> None:
        if self.low is None or value > self.low[0] or (value == self.low[0] and not inclusive):
            self.low = (value, inclusive)

    def tighten_high(self, value: Decimal, inclusive: bool) -> None:
        if self.high is None or value < self.high[0] or (value == self.high[0] and not inclusive):
            self.high = (value, inclusive)


def run(d: Draft) -> None:
    by_type: dict[str, Limits] = {}  # without checks, the type's text decides
    for table in d.tables.values():
        checks: dict[str, list[str]] = {}
        for check in table.checks:
            if len(check.columns) == 1:
                checks.setdefault(check.columns[0], []).append(d.written(check.sql))
        for col in table.columns.values():
            own = list(checks.get(col.name, ()))
            if col.type is not None and col.type.domain is not None:
                # A domain's checks bound every column of it: read VALUE as the column.
                quoted = '"' + col.name.replace('"', '""') + '"'
                own += [_VALUE.sub(quoted, sql) for _, sql in d.domains[col.type.domain].checks]
            if col.type is not None and col.type.element_domain is not None:
                # year[]: the domain's checks bound each element (and the element type's
                # range); the limits are then per element, which Pydantic applies per item.
                quoted = '"' + col.name.replace('"', '""') + '"'
                checks_ = d.domains[col.type.element_domain].checks
                each = tuple(_VALUE.sub(quoted, sql) for _, sql in checks_)
                col.limits = _limits(col.type.element, col.name, each)
                continue
            if own:
                col.limits = _limits(col.type, col.name, tuple(own))
            else:
                limits = by_type.get(col.spec.type)
                if limits is None:
                    limits = by_type[col.spec.type] = _limits(col.type, col.name, ())
                col.limits = limits


def _limits(t: ColumnType | None, column: str, checks: tuple[str, ...]) -> Limits:
    if t is None or t.array or t.enum is not None or not t.info.constraints:
        return _NO_LIMITS  # an array's limits are per element; the database checks those
    value, length = _type_ranges(t)
    for sql in checks:
        for node in _conjuncts(sql):
            _apply(node, column, value, length)
    kind = t.info.constraints
    if kind == "length":
        low, high = _int_bounds(length)
        return Limits(
            min_length=low if low is not None and low > 0 else None,
            max_length=max(high, 0) if high is not None else None,
        )
    if kind == "integer":
        low, high = _int_bounds(value)
        return Limits(ge=low, le=high)
    digits: dict[str, int | None] = {}
    if t.precision is not None:
        if t.precision != (t.scale or 0):
            digits["max_digits"] = t.precision
        digits["decimal_places"] = t.scale or 0

    def number(x: Decimal) -> Number:
        return x if kind == "decimal" else float(x)

    bounds: dict[str, Number | None] = {}
    if value.low is not None:
        bounds["ge" if value.low[1] else "gt"] = number(value.low[0])
    if value.high is not None:
        bounds["le" if value.high[1] else "lt"] = number(value.high[0])
    return Limits(**bounds, **digits)  # type: ignore[arg-type]


def _type_ranges(t: ColumnType) -> tuple[_Range, _Range]:
    value, length = _Range(), _Range()
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


def _int_bounds(b: _Range) -> tuple[int | None, int | None]:
    """Inclusive integer bounds: ``> 0`` is ``>= 1`` for a whole number."""
    low = high = None
    if b.low is not None:
        v, inclusive = b.low
        low = math.ceil(v) if inclusive else math.floor(v) + 1
    if b.high is not None:
        v, inclusive = b.high
        high = math.floor(v) if inclusive else math.ceil(v) - 1
    return low, high


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


def _apply(node: Any, column: str, value: _Range, length: _Range) -> None:
    from sqlglot import exp

    if isinstance(node, exp.Between):
        target = _target(node.this, column)
        low, high = _number(node.args["low"]), _number(node.args["high"])
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
