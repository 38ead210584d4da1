"""The catalog queries behind ``catalog.read_catalog`` (one query per kind of object).

Every query takes the same schema filter and leaves out objects that belong to
an extension; rows are ordered by name so the result is deterministic.  OIDs are
used only to group rows here and never leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from . import (
    CONSTRAINT_KINDS,
    FK_ACTIONS,
    Catalog,
    Column,
    Constraint,
    Enum,
    Extension,
    Index,
    IndexColumn,
    Other,
    Table,
    Trigger,
)
from .sql import (
    COLUMNS,
    CONSTRAINTS,
    ENUMS,
    EXTENSIONS,
    INDEXES,
    NAMESPACES,
    OTHERS,
    REL,
    TABLES,
    TRIGGERS,
)


def _ordered(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


def read(conn: Any, schemas: list[str] | None) -> Catalog:
    params = {"schemas": list(schemas) if schemas is not None else None}

    def rows(query: str) -> list[tuple[Any, ...]]:
        return list(conn.execute(query, params).fetchall())

    namespaces = rows(NAMESPACES)
    extensions = tuple(Extension(*row) for row in rows(EXTENSIONS))
    enums = tuple(Enum(s, n, _ordered(labels), c) for s, n, labels, c in rows(ENUMS))

    columns: dict[int, list[Column]] = defaultdict(list)
    for row in rows(COLUMNS):
        oid, name, num, typ, notnull, default, ident, gen, comment, coll = row[:10]
        tsch, tname, tkind, domain_type = row[10:]
        columns[oid].append(
            Column(
                name=name,
                attnum=num,
                type=typ,
                not_null=notnull,
                default=default,
                identity={"a": "always", "d": "by default"}.get(ident),
                generated=gen,
                comment=comment,
                collation=coll,
                type_schema=tsch,
                type_name=tname,
                type_kind=tkind,
                domain_type=domain_type,
            )
        )
    constraints: dict[int, list[Constraint]] = defaultdict(list)
    for row in rows(CONSTRAINTS):
        oid, name, kind, definition, cols, rsch, rtab, rcols, dele, upd, expr = row[:11]
        deferrable, validated, match_full, comment = row[11:]
        constraints[oid].append(
            Constraint(
                name=name,
                kind=CONSTRAINT_KINDS[kind],
                definition=definition,
                columns=_ordered(cols),
                ref_schema=rsch,
                ref_table=rtab,
                ref_columns=_ordered(rcols),
                on_delete=FK_ACTIONS.get(dele, "no action"),
                on_update=FK_ACTIONS.get(upd, "no action"),
                expression=expr,
                deferrable=deferrable,
                validated=validated,
                match_full=match_full and kind == "f",
                comment=comment,
            )
        )
    indexes: dict[int, list[Index]] = defaultdict(list)
    nnd = "i.indnullsnotdistinct" if conn.info.server_version >= 150000 else "false"
    for row in rows(INDEXES.format(nulls_not_distinct=nnd, rel=REL)):
        oid, name, definition, unique, method, nkey, texts, keys, options, opclasses = row[:10]
        predicate, constraint, nulls_not_distinct, comment = row[10:]
        key_columns = []
        for k in range(nkey):
            desc = bool(options[k] & 1)
            nulls_first = bool(options[k] & 2)
            key_columns.append(
                IndexColumn(
                    expression=texts[k] if keys[k] == 0 else _unquote(texts[k]),
                    is_column=keys[k] != 0,
                    descending=desc,
                    nulls_first=nulls_first,
                    opclass=opclasses[k],
                )
            )
        indexes[oid].append(
            Index(
                name=name,
                definition=definition,
                unique=unique,
                method=method,
                columns=tuple(key_columns),
                include=tuple(_unquote(t) for t in texts[nkey:]),
                predicate=predicate,
                constraint=constraint,
                nulls_not_distinct=nulls_not_distinct,
                comment=comment,
            )
        )
    triggers: dict[int, list[Trigger]] = defaultdict(list)
    for oid, name, definition, function, args, nargs, enabled in rows(TRIGGERS):
        parts = bytes(args).split(b"\x00")[:nargs] if nargs else []
        triggers[oid].append(
            Trigger(name, definition, function, tuple(p.decode() for p in parts), enabled)
        )

    tables = []
    kinds = {"r": "table", "p": "partitioned table", "f": "foreign table"}
    for row in rows(TABLES):
        oid, schema, name, relkind, is_partition, comment, unlogged, rls, options = row[:9]
        partkey, parents = row[9:]
        parents = _ordered(parents)
        tables.append(
            Table(
                schema=schema,
                name=name,
                kind="partition" if is_partition else kinds[relkind],
                columns=tuple(columns[oid]),
                constraints=tuple(constraints[oid]),
                indexes=tuple(indexes[oid]),
                triggers=tuple(triggers[oid]),
                comment=comment,
                partition_of=parents[0] if is_partition and parents else None,
                partition_key=partkey,
                inherits=() if is_partition else parents,
                unlogged=unlogged,
                row_security=rls,
                options=_ordered(options),
            )
        )
    others = tuple(Other(*row) for row in rows(OTHERS))
    return Catalog(
        namespaces=tuple(n for n, _ in namespaces),
        extensions=extensions,
        enums=enums,
        tables=tuple(tables),
        others=others,
        schema_comments=tuple((n, c) for n, c in namespaces if c is not None),
    )


def _unquote(text: str) -> str:
    """pg_get_indexdef(oid, k) quotes a column name only when it must."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text
