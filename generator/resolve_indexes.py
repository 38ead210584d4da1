"""Indexes: ``indexes:`` entries, foreign-key indexes, and PostgreSQL's names.

Part of the resolver passes in ``resolve_features``; each function reports
problems through the resolver and records what it resolved on the table's
feature state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .naming import MAX_IDENT_BYTES, constraint_name, ident_bytes

if TYPE_CHECKING:
    from .resolve import Resolver, _Table
    from .resolve_features import Features, _TableExtra
    from .source import Path

_INDEX_COL = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc|ASC|DESC))?\s*")
_INCLUDE_METHODS = ("btree", "gist", "spgist")  # PostgreSQL 14+: the methods with INCLUDE


@dataclass
class IndexState:
    cols: tuple[tuple[str, bool], ...]
    unique: bool
    using: str
    where: str | None
    include: tuple[str, ...]
    path: Path
    name: str = ""
    named: bool = False


def read_index(f: Features, table: _Table, extra: _TableExtra, i: int) -> None:
    r = f.r
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
    if f._columns(table, [c for c, _ in cols], path + ("columns",)) is None:
        return
    include: tuple[str, ...] = ()
    if spec.include:
        include = f._columns(table, list(spec.include), path + ("include",)) or ()
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
    for j, (name, _) in enumerate(cols):
        ctype = table.columns[name].type
        if ctype is not None and spec.using not in ctype.index_methods:
            methods = ctype.index_methods
            r.error(
                "invalid-index",
                f"a {spec.using} index does not apply to {ctype.sql} column {name!r}",
                path + ("columns", j),
                f"use: {', '.join(methods)}" if methods else f"{ctype.sql} cannot be indexed",
            )
            return
    if (
        spec.where is not None
        and f._expression(table, spec.where, path + ("where",), "index predicate") is None
    ):
        return
    if spec.name is not None and not r.check_ident(spec.name, "index", path + ("name",)):
        return
    index = IndexState(
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


def foreign_key_indexes(f: Features, table: _Table, extra: _TableExtra, default: bool) -> None:
    """Index foreign-key columns when asked, unless an index already leads with them."""
    r = f.r
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
        extra.indexes.append(IndexState(cols, False, "btree", None, (), fk.path))


def index_name(r: Resolver, table: str, cols: tuple[str, ...], taken: set[str]) -> str:
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
