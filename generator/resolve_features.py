"""Resolver passes for PostgreSQL features beyond tables, keys and references.

Hooked into ``resolve.resolve`` around the core passes:

- ``pass_constraints`` (after references): identity and generated columns,
  CHECK constraints, composite foreign keys, indexes, extensions, triggers;
- ``pass_names`` (after the core names pass): index and check names, in the
  namespaces PostgreSQL uses (indexes share one per schema with tables;
  constraint names are per table);
- ``pass_python`` (after the core Python pass): enum class names against
  table class names;
- ``finish``: adds all of it to the model the core built.

SQL the user writes (checks, generated columns, partial-index predicates) is
parsed with sqlglot here, so a typo is a positioned error, not a failed
migration; the columns it reads must exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .model import Check, IdentityKind, Index, IndexColumn, Relation, Schema, Table
from .naming import MAX_IDENT_BYTES, constraint_name, ident_bytes, pascal
from .resolve_enums import build_enums, check_key, pass_enums, split_key
from .sqlexpr import check_expression, expression_columns
from .types import did_you_mean

if TYPE_CHECKING:
    from .resolve import Resolver, _Table
    from .source import Path
    from .spec import SqlExpression

_INT_TYPES = ("smallint", "integer", "bigint")
_INDEX_COL = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc|ASC|DESC))?\s*")
_FK_TARGET = re.compile(r"\s*([^()\s]+)\s*(?:\(([^()]*)\))?\s*")
_INCLUDE_METHODS = ("btree", "gist", "spgist")  # PostgreSQL 14+: the methods with INCLUDE


@dataclass
class _Index:
    cols: tuple[tuple[str, bool], ...]
    unique: bool
    using: str
    where: str | None
    include: tuple[str, ...]
    path: Path
    name: str = ""
    named: bool = False


@dataclass
class _TableExtra:
    checks: list[tuple[str | None, str, tuple[str, ...], Path]] = field(default_factory=list)
    check_names: list[str] = field(default_factory=list)
    indexes: list[_Index] = field(default_factory=list)
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
                self._foreign_key(table, i)
            for i in range(len(tspec.indexes)):
                self._index(table, extra, i)
            self._foreign_key_indexes(table, extra, opts.index_foreign_keys)
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
            if ctype is not None and (ctype.name not in _INT_TYPES or ctype.array):
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
                extra.checks.append((None, spec.check.strip(), (name, *cols), col.path))

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

    def _foreign_key(self, table: _Table, i: int) -> None:
        from .resolve import _Fk

        r = self.r
        spec = r.spec.tables[table.name].foreign_keys[i]
        path = table.path + ("foreign_keys", i)
        cols = self._columns(table, list(spec.columns), path + ("columns",))
        m = _FK_TARGET.fullmatch(spec.to)
        if m is None:
            r.error(
                "invalid-reference",
                f"cannot read reference {spec.to!r}",
                path + ("to",),
                "write 'table(col1, col2)', e.g. 'orders(tenant_id, id)'",
            )
            return
        target_key, listed = m.group(1), m.group(2)
        target = r.tables.get(target_key)
        if target is None:
            r.error(
                "unknown-table",
                f"unknown table {target_key!r}",
                path + ("to",),
                did_you_mean(target_key, list(r.tables)) or f"tables: {', '.join(r.tables)}",
            )
            return
        if listed is None:
            ref_cols: tuple[str, ...] | None = target.pk
        else:
            wanted = [c.strip() for c in listed.split(",")]
            ref_cols = self._columns(target, wanted, path + ("to",))
        if cols is None or not ref_cols:
            return
        if len(cols) != len(ref_cols):
            r.error(
                "reference-arity",
                f"{len(cols)} columns reference {len(ref_cols)} columns of {target_key!r}",
                path,
                f"list as many columns as {target_key}({', '.join(ref_cols)})",
            )
            return
        for mine, theirs in zip(cols, ref_cols, strict=True):
            a, b = table.columns[mine].type, target.columns[theirs].type
            if a and b and a != b:
                r.error(
                    "reference-type",
                    f"{table.name}.{mine} is {a.sql} but references "
                    f"{target_key}.{theirs}, which is {b.sql}",
                    path + ("columns",),
                    f"make {mine!r} a {b.sql} column",
                )
        keys = [target.pk, *(u for u, _ in target.uniques)]
        if not any(set(k) == set(ref_cols) for k in keys):
            r.error(
                "reference-not-unique",
                f"{target_key}({', '.join(ref_cols)}) is neither the primary key nor unique",
                path + ("to",),
                f"add 'unique: [[{', '.join(ref_cols)}]]' to {target_key!r}",
            )
        on_delete, on_update = spec.on_delete or "no action", spec.on_update or "no action"
        for key, action in (("on_delete", on_delete), ("on_update", on_update)):
            if action == "set null" and not any(table.columns[c].spec.nullable for c in cols):
                r.error(
                    "set-null-not-nullable",
                    f"{key}: set null, but none of {list(cols)} is nullable",
                    path + (key,),
                    "make the columns 'nullable: true', or choose cascade or restrict",
                )
        fk = _Fk(
            cols[0],
            table.name,
            target_key,
            ref_cols[0],
            on_delete,
            on_update,
            spec.relation,
            spec.inverse,
            path,
        )
        fk.columns, fk.ref_columns = cols, ref_cols
        table.fks.append(fk)

    def _index(self, table: _Table, extra: _TableExtra, i: int) -> None:
        r = self.r
        spec = r.spec.tables[table.name].indexes[i]
        path = table.path + ("indexes", i)
        cols: list[tuple[str, bool]] = []
        for j, text in enumerate(spec.columns):
            m = _INDEX_COL.fullmatch(text)
            if m is None:
                r.error(
                    "invalid-index-column",
                    f"cannot read index column {text!r}",
                    path + ("columns", j),
                    "write a column name, optionally followed by 'desc', e.g. 'created_at desc'",
                )
                return
            cols.append((m.group(1), (m.group(2) or "").lower() == "desc"))
        if self._columns(table, [c for c, _ in cols], path + ("columns",)) is None:
            return
        include: tuple[str, ...] = ()
        if spec.include:
            include = self._columns(table, list(spec.include), path + ("include",)) or ()
            if not include:
                return
        rules = (
            (spec.unique and spec.using != "btree", "unique", "only btree indexes can be unique"),
            (
                bool(include) and spec.using not in _INCLUDE_METHODS,
                "include",
                f"{spec.using} indexes cannot INCLUDE columns",
            ),
            (
                any(d for _, d in cols) and spec.using != "btree",
                "columns",
                f"{spec.using} indexes have no sort order",
            ),
            (
                len(cols) > 1 and spec.using in ("hash", "spgist"),
                "columns",
                f"{spec.using} indexes take one column",
            ),
        )
        for bad, key, message in rules:
            if bad:
                r.error("invalid-index", message, path + (key,), "use: btree, or change the index")
                return
        if (
            spec.where is not None
            and self._expression(table, spec.where, path + ("where",), "index predicate") is None
        ):
            return
        if spec.name is not None and not r.check_ident(spec.name, "index", path + ("name",)):
            return
        index = _Index(
            tuple(cols),
            spec.unique,
            spec.using,
            spec.where.strip() if spec.where else None,
            include,
            path,
            spec.name or "",
            spec.name is not None,
        )
        for other in extra.indexes:
            if (other.cols, other.unique, other.using, other.where, other.include) == (
                index.cols,
                index.unique,
                index.using,
                index.where,
                index.include,
            ):
                r.error("duplicate-index", "this index is declared twice", path, "remove one")
                return
        extra.indexes.append(index)

    def _foreign_key_indexes(self, table: _Table, extra: _TableExtra, default: bool) -> None:
        """Index foreign-key columns when asked, unless an index already leads with them."""
        r = self.r
        tspec = r.spec.tables[table.name]
        for fk in table.fks:
            if fk.path[-2:-1] == ("foreign_keys",):
                wanted = tspec.foreign_keys[int(fk.path[-1])].index
            else:
                ref = table.columns[fk.column].spec.references
                wanted = ref.index if ref is not None else None
            if not (default if wanted is None else wanted):
                continue
            n = len(fk.columns)
            leading = [table.pk, *(u for u, _ in table.uniques)]
            leading += [tuple(c for c, _ in ix.cols) for ix in extra.indexes if ix.using == "btree"]
            if any(set(cols[:n]) == set(fk.columns) for cols in leading):
                continue
            cols = tuple((c, False) for c in fk.columns)
            extra.indexes.append(_Index(cols, False, "btree", None, (), fk.path))

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
                    ix.name = _index_name(r, table.bare, tuple(c for c, _ in ix.cols), taken)
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
        self._many_to_many()
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

    def _many_to_many(self) -> None:
        """``secondary`` relationships across pure junction tables, both ways.

        A junction: the primary key is exactly two single-column foreign keys to
        two different tables, and every other column fills itself (nullable,
        default, identity or generated), so the ORM can insert a row with only
        the two keys.  Each side gets the other table's name (``Post.tags``,
        ``Tag.posts``) unless that name is taken, in which case none is added.
        """
        r = self.r
        for junction in r.tables.values():
            fks = [fk for fk in junction.fks if len(fk.columns) == 1]
            if len(junction.pk) != 2 or len(fks) != 2 or len(junction.fks) != 2:
                continue
            if {fk.column for fk in fks} != set(junction.pk) or fks[0].ref_table == fks[
                1
            ].ref_table:
                continue
            others = [c for c in junction.columns.values() if c.name not in junction.pk]
            if not all(
                c.spec.nullable or c.spec.default is not None or c.spec.identity or c.spec.generated
                for c in others
            ):
                continue
            a, b = (r.tables[fk.ref_table] for fk in fks)
            a_name, b_name = b.bare, a.bare  # the attribute on a lists b's rows, and back
            if any(
                name in t.attrs.values() or any(rel.name == name for rel in t.relations)
                for t, name in ((a, a_name), (b, b_name))
            ):
                continue
            for side, other, name, back, fk in (
                (a, b, a_name, b_name, fks[0]),
                (b, a, b_name, a_name, fks[1]),
            ):
                side.relations.append(
                    Relation(
                        name,
                        other.name,
                        fk.name,
                        True,
                        back,
                        False,
                        True,
                        fk.on_delete in ("cascade", "set null"),
                        junction.name,
                    )
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
        tables = _mark_cycles(tables)
        return replace(
            schema,
            tables=tuple(tables),
            enums=build_enums(r),
            extensions=tuple(opts.extensions),
            namespaces=tuple(namespaces),
        )


def _mark_cycles(tables: list[Table]) -> list[Table]:
    """Set ``cyclic`` on foreign keys inside a reference cycle (Tarjan's SCC, iterative)."""
    edges = {t.key: sorted({fk.ref_table for fk in t.foreign_keys} - {t.key}) for t in tables}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt not in component:
                    low[node] = min(low[node], index[nxt])
                continue
            for nxt in edges[node]:
                if nxt not in component:
                    low[node] = min(low[node], low[nxt])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    component[member] = index[node]
                    if member == node:
                        break

    def cyclic(t: Table, ref: str) -> bool:
        return ref != t.key and component[ref] == component[t.key]

    return [
        replace(
            t,
            foreign_keys=tuple(
                replace(fk, cyclic=True) if cyclic(t, fk.ref_table) else fk for fk in t.foreign_keys
            ),
        )
        if any(cyclic(t, fk.ref_table) for fk in t.foreign_keys)
        else t
        for t in tables
    ]


def _index_name(r: Resolver, table: str, cols: tuple[str, ...], taken: set[str]) -> str:
    """PostgreSQL's choice for an unnamed index: <table>_<columns>_idx, then ...idx1."""
    base = constraint_name(table, cols, "idx")
    name, n = base, 0
    while name in taken:
        n += 1
        name = f"{base}{n}"
    if ident_bytes(name) > MAX_IDENT_BYTES:  # too long to number: a hashed name instead
        return r.claim_name(table, cols, "idx", taken)
    taken.add(name)
    return name


def _identity(kind: str | None) -> IdentityKind | None:
    if kind is None:
        return None
    return "always" if kind == "always" else "by default"


def _generated(expr: SqlExpression | None) -> str | None:
    return expr.sql.strip() if expr is not None else None


__all__ = ["Features", "check_key"]
