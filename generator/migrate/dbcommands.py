"""``schemagen migrate apply|status``: the commands that talk to a database."""

from __future__ import annotations

from pathlib import Path

import click

from .cmdutil import (
    EXIT_DIFF,
    connect,
    database_errors,
    db_option,
    dir_option,
    fail,
    open_folder,
    spec_option,
    target_of,
)


@click.command()
@spec_option
@dir_option
@db_option
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

    folder = open_folder(spec, where)
    if baseline is not None and to is not None:
        fail("error[migrate]: give --baseline or --to, not both")
    target = target_of(folder, baseline if baseline is not None else to)
    with connect(url) as conn, database_errors("applying"):
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
            fail(f"error[migrate]: {exc}")
    label = f"{folder.migrations[target - 1].dirname}" if target else "nothing applied"
    click.echo(f"{count} migration(s) run; the database is at {label}")


@click.command()
@spec_option
@dir_option
@db_option
def status(spec: Path, where: Path | None, url: str | None) -> None:
    """List migrations: applied (when) or pending. Exit 1 when some are pending."""
    from .history import HistoryError, applied, verify

    folder = open_folder(spec, where)
    with connect(url) as conn, database_errors("reading the history"):
        history = applied(conn)
    by_number = {row.number: row for row in history}
    for m in folder.migrations:
        row = by_number.get(m.number)
        when = f"{row.applied_at:%Y-%m-%d %H:%M:%S %Z}" if row else ""
        state = (
            "pending"
            if row is None
            else f"applied {when}"
            if row.complete
            else f"partly applied: {row.parts_done} part(s) committed by {when}"
        )
        click.echo(f"{m.dirname:<40} {state}")
    try:
        verify(history, folder.migrations)
    except HistoryError as exc:
        fail(f"error[migrate]: {exc}")
    pending = len(folder.migrations) - sum(1 for row in history if row.complete)
    if pending:
        fail(f"{pending} pending; run `schemagen migrate apply`", EXIT_DIFF)
    click.echo("the database is up to date")
