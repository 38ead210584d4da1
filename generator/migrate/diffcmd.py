"""``schemagen diff --from A.yaml --to B.yaml``: print the migration between two specs.

Writes nothing.  Exit 0: no differences; 1: differences (the plan and the up
SQL are printed); 2: a spec is invalid or the intent is missing (a rename or
a drop?), with every problem at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .plan import Plan

EXIT_OK, EXIT_DIFF, EXIT_INVALID = 0, 1, 2


@click.command("diff")
@click.option("--from", "old", default=None, type=click.Path(path_type=Path), help="The old spec.")
@click.option(
    "--from-db", "from_db", default=None, metavar="URL", help="Or: a live database (drift check)."
)
@click.option(
    "--schema", "schemas", multiple=True, metavar="NAME", help="With --from-db: only this schema."
)
@click.option(
    "--to", "new", default="schema.yaml", type=click.Path(path_type=Path), help="The new spec."
)
@click.option("--online", is_flag=True, help="Lock-friendly forms (CONCURRENTLY, NOT VALID).")
@click.option(
    "--confirm-drops",
    is_flag=True,
    help="A table, column, enum or label that is gone while another is new is dropped, not renamed.",
)
@click.option("--down", is_flag=True, help="Also print the down SQL.")
def diff(
    old: Path | None,
    from_db: str | None,
    schemas: tuple[str, ...],
    new: Path,
    online: bool,
    confirm_drops: bool,
    down: bool,
) -> None:
    """Print the migration from one spec to another (plan, then SQL); write nothing.

    \b
    Examples:
      schemagen diff --from old/schema.yaml --to schema.yaml
      git show HEAD~1:schema.yaml > /tmp/old.yaml && schemagen diff --from /tmp/old.yaml --to schema.yaml --online
      schemagen diff --from-db "$DATABASE_URL" --to schema.yaml   # drift: exit 1 if it differs
    """
    if from_db is not None or old is None:  # the drift check lives with pull (issue 11)
        from ..pull.drift import run_drift

        run_drift(from_db, old, list(schemas), new, online, confirm_drops, down)
        return
    from ..cli import _read_spec, _report
    from ..pipeline import load_schema
    from . import hints as hint_module
    from .matching import DiffError
    from .plan import plan_migration

    loaded = [load_schema(_read_spec(p), str(p)) for p in (old, new)]
    problems = [d for x in loaded for d in x.diagnostics]
    sources = {k: v for x in loaded for k, v in x.sources.items()}
    if problems:
        _report(problems, sources)
        sys.exit(EXIT_INVALID)
    a, b = loaded[0].schema, loaded[1].schema
    assert a is not None and b is not None
    hints = hint_module.load(_read_spec(new), str(new))
    try:
        plan = plan_migration(a, b, hints, online=online, confirm_drops=confirm_drops)
    except DiffError as exc:
        _report(exc.diagnostics, sources)
        sys.exit(EXIT_INVALID)
    if plan.empty:
        click.echo(f"no differences between {old} and {new}")
        return
    print_plan(plan, f"{old} -> {new}", down)
    sys.exit(EXIT_DIFF)


def print_plan(plan: Plan, title: str, down: bool) -> None:
    """The plan as SQL comments, then up.sql (and down.sql): what ``diff`` prints."""
    click.echo(f"-- plan: {title} ({len(plan.steps)} steps)")
    for line in plan.text().splitlines():
        click.echo(f"-- {line}")
    click.echo("")
    sys.stdout.write(plan.up_sql)
    if down:
        click.echo("")
        sys.stdout.write(plan.down_sql)
