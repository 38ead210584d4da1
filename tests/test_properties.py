"""Properties, with hypothesis (issue 5).

1. Random valid specs (names incl. reserved words, every type, enums,
   nullability, literal and SQL defaults, uniques, references incl. cycles): generation succeeds,
   the DDL applies on PostgreSQL and the catalog matches the model (columns,
   types, nullability, keys, foreign keys and their actions, string defaults
   byte for byte).
2. Random mutations of valid specs (deleted lines, garbage scalars, random
   bytes, shifted indentation): every run ends in output or positioned
   diagnostics, never an exception; through the CLI, exit 0 or 2 and no
   traceback.

Bounded and reproducible: ``derandomize=True`` and no example database, so CI
runs the same examples every time.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.diagnostics import format_all
from generator.model import Schema
from generator.pipeline import generate, load_schema
from generator.types import ALIASES, PG_BUILTIN_TYPES, TYPES

ROOT = Path(__file__).resolve().parent.parent
FIXED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Failures that depend only on Python naming (two names mapping to one
# attribute or class); the DDL properties are about everything else.
PYTHON_ONLY = {
    "attribute-collision",
    "relation-collision",
    "duplicate-class-name",
    "invalid-class-name",
    "json-name-collision",
}

RESERVED = ["user", "order", "select", "table", "group", "check", "no", "off", "yes", "true"]
names = st.one_of(st.sampled_from(RESERVED), st.from_regex(r"[a-z][a-z0-9_]{0,24}", fullmatch=True))
safe_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


SQL_DEFAULTS = {
    "timestamp": "now()",
    "timestamptz": "now()",
    "date": "CURRENT_DATE",
    "uuid": "gen_random_uuid()",
    "text": "lower('AB')",
    "integer": "1 + 2",
}
labels = st.lists(
    safe_text.filter(lambda s: 0 < len(s.encode()) <= 63), min_size=1, max_size=4, unique=True
)


@st.composite
def column(
    draw: Any, enums: dict[str, list[str]] | None = None, domains: list[str] | None = None
) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                *(["enum"] if enums else []),
                *(["domain"] if domains else []),
                "char",
                "alias",
                "serial",
                "tsvector",
                "tsquery",
                "int4range",
                "tstzrange",
                "daterange",
                "numrange",
                "text",
                "varchar",
                "smallint",
                "integer",
                "bigint",
                "numeric",
                "real",
                "double precision",
                "boolean",
                "timestamp",
                "timestamptz",
                "date",
                "uuid",
                "jsonb",
                "bytea",
                "interval",
                "time",
            ]
        )
    )
    col: dict[str, Any] = {"nullable": draw(st.booleans())}
    default: Any = None
    if kind == "varchar":
        length = draw(st.integers(1, 10_485_760))
        kind = f"varchar({length})"
        default = draw(st.none() | safe_text.filter(lambda s: len(s) <= length))
    elif kind == "numeric":
        precision = draw(st.integers(1, 1000))
        scale = draw(st.integers(0, min(precision, 6)))
        kind = f"numeric({precision},{scale})"
        whole = min(precision - scale, 12)
        if whole > 0 and draw(st.booleans()):
            default = str(
                draw(st.decimals(-(10**whole) + 1, 10**whole - 1, places=scale, allow_nan=False))
            )
    elif kind == "text":
        default = draw(st.none() | safe_text)
    elif kind in ("smallint", "integer", "bigint"):
        bits = {"smallint": 15, "integer": 31, "bigint": 63}[kind]
        default = draw(st.none() | st.integers(-(2**bits), 2**bits - 1))
    elif kind == "boolean":
        default = draw(st.none() | st.booleans())
    elif kind == "date":
        default = draw(st.none() | st.dates().map(lambda d: d.isoformat()))
    elif kind == "double precision":
        default = draw(st.none() | st.floats(allow_nan=False, allow_infinity=False))
    elif kind == "char":
        length = draw(st.integers(1, 20))
        kind = f"char({length})"
        default = draw(st.none() | safe_text.filter(lambda s: len(s) <= length))
    elif kind == "alias":  # a spelling copied from real DDL
        kind = draw(st.sampled_from(sorted(ALIASES)))
    elif kind == "serial":
        kind = draw(st.sampled_from(["serial", "bigserial", "smallserial"]))
        col["nullable"] = False
    elif kind == "domain":
        assert domains
        kind = draw(st.sampled_from(domains))
    elif kind == "enum":
        assert enums
        kind = draw(st.sampled_from(sorted(enums)))
        default = draw(st.none() | st.sampled_from(enums[kind]))
    if kind.endswith("range"):
        # Never required in an insert: a PgRange dumps as a dict, which the ORM
        # takes only as Range(**value) (README, Ranges).
        col["nullable"] = True
    if kind in SQL_DEFAULTS and draw(st.integers(0, 3)) == 0:
        default = {"sql": SQL_DEFAULTS[kind]}
    col["type"] = kind
    if default is not None:
        col["default"] = default
    return col


@st.composite
def spec(draw: Any, min_enums: int = 0) -> dict[str, Any]:
    table_names = draw(st.lists(names, min_size=1, max_size=5, unique_by=str.lower))
    enum_names = draw(st.lists(names, min_size=min_enums, max_size=2, unique_by=str.lower))
    # An enum is a type, and so is every table: the names must differ.
    enums = {e: draw(labels) for e in enum_names if e.lower() not in map(str.lower, table_names)}
    taken = {n.lower() for n in [*table_names, *enums]} | set(TYPES) | set(ALIASES)
    domain_names = draw(st.lists(names, max_size=2, unique_by=str.lower))
    domain_names = [n for n in domain_names if n.lower() not in taken | PG_BUILTIN_TYPES]
    domains = {
        n: {
            "type": "integer",
            "checks": ["VALUE >= 0"],
            **draw(st.sampled_from([{}, {"default": 0}])),
        }
        for n in domain_names
    }
    tables: dict[str, Any] = {}
    id_types = {}
    for i, name in enumerate(table_names):
        id_types[name] = draw(st.sampled_from(["integer", "bigint", "uuid", "text"]))
        cols: dict[str, Any] = {"id": {"type": id_types[name], "primary_key": True}}
        indexes: list[dict[str, Any]] = []
        for cname in draw(st.lists(names, max_size=6, unique_by=str.lower)):
            if cname.lower() != "id":
                cols[cname] = draw(column(enums, list(domains)))
                kind = cols[cname]["type"]
                if draw(st.integers(0, 3)) == 0:
                    cols[cname]["unique"] = True
                quoted = '"' + cname + '"'
                if kind == "text" and draw(st.booleans()):  # an expression index
                    indexes.append({"columns": [f"lower({quoted})"], "unique": draw(st.booleans())})
                elif kind == "jsonb" and draw(st.booleans()):  # an operator class
                    column_op = {"column": cname, "opclass": "jsonb_path_ops"}
                    indexes.append({"columns": [column_op], "using": "gin"})
                elif kind in ("tsvector", "tstzrange") and draw(st.booleans()):
                    indexes.append({"columns": [cname], "using": "gist"})
        tables[name] = {"class_name": f"Model{i}", "columns": cols}
        if indexes:
            tables[name]["indexes"] = indexes
    for i, name in enumerate(table_names):  # references, cycles and self-references included
        for j in range(draw(st.integers(0, 2))):
            target = draw(st.sampled_from(table_names))
            nullable = draw(st.booleans())
            actions = ["no action", "restrict", "cascade"] + (["set null"] if nullable else [])
            tables[name]["columns"][f"ref{j}_{target}"[:60]] = {
                "type": id_types[target],
                "nullable": nullable,
                "references": {
                    "to": f"{target}.id",
                    "on_delete": draw(st.sampled_from(actions)),
                    "on_update": draw(st.sampled_from(actions)),
                    "relation": f"fwd{i}_{j}",
                    "inverse": f"inv{i}_{j}",
                },
            }
    return {
        "version": 1,
        **({"enums": enums} if enums else {}),
        **({"domains": domains} if domains else {}),
        "tables": tables,
    }


class _Dumper(yaml.SafeDumper):
    """Every string double-quoted: a spec written by a careful human (``N`` or
    ``0755`` unquoted are refused as ambiguous, which is tested elsewhere)."""


_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"'))


def dump(data: dict[str, Any]) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False).encode()


ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}


def catalog(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """What PostgreSQL says the public schema holds, in the model's terms."""
    out: dict[str, Any] = {}
    for (table,) in conn.execute(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
    ):
        out[table] = {
            "columns": conn.execute(
                "SELECT attname, format_type(atttypid, atttypmod), NOT attnotnull "
                "FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped ORDER BY attnum",
                [f'"{table}"'],
            ).fetchall(),
            "constraints": sorted(
                conn.execute(
                    "SELECT k.conname, k.contype::text, "
                    "  (SELECT array_agg(attname ORDER BY ord) FROM unnest(k.conkey) "
                    "   WITH ORDINALITY u(n, ord) JOIN pg_attribute a "
                    "   ON a.attrelid = k.conrelid AND a.attnum = u.n), "
                    "  f.relname, k.confdeltype::text, k.confupdtype::text "
                    "FROM pg_constraint k LEFT JOIN pg_class f ON f.oid = k.confrelid "
                    "WHERE k.conrelid = %s::regclass",
                    [f'"{table}"'],
                ).fetchall(),
                key=repr,
            ),
        }
    return out


def expected(schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for t in schema.tables:
        cons = [(t.primary_key.name, "p", list(t.primary_key.columns), None, " ", " ")]
        cons += [(u.name, "u", list(u.columns), None, " ", " ") for u in t.uniques]
        rev = {v: k for k, v in ACTIONS.items()}
        cons += [
            (f.name, "f", list(f.columns), f.ref_table, rev[f.on_delete], rev[f.on_update])
            for f in t.foreign_keys
        ]
        out[t.name] = {
            "columns": [(c.name, c.type.catalog, c.nullable) for c in t.columns],
            "constraints": sorted(cons, key=repr),
        }
    return out


@settings(FIXED, max_examples=30)
@given(data=spec())
def test_random_valid_specs_apply_and_match_the_catalog(pg_url: str, data: dict[str, Any]) -> None:
    raw = dump(data)
    loaded = load_schema(raw, "schema.yaml")
    assume(not {d.code for d in loaded.diagnostics} & PYTHON_ONLY)
    assert not loaded.diagnostics, format_all(loaded.diagnostics, loaded.sources)
    result = generate(raw, "schema.yaml")
    assert result.ok, format_all(result.diagnostics, result.sources)
    assert loaded.schema is not None
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        conn.execute(result.files["schema.sql"].encode())
        assert catalog(conn) == expected(loaded.schema)
        for t in loaded.schema.tables:  # string defaults come back byte for byte
            for c in t.columns:
                if c.default is not None and c.default.kind == "literal":
                    (value,) = conn.execute(f"SELECT {c.default.sql}").fetchone() or (None,)
                    if isinstance(c.default.value, str):
                        assert value == c.default.value
                    elif isinstance(c.default.value, (int, Decimal)) and not isinstance(
                        c.default.value, bool
                    ):
                        assert Decimal(value) == Decimal(c.default.value)


GARBAGE = [
    "yes",
    "no",
    "0755",
    "12:30",
    "1_000",
    "2024-01-31",
    "~",
    "[]",
    "{}",
    "'",
    '"',
    "!!python/object/apply:os.system ['true']",
    "&a x",
    "*a",
    "- x",
    "\t",
    ": :",
    "{sql: 'now()'}",
    "varchar(0)",
    "numeric(5,2",
    "references: x.y",
    "<<: *a",
    "---",
    "%YAML 1.1",
    "\x00",
    "\ufeff",
    "é",
]


@st.composite
def mutated(draw: Any) -> bytes:
    base = dump(draw(spec())) if draw(st.booleans()) else (ROOT / "schema.yaml").read_bytes()
    lines = base.split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        op = draw(st.sampled_from(["delete", "garbage", "bytes", "indent", "duplicate", "value"]))
        if op == "delete":
            del lines[i]
        elif op == "garbage":
            lines.insert(i, draw(st.sampled_from(GARBAGE)).encode())
        elif op == "bytes":
            junk = draw(st.binary(min_size=1, max_size=8))
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
        elif op == "indent":
            lines[i] = b" " * draw(st.integers(0, 7)) + lines[i].lstrip()
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif b":" in lines[i]:  # replace a value with garbage
            key = lines[i].split(b":", 1)[0]
            lines[i] = key + b": " + draw(st.sampled_from(GARBAGE)).encode()
        if not lines:
            lines = [b""]
    return b"\n".join(lines)


@settings(FIXED, max_examples=40)
@given(raw=mutated())
def test_mutated_specs_end_in_output_or_positioned_diagnostics(raw: bytes) -> None:
    result = generate(raw, "schema.yaml")
    if result.ok:
        assert result.files
        return
    assert result.files == {}
    for d in result.diagnostics:
        assert d.code and d.message
        assert d.span is not None and d.span.line >= 1 and d.span.col >= 1, d
        assert d.code != "sql-check", d  # never a bug in our own SQL
    format_all(result.diagnostics, result.sources)  # and the report renders


@settings(FIXED, max_examples=6)
@given(raw=mutated())
def test_mutated_specs_through_the_cli_exit_0_or_2_without_a_traceback(
    tmp_path: Path, raw: bytes
) -> None:
    (tmp_path / "schema.yaml").write_bytes(raw)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
    )
    assert proc.returncode in (1, 2), proc.stderr  # 1: valid (nothing generated yet)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    if proc.returncode == 2:
        assert "schema.yaml:" in proc.stderr and "error[" in proc.stderr
