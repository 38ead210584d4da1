"""Pull's pure parts: YAML scalars, plurals (naming.plural, which generate uses too), type and default mapping, the CLI's
one-line error without psycopg."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalog import Column
from generator.naming import plural
from generator.pull.columns import literal_default, spec_type
from generator.pull.yamlout import dump, scalar

ROOT = Path(__file__).resolve().parent.parent


@settings(derandomize=True, database=None, max_examples=300)
@given(text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_string_reads_back_the_same_in_flow_and_block(text: str) -> None:
    assert yaml.safe_load(f"k: {scalar(text)}")["k"] == text
    assert yaml.safe_load(f"k: [{scalar(text)}, x]")["k"] == [text, "x"]
    assert yaml.safe_load(dump({"k": {"a": text}})) == {"k": {"a": text}}


def test_words_yaml_reads_otherwise_are_quoted() -> None:
    for word in ("yes", "No", "off", "true", "null", "1", "0755", "12:30", "- x", "a: b", "#c"):
        assert scalar(word).startswith('"'), word
    assert scalar("double precision") == "double precision"
    assert scalar("varchar(50)") == "varchar(50)"


def test_plurals() -> None:
    cases = {
        "album": "albums",
        "category": "categories",
        "address": "addresses",
        "box": "boxes",
        "person": "people",
        "staff": "staff",
        "invoice_line": "invoice_lines",
        "albums": "albums",
        "day": "days",
        "status": "status",
    }
    assert {w: plural(w) for w in cases} == cases


def _col(type_text: str, kind: str = "b", schema: str = "pg_catalog", name: str = "") -> Column:
    return Column("c", 1, type_text, True, type_schema=schema, type_name=name, type_kind=kind)


def test_types_map_only_when_schemagen_gives_the_same_type_back() -> None:
    assert spec_type(_col("character varying(50)"), "character varying(50)", set()) == "varchar(50)"
    assert spec_type(_col("numeric(10,2)"), "numeric(10,2)", set()) == "numeric(10,2)"
    assert spec_type(_col("text[]"), "text[]", set()) == "text[]"
    assert spec_type(_col("timestamp with time zone"), "timestamp with time zone", set()) == (
        "timestamptz"
    )
    assert spec_type(_col("character(5)"), "character(5)", set()) == "char(5)"
    assert spec_type(_col("tsvector"), "tsvector", set()) == "tsvector"
    for unsupported in (
        "timestamp(3) without time zone",
        "money",
        "bit(3)",
        "point",
    ):
        assert spec_type(_col(unsupported), unsupported, set()) is None, unsupported
    enum = _col('"Sales".mood[]', "e", "Sales", "mood")
    assert spec_type(enum, enum.type, {("Sales", "mood")}) == "Sales.mood[]"
    assert spec_type(enum, enum.type, set()) is None  # an enum that was left out


def test_defaults_become_literals_only_in_literal_shapes() -> None:
    assert literal_default("'it''s'::text", "text") == "it's"
    assert literal_default("'-1'::integer", "integer") == -1
    assert literal_default("42", "bigint") == 42
    assert literal_default("4.99", "numeric(4,2)") == "4.99"
    assert literal_default("true", "boolean") is True
    assert literal_default("'{}'::text[]", "text[]") == []
    assert literal_default("now()", "timestamptz") is None
    assert literal_default("'{a}'::text[]", "text[]") is None
    assert literal_default("1.5", "integer") is None


def test_without_psycopg_one_line_and_the_install_command() -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None; sys.argv = ['schemagen', 'pull', '--db', 'x'];"
        "from generator.cli import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "error[missing-dependency]: pull needs psycopg; install it: pip install 'schemagen[postgres]'\n"
    )
