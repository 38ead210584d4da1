"""The self-check for functions, triggers, row-level security and policies.

Each statement is read back from the DDL as sqlglot parses it (a function,
a trigger) or, where sqlglot keeps only an opaque ``Command`` (a function it
cannot parse, ``ALTER TABLE ... ROW LEVEL SECURITY``, ``CREATE POLICY``), by a
pattern over the statement's text and sqlglot's tokens; the expressions inside
are parsed and compared as sqlglot prints them.  What is expected comes from
the model alone (``expected_objects``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..model import Schema
from .extras import Extras, expression_key, squash, table_key

_IDENT = r'"((?:[^"]|"")+)"'
_TABLE = rf"(?:{_IDENT}\.)?{_IDENT}"
_FUNCTION = re.compile(
    rf"CREATE OR REPLACE FUNCTION {_IDENT}\((.*?)\) RETURNS (.+?) LANGUAGE (\w+)"
    r"((?: (?:VOLATILE|STABLE|IMMUTABLE|SECURITY DEFINER))*) AS (\$\w*\$)(.*)\6",
    re.DOTALL,
)
_ARG = re.compile(rf"{_IDENT} (.+)")
_RLS = re.compile(rf"TABLE {_TABLE} (ENABLE|FORCE) ROW LEVEL SECURITY")
_POLICY = re.compile(
    rf"POLICY {_IDENT} ON {_TABLE} AS (PERMISSIVE|RESTRICTIVE) FOR (\w+) TO (.+?)((?: USING| WITH CHECK) .*)?"
)


def _unquote(name: str | None) -> str | None:
    return name.replace('""', '"') if name is not None else None


def _key(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


@cache
def routine_type(text: str) -> str:
    """A type as sqlglot prints it back (``bigint`` -> ``BIGINT``), lower-cased."""
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    setof = text.lower().startswith("setof ")
    try:
        name = exp.DataType.build(text[6:] if setof else text, dialect="postgres").sql("postgres")
    except (SqlglotError, ValueError):
        name = text
    return ("setof " if setof else "") + squash(name).lower()


def _expr(sql: str | None) -> str | None:
    return expression_key(sql) if sql is not None else None


def _clauses(text: str) -> dict[str, str]:
    """``USING (a) WITH CHECK (b)`` -> {"USING": "a", "WITH CHECK": "b"}, split at the
    top-level parentheses by sqlglot's tokens (a ')' inside a string is no end)."""
    import sqlglot
    from sqlglot import TokenType

    out: dict[str, str] = {}
    depth, start, name = 0, 0, ""
    words: list[str] = []
    for tok in sqlglot.tokenize(text, read="postgres"):
        if tok.token_type == TokenType.L_PAREN:
            if depth == 0:
                name, start, words = " ".join(words).upper(), tok.end + 1, []
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                out[name] = text[start : tok.start]
        elif depth == 0:
            words.append(tok.text)
    return out


def _function_tuple(stmt: Any) -> tuple[Any, ...] | None:
    """A parsed CREATE FUNCTION as (name, arg names, arg types, returns, language,
    options, body); None when it is not one sqlglot parsed."""
    from sqlglot import exp

    if not (isinstance(stmt, exp.Create) and stmt.kind == "FUNCTION"):
        return None
    udf = stmt.this
    props = {type(p).__name__: p for p in stmt.args["properties"].expressions}
    options = []
    if "StabilityProperty" in props:
        options.append(str(props["StabilityProperty"].this.name).upper())
    if "SqlSecurityProperty" in props:
        options.append("SECURITY DEFINER")
    returns = props["ReturnsProperty"]
    body = stmt.expression
    return (
        udf.this.name,
        tuple(a.name for a in udf.expressions),
        tuple(routine_type(a.args["kind"].sql("postgres")) for a in udf.expressions),
        ("setof " if returns.args.get("is_table") else "")
        + routine_type(returns.this.sql("postgres")),
        str(props["LanguageProperty"].this.name).lower(),
        tuple(options),
        squash(str(body.this)),
    )


def read_object(stmt: Any, got: Extras) -> bool:
    """Record a function, trigger, row-level security or policy statement; False: not one."""
    from sqlglot import exp

    if isinstance(stmt, exp.Create) and stmt.kind == "VIEW":
        props = stmt.args.get("properties")
        materialized = props is not None and any(
            isinstance(p, exp.MaterializedProperty) for p in props.expressions
        )
        target = stmt.this
        got.views.add(
            (
                target.this.name,
                tuple(i.name for i in target.expressions),
                materialized,
                stmt.expression.sql("postgres"),
            )
        )
        return True
    parsed = _function_tuple(stmt)
    if parsed is not None:
        got.functions.add(parsed)
        return True
    if isinstance(stmt, exp.Command):
        verb = str(stmt.this).upper()
        text = squash(str(stmt.args.get("expression") or "")).rstrip(";")
        if verb == "CREATE":
            m = _FUNCTION.fullmatch(f"CREATE {text}")
            if m:
                name, args, returns, language, options, _, body = m.groups()
                pairs = [_ARG.fullmatch(a.strip()) for a in args.split(",")] if args else []
                got.functions.add(
                    (
                        _unquote(name),
                        tuple(_unquote(p.group(1)) if p else "?" for p in pairs),
                        tuple(routine_type(p.group(2)) if p else "?" for p in pairs),
                        routine_type(returns),
                        language.lower(),
                        tuple(options.split(" SECURITY ")[0].split())
                        + (("SECURITY DEFINER",) if "SECURITY" in options else ()),
                        squash(body),
                    )
                )
                return True
            m = _POLICY.fullmatch(text)
            if m:
                name, schema, table, kind, command, roles, rest = m.groups()
                clauses = _clauses(rest or "")
                got.policies.add(
                    (
                        _unquote(name),
                        _key(_unquote(schema), _unquote(table) or ""),
                        kind == "PERMISSIVE",
                        command,
                        tuple(
                            _unquote(r.strip()[1:-1])
                            if r.strip().startswith('"')
                            else r.strip().lower()
                            for r in roles.split(",")
                        ),
                        _expr(clauses.get("USING")),
                        _expr(clauses.get("WITH CHECK")),
                    )
                )
                return True
        if verb == "ALTER":
            m = _RLS.fullmatch(text)
            if m:
                schema, table, what = m.groups()
                got.security.add((_key(_unquote(schema), _unquote(table) or ""), what))
                return True
        return False
    if isinstance(stmt, exp.Create) and stmt.kind == "TRIGGER":
        props = stmt.args["properties"].expressions[0]
        call = props.args["execute"].this
        events = props.args["events"]
        when = props.args.get("when")
        got.triggers.add(
            (
                stmt.this.name,
                table_key(props.args["table"]),
                str(props.args["timing"]),
                tuple(str(e.this) for e in events),
                tuple(c.name for e in events for c in e.args.get("columns") or ()),
                str(props.args.get("for_each") or "STATEMENT"),
                when.sql("postgres") if isinstance(when, exp.Expression) else None,
                call.this.name,
                tuple(a.this for a in call.expressions),
            )
        )
        return True
    return False


@cache
def query_key(sql: str) -> str:
    """A view's query as sqlglot prints it back, for comparing with the parsed DDL."""
    import sqlglot

    return str(sqlglot.parse_one(sql, read="postgres").sql("postgres"))


def expected_objects(schema: Schema, want: Extras) -> None:
    from .expected import index_key  # expected imports this module

    for v in schema.views:
        want.views.add(
            (v.name, tuple(c.name for c in v.columns), v.materialized, query_key(v.query))
        )
        want.indexes |= {index_key(v.name, ix) for ix in v.indexes}
    for fn in schema.functions:
        options = ((fn.volatility,) if fn.volatility else ()) + (
            ("SECURITY DEFINER",) if fn.security_definer else ()
        )
        want.functions.add(
            (
                fn.name,
                tuple(n for n, _ in fn.arguments),
                tuple(routine_type(t) for _, t in fn.arguments),
                routine_type(fn.returns),
                fn.language,
                options,
                squash(fn.body),
            )
        )
    for t in schema.tables:
        for tr in t.triggers:
            want.triggers.add(
                (
                    tr.name,
                    t.key,
                    tr.timing,
                    tr.events,
                    tr.update_of,
                    tr.for_each,
                    _expr(tr.when),
                    tr.function,
                    tr.args,
                )
            )
        if t.row_level_security:
            want.security.add((t.key, "ENABLE"))
        if t.force_row_level_security:
            want.security.add((t.key, "FORCE"))
        for p in t.policies:
            want.policies.add(
                (
                    p.name,
                    t.key,
                    p.permissive,
                    p.command,
                    p.roles,
                    _expr(p.using),
                    _expr(p.with_check),
                )
            )
