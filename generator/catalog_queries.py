"""The catalog queries behind ``catalog.read_catalog`` (one query per kind of object).

Every query takes the same schema filter and leaves out objects that belong to
an extension; rows are ordered by name so the result is deterministic.  OIDs are
used only to group rows here and never leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .catalog import (
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

# %(schemas)s is NULL (every user schema) or a list of schema names.
_NS_FILTER = """
    n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
    AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY(%(schemas)s::text[]))
"""


def _not_ext(catalog: str, oid: str) -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass"
        f" AND d.objid = {oid} AND d.deptype = 'e')"
    )


_REL = f"""
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f') AND {_NS_FILTER} AND {_not_ext("pg_class", "c.oid")}
"""

_NAMESPACES = f"""
SELECT n.nspname, obj_description(n.oid, 'pg_namespace')
FROM pg_namespace n WHERE {_NS_FILTER} AND {_not_ext("pg_namespace", "n.oid")}
ORDER BY n.nspname
"""

_EXTENSIONS = """
SELECT e.extname, n.nspname, e.extversion
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' ORDER BY e.extname
"""

_TABLES = f"""
SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition,
       obj_description(c.oid, 'pg_class'), c.relpersistence = 'u', c.relrowsecurity,
       coalesce(c.reloptions, '{{}}'),
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       ARRAY(SELECT pn.nspname || '.' || p.relname FROM pg_inherits i
             JOIN pg_class p ON p.oid = i.inhparent
             JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid IN ({_REL})
ORDER BY n.nspname, c.relname
"""

_COLUMNS = f"""
SELECT a.attrelid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
       a.attidentity,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
       col_description(a.attrelid, a.attnum),
       CASE WHEN a.attcollation <> t.typcollation
            THEN (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
       en.nspname, e.typname, e.typtype
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type e ON e.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0
                               THEN t.typelem ELSE t.oid END
JOIN pg_namespace en ON en.oid = e.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE a.attrelid IN ({_REL}) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

_CONSTRAINTS = f"""
SELECT con.conrelid, con.conname, con.contype, pg_get_constraintdef(con.oid),
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
       fn.nspname, fc.relname,
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o),
       con.confdeltype, con.confupdtype,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END,
       con.condeferrable, con.convalidated, con.confmatchtype = 'f',
       obj_description(con.oid, 'pg_constraint')
FROM pg_constraint con
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.conrelid IN ({_REL}) AND con.contype IN ('p', 'u', 'c', 'f', 'x')
ORDER BY con.conrelid, con.conname
"""

_INDEXES = """
SELECT i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid), i.indisunique, am.amname,
       i.indnkeyatts,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnatts) k ORDER BY k),
       ARRAY(SELECT x FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(x, o) ORDER BY o),
       ARRAY(SELECT x FROM unnest(i.indoption::int2[]) WITH ORDINALITY u(x, o) ORDER BY o),
       ARRAY(SELECT CASE WHEN opc.opcdefault THEN NULL ELSE opn.nspname || '.' || opc.opcname END
             FROM unnest(i.indclass::oid[]) WITH ORDINALITY u(x, o)
             JOIN pg_opclass opc ON opc.oid = u.x
             JOIN pg_namespace opn ON opn.oid = opc.opcnamespace ORDER BY u.o),
       pg_get_expr(i.indpred, i.indrelid, true),
       (SELECT con.conname FROM pg_constraint con
        WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
          AND con.contype IN ('p', 'u', 'x')),
       {nulls_not_distinct},
       obj_description(i.indexrelid, 'pg_class')
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid IN ({rel})
ORDER BY i.indrelid, ic.relname
"""

_TRIGGERS = f"""
SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid), pn.nspname || '.' || p.proname,
       t.tgargs, t.tgnargs, t.tgenabled <> 'D'
FROM pg_trigger t
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE t.tgrelid IN ({_REL}) AND NOT t.tgisinternal AND t.tgparentid = 0
ORDER BY t.tgrelid, t.tgname
"""

_ENUMS = f"""
SELECT n.nspname, t.typname,
       ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
       obj_description(t.oid, 'pg_type')
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND {_NS_FILTER} AND {_not_ext("pg_type", "t.oid")}
ORDER BY n.nspname, t.typname
"""

# Objects the spec cannot hold, as (kind, schema, name, definition, owned_by).
_OTHERS = f"""
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END,
       n.nspname, c.relname, pg_get_viewdef(c.oid, true), NULL
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND {_NS_FILTER} AND {_not_ext("pg_class", "c.oid")}
UNION ALL
SELECT CASE WHEN dep.deptype = 'i' THEN 'identity sequence' ELSE 'sequence' END,
       n.nspname, c.relname,
       format('AS %%s START %%s INCREMENT %%s MINVALUE %%s MAXVALUE %%s CACHE %%s%%s',
              format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
              s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END),
       tn.nspname || '.' || tc.relname || '.' || ta.attname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
     AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = dep.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute ta ON ta.attrelid = dep.refobjid AND ta.attnum = dep.refobjsubid
WHERE c.relkind = 'S' AND {_NS_FILTER} AND {_not_ext("pg_class", "c.oid")}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                      WHEN 'w' THEN 'window function' ELSE 'function' END,
       n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) ELSE '' END, NULL
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE {_NS_FILTER} AND {_not_ext("pg_proc", "p.oid")}
UNION ALL
SELECT 'policy', pol.schemaname, pol.tablename || '.' || pol.policyname,
       format('AS %%s FOR %%s TO %%s USING (%%s) WITH CHECK (%%s)', pol.permissive, pol.cmd,
              array_to_string(pol.roles, ', '), pol.qual, pol.with_check), NULL
FROM pg_policies pol JOIN pg_namespace n ON n.nspname = pol.schemaname
WHERE {_NS_FILTER}
UNION ALL
SELECT 'domain', n.nspname, t.typname,
       format_type(t.typbasetype, t.typtypmod)
       || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
       || coalesce(' DEFAULT ' || t.typdefault, '')
       || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(con.conname) || ' '
                                      || pg_get_constraintdef(con.oid), '' ORDER BY con.conname)
                    FROM pg_constraint con WHERE con.contypid = t.oid), ''),
       NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND {_NS_FILTER} AND {_not_ext("pg_type", "t.oid")}
UNION ALL
SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'c' THEN 'composite type'
                      ELSE 'base type' END,
       n.nspname, t.typname, '', NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
WHERE t.typtype IN ('r', 'c', 'b') AND (t.typtype <> 'c' OR c.relkind = 'c')
  AND NOT (t.typtype = 'b' AND t.typcategory = 'A')
  AND {_NS_FILTER} AND {_not_ext("pg_type", "t.oid")}
UNION ALL
SELECT 'rule', r.schemaname, r.tablename || '.' || r.rulename, r.definition, NULL
FROM pg_rules r JOIN pg_namespace n ON n.nspname = r.schemaname
WHERE {_NS_FILTER}
UNION ALL
SELECT 'statistics', n.nspname, s.stxname, pg_get_statisticsobjdef(s.oid), NULL
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
WHERE {_NS_FILTER}
ORDER BY 2, 1, 3
"""


def _ordered(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


def read(conn: Any, schemas: list[str] | None) -> Catalog:
    params = {"schemas": list(schemas) if schemas is not None else None}

    def rows(query: str) -> list[tuple[Any, ...]]:
        return list(conn.execute(query, params).fetchall())

    namespaces = rows(_NAMESPACES)
    extensions = tuple(Extension(*row) for row in rows(_EXTENSIONS))
    enums = tuple(Enum(s, n, _ordered(labels), c) for s, n, labels, c in rows(_ENUMS))

    columns: dict[int, list[Column]] = defaultdict(list)
    for row in rows(_COLUMNS):
        oid, name, num, typ, notnull, default, ident, gen, comment, coll, tsch, tname, tkind = row
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
            )
        )
    constraints: dict[int, list[Constraint]] = defaultdict(list)
    for row in rows(_CONSTRAINTS):
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
    for row in rows(_INDEXES.format(nulls_not_distinct=nnd, rel=_REL)):
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
    for oid, name, definition, function, args, nargs, enabled in rows(_TRIGGERS):
        parts = bytes(args).split(b"\x00")[:nargs] if nargs else []
        triggers[oid].append(
            Trigger(name, definition, function, tuple(p.decode() for p in parts), enabled)
        )

    tables = []
    kinds = {"r": "table", "p": "partitioned table", "f": "foreign table"}
    for row in rows(_TABLES):
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
    others = tuple(Other(*row) for row in rows(_OTHERS))
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
