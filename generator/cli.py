"""The ``schemagen`` command line.

Exit codes: 0 success; 1 ``--check`` found differences; 2 the spec is invalid
(or a file could not be read); 3 schemagen failed (a template or output check
failed, or an output path was unsafe: a bug or a broken installation).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_DIFF, EXIT_INVALID, EXIT_FAILED = 0, 1, 2, 3


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
)
@click.version_option(__version__, prog_name="schemagen")
def cli() -> None:
    """schemagen: one YAML spec in, PostgreSQL DDL and typed Python out.

    \b
    Examples:
      schemagen generate                 # schema.yaml -> generated/
      schemagen generate --check         # CI: fail (exit 1) if generated/ is stale
      schemagen validate schema.yaml     # check the spec, write nothing
      schemagen json-schema > schemagen.schema.json
    """


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
        changes = plan(out, result.files)
        if check:
            if changes.clean:
                click.echo(f"{out}: up to date ({len(result.files)} files)")
                return
            sys.stdout.write(unified_diff(out, result.files, changes))
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
        write(out, result.files, changes)
    except OutputError as exc:
        click.echo(f"error[output]: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    except OSError as exc:
        click.echo(f"error[output]: cannot write {out}: {exc}", err=True)
        sys.exit(EXIT_FAILED)
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
def validate(spec: Path) -> None:
    """Check a spec and report every problem; write nothing.

    \b
    Example:
      schemagen validate schema.yaml
    """
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
    from .jsonschema import render

    sys.stdout.write(render())


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
    Exit 4: the spec was written, but some objects are left out or changed
    (each listed on stderr and at the top of the spec).
    Examples:
      schemagen pull --db postgresql://localhost/app --out schema.yaml
      schemagen pull --from-sql dump.sql --schema public --out schema.yaml
    """
    from .pull.command import run_pull

    run_pull(db, from_sql, list(schemas), out, strict)


def _register() -> None:
    from .migrate.commands import migrate  # schemagen migrate new|check|apply|status|hash
    from .migrate.diffcmd import diff  # schemagen diff --from A --to B (issue 10)

    cli.add_command(diff)
    cli.add_command(migrate)


_register()


def main() -> None:
    try:
        cli(prog_name="schemagen")
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never a traceback for a user; one line and a way to see more
        if os.environ.get("SCHEMAGEN_DEBUG"):
            raise
        click.echo(f"schemagen: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo(
            "  this is a bug; rerun with SCHEMAGEN_DEBUG=1 for a traceback and report it", err=True
        )
        sys.exit(EXIT_FAILED)
