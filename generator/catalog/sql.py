"""The catalog queries' SQL, one per kind of object (read by queries.py).

Every query takes the same schema filter (``%(schemas)s``: NULL for every user
schema, or a list) and leaves out objects that belong to an extension.
"""

from __future__ import annotations

# %(schemas)s is NULL (every user schema) or a list of schema names.
NS_FILTER = """
    n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
    AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY(%(schemas)s::text[]))
"""


def not_ext(catalog: str, oid: str) -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass"
        f" AND d.objid = {oid} AND d.deptype = 'e')"
    )


REL = f"""
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f') AND {NS_FILTER} AND {not_ext("pg_class", "c.oid")}
"""

NAMESPACES = f"""
SELECT n.nspname, obj_description(n.oid, 'pg_namespace')
FROM pg_namespace n WHERE {NS_FILTER} AND {not_ext("pg_namespace", "n.oid")}
ORDER BY n.nspname
"""

EXTENSIONS = """
SELECT e.extname, n.nspname, e.extversion
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' ORDER BY e.extname
"""

TABLES = f"""
SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition,
       obj_description(c.oid, 'pg_class'), c.relpersistence = 'u', c.relrowsecurity,
       coalesce(c.reloptions, '{{}}'),
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       ARRAY(SELECT pn.nspname || '.' || p.relname FROM pg_inherits i
             JOIN pg_class p ON p.oid = i.inhparent
             JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid IN ({REL})
ORDER BY n.nspname, c.relname
"""

COLUMNS = f"""
SELECT a.attrelid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
       a.attidentity,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
       col_description(a.attrelid, a.attnum),
       CASE WHEN a.attcollation <> t.typcollation
            THEN (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
       en.nspname, e.typname, e.typtype,
       CASE WHEN e.typtype = 'd' THEN format_type(e.typbasetype, e.typtypmod) END
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type e ON e.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0
                               THEN t.typelem ELSE t.oid END
JOIN pg_namespace en ON en.oid = e.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE a.attrelid IN ({REL}) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

CONSTRAINTS = f"""
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
WHERE con.conrelid IN ({REL}) AND con.contype IN ('p', 'u', 'c', 'f', 'x')
ORDER BY con.conrelid, con.conname
"""

INDEXES = """
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

TRIGGERS = f"""
SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid), pn.nspname || '.' || p.proname,
       t.tgargs, t.tgnargs, t.tgenabled <> 'D'
FROM pg_trigger t
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE t.tgrelid IN ({REL}) AND NOT t.tgisinternal AND t.tgparentid = 0
ORDER BY t.tgrelid, t.tgname
"""

ENUMS = f"""
SELECT n.nspname, t.typname,
       ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
       obj_description(t.oid, 'pg_type')
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND {NS_FILTER} AND {not_ext("pg_type", "t.oid")}
ORDER BY n.nspname, t.typname
"""

# Objects the spec cannot hold, as (kind, schema, name, definition, owned_by).
OTHERS = f"""
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END,
       n.nspname, c.relname, pg_get_viewdef(c.oid, true), NULL
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND {NS_FILTER} AND {not_ext("pg_class", "c.oid")}
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
WHERE c.relkind = 'S' AND {NS_FILTER} AND {not_ext("pg_class", "c.oid")}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                      WHEN 'w' THEN 'window function' ELSE 'function' END,
       n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) ELSE '' END, NULL
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE {NS_FILTER} AND {not_ext("pg_proc", "p.oid")}
UNION ALL
SELECT 'policy', pol.schemaname, pol.tablename || '.' || pol.policyname,
       format('AS %%s FOR %%s TO %%s', pol.permissive, pol.cmd, array_to_string(pol.roles, ', '))
       || coalesce(' USING (' || pol.qual || ')', '')
       || coalesce(' WITH CHECK (' || pol.with_check || ')', ''), NULL
FROM pg_policies pol JOIN pg_namespace n ON n.nspname = pol.schemaname
WHERE {NS_FILTER}
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
WHERE t.typtype = 'd' AND {NS_FILTER} AND {not_ext("pg_type", "t.oid")}
UNION ALL
SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'c' THEN 'composite type'
                      ELSE 'base type' END,
       n.nspname, t.typname, '', NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
WHERE t.typtype IN ('r', 'c', 'b') AND (t.typtype <> 'c' OR c.relkind = 'c')
  AND NOT (t.typtype = 'b' AND t.typcategory = 'A')
  AND {NS_FILTER} AND {not_ext("pg_type", "t.oid")}
UNION ALL
SELECT 'rule', r.schemaname, r.tablename || '.' || r.rulename, r.definition, NULL
FROM pg_rules r JOIN pg_namespace n ON n.nspname = r.schemaname
WHERE {NS_FILTER}
UNION ALL
SELECT 'statistics', n.nspname, s.stxname, pg_get_statisticsobjdef(s.oid), NULL
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
WHERE {NS_FILTER}
ORDER BY 2, 1, 3
"""
