"""Our copy of PostgreSQL's quoting rules agrees with the server's quote_ident()."""

from __future__ import annotations

import psycopg

from generator.pgkeywords import QUOTED_KEYWORDS
from generator.types import ColumnType

NAMES = ["status", "order", "user", "between", "int", "name", "json", "Mixed", "a b", "_x", "x1"]


def test_enum_type_names_print_as_format_type_does(pg_server: str) -> None:
    with psycopg.connect(pg_server) as conn:
        server_keywords = {
            row[0]
            for row in conn.execute("SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'")
        }
        assert server_keywords == QUOTED_KEYWORDS, "generator/pgkeywords.py is for PostgreSQL 15"
        for name in NAMES + sorted(QUOTED_KEYWORDS):
            row = conn.execute("SELECT quote_ident(%s)", (name,)).fetchone()
            assert row is not None
            assert ColumnType("enum", enum=name).catalog == row[0], name
