"""A column definition as the self-check compares it: (name, type, NOT NULL, has a
default, identity kind, generated expression), read from sqlglot's tree of the
DDL (``column``) and of the model's type (``column_type_key``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from .extras import sqlglot_exp


def type_key(node: Any) -> Any:
    """A comparable key for a parsed type, cheaper than printing it back to SQL."""
    if node is None:
        return None
    args = node.args
    expressions = args.get("expressions")
    kind = args.get("kind")  # the name of a user-defined type (an enum, citext)
    if not expressions and kind is None:  # most types (uuid, text): nothing more to read
        return (node.this, (), None)
    exp = sqlglot_exp()
    params = tuple(
        type_key(e)
        if isinstance(e, exp.DataType)
        else (e.this.name if isinstance(e.this, exp.Literal) else e.sql("postgres"))
        for e in expressions or ()
    )
    return (node.this, params, kind.sql("postgres") if kind is not None else None)


@cache
def column_type_key(text: str) -> Any:
    """The model's type as sqlglot reads it in a column definition, as in the DDL
    (so user-defined and extension types read the same way on both sides)."""
    import sqlglot

    create = sqlglot.parse_one(f"CREATE TABLE _ (_ {text})", read="postgres")
    return type_key(create.this.expressions[0].kind)


@cache
def column_flags() -> dict[type, int]:
    """The column constraints a column's key records, by class (see ``column``)."""
    exp = sqlglot_exp()
    return {
        exp.NotNullColumnConstraint: 0,
        exp.DefaultColumnConstraint: 1,
        exp.GeneratedAsIdentityColumnConstraint: 2,
        exp.ComputedColumnConstraint: 3,
    }


def column(item: Any) -> tuple[Any, ...]:
    """(name, type, NOT NULL, has a default, identity kind, generated expression) of a
    parsed column definition.  This runs for every column (13,000 at 1,000 tables):
    one pass over the constraints, dispatched on the class; a subclass sqlglot might
    add is still classified by ``isinstance``, as ``classify`` does."""
    flags = column_flags()
    not_null = has_default = False
    identity = generated = None
    for constraint in item.constraints:
        kind = constraint.kind
        flag = flags.get(type(kind))
        if flag is None:
            flag = classify(kind)
        if flag == 0:
            not_null = True
        elif flag == 1:
            has_default = True
        elif flag == 2:
            identity = "always" if kind.this else "by default"
        elif flag == 3:
            generated = kind.this.sql("postgres")
    return (item.name, type_key(item.kind), not_null, has_default, identity, generated)


def classify(kind: Any) -> int | None:
    for cls, flag in column_flags().items():
        if isinstance(kind, cls):
            return flag
    return None
