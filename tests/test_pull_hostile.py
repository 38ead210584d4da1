"""Hostile catalogs (issue 11): every object either round-trips exactly or is
named in a note; never a traceback, never a wrong spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from roundtrip import model_of, round_trip
from test_pull_realistic import _explains

pytestmark = pytest.mark.postgres

LONG = "t" * 63  # the longest name PostgreSQL keeps
HOSTILE = f"""
CREATE SCHEMA "Sales";
CREATE TYPE "Sales".mood AS ENUM ('it''s', 'back\\slash', 'new
line', 'ünï');
CREATE TYPE "Mood Ring" AS ENUM ('a');
CREATE TABLE "order" (
    "select" integer PRIMARY KEY,
    "CamelCase" text DEFAULT 'it''s a \\ back and "quote"',
    "group" "Sales".mood DEFAULT 'it''s',
    note text DEFAULT E'tab\\there'
);
COMMENT ON TABLE "order" IS 'line one
line two, with ''quotes'' and \\ backslash';
COMMENT ON COLUMN "order"."CamelCase" IS '  leading spaces';
CREATE TABLE "Sales"."Customer" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code varchar(10) NOT NULL UNIQUE,
    total numeric(12, 2) GENERATED ALWAYS AS (0.5 * 2) STORED
);
CREATE TABLE "Sales".invoice (
    id bigint PRIMARY KEY,
    customer_code varchar(10) NOT NULL REFERENCES "Sales"."Customer" (code) ON DELETE CASCADE
);
CREATE TABLE odd (id integer PRIMARY KEY, note text CHECK (note <> E'a\nb'));
CREATE TABLE refers_to_odd (id integer PRIMARY KEY, odd_id integer REFERENCES odd);
CREATE TABLE shapes (
    id integer PRIMARY KEY,
    x integer,
    name text COLLATE "C",
    code text,
    EXCLUDE USING btree (x WITH =),
    CONSTRAINT shapes_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE shapes ADD CONSTRAINT shapes_x_positive CHECK (x > 0) NOT VALID;
CREATE INDEX shapes_lower_name ON shapes (lower(name));
CREATE INDEX shapes_name_pattern ON shapes (name text_pattern_ops);
CREATE INDEX shapes_x_nulls ON shapes (x NULLS FIRST);
CREATE UNIQUE INDEX shapes_x_unique ON shapes (x) INCLUDE (name) WHERE x > 10;
CREATE INDEX shapes_name_hash ON shapes USING hash (name);
CREATE SEQUENCE "Sales"."Odd Seq";
CREATE TABLE "Sales".numbered (id integer PRIMARY KEY DEFAULT nextval('"Sales"."Odd Seq"'));
ALTER SEQUENCE "Sales"."Odd Seq" OWNED BY "Sales".numbered.id;
CREATE SEQUENCE shared_seq;
CREATE TABLE takes_shared (id bigint PRIMARY KEY DEFAULT nextval('shared_seq'));
CREATE TABLE counted (id integer GENERATED ALWAYS AS IDENTITY (START WITH 100) PRIMARY KEY);
CREATE TABLE "my table" (id integer PRIMARY KEY);
CREATE TABLE "quote""d" (id integer PRIMARY KEY);
CREATE TABLE café (id integer PRIMARY KEY);
CREATE TABLE spaced (id integer PRIMARY KEY, "first name" text);
CREATE TABLE ringed (id integer PRIMARY KEY, mood "Mood Ring");
CREATE TABLE {LONG} (
    id integer PRIMARY KEY,
    {LONG[:-1]}x integer CHECK ({LONG[:-1]}x > 0),
    parent integer REFERENCES {LONG} (id)
);
CREATE INDEX ON {LONG} ({LONG[:-1]}x);
CREATE TABLE keyless (a integer, b text);
CREATE TABLE measurements (at date NOT NULL, v real) PARTITION BY RANGE (at);
CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE refers_to_gone (id integer PRIMARY KEY, k integer REFERENCES "my table");
"""


@pytest.fixture(scope="module")
def conn(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as c:
        yield c


def test_hostile_catalog_round_trips_or_is_reported(conn: psycopg.Connection[Any]) -> None:
    trip = round_trip(conn, HOSTILE)
    notes = {(n.action, n.kind, n.name) for n in trip.pulled.notes}
    left_out = {name for action, _, name in notes if action == "left out"}
    # names the spec cannot hold (not plain identifiers) are left out, by name
    for name in (
        "public.my table",
        'public.quote"d',
        "public.café",
        "public.spaced",
        "public.Mood Ring",
        "public.ringed",
        "public.keyless",
        "public.measurements",
        "public.measurements_2024",
    ):
        assert name in left_out, name
    # a foreign key to a table that was left out is reported, not silently dropped
    assert ("left out", "foreign key", "public.refers_to_gone.refers_to_gone_k_fkey") in notes
    # everything else is in the spec, exactly: reserved words, capitals, a second
    # schema with capitals, a FK to a unique (not primary) column, 63-byte names
    schema = trip.pulled.schema
    keys = {t.key for t in schema.tables}
    assert keys == {
        "order",
        "Sales.Customer",
        "Sales.invoice",
        LONG,
        "refers_to_gone",
        "counted",
        "refers_to_odd",
        "shapes",
        "Sales.numbered",
        "takes_shared",
    }
    # a serial-like column with a quoted, qualified sequence is an identity (the
    # spec cannot name that sequence); a default from a sequence the table does not
    # own is a sequences: entry, drawn from (issue 12)
    assert schema.table("Sales.numbered").column("id").identity == "by default"
    assert schema.table("takes_shared").column("id").shared_sequence == "shared_seq"
    assert [q.key for q in schema.sequences] == ["shared_seq"]
    assert not [n for n in notes if "takes_shared" in n[2] or "shared_seq" in n[2]]
    # a check the spec cannot hold as PostgreSQL prints it (a line break inside a
    # string): its table is left out with the resolver's reason, and so is the
    # foreign key that points at it
    assert ("left out", "table", "public.odd") in notes
    assert ("left out", "foreign key", "public.refers_to_odd.refers_to_odd_odd_id_fkey") in notes
    assert ("changed", "column", "public.counted.id") in notes  # START WITH 100 is noted
    # indexes and constraints the spec cannot hold are named; the rest are kept
    assert ("left out", "index", "public.shapes.shapes_x_nulls") in notes  # NULLS FIRST
    assert [x.name for x in schema.table("shapes").exclusions] == ["shapes_x_excl"]
    for kind, name in [
        ("column", "public.shapes.name"),  # COLLATE "C"
        ("constraint", "public.shapes.shapes_code_key"),  # DEFERRABLE
        ("constraint", "public.shapes.shapes_x_positive"),  # NOT VALID
    ]:
        assert ("changed", kind, name) in notes, name
    kept = {i.name for i in schema.table("shapes").indexes}
    assert kept == {  # an expression index and an operator class are kept now
        "shapes_x_unique",
        "shapes_name_hash",
        "shapes_lower_name",
        "shapes_name_pattern",
    }
    unexplained = [
        line
        for line in trip.differences()
        if not any(_explains(n, line) for n in trip.pulled.notes)
    ]
    assert unexplained == [], "\n".join(unexplained)
    order = schema.table("order")
    assert order.description == "line one\nline two, with 'quotes' and \\ backslash"
    assert order.column("CamelCase").description == "  leading spaces"
    assert schema.enum("Sales.mood").labels == ("it's", "back\\slash", "new\nline", "ünï")
    fk = schema.table("Sales.invoice").foreign_keys[0]
    assert (fk.ref_table, fk.ref_columns, fk.on_delete) == ("Sales.Customer", ("code",), "cascade")
    # PostgreSQL's own 63-byte truncated names are not what schemagen derives:
    # reported by name for keys, written out for checks and indexes
    long_notes = {name for _, kind, name in notes if name.startswith(f"public.{LONG}.")}
    assert long_notes  # the primary key and foreign key names
    assert all(
        kind in ("primary key", "foreign key")
        for _, kind, name in notes
        if name.startswith(f"public.{LONG}.")
    )
    # the pulled spec resolves on its own (it is what `schemagen validate` reads)
    assert model_of(trip.pulled.text.encode()).tables


def test_empty_database_and_schema_filter(conn: psycopg.Connection[Any]) -> None:
    from generator.catalog import read_catalog
    from generator.pull import pull

    trip = round_trip(
        conn,
        "CREATE SCHEMA a; CREATE TABLE a.t (id int PRIMARY KEY);"
        "CREATE TABLE u (id int PRIMARY KEY)",
    )
    assert {t.key for t in trip.pulled.schema.tables} == {"a.t", "u"}
    only = pull(read_catalog(conn, ["public"]))
    assert [t.key for t in only.schema.tables] == ["u"]
    empty = round_trip(conn, "SELECT 1")  # an empty database: an empty, valid spec
    assert empty.pulled.text.endswith("version: 1\ntables: {}\n") and not empty.pulled.notes


def test_a_function_a_table_needs_is_named_with_the_table(conn: psycopg.Connection[Any]) -> None:
    from roundtrip import load

    from generator.pull import pull

    cat = load(
        conn,
        'CREATE SCHEMA "Sales";'
        "CREATE FUNCTION \"Sales\".next_code() RETURNS text LANGUAGE sql AS $$SELECT 'x'$$;"
        'CREATE TABLE coded (id int PRIMARY KEY, code text DEFAULT "Sales".next_code());',
    )
    pulled = pull(cat)
    (note,) = [n for n in pulled.notes if n.kind == "function"]
    assert note.name == "Sales.next_code()"
    assert note.detail.startswith("used by public.coded: create it before applying")
    assert pulled.schema.table("coded").column("code").default is not None


PYTHON_CLASHES = """
CREATE TABLE users (id integer PRIMARY KEY);
CREATE TABLE "user" (id integer PRIMARY KEY);
CREATE TABLE text (id integer PRIMARY KEY);
CREATE TABLE posts (
    id integer PRIMARY KEY,
    author text,
    author_id integer REFERENCES users,
    editor_id integer REFERENCES users,
    text_id integer REFERENCES text
);
CREATE TABLE tags (id integer PRIMARY KEY, posts text);
CREATE TABLE post_tags (
    post_id integer REFERENCES posts,
    tag_id integer REFERENCES tags,
    PRIMARY KEY (post_id, tag_id)
);
"""


def test_python_name_clashes_get_explicit_names(conn: psycopg.Connection[Any]) -> None:
    """Names generate would refuse (two tables, one class; a relationship named
    like a column; a class named like an import) are given explicit ones, and
    the database still round-trips exactly."""
    trip = round_trip(conn, PYTHON_CLASHES)
    assert trip.differences() == []
    assert trip.pulled.notes == ()
    schema = trip.pulled.schema
    classes = [t.class_name for t in schema.tables]
    assert len(set(classes)) == len(classes)
    posts = schema.table("posts")
    columns = {c.name for c in posts.columns}
    assert not columns & {r.name for r in posts.relations}
    users = {r.name for r in schema.table("users").relations}
    assert len(users) == 2  # two references from posts, two distinct collections
