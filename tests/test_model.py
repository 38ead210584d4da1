"""The resolved model compares by meaning, not by layout (the basis of migrations)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.model import Schema
from generator.pipeline import load_schema

ROOT = Path(__file__).resolve().parent.parent


def model(raw: bytes) -> Schema:
    loaded = load_schema(raw, "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    return loaded.schema


def test_layout_and_comments_do_not_change_the_model() -> None:
    raw = (ROOT / "schema.yaml").read_bytes()
    moved = b"# a comment\n\n\n" + raw.replace(b"  projects:\n", b"  projects:   # the root\n")
    a, b = model(raw), model(moved)
    assert a.table("projects").span != b.table("projects").span  # positions differ...
    assert a == b  # ...meaning does not
    assert a.to_dict() == b.to_dict()


def test_a_change_of_meaning_changes_the_model() -> None:
    raw = (ROOT / "schema.yaml").read_bytes()
    changed = model(raw.replace(b"mime_type: varchar(100)", b"mime_type: varchar(101)"))
    assert changed != model(raw)
    assert changed.to_dict() != model(raw).to_dict()


def test_to_dict_is_plain_json_without_spans() -> None:
    data = model((ROOT / "schema.yaml").read_bytes()).to_dict()
    text = json.dumps(data)
    assert '"span"' not in text
    assets = next(t for t in data["tables"] if t["name"] == "assets")
    mime = next(c for c in assets["columns"] if c["name"] == "mime_type")
    assert mime["type"]["length"] == 100 and mime["nullable"] is False
