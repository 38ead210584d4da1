"""What the ``schemagen migrate`` commands share: exit codes, options, loading
the spec and the folder, the one call into the differ, and the database
connection (psycopg is optional: imported only here, when a command needs it).

Exit codes (see the README): 0 success; 1 ``check`` found drift, or ``status``
found pending migrations; 2 bad input (spec, migrations folder, database
refused or unreachable, psycopg missing); 3 schemagen's own failure; 4 ``new``
refused a step that loses data (rerun with ``--allow-data-loss``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:  # start-up stays lean: the modules load when a command runs
    from ..model import Schema
    from .folder import Folder
    from .plan import Plan, Step

EXIT_OK, EXIT_DIFF, EXIT_INVALID, EXIT_FAILED, EXIT_DATA_LOSS = 0, 1, 2, 3, 6
INSTALL_HINT = "pip install 'schemagen[postgres]'"


def fail(message: str, code: int = EXIT_INVALID, hint: str = "") -> NoReturn:
    click.echo(message, err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    sys.exit(code)


def load_spec(spec: Path) -> tuple[bytes, Schema]:
    from ..cli import _read_spec, _report
    from ..pipeline import load_schema

    raw = _read_spec(spec)
    loaded = load_schema(raw, str(spec))
    if loaded.schema is None or loaded.diagnostics:
        _report(loaded.diagnostics, loaded.sources)
        sys.exit(EXIT_INVALID)
    return raw, loaded.schema


def open_folder(spec: Path, where: Path | None, *, verify: bool = True) -> Folder:
    from .folder import FolderError, read

    path = where if where is not None else spec.parent / "migrations"
    try:
        return read(path, verify=verify)
    except FolderError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INVALID)


def last_schema(folder: Folder) -> Schema | None:
    from .folder import FolderError

    try:
        return folder.last_schema()
    except FolderError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INVALID)


# -- the one place that calls the differ -------------------------------------------


def plan_for(
    old: Schema | None, new: Schema, raw: bytes, spec: Path, online: bool, drops: bool
) -> Plan:
    """The differ's plan from ``old`` to the spec; a rename-or-drop question is exit 2."""
    from ..cli import _report
    from .hints import load
    from .matching import DiffError
    from .plan import plan_migration

    try:
        return plan_migration(old, new, load(raw, str(spec)), online=online, confirm_drops=drops)
    except DiffError as exc:
        from ..pipeline import load_schema

        _report(exc.diagnostics, load_schema(raw, str(spec)).sources)
        sys.exit(EXIT_INVALID)


def print_plan(plan: Plan) -> None:
    for line in plan.text().splitlines():
        click.echo(f"  {line}")


def data_loss(plan: Plan) -> list[Step]:
    return [step for step in plan.steps if any(c.startswith("DL") for c in step.codes)]


# -- database ------------------------------------------------------------------


def connect(url: str | None) -> Any:
    if not url:
        fail("error[migrate]: no database: pass --db URL or set DATABASE_URL")
    try:
        import psycopg
    except ImportError:
        fail(f"error[migrate]: this command needs psycopg 3; install it: {INSTALL_HINT}")
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(f"error[migrate]: cannot connect to the database: {first}")


@contextmanager
def database_errors(doing: str) -> Iterator[None]:
    """A database error outside a migration's own statements: one line, exit 2."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(f"error[migrate]: {doing}: {first}")


def target_of(folder: Folder, to: str | None) -> int:
    if to is None:
        return len(folder.migrations)
    for m in folder.migrations:
        if to in (m.dirname, str(m.number), f"{m.number:04d}"):
            return m.number
    if to.isdigit() and int(to) == 0:
        return 0
    names = ", ".join(m.dirname for m in folder.migrations) or "none"
    fail(
        f"error[migrate]: --to {to}: no such migration in {folder.path}",
        hint=f"give a number or a folder name ({names}), or 0 to roll back everything",
    )


spec_option = click.option(
    "--spec",
    default="schema.yaml",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The spec to read.",
)
dir_option = click.option(
    "--dir",
    "where",
    default=None,
    type=click.Path(path_type=Path),
    help="The migrations folder (default: migrations/ beside the spec).",
)
db_option = click.option(
    "--db",
    "url",
    envvar="DATABASE_URL",
    default=None,
    help="PostgreSQL URL (default: $DATABASE_URL).",
)
