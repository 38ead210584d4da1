"""``schemagen diff --from-db URL [--to schema.yaml]``: does the live database match the spec?

The database is read (``catalog``), turned into a model the way ``pull`` does,
and compared with the spec's model by the migration planner: the SQL printed
is what would bring the database to the spec.  Exit 0: no differences; 1: it
differs (plan and SQL on stdout); 2: bad input.  What the spec language cannot
hold is not compared: it is listed on stderr so that a clean result never hides
it; views, domains, RLS and policies, whose SQL PostgreSQL prints its own way,
are compared by name and shape (``unplanned.py``), each difference a line on
stderr, and left out of the plan.
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
    from ..migrate.diffcmd import print_plan
    from ..migrate.matching import DiffError
    from ..migrate.plan import plan_migration
    from ..pipeline import load_schema
    from . import PullError, pull
    from .normalize import normalize
    from .unplanned import unplanned

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
        plan = plan_migration(
            shape_only(live.schema), shape_only(target), hints, online=online, confirm_drops=True
        )
    except DiffError as exc:
        _report(exc.diagnostics, loaded.sources)
        sys.exit(EXIT_INVALID)
    del confirm_drops  # always on here, see above
    not_planned = unplanned(live.schema, target)
    for line in not_planned:
        click.echo(f"-- differs, not planned (write it in a migration): {line}", err=True)
    if plan.empty and not not_planned:
        click.echo(f"no differences between the database and {new}")
        return
    if plan.empty:
        sys.exit(EXIT_DIFF)
    print_plan(plan, f"database -> {new}", down)
    sys.exit(EXIT_DIFF)


def shape_only(schema: Any) -> Any:
    """The model without views, row-level security and policies (the planner would
    compare their SQL text, which PostgreSQL prints its own way, ``pg_get_viewdef``
    and ``pg_get_expr``, so every one would look changed: ``unplanned`` compares them
    by name and shape instead) and without raw SQL (a database cannot say which
    statements made it; what they made is listed as not compared)."""
    from dataclasses import replace

    def bare(table: Any) -> Any:
        return replace(table, row_level_security=False, force_row_level_security=False, policies=())

    return replace(
        schema,
        views=(),
        tables=tuple(bare(t) for t in schema.tables),
        sql_before=None,
        sql_after=None,
    )


def _report(diagnostics: list[Any], sources: dict[str, list[str]]) -> None:
    from ..diagnostics import format_all

    click.echo(format_all(diagnostics, sources), err=True, nl=False)
