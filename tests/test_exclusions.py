"""Exclusion constraints and range types: what is refused, where, with which
fix (accepted forms: golden case ranges_exclusion, read back from the catalog),
and that PostgreSQL enforces the constraint the spec states."""

from __future__ import annotations

import psycopg
import pytest
from diag import only, where

from generator.pipeline import generate

SPEC = """\
version: 1
{ext}tables:
  bookings:
    columns:
      id: {{type: integer, primary_key: true}}
      room_id: integer
      during: tstzrange
      note: text
    exclude:
      - {{elements: [{elements}]}}
"""


@pytest.mark.parametrize(
    ("ext", "elements", "expected", "message", "hint"),
    [
        (
            "",
            '{column: room_id, with: "="}, {column: during, with: "&&"}',
            ("invalid-exclusion", 10, 30, "tables.bookings.exclude[0].elements[0].column"),
            "a gist exclusion constraint does not apply to integer column 'room_id' "
            "without the btree_gist extension",
            "add it at the top level: postgres: {extensions: [btree_gist]}",
        ),
        (
            "postgres: {extensions: [btree_gist]}\n",
            '{column: during, with: "overlaps"}',
            ("invalid-exclusion", 11, 44, "tables.bookings.exclude[0].elements[0].with"),
            "'overlaps' is not an operator",
            "write an operator such as '=' or '&&' (overlaps)",
        ),
        (
            "postgres: {extensions: [btree_gist]}\n",
            '{column: durin, with: "&&"}',
            ("unknown-column", 11, 30, "tables.bookings.exclude[0].elements[0].column"),
            "table 'bookings' has no column 'durin'",
            "did you mean 'during'?",
        ),
    ],
)
def test_misuse_is_a_positioned_error(
    ext: str, elements: str, expected: tuple[str, int, int, str], message: str, hint: str
) -> None:
    diag = only(SPEC.format(ext=ext, elements=elements))
    assert where(diag) == expected
    assert (diag.message, diag.hint) == (message, hint)


@pytest.mark.postgres
def test_postgresql_refuses_an_overlapping_booking(pg_url: str) -> None:
    spec = SPEC.format(
        ext="postgres: {extensions: [btree_gist]}\n",
        elements='{column: room_id, with: "="}, {column: during, with: "&&"}',
    )
    result = generate(spec.encode(), "schema.yaml")
    assert result.ok, result.diagnostics
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(result.files["schema.sql"].encode())
        insert = "INSERT INTO bookings VALUES (%s, %s, tstzrange(%s, %s), '')"
        conn.execute(insert, (1, 7, "2026-01-01", "2026-01-03"))
        conn.execute(insert, (2, 8, "2026-01-01", "2026-01-03"))  # another room
        conn.execute(insert, (3, 7, "2026-01-03", "2026-01-05"))  # [) ranges touch only
        with pytest.raises(psycopg.errors.ExclusionViolation):
            conn.execute(insert, (4, 7, "2026-01-02", "2026-01-04"))
