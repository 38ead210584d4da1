"""Find or start a PostgreSQL server for the tests (the code lives in generator/catalog/server.py).

Each test that asks for a database gets a fresh one, dropped afterwards.
"""

from __future__ import annotations

from generator.catalog.server import Throwaway, find_server, fresh_database, with_dbname

__all__ = ["Throwaway", "find_server", "fresh_database", "with_dbname"]
