"""The self-check for the statements around the tables: extensions, schemas, enum
types, domains, sequences, indexes, comments, plus the column and check
details inside CREATE TABLE (identity, generated, CHECK).

``sql.py`` hands each parsed statement here first; functions, triggers,
row-level security, policies and views go on to ``objects.py``.  Statements
sqlglot keeps only as an opaque ``Command`` (``CREATE EXTENSION``, ``CREATE
DOMAIN``, a unique index with NULLS NOT DISTINCT, ...) are read with a
pattern and compared with the model; any other Command remains an error.  What is expected comes from the model alone, never
from the renderer's text: ``expected.py`` builds it, into the same ``Extras``
record (``extras.py``) this module fills from the SQL.
"""

from __future__ import annotations

import re
from typing import Any

from ..sqltext import read_unicode_literal
from .extras import Extras, expression_key, sqlglot_exp, squash, table_key
from .objects import read_object

_EXTENSION = re.compile(r'CREATE EXTENSION IF NOT EXISTS "((?:[^"]|"")+)"')
_IDENT = r'"(?:[^"]|"")+"'
_OWNED = re.compile(
    rf"ALTER SEQUENCE ((?:{_IDENT}\.)?{_IDENT}) OWNED BY ((?:{_IDENT}\.)?{_IDENT})\.({_IDENT})"
)
_DOMAIN = re.compile(rf"CREATE DOMAIN ((?:{_IDENT}\.)?{_IDENT}) AS (.*)", re.DOTALL)
_DOMAIN_HEAD = re.compile(r"(.+?)( NOT NULL)?(?: DEFAULT (.*))?", re.DOTALL)
_DOMAIN_CHECK = re.compile(rf" CONSTRAINT ({_IDENT}) CHECK ")
_DOMAIN_COMMENT = re.compile(rf"COMMENT ON DOMAIN ((?:{_IDENT}\.)?{_IDENT}) IS '((?:[^']|'')*)'")


def _string(node: Any) -> str:
    """The text of a string literal; labels and comments with control characters
    are written ``U&'...'`` (see sqltext.quote_string)."""
    exp = sqlglot_exp()

    text: str = node.this
    return read_unicode_literal(text) if isinstance(node, exp.UnicodeString) else text


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
        text = squash(f"{stmt.this}{stmt.args.get('expression') or ''}")  # without comments
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
