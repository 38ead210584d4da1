"""The shared catalog reader (generator/catalog.py) on a real PostgreSQL database."""

from __future__ import annotations

import psycopg
import pytest

from generator.catalog import Catalog, compare, read_catalog

pytestmark = pytest.mark.postgres

DDL = """
CREATE EXTENSION citext;
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE TYPE shop.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE shop.customer (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    name text COLLATE "C" DEFAULT 'it''s' CHECK (length(name) > 0),
    mood shop.mood[],
    total numeric(10, 2) GENERATED ALWAYS AS (1.5) STORED
);
COMMENT ON TABLE shop.customer IS 'who buys';
COMMENT ON COLUMN shop.customer.email IS 'line one
line two';
CREATE TABLE shop.orders (
    id serial PRIMARY KEY,
    customer_email citext REFERENCES shop.customer (email) ON DELETE CASCADE ON UPDATE SET NULL,
    placed timestamptz DEFAULT now()
);
CREATE INDEX orders_recent ON shop.orders (placed DESC NULLS LAST, lower(customer_email::text))
    INCLUDE (id) WHERE placed IS NOT NULL;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch('a', 'b');
CREATE VIEW shop.v AS SELECT id FROM shop.orders;
CREATE DOMAIN shop.positive AS integer CHECK (VALUE > 0);
CREATE SEQUENCE shop.loose;
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON shop.orders USING (true);
CREATE TABLE shop.events (at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE shop.events_2024 PARTITION OF shop.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
"""


def _read(url: str, schemas: list[str] | None = None) -> Catalog:
    with psycopg.connect(url, autocommit=True) as conn:
        return read_catalog(conn, schemas)


def _load(url: str, ddl: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(ddl)


def test_reads_every_kind_of_object(pg_url: str) -> None:
    _load(pg_url, DDL)
    cat = _read(pg_url)
    assert cat.namespaces == ("public", "shop")
    assert [e.name for e in cat.extensions] == ["citext"]
    assert cat.enums[0].labels == ("sad", "ok", "happy")
    assert [t.name for t in cat.tables] == ["customer", "events", "events_2024", "orders"]
    customer = cat.table("shop.customer")
    assert customer.comment == "who buys"
    cols = {c.name: c for c in customer.columns}
    assert cols["id"].identity == "always" and cols["id"].not_null
    assert cols["email"].comment == "line one\nline two" and cols["email"].type == "citext"
    assert cols["name"].default == "'it''s'::text" and cols["name"].collation == "C"
    assert cols["mood"].type == "shop.mood[]" and cols["mood"].type_kind == "e"
    assert cols["total"].generated == "1.5" and cols["total"].default is None
    kinds = {c.kind: c for c in customer.constraints}
    assert kinds["check"].expression == "length(name) > 0"
    assert kinds["unique"].columns == ("email",)
    orders = cat.table("shop.orders")
    fk = next(c for c in orders.constraints if c.kind == "foreign key")
    assert (fk.ref_schema, fk.ref_table, fk.ref_columns) == ("shop", "customer", ("email",))
    assert (fk.on_delete, fk.on_update) == ("cascade", "set null")
    idx = next(i for i in orders.indexes if i.name == "orders_recent")
    assert [c.expression for c in idx.columns] == ["placed", "lower(customer_email::text)"]
    assert [c.is_column for c in idx.columns] == [True, False]
    assert idx.columns[0].descending and not idx.columns[0].nulls_first
    assert idx.include == ("id",) and idx.predicate == "placed IS NOT NULL"
    pkey = next(i for i in orders.indexes if i.name == "orders_pkey")
    assert pkey.constraint == "orders_pkey"
    assert orders.triggers[0].arguments == ("a", "b") and orders.row_security
    assert cat.table("shop.events").kind == "partitioned table"
    part = cat.table("shop.events_2024")
    assert part.kind == "partition" and part.partition_of == "shop.events"
    others = {(o.kind, o.name): o for o in cat.others}
    assert others[("sequence", "orders_id_seq")].owned_by == "shop.orders.id"
    assert others[("sequence", "loose")].owned_by is None
    assert ("identity sequence", "customer_id_seq") in others
    for key in [
        ("view", "v"),
        ("domain", "positive"),
        ("function", "touch()"),
        ("policy", "orders.mine"),
    ]:
        assert key in others
    # the extension's own functions and types are not listed
    assert not any("citext" in o.name for o in cat.others)
    assert _read(pg_url, ["public"]).tables == ()


def test_compare_ignores_column_order_and_names_differences(pg_url: str, pg_server: str) -> None:
    from pg import fresh_database

    _load(pg_url, "CREATE TABLE t (a int PRIMARY KEY, b text); CREATE INDEX ON t (b);")
    with fresh_database(pg_server) as other:
        _load(other, "CREATE TABLE t (b text, a int PRIMARY KEY); CREATE INDEX ON t (b);")
        assert compare(_read(pg_url), _read(other)) == []
        _load(other, "ALTER TABLE t ALTER b TYPE varchar(5); CREATE VIEW w AS SELECT 1;")
        lines = compare(_read(pg_url), _read(other))
    assert "tables[table public.t].columns[b].type: 'text' != 'character varying(5)'" in lines
    assert "others: only in the second: view public.w" in lines


def test_same_database_reads_the_same(pg_url: str) -> None:
    _load(pg_url, DDL)
    assert _read(pg_url) == _read(pg_url)


def test_reads_nulls_not_distinct_uniques_domain_arrays_and_expression_classes(
    pg_url: str,
) -> None:
    """Issue 12: what pull and drift need of a UNIQUE NULLS NOT DISTINCT constraint,
    a column of an array of a domain, and an operator class on an index expression."""
    _load(
        pg_url,
        "CREATE DOMAIN year AS integer CHECK (VALUE > 1900);\n"
        "CREATE TABLE m (id int PRIMARY KEY, a int, b text, ys year[],\n"
        "  CONSTRAINT m_a_b_key UNIQUE NULLS NOT DISTINCT (a, b), CONSTRAINT m_b_key UNIQUE (b));\n"
        "CREATE INDEX m_lower_idx ON m ((lower(b)) text_pattern_ops);\n",
    )
    m = _read(pg_url).table("public.m")
    by_name = {i.name: i for i in m.indexes}
    assert by_name["m_a_b_key"].constraint == "m_a_b_key"
    assert by_name["m_a_b_key"].nulls_not_distinct and not by_name["m_b_key"].nulls_not_distinct
    ys = next(c for c in m.columns if c.name == "ys")
    assert (ys.type, ys.type_kind, ys.type_name, ys.domain_type) == (
        "year[]",
        "d",
        "year",
        "integer",
    )
    (col,) = by_name["m_lower_idx"].columns
    assert (col.expression, col.is_column, col.opclass) == (
        "lower(b)",
        False,
        "pg_catalog.text_pattern_ops",
    )
