"""Resolver passes for PostgreSQL features beyond tables, keys and references.

Hooked into ``resolve.resolve`` around the core passes:

- ``pass_constraints`` (after references): identity and generated columns,
  CHECK constraints, composite foreign keys, indexes, extensions, triggers;
- ``pass_names`` (after the core names pass): index and check names, in the
  namespaces PostgreSQL uses (indexes share one per schema with tables;
  constraint names are per table);
- ``pass_python`` (after the core Python pass): many-to-many relationships
  across junction tables, enum class names against table class names;
- ``finish``: adds all of it to the model the core built, and marks the
  foreign keys that close a reference cycle.

Indexes live in ``resolve_indexes``, composite keys, many-to-many and cycles
in ``resolve_references``.

SQL the user writes (checks, generated columns, partial-index predicates) is
parsed with sqlglot here, so a typo is a positioned error, not a failed
migration; the columns it reads must exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .model import Check, IdentityKind, Index, IndexColumn, Schema
from .naming import constraint_name, pascal
from .resolve_enums import build_enums, check_key, pass_enums, split_key
from .resolve_indexes import IndexState, foreign_key_indexes, index_name, read_index
from .resolve_references import composite_foreign_key, many_to_many, mark_cycles
from .sqlexpr import check_expression, expression_columns
from .types import did_you_mean

if TYPE_CHECKING:
    from .resolve import Resolver, _Table
    from .source import Path
    from .spec import SqlExpression


@dataclass
class _TableExtra:
    checks: list[tuple[str | None, str, tuple[str, ...], Path]] = field(default_factory=list)
    check_names: list[str] = field(default_factory=list)
    indexes: list[IndexState] = field(default_factory=list)
    trigger: tuple[str, ...] = ()


class Features:
    def __init__(self, r: Resolver):
        self.r = r
        self.extra: dict[str, _TableExtra] = {}

    # -- before the tables pass -------------------------------------------------
    def pass_enums(self) -> None:
        pass_enums(self.r)
        seen: set[str] = set()
        for i, name in enumerate(self.r.spec.postgres.extensions):
            path: Path = ("postgres", "extensions", i)
            if self.r.check_ident(name, "extension", path) and name in seen:
                self.r.error(
                    "duplicate-extension", f"extension {name!r} is listed twice", path, "remove one"
                )
            seen.add(name)

    # -- after the references pass ----------------------------------------------
    def pass_constraints(self) -> None:
        r = self.r
        opts = r.spec.postgres
        any_trigger = False
        for table in r.tables.values():
            extra = self.extra[table.name] = _TableExtra()
            tspec = r.spec.tables[table.name]
            for col in table.columns.values():
                self._column(table, extra, col.name)
            for i, check in enumerate(tspec.checks):
                path = table.path + ("checks", i)
                sql, name = (check, None) if isinstance(check, str) else (check.sql, check.name)
                if isinstance(check, str):
                    cols = self._expression(table, sql, path, "check")
                else:
                    cols = self._expression(table, sql, path + ("sql",), "check")
                    if name is not None:
                        r.check_ident(name, "check", path + ("name",))
                if cols is not None:
                    extra.checks.append((name, sql.strip(), cols, path))
            for i in range(len(tspec.foreign_keys)):
                composite_foreign_key(self, table, i)
            for i in range(len(tspec.indexes)):
                read_index(self, table, extra, i)
            foreign_key_indexes(self, table, extra, opts.index_foreign_keys)
            if opts.on_update_trigger:
                extra.trigger = tuple(
                    c.name for c in table.columns.values() if c.spec.on_update == "now"
                )
                any_trigger = any_trigger or bool(extra.trigger)
        if opts.on_update_trigger and not any_trigger:
            r.error(
                "unused-trigger",
                "on_update_trigger is on, but no column has 'on_update: now'",
                ("postgres", "on_update_trigger"),
                "add 'on_update: now' to the updated_at columns, or remove this option",
            )

    def _column(self, table: _Table, extra: _TableExtra, name: str) -> None:
        r = self.r
        col = table.columns[name]
        spec, ctype = col.spec, col.type
        if ctype is not None and ctype.info.extension:
            ext = ctype.info.extension
            if ext not in r.spec.postgres.extensions:
                r.error(
                    "missing-extension",
                    f"type {ctype.element.sql} needs the PostgreSQL extension {ext!r}",
                    col.path + ("type",),
                    f"add it at the top level: postgres: {{extensions: [{ext}]}}",
                )
        if spec.identity is not None:
            if ctype is not None and (not ctype.info.identity or ctype.array):
                r.error(
                    "identity-type",
                    f"an identity column must be smallint, integer or bigint, not {ctype.sql}",
                    col.path + ("type",),
                    "use bigint for a new key",
                )
            for key, bad in (
                ("default", spec.default is not None),
                ("nullable", spec.nullable),
                ("generated", spec.generated is not None),
            ):
                if bad:
                    r.error(
                        "identity-conflict",
                        f"identity column {name!r} cannot also have '{key}'",
                        col.path + (key,),
                        f"remove '{key}': the identity supplies the value",
                    )
        if spec.generated is not None:
            path = col.path + ("generated", "sql")
            cols = self._expression(table, spec.generated.sql, path, "generated column")
            for other in cols or ():
                if other == name or table.columns[other].spec.generated is not None:
                    r.error(
                        "generated-reference",
                        f"generated column {name!r} reads {other!r}, which is generated itself",
                        path,
                        "compute it from ordinary columns only",
                    )
            conflicts = (("default", spec.default is not None), ("on_update", bool(spec.on_update)))
            for key, bad in conflicts:
                if bad:
                    r.error(
                        "generated-conflict",
                        f"generated column {name!r} cannot also have '{key}'",
                        col.path + (key,),
                        f"remove '{key}': the expression supplies the value",
                    )
        if spec.check is not None:
            cols = self._expression(table, spec.check, col.path + ("check",), "check")
            if cols is not None:
                # the owning column first (it names the check), each column once
                owned = tuple(dict.fromkeys((name, *cols)))
                extra.checks.append((None, spec.check.strip(), owned, col.path))

    def _expression(self, table: _Table, sql: str, path: Path, what: str) -> tuple[str, ...] | None:
        """Parse a user's SQL expression; the table columns it reads, or None on error."""
        problem = check_expression(sql)
        if problem:
            self.r.error(
                "invalid-expression",
                f"{what}: {problem}",
                path,
                "write one SQL expression over this table's columns, e.g. price >= 0",
            )
            return None
        names = list(table.columns)
        found: list[str] = []
        ok = True
        for ref, quoted in expression_columns(sql):
            match = ref if quoted else next((n for n in names if n.lower() == ref.lower()), ref)
            if match not in table.columns:
                ok = False
                self.r.error(
                    "unknown-column",
                    f"{what} reads {ref!r}, which is not a column of {table.name!r}",
                    path,
                    did_you_mean(ref, names) or f"columns: {', '.join(names)}",
                )
            elif match not in found:
                found.append(match)
        return tuple(found) if ok else None

    def _columns(self, table: _Table, names: list[str], path: Path) -> tuple[str, ...] | None:
        return self.r._column_list(table, names, path)

    # -- after the core names pass --------------------------------------------------
    def pass_names(self) -> None:
        r = self.r
        for table in r.tables.values():
            extra = self.extra[table.name]
            taken = r.relation_names.setdefault(split_key(table.name)[0], set())
            for ix in extra.indexes:
                if ix.named:
                    if ix.name in taken:
                        r.error(
                            "duplicate-name",
                            f"index name {ix.name!r} is already used in this schema",
                            ix.path + ("name",),
                            "choose another name",
                        )
                    taken.add(ix.name)
            for ix in extra.indexes:
                if not ix.named:
                    ix.name = index_name(r, table.bare, tuple(c for c, _ in ix.cols), taken)
            used = {table.pk_name, *table.unique_names, *(fk.name for fk in table.fks)}
            for name, _, cols, path in extra.checks:
                if name is None:
                    # PostgreSQL's own choice: <table>_<first column>_check, then ...check1.
                    base = constraint_name(table.bare, cols[:1], "check")
                    name, n = base, 0
                    while name in used:
                        n += 1
                        name = f"{base}{n}"
                elif name in used:
                    r.error(
                        "duplicate-name",
                        f"constraint name {name!r} is already used on table {table.name!r}",
                        path + ("name",),
                        "choose another name",
                    )
                used.add(name)
                extra.check_names.append(name)
        self._enum_names()

    def _enum_names(self) -> None:
        r = self.r
        tables = {split_key(t) for t in r.tables}
        for key in r.enum_labels:
            if split_key(key) in tables:
                r.error(
                    "type-name-taken",
                    f"enum {key!r} has the same name as a table; in PostgreSQL a table is also a type",
                    ("enums", key),
                    f"rename the enum, e.g. '{key}_kind'",
                    key=True,
                )

    # -- after the core Python pass ---------------------------------------------------
    def pass_python(self) -> None:
        many_to_many(self.r)
        r = self.r
        taken: dict[str, str] = {}
        for key, t in r.tables.items():
            for prefix in ("", "Insert", "Update"):
                taken[prefix + t.class_name] = key
        for key, spec in r.spec.enums.items():
            name = spec.class_name or pascal(split_key(key)[1])
            if name in taken:
                r.error(
                    "duplicate-class-name",
                    f"enum {key!r} and table {taken[name]!r} both map to class {name!r}",
                    ("enums", key),
                    "set 'class_name:' on the enum or the table",
                    key=True,
                )

    # -- assembly ---------------------------------------------------------------------
    def finish(self, schema: Schema) -> Schema:
        r = self.r
        opts = r.spec.postgres
        tables = []
        namespaces: list[str] = []
        for key in [*r.spec.enums, *r.spec.tables]:
            ns = split_key(key)[0]
            if ns is not None and ns != "public" and ns not in namespaces:
                namespaces.append(ns)
        for table in schema.tables:
            extra = self.extra[table.name]
            ns, bare = split_key(table.name)
            specs = {name: col.spec for name, col in r.tables[table.name].columns.items()}
            columns = tuple(  # dataclasses.replace is slow: only where something changes
                replace(
                    c,
                    identity=_identity(specs[c.name].identity),
                    generated=_generated(specs[c.name].generated),
                )
                if specs[c.name].identity or specs[c.name].generated
                else c
                for c in table.columns
            )
            tables.append(
                replace(
                    table,
                    name=bare,
                    schema=ns,
                    columns=columns,
                    checks=tuple(
                        Check(n, sql, cols)
                        for n, (_, sql, cols, _) in zip(
                            extra.check_names, extra.checks, strict=True
                        )
                    ),
                    indexes=tuple(
                        Index(
                            ix.name,
                            tuple(IndexColumn(c, d) for c, d in ix.cols),
                            ix.unique,
                            ix.using,
                            ix.where,
                            ix.include,
                            r.doc.span(ix.path),
                        )
                        for ix in extra.indexes
                    ),
                    on_update_trigger=extra.trigger,
                )
            )
        tables = mark_cycles(tables)
        return replace(
            schema,
            tables=tuple(tables),
            enums=build_enums(r),
            extensions=tuple(opts.extensions),
            namespaces=tuple(namespaces),
        )


def _identity(kind: str | None) -> IdentityKind | None:
    if kind is None:
        return None
    return "always" if kind == "always" else "by default"


def _generated(expr: SqlExpression | None) -> str | None:
    return expr.sql.strip() if expr is not None else None


__all__ = ["Features", "check_key"]
