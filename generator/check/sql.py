"""Check rendered DDL with sqlglot before anything is written.

Three checks, each a guard against a template bug rather than a spec error:
1. the text parses with the postgres dialect;
2. no statement is kept only as an opaque ``Command`` (sqlglot's way of
   saying "I did not understand this");
3. what the statements declare (tables, columns, types, NOT NULL, defaults,
   keys, foreign keys and their actions) equals the resolved model.

sqlglot is a parser, not PostgreSQL: the test suite also applies the DDL to a
real server and reads the catalog back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Span
from ..model import Schema
from .columns import column, column_type_key
from .expected import expected, model_column_extras
from .extras import Extras, expression_key, sqlglot_exp, table_key
from .statements import read_check, read_exclusion, read_statement


@dataclass(eq=False, repr=False)
class _Table:
    """One CREATE TABLE as the check compares it: columns, keys, checks, exclusions."""

    columns: list[tuple[Any, ...]] = field(default_factory=list)
    primary_key: tuple[str, tuple[str, ...]] | None = None
    uniques: set[tuple[str, tuple[str, ...], bool]] = field(default_factory=set)  # NND last
    checks: set[tuple[str, str]] = field(default_factory=set)
    exclusions: set[tuple[Any, ...]] = field(default_factory=set)


def _names(nodes: list[Any]) -> tuple[str, ...]:
    return tuple(n.name for n in nodes)


def _read_table(stmt: Any, tables: dict[str, _Table], problems: list[str]) -> None:
    exp = sqlglot_exp()
    schema = stmt.this
    table = tables.setdefault(table_key(schema.this), _Table())
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            table.columns.append(column(item))
        elif isinstance(item, exp.Constraint):
            for body in item.expressions:
                if isinstance(body, exp.PrimaryKey):
                    table.primary_key = (item.name, _names(body.expressions))
                elif isinstance(body, exp.UniqueColumnConstraint):
                    nnd = bool(body.args.get("nulls"))  # UNIQUE NULLS NOT DISTINCT
                    table.uniques.add((item.name, _names(body.this.expressions), nnd))
                elif (check := read_check(body)) is not None:
                    table.checks.add((item.name, check))
                elif (excl := read_exclusion(body)) is not None:
                    table.exclusions.add((item.name, *excl))
                else:
                    problems.append(f"unexpected constraint {item.sql('postgres')[:80]!r}")


def _read_alter(stmt: Any, fks: set[tuple[Any, ...]], problems: list[str]) -> None:
    exp = sqlglot_exp()
    for action in stmt.args.get("actions") or []:
        for constraint in action.expressions:
            for fk in constraint.expressions:
                if not isinstance(fk, exp.ForeignKey):
                    problems.append(f"unexpected ALTER: {stmt.sql('postgres')[:80]!r}")
                    continue
                ref = fk.args["reference"]
                options = tuple(sorted(str(o).upper() for o in ref.args.get("options") or []))
                fks.add(
                    (
                        table_key(stmt.this),
                        constraint.name,
                        _names(fk.expressions),
                        table_key(ref.this.this),
                        _names(ref.this.expressions),
                        options,
                    )
                )


def _read(
    statements: list[Any], problems: list[str], extras: Extras
) -> tuple[dict[str, _Table], set[tuple[Any, ...]]]:
    exp = sqlglot_exp()
    tables: dict[str, _Table] = {}
    fks: set[tuple[Any, ...]] = set()
    for stmt in statements:
        if stmt is None:
            continue
        # Tables and foreign keys first (most statements): read_statement takes
        # neither, so asking it first only costs time.
        if isinstance(stmt, exp.Create) and stmt.kind == "TABLE":
            _read_table(stmt, tables, problems)
        elif isinstance(stmt, exp.Alter):
            _read_alter(stmt, fks, problems)
        elif read_statement(stmt, extras, problems):
            continue
        elif isinstance(stmt, exp.Command):
            problems.append(f"sqlglot could not parse a statement: {stmt.sql()[:80]!r}")
        else:
            problems.append(f"unexpected statement {type(stmt).__name__}: {stmt.sql()[:80]!r}")
    return tables, fks


def _expected(schema: Schema) -> tuple[dict[str, _Table], set[tuple[Any, ...]]]:
    tables: dict[str, _Table] = {}
    fks: set[tuple[Any, ...]] = set()
    # Columns share a few type objects (9 at 1,000 tables): read each one's key once,
    # by identity (the schema keeps them alive), rather than spell every column's type.
    type_keys: dict[int, Any] = {}
    for t in schema.tables:
        table = tables[t.key] = _Table()
        for c in t.columns:
            ctype = c.type
            type_key = type_keys.get(id(ctype))
            if type_key is None:
                type_key = type_keys[id(ctype)] = column_type_key(ctype.sql)
            table.columns.append(
                (c.name, type_key, not c.nullable, c.default is not None, *model_column_extras(c))
            )
        table.checks = {(k.name, expression_key(k.sql)) for k in t.checks}
        table.exclusions = {
            (x.name, x.using, x.elements, expression_key(x.where) if x.where else None)
            for x in t.exclusions
        }
        table.primary_key = (t.primary_key.name, t.primary_key.columns)
        table.uniques = {(u.name, u.columns, u.nulls_not_distinct) for u in t.uniques}
        for fk in t.foreign_keys:
            options = []
            if fk.on_delete_sql:
                options.append(f"ON DELETE {fk.on_delete_sql}")
            if fk.on_update_sql:
                options.append(f"ON UPDATE {fk.on_update_sql}")
            fks.add(
                (t.key, fk.name, fk.columns, fk.ref_table, fk.ref_columns, tuple(sorted(options)))
            )
    return tables, fks


class _Quiet:
    """Silence sqlglot's "falling back to a Command" warnings for one parse."""

    def __enter__(self) -> None:
        import logging

        self.logger = logging.getLogger("sqlglot")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)


@dataclass
class Expected:
    """What the model says the DDL declares (the side of the check that needs no DDL)."""

    extras: Extras
    tables: dict[str, _Table]
    fks: set[tuple[Any, ...]]


def expect(schema: Schema) -> Expected:
    return Expected(expected(schema), *_expected(schema))


def prepare_check(schema: Schema, file: str) -> Callable[[str], list[Diagnostic]]:
    """``check_sql`` in two steps, for a child forked before the DDL exists
    (background.py): sqlglot's import and the model's side now, the DDL's later."""
    import sqlglot  # noqa: F401 - imported now, while the parent renders the DDL

    model = expect(schema)
    return lambda sql: check_sql(schema, sql, file, model)


def check_sql(
    schema: Schema, sql: str, file: str, model: Expected | None = None
) -> list[Diagnostic]:
    import sqlglot
    from sqlglot.errors import SqlglotError

    problems: list[str] = []
    # The escape hatch's raw SQL is the user's, never read into the model: it must
    # be in the file, and is left out of the comparison.
    for block in (schema.sql_before, schema.sql_after):
        if block is not None:
            head, found, tail = sql.rpartition(block)
            if not found:
                problems.append("the raw SQL of postgres.before/after is missing")
            sql = head + tail
    quiet = _Quiet()  # the Commands sqlglot warns about are judged by statements.py
    try:
        with quiet:
            statements = sqlglot.parse(sql, read="postgres")
    except SqlglotError as exc:
        problems.append(f"the generated SQL does not parse: {str(exc).splitlines()[0]}")
        statements = []
    if statements:
        got_extras = Extras()
        got_tables, got_fks = _read(statements, problems, got_extras)
        model = model or expect(schema)
        model.extras.compare(got_extras, problems)
        want_tables, want_fks = model.tables, model.fks
        for name in sorted(set(want_tables) | set(got_tables)):
            want, got = want_tables.get(name), got_tables.get(name)
            if want is None or got is None:
                problems.append(
                    f"table {name!r} is {'missing from' if got is None else 'extra in'} the SQL"
                )
                continue
            if want.columns != got.columns:
                problems.append(
                    f"columns of {name!r} differ: expected {want.columns}, SQL has {got.columns}"
                )
            if want.primary_key != got.primary_key:
                problems.append(
                    f"primary key of {name!r} differs: {want.primary_key} vs {got.primary_key}"
                )
            if want.uniques != got.uniques:
                problems.append(
                    f"unique constraints of {name!r} differ: {want.uniques} vs {got.uniques}"
                )
            if want.exclusions != got.exclusions:
                problems.append(
                    f"exclusion constraints of {name!r} differ: {want.exclusions} vs {got.exclusions}"
                )
            if want.checks != got.checks:
                problems.append(f"checks of {name!r} differ: {want.checks} vs {got.checks}")
        for fk in sorted(want_fks ^ got_fks, key=repr):
            problems.append(
                f"foreign key {fk[1]!r} on {fk[0]!r} differs between the model and the SQL"
            )
    return [
        Diagnostic(
            "sql-check",
            f"generated schema.sql failed its check: {p}",
            Span(file, 1, 1),
            hint="this is a bug in schemagen or in a template; please report it with your spec",
        )
        for p in problems
    ]
