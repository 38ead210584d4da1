"""Round trip (issue 11): spec -> database -> pull -> spec -> database gives the same
catalog (names included) and the same database-side model, for schema.yaml,
every valid golden case, every example, and random valid specs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import assume, given, settings
from roundtrip import model_of, round_trip, schema_sql, structure
from test_properties import FIXED, PYTHON_ONLY, dump, spec

from generator.migrate.plan import plan_migration
from generator.pipeline import load_schema
from generator.pull.normalize import normalize

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(
    [ROOT / "schema.yaml", *(ROOT / "examples").glob("*.yaml")]
    + [
        p
        for p in (ROOT / "tests" / "cases").glob("*/schema.yaml")
        if (p.parent / "expected" / "schema.sql").exists()
    ]
)


@pytest.fixture(scope="module")
def conn(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as c:
        yield c


def _check(conn: psycopg.Connection[Any], raw: bytes) -> None:
    trip = round_trip(conn, schema_sql(raw))
    assert trip.differences() == [], trip.pulled.text
    original = structure(model_of(raw))
    assert structure(trip.pulled.schema) == original, trip.pulled.text
    # a generated database holds nothing the spec cannot say
    assert trip.pulled.notes == (), trip.pulled.text
    # and the drift check (diff --from-db) sees no difference with its own spec
    target = normalize(conn, trip.pulled.schema, model_of(raw))
    plan = plan_migration(trip.pulled.schema, target, confirm_drops=True)
    assert plan.empty, plan.text()


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_spec_round_trips(conn: psycopg.Connection[Any], path: Path) -> None:
    _check(conn, path.read_bytes())


@settings(FIXED, max_examples=100)
@given(data=spec())
def test_random_specs_round_trip(conn: psycopg.Connection[Any], data: dict[str, Any]) -> None:
    raw = dump(data)
    loaded = load_schema(raw, "schema.yaml")
    assume(not {d.code for d in loaded.diagnostics} & PYTHON_ONLY)
    _check(conn, raw)
