"""Pull of sequences written as plain SQL (issue 12): shared sequences become
``sequences:`` entries with their non-default options, columns drawing from them
``default: {sequence: name}``; the database built from the pulled spec has the
same catalog (options, defaults, ownership, comments)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from roundtrip import round_trip

from generator.pipeline import generate

pytestmark = pytest.mark.postgres

SQL = """
CREATE SCHEMA billing;
CREATE SEQUENCE order_numbers START 1000;
COMMENT ON SEQUENCE order_numbers IS 'Orders and invoices share it.';
CREATE SEQUENCE ticket_numbers AS integer INCREMENT -1 CACHE 20 CYCLE;
CREATE SEQUENCE loose;
CREATE SEQUENCE billing.ledger_ids MINVALUE 100 MAXVALUE 999999999 START 500;
CREATE TABLE orders (
    id bigint PRIMARY KEY DEFAULT nextval('order_numbers'),
    ticket integer NOT NULL DEFAULT nextval('ticket_numbers')
);
CREATE TABLE invoices (id bigint PRIMARY KEY DEFAULT nextval('order_numbers'));
ALTER SEQUENCE ticket_numbers OWNED BY orders.ticket;
CREATE TABLE billing.ledger (id integer PRIMARY KEY DEFAULT nextval('billing.ledger_ids'));
-- owned, but not what serial makes (it starts at 5): an entry, not type: serial
CREATE SEQUENCE legacy_id_seq AS integer START 5;
CREATE TABLE legacy (id integer PRIMARY KEY DEFAULT nextval('legacy_id_seq'));
ALTER SEQUENCE legacy_id_seq OWNED BY legacy.id;
-- a serial stays serial
CREATE TABLE plain (id serial PRIMARY KEY);
"""


@pytest.fixture(scope="module")
def conn(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as c:
        yield c


def test_pull_writes_sequences_and_the_round_trip_is_exact(
    conn: psycopg.Connection[Any],
) -> None:
    trip = round_trip(conn, SQL)
    assert trip.pulled.notes == ()
    text = trip.pulled.text
    for line in (
        "sequences:\n",
        "  order_numbers: {start: 1000, description: Orders and invoices share it.}\n",
        "  ticket_numbers: {type: integer, increment: -1, cache: 20, cycle: true, "
        "owned_by: orders.ticket}\n",
        "  loose: {}\n",
        "  billing.ledger_ids: {min: 100, max: 999999999, start: 500}\n",
        "  legacy_id_seq: {type: integer, start: 5, owned_by: legacy.id}\n",
        "id: {type: bigint, primary_key: true, default: {sequence: order_numbers}}",
        "ticket: {type: integer, default: {sequence: ticket_numbers}}",
        "id: {type: integer, primary_key: true, default: {sequence: billing.ledger_ids}}",
        "id: {type: serial, primary_key: true}",
    ):
        assert line in text, (line, text)
    assert trip.differences() == []


def test_a_column_too_narrow_for_its_sequence_is_left_out_with_a_note(
    conn: psycopg.Connection[Any],
) -> None:
    """The spec refuses an integer column on a full bigint sequence; pull says so."""
    trip = round_trip(
        conn,
        "CREATE SEQUENCE wide; CREATE TABLE t (id bigint PRIMARY KEY,"
        " n integer NOT NULL DEFAULT nextval('wide'));",
    )
    notes = {(n.action, n.kind, n.name) for n in trip.pulled.notes}
    assert ("left out", "table", "public.t") in notes
    assert "  wide: {}\n" in trip.pulled.text


def test_drift_compares_sequences(pg_url: str) -> None:
    """diff --from-db: a database built from the spec has no differences; a changed
    option, a lost owner and a changed comment are planned back."""
    root = Path(__file__).resolve().parent.parent
    spec = root / "tests/cases/shared_sequences/schema.yaml"

    def drift() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", "diff", "--from-db", pg_url, "--to", str(spec)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
            check=False,
        )

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(generate(spec.read_bytes(), "schema.yaml").files["schema.sql"].encode())
        same = drift()
        assert same.returncode == 0, same.stdout + same.stderr
        conn.execute(
            "ALTER SEQUENCE document_numbers INCREMENT 2;"
            "ALTER SEQUENCE ticket_numbers OWNED BY NONE;"
            "COMMENT ON SEQUENCE document_numbers IS 'changed'"
        )
        changed = drift()
        assert changed.returncode == 1, changed.stderr
        for line in (
            'ALTER SEQUENCE "document_numbers" INCREMENT BY 1;',
            'ALTER SEQUENCE "ticket_numbers" OWNED BY "ticket"."number";',
            'COMMENT ON SEQUENCE "document_numbers" IS \'Numbers of orders and invoices;',
        ):
            assert line in changed.stdout, changed.stdout
