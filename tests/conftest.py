from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected files of tests/cases/* from the current output",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin URL of a PostgreSQL server; see tests/pg.py for how it is found."""
    from pg import find_server

    try:
        url, cluster = find_server()
    except Exception as exc:  # noqa: BLE001 - reported below, never silently
        message = f"no PostgreSQL available: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield url
    finally:
        if cluster is not None:
            cluster.stop()


@pytest.fixture()
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database for this test, dropped afterwards."""
    from pg import fresh_database

    with fresh_database(pg_server) as url:
        yield url


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """The pinned Node tooling (tests/node/package-lock.json), installed once per run."""
    from nodetools import install

    return install()
