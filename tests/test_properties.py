"""Properties, with hypothesis (issues 5 and 9).

1. Random valid specs (names incl. reserved words and capitals, every type,
   enums, nullability, literal and SQL defaults, uniques, references incl.
   cycles, junctions to two tables or to one, CHECKs, generated columns,
   indexes of every method the column's type allows, partial indexes):
   generation succeeds, the DDL applies on
   PostgreSQL and the catalog matches the model (columns, types, nullability,
   keys, foreign keys and their actions, checks, generated columns, indexes,
   string defaults byte for byte).  500 examples, on one connection, each in
   a transaction rolled back (tests/test_accepted_applies.py has the mutants).
2. Random mutations of valid specs (deleted lines, garbage scalars, random
   bytes, shifted indentation): every run ends in output or positioned
   diagnostics, never an exception; through the CLI, exit 0 or 2 and no
   traceback.

Bounded and reproducible: ``derandomize=True`` and no example database, so CI
runs the same examples every time.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.diagnostics import format_all
from generator.model import Schema, int_bounds
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
        if draw(st.booleans()):  # an array of the domain (issue 12)
            kind += "[]"
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


# Accepted names that trip a naive generator: capitals (quoted everywhere),
# keywords, names of functions and of objects PostgreSQL creates.
HOSTILE = ["Price", "userName", "user", "order", "end", "current_date", "oid", "pg_stats2"]
HOSTILE += ["t_id_seq", "value", "select", "ID2", "xmin_", "analyse", "if", "alter"]
hostile = st.one_of(names, st.sampled_from(HOSTILE))


@st.composite
def spec(
    draw: Any, min_enums: int = 0, extras: bool = False, junctions: bool = False
) -> dict[str, Any]:
    """``extras``: hostile names, CHECKs, generated columns and indexes too;
    ``junctions``: many-to-many junction tables, to two tables or to one."""
    names = hostile if extras else globals()["names"]
    table_names = draw(st.lists(names, min_size=1, max_size=5, unique_by=str.lower))
    # enums keep plain names: an enum named like a built-in type (oid) is refused
    plain = globals()["names"]
    enum_names = draw(st.lists(plain, min_size=min_enums, max_size=2, unique_by=str.lower))
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
                    element: Any = f"lower({quoted})"
                    if draw(st.booleans()):  # with an operator class on the expression
                        element = {"expression": element, "opclass": "text_pattern_ops"}
                    indexes.append({"columns": [element], "unique": draw(st.booleans())})
                elif kind == "jsonb" and draw(st.booleans()):  # an operator class
                    column_op = {"column": cname, "opclass": "jsonb_path_ops"}
                    indexes.append({"columns": [column_op], "using": "gin"})
                elif kind in ("tsvector", "tstzrange") and draw(st.booleans()):
                    indexes.append({"columns": [cname], "using": "gist"})
        tables[name] = {"class_name": f"Model{i}", "columns": cols}
        pairs = [c for c, v in cols.items() if c != "id" and "json" not in v["type"]]
        if len(pairs) >= 2 and draw(st.booleans()):  # a two-column unique, NULLs equal or not
            together = draw(st.permutations(pairs))[:2]
            nulls = draw(st.booleans())
            tables[name]["unique"] = [{"columns": together, "nulls_not_distinct": nulls}]
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
    if junctions:
        draw(junction_tables(tables, id_types, table_names))
    if extras:
        for table in tables.values():
            draw(expressions(table))
    sequences = add_sequences(draw, tables, names, [*enums, *domains])
    return {
        "version": 1,
        **({"enums": enums} if enums else {}),
        **({"domains": domains} if domains else {}),
        **({"sequences": sequences} if sequences else {}),
        "tables": tables,
    }


# Names PostgreSQL derives for keys, indexes and serial sequences: a sequence named
# so could take one (the spec refuses that, duplicate-name).
DERIVED = re.compile(r".*_(seq|idx|pkey|key|excl|check|fkey)\d*")


@st.composite
def sequence_options(draw: Any) -> dict[str, Any]:
    """Valid options of a ``sequences:`` entry, any of them left to PostgreSQL."""
    kind = draw(st.sampled_from(["smallint", "integer", "bigint"]))
    least, greatest = int_bounds(kind)
    out: dict[str, Any] = {} if kind == "bigint" and draw(st.booleans()) else {"type": kind}
    increment = draw(st.sampled_from([1, 1, 2, -1, 10]))
    if increment != 1:
        out["increment"] = increment
    low, high = (1, greatest) if increment > 0 else (least, -1)
    if draw(st.booleans()):
        low = draw(st.integers(least, greatest - 1))
        high = draw(st.integers(low + 1, greatest))
        out.update(min=low, max=high)
    if draw(st.booleans()):
        out["start"] = draw(st.integers(low, high))
    if draw(st.integers(0, 3)) == 0:
        out["cache"] = draw(st.integers(1, 50))
    if draw(st.integers(0, 3)) == 0:
        out["cycle"] = True
    if draw(st.integers(0, 3)) == 0:
        out["description"] = draw(safe_text.filter(bool))
    return out


def add_sequences(
    draw: Any, tables: dict[str, Any], names: Any, types: list[str]
) -> dict[str, Any]:
    """Sequences with random options, each drawn from by columns of some tables, and
    sometimes owned by one of them.  Not named as a table, an enum or a domain."""
    taken = {n.lower() for n in [*tables, *types]}
    drawn = draw(st.lists(names, max_size=2, unique_by=str.lower))
    out: dict[str, Any] = {}
    for name in [n for n in drawn if n.lower() not in taken and not DERIVED.fullmatch(n)]:
        options = draw(sequence_options())
        users = []
        for table in draw(st.lists(st.sampled_from(sorted(tables)), max_size=2, unique=True)):
            column = f"num_{name}"[:63]
            if column.lower() in {c.lower() for c in tables[table]["columns"]}:
                continue
            kind = options.get("type", "bigint")
            tables[table]["columns"][column] = {
                "type": draw(st.sampled_from([kind, "bigint"])),
                "default": {"sequence": name},
            }
            users.append(f"{table}.{column}")
        if users and draw(st.booleans()):
            options["owned_by"] = draw(st.sampled_from(users))
        out[name] = options
    return out


# Column pairs of a junction whose two keys reach one table: both name a role,
# one names the table itself (user_id: the other side reads "friend_of"), no _id.
SELF_JUNCTION_COLUMNS = [("follower_id", "followee_id"), ("{t}_id", "friend_id"), ("src", "dst")]


@st.composite
def junction_tables(
    draw: Any, tables: dict[str, Any], id_types: dict[str, str], table_names: list[str]
) -> None:
    """Junctions: the primary key is two foreign keys, to two tables or to one
    (``user_follows``), so the ORM gets many-to-many relationships across them."""
    taken = {n.lower() for n in tables}
    for k in range(draw(st.integers(0, 2))):
        name = f"junction{k}"
        if name in taken:
            continue
        a = draw(st.sampled_from(table_names))
        b = a if draw(st.booleans()) else draw(st.sampled_from(table_names))
        if a == b:
            first, second = draw(st.sampled_from(SELF_JUNCTION_COLUMNS))
            first = first.format(t=a)[:60]
        else:
            first, second = f"{a}_id"[:60], f"{b}_id"[:60]
        if first.lower() == second.lower():
            second += "2"
        cols: dict[str, Any] = {}
        for j, (column, target) in enumerate(((first, a), (second, b))):
            ref = {"to": f"{target}.id", "on_delete": "cascade", "inverse": f"jinv{k}_{j}"}
            cols[column] = {"type": id_types[target], "references": ref}
        if draw(st.booleans()):  # a column that fills itself keeps it a junction
            cols["created_at"] = {"type": "timestamptz", "default": {"sql": "now()"}}
        tables[name] = {"class_name": f"Junction{k}", "primary_key": [first, second]}
        tables[name]["columns"] = cols


def ref(name: str) -> str:
    """A column as an expression reads it: bare when PostgreSQL would fold and
    read it as written, else quoted."""
    from generator.pgkeywords import QUOTED_KEYWORDS

    plain = name.islower() and name not in QUOTED_KEYWORDS and name not in SQL_WORDS
    return name if plain else '"' + name.replace('"', '""') + '"'


# Words that read as something else when bare, though not reserved
SQL_WORDS = {"user", "current_date", "current_user", "session_user", "current_role", "value"}
# Expressions by column type: (CHECK, generated column (type, expression))
BY_TYPE: dict[str, tuple[list[str], list[tuple[str, str]]]] = {
    "number": (["{c} >= 0", "abs({c}) < 1000000", "{c} IS NOT NULL OR {c} IS NULL"], []),
    "integer": (["{c} % 2 = 0 OR {c} > 5"], [("bigint", "{c} * 2"), ("text", "{c}::text")]),
    "text": (["length({c}) < 1000", "{c} <> ''", "{c} ~ '^[a-z]*$'"], [("text", "lower({c})")]),
    "boolean": (["{c} OR NOT {c}"], [("boolean", "NOT {c}")]),
    "moment": (["{c} > '2000-01-01'"], []),
    "jsonb": (["jsonb_typeof({c}) <> 'null'"], [("boolean", "{c} ? 'k'")]),
}


def family(kind: str) -> str | None:
    if kind in ("integer", "smallint", "bigint"):
        return "integer"
    if kind.startswith(("numeric", "real", "double")):
        return "number"
    if kind.startswith(("text", "varchar")):
        return "text"
    if kind in ("timestamp", "timestamptz", "date"):
        return "moment"
    return kind if kind in BY_TYPE else None


@st.composite
def expressions(draw: Any, table: dict[str, Any]) -> None:
    """Add CHECKs, generated columns and indexes that PostgreSQL accepts to ``table``."""
    from generator.pgsql.opclasses import METHODS, has_default_opclass

    cols = table["columns"]
    typed = [(n, c["type"]) for n, c in cols.items() if isinstance(c.get("type"), str)]
    for name, kind in typed:
        fam = family(kind)
        if fam is None or draw(st.integers(0, 2)):
            continue
        checks, generated = BY_TYPE[fam]
        if fam == "integer":
            checks = checks + BY_TYPE["number"][0]
        what = draw(st.sampled_from(["check", "generated"] if generated else ["check"]))
        if what == "check":
            cols[name]["check"] = draw(st.sampled_from(checks)).format(c=ref(name))
        else:
            gtype, sql = draw(st.sampled_from(generated))
            gname = f"{name}_gen"[:60]
            if gname.lower() not in map(str.lower, cols):
                cols[gname] = {
                    "type": gtype,
                    "nullable": True,
                    "generated": {"sql": sql.format(c=ref(name))},
                }
    indexes = []
    for name, kind in typed:
        if draw(st.integers(0, 2)):
            continue
        # an enum, a domain (of integer) or a serial: any enum's methods fit; an array of
        # a domain: an integer array's
        base = kind if has_default_opclass("btree", kind) is not None else "enum"
        base = "integer[]" if kind.endswith("[]") and base == "enum" else base
        usable = [m for m in METHODS if has_default_opclass(m, base)]
        if not usable:
            continue
        index: dict[str, Any] = {"columns": [name], "using": draw(st.sampled_from(usable))}
        if index["using"] == "btree" and draw(st.booleans()):
            index["unique"] = True
        if draw(st.booleans()):
            index["where"] = draw(st.sampled_from(["{c} IS NOT NULL", "NOT ({c} IS NULL)"])).format(
                c=ref(name)
            )
        if not any(
            i["columns"] == index["columns"] and i["using"] == index["using"] for i in indexes
        ):
            indexes.append(index)
    if indexes:
        table["indexes"] = indexes


SPEC_KINDS = {"text", "smallint", "integer", "bigint", "real", "double precision", "boolean"}
SPEC_KINDS |= {"timestamp", "timestamptz", "date", "uuid", "jsonb", "bytea", "interval", "time"}


class _Dumper(yaml.SafeDumper):
    """Every string double-quoted: a spec written by a careful human (``N`` or
    ``0755`` unquoted are refused as ambiguous, which is tested elsewhere)."""


_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"'))


def dump(data: dict[str, Any]) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False).encode()


ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}


SEQUENCES = """
    SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
           s.seqmax, s.seqcache, s.seqcycle, obj_description(c.oid, 'pg_class'),
           (SELECT t.relname || '.' || a.attname FROM pg_depend d
            JOIN pg_class t ON t.oid = d.refobjid
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'a')
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
    WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1"""


def catalog(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """What PostgreSQL says the public schema holds, in the model's terms."""
    out: dict[str, Any] = {"sequences": [tuple(r) for r in conn.execute(SEQUENCES)]}
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
                    "  f.relname, k.confdeltype::text, k.confupdtype::text, "
                    "  k.contype = 'u' AND (SELECT i.indnullsnotdistinct FROM pg_index i "
                    "   WHERE i.indexrelid = k.conindid) "
                    "FROM pg_constraint k LEFT JOIN pg_class f ON f.oid = k.confrelid "
                    "WHERE k.conrelid = %s::regclass AND k.contype <> 'c'",
                    [f'"{table}"'],
                ).fetchall(),
                key=repr,
            ),
            "checks": sorted(
                name
                for (name,) in conn.execute(
                    "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass"
                    " AND contype = 'c'",
                    [f'"{table}"'],
                )
            ),
            "generated": [
                name
                for (name,) in conn.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass"
                    " AND attgenerated = 's' ORDER BY attnum",
                    [f'"{table}"'],
                )
            ],
            "indexes": sorted(
                conn.execute(
                    "SELECT c.relname, a.amname, i.indisunique, i.indpred IS NOT NULL,"
                    " ARRAY(SELECT o.opcname FROM unnest(i.indclass::oid[]) WITH ORDINALITY"
                    " u(x, n) JOIN pg_opclass o ON o.oid = u.x WHERE NOT o.opcdefault ORDER BY n)"
                    " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                    " JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = %s::regclass"
                    " AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = c.oid)",
                    [f'"{table}"'],
                ).fetchall()
            ),
        }
    return out


def expected(schema: Schema) -> dict[str, Any]:
    sequences = [
        (q.name, q.data_type, q.start, q.increment, q.min_value, q.max_value, q.cache, q.cycle,
         q.description, ".".join(q.owned_by) if q.owned_by else None)
        for q in schema.sequences
    ] + [
        (c.sequence, c.type.catalog, 1, 1, 1, int_bounds(c.type.catalog)[1], 1, False, None,
         f"{t.name}.{c.name}")
        for t in schema.tables for c in t.columns if c.sequence is not None
    ]  # fmt: skip
    out: dict[str, Any] = {"sequences": sorted(sequences, key=lambda r: r[0].encode())}
    for t in schema.tables:
        cons = [(t.primary_key.name, "p", list(t.primary_key.columns), None, " ", " ", False)]
        cons += [
            (u.name, "u", list(u.columns), None, " ", " ", u.nulls_not_distinct) for u in t.uniques
        ]
        rev = {v: k for k, v in ACTIONS.items()}
        cons += [
            (f.name, "f", list(f.columns), f.ref_table, rev[f.on_delete], rev[f.on_update], False)
            for f in t.foreign_keys
        ]
        out[t.name] = {
            "columns": [(c.name, c.type.catalog, c.nullable) for c in t.columns],
            "constraints": sorted(cons, key=repr),
            "checks": sorted(k.name for k in t.checks),
            "generated": [c.name for c in t.columns if c.generated is not None],
            "indexes": sorted(
                (i.name, i.using, i.unique, i.where is not None, opclasses(i)) for i in t.indexes
            ),
        }
    return out


def opclasses(index: Any) -> list[str]:
    """An index's non-default operator classes, as the catalog query lists them."""
    return [c.opclass for c in index.columns if c.opclass]


EXAMPLES = 500  # issue 9: at least 500 random specs per CI run


@pytest.fixture(scope="module")
def pg_conn(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    """One database and one connection for every example: each example's DDL
    runs in a transaction rolled back (a database per example would take minutes)."""
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as conn:
        yield conn


def check_applies(conn: psycopg.Connection[Any], schema: Schema, ddl: str) -> None:
    """Apply the DDL in a transaction rolled back; the catalog must equal the model."""
    with conn.transaction(force_rollback=True):
        conn.execute(ddl.encode())
        assert catalog(conn) == expected(schema)
        for t in schema.tables:  # string defaults come back byte for byte
            for c in t.columns:
                if c.default is not None and c.default.kind == "literal":
                    (value,) = conn.execute(f"SELECT {c.default.sql}").fetchone() or (None,)
                    if isinstance(c.default.value, str):
                        assert value == c.default.value
                    elif isinstance(c.default.value, (int, Decimal)) and not isinstance(
                        c.default.value, bool
                    ):
                        assert Decimal(value) == Decimal(c.default.value)


@pytest.mark.postgres
def test_random_valid_specs_apply_and_match_the_catalog(
    pg_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    seen: Counter[str] = Counter()

    @settings(FIXED, max_examples=EXAMPLES)
    @given(data=spec(extras=True, junctions=True))
    def prop(data: dict[str, Any]) -> None:
        raw = dump(data)
        loaded = load_schema(raw, "schema.yaml")
        if {d.code for d in loaded.diagnostics} & PYTHON_ONLY:
            seen["python-only"] += 1
            assume(False)
        assert not loaded.diagnostics, format_all(loaded.diagnostics, loaded.sources)
        result = generate(raw, "schema.yaml")
        assert result.ok, format_all(result.diagnostics, result.sources)
        assert loaded.schema is not None
        check_applies(pg_conn, loaded.schema, result.files["schema.sql"])
        seen["applied"] += 1
        seen["checks"] += sum(len(t.checks) for t in loaded.schema.tables)
        seen["indexes"] += sum(len(t.indexes) for t in loaded.schema.tables)
        seen["generated"] += sum(
            c.generated is not None for t in loaded.schema.tables for c in t.columns
        )
        seen["sequences"] += len(loaded.schema.sequences)

    prop()
    with capsys.disabled():
        print(
            f"\nrandom valid specs: {seen['applied']} applied on PostgreSQL, catalog = model"
            f" ({seen['checks']} checks, {seen['generated']} generated columns,"
            f" {seen['indexes']} indexes, {seen['sequences']} shared sequences;"
            f" {seen['python-only']} skipped for Python-only names)"
        )
    assert seen["applied"] >= EXAMPLES


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
