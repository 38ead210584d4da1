"""The Drizzle output against the real tools: tsc, Prettier, drizzle-kit and PostgreSQL.

For this repository's schema.yaml, every example and every valid golden case:
the emitted schema.ts type-checks under ``tsc --strict`` and is formatted as
Prettier formats it (one run of each over all files); drizzle-kit's own
``generate`` turns it into DDL that builds the same catalog on PostgreSQL 15 as
schemagen's schema.sql: columns with types, nullability, defaults, identity and
generated expressions; every constraint and index with its name and
definition; enums.  What Drizzle cannot declare is listed in the file and
checked to be exactly that (index INCLUDE columns); comments and the on-update
trigger are outside the comparison by design (Drizzle has neither).
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import psycopg
import pytest
from nodetools import run, workdir
from pg import fresh_database

from generator.model import Outputs, Schema
from generator.pipeline import load_schema
from generator.render import render_all

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SPECS = {
    "repository": ROOT / "schema.yaml",
    **{f"example_{p.stem}": p for p in sorted((ROOT / "examples").glob("*.yaml"))},
    **{
        f"case_{p.name}": p / "schema.yaml"
        for p in sorted(CASES.iterdir())
        if (p / "schema.yaml").is_file() and not p.name.startswith("invalid_")
    },
}
BOTH = Outputs((("schema_sql", "schema.sql"), ("drizzle", "schema.ts")))


def load(path: Path) -> Schema:
    loaded = load_schema(path.read_bytes(), "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    return loaded.schema


def render(schema: Schema) -> dict[str, str]:
    """schema.sql and schema.ts, whatever the spec's own ``outputs:`` chose."""
    return render_all(dataclasses.replace(schema, outputs=BOTH))


@pytest.fixture(scope="session")
def emitted(node_tools: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = workdir(node_tools, tmp_path_factory.mktemp("drizzle"))
    for name, spec in SPECS.items():
        (root / name).mkdir()
        for rel, text in render(load(spec)).items():
            (root / name / rel).write_text(text, encoding="utf-8")
    return root


def test_every_schema_ts_passes_tsc_strict(node_tools: Path, emitted: Path) -> None:
    (emitted / "tsconfig.json").write_text(
        '{"compilerOptions": {"strict": true, "noEmit": true, "target": "ES2022",'
        ' "module": "NodeNext", "moduleResolution": "NodeNext", "skipLibCheck": true,'
        ' "types": ["node"]}, "include": ["*/schema.ts"]}\n'
    )
    run(node_tools, ["tsc", "-p", "tsconfig.json"], emitted)


def test_every_schema_ts_is_formatted_as_prettier_formats_it(
    node_tools: Path, emitted: Path
) -> None:
    out = run(node_tools, ["prettier", "--check", "*/schema.ts"], emitted)
    assert "All matched files use Prettier code style" in out


def test_prettier_check_can_fail(node_tools: Path, emitted: Path) -> None:
    bad = emitted / "repository" / "unformatted.ts"
    bad.write_text("export const x = {a:1}\n")
    exe = node_tools / "node_modules" / ".bin" / "prettier"
    done = subprocess.run([str(exe), "--check", str(bad)], capture_output=True, text=True)
    bad.unlink()
    assert done.returncode != 0


CATALOG = {
    "columns": """
        SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
               a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2, a.attnum""",
    "constraints": """
        SELECT n.nspname, c.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)
        FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2, 3""",
    "indexes": """
        SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3""",
    "enums": """
        SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        JOIN pg_namespace n ON n.oid = t.typnamespace GROUP BY 1, 2 ORDER BY 1, 2""",
}


def catalog(url: str) -> dict[str, list[tuple[object, ...]]]:
    with psycopg.connect(url) as conn:
        return {k: [tuple(r) for r in conn.execute(q).fetchall()] for k, q in CATALOG.items()}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_drizzle_kit_builds_the_catalog_of_schema_sql(
    name: str, node_tools: Path, emitted: Path, pg_server: str
) -> None:
    folder = emitted / name
    run(
        node_tools,
        ["drizzle-kit", "generate", "--dialect", "postgresql", "--schema", "./schema.ts"]
        + ["--out", "./drizzle", "--name", "init"],
        folder,
    )
    assert_same_catalog(folder, load(SPECS[name]), pg_server)


def assert_same_catalog(folder: Path, schema: Schema, pg_server: str) -> None:
    """drizzle-kit's DDL (already generated in ``folder/drizzle``) and schema.sql, each
    applied to a fresh database, give the same catalog."""
    drizzle_sql = (folder / "drizzle" / "0000_init.sql").read_text(encoding="utf-8")
    with fresh_database(pg_server) as db_a, fresh_database(pg_server) as db_b:
        with psycopg.connect(db_a, autocommit=True) as conn:
            conn.execute((folder / "schema.sql").read_bytes())
        with psycopg.connect(db_b, autocommit=True) as conn:
            for ext in schema.extensions:  # drizzle-kit leaves extensions to the user
                conn.execute(f'CREATE EXTENSION IF NOT EXISTS "{ext}"')
            for statement in drizzle_sql.split("--> statement-breakpoint"):
                if statement.strip():
                    conn.execute(statement.encode())
        want, got = catalog(db_a), catalog(db_b)
    # The one thing Drizzle cannot declare: INCLUDE columns, listed in schema.ts.
    with_include = {ix.name for t in schema.tables for ix in t.indexes if ix.include}
    ts_text = (folder / "schema.ts").read_text(encoding="utf-8")
    for index in with_include:
        assert f"index {index} also has INCLUDE" in ts_text
    want["indexes"] = [
        (
            *row[:3],
            re.sub(r" INCLUDE \([^)]*\)", "", str(row[3])) if row[2] in with_include else row[3],
        )
        for row in want["indexes"]
    ]
    for kind in CATALOG:
        assert got[kind] == want[kind], kind
