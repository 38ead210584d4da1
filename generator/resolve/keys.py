"""Pass ``keys``: primary keys and unique constraints."""

from __future__ import annotations

from .draft import Draft, DraftTable, spec_type_of


def run(d: Draft) -> None:
    for table in d.tables.values():
        _primary_key(d, table)
        _uniques(d, table)
        _postgres_rules(d, table)


def _postgres_rules(d: Draft, table: DraftTable) -> None:
    """At most 32 columns per key, and each column with a btree equality operator."""
    from ..pgsql import limits, opclasses

    keyed = [("primary key", table.pk, table.path)]
    keyed += [("unique constraint", cols, path) for cols, path in table.uniques]
    for what, cols, path in keyed:
        count = limits.index_column_count_problem(len(cols), what)
        if count:
            d.pg_problem("pg-limit", count, path, key=path == table.path)
        for name in cols:
            ctype = table.columns[name].type
            problem = opclasses.key_problem(spec_type_of(ctype), what) if ctype else None
            if problem:
                d.pg_problem("pg-opclass", problem, table.columns[name].path + ("type",))


def _primary_key(d: Draft, table: DraftTable) -> None:
    flagged = [c for c in table.columns.values() if c.spec.primary_key]
    if table.spec.primary_key is not None:
        path = table.path + ("primary_key",)
        if flagged:
            d.error(
                "two-primary-keys",
                f"table {table.key!r} has both a table-level primary_key and "
                f"primary_key: true on column {flagged[0].name!r}",
                path,
                "keep one of them",
            )
        table.pk = d.column_list(table, list(table.spec.primary_key), path) or ()
    elif len(flagged) > 1:
        d.error(
            "two-primary-keys",
            f"table {table.key!r} marks {len(flagged)} columns as primary_key",
            flagged[1].path + ("primary_key",),
            f"for a composite key write 'primary_key: [{', '.join(c.name for c in flagged)}]' on the table",
        )
    elif flagged:
        table.pk = (flagged[0].name,)
    else:
        d.error(
            "missing-primary-key",
            f"table {table.key!r} has no primary key",
            table.path,
            "mark a column 'primary_key: true', or list columns under 'primary_key:'",
            key=True,
        )
    for name in table.pk:
        col = table.columns[name]
        if col.spec.nullable:
            d.error(
                "nullable-primary-key",
                f"primary key column {name!r} cannot be nullable",
                col.path + ("nullable",),
                "remove 'nullable: true'",
            )


def _uniques(d: Draft, table: DraftTable) -> None:
    seen: set[tuple[str, ...]] = {table.pk}
    for col in table.columns.values():
        if col.spec.unique:
            if (col.name,) in seen:
                d.error(
                    "redundant-unique",
                    f"column {col.name!r} is already unique (it is the primary key)",
                    col.path + ("unique",),
                    "remove 'unique: true'",
                )
                continue
            seen.add((col.name,))
            table.uniques.append(((col.name,), col.path + ("unique",)))
    for i, entry in enumerate(table.spec.unique):
        path = table.path + ("unique", i)
        names = entry if isinstance(entry, list) else entry.columns
        cols = d.column_list(
            table, list(names), path + (() if isinstance(entry, list) else ("columns",))
        )
        if cols is None:
            continue
        if cols in seen:
            d.error(
                "redundant-unique", f"unique {list(cols)} is declared twice", path, "remove one"
            )
            continue
        seen.add(cols)
        table.uniques.append((cols, path))
        if not isinstance(entry, list) and entry.nulls_not_distinct:
            table.nulls_not_distinct.add(cols)
