"""Resolve a validated spec into the model, in named passes (as Ent's graph).

1. ``tables``     expand column groups, parse types, check defaults
2. ``keys``       primary keys and unique constraints
3. ``references`` foreign keys: targets exist, are unique, and match in type
4. ``names``      identifiers and derived constraint names: length, collisions
5. ``python``     class names, attribute names, JSON aliases, relationships

Each pass records problems and goes on, so a run reports everything at once.
The model is only built when no pass found an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .diagnostics import Diagnostics
from .literals import LiteralError
from .model import Column, Default, ForeignKey, PrimaryKey, Relation, Schema, Table, Unique
from .naming import (
    IDENT_RE,
    MAX_IDENT_BYTES,
    constraint_name,
    ident_bytes,
)
from .outputs.selection import choose as choose_outputs
from .resolve_enums import check_key
from .resolve_features import Features
from .resolve_python import PythonNames, json_alias
from .source import Document, Path, format_path
from .spec import ColumnSpec, Spec
from .sqlexpr import check_default_expression
from .typeref import check_column_literal, parse_column_type
from .types import ColumnType, did_you_mean

_TIME_TYPES = {"timestamp", "timestamptz", "date"}


@dataclass
class _Col:
    name: str
    spec: ColumnSpec
    path: Path  # where the column is written (a group's columns point into the group)
    type: ColumnType | None = None
    default: Default | None = None


@dataclass
class _Fk:
    column: str
    table: str
    ref_table: str
    ref_column: str
    on_delete: str
    on_update: str
    relation: str | None
    inverse: str | None
    path: Path
    name: str = ""
    # All referencing / referenced columns; a composite key (resolve_features) sets both.
    columns: tuple[str, ...] = ()
    ref_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.columns = self.columns or (self.column,)
        self.ref_columns = self.ref_columns or (self.ref_column,)


@dataclass
class _Table:
    name: str
    path: Path
    columns: dict[str, _Col] = field(default_factory=dict)
    folded: dict[str, _Col] = field(default_factory=dict)  # by lower-cased name
    pk: tuple[str, ...] = ()
    pk_name: str = ""
    uniques: list[tuple[tuple[str, ...], Path]] = field(default_factory=list)
    unique_names: list[str] = field(default_factory=list)
    fks: list[_Fk] = field(default_factory=list)
    class_name: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    @property
    def bare(self) -> str:
        """The name without its PostgreSQL schema: ``auth.users`` -> ``users``."""
        return self.name.rpartition(".")[2]


class Resolver:
    def __init__(self, spec: Spec, doc: Document, diags: Diagnostics):
        self.spec = spec
        self.doc = doc
        self.diags = diags
        self.tables: dict[str, _Table] = {}
        self.enum_labels: dict[str, tuple[str, ...]] = {}  # filled by resolve_enums
        # Names of tables and indexes, one namespace per PostgreSQL schema (None: default).
        self.relation_names: dict[str | None, set[str]] = {}
        self.class_names: frozenset[str] = frozenset()  # set by PythonNames (resolve_python.py)

    # -- helpers ---------------------------------------------------------------
    def error(
        self, code: str, message: str, path: Path, hint: str = "", *, key: bool = False
    ) -> None:
        span = self.doc.key_span(path) if key else self.doc.span(path)
        self.diags.add(code, message, span, path=format_path(path), hint=hint)

    def check_ident(self, name: str, what: str, path: Path) -> bool:
        if not IDENT_RE.fullmatch(name):
            self.error(
                "invalid-name",
                f"{what} name {name!r} is not a plain identifier",
                path,
                "use letters, digits and underscores, starting with a letter (snake_case)",
                key=True,
            )
            return False
        if ident_bytes(name) > MAX_IDENT_BYTES:
            self.error(
                "name-too-long",
                f"{what} name {name!r} is {ident_bytes(name)} bytes; PostgreSQL keeps {MAX_IDENT_BYTES}",
                path,
                f"shorten it to at most {MAX_IDENT_BYTES} bytes (PostgreSQL would truncate it silently)",
                key=True,
            )
            return False
        return True

    # -- pass 1 ----------------------------------------------------------------
    def pass_tables(self) -> None:
        folded: dict[str, str] = {}
        for tname, tspec in self.spec.tables.items():
            tpath: Path = ("tables", tname)
            check_key(self, tname, "table", tpath)
            if tname.lower() in folded:
                self.error(
                    "duplicate-table",
                    f"table {tname!r} differs from {folded[tname.lower()]!r} only in case; "
                    f"unquoted SQL folds both to {tname.lower()!r}",
                    tpath,
                    "give the tables clearly different names",
                    key=True,
                )
            folded[tname.lower()] = tname
            table = _Table(tname, tpath)
            self.tables[tname] = table
            for key, cspec in tspec.columns.items():
                cpath = tpath + ("columns", key)
                if key.startswith("..."):
                    self._expand_group(table, key[3:], cspec, cpath)
                elif cspec is None:
                    self.error(
                        "missing-type",
                        f"column {key!r} has no type",
                        cpath,
                        f"write '{key}: text' (or another type), or '...{key}:' to insert a column group",
                        key=True,
                    )
                else:
                    self._add_column(table, key, cspec, cpath)

    def _expand_group(
        self, table: _Table, group: str, value: ColumnSpec | None, path: Path
    ) -> None:
        if value is not None:
            self.error(
                "group-value",
                f"'...{group}' inserts a column group and takes no value",
                path,
                f"write '...{group}:' with nothing after the colon",
            )
            return
        columns = self.spec.column_groups.get(group)
        if columns is None:
            self.error(
                "unknown-group",
                f"unknown column group {group!r}",
                path,
                did_you_mean(group, list(self.spec.column_groups))
                or "define it under 'column_groups:' at the top level",
                key=True,
            )
            return
        for cname, cspec in columns.items():
            self._add_column(table, cname, cspec, ("column_groups", group, cname), via=path)

    def _add_column(
        self, table: _Table, name: str, spec: ColumnSpec, path: Path, via: Path | None = None
    ) -> None:
        at = via or path
        if not self.check_ident(name, "column", path):
            return
        other = table.folded.get(name.lower())
        if other is not None:
            first = self.doc.key_span(other.path)
            where = f" (line {first.line})" if first else ""
            if via is not None:  # the user wrote '...group', not the column: say which
                message = (
                    f"column group {str(via[-1])[3:]!r} adds column {name!r}, which table "
                    f"{table.name!r} already has{where}"
                )
            else:
                message = f"column {name!r} is defined twice in table {table.name!r}" + (
                    f" (first on line {first.line})" if first else ""
                )
            if other.name != name:
                message += f"; {other.name!r} and {name!r} differ only in case, and unquoted SQL folds both to {name.lower()!r}"
            self.error("duplicate-column", message, at, "remove or rename one of them", key=True)
            return
        col = _Col(name, spec, path)
        table.columns[name] = table.folded[name.lower()] = col
        ctype, message, hint = parse_column_type(spec.type, self.enum_labels)
        if ctype is None:
            self.error(
                "unknown-type" if "unknown" in message else "invalid-type",
                message,
                path + ("type",),
                hint,
            )
        col.type = ctype
        if spec.default is not None and ctype is not None:
            col.default = self._default(ctype, spec.default, path + ("default",))
        if spec.on_update == "now" and ctype is not None and ctype.name not in _TIME_TYPES:
            self.error(
                "on-update-type",
                f"on_update: now needs a timestamp, timestamptz or date column, not {ctype.sql}",
                path + ("on_update",),
                "remove on_update or change the column type",
            )

    def _default(self, ctype: ColumnType, value: Any, path: Path) -> Default | None:
        if isinstance(value, dict) and "sql" in value:
            if set(value) != {"sql"} or not isinstance(value["sql"], str):
                self.error(
                    "invalid-default",
                    "an SQL default is written {sql: <expression>} with nothing else",
                    path,
                    "for example: default: {sql: now()}",
                )
                return None
            problem = check_default_expression(value["sql"])
            if problem:
                self.error(
                    "invalid-default",
                    problem,
                    path + ("sql",),
                    "write one SQL expression, e.g. now()",
                )
                return None
            return Default("sql", value["sql"].strip())
        try:
            lit = check_column_literal(ctype, value, self.doc.scalar(path), self.enum_labels)
        except LiteralError as exc:
            self.error("invalid-default", str(exc), path, exc.hint)
            return None
        return Default("literal", lit.sql, lit.value)

    # -- pass 2 ----------------------------------------------------------------
    def _column_list(self, table: _Table, names: list[str], path: Path) -> tuple[str, ...] | None:
        ok = True
        for i, name in enumerate(names):
            if name not in table.columns:
                ok = False
                self.error(
                    "unknown-column",
                    f"table {table.name!r} has no column {name!r}",
                    path + (i,),
                    did_you_mean(name, list(table.columns))
                    or f"columns: {', '.join(table.columns)}",
                )
        if len(set(names)) != len(names):
            self.error(
                "duplicate-column", "a column is listed twice", path, "list each column once"
            )
            ok = False
        if not names:
            self.error("empty-key", "the column list is empty", path, "name at least one column")
            ok = False
        return tuple(names) if ok else None

    def pass_keys(self) -> None:
        for table in self.tables.values():
            tspec = self.spec.tables[table.name]
            flagged = [c for c in table.columns.values() if c.spec.primary_key]
            if tspec.primary_key is not None:
                path = table.path + ("primary_key",)
                if flagged:
                    self.error(
                        "two-primary-keys",
                        f"table {table.name!r} has both a table-level primary_key and "
                        f"primary_key: true on column {flagged[0].name!r}",
                        path,
                        "keep one of them",
                    )
                cols = self._column_list(table, list(tspec.primary_key), path)
                table.pk = cols or ()
            elif len(flagged) > 1:
                self.error(
                    "two-primary-keys",
                    f"table {table.name!r} marks {len(flagged)} columns as primary_key",
                    flagged[1].path + ("primary_key",),
                    f"for a composite key write 'primary_key: [{', '.join(c.name for c in flagged)}]' on the table",
                )
            elif flagged:
                table.pk = (flagged[0].name,)
            else:
                self.error(
                    "missing-primary-key",
                    f"table {table.name!r} has no primary key",
                    table.path,
                    "mark a column 'primary_key: true', or list columns under 'primary_key:'",
                    key=True,
                )
            for name in table.pk:
                col = table.columns[name]
                if col.spec.nullable:
                    self.error(
                        "nullable-primary-key",
                        f"primary key column {name!r} cannot be nullable",
                        col.path + ("nullable",),
                        "remove 'nullable: true'",
                    )
            seen: set[tuple[str, ...]] = {table.pk}
            for col in table.columns.values():
                if col.spec.unique:
                    if (col.name,) in seen:
                        self.error(
                            "redundant-unique",
                            f"column {col.name!r} is already unique (it is the primary key)",
                            col.path + ("unique",),
                            "remove 'unique: true'",
                        )
                        continue
                    seen.add((col.name,))
                    table.uniques.append(((col.name,), col.path + ("unique",)))
            for i, names in enumerate(tspec.unique):
                path = table.path + ("unique", i)
                cols = self._column_list(table, list(names), path)
                if cols is None:
                    continue
                if cols in seen:
                    self.error(
                        "redundant-unique",
                        f"unique {list(cols)} is declared twice",
                        path,
                        "remove one",
                    )
                    continue
                seen.add(cols)
                table.uniques.append((cols, path))

    # -- pass 3 ----------------------------------------------------------------
    def pass_references(self) -> None:
        for table in self.tables.values():
            for col in table.columns.values():
                ref = col.spec.references
                if ref is None:
                    continue
                path = col.path + ("references",)
                target = self._target(ref.to, path + ("to",))
                if target is None:
                    continue
                ref_table, ref_col = target
                on_delete = ref.on_delete or "no action"
                on_update = ref.on_update or "no action"
                other = self.tables[ref_table].columns[ref_col]
                if col.type and other.type and col.type != other.type:
                    self.error(
                        "reference-type",
                        f"{table.name}.{col.name} is {col.type.sql} but references "
                        f"{ref_table}.{ref_col}, which is {other.type.sql}",
                        col.path + ("type",),
                        f"make {col.name!r} a {other.type.sql} column",
                    )
                if ((ref_col,) != self.tables[ref_table].pk) and not any(
                    u == (ref_col,) for u, _ in self.tables[ref_table].uniques
                ):
                    self.error(
                        "reference-not-unique",
                        f"{ref_table}.{ref_col} is neither the primary key nor unique",
                        path + ("to",),
                        f"reference the primary key of {ref_table!r}, or mark {ref_col!r} 'unique: true'",
                    )
                for action_key, action in (("on_delete", on_delete), ("on_update", on_update)):
                    if action == "set null" and not col.spec.nullable:
                        self.error(
                            "set-null-not-nullable",
                            f"{action_key}: set null on NOT NULL column {col.name!r}",
                            path + (action_key,),
                            "make the column 'nullable: true', or choose cascade or restrict",
                        )
                    if action == "set default" and col.default is None:
                        self.error(
                            "set-default-no-default",
                            f"{action_key}: set default on column {col.name!r}, which has no default",
                            path + (action_key,),
                            "give the column a default, or choose another action",
                        )
                table.fks.append(
                    _Fk(
                        col.name,
                        table.name,
                        ref_table,
                        ref_col,
                        on_delete,
                        on_update,
                        ref.relation,
                        ref.inverse,
                        path,
                    )
                )

    def _target(self, to: str, path: Path) -> tuple[str, str] | None:
        *tparts, cname = to.split(".")
        parts = [".".join(tparts), cname]
        if len(tparts) not in (1, 2) or not all(tparts) or not cname:
            self.error(
                "invalid-reference",
                f"cannot read reference {to!r}",
                path,
                "write the referenced column as 'table.column' or 'schema.table.column', e.g. 'projects.id'",
            )
            return None
        tname, cname = parts
        if tname not in self.tables:
            self.error(
                "unknown-table",
                f"unknown table {tname!r}",
                path,
                did_you_mean(tname, list(self.tables)) or f"tables: {', '.join(self.tables)}",
            )
            return None
        if cname not in self.tables[tname].columns:
            self.error(
                "unknown-column",
                f"table {tname!r} has no column {cname!r}",
                path,
                did_you_mean(cname, list(self.tables[tname].columns))
                or f"columns: {', '.join(self.tables[tname].columns)}",
            )
            return None
        return tname, cname

    # -- pass 4 ----------------------------------------------------------------
    def pass_names(self) -> None:
        # Tables, and the indexes behind primary keys and unique constraints,
        # share one namespace per PostgreSQL schema; foreign keys are per table.
        for table in self.tables.values():
            self.relation_names.setdefault(self._namespace(table), set()).add(table.bare)
        claim = self.claim_name
        for table in self.tables.values():
            taken = self.relation_names[self._namespace(table)]
            table.pk_name = claim(table.bare, (), "pkey", taken)
            table.unique_names = [
                claim(table.bare, cols, "key", taken) for cols, _ in table.uniques
            ]
            fk_names: set[str] = set()
            for fk in table.fks:
                fk.name = claim(table.bare, fk.columns, "fkey", fk_names)

    @staticmethod
    def _namespace(table: _Table) -> str | None:
        return table.name.rpartition(".")[0] or None

    @staticmethod
    def claim_name(table: str, cols: tuple[str, ...], suffix: str, used: set[str]) -> str:
        name = constraint_name(table, cols, suffix)
        if name in used:  # e.g. a_b + (c,) and a + (b_c,): derive a hashed name
            name = constraint_name(table + "\x00", cols, suffix, force_hash=True)
        used.add(name)
        return name

    # -- assembly --------------------------------------------------------------
    def build(self, source_name: str) -> Schema:
        camel_case = self.spec.python.json_aliases == "camel"
        tables = []
        for t in self.tables.values():
            columns = []
            for c in t.columns.values():
                assert c.type is not None
                attr = t.attrs[c.name]
                alias = json_alias(c.name, attr, camel_case)
                columns.append(
                    Column(
                        c.name,
                        c.type,
                        c.spec.nullable,
                        c.default,
                        c.spec.on_update == "now",
                        c.spec.description,
                        attr,
                        alias,
                        self.doc.key_span(c.path),
                    )
                )
            tables.append(
                Table(
                    t.name,
                    t.class_name,
                    tuple(columns),
                    PrimaryKey(t.pk_name, t.pk),
                    tuple(
                        Unique(n, cols)
                        for n, (cols, _) in zip(t.unique_names, t.uniques, strict=False)
                    ),
                    tuple(
                        ForeignKey(
                            f.name,
                            f.columns,
                            f.ref_table,
                            f.ref_columns,
                            f.on_delete,
                            f.on_update,
                            self.doc.span(f.path),
                        )
                        for f in t.fks
                    ),
                    tuple(t.relations),
                    self.spec.tables[t.name].description,
                    self.doc.key_span(t.path),
                )
            )
        return Schema(tuple(tables), self.spec.python.json_aliases, source_name)


def resolve(spec: Spec, doc: Document, diags: Diagnostics, source_name: str) -> Schema | None:
    r = Resolver(spec, doc, diags)
    f = Features(r)  # enums, checks, indexes, composite keys...: resolve_features.py
    for step in (
        f.pass_enums,
        r.pass_tables,
        r.pass_keys,
        r.pass_references,
        f.pass_constraints,
        r.pass_names,
        f.pass_names,
        PythonNames(r).run,
        f.pass_python,
    ):
        step()
    outputs = choose_outputs(spec.outputs, lambda c, m, p, h: r.error(c, m, p, h))
    if diags:
        return None
    return replace(f.finish(r.build(source_name)), outputs=outputs)


__all__ = ["resolve"]
