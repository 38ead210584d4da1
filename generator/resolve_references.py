"""Reference shapes beyond single-column foreign keys: composite foreign keys,
many-to-many relationships across junction tables, and reference cycles.

Part of the resolver passes in ``resolve_features``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .model import Relation, Table
from .types import did_you_mean

if TYPE_CHECKING:
    from .resolve import Resolver, _Table
    from .resolve_features import Features

_FK_TARGET = re.compile(r"\s*([^()\s]+)\s*(?:\(([^()]*)\))?\s*")


def composite_foreign_key(f: Features, table: _Table, i: int) -> None:
    from .resolve import _Fk

    r = f.r
    spec = r.spec.tables[table.name].foreign_keys[i]
    path = table.path + ("foreign_keys", i)
    cols = f._columns(table, list(spec.columns), path + ("columns",))
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
        ref_cols = f._columns(target, wanted, path + ("to",))
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


def many_to_many(r: Resolver) -> None:
    """``secondary`` relationships across pure junction tables, both ways.

    A junction: the primary key is exactly two single-column foreign keys to
    two different tables, and every other column fills itself (nullable,
    default, identity or generated), so the ORM can insert a row with only
    the two keys.  Each side gets the other table's name (``Post.tags``,
    ``Tag.posts``) unless that name is taken, in which case none is added.
    """
    for junction in r.tables.values():
        fks = [fk for fk in junction.fks if len(fk.columns) == 1]
        if len(junction.pk) != 2 or len(fks) != 2 or len(junction.fks) != 2:
            continue
        if {fk.column for fk in fks} != set(junction.pk) or fks[0].ref_table == fks[1].ref_table:
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


def mark_cycles(tables: list[Table]) -> list[Table]:
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
