"""``schemagen diff --from-db URL [--to schema.yaml]``: does the live database match the spec?

The database is read (``catalog``), turned into a model the way ``pull`` does,
and compared with the spec's model by the migration planner: the SQL printed
is what would bring the database to the spec.  Exit 0: no differences; 1: it
differs (plan and SQL on stdout); 2: bad input.  What the spec language cannot
hold (views, functions, custom triggers...) is not compared: it is listed on
stderr so that a clean result never hides it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .command import EXIT_DIFF, EXIT_FAILED, EXIT_INVALID, connect, fail, read_catalog_of


def run_drift(
    url: str | None,
    old: Path | None,
    schemas: list[str],
    new: Path,
    online: bool,
    confirm_drops: bool,
    down: bool,
) -> None:
    if (url is None) == (old is None):
        fail("error[usage]: give exactly one of --from SPEC and --from-db URL")
    assert url is not None
    from ..migrate import hints as hint_module
    from ..migrate.matching import DiffError
    from ..migrate.plan import plan_migration
    from ..pipeline import load_schema
    from . import PullError, pull
    from .normalize import normalize

    try:
        raw = new.read_bytes()
    except OSError as exc:
        fail(f"{new}: error[no-spec]: cannot read: {exc.strerror}")
    loaded = load_schema(raw, str(new))
    if loaded.diagnostics or loaded.schema is None:
        _report(loaded.diagnostics, loaded.sources)
        sys.exit(EXIT_INVALID)
    with connect(url, "diff --from-db") as conn:
        catalog = read_catalog_of(conn, schemas or None)
        try:
            live = pull(catalog)
        except PullError as exc:
            fail(f"schemagen: internal error: reading the database failed: {exc}", EXIT_FAILED)
        target = normalize(conn, live.schema, loaded.schema)
    for note in live.notes:
        click.echo(f"-- not compared: {note.line()}", err=True)
    hints = hint_module.load(raw, str(new))
    try:
        # A report, not a migration: a table that is gone while another is new
        # is shown as drop + create rather than refused for want of a rename hint.
        plan = plan_migration(live.schema, target, hints, online=online, confirm_drops=True)
    except DiffError as exc:
        _report(exc.diagnostics, loaded.sources)
        sys.exit(EXIT_INVALID)
    del confirm_drops  # always on here, see above
    if plan.empty:
        click.echo(f"no differences between the database and {new}")
        return
    click.echo(f"-- plan: database -> {new} ({len(plan.steps)} steps)")
    for line in plan.text().splitlines():
        click.echo(f"-- {line}")
    click.echo("")
    sys.stdout.write(plan.up_sql)
    if down:
        click.echo("")
        sys.stdout.write(plan.down_sql)
    sys.exit(EXIT_DIFF)


def _report(diagnostics: list[Any], sources: dict[str, list[str]]) -> None:
    from ..diagnostics import format_all

    click.echo(format_all(diagnostics, sources), err=True, nl=False)
