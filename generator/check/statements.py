"""The self-check for the statements around the tables: extensions, schemas, enum
types, the trigger function, indexes, triggers, comments, plus the column and
check details inside CREATE TABLE (identity, generated, CHECK).

``sql.py`` hands each parsed statement here first.  Two statements sqlglot
keeps only as an opaque ``Command`` — ``CREATE EXTENSION`` and a PL/pgSQL
function — are read with a pattern and compared with the model; any other
Command remains an error.  What is expected comes from the model alone, never
from the renderer's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..model import Column, Schema
from ..sqltext import read_unicode_literal
from .objects import expected_objects, read_object

_EXTENSION = re.compile(r'CREATE EXTENSION IF NOT EXISTS "((?:[^"]|"")+)"')


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Extras:
    extensions: set[str] = field(default_factory=set)
    namespaces: set[str] = field(default_factory=set)
    enums: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    functions: set[tuple[Any, ...]] = field(default_factory=set)
    indexes: set[tuple[Any, ...]] = field(default_factory=set)
    triggers: set[tuple[Any, ...]] = field(default_factory=set)
    security: set[tuple[str, str]] = field(default_factory=set)  # (table, ENABLE|FORCE)
    policies: set[tuple[Any, ...]] = field(default_factory=set)
    views: set[tuple[Any, ...]] = field(default_factory=set)
    comments: set[tuple[str, str, str]] = field(default_factory=set)

    def compare(self, other: Extras, problems: list[str]) -> None:
        """Report what one side declares and the other does not (``self``: the model)."""
        for name in (
            "extensions",
            "namespaces",
            "enums",
            "functions",
            "indexes",
            "triggers",
            "security",
            "policies",
            "views",
        ):
            want, got = getattr(self, name), getattr(other, name)
            for item in sorted(want - got, key=repr):
                problems.append(f"{name[:-1]} {item!r} is missing from the SQL")
            for item in sorted(got - want, key=repr):
                problems.append(f"{name[:-1]} {item!r} in the SQL is not in the model")
        if self.comments != other.comments:
            problems.append("the COMMENT ON statements differ from the model's descriptions")


def _string(node: Any) -> str:
    """The text of a string literal; labels and comments with control characters
    are written ``U&'...'`` (see sqltext.quote_string)."""
    from sqlglot import exp

    text: str = node.this
    return read_unicode_literal(text) if isinstance(node, exp.UnicodeString) else text


def table_key(node: Any) -> str:
    """``auth.users`` or ``users`` from a parsed table reference."""
    return f"{node.db}.{node.name}" if node.db else node.name


@cache
def expression_key(sql: str) -> str:
    """An expression as sqlglot prints it back, for comparing with the parsed DDL."""
    import sqlglot

    paren = sqlglot.parse_one(f"SELECT ({sql}\n)", read="postgres").expressions[0]
    return str(paren.this.sql("postgres"))


def column_extras(item: Any) -> tuple[str | None, str | None]:
    """(identity kind, generated expression) of a parsed column definition."""
    from sqlglot import exp

    identity = generated = None
    for constraint in item.constraints:
        kind = constraint.kind
        if isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            identity = "always" if kind.this else "by default"
        elif isinstance(kind, exp.ComputedColumnConstraint):
            generated = kind.this.sql("postgres")
    return identity, generated


def model_column_extras(col: Column) -> tuple[str | None, str | None]:
    generated = expression_key(col.generated) if col.generated is not None else None
    return col.identity, generated


def read_check(body: Any) -> str | None:
    """The expression of a CHECK constraint body, or None when it is not one."""
    from sqlglot import exp

    if isinstance(body, exp.CheckColumnConstraint):
        return str(body.this.sql("postgres"))
    return None


def read_statement(stmt: Any, got: Extras, problems: list[str]) -> bool:
    """Record a statement that is not a table or foreign key; False: not ours."""
    from sqlglot import exp

    if read_object(stmt, got):
        return True
    if isinstance(stmt, exp.Command):
        text = _squash(f"{stmt.this}{stmt.args.get('expression') or ''}")  # without comments
        m = _EXTENSION.fullmatch(text.rstrip(";"))
        if m:
            got.extensions.add(m.group(1).replace('""', '"'))
            return True
        return False
    if isinstance(stmt, exp.Create) and stmt.kind == "SCHEMA":
        got.namespaces.add(stmt.this.db)
        return True
    if isinstance(stmt, exp.Create) and stmt.kind == "TYPE":
        dtype = stmt.expression
        if not isinstance(dtype, exp.DataType) or dtype.this != exp.DataType.Type.ENUM:
            return False
        got.enums.add((table_key(stmt.this), tuple(_string(e) for e in dtype.expressions)))
        return True
    if isinstance(stmt, exp.Create) and stmt.kind == "INDEX":
        index, params = stmt.this, stmt.this.args["params"]
        where = params.args.get("where")
        got.indexes.add(
            (
                index.name,
                table_key(index.args["table"]),
                bool(stmt.args.get("unique")),
                str(params.args["using"].name) if params.args.get("using") else "btree",
                tuple((o.this.name, bool(o.args.get("desc"))) for o in params.args["columns"]),
                tuple(i.name for i in params.args.get("include") or ()),
                where.this.this.sql("postgres") if where is not None else None,
            )
        )
        return True
    if isinstance(stmt, exp.Comment):
        target = stmt.this
        if isinstance(target, exp.Column):
            parts = (target.args.get("db"), target.args.get("table"), target.this)
            name = ".".join(p.name for p in parts if p is not None)
        else:
            name = table_key(target)
        got.comments.add((str(stmt.args["kind"]), name, _string(stmt.expression)))
        return True
    return False


def expected(schema: Schema) -> Extras:
    want = Extras()
    want.extensions = set(schema.extensions)
    want.namespaces = set(schema.namespaces)
    want.enums = {(e.key, e.labels) for e in schema.enums}
    for e in schema.enums:
        if e.description:
            want.comments.add(("TYPE", e.key, e.description))
    for t in schema.tables:
        if t.description:
            want.comments.add(("TABLE", t.key, t.description))
        for c in t.columns:
            if c.description:
                want.comments.add(("COLUMN", f"{t.key}.{c.name}", c.description))
        for ix in t.indexes:
            want.indexes.add(
                (
                    ix.name,
                    t.key,
                    ix.unique,
                    ix.using,
                    tuple((c.name, c.descending) for c in ix.columns),
                    ix.include,
                    expression_key(ix.where) if ix.where is not None else None,
                )
            )
    expected_objects(schema, want)
    return want
