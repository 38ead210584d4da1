"""Pass ``names``: the constraint and index names PostgreSQL would choose.

Tables, and the indexes behind primary keys, unique constraints and
``indexes:``, share one namespace per PostgreSQL schema; constraint names
(foreign keys, checks) are per table.  A derived name that would collide, or
exceed 63 bytes, gets a hashed suffix instead (naming.constraint_name).
"""

from __future__ import annotations

import re

from ..model import Default
from ..naming import MAX_IDENT_BYTES, constraint_name, ident_bytes
from ..sqltext import quote_string
from ..types import catalog_ident
from .draft import Draft, DraftTable, claim_name, split_key, table_identity


def run(d: Draft) -> None:
    for table in d.tables.values():
        d.relation_names.setdefault(table.namespace, set()).add(table.bare)
    for table in d.tables.values():
        taken = d.relation_names[table.namespace]
        table.pk_name = claim_name(table.bare, (), "pkey", taken)
        table.unique_names = [
            claim_name(table.bare, cols, "key", taken) for cols, _ in table.uniques
        ]
        fk_names: set[str] = set()
        for fk in table.fks:
            fk.name = claim_name(table.bare, fk.columns, "fkey", fk_names)
    for table in d.tables.values():
        _sequences(table, d.relation_names[table.namespace])
    for table in d.tables.values():
        _indexes(d, table)
        _checks(d, table)
    _declared_sequences(d)
    _postgres_names(d)
    # A table is also a composite type of its name, so no enum or domain may share it.
    tables = {table_identity(t) for t in d.tables}
    for key in d.enum_labels:
        if table_identity(key) in tables:
            d.error(
                "type-name-taken",
                f"enum {key!r} has the same name as a table; in PostgreSQL a table is also a type",
                ("enums", key),
                f"rename the enum, e.g. '{key}_kind'",
                key=True,
            )
    for key in d.spec.domains:
        if table_identity(key) in tables:
            d.error(
                "type-name-taken",
                f"domain {key!r} has the same name as a table; in PostgreSQL a table is also a type",
                ("domains", key),
                "rename the domain or the table",
                key=True,
            )


def _sequences(table: DraftTable, taken: set[str]) -> None:
    """A serial column's sequence, named as PostgreSQL names it (<table>_<column>_seq),
    and its default: nextval() of it, as the catalog prints it."""
    for col in table.columns.values():
        if col.serial:
            col.sequence = _relation_name(table.bare, (col.name,), "seq", taken)
            regclass = ".".join(
                catalog_ident(p) for p in (table.namespace, col.sequence) if p is not None
            )
            col.default = Default("sql", f"nextval({quote_string(regclass)}::regclass)")


def _declared_sequences(d: Draft) -> None:
    """A sequence of ``sequences:`` shares its schema's namespace with tables, indexes
    and serial columns' sequences.  A clash is an error rather than a renamed
    neighbour: PostgreSQL would quietly number the derived name (orders_id_seq1).
    Enums and domains count too: PostgreSQL refuses a relation named as a type."""
    if not d.sequences:  # nothing to clash: skip gathering every relation's name
        return
    owners: dict[tuple[str | None, str], str] = {}
    for table in d.tables.values():
        ns = table.namespace
        for col in table.columns.values():
            if col.sequence:
                owners[ns, col.sequence] = f"the sequence of serial column {table.key}.{col.name}"
        for ix in table.indexes:
            owners[ns, ix.name] = f"an index of table {table.key!r}"
        for x in table.exclusions:
            owners[ns, x.name] = f"an exclusion constraint of table {table.key!r}"
        for name in (table.pk_name, *table.unique_names):
            owners[ns, name] = f"a key of table {table.key!r}"
        owners[ns, table.bare] = f"table {table.key!r}"
    for view in d.spec.views:
        owners[split_key(view)] = f"view {view!r}"
    # CREATE SEQUENCE refuses a type's name too (as for a table's row type)
    types = {split_key(e): f"enum {e!r}" for e in d.enum_labels}
    types |= {split_key(dom): f"domain {dom!r}" for dom in d.domains}
    for key, seq in d.sequences.items():
        ns, bare = split_key(key)
        other = owners.get((ns, bare))
        why = "one schema holds one relation of each name"
        if other is None and (ns, bare) in types:
            other, why = types[ns, bare], "PostgreSQL refuses a sequence named as a type"
        if other is not None:
            d.error(
                "duplicate-name",
                f"sequence name {bare!r} is already {other}: {why}",
                seq.path,
                f"rename the sequence, e.g. '{bare}_counter'",
                key=True,
            )
        d.relation_names.setdefault(ns, set()).add(bare)


def _indexes(d: Draft, table: DraftTable) -> None:
    taken = d.relation_names[table.namespace]
    for x in table.exclusions:  # an exclusion constraint is an index too
        if x.named:
            if x.name in taken:
                d.error(
                    "duplicate-name",
                    f"constraint name {x.name!r} is already used in this schema",
                    x.path + ("name",),
                    "choose another name",
                )
            taken.add(x.name)
        else:
            x.name = _relation_name(table.bare, tuple(c for c, _ in x.elements), "excl", taken)
    for ix in table.indexes:
        if ix.named:
            if ix.name in taken:
                d.error(
                    "duplicate-name",
                    f"index name {ix.name!r} is already used in this schema",
                    ix.path + ("name",),
                    "choose another name",
                )
            taken.add(ix.name)
    for ix in table.indexes:
        if not ix.named:
            labels = tuple(
                c or _expression_label(e or "")
                for (c, _), e in zip(ix.cols, ix.expressions, strict=True)
            )
            ix.name = _relation_name(table.bare, labels, "idx", taken)


def _expression_label(sql: str) -> str:
    """PostgreSQL's name for an indexed expression: the function it calls
    (``lower(email)`` -> ``lower``), else ``expr``."""
    m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(", sql)
    return m.group(1).lower() if m else "expr"


def _relation_name(table: str, cols: tuple[str, ...], suffix: str, taken: set[str]) -> str:
    """PostgreSQL's choice for an unnamed index or sequence: <table>_<columns>_idx,
    then ...idx1."""
    base = constraint_name(table, cols, suffix)
    name, n = base, 0
    while name in taken:
        n += 1
        name = f"{base}{n}"
    if ident_bytes(name) > MAX_IDENT_BYTES:  # too long to number: a hashed name instead
        return claim_name(table, cols, suffix, taken)
    taken.add(name)
    return name


def _checks(d: Draft, table: DraftTable) -> None:
    used = {table.pk_name, *table.unique_names, *(fk.name for fk in table.fks)}
    used |= {x.name for x in table.exclusions}
    for check in table.checks:
        if check.name is None:
            # PostgreSQL's own choice: <table>_<first column>_check, then ...check1.
            base = constraint_name(table.bare, check.columns[:1], "check")
            name, n = base, 0
            while name in used:
                n += 1
                name = f"{base}{n}"
            check.name = name
        elif check.name in used:
            d.error(
                "duplicate-name",
                f"constraint name {check.name!r} is already used on table {table.key!r}",
                check.path + ("name",),
                "choose another name",
            )
        used.add(check.name)


def _postgres_names(d: Draft) -> None:
    """Schemas named pg_*, and identity sequences whose name another relation has."""
    from ..pgsql import limits

    first: dict[str, tuple[str, ...]] = {}
    for key in [*d.tables, *d.enum_labels]:
        namespace = split_key(key)[0]
        if namespace is not None:
            first.setdefault(namespace, ("tables" if key in d.tables else "enums", key))
    for namespace, path in first.items():
        problem = limits.schema_name_problem(namespace)
        if problem:
            d.pg_problem("pg-reserved-name", problem, path, key=True)
    for table in d.tables.values():
        # a serial column with identity: is refused already (serial-conflict)
        identities = [
            (table.bare, c.name) for c in table.columns.values() if c.spec.identity and not c.serial
        ]
        if not identities:  # most tables: not worth copying the schema's names to learn it
            continue
        taken = d.relation_names[table.namespace]
        for _, column, name in limits.sequence_collisions(identities, taken):
            d.error(
                "pg-reserved-name",
                f'the identity column "{column}" needs a sequence named "{name}",'
                " which is another object's name",
                table.columns[column].path,
                "rename that object, or the column",
                key=True,
            )
