"""The ``schemagen pull`` and ``schemagen diff --from-db`` commands (thin: read, call, write).

Exit codes: 0 the spec reproduces the database; 4 the spec was written but
some objects are left out or changed (listed on stderr and at the top of the
file); 2 bad input (cannot connect, SQL file fails, ``--strict`` with objects
left out: then nothing is written); 3 schemagen's own failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_OK, EXIT_DIFF, EXIT_INVALID, EXIT_FAILED, EXIT_INCOMPLETE = 0, 1, 2, 3, 5
INSTALL = "pip install 'schemagen[postgres]'"


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def need_psycopg(command: str) -> Any:
    try:
        import psycopg
    except ImportError:
        fail(f"error[missing-dependency]: {command} needs psycopg; install it: {INSTALL}")
    return psycopg


@contextmanager
def connect(url: str, command: str) -> Iterator[Any]:
    """An autocommit connection; any database error inside is one line, exit 2."""
    psycopg = need_psycopg(command)
    try:
        with psycopg.connect(url, connect_timeout=10, autocommit=True) as conn:
            yield conn
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(f"error[database]: cannot read the database: {first}")


def read_catalog_of(conn: Any, schemas: list[str] | None) -> Any:
    from ..catalog import read_catalog

    if schemas:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (schemas,)
        ).fetchall()
        missing = sorted(set(schemas) - {r[0] for r in rows})
        if missing:
            fail(f"error[no-schema]: the database has no schema {', '.join(missing)}")
    return read_catalog(conn, schemas)


def read_database(url: str, schemas: list[str] | None, command: str) -> Any:
    """The catalog of the database at ``url``; a clear one-line error if it cannot be read."""
    with connect(url, command) as conn:
        return read_catalog_of(conn, schemas)


@contextmanager
def database_from_sql(path: Path) -> Iterator[str]:
    """A throwaway database loaded with ``path``, dropped afterwards."""
    need_psycopg("pull --from-sql")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{path}: error[no-sql]: cannot read: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{path}: error[no-sql]: not UTF-8 text")
    import psycopg

    from ..catalog.server import find_server, fresh_database

    try:
        admin, cluster = find_server()
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        fail(f"error[database]: no PostgreSQL server to load {path} into: {exc}")
    try:
        database = fresh_database(admin, prefix="schemagen_pull")
        try:
            url = database.__enter__()
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0]
            fail(f"error[database]: cannot create a throwaway database: {first}")
        try:
            _load(url, path, text)
            yield url
        finally:
            database.__exit__(None, None, None)
    finally:
        if cluster is not None:
            cluster.stop()


def _load(url: str, path: Path, text: str) -> None:
    import psycopg

    psql = shutil.which("psql")
    if psql is not None:  # psql reads pg_dump files whole: COPY ... FROM stdin, \connect
        proc = subprocess.run(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(path)],
            capture_output=True,
            text=True,
            env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
        )
        if proc.returncode != 0:
            fail(f"{path}: error[sql]: loading failed: {proc.stderr.strip()}")
        return
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(text)
    except psycopg.Error as exc:
        fail(f"{path}: error[sql]: loading failed: {str(exc).strip()}")


def write_atomically(target: Path, text: str) -> None:
    """Write beside the target, flush, rename: the file is whole or untouched."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.schemagen-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_pull(
    db: str | None, from_sql: Path | None, schemas: list[str], out: Path | None, strict: bool
) -> None:
    if (db is None) == (from_sql is None):
        fail("error[usage]: give exactly one of --db URL and --from-sql FILE")
    if from_sql is not None:
        with database_from_sql(from_sql) as url:
            catalog = read_database(url, schemas or None, "pull")
    else:
        assert db is not None
        catalog = read_database(db, schemas or None, "pull")
    from . import PullError, pull

    try:
        pulled = pull(catalog)
    except PullError as exc:
        fail(f"schemagen: internal error: the pulled spec does not resolve: {exc}", EXIT_FAILED)
    for note in pulled.notes:
        click.echo(f"pull: {note.line()}", err=True)
    tables = len(pulled.schema.tables)
    if pulled.notes and strict:
        fail(
            f"error[incomplete]: {len(pulled.notes)} object(s) cannot be written in the spec "
            "(listed above); --strict: nothing written"
        )
    if out is None:
        sys.stdout.write(pulled.text)
    else:
        try:
            write_atomically(out, pulled.text)
        except OSError as exc:
            fail(f"error[output]: cannot write {out}: {exc.strerror}", EXIT_FAILED)
        click.echo(f"wrote {out} ({tables} tables)", err=True)
    if pulled.notes:
        click.echo(
            f"pull: the spec is incomplete: {len(pulled.notes)} object(s) left out or changed "
            "(exit 4; --strict makes this an error)",
            err=True,
        )
        sys.exit(EXIT_INCOMPLETE)
