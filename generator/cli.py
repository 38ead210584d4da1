"""The ``schemagen`` command line.

Exit codes: 0 success; 1 ``--check`` found differences; 2 the spec is invalid
(or a file could not be read); 3 schemagen failed (a template or output check
failed, or an output path was unsafe: a bug or a broken installation); 4 the
command line itself was wrong (an unknown command or option), so that a script
can tell a typo in its own call from a bad spec.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_DIFF, EXIT_INVALID, EXIT_FAILED, EXIT_USAGE = 0, 1, 2, 3, 4


def _read_spec(spec: Path) -> bytes:
    try:
        return spec.read_bytes()
    except FileNotFoundError:
        click.echo(f"{spec}: error[no-spec]: file not found", err=True)
        click.echo(
            "  hint: run from the folder that holds schema.yaml, or pass --spec PATH", err=True
        )
    except IsADirectoryError:
        click.echo(f"{spec}: error[no-spec]: is a folder, not a spec file", err=True)
    except OSError as exc:
        click.echo(f"{spec}: error[no-spec]: cannot read: {exc.strerror}", err=True)
    sys.exit(EXIT_INVALID)


def _report(diagnostics: list, sources: dict) -> None:  # type: ignore[type-arg]
    from .diagnostics import format_all

    click.echo(format_all(diagnostics, sources), err=True, nl=False)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Run 'schemagen COMMAND --help' for a command's options.",
    invoke_without_command=True,
)
@click.version_option(__version__, prog_name="schemagen")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """schemagen: one YAML spec in, PostgreSQL DDL and typed Python out.

    \b
    Examples:
      schemagen generate                 # schema.yaml -> generated/
      schemagen generate --check         # CI: fail (exit 1) if generated/ is stale
      schemagen validate schema.yaml     # check the spec, write nothing
      schemagen json-schema > schemagen.schema.json
    """
    if ctx.invoked_subcommand is None:  # a bare 'schemagen' asks what it can do
        click.echo(ctx.get_help())


@cli.command()
@click.option(
    "--spec",
    "spec",
    default="schema.yaml",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The spec to read.",
)
@click.option(
    "--out",
    "out",
    default="generated",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The output folder.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 with a diff if the output folder is out of date.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Use another template folder (default: the bundled templates).",
)
def generate(spec: Path, out: Path, check: bool, templates: Path | None) -> None:
    """Generate the output folder from the spec.

    \b
    Examples:
      schemagen generate
      schemagen generate --spec db/schema.yaml --out src/db/generated
      schemagen generate --check   # in CI: exit 1 and print a diff when stale
    """
    from .emit import OutputError, plan, unified_diff, write
    from .pipeline import generate as run

    result = run(_read_spec(spec), str(spec), templates, parallel=True)
    if not result.ok:
        _report(result.diagnostics, result.sources)
        code = (
            EXIT_FAILED if any(d.code == "sql-check" for d in result.diagnostics) else EXIT_INVALID
        )
        sys.exit(code)
    try:
        changes = plan(out, result.files)  # compares bytes; a diff only when they differ
        if check:
            diff = "" if changes.clean else unified_diff(out, result.files, changes)
        else:
            write(out, result.files, changes)
    except OutputError as exc:
        click.echo(f"error[output]: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    except OSError as exc:
        click.echo(f"error[output]: cannot {'read' if check else 'write'} {out}: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    if check:  # printed outside the try: a closed stdout is not an output-folder error
        if changes.clean:
            click.echo(f"{out}: up to date ({len(result.files)} files)")
            return
        sys.stdout.write(diff)
        summary = ", ".join(
            f"{len(v)} {k}"
            for k, v in (
                ("changed", changes.changed),
                ("missing", changes.added),
                ("stale", changes.stale),
            )
            if v
        )
        click.echo(f"{out}: out of date ({summary}); run 'schemagen generate'", err=True)
        sys.exit(EXIT_DIFF)
    for rel in changes.added:
        click.echo(f"created {out / rel}")
    for rel in changes.changed:
        click.echo(f"updated {out / rel}")
    for rel in changes.stale:
        click.echo(f"removed stale {out / rel}")
    if changes.clean:
        click.echo(f"{out}: already up to date")


@cli.command()
@click.argument("spec", default="schema.yaml", type=click.Path(path_type=Path))
@click.option(
    "--db",
    "db",
    metavar="URL",
    default=None,
    help="Also apply the DDL on this (empty) PostgreSQL database, always rolled back.",
)
def validate(spec: Path, db: str | None) -> None:
    """Check a spec and report every problem; write nothing.

    \b
    Examples:
      schemagen validate schema.yaml
      schemagen validate --db postgresql://localhost/scratch   # PostgreSQL judges
    """
    if db is not None:
        from .pgsql.validate_db import run

        code, out, err = run(_read_spec(spec), str(spec), db)
        sys.stdout.write(out)
        sys.stderr.write(err)
        sys.exit(code)
    from .pipeline import load_schema

    loaded = load_schema(_read_spec(spec), str(spec))
    if loaded.diagnostics:
        _report(loaded.diagnostics, loaded.sources)
        sys.exit(EXIT_INVALID)
    assert loaded.schema is not None
    click.echo(f"{spec}: ok ({len(loaded.schema.tables)} tables)")


@cli.command("json-schema")
def json_schema() -> None:
    """Print the spec's JSON Schema (for editors' YAML language server).

    \b
    Example:
      schemagen json-schema > schemagen.schema.json
    """
    from .spec.jsonschema import render

    sys.stdout.write(render())


@cli.command()
@click.argument("spec", default="schema.yaml", type=click.Path(path_type=Path))
def init(spec: Path) -> None:
    """Write a starter spec (never over an existing file) and say what to run next.

    \b
    Example:
      schemagen init && schemagen generate
    """
    from .init import NEXT_STEPS, SCHEMA_FILE, STARTER
    from .spec.jsonschema import render

    try:
        with spec.open("x", encoding="utf-8") as fh:  # "x": refuse to overwrite
            fh.write(STARTER)
    except FileExistsError:
        click.echo(
            f"{spec}: error[exists]: already exists; schemagen init never overwrites", err=True
        )
        click.echo("  hint: edit it, or pass another path: schemagen init db/schema.yaml", err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:
        click.echo(f"{spec}: error[output]: cannot write: {exc.strerror}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"created {spec}")
    editor_schema = spec.parent / SCHEMA_FILE
    if not editor_schema.exists():  # the editor line's target; an existing one is kept
        editor_schema.write_text(render(), encoding="utf-8")
        click.echo(f"created {editor_schema} (for your editor's completion and checks)")
    click.echo(NEXT_STEPS, nl=False)


@cli.command()
@click.option("--db", "db", default=None, metavar="URL", help="The database to read.")
@click.option(
    "--from-sql",
    "from_sql",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Load this SQL file into a throwaway database and read that instead.",
)
@click.option(
    "--schema", "schemas", multiple=True, metavar="NAME", help="Only this schema (repeatable)."
)
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the spec here (atomically); default: standard output.",
)
@click.option("--strict", is_flag=True, help="Objects the spec cannot hold are an error (exit 2).")
def pull(
    db: str | None, from_sql: Path | None, schemas: tuple[str, ...], out: Path | None, strict: bool
) -> None:
    """Write a spec from an existing database (or an SQL file).

    \b
    Exit 5: the spec was written, but some objects are left out or changed
    (each listed on stderr and at the top of the spec).
    Examples:
      schemagen pull --db postgresql://localhost/app --out schema.yaml
      schemagen pull --from-sql dump.sql --schema public --out schema.yaml
    """
    from .pull.command import run_pull

    run_pull(db, from_sql, list(schemas), out, strict)


def _register() -> None:
    from .migrate.diffcmd import diff  # schemagen diff --from A --to B (issue 10)

    cli.add_command(diff)


_register()


def main() -> None:
    try:
        cli.main(prog_name="schemagen", standalone_mode=False)
    except click.UsageError as exc:  # not 2: that says the spec is invalid
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_INVALID)
    except (KeyboardInterrupt, click.Abort):  # click turns Ctrl-C into Abort
        sys.exit(130)
    except Exception as exc:  # never a traceback for a user; one line and a way to see more
        if os.environ.get("SCHEMAGEN_DEBUG"):
            raise
        click.echo(f"schemagen: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo(
            "  this is a bug; rerun with SCHEMAGEN_DEBUG=1 for a traceback and report it", err=True
        )
        sys.exit(EXIT_FAILED)
