"""drizzle-kit beside schemagen: install it, and write the same schema for it.

`install()` puts pinned drizzle-kit and drizzle-orm into `bench/.node/`
(gitignored) with npm, once; `schema_ts(n)` writes, as a Drizzle schema, the
tables that `bench.synthetic_spec(n)` describes: the same tables, columns,
types, nullability, defaults, primary keys, uniques and foreign keys (with
schemagen's constraint names, so both write the same DDL objects).  What
Drizzle has no DDL for is left out on its side and said here: table comments
(schemagen writes COMMENT ON TABLE), and the ORM relationships and on-update
hook (runtime-only in Drizzle; drizzle-kit never reads them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / ".node"
VERSIONS = {"drizzle-kit": "0.31.11", "drizzle-orm": "0.45.4"}
BIN = NODE_DIR / "node_modules" / "drizzle-kit" / "bin.cjs"

# The synthetic spec's field types (bench._TYPES[:7]) as Drizzle column builders.
_BUILDERS = {
    "text": 'text("{name}")',
    "varchar(120)": 'varchar("{name}", {{ length: 120 }})',
    "integer": 'integer("{name}")',
    "bigint": 'bigint("{name}", {{ mode: "number" }})',
    "boolean": 'boolean("{name}")',
    "timestamptz": 'timestamp("{name}", {{ withTimezone: true }})',
    "numeric(12,2)": 'numeric("{name}", {{ precision: 12, scale: 2 }})',
}
_DEFAULTS = {"text": '.default("it\'s")', "integer": ".default(0)", "boolean": ".default(false)"}


def _installed_version(package: str) -> str | None:
    try:
        meta = json.loads((NODE_DIR / "node_modules" / package / "package.json").read_text())
    except (OSError, ValueError):
        return None
    return str(meta.get("version"))


def install() -> str | None:
    """Install the pinned versions if needed; the reason when drizzle-kit cannot run."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are not installed"
    if all(_installed_version(p) == v for p, v in VERSIONS.items()):
        return None
    NODE_DIR.mkdir(exist_ok=True)
    package = {"name": "schemagen-bench", "private": True, "dependencies": VERSIONS}
    (NODE_DIR / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    proc = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--save-exact"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not BIN.exists():
        return f"npm install failed: {proc.stderr.strip().splitlines()[-1:]}"
    return None


def _table(i: int, types: list[str]) -> list[str]:
    name = f"table_{i:05d}"
    cols = ['    id: uuid("id").notNull().defaultRandom(),']
    extras = [f'    primaryKey({{ name: "{name}_pkey", columns: [t.id] }}),']
    for parent in sorted({i // 2, i - 1}):
        if 0 <= parent < i:
            col = f"ref_{parent:05d}_id"
            not_null = "" if parent == i - 1 else ".notNull()"
            cols.append(f'    {col}: uuid("{col}"){not_null},')
            extras.append(
                f'    foreignKey({{ name: "{name}_{col}_fkey", columns: [t.{col}], '
                f'foreignColumns: [table_{parent:05d}.id] }}).onDelete("cascade"),'
            )
    cols.append('    code: varchar("code", { length: 40 }).notNull(),')
    extras.append(f'    unique("{name}_code_key").on(t.code),')
    for j, type_ in enumerate(types):
        not_null = "" if j % 2 == 0 else ".notNull()"
        builder = _BUILDERS[type_].format(name=f"field_{j}")
        cols.append(f"    field_{j}: {builder}{not_null}{_DEFAULTS.get(type_, '')},")
    for col in ("created_at", "updated_at"):
        cols.append(
            f'    {col}: timestamp("{col}", {{ withTimezone: true }}).notNull().defaultNow(),'
        )
    return [
        f'export const {name} = pgTable("{name}", {{',
        *cols,
        "}, (t) => [",
        *extras,
        "]);",
        "",
    ]


def schema_ts(tables: int, types: list[str]) -> str:
    """The Drizzle schema of `bench.synthetic_spec(tables)` (`types`: its field types)."""
    out = [
        "import {",
        "  bigint, boolean, foreignKey, integer, numeric, pgTable, primaryKey,",
        "  text, timestamp, unique, uuid, varchar,",
        '} from "drizzle-orm/pg-core";',
        "",
    ]
    for i in range(tables):
        out.extend(_table(i, types))
    return "\n".join(out)


def command(schema: Path, out: Path) -> list[str]:
    return [
        "node", str(BIN), "generate", "--dialect", "postgresql",
        "--schema", str(schema), "--out", str(out),
    ]  # fmt: skip
