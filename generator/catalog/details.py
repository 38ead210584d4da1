"""Details of the objects the spec can now hold (functions, policies, views,
domains, sequences), read so ``pull`` can write them back; attached to ``Other.info``.

One query per kind, keyed by (kind, schema, name) as ``OTHERS`` names them.
"""

from __future__ import annotations

from typing import Any

from .sql import NS_FILTER, not_ext

FUNCTIONS = f"""
SELECT n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       pg_get_function_result(p.oid), l.lanname, p.prosrc, p.provolatile, p.prosecdef,
       coalesce(p.proargnames, '{{}}'),
       ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, o)
             ORDER BY u.o),
       p.proretset
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE p.prokind = 'f' AND {NS_FILTER} AND {not_ext("pg_proc", "p.oid")}
"""

POLICIES = f"""
SELECT pol.schemaname, pol.tablename || '.' || pol.policyname, pol.permissive, pol.cmd,
       pol.roles::text[], pol.qual, pol.with_check
FROM pg_policies pol JOIN pg_namespace n ON n.nspname = pol.schemaname
WHERE {NS_FILTER}
"""

VIEWS = f"""
SELECT n.nspname, c.relname, c.relkind = 'm',
       ARRAY(SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT ic.relname || '|' || i.indisunique::text || '|'
                    || array_to_string(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                                             FROM generate_series(1, i.indnkeyatts) k), '|')
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = c.oid ORDER BY ic.relname),
       obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND {NS_FILTER} AND {not_ext("pg_class", "c.oid")}
"""

DOMAINS = f"""
SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull,
       t.typdefault,
       ARRAY(SELECT con.conname FROM pg_constraint con WHERE con.contypid = t.oid
             ORDER BY con.conname),
       ARRAY(SELECT pg_get_expr(con.conbin, 0) FROM pg_constraint con WHERE con.contypid = t.oid
             ORDER BY con.conname),
       obj_description(t.oid, 'pg_type'),
       bt.typtype, btn.nspname, bt.typname
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype JOIN pg_namespace btn ON btn.oid = bt.typnamespace
WHERE t.typtype = 'd' AND {NS_FILTER} AND {not_ext("pg_type", "t.oid")}
"""

# Sequences that are not an identity column's: options as numbers, and the comment.
SEQUENCES = f"""
SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE c.relkind = 'S' AND {NS_FILTER} AND {not_ext("pg_class", "c.oid")}
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'i')
"""


def _freeze(value: Any) -> Any:
    return tuple(_freeze(v) for v in value) if isinstance(value, list) else value


def read_details(rows: Any) -> dict[tuple[str, str, str], tuple[tuple[str, Any], ...]]:
    """(kind, schema, name) -> the object's details as ((key, value), ...)."""
    out: dict[tuple[str, str, str], tuple[tuple[str, Any], ...]] = {}

    def put(kind: str, schema: str, name: str, **info: Any) -> None:
        out[(kind, schema, name)] = tuple((k, _freeze(v)) for k, v in info.items())

    for schema, name, result, lang, src, vol, secdef, argnames, argtypes, setof in rows(FUNCTIONS):
        put(
            "function",
            schema,
            name,
            returns=result,
            language=lang,
            body=src,
            volatility={"i": "immutable", "s": "stable", "v": "volatile"}[vol],
            security_definer=secdef,
            arguments=list(zip(list(argnames) + [""] * len(argtypes), argtypes, strict=False)),
            setof=setof,
        )
    for schema, name, permissive, cmd, roles, qual, check in rows(POLICIES):
        put(
            "policy",
            schema,
            name,
            permissive=permissive == "PERMISSIVE",
            command=cmd,
            roles=list(roles),
            using=qual,
            with_check=check,
        )
    for schema, name, mat, cols, types, idx, comment in rows(VIEWS):
        kind = "materialized view" if mat else "view"
        indexes = [tuple(i.split("|")) for i in idx]
        put(
            kind,
            schema,
            name,
            columns=list(zip(cols, types, strict=True)),
            indexes=indexes,
            comment=comment,
        )
    for row in rows(DOMAINS):
        schema, name, base, notnull, default, names, checks, comment, btype, bschema, bname = row
        put(
            "domain",
            schema,
            name,
            type=base,
            not_null=notnull,
            default=default,
            checks=list(zip(names, checks, strict=True)),
            comment=comment,
            base_kind=btype,
            base_schema=bschema,
            base_name=bname,
        )
    for schema, name, dtype, start, inc, low, high, cache, cycle, comment in rows(SEQUENCES):
        put(
            "sequence",
            schema,
            name,
            type=dtype,
            start=start,
            increment=inc,
            min=low,
            max=high,
            cache=cache,
            cycle=cycle,
            comment=comment,
        )
    return out
