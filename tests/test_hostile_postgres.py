"""Legal but hostile input, applied to PostgreSQL and read back (issue 5).

Strings that break naive quoting (quotes, backslashes, ``$$``, ``;--``, line
breaks, trailing spaces before a line break, control characters, emoji) must
come back from the database byte for byte, as defaults and as comments.
Reserved words and long names must arrive as written, and no derived
constraint name may be truncated or collide.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from generator.model import Schema
from generator.pipeline import generate, load_schema

pytestmark = pytest.mark.postgres

HOSTILE = [
    "'",
    "''",
    "it's",
    "\\",
    "C:\\temp\\new",
    "\\'; DROP TABLE t; --",
    "$$",
    "$tag$ x $tag$",
    ";--",
    "/* not a comment */",
    "line one\nline two",
    "trailing spaces  \nkept",
    "windows\r\nline",
    "tab\tseparated",
    "bell\x07 and escape \x1b[0m",
    "\\000a is not a newline",
    "U&'\\0041'",
    "E'\\n'",
    "emoji 🎉 and ünïcödé",
    "\u2028line separator\u2029",
    " leading and trailing ",
    "",
]


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text``."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch in "\x7f\x85\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def apply(url: str, text: str) -> tuple[Schema, psycopg.Connection[Any], list[str]]:
    result = generate(text.encode(), "schema.yaml")
    assert result.ok, [d.message for d in result.diagnostics]
    loaded = load_schema(text.encode(), "schema.yaml")
    assert loaded.schema is not None
    notices: list[str] = []
    conn = psycopg.connect(url, autocommit=True)
    conn.add_notice_handler(lambda diag: notices.append(str(diag.message_primary)))
    conn.execute(result.files["schema.sql"].encode())
    return loaded.schema, conn, notices


def test_hostile_strings_read_back_byte_identical_as_defaults_and_comments(pg_url: str) -> None:
    columns = "".join(
        f"      c{i}: {{type: text, default: {yaml_string(s)}, description: {yaml_string(s)}}}\n"
        for i, s in enumerate(HOSTILE)
    )
    text = (
        "version: 1\ntables:\n  t:\n"
        f"    description: {yaml_string(''.join(HOSTILE))}\n"
        "    columns:\n      id: {type: integer, primary_key: true, default: 1}\n"
        f"      v: {{type: 'varchar(40)', default: {yaml_string(HOSTILE[5])}}}\n"
        f"      j: {{type: jsonb, default: {{k: {yaml_string(''.join(HOSTILE))}}}}}\n" + columns
    )
    schema, conn, _ = apply(pg_url, text)
    with conn:
        conn.execute('INSERT INTO "t" DEFAULT VALUES')
        row = conn.execute('SELECT * FROM "t"').fetchone()
        assert row is not None
        assert list(row[3:]) == HOSTILE
        assert row[1] == HOSTILE[5]
        assert row[2] == {"k": "".join(HOSTILE)}
        comments = conn.execute(
            "SELECT a.attnum, col_description(a.attrelid, a.attnum) FROM pg_attribute a "
            "WHERE a.attrelid = '\"t\"'::regclass AND a.attnum > 3 ORDER BY a.attnum"
        ).fetchall()
        assert [c for _, c in comments] == [s or None for s in HOSTILE]  # '' is no comment
        table_comment = conn.execute("SELECT obj_description('\"t\"'::regclass, 'pg_class')")
        assert table_comment.fetchone() == ("".join(HOSTILE),)
    assert schema.table("t").column("c0").default is not None


def test_literal_defaults_of_every_kind_read_back_as_written(pg_url: str) -> None:
    text = """\
version: 1
tables:
  t:
    columns:
      id: {type: integer, primary_key: true, default: 1}
      n: {type: 'numeric(5,2)', default: 1.10}
      n_text: {type: text, default: '1.10'}
      oct: {type: text, default: '0755'}
      sexa: {type: time, default: '12:30'}
      big: {type: bigint, default: 1000}
      small: {type: smallint, default: -32768}
      d: {type: date, default: '2024-01-31'}
      ts: {type: timestamp, default: '2024-01-31 13:45:00.5'}
      tstz: {type: timestamptz, default: '2024-01-31T13:45:00+02:00'}
      yes_text: {type: text, default: 'yes'}
      flag: {type: boolean, default: false}
      r: {type: real, default: 1.5e38}
      f: {type: double precision, default: -0.000001}
      u: {type: uuid, default: '6F9619FF-8B86-D011-B42D-00C04FC964FF'}
      lt: {type: boolean, default: {sql: '(1 < 2)'}}
"""
    _, conn, _ = apply(pg_url, text)
    with conn:
        conn.execute("SET TIME ZONE 'UTC'")
        conn.execute('INSERT INTO "t" DEFAULT VALUES')
        row = conn.execute('SELECT * FROM "t"').fetchone()
    assert row is not None
    assert row[1:12] == (
        Decimal("1.10"),
        "1.10",
        "0755",
        dt.time(12, 30),
        1000,
        -32768,
        dt.date(2024, 1, 31),
        dt.datetime(2024, 1, 31, 13, 45, 0, 500000),
        dt.datetime(2024, 1, 31, 11, 45, tzinfo=dt.UTC),
        "yes",
        False,
    )
    assert row[12] == pytest.approx(1.5e38, rel=1e-6)
    assert row[13] == -0.000001
    assert str(row[14]) == "6f9619ff-8b86-d011-b42d-00c04fc964ff"
    assert row[15] is True


RESERVED = ["user", "order", "select", "from", "table", "true", "no", "off", "group", "check"]


def test_reserved_words_and_yaml_11_booleans_are_names_on_postgres(pg_url: str) -> None:
    cols = "".join(f"      {w}: {{type: text, nullable: true}}\n" for w in RESERVED[1:])
    text = (
        "version: 1\ntables:\n  user:\n    class_name: AppUser\n    columns:\n"
        "      id: {type: integer, primary_key: true}\n" + cols
    )
    _, conn, _ = apply(pg_url, text)
    with conn:
        names = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = '\"user\"'::regclass "
            "AND attnum > 0 ORDER BY attnum"
        ).fetchall()
        assert [n for (n,) in names] == ["id", *RESERVED[1:]]
        conn.execute('INSERT INTO "user" ("id", "order", "no") VALUES (1, \'x\', \'y\')')


LONG_TABLE = "t" * 60
LONG_COL = "c" * 60

NAMES_SPEC = f"""\
version: 1
tables:
  a_b:
    columns:
      id: {{type: integer, primary_key: true}}
      c: {{type: integer, unique: true}}
  a:
    columns:
      id: {{type: integer, primary_key: true}}
      b_c: {{type: integer, unique: true}}
  a_pkey:
    columns:
      id: {{type: integer, primary_key: true}}
  {LONG_TABLE}:
    unique: [[{LONG_COL}1, {LONG_COL}2]]
    columns:
      id: {{type: integer, primary_key: true}}
      {LONG_COL}1: {{type: integer, unique: true, references: a.id}}
      {LONG_COL}2: {{type: integer, unique: true, references: a_b.id}}
      {"x" * 63}: {{type: integer, nullable: true, references: {LONG_TABLE}.id}}
  {"y" * 63}:
    columns:
      {"z" * 63}: {{type: integer, primary_key: true}}
"""


def test_derived_names_are_unique_untruncated_and_exactly_as_the_model_says(pg_url: str) -> None:
    schema, conn, notices = apply(pg_url, NAMES_SPEC)
    with conn:
        rows = conn.execute(
            "SELECT c.relname, k.conname, k.contype FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid "
            "WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1, 2"
        ).fetchall()
        tables = conn.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace ORDER BY 1"
        ).fetchall()
    assert notices == []  # PostgreSQL says NOTICE when it truncates an identifier
    expected = sorted(
        [(t.name, t.primary_key.name, "p") for t in schema.tables]
        + [(t.name, u.name, "u") for t in schema.tables for u in t.uniques]
        + [(t.name, f.name, "f") for t in schema.tables for f in t.foreign_keys]
    )
    assert sorted(rows) == expected
    assert sorted(n for (n,) in tables) == sorted(t.name for t in schema.tables)
    index_names = [name for _, name, kind in rows if kind in "pu"]  # one namespace with tables
    assert len(set(index_names) | {t.name for t in schema.tables}) == len(index_names) + len(
        schema.tables
    )
    assert all(len(name.encode()) <= 63 for _, name, _ in rows)
    assert schema.table("a_b").uniques[0].name == "a_b_c_key"
    assert schema.table("a").uniques[0].name != "a_b_c_key"


def test_derived_names_do_not_depend_on_anything_but_the_spec() -> None:
    first = generate(NAMES_SPEC.encode(), "schema.yaml").files
    assert first == generate(NAMES_SPEC.encode(), "schema.yaml").files
    assert json.dumps(first)  # plain text only
