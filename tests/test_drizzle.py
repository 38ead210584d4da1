"""The Drizzle output against the real tools: tsc, Prettier, drizzle-kit and PostgreSQL.

For this repository's schema.yaml, every example and every valid golden case:
the emitted schema.ts type-checks under ``tsc --strict`` and is formatted as
Prettier formats it (one run of each over all files); drizzle-kit's own
``generate`` turns it into DDL that builds the same catalog on PostgreSQL 15 as
schemagen's schema.sql: columns with types, nullability, defaults, identity and
generated expressions; every constraint and index with its name and
definition; enums; sequences with their options (serial, identity and shared ones).
What Drizzle cannot declare is listed in the file and
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
        WHERE c.relkind IN ('r', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
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
    "views": """
        SELECT schemaname, viewname, definition FROM pg_views
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL SELECT schemaname, matviewname, definition FROM pg_matviews ORDER BY 1, 2""",
    "rls": """
        SELECT n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2""",
    "sequences": """
        SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
               s.seqmin, s.seqmax, s.seqcache, s.seqcycle
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY 1, 2""",
    "policies": """
        SELECT schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check
        FROM pg_policies ORDER BY 1, 2, 3""",
}
# Each domain (by the name format_type gives it) -> its base type as format_type spells it.
DOMAINS = """
    SELECT format_type(t.oid, NULL), format_type(t.typbasetype, t.typtypmod)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"""


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
            for statement in reorder(schema, drizzle_sql):
                conn.execute(statement.encode())
        want, got = catalog(db_a), catalog(db_b)
        with psycopg.connect(db_a) as conn:
            domains = dict(conn.execute(DOMAINS).fetchall())
    ts_text = (folder / "schema.ts").read_text(encoding="utf-8")
    for kind, rows in documented_differences(schema, ts_text, domains, want).items():
        want[kind] = rows
    for kind in CATALOG:
        assert got[kind] == want[kind], kind


def reorder(schema: Schema, drizzle_sql: str) -> list[str]:
    """drizzle-kit's statements, with the one move schema.ts tells the user to make:
    a unique index a foreign key references goes before the first foreign key."""
    statements = [s for s in drizzle_sql.split("--> statement-breakpoint") if s.strip()]
    referenced = [ix.name for t in schema.tables for ix in t.indexes if ix.referenced]
    moved = [s for s in statements if any(f'INDEX "{n}" ' in s for n in referenced)]
    assert len(moved) == len(referenced), referenced
    rest = [s for s in statements if s not in moved]
    first_fk = next((i for i, s in enumerate(rest) if "FOREIGN KEY" in s), len(rest))
    return rest[:first_fk] + moved + rest[first_fk:]


def header(ts_text: str, item: str) -> str:
    """The line of schema.ts's list of what it does not carry that starts with ``item``."""
    lines = [line for line in ts_text.splitlines() if line.startswith(f"// - {item}")]
    assert len(lines) == 1, (item, lines)
    return lines[0]


def documented_differences(
    schema: Schema, ts_text: str, domains: dict[str, str], want: dict[str, list[tuple[object, ...]]]
) -> dict[str, list[tuple[object, ...]]]:
    """schema.sql's catalog as Drizzle can build it: each thing Drizzle cannot declare
    is listed in schema.ts (asserted here) and taken out of, or changed in, ``want``."""
    tables = schema.tables
    with_include = {ix.name for t in tables for ix in t.indexes if ix.include}
    for index in with_include:
        assert f"index {index} also has INCLUDE" in ts_text
    nnd = {ix.name for t in tables for ix in t.indexes if ix.nulls_not_distinct}
    for index in nnd:
        assert f"index {index} is NULLS NOT DISTINCT" in ts_text
    # Exclusion constraints and the indexes behind them are not in Drizzle.
    excl = {x.name for t in tables for x in t.exclusions}
    for name in excl:
        assert name in header(ts_text, "exclusion constraints (EXCLUDE) ")
    view_ix = {ix.name for v in schema.views for ix in v.indexes}
    for name in view_ix:
        assert f"index {name} of the materialized view is in schema.sql" in ts_text
    for ix in (ix.name for t in tables for ix in t.indexes if ix.referenced):
        assert f"index {ix} is referenced by a foreign key" in ts_text
    existing = {v.name for v in schema.views if f"{v.name}: reads a materialized view" in ts_text}
    forced = {t.name for t in tables if t.force_row_level_security}
    for name in forced:
        assert f"{name}: FORCE ROW LEVEL SECURITY" in ts_text
    # Drizzle has no domains: a domain column has the domain's base type.
    domain_cols = {
        (t.name, c.name)
        for t in tables
        for c in t.columns
        if c.type.domain or c.type.element_domain
    }
    for d in schema.domains:
        header(ts_text, f"domain {d.name}: ")
    indexes = []
    for row in want["indexes"]:
        if row[2] in excl or row[2] in view_ix:
            continue
        text = str(row[3])
        if row[2] in with_include:
            text = re.sub(r" INCLUDE \([^)]*\)", "", text)
        if row[2] in nnd:
            text = text.replace(" NULLS NOT DISTINCT", "")
        indexes.append((*row[:3], text))
    columns = []
    for row in want["columns"]:
        if row[1] in existing:
            continue
        if (row[1], row[2]) in domain_cols:  # a domain, or an array of one (year[])
            typ = str(row[3]).removesuffix("[]")
            array = str(row[3])[len(typ) :]
            domain = typ.split(".")[-1].strip('"')
            assert f"{row[1]}.{row[2]}" in header(ts_text, f"domain {domain}: ")
            row = (*row[:3], domains[typ] + array, *row[4:])
        columns.append(row)
    # Drizzle's pgSequence is bigint: a sequence of another type has its bounds there
    narrow = {(s.schema or "public", s.name): s.data_type for s in schema.sequences}
    for seq, dtype in narrow.items():
        if dtype != "bigint":
            assert f"sequence {'.'.join(p for p in seq if p != 'public')} is AS {dtype}" in ts_text
    sequences = [
        (*r[:2], "bigint", *r[3:]) if narrow.get((str(r[0]), str(r[1]))) else r
        for r in want["sequences"]
    ]
    return {
        "sequences": sequences,
        "indexes": indexes,
        "columns": columns,
        "constraints": [r for r in want["constraints"] if r[2] not in excl],
        "views": [r for r in want["views"] if r[1] not in existing],
        "rls": [(*r[:3], False if r[1] in forced else r[3]) for r in want["rls"]],
    }


@pytest.mark.parametrize("name", sorted(SPECS))
def test_schema_ts_lists_what_it_does_not_carry(name: str) -> None:
    """Functions, triggers, exclusion constraints, raw SQL and domains: each is named
    in the list at the top of schema.ts when the spec has it, and the list has no
    line for a kind the spec does not have."""
    schema = load(SPECS[name])
    text = render(schema)["schema.ts"]
    listed = [line for line in text.splitlines() if line.startswith("// - ")]
    expected = 0
    for kind, names in (
        ("functions ", [f.name for f in schema.functions]),
        ("triggers ", [f"{t.name}.{tr.name}" for t in schema.tables for tr in t.triggers]),
        ("exclusion constraints (EXCLUDE) ", [x.name for t in schema.tables for x in t.exclusions]),
    ):
        if names:
            expected += 1
            assert header(text, kind) == f"// - {kind}{', '.join(names)}"
    for d in schema.domains:
        expected += 1
        header(text, f"domain {d.name}: its columns have its base type here")
    if schema.sql_before or schema.sql_after:
        expected += 1
        header(text, "raw SQL (postgres: before/after)")
    assert len(listed) == expected, listed
    assert ("// Not in this file" in text) == (expected > 0)
