"""``schemagen migrate new|check|hash`` (and, from ``dbcommands``, ``apply|status``):
the thin command-line layer; exit codes are listed in ``cmdutil``."""

from __future__ import annotations

from pathlib import Path

import click

from .cmdutil import (
    EXIT_DATA_LOSS,
    EXIT_DIFF,
    EXIT_FAILED,
    connect,
    data_loss,
    database_errors,
    db_option,
    dir_option,
    fail,
    last_schema,
    load_spec,
    open_folder,
    plan_for,
    print_plan,
    spec_option,
)
from .dbcommands import apply, status


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
@spec_option
@dir_option
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
    Exit 6 when a step loses data and --allow-data-loss was not given.
    """
    from .folder import migration_name, write_next
    from .snapshot import dumps

    try:
        name = migration_name(name)
    except ValueError as exc:
        fail(f"error[migrate]: {exc}")
    raw, schema = load_spec(spec)
    folder = open_folder(spec, where)
    old = last_schema(folder)
    plan = plan_for(old, schema, raw, spec, online, allow_data_loss)
    last = folder.last.dirname if folder.last else ""
    if plan.empty:
        click.echo(f"nothing to do: {spec} matches {folder.path / last}")
        return
    click.echo(f"plan ({len(plan.steps)} steps):")
    print_plan(plan)
    losses = data_loss(plan)
    if losses and not allow_data_loss:
        fail(
            f"error[data-loss]: {len(losses)} step(s) above lose data; nothing written",
            EXIT_DATA_LOSS,
            "if the loss is intended, run again with --allow-data-loss; "
            "if it is a rename, add renamed_from: to the spec",
        )
    try:
        written = write_next(folder, name, plan.up_sql, plan.down_sql, dumps(schema))
    except OSError as exc:
        fail(f"error[output]: cannot write {folder.path}: {exc}", EXIT_FAILED)
    click.echo(f"created {folder.path / written}/ (up.sql, down.sql, snapshot.json)")


@migrate.command()
@spec_option
@dir_option
@db_option
def check(spec: Path, where: Path | None, url: str | None) -> None:
    """CI: the folder is intact and matches the spec; with a database, replaying
    the migrations builds the same catalog as schema.sql.

    The database URL names a server where schemagen may create and drop two
    scratch databases. Exit 1 on drift, 2 on a damaged folder.
    """
    raw, schema = load_spec(spec)
    folder = open_folder(spec, where)
    if not folder.migrations:
        fail(
            f"{folder.path}: no migrations yet",
            EXIT_DIFF,
            "run `schemagen migrate new init` to write the first one",
        )
    last = folder.last
    assert last is not None
    old = last_schema(folder)
    plan = plan_for(old, schema, raw, spec, False, False) if old != schema else None
    if plan is not None and not plan.empty:  # Python-only options change no SQL
        click.echo(f"{spec} changed since {folder.path / last.dirname}; the missing migration:")
        print_plan(plan)
        fail(f"{folder.path}: out of date", EXIT_DIFF, "run `schemagen migrate new NAME`")
    click.echo(f"{folder.path}: {len(folder.migrations)} migrations intact, up to date with {spec}")
    if not url:
        return
    from ..render import render_ddl
    from .history import HistoryError
    from .replay import replay_differences

    connect(url).close()  # one clear message if psycopg or the server is missing
    try:
        with database_errors("replaying into scratch databases"):
            differences = replay_differences(url, folder.migrations, render_ddl(schema))
    except HistoryError as exc:
        fail(f"error[migrate]: replaying the migrations failed: {exc}", EXIT_DIFF)
    if differences:
        for line in differences:
            click.echo(f"  {line}")
        fail(
            f"{folder.path}: replaying the migrations does not build schema.sql's catalog",
            EXIT_DIFF,
        )
    click.echo("replayed every migration: the catalog equals schema.sql's")


@migrate.command("hash")
@spec_option
@dir_option
def hash_(spec: Path, where: Path | None) -> None:
    """Rewrite schemagen.sum from the folder, after an intended edit of a
    migration that was never applied anywhere."""
    from ..emit import Plan, write
    from .integrity import SUM_FILE, sum_text

    folder = open_folder(spec, where, verify=False)
    exists = (folder.path / SUM_FILE).exists()
    files = {SUM_FILE: sum_text(folder.migrations)}
    plan = Plan(changed=[SUM_FILE] if exists else [], added=[] if exists else [SUM_FILE])
    try:
        write(folder.path, files, plan)
    except OSError as exc:
        fail(f"error[output]: cannot write {folder.path / SUM_FILE}: {exc}", EXIT_FAILED)
    click.echo(f"wrote {folder.path / SUM_FILE} ({len(folder.migrations)} migrations)")


migrate.add_command(apply)
migrate.add_command(status)
