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
from generator.pull.drift import shape_only
from generator.pull.normalize import normalize
from generator.pull.unplanned import unplanned

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


# Raw SQL (postgres.before/after) cannot be recovered from a database: pull
# reports what it created as left out, by name, and exactly that.  A spec with
# raw SQL that is not listed here fails the test.
RAW_SQL_OBJECTS: dict[str, set[tuple[str, str, str]]] = {
    "tests/cases/raw_sql/schema.yaml": {("left out", "schema comment", "public")},
}


@pytest.fixture(scope="module")
def conn(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as c:
        yield c


def _check(conn: psycopg.Connection[Any], raw: bytes, raw_sql: set[Any] | None = None) -> None:
    trip = round_trip(conn, schema_sql(raw))
    notes = trip.pulled.notes
    if raw_sql is None:
        assert trip.differences() == [], trip.pulled.text
        # a generated database holds nothing the spec cannot say
        assert notes == (), trip.pulled.text
    else:  # exactly the raw SQL's objects are reported, and they explain every difference
        assert {(n.action, n.kind, n.name) for n in notes} == raw_sql, trip.pulled.text
        for line in trip.differences():
            assert any(_names(n, line) for n in notes), line
    original = structure(model_of(raw))
    assert structure(trip.pulled.schema) == original, trip.pulled.text
    # and the drift check (diff --from-db) sees no difference with its own spec
    target = normalize(conn, trip.pulled.schema, model_of(raw))
    live = trip.pulled.schema
    plan = plan_migration(shape_only(live), shape_only(target), confirm_drops=True)
    assert plan.empty, plan.text()
    assert unplanned(live, target) == []


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_spec_round_trips(conn: psycopg.Connection[Any], path: Path) -> None:
    raw = path.read_bytes()
    model = model_of(raw)
    raw_sql = None
    if model.sql_before is not None or model.sql_after is not None:
        raw_sql = RAW_SQL_OBJECTS[str(path.relative_to(ROOT))]
    _check(conn, raw, raw_sql)


def _names(note: Any, line: str) -> bool:
    """Does a catalog difference line name this note's object?"""
    return line.startswith(note.kind.replace(" ", "_") + "s") and repr(note.name) in line


@settings(FIXED, max_examples=100)
@given(data=spec())
def test_random_specs_round_trip(conn: psycopg.Connection[Any], data: dict[str, Any]) -> None:
    raw = dump(data)
    loaded = load_schema(raw, "schema.yaml")
    assume(not {d.code for d in loaded.diagnostics} & PYTHON_ONLY)
    _check(conn, raw)
