"""Pass ``indexes``: ``indexes:`` entries, then an index for each foreign key
that asks for one (or all, with ``postgres: index_foreign_keys``) unless an
index already leads with its columns.  Names come later, in the names pass."""

from __future__ import annotations

import re

from ..source import Path
from ..spec import IndexSpec
from .draft import Draft, DraftIndex, DraftTable, spec_type_of

_INDEX_COL = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc|ASC|DESC))?\s*")
_INCLUDE_METHODS = ("btree", "gist", "spgist")  # PostgreSQL 14+: the methods with INCLUDE


def run(d: Draft) -> None:
    for table in d.tables.values():
        for i, spec in enumerate(table.spec.indexes):
            _read(d, table, spec, i)
        _foreign_key_indexes(d, table)


def _read(d: Draft, table: DraftTable, spec: IndexSpec, i: int) -> None:
    path = table.path + ("indexes", i)
    cols: list[tuple[str, bool]] = []
    for j, text in enumerate(spec.columns):
        m = _INDEX_COL.fullmatch(text)
        if m is None:
            d.error(
                "invalid-index-column",
                f"cannot read index column {text!r}",
                path + ("columns", j),
                "write a column name, optionally followed by 'desc', e.g. 'created_at desc'",
            )
            return
        cols.append((m.group(1), (m.group(2) or "").lower() == "desc"))
    if d.column_list(table, [c for c, _ in cols], path + ("columns",)) is None:
        return
    include: tuple[str, ...] = ()
    if spec.include:
        include = d.column_list(table, list(spec.include), path + ("include",)) or ()
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
            any(desc for _, desc in cols) and spec.using != "btree",
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
            d.error("invalid-index", message, path + (key,), "use: btree, or change the index")
            return
    if _opclass_problems(d, table, spec.using, [c for c, _ in cols], include, path):
        return
    if (
        spec.where is not None
        and d.expression(table, spec.where, path + ("where",), "index_where") is None
    ):
        return
    if spec.name is not None and not d.check_ident(spec.name, "index", path + ("name",)):
        return
    index = DraftIndex(
        tuple(cols),
        spec.unique,
        spec.using,
        spec.where.strip() if spec.where else None,
        include,
        path,
        spec.name or "",
        spec.name is not None,
    )
    same = (index.cols, index.unique, index.using, index.where, index.include)
    if any((o.cols, o.unique, o.using, o.where, o.include) == same for o in table.indexes):
        d.error("duplicate-index", "this index is declared twice", path, "remove one")
        return
    table.indexes.append(index)


def _opclass_problems(
    d: Draft, table: DraftTable, using: str, cols: list[str], include: tuple[str, ...], path: Path
) -> bool:
    """PostgreSQL's limit on index columns, and a default operator class for each."""
    from ..pgsql import limits, opclasses

    bad = False
    count = limits.index_column_count_problem(len(cols) + len(include))
    if count:
        d.pg_problem("pg-limit", count, path + ("columns",))
        bad = True
    for j, name in enumerate(cols):
        ctype = table.columns[name].type
        problem = opclasses.index_problem(using, spec_type_of(ctype)) if ctype else None
        if problem:
            d.pg_problem("pg-opclass", problem, path + ("columns", j))
            bad = True
    return bad


def _foreign_key_indexes(d: Draft, table: DraftTable) -> None:
    default = d.spec.postgres.index_foreign_keys
    for fk in table.fks:
        if not (default if fk.index is None else fk.index):
            continue
        n = len(fk.columns)
        leading = table.key_columns() + [
            tuple(c for c, _ in ix.cols) for ix in table.indexes if ix.using == "btree"
        ]
        if any(set(cols[:n]) == set(fk.columns) for cols in leading):
            continue
        cols = tuple((c, False) for c in fk.columns)
        table.indexes.append(DraftIndex(cols, False, "btree", None, (), fk.path))
