"""Pass ``references``: every foreign key, and every check on one, in one place.

A foreign key is written on a column (``references: {to: projects.id}``) or on
the table (``foreign_keys: [{columns: [...], to: 'orders(tenant_id, id)'}]``).
Both are read into the same draft and checked by ``_check``: the target is a
key of its table, the types match, and the actions suit the columns.
"""

from __future__ import annotations

import re

from ..source import Path
from ..spec import ForeignKeySpec, ReferenceSpec
from ..types import did_you_mean
from .draft import Draft, DraftColumn, DraftForeignKey, DraftTable

_FK_TARGET = re.compile(r"\s*([^()\s]+)\s*(?:\(([^()]*)\))?\s*")


def run(d: Draft) -> None:
    for table in d.tables.values():
        for col in table.columns.values():
            if col.spec.references is not None:
                _column_reference(d, table, col, col.spec.references)
        for i, spec in enumerate(table.spec.foreign_keys):
            _table_foreign_key(d, table, spec, table.path + ("foreign_keys", i))


def _column_reference(d: Draft, table: DraftTable, col: DraftColumn, ref: ReferenceSpec) -> None:
    path = col.path + ("references",)
    *tparts, cname = ref.to.split(".")
    tname = ".".join(tparts)
    if len(tparts) not in (1, 2) or not all(tparts) or not cname:
        d.error(
            "invalid-reference",
            f"cannot read reference {ref.to!r}",
            path + ("to",),
            "write the referenced column as 'table.column' or 'schema.table.column', e.g. 'projects.id'",
        )
        return
    target = _target_table(d, tname, path + ("to",))
    if target is None:
        return
    if cname not in target.columns:
        d.error(
            "unknown-column",
            f"table {tname!r} has no column {cname!r}",
            path + ("to",),
            did_you_mean(cname, list(target.columns)) or f"columns: {', '.join(target.columns)}",
        )
        return
    fk = DraftForeignKey(
        (col.name,),
        target.key,
        (cname,),
        ref.on_delete or "no action",
        ref.on_update or "no action",
        ref.relation,
        ref.inverse,
        ref.index,
        path,
    )
    _check(d, table, target, fk, col.path + ("type",))


def _table_foreign_key(d: Draft, table: DraftTable, spec: ForeignKeySpec, path: Path) -> None:
    cols = d.column_list(table, list(spec.columns), path + ("columns",))
    m = _FK_TARGET.fullmatch(spec.to)
    if m is None:
        d.error(
            "invalid-reference",
            f"cannot read reference {spec.to!r}",
            path + ("to",),
            "write 'table(col1, col2)', e.g. 'orders(tenant_id, id)'",
        )
        return
    target_key, listed = m.group(1), m.group(2)
    target = _target_table(d, target_key, path + ("to",))
    if target is None:
        return
    if listed is None:
        ref_cols: tuple[str, ...] | None = target.pk
    else:
        wanted = [c.strip() for c in listed.split(",")]
        ref_cols = d.column_list(target, wanted, path + ("to",))
    if cols is None or not ref_cols:
        return
    if len(cols) != len(ref_cols):
        d.error(
            "reference-arity",
            f"{len(cols)} columns reference {len(ref_cols)} columns of {target_key!r}",
            path,
            f"list as many columns as {target_key}({', '.join(ref_cols)})",
        )
        return
    fk = DraftForeignKey(
        cols,
        target.key,
        ref_cols,
        spec.on_delete or "no action",
        spec.on_update or "no action",
        spec.relation,
        spec.inverse,
        spec.index,
        path,
    )
    _check(d, table, target, fk, path + ("columns",))


def _target_table(d: Draft, key: str, path: Path) -> DraftTable | None:
    # public is the default schema: 'public.users' names the table 'users', and
    # 'users' the table 'public.users'.
    other = key[len("public.") :] if key.startswith("public.") else f"public.{key}"
    target = d.tables.get(key) or d.tables.get(other)
    if target is None:
        d.error(
            "unknown-table",
            f"unknown table {key!r}",
            path,
            did_you_mean(key, list(d.tables)) or f"tables: {', '.join(d.tables)}",
        )
    return target


def _check(
    d: Draft, table: DraftTable, target: DraftTable, fk: DraftForeignKey, type_path: Path
) -> None:
    """The checks every foreign key gets; the key is added to the table either way."""
    single = len(fk.columns) == 1
    for mine, theirs in zip(fk.columns, fk.ref_columns, strict=True):
        a, b = table.columns[mine].type, target.columns[theirs].type
        if a and b and a != b:
            d.error(
                "reference-type",
                f"{table.key}.{mine} is {a.sql} but references "
                f"{fk.ref_table}.{theirs}, which is {b.sql}",
                type_path,
                f"make {mine!r} a {b.sql} column",
            )
    keys = target.key_columns()
    if fk.ref_columns not in keys and not any(set(k) == set(fk.ref_columns) for k in keys):
        listed = ", ".join(fk.ref_columns)
        d.error(
            "reference-not-unique",
            f"{fk.ref_table}.{listed} is neither the primary key nor unique"
            if single
            else f"{fk.ref_table}({listed}) is neither the primary key nor unique",
            fk.path + ("to",),
            f"reference the primary key of {fk.ref_table!r}, or mark {listed!r} 'unique: true'"
            if single
            else f"add 'unique: [[{listed}]]' to {fk.ref_table!r}",
        )
    columns = [table.columns[c] for c in fk.columns]
    for key, action in (("on_delete", fk.on_delete), ("on_update", fk.on_update)):
        if action == "set null" and not any(c.spec.nullable for c in columns):
            d.error(
                "set-null-not-nullable",
                f"{key}: set null on NOT NULL column {fk.columns[0]!r}"
                if single
                else f"{key}: set null, but none of {list(fk.columns)} is nullable",
                fk.path + (key,),
                "make the column 'nullable: true', or choose cascade or restrict"
                if single
                else "make the columns 'nullable: true', or choose cascade or restrict",
            )
        if action == "set default" and all(c.default is None for c in columns):
            d.error(
                "set-default-no-default",
                f"{key}: set default on column {fk.columns[0]!r}, which has no default"
                if single
                else f"{key}: set default, but none of {list(fk.columns)} has a default",
                fk.path + (key,),
                "give the column a default, or choose another action"
                if single
                else "give the columns defaults, or choose another action",
            )
    table.fks.append(fk)
