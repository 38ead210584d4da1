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

from ..model import Column, Index, Schema
from ..sqltext import read_unicode_literal
from .objects import expected_objects, read_object

_EXTENSION = re.compile(r'CREATE EXTENSION IF NOT EXISTS "((?:[^"]|"")+)"')
_IDENT = r'"(?:[^"]|"")+"'
_OWNED = re.compile(
    rf"ALTER SEQUENCE ((?:{_IDENT}\.)?{_IDENT}) OWNED BY ((?:{_IDENT}\.)?{_IDENT})\.({_IDENT})"
)
_DOMAIN = re.compile(rf"CREATE DOMAIN ((?:{_IDENT}\.)?{_IDENT}) AS (.*)", re.DOTALL)
_DOMAIN_HEAD = re.compile(r"(.+?)( NOT NULL)?(?: DEFAULT (.*))?", re.DOTALL)
_DOMAIN_CHECK = re.compile(rf" CONSTRAINT ({_IDENT}) CHECK ")
_DOMAIN_COMMENT = re.compile(rf"COMMENT ON DOMAIN ((?:{_IDENT}\.)?{_IDENT}) IS '((?:[^']|'')*)'")


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(eq=False, repr=False)
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
    # (key, type, {(option, value)}): the options other than AS, as CREATE SEQUENCE writes them
    sequences: set[tuple[str, Any, frozenset[tuple[str, str]]]] = field(default_factory=set)
    # (key, type, NOT NULL, has a default, {(check name, expression)})
    domains: set[tuple[str, str, bool, bool, frozenset[tuple[str, str]]]] = field(
        default_factory=set
    )
    owners: set[tuple[str, str, str]] = field(default_factory=set)  # (sequence, table, column)

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
            "sequences",
            "owners",
            "domains",
        ):
            want, got = getattr(self, name), getattr(other, name)
            for item in sorted(want - got, key=repr):
                problems.append(f"{name[:-1]} {item!r} is missing from the SQL")
            for item in sorted(got - want, key=repr):
                problems.append(f"{name[:-1]} {item!r} in the SQL is not in the model")
        if self.comments != other.comments:
            problems.append("the COMMENT ON statements differ from the model's descriptions")


@cache
def sqlglot_exp() -> Any:
    """``sqlglot.exp``, imported on first use (start-up stays lean) and then kept:
    the per-column readers below run some 13,000 times at 1,000 tables, and an
    import statement in each call costs more than the rest of the call."""
    from sqlglot import exp

    return exp


def _string(node: Any) -> str:
    """The text of a string literal; labels and comments with control characters
    are written ``U&'...'`` (see sqltext.quote_string)."""
    exp = sqlglot_exp()

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


def model_column_extras(col: Column) -> tuple[str | None, str | None]:
    generated = expression_key(col.generated) if col.generated is not None else None
    return col.identity, generated


def read_check(body: Any) -> str | None:
    """The expression of a CHECK constraint body, or None when it is not one."""
    exp = sqlglot_exp()

    if isinstance(body, exp.CheckColumnConstraint):
        return str(body.this.sql("postgres"))
    return None


def read_exclusion(body: Any) -> tuple[str, tuple[tuple[str, str], ...], str | None] | None:
    """(method, ((column, operator), ...), predicate) of an EXCLUDE constraint body."""
    from sqlglot import exp

    if not isinstance(body, exp.ExcludeColumnConstraint):
        return None
    params = body.this
    where = params.args.get("where")
    return (
        str(params.args["using"].name) if params.args.get("using") else "btree",
        tuple((w.this.this.name, str(w.args["op"].name)) for w in params.args["columns"]),
        where.this.this.sql("postgres") if where is not None else None,
    )


def read_statement(stmt: Any, got: Extras, problems: list[str]) -> bool:
    """Record a statement that is not a table or foreign key; False: not ours."""
    exp = sqlglot_exp()

    if read_object(stmt, got):
        return True
    if isinstance(stmt, exp.Command):
        text = _squash(f"{stmt.this}{stmt.args.get('expression') or ''}")  # without comments
        if text.startswith("CREATE UNIQUE INDEX ") and _NND in text:
            # sqlglot does not read NULLS NOT DISTINCT (PostgreSQL 15): read the
            # statement without it, and note it.
            import sqlglot

            _read_index(sqlglot.parse_one(text.replace(_NND, "", 1), read="postgres"), got, True)
            return True
        m = _EXTENSION.fullmatch(text.rstrip(";"))
        if m:
            got.extensions.add(m.group(1).replace('""', '"'))
            return True
        m = _DOMAIN.fullmatch(text.rstrip(";"))
        if m:
            got.domains.add(_read_domain(m.group(1), m.group(2)))
            return True
        m = _DOMAIN_COMMENT.fullmatch(text.rstrip(";"))
        if m:
            got.comments.add(("DOMAIN", _unquote(m.group(1)), m.group(2).replace("''", "'")))
            return True
        m = _OWNED.fullmatch(text.rstrip(";"))
        if m:
            seq, table, column = (_unquote(g) for g in m.groups())
            got.owners.add((seq, table, column))
            return True
        return False
    if isinstance(stmt, exp.Create) and stmt.kind == "SEQUENCE":
        dtype = stmt.expression.sql("postgres") if stmt.expression is not None else "BIGINT"
        got.sequences.add((table_key(stmt.this), dtype, _sequence_options(stmt)))
        return True
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
        _read_index(stmt, got, nulls_not_distinct=False)
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


_NND = " NULLS NOT DISTINCT"


_SEQUENCE_WORDS = {
    "increment": "INCREMENT BY",
    "minvalue": "MINVALUE",
    "maxvalue": "MAXVALUE",
    "start": "START WITH",
    "cache": "CACHE",
}


def _sequence_options(stmt: Any) -> frozenset[tuple[str, str]]:
    """CREATE SEQUENCE's options as sqlglot reads them: {("START WITH", "1000"), ("CYCLE", "")}."""
    exp = sqlglot_exp()
    out: set[tuple[str, str]] = set()
    for props in stmt.find_all(exp.SequenceProperties):
        for arg, word in _SEQUENCE_WORDS.items():
            node = props.args.get(arg)
            if node is not None:
                out.add((word, node.sql("postgres")))
        for option in props.args.get("options") or ():
            out.add((option.sql("postgres").upper(), ""))
    return frozenset(out)


def _read_domain(name: str, rest: str) -> tuple[str, str, bool, bool, frozenset[tuple[str, str]]]:
    """CREATE DOMAIN's parts (sqlglot keeps the statement as a Command): the base
    type, NOT NULL, whether there is a default, and the named checks."""
    parts = _DOMAIN_CHECK.split(rest)
    head = _DOMAIN_HEAD.fullmatch(parts[0])
    assert head is not None  # (.+?) matches any non-empty text
    checks = frozenset(
        (_unquote(cname), expression_key(body.strip()[1:-1]))
        for cname, body in zip(parts[1::2], parts[2::2], strict=True)
    )
    return _unquote(name), head.group(1), bool(head.group(2)), head.group(3) is not None, checks


def _index_column(node: Any) -> tuple[str, str | None, str | None, bool]:
    """(column, expression, operator class, descending) of a parsed index column."""
    from sqlglot import exp

    desc, opclass = bool(node.args.get("desc")), None
    node = node.this
    if isinstance(node, exp.Opclass):
        opclass, node = node.expression.name, node.this
    if isinstance(node, exp.Paren):
        return "", str(node.this.sql("postgres")), opclass, desc
    return node.name, None, opclass, desc


def _read_index(stmt: Any, got: Extras, nulls_not_distinct: bool) -> None:
    index, params = stmt.this, stmt.this.args["params"]
    where = params.args.get("where")
    got.indexes.add(
        (
            index.name,
            table_key(index.args["table"]),
            bool(stmt.args.get("unique")),
            str(params.args["using"].name) if params.args.get("using") else "btree",
            tuple(_index_column(o) for o in params.args["columns"]),
            tuple(i.name for i in params.args.get("include") or ()),
            where.this.this.sql("postgres") if where is not None else None,
            nulls_not_distinct,
        )
    )


def _unquote(name: str) -> str:
    """``"auth"."t"`` -> ``auth.t`` (the model's keys)."""
    return ".".join(p.replace('""', '"') for p in re.findall(r'"((?:[^"]|"")+)"', name))


def type_sql(text: str) -> str:
    """A type as sqlglot prints it back (``integer`` -> ``INT``)."""

    from sqlglot import exp

    return str(exp.DataType.build(text, dialect="postgres").sql("postgres"))


def index_key(owner: str, ix: Index) -> tuple[Any, ...]:
    """An index as the model has it, in the terms ``_read_index`` reads the SQL."""
    return (
        ix.name,
        owner,
        ix.unique,
        ix.using,
        tuple(
            (
                c.name,
                expression_key(c.expression) if c.expression is not None else None,
                c.opclass,
                c.descending,
            )
            for c in ix.columns
        ),
        ix.include,
        expression_key(ix.where) if ix.where is not None else None,
        ix.nulls_not_distinct,
    )


def expected(schema: Schema) -> Extras:
    want = Extras()
    want.extensions = set(schema.extensions)
    want.namespaces = set(schema.namespaces)
    want.enums = {(e.key, e.labels) for e in schema.enums}
    for e in schema.enums:
        if e.description:
            want.comments.add(("TYPE", e.key, e.description))
    for dom in schema.domains:
        if dom.description:
            want.comments.add(("DOMAIN", dom.key, dom.description))
        checks = frozenset((c.name, expression_key(c.sql)) for c in dom.checks)
        want.domains.add((dom.key, dom.type.sql, not dom.nullable, dom.default is not None, checks))
    for t in schema.tables:
        if t.description:
            want.comments.add(("TABLE", t.key, t.description))
        for c in t.columns:
            if c.description:
                want.comments.add(("COLUMN", f"{t.key}.{c.name}", c.description))
        for ix in t.indexes:
            want.indexes.add(index_key(t.key, ix))
        for c in t.columns:
            if c.sequence is not None:
                seq = f"{t.schema}.{c.sequence}" if t.schema else c.sequence
                want.sequences.add((seq, type_sql(c.type.sql), frozenset()))
                want.owners.add((seq, t.key, c.name))
    for s in schema.sequences:
        options = frozenset((w, v) for w, v in s.options() if w != "AS")
        want.sequences.add((s.key, type_sql(s.data_type), options))
        if s.owned_by is not None:
            want.owners.add((s.key, *s.owned_by))
        if s.description:
            want.comments.add(("SEQUENCE", s.key, s.description))
    expected_objects(schema, want)
    return want
