"""The database side of migrations: the history table, the lock, running scripts.

Each applied migration is a row of ``schemagen.migrations`` (number, name,
checksum, applied_at); the timestamp lives only there, never in files.  A
migration in several parts (a label committed first, an index built
CONCURRENTLY) records each committed part (``parts_done``), so a run that
failed halfway resumes at the failed part instead of repeating committed ones.  Apply
and rollback hold a session-level ``pg_advisory_lock`` for their whole run, so
two deploys never interleave: the second waits up to ``lock_timeout`` seconds,
then gives up naming the session that holds it.

psycopg is imported by the caller (``commands.py``) and handed in as an open
connection in autocommit mode; transactions are opened here, exactly where
the script's BEGIN..COMMIT blocks say.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from ..records import Value, record
from .migration import Migration
from .script import ScriptError, Segment, segments

HISTORY = "schemagen.migrations"
# pg_advisory_lock takes a bigint; ours is the first 8 bytes of sha256("schemagen migrations").
LOCK_KEY = int.from_bytes(hashlib.sha256(b"schemagen migrations").digest()[:8], "big", signed=True)

_CREATE = f"""
CREATE SCHEMA IF NOT EXISTS schemagen;
CREATE TABLE IF NOT EXISTS {HISTORY} (
    number integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    parts_done integer  -- NULL: complete; else the parts of up.sql committed so far
)
"""
# Record a migration as complete (parts NULL) or partly applied; one statement for both.
_RECORD = (
    f"INSERT INTO {HISTORY} (number, name, checksum, parts_done) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (number) DO UPDATE SET parts_done = EXCLUDED.parts_done, applied_at = now()"
)


class HistoryError(Exception):
    """The database cannot be migrated as asked; the message says why and what to do."""


@record
class Applied(Value):
    number: int
    name: str
    checksum: str
    applied_at: Any  # datetime, as the database reports it
    parts_done: int | None = None  # None: complete; else partly applied

    @property
    def complete(self) -> bool:
        return self.parts_done is None

    @property
    def dirname(self) -> str:
        return f"{self.number:04d}_{self.name}"


def execute(conn: Any, text: str, params: tuple[Any, ...] = ()) -> Any:
    # bytes: the statement is ours or the migration's own text, never built from input
    return conn.execute(text.encode(), params or None)


def acquire_lock(conn: Any, timeout: float, say: Callable[[str], None]) -> None:
    deadline = time.monotonic() + timeout
    waited = False
    while not execute(conn, "SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
        # pg_locks shows a bigint key as two oids: the high and the low 32 bits.
        holder = execute(
            conn,
            # Advisory locks belong to one database: another database's holder of
            # the same key (another project on the server) is not the one we wait for.
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1",
            ((LOCK_KEY >> 32) & 0xFFFFFFFF, LOCK_KEY & 0xFFFFFFFF),
        ).fetchone()
        who = f"session pid {holder[0]}" if holder else "another session"
        if time.monotonic() >= deadline:
            raise HistoryError(
                f"another migration run holds the migration lock ({who}); gave up after "
                f"{timeout:g}s. Wait for it to finish, or raise --lock-timeout"
            )
        if not waited:
            say(f"waiting for the migration lock ({who} holds it)...")
            waited = True
        time.sleep(0.2)


def ensure_table(conn: Any) -> None:
    with conn.transaction():
        execute(conn, _CREATE)


def applied(conn: Any) -> list[Applied]:
    """The history, oldest first; empty when the table does not exist yet."""
    exists = execute(conn, "SELECT to_regclass(%s) IS NOT NULL", (HISTORY,)).fetchone()[0]
    if not exists:
        return []
    rows = execute(
        conn,
        f"SELECT number, name, checksum, applied_at, parts_done FROM {HISTORY} ORDER BY number",
    ).fetchall()
    return [Applied(*row) for row in rows]


def verify(history: list[Applied], migrations: list[Migration]) -> None:
    """Refuse a database whose applied migrations are not this folder's, byte for byte."""
    by_number = {m.number: m for m in migrations}
    for row in history:
        mine = by_number.get(row.number)
        if mine is None:
            raise HistoryError(
                f"the database has {row.dirname} applied, which this migrations folder does "
                "not have: deploy from a checkout that includes it"
            )
        if mine.name != row.name:
            raise HistoryError(
                f"the database has {row.dirname} applied where this folder has "
                f"{mine.dirname}: the histories diverged (a migration renumbered after it "
                "was deployed?); restore the deployed migration"
            )
        if mine.checksum != row.checksum:
            raise HistoryError(
                f"{mine.dirname} was edited after it was applied to this database (checksum "
                f"{mine.checksum[:12]} here, {row.checksum[:12]} applied): restore the applied "
                "version from version control and put the change in a new migration"
            )


def _parts(migration: Migration, which: str) -> list[Segment]:
    try:
        return segments(migration.up_sql if which == "up" else migration.down_sql)
    except ScriptError as exc:
        raise HistoryError(f"{migration.dirname}/{which}.sql: cannot split it: {exc}") from None


def run_script(
    conn: Any,
    parts: list[Segment],
    label: str,
    after: Callable[[int], tuple[str, tuple[Any, ...]] | None] = lambda _: None,
    start: int = 0,
) -> None:
    """Run segments from ``start`` in order.  ``after(k)`` is a statement of ours that
    records part k: it joins the part's transaction, or runs in its own right after a
    part that stands outside any transaction."""
    import psycopg  # the caller has checked that it is installed

    for k in range(start, len(parts)):
        part, record = parts[k], after(k)
        try:
            if part.transaction:
                with conn.transaction():
                    for st in part.statements:
                        failing = st
                        execute(conn, st.sql)
                    if record:
                        execute(conn, *record)
            else:
                failing = part.statements[0]
                execute(conn, failing.sql)
                if record:
                    with conn.transaction():
                        execute(conn, *record)
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            state = (
                f"; its first {k} of {len(parts)} parts are committed and recorded: fix the "
                "cause and run apply again to resume at this part"
                if k
                else "; nothing of it was committed"
            )
            raise HistoryError(f"{label}:{failing.line}: {message}{state}") from None
    record = after(0) if not parts else None  # a script of comments only
    if record:
        with conn.transaction():
            execute(conn, *record)


def migrate(conn: Any, migrations: list[Migration], target: int, say: Callable[[str], None]) -> int:
    """Apply or roll back to ``target`` (0: before the first); returns how many ran.

    The caller holds the lock and has called ``ensure_table``.
    """
    rows = applied(conn)
    verify(rows, migrations)
    done = [r for r in rows if r.complete]
    partial = next((r for r in rows if not r.complete), None)
    current = len(done)
    count = 0
    if target > current:
        for m in migrations[current:target]:
            parts = _parts(m, "up")
            start = (partial.parts_done or 0) if partial and partial.number == m.number else 0
            say(
                f"applying {m.dirname}"
                + (f" from part {start + 1} of {len(parts)}" if start else "")
            )

            def record(
                k: int, m: Migration = m, n: int = len(parts)
            ) -> tuple[str, tuple[Any, ...]]:
                return _RECORD, (m.number, m.name, m.checksum, None if k >= n - 1 else k + 1)

            run_script(conn, parts, f"{m.dirname}/up.sql", record, start)
            count += 1
    elif partial is not None:
        raise HistoryError(
            f"{partial.dirname} is partly applied ({partial.parts_done} part(s) committed): "
            "finish it with `schemagen migrate apply` before rolling back"
        )
    elif target < current:
        for m in reversed(migrations[target:current]):
            say(f"rolling back {m.dirname}")
            parts = _parts(m, "down")

            def forget(
                k: int, m: Migration = m, n: int = len(parts)
            ) -> tuple[str, tuple[Any, ...]] | None:
                return (
                    (f"DELETE FROM {HISTORY} WHERE number = %s", (m.number,))
                    if k >= n - 1
                    else None
                )

            run_script(conn, parts, f"{m.dirname}/down.sql", forget)
            count += 1
    return count


def baseline(
    conn: Any, migrations: list[Migration], target: int, say: Callable[[str], None]
) -> None:
    """Record migrations up to ``target`` as applied without running them: for a
    database built from schema.sql before the team adopted migrations."""
    if applied(conn):
        raise HistoryError(
            "--baseline is for a database without migration history; this one has one"
        )
    with conn.transaction():
        for m in migrations[:target]:
            say(f"recording {m.dirname} as applied (not run)")
            execute(conn, _RECORD, (m.number, m.name, m.checksum, None))
