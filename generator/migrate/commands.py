"""``schemagen migrate new|check|apply|status|hash``: the thin command-line layer.

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

EXIT_OK, EXIT_DIFF, EXIT_INVALID, EXIT_FAILED, EXIT_DATA_LOSS = 0, 1, 2, 3, 4
INSTALL_HINT = "pip install 'schemagen[postgres]'"


def _fail(message: str, code: int = EXIT_INVALID, hint: str = "") -> NoReturn:
    click.echo(message, err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    sys.exit(code)


def _load(spec: Path) -> tuple[bytes, Schema]:
    from ..cli import _read_spec, _report
    from ..pipeline import load_schema

    raw = _read_spec(spec)
    loaded = load_schema(raw, str(spec))
    if loaded.schema is None or loaded.diagnostics:
        _report(loaded.diagnostics, loaded.sources)
        sys.exit(EXIT_INVALID)
    return raw, loaded.schema


def _folder(spec: Path, where: Path | None, *, verify: bool = True) -> Folder:
    from .folder import FolderError, read

    path = where if where is not None else spec.parent / "migrations"
    try:
        return read(path, verify=verify)
    except FolderError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INVALID)


def _last_schema(folder: Folder) -> Schema | None:
    from .folder import FolderError

    try:
        return folder.last_schema()
    except FolderError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INVALID)


# -- the one place that calls the differ -------------------------------------------


def _plan(
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


def _print_plan(plan: Plan) -> None:
    for line in plan.text().splitlines():
        click.echo(f"  {line}")


def _data_loss(plan: Plan) -> list[Step]:
    return [step for step in plan.steps if any(c.startswith("DL") for c in step.codes)]


# -- database ------------------------------------------------------------------


def _connect(url: str | None) -> Any:
    if not url:
        _fail("error[migrate]: no database: pass --db URL or set DATABASE_URL")
    try:
        import psycopg
    except ImportError:
        _fail(f"error[migrate]: this command needs psycopg 3; install it: {INSTALL_HINT}")
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"error[migrate]: cannot connect to the database: {first}")


@contextmanager
def _database_errors(doing: str) -> Iterator[None]:
    """A database error outside a migration's own statements: one line, exit 2."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"error[migrate]: {doing}: {first}")


def _target(folder: Folder, to: str | None) -> int:
    if to is None:
        return len(folder.migrations)
    for m in folder.migrations:
        if to in (m.dirname, str(m.number), f"{m.number:04d}"):
            return m.number
    if to.isdigit() and int(to) == 0:
        return 0
    names = ", ".join(m.dirname for m in folder.migrations) or "none"
    _fail(
        f"error[migrate]: --to {to}: no such migration in {folder.path}",
        hint=f"give a number or a folder name ({names}), or 0 to roll back everything",
    )


_spec_option = click.option(
    "--spec",
    default="schema.yaml",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The spec to read.",
)
_dir_option = click.option(
    "--dir",
    "where",
    default=None,
    type=click.Path(path_type=Path),
    help="The migrations folder (default: migrations/ beside the spec).",
)
_db_option = click.option(
    "--db",
    "url",
    envvar="DATABASE_URL",
    default=None,
    help="PostgreSQL URL (default: $DATABASE_URL).",
)


@click.group()
def migrate() -> None:
    """Migrations: SQL that takes a live database from one spec to the next.

    \b
    Examples:
      schemagen migrate new init            # the first migration
      schemagen migrate new add_orders      # after editing schema.yaml
      schemagen migrate check               # CI: folder intact and up to date
      schemagen migrate apply --db "$DATABASE_URL"
      schemagen migrate status --db "$DATABASE_URL"
    """


@migrate.command()
@click.argument("name")
@_spec_option
@_dir_option
@click.option("--online", is_flag=True, help="Write lock-friendly statements for busy tables.")
@click.option(
    "--allow-data-loss",
    "--confirm-drops",
    "allow_data_loss",
    is_flag=True,
    help="Accept steps that lose data; an object that is gone while another is new "
    "is then dropped, not renamed. (--confirm-drops: the same.)",
)
def new(name: str, spec: Path, where: Path | None, online: bool, allow_data_loss: bool) -> None:
    """Write the next migration: from the last snapshot to the current spec.

    Never asks anything: renames come from `renamed_from:` in the spec.
    Exit 4 when a step loses data and --allow-data-loss was not given.
    """
    from .folder import migration_name, write_next
    from .snapshot import dumps

    try:
        name = migration_name(name)
    except ValueError as exc:
        _fail(f"error[migrate]: {exc}")
    raw, schema = _load(spec)
    folder = _folder(spec, where)
    old = _last_schema(folder)
    plan = _plan(old, schema, raw, spec, online, allow_data_loss)
    last = folder.last.dirname if folder.last else ""
    if plan.empty:
        click.echo(f"nothing to do: {spec} matches {folder.path / last}")
        return
    click.echo(f"plan ({len(plan.steps)} steps):")
    _print_plan(plan)
    losses = _data_loss(plan)
    if losses and not allow_data_loss:
        _fail(
            f"error[data-loss]: {len(losses)} step(s) above lose data; nothing written",
            EXIT_DATA_LOSS,
            "if the loss is intended, run again with --allow-data-loss; "
            "if it is a rename, add renamed_from: to the spec",
        )
    try:
        written = write_next(folder, name, plan.up_sql, plan.down_sql, dumps(schema))
    except OSError as exc:
        _fail(f"error[output]: cannot write {folder.path}: {exc}", EXIT_FAILED)
    click.echo(f"created {folder.path / written}/ (up.sql, down.sql, snapshot.json)")


@migrate.command()
@_spec_option
@_dir_option
@_db_option
def check(spec: Path, where: Path | None, url: str | None) -> None:
    """CI: the folder is intact and matches the spec; with a database, replaying
    the migrations builds the same catalog as schema.sql.

    The database URL names a server where schemagen may create and drop two
    scratch databases. Exit 1 on drift, 2 on a damaged folder.
    """
    raw, schema = _load(spec)
    folder = _folder(spec, where)
    if not folder.migrations:
        _fail(
            f"{folder.path}: no migrations yet",
            EXIT_DIFF,
            "run `schemagen migrate new init` to write the first one",
        )
    last = folder.last
    assert last is not None
    old = _last_schema(folder)
    plan = _plan(old, schema, raw, spec, False, False) if old != schema else None
    if plan is not None and not plan.empty:  # Python-only options change no SQL
        click.echo(f"{spec} changed since {folder.path / last.dirname}; the missing migration:")
        _print_plan(plan)
        _fail(f"{folder.path}: out of date", EXIT_DIFF, "run `schemagen migrate new NAME`")
    click.echo(f"{folder.path}: {len(folder.migrations)} migrations intact, up to date with {spec}")
    if not url:
        return
    from ..pipeline import generate
    from .history import HistoryError
    from .replay import replay_differences

    _connect(url).close()  # one clear message if psycopg or the server is missing
    result = generate(raw, str(spec))
    try:
        with _database_errors("replaying into scratch databases"):
            differences = replay_differences(url, folder.migrations, result.files["schema.sql"])
    except HistoryError as exc:
        _fail(f"error[migrate]: replaying the migrations failed: {exc}", EXIT_DIFF)
    if differences:
        for line in differences:
            click.echo(f"  {line}")
        _fail(
            f"{folder.path}: replaying the migrations does not build schema.sql's catalog",
            EXIT_DIFF,
        )
    click.echo("replayed every migration: the catalog equals schema.sql's")


@migrate.command()
@_spec_option
@_dir_option
@_db_option
@click.option("--to", "to", default=None, help="Stop at (or roll back to) this migration.")
@click.option(
    "--lock-timeout",
    default=60.0,
    show_default=True,
    help="Seconds to wait for another run's migration lock before giving up.",
)
@click.option(
    "--baseline",
    default=None,
    help="Record migrations up to this one as applied without running them "
    "(a database built from schema.sql before migrations were adopted).",
)
def apply(
    spec: Path,
    where: Path | None,
    url: str | None,
    to: str | None,
    lock_timeout: float,
    baseline: str | None,
) -> None:
    """Apply pending migrations in order (or roll back with --to and down.sql).

    Refuses a database whose applied migration was edited since. Holds an
    advisory lock, so two deploys never run at once.
    """
    from .history import HistoryError, acquire_lock, ensure_table
    from .history import baseline as record
    from .history import migrate as run

    folder = _folder(spec, where)
    if baseline is not None and to is not None:
        _fail("error[migrate]: give --baseline or --to, not both")
    target = _target(folder, baseline if baseline is not None else to)
    with _connect(url) as conn, _database_errors("applying"):
        try:
            acquire_lock(conn, lock_timeout, lambda text: click.echo(text, err=True))
            ensure_table(conn)
            if baseline is not None:
                record(conn, folder.migrations, target, click.echo)
                click.echo(
                    f"baselined at {folder.migrations[target - 1].dirname}"
                    if target
                    else "nothing recorded"
                )
                return
            count = run(conn, folder.migrations, target, click.echo)
        except HistoryError as exc:
            _fail(f"error[migrate]: {exc}")
    label = f"{folder.migrations[target - 1].dirname}" if target else "nothing applied"
    click.echo(f"{count} migration(s) run; the database is at {label}")


@migrate.command()
@_spec_option
@_dir_option
@_db_option
def status(spec: Path, where: Path | None, url: str | None) -> None:
    """List migrations: applied (when) or pending. Exit 1 when some are pending."""
    from .history import HistoryError, applied, verify

    folder = _folder(spec, where)
    with _connect(url) as conn, _database_errors("reading the history"):
        history = applied(conn)
    by_number = {row.number: row for row in history}
    for m in folder.migrations:
        row = by_number.get(m.number)
        state = f"applied {row.applied_at:%Y-%m-%d %H:%M:%S %Z}" if row else "pending"
        click.echo(f"{m.dirname:<40} {state}")
    try:
        verify(history, folder.migrations)
    except HistoryError as exc:
        _fail(f"error[migrate]: {exc}")
    pending = len(folder.migrations) - len(history)
    if pending:
        _fail(f"{pending} pending; run `schemagen migrate apply`", EXIT_DIFF)
    click.echo("the database is up to date")


@migrate.command("hash")
@_spec_option
@_dir_option
def hash_(spec: Path, where: Path | None) -> None:
    """Rewrite schemagen.sum from the folder, after an intended edit of a
    migration that was never applied anywhere."""
    from ..emit import Plan, write
    from .folder import SUM_FILE, sum_text

    folder = _folder(spec, where, verify=False)
    exists = (folder.path / SUM_FILE).exists()
    files = {SUM_FILE: sum_text(folder.migrations)}
    write(
        folder.path,
        files,
        Plan(changed=[SUM_FILE] if exists else [], added=[] if exists else [SUM_FILE]),
    )
    click.echo(f"wrote {folder.path / SUM_FILE} ({len(folder.migrations)} migrations)")
