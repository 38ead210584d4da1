"""The generated DDL on a real PostgreSQL, read back from the catalog and compared with the model.

Expected values come from the resolved model (generator.model) or, for the
repository's schema, from the text of issue 2; never from the catalog itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from generator.model import Schema, Table, int_bounds
from generator.pipeline import generate, load_schema

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
VALID = sorted(
    p.name
    for p in CASES.iterdir()
    # with schema.sql where it always was (outputs_* cases move or drop it)
    if (p / "schema.yaml").is_file() and (p / "expected" / "schema.sql").is_file()
)
ACTION = {"no action": "a", "restrict": "r", "cascade": "c", "set null": "n", "set default": "d"}

pytestmark = pytest.mark.postgres


@dataclass
class CatalogTable:
    columns: list[tuple[str, str, bool]] = field(default_factory=list)  # name, type, not null
    defaults: dict[str, str] = field(default_factory=dict)  # column -> pg_get_expr
    primary_key: tuple[str, tuple[str, ...]] = ("", ())
    uniques: set[tuple[str, tuple[str, ...], bool]] = field(default_factory=set)  # NND last
    foreign_keys: set[tuple[str, tuple[str, ...], str, tuple[str, ...], str, str]] = field(
        default_factory=set
    )
    comment: str | None = None
    column_comments: dict[str, str] = field(default_factory=dict)


def read_catalog(conn: psycopg.Connection[Any]) -> dict[str, CatalogTable]:
    tables: dict[str, CatalogTable] = {}
    # Tables are keyed as the model keys them: "users", or "auth.users" outside public.
    for oid, name, comment in conn.execute(
        "SELECT c.oid, CASE WHEN n.nspname = 'public' THEN c.relname"
        " ELSE n.nspname || '.' || c.relname END, obj_description(c.oid, 'pg_class')"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"
        " AND c.relkind = 'r' ORDER BY c.oid"
    ):
        t = tables[name] = CatalogTable(comment=comment)
        for col, typ, notnull, default, ccomment in conn.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            " pg_get_expr(d.adbin, d.adrelid), col_description(a.attrelid, a.attnum)"
            " FROM pg_attribute a LEFT JOIN pg_attrdef d"  # generated columns: no default
            " ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.attgenerated = ''"
            " WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            (oid,),
        ):
            t.columns.append((col, typ, notnull))
            if default is not None:
                t.defaults[col] = default
            if ccomment is not None:
                t.column_comments[col] = ccomment
        for conname, contype, cols, ref, refcols, deltype, updtype, nnd in conn.execute(
            "SELECT con.conname, con.contype,"
            " ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)"
            "       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),"
            " CASE WHEN rn.nspname = 'public' THEN rc.relname"
            " ELSE rn.nspname || '.' || rc.relname END,"
            " ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)"
            "       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),"
            " con.confdeltype, con.confupdtype,"
            " (SELECT i.indnullsnotdistinct FROM pg_index i WHERE i.indexrelid = con.conindid)"
            " FROM pg_constraint con LEFT JOIN pg_class rc ON rc.oid = con.confrelid"
            " LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
            " WHERE con.conrelid = %s",
            (oid,),
        ):
            if contype == "p":
                t.primary_key = (conname, tuple(cols))
            elif contype == "u":
                t.uniques.add((conname, tuple(cols), nnd))
            elif contype == "f":
                t.foreign_keys.add((conname, tuple(cols), ref, tuple(refcols), deltype, updtype))
    return tables


def expected_table(table: Table) -> CatalogTable:
    """What the model says the catalog must hold for one table."""
    return CatalogTable(
        columns=[(c.name, c.type.catalog, not c.nullable) for c in table.columns],
        defaults={},  # compared by value in check_defaults
        primary_key=(table.primary_key.name, table.primary_key.columns),
        uniques={(u.name, u.columns, u.nulls_not_distinct) for u in table.uniques},
        foreign_keys={
            (
                fk.name,
                fk.columns,
                fk.ref_table,
                fk.ref_columns,
                ACTION[fk.on_delete],
                ACTION[fk.on_update],
            )
            for fk in table.foreign_keys
        },
        comment=table.description,
        column_comments={c.name: c.description for c in table.columns if c.description},
    )


def apply(url: str, spec: bytes) -> tuple[Schema, dict[str, CatalogTable], psycopg.Connection[Any]]:
    result = generate(spec, "schema.yaml")
    assert result.ok, result.diagnostics
    schema = load_schema(spec, "schema.yaml").schema
    assert schema is not None
    conn = psycopg.connect(url, autocommit=True)
    conn.execute(result.files["schema.sql"].encode())  # the whole file, as psql -f would
    return schema, read_catalog(conn), conn


def check_defaults(
    conn: psycopg.Connection[Any], schema: Schema, catalog: dict[str, CatalogTable]
) -> None:
    for table in schema.tables:
        got = catalog[table.key].defaults
        assert set(got) == {c.name for c in table.columns if c.default is not None}, table.name
        for col in table.columns:
            if col.default is None:
                continue
            expr = got[col.name]
            if col.default.kind == "literal":
                # Evaluate what the catalog stored and compare with the spec's value:
                # quotes, backslashes, $$, newlines and emoji must survive byte for byte.
                # The cast is what an INSERT applies to the default.
                (value,) = conn.execute(  # type: ignore[misc]
                    f"SELECT ({expr})::{col.type.catalog}"
                ).fetchone()
                assert value == col.default.value, (table.name, col.name, expr)
                assert type(value) is type(col.default.value), (table.name, col.name)
            elif "random" in col.default.sql or "nextval(" in col.default.sql:  # volatile: the text
                assert expr == col.default.sql, (table.name, col.name)
            else:  # now() and friends are stable within one transaction
                with conn.transaction():
                    (same,) = conn.execute(  # type: ignore[misc]
                        f"SELECT ({expr}) IS NOT DISTINCT FROM ({col.default.sql})"
                    ).fetchone()
                assert same, (table.name, col.name, expr, col.default.sql)


def check_against_model(url: str, spec: bytes) -> dict[str, CatalogTable]:
    schema, catalog, conn = apply(url, spec)
    with conn:
        assert list(catalog) == [t.key for t in schema.tables]
        for table in schema.tables:
            got = catalog[table.key]
            want = expected_table(table)
            assert got.columns == want.columns, table.name
            assert got.primary_key == want.primary_key, table.name
            assert got.uniques == want.uniques, table.name
            assert got.foreign_keys == want.foreign_keys, table.name
            assert got.comment == want.comment, table.name
            assert got.column_comments == want.column_comments, table.name
        check_defaults(conn, schema, catalog)
        assert catalog_indexes(conn) == {
            (owner, ix.name): (
                ix.unique,
                ix.using,
                tuple(
                    (
                        c.name,
                        _without_casts(c.expression) if c.expression is not None else None,
                        c.opclass,
                        c.descending,
                    )
                    for c in ix.columns
                ),
                ix.nulls_not_distinct,
            )
            for owner, ix in [
                *((t.key, ix) for t in schema.tables for ix in t.indexes),
                *((v.name, ix) for v in schema.views for ix in v.indexes),  # materialized views'
            ]
        }
        assert catalog_exclusions(conn) == {
            (t.key, x.name): (x.using, x.elements, x.where is not None)
            for t in schema.tables
            for x in t.exclusions
        }
        assert catalog_domains(conn) == {
            dom.key: (
                dom.type.catalog,
                not dom.nullable,
                dom.default is not None,
                {c.name: _without_casts(c.sql) for c in dom.checks},
                dom.description,
            )
            for dom in schema.domains
        }
        for dom in schema.domains:  # the default is the value the spec gave
            if dom.default is not None and dom.default.kind == "literal":
                (value,) = conn.execute(  # type: ignore[misc]
                    f"SELECT (NULL::{dom.sql_name} IS NULL), {dom.default.sql}::{dom.type.catalog}"
                ).fetchone()[1:]
                assert value == dom.default.value, dom.key
        assert owned_sequences(conn) == {
            (_key(t.schema, c.sequence), t.key, c.name, c.type.catalog)
            for t in schema.tables
            for c in t.columns
            if c.sequence is not None
        } | {(s.key, *s.owned_by, s.data_type) for s in schema.sequences if s.owned_by}
        assert catalog_sequences(conn) == {
            s.key: (
                s.data_type, s.start, s.increment, s.min_value, s.max_value, s.cache, s.cycle,
                s.description,
            )
            for s in schema.sequences
        } | {
            _key(t.schema, c.sequence): (
                c.type.catalog, 1, 1, 1, int_bounds(c.type.catalog)[1], 1, False, None
            )
            for t in schema.tables
            for c in t.columns
            if c.sequence is not None
        }  # fmt: skip
    return catalog


def catalog_sequences(conn: psycopg.Connection[Any]) -> dict[str, tuple[Any, ...]]:
    """Every sequence but identity columns': its type, options and comment."""
    rows = conn.execute(
        "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart,"
        " s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
        " obj_description(c.oid, 'pg_class')"
        " FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')"
    ).fetchall()
    return {_key(None if r[0] == "public" else r[0], r[1]): tuple(r[2:]) for r in rows}


def catalog_indexes(conn: psycopg.Connection[Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """The indexes that are not a constraint's, read from pg_index: unique, method,
    each key column (name, expression, non-default operator class, descending),
    NULLS NOT DISTINCT."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for oid, tns, tbl, name, unique, method, nnd, nkeys in conn.execute(
        "SELECT i.indexrelid, tn.nspname, t.relname, ic.relname, i.indisunique, am.amname,"
        " i.indnullsnotdistinct, i.indnkeyatts"
        " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
        " JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace"
        " JOIN pg_am am ON am.oid = ic.relam"
        " WHERE tn.nspname NOT IN ('pg_catalog', 'information_schema') AND tn.nspname !~ '^pg_'"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
        " AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))"
    ):
        columns = []
        for k in range(nkeys):
            attname, expr, opclass, opdefault, desc = conn.execute(
                "SELECT a.attname, CASE WHEN i.indkey[%s] = 0"
                " THEN pg_get_indexdef(i.indexrelid, %s + 1, true) END,"
                " oc.opcname, oc.opcdefault, (i.indoption[%s] & 1) = 1"
                " FROM pg_index i JOIN pg_opclass oc ON oc.oid = i.indclass[%s]"
                " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[%s]"
                " WHERE i.indexrelid = %s",
                (k, k, k, k, k, oid),
            ).fetchone()  # type: ignore[misc]
            columns.append(
                (
                    attname or "",
                    _without_casts(expr) if expr is not None else None,
                    None if opdefault else opclass,
                    desc,
                )
            )
        key = _key(None if tns == "public" else tns, tbl)
        out[(key, name)] = (unique, method, tuple(columns), nnd)
    return out


def catalog_exclusions(conn: psycopg.Connection[Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Each EXCLUDE constraint: method, (column, operator) pairs, has a predicate."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for ns, table, name, definition in conn.execute(
        "SELECT n.nspname, t.relname, c.conname, pg_get_constraintdef(c.oid)"
        " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
        " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'x'"
    ):
        m = re.fullmatch(r"EXCLUDE USING (\w+) \((.*?)\)( WHERE .*)?", definition)
        assert m is not None, definition
        elements = tuple(
            (col.strip('"'), op) for col, op in re.findall(r"(\S+) WITH (\S+?)(?:,|$)", m.group(2))
        )
        out[(_key(None if ns == "public" else ns, table), name)] = (
            m.group(1),
            elements,
            m.group(3) is not None,
        )
    return out


def catalog_domains(conn: psycopg.Connection[Any]) -> dict[str, tuple[Any, ...]]:
    """Each domain: base type, NOT NULL, has a default, its checks, its comment."""
    out: dict[str, tuple[Any, ...]] = {}
    for oid, ns, name, base, notnull, default, comment in conn.execute(
        "SELECT t.oid, n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod),"
        " t.typnotnull, t.typdefault, obj_description(t.oid, 'pg_type')"
        " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        " WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
    ):
        checks = {
            cname: _without_casts(re.sub(r"^CHECK \((.*)\)$", r"\1", cdef))
            for cname, cdef in conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contypid = %s",
                (oid,),
            )
        }
        key = _key(None if ns == "public" else ns, name)
        out[key] = (base, notnull, default is not None, checks, comment)
    return out


def _without_casts(sql: str) -> str:
    """An expression as sqlglot prints it without casts and parentheses, which
    PostgreSQL adds when it prints one back (``lower((name)::text)``); applied to
    both sides of a comparison."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="postgres")
    while True:
        node = next(tree.find_all(exp.Cast, exp.Paren), None)
        if node is None:
            return str(tree.sql("postgres"))
        if node is tree:
            tree = node.this
        else:
            node.replace(node.this)


def _key(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def owned_sequences(conn: psycopg.Connection[Any]) -> set[tuple[str, str, str, str]]:
    """(sequence, table, column, type) of every sequence a column owns (OWNED BY)."""
    rows = conn.execute(
        "SELECT sn.nspname, s.relname, tn.nspname, t.relname, a.attname,"
        " format_type(ps.seqtypid, NULL)"
        " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
        " JOIN pg_namespace sn ON sn.oid = s.relnamespace"
        " JOIN pg_sequence ps ON ps.seqrelid = s.oid"
        " JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
        " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
        " AND d.deptype = 'a'"
    ).fetchall()
    public = {"public": None}
    return {
        (_key(public.get(sns, sns), seq), _key(public.get(tns, tns), tbl), col, typ)
        for sns, seq, tns, tbl, col, typ in rows
    }


@pytest.mark.parametrize("name", VALID)
def test_golden_case_on_postgres(name: str, pg_url: str) -> None:
    check_against_model(pg_url, (CASES / name / "schema.yaml").read_bytes())


def test_repository_schema_matches_its_model(pg_url: str) -> None:
    check_against_model(pg_url, (ROOT / "schema.yaml").read_bytes())


# --- the repository's schema against the facts written in issue 2 ------------------------

ID = ("id", "uuid", True)
TS = [
    ("created_at", "timestamp without time zone", True),
    ("updated_at", "timestamp without time zone", True),
]
ISSUE_COLUMNS = {
    "projects": [ID, ("title", "text", True), *TS, ("user_id", "character varying(50)", True)],
    "assets": [
        ID,
        ("project_id", "uuid", True),
        ("title", "text", True),
        ("file_name", "text", True),
        ("file_url", "text", True),
        ("file_type", "character varying(50)", True),
        ("mime_type", "character varying(100)", True),
        ("size", "bigint", True),
        ("content", "text", False),
        ("token_count", "integer", False),
        *TS,
    ],
    "asset_processing_jobs": [
        ID,
        ("asset_id", "uuid", True),
        ("project_id", "uuid", True),
        ("status", "text", True),
        ("error_message", "text", False),
        ("attempts", "integer", True),
        ("last_heart_beat", "timestamp without time zone", True),
        *TS,
    ],
    "prompts": [
        ID,
        ("project_id", "uuid", True),
        ("name", "text", True),
        ("prompt", "text", False),
        ("token_count", "integer", False),
        ("order", "integer", True),
        *TS,
    ],
    "templates": [ID, ("user_id", "character varying(50)", True), ("title", "text", True), *TS],
    "template_prompts": [
        ID,
        ("template_id", "uuid", True),
        ("name", "text", True),
        ("prompt", "text", False),
        ("token_count", "integer", False),
        ("order", "integer", True),
        *TS,
    ],
    "generated_content": [
        ID,
        ("project_id", "uuid", True),
        ("name", "text", True),
        ("result", "text", True),
        ("order", "integer", True),
        *TS,
    ],
    "stripe_customers": [
        ID,
        ("user_id", "character varying(50)", True),
        ("stripe_customer_id", "character varying(100)", True),
        TS[0],
    ],
    "subscriptions": [
        ID,
        ("user_id", "character varying(50)", True),
        ("stripe_subscription_id", "character varying(100)", True),
        TS[0],
    ],
}
# (table, column) -> (referenced table, ON DELETE): every reference in the issue cascades.
ISSUE_REFERENCES = {
    ("assets", "project_id"): "projects",
    ("asset_processing_jobs", "asset_id"): "assets",
    ("asset_processing_jobs", "project_id"): "projects",
    ("prompts", "project_id"): "projects",
    ("template_prompts", "template_id"): "templates",
    ("generated_content", "project_id"): "projects",
}
ISSUE_UNIQUE = {
    ("asset_processing_jobs", "asset_id"),
    ("stripe_customers", "user_id"),
    ("stripe_customers", "stripe_customer_id"),
    ("subscriptions", "stripe_subscription_id"),
}


def test_repository_schema_has_the_nine_tables_of_issue_2(pg_url: str) -> None:
    catalog = check_against_model(pg_url, (ROOT / "schema.yaml").read_bytes())
    assert sorted(catalog) == sorted(ISSUE_COLUMNS)
    for name, columns in ISSUE_COLUMNS.items():
        t = catalog[name]
        assert t.columns == columns, name
        assert t.primary_key == (f"{name}_pkey", ("id",))
        assert t.defaults["id"] == "gen_random_uuid()"
        assert t.defaults["created_at"] == "now()"
        if "updated_at" in dict((c[0], c) for c in columns):
            assert t.defaults["updated_at"] == "now()"
        refs = {
            (cols[0], ref, refcols, deltype, updtype)
            for _, cols, ref, refcols, deltype, updtype in t.foreign_keys
        }
        want = {
            (col, target, ("id",), "c", "a")
            for (table, col), target in ISSUE_REFERENCES.items()
            if table == name
        }
        assert refs == want, name
        assert {cols for _, cols, _ in t.uniques} == {
            (c,) for tbl, c in ISSUE_UNIQUE if tbl == name
        }
    assets = catalog["assets"]
    assert assets.defaults["content"] == "''::text"
    assert assets.defaults["token_count"] == "0"
    assert catalog["asset_processing_jobs"].defaults["attempts"] == "0"
    assert catalog["asset_processing_jobs"].defaults["last_heart_beat"] == "now()"
    for name in ("prompts", "template_prompts"):
        assert catalog[name].defaults["token_count"] == "0"


def test_repository_schema_quotes_order_and_enforces_its_rules(pg_url: str) -> None:
    schema, _, conn = apply(pg_url, (ROOT / "schema.yaml").read_bytes())
    with conn:
        sql = generate((ROOT / "schema.yaml").read_bytes(), "schema.yaml").files["schema.sql"]
        assert '"order" integer NOT NULL' in sql
        project = conn.execute(
            "INSERT INTO projects (title, user_id) VALUES ('p', 'u') RETURNING id"
        ).fetchone()
        assert project is not None
        asset = conn.execute(
            "INSERT INTO assets (project_id, title, file_name, file_url, file_type, mime_type, size)"
            " VALUES (%s, 't', 'f', 'u', 'txt', 'text/plain', 1) RETURNING id, content, token_count",
            (project[0],),
        ).fetchone()
        assert asset is not None and asset[1:] == ("", 0)
        conn.execute(
            "INSERT INTO asset_processing_jobs (asset_id, project_id, status) VALUES (%s, %s, 'new')",
            (asset[0], project[0]),
        )
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(
                "INSERT INTO asset_processing_jobs (asset_id, project_id, status)"
                " VALUES (%s, %s, 'again')",
                (asset[0], project[0]),
            )
        conn.execute(
            "INSERT INTO prompts (project_id, name, \"order\") VALUES (%s, 'n', 1)", (project[0],)
        )
        conn.execute("DELETE FROM projects WHERE id = %s", (project[0],))
        for table in ("assets", "asset_processing_jobs", "prompts"):
            (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # type: ignore[misc]
            assert count == 0, f"{table} rows were not cascaded"


def test_public_schema_spelled_or_not_names_one_table(pg_url: str) -> None:
    """`public.users` and `users` are one table: references in either spelling reach
    it, and PostgreSQL's catalog has one users table with both foreign keys to it."""
    spec = (
        b"version: 1\ntables:\n"
        b"  public.users:\n    columns:\n      id: {type: uuid, primary_key: true}\n"
        b"  posts:\n    columns:\n      id: {type: uuid, primary_key: true}\n"
        b"      author_id: {type: uuid, references: users.id}\n"
        b"      editor_id: {type: uuid, nullable: true, references: public.users.id}\n"
        b"      reviewer_id: {type: uuid, nullable: true}\n"
        b"    foreign_keys:\n      - {columns: [reviewer_id], to: public.users(id)}\n"
    )
    _, catalog, conn = apply(pg_url, spec)
    with conn:
        assert sorted(catalog) == ["posts", "users"]
        refs = sorted((cols, ref) for _, cols, ref, *_ in catalog["posts"].foreign_keys)
        assert refs == [
            (("author_id",), "users"),
            (("editor_id",), "users"),
            (("reviewer_id",), "users"),
        ]
