"""Databases in the shape of real ones (issue 11): a music store and a DVD rental
shop written as plain SQL (tests/sql/).  Pull reproduces every object the spec
can hold (the database built from the pulled spec differs from the original
only in objects the notes name) and names every object it cannot hold."""

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

from generator.pull import Note

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
SQL = ROOT / "tests" / "sql"

# Serial keys, the view, the triggers and their functions, the domain, RLS and
# its policy, the tsvector table: pulled, so not here.  What is left is what the
# spec cannot hold (or cannot hold as read), each for the reason in its comment.
EXPECTED: dict[str, set[tuple[str, str, str]]] = {
    "music_store.sql": {
        ("changed", "unique", "public.album.album_title_artist"),  # a name the spec cannot write
        ("left out", "table", "public.audit_log"),  # no primary key
    },
    "dvd_rental.sql": {
        # its sequence was created apart, as bigint: not what serial makes, so an identity
        ("changed", "column", "public.actor.actor_id"),
        ("changed", "constraint", "rental.store.store_manager_fk"),  # DEFERRABLE
        ("changed", "foreign key", "rental.store.store_manager_fk"),  # its name
        ("left out", "partition", "public.payment_2024"),
        ("left out", "partitioned table", "public.payment"),
    },
}
# pulled now, once listed: each must be in the pulled spec
PULLED = {
    "music_store.sql": (
        "ArtistId: {type: serial, primary_key: true}",
        "unit_price: positive_money",
        "domains:\n  positive_money:",
        "functions:\n  set_invoice_total:",
        "invoice_line_total: {function: set_invoice_total, timing: after, events: [insert, update]}",
        "- {columns: [lower(name)], name: track_name_lower}",
        "views:\n  album_sales:",
    ),
    "dvd_rental.sql": (
        "category_id: {type: serial, primary_key: true}",
        "release_year: {type: year, nullable: true}",
        "  year: {type: integer, checks:",
        "row_level_security: true",
        "  rental_by_category:\n    materialized: true",  # count(*) in its select list
        'policies: {customer_own_store: {using: "store_id = 1"}}',
        "triggers: {last_updated: {function: last_updated, timing: before, events: [update]}}",
        "views:\n  rental_by_category:",
        "  film_list:\n    query:",
        "  film_search:",
    ),
}


@pytest.fixture(scope="module")
def conn(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as c:
        yield c


def _explains(note: Note, line: str) -> bool:
    """Does this note account for this difference between the two catalogs?"""
    parts = note.name.split(".")
    if note.kind in (
        "column",
        "primary key",
        "unique",
        "foreign key",
        "constraint",
        "exclusion constraint",
        "index",
        "trigger",
    ):
        schema, table, thing = parts[0], parts[1], ".".join(parts[2:])
        names = {thing}
        if "schemagen names it " in note.detail:
            names.add(note.detail.rsplit("schemagen names it ", 1)[1])
        if note.kind == "column" and "serial (sequence " in note.detail:
            seq = note.detail.split("serial (sequence ", 1)[1].split(")")[0]
            if line.endswith(f"sequence {seq}"):  # and the identity sequence that replaces it
                return True
            if line.endswith(f"identity sequence {schema}.{table}_{thing}_seq"):
                return True
        if "identity options" in note.detail and f"identity sequence {schema}.{table}_" in line:
            return True
        if f"table {schema}.{table}]" not in line:
            return False
        return any(f"[{n}]" in line or line.endswith(f": {n}") for n in names)
    if note.kind == "table" and len(parts) == 2:
        if "row level security" in note.detail:
            return f"[table {note.name}].row_security" in line
        return line.endswith(f"table {note.name}")
    if note.kind == "enum":  # enums are listed by name alone
        return line.endswith(f"enums: only in the first: {note.name}")
    return line.endswith(f"{note.kind} {note.name}") or f"{note.kind} {note.name}]" in line


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pull_reproduces_what_the_spec_holds_and_names_the_rest(
    conn: psycopg.Connection[Any], name: str
) -> None:
    trip = round_trip(conn, (SQL / name).read_text())
    notes = trip.pulled.notes
    assert {(n.action, n.kind, n.name) for n in notes} == EXPECTED[name]
    for text in PULLED[name]:
        assert text in trip.pulled.text, text
    unexplained = [
        line for line in trip.differences() if not any(_explains(n, line) for n in notes)
    ]
    assert unexplained == [], "\n".join(unexplained)
    for note in notes:  # each one in the comment block at the top of the spec
        assert f"#   {note.line()}" in trip.pulled.text


def test_from_sql_on_the_command_line(pg_server: str, tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    env = {**os.environ, "DATABASE_URL": pg_server, "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", "pull", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    proc = run("--from-sql", str(SQL / "music_store.sql"), "--out", str(out))
    assert proc.returncode == 5, proc.stderr
    for _, kind, name in EXPECTED["music_store.sql"]:
        assert f"{kind} {name}:" in proc.stderr
    assert "Traceback" not in proc.stderr
    text = out.read_text()
    assert text.startswith("# yaml-language-server")
    validate = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert validate.returncode == 0, validate.stderr
    # the same database, the same bytes; to stdout without --out
    again = run("--from-sql", str(SQL / "music_store.sql"))
    assert again.returncode == 5 and again.stdout == text
    # --strict: an error, and nothing written
    out.unlink()
    strict = run("--from-sql", str(SQL / "music_store.sql"), "--out", str(out), "--strict")
    assert strict.returncode == 2 and not out.exists()
    assert "error[incomplete]" in strict.stderr
    # an output that cannot be written: one line, nothing half-written
    nowhere = run("--from-sql", str(SQL / "music_store.sql"), "--out", str(tmp_path / "no" / "x"))
    assert nowhere.returncode == 3 and "error[output]: cannot write" in nowhere.stderr
    assert not (tmp_path / "no").exists()
    # no server to load it into: exit 2, one line (and no password echoed)
    env_before = dict(env)
    env["DATABASE_URL"] = "postgresql://postgres:secret@127.0.0.1:1/x"
    refused = run("--from-sql", str(SQL / "music_store.sql"))
    env.clear()
    env.update(env_before)
    assert refused.returncode == 2 and refused.stderr.startswith("error[database]: cannot create")
    assert "secret" not in refused.stderr and len(refused.stderr.splitlines()) == 1
    # a broken SQL file: exit 2, the server's message, no traceback
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE t (id integer PRIMARY KEY;\n")
    broken = run("--from-sql", str(bad))
    assert broken.returncode == 2 and "syntax error" in broken.stderr
    assert "Traceback" not in broken.stderr
