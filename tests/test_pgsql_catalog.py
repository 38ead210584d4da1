"""generator/pgsql/pg15.catalog is PostgreSQL 15's own catalog, and stays so.

The committed data is regenerated from the live server (a fresh database with
the dumped extensions created) and must be byte-identical, so it cannot drift
from what the server says; and it loads fast enough to be read on the first
expression of a run.
"""

from __future__ import annotations

import time

import psycopg
import pytest

from generator.pgsql import dumpcatalog
from generator.pgsql.catalog import DATA, EXTENSIONS, Catalog, load


@pytest.mark.postgres
def test_the_committed_catalog_is_the_servers(pg_server: str) -> None:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as conn:
        for ext in EXTENSIONS:
            conn.execute(f'CREATE EXTENSION "{ext}"')
        text = dumpcatalog.dump(conn)
    assert text == DATA.read_text(encoding="utf-8"), (
        "pg15.catalog differs from the server's catalog: "
        "python -m generator.pgsql.dumpcatalog --db <scratch database URL>"
    )


def test_the_catalog_holds_what_expressions_use() -> None:
    catalog = load()
    assert {"int4", "text", "tsvector", "int4range", "anyelement", "unknown"} <= set(catalog.types)
    assert len(catalog.functions("lower")) >= 3
    trgm = catalog.functions("similarity")
    assert trgm and all(f.ext == "pg_trgm" for f in trgm)
    view = catalog.view(frozenset())
    assert view.functions("similarity") == []
    assert view.type("citext") is None and catalog.view(frozenset({"citext"})).type("citext")


def test_loading_is_cheap() -> None:
    text = DATA.read_text(encoding="utf-8")
    best = float("inf")
    for _ in range(5):  # the best of five: a loaded machine pauses any one of them
        start = time.perf_counter()
        Catalog(text)
        best = min(best, time.perf_counter() - start)
    assert best < 0.5  # ~12 ms on the development machine
