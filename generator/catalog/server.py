"""Find or start a PostgreSQL server, and make throwaway databases on it.

Used by ``schemagen pull --from-sql`` and by the tests (tests/pg.py).
Order: ``DATABASE_URL`` if set; else the local server (127.0.0.1:5432, then
the default socket); else a throwaway cluster started from the installed
binaries (``initdb``, ``pg_ctl``) in a temporary folder, stopped by the caller.
psycopg is imported here, so import this module only where psycopg is needed.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

LOCAL_CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://postgres@/postgres?host=/var/run/postgresql",
)


def _can_connect(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Throwaway:
    """A private cluster in a temporary folder (initdb + pg_ctl)."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        initdb = shutil.which("initdb") or (bins[-1] if bins else None)
        if initdb is None:
            raise RuntimeError("no initdb found to start a throwaway PostgreSQL")
        self.bindir = Path(initdb).parent
        self.root = Path(tempfile.mkdtemp(prefix="schemagen-pg-"))
        self.port = _free_port()
        self.user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.root, "postgres", "postgres")
            self.user = ["runuser", "-u", "postgres", "--"]
        data = self.root / "data"
        subprocess.run(
            [
                *self.user,
                str(self.bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *self.user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(self.root / "log"),
                "-o",
                f"-p {self.port} -k {self.root} -c listen_addresses=''",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self.url = f"postgresql://postgres@/postgres?host={self.root}&port={self.port}"

    def stop(self) -> None:
        subprocess.run(
            [
                *self.user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def find_server() -> tuple[str, Throwaway | None]:
    env = os.environ.get("DATABASE_URL")
    if env:
        return env, None
    for url in LOCAL_CANDIDATES:
        if _can_connect(url):
            return url, None
    cluster = Throwaway()
    return cluster.url, cluster


def with_dbname(url: str, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(url, dbname=dbname)


@contextmanager
def fresh_database(admin_url: str, prefix: str = "schemagen_test") -> Iterator[str]:
    """Create an empty database and drop it afterwards (even when the body fails)."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
    try:
        yield with_dbname(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
