"""``schemagen validate --db URL``: PostgreSQL judges the DDL; refusals land on the spec line.

Each spec here passes every static check and is refused by PostgreSQL for a
reason no static check knows (an extension or a function the server does not
have).  The command must name the spec position that produced the refused
statement, down to the token inside an expression, exit 2, and leave the
database exactly as it was (everything is rolled back).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from cli import ROOT, cli_env, run_cli

pytestmark = pytest.mark.postgres


def validate(tmp_path: Path, spec: str, url: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(spec))
    return run_cli("validate", "--db", url, "spec.yaml", cwd=tmp_path)


def relations(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        ).fetchone()
        assert row is not None
        return int(row[0])


def test_missing_extension_points_at_the_extension(tmp_path: Path, pg_url: str) -> None:
    result = validate(
        tmp_path,
        """\
        version: 1
        postgres: {extensions: [no_such_extension]}
        tables:
          items:
            columns:
              id: {type: integer, primary_key: true}
        """,
        pg_url,
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "spec.yaml:2:25: error[postgres-refused]: PostgreSQL refused extension"
        ' "no_such_extension": extension "no_such_extension" is not available'
    )
    assert lines[1] == "  at: postgres.extensions[0]"
    assert "The extension must first be installed" in result.stderr
    assert lines[-1] == "1 error found"  # the table after it still applies: one error
    assert result.stdout == ""


def test_a_refused_view_or_policy_points_at_it(tmp_path: Path, pg_url: str) -> None:
    """What only the server knows: a role that does not exist there, and a call of the
    spec's own function with arguments it does not take (the static checks leave the
    spec's functions to the server).  PostgreSQL's refusal lands on the policy or the view."""
    result = validate(
        tmp_path,
        """\
        version: 1
        functions:
          label:
            arguments: {n: integer}
            returns: text
            language: sql
            body: SELECT 'item ' || n
        tables:
          items:
            columns:
              id: {type: integer, primary_key: true}
            row_level_security: true
            policies:
              mine: {using: "id > 0", roles: [no_such_role_here]}
        views:
          names:
            query: SELECT label(id::text) AS name FROM items
            columns: {name: text}
        """,
        pg_url,
    )
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error[" in line]
    assert errors == [
        'spec.yaml:14:13: error[postgres-refused]: PostgreSQL refused policy "mine":'
        ' role "no_such_role_here" does not exist',
        'spec.yaml:16:3: error[postgres-refused]: PostgreSQL refused view "names":'
        " function label(text) does not exist",
    ]
    assert "  at: tables.items.policies.mine" in result.stderr
    assert "  at: views.names" in result.stderr


def test_each_refused_expression_is_positioned_at_its_token(tmp_path: Path, pg_url: str) -> None:
    spec = """\
        version: 1
        tables:
          items:
            columns:
              id: {type: integer, primary_key: true}
              code: {type: text, default: {sql: "make_code()"}}
            indexes:
              - {columns: [code], where: "code <> '' AND is_live(code)"}
          others:
            columns:
              id: {type: integer, primary_key: true}
              price: {type: integer, check: "price_ok(price)"}
            checks:
              - "price > 0 AND cost_ok(price)"
        """
    result = validate(tmp_path, spec, pg_url)
    assert result.returncode == 2
    heads = [line for line in result.stderr.splitlines() if "error[" in line]
    assert heads == [
        'spec.yaml:6:42: error[postgres-refused]: PostgreSQL refused column "items"."code":'
        " function make_code() does not exist",
        'spec.yaml:12:38: error[postgres-refused]: PostgreSQL refused check "others_price_check":'
        " function price_ok(integer) does not exist",
    ]
    # A failed CREATE TABLE hides its index (it never existed) but not other tables.
    assert "is_live" not in result.stderr
    # One refusal per statement: fix the first and PostgreSQL reads on.
    fixed = spec.replace('"make_code()"', "now()::text").replace('"price_ok(price)"', "price > 0")
    result = validate(tmp_path, fixed, pg_url)
    heads = [line for line in result.stderr.splitlines() if "error[" in line]
    assert heads == [
        'spec.yaml:8:50: error[postgres-refused]: PostgreSQL refused index "items_code_idx":'
        " function is_live(text) does not exist",
        'spec.yaml:14:24: error[postgres-refused]: PostgreSQL refused check "others_price_check1":'
        " function cost_ok(integer) does not exist",
    ]


def test_accepted_spec_leaves_the_database_untouched(tmp_path: Path, pg_url: str) -> None:
    spec = (ROOT / "schema.yaml").read_text()
    result = validate(tmp_path, spec, pg_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("spec.yaml: ok (")
    assert result.stdout.endswith("tables; PostgreSQL accepts the DDL, rolled back)\n")
    assert relations(pg_url) == 0


def test_non_empty_database_says_so(tmp_path: Path, pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE items (id int)")
    result = validate(
        tmp_path,
        """\
        version: 1
        tables:
          items:
            columns:
              id: {type: integer, primary_key: true}
        """,
        pg_url,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        'spec.yaml:3:3: error[postgres-refused]: PostgreSQL refused table "items":'
        ' relation "items" already exists'
    )
    assert "give it an empty database" in result.stderr
    assert relations(pg_url) == 1  # ours, untouched


def test_static_errors_come_first_and_the_server_is_not_asked(tmp_path: Path) -> None:
    result = validate(
        tmp_path,
        """\
        version: 1
        tables:
          items:
            columns:
              id: {type: intgr, primary_key: true}
        """,
        "postgresql://nobody@127.0.0.1:1/none",
    )
    assert result.returncode == 2
    assert "error[db-connect]" not in result.stderr
    assert "unknown type 'intgr'" in result.stderr


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text((ROOT / "schema.yaml").read_text())
    result = run_cli(
        "validate", "--db", "postgresql://x@127.0.0.1:1/none", "spec.yaml", cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error[db-connect]: cannot connect to the database: ")
    assert len(result.stderr.splitlines()) == 1


def test_without_psycopg_says_how_to_install(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text((ROOT / "schema.yaml").read_text())
    code = (
        "import sys; sys.modules['psycopg'] = None; from generator.cli import main;"
        " sys.argv = ['schemagen', 'validate', '--db', 'postgresql://x@/y', 'spec.yaml']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=cli_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "error[no-psycopg]: validate --db needs psycopg: pip install 'schemagen[postgres]'\n"
    )


def _valid_specs() -> list[Path]:
    cases = sorted((ROOT / "tests" / "cases").iterdir())
    return [
        ROOT / "schema.yaml",
        *sorted(ROOT.glob("examples/*.yaml")),
        *(c / "schema.yaml" for c in cases if not list(c.rglob("stderr.txt"))),
    ]


@pytest.fixture(scope="module")
def scratch_url(pg_server: str) -> Iterator[str]:
    from pg import fresh_database

    with fresh_database(pg_server) as url:
        yield url


@pytest.mark.parametrize("path", _valid_specs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_valid_spec_is_accepted_and_rolled_back(scratch_url: str, path: Path) -> None:
    """No false refusal: what the repository generates, PostgreSQL accepts, and nothing stays."""
    from generator.pgsql.validate_db import run

    code, out, err = run(path.read_bytes(), path.name, scratch_url)
    assert (code, err) == (0, ""), err
    assert out.endswith("PostgreSQL accepts the DDL, rolled back)\n")
    assert relations(scratch_url) == 0
