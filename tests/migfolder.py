"""Helpers for the migration-folder tests: a project in a temporary folder whose
migrations are written through the folder API from SQL a test chooses (the
differ has tests of its own; these test the folder, the chain and the commands)."""

from __future__ import annotations

from pathlib import Path

from generator.migrate import folder, snapshot
from generator.model import Schema
from generator.pipeline import generate, load_schema

SPEC_A = """\
version: 1
tables:
  users:
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      email: varchar(200)
"""

SPEC_B = (
    SPEC_A
    + """\
  orders:
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      user_id: {type: bigint, references: users.id}
"""
)


def model(spec: str) -> Schema:
    loaded = load_schema(spec.encode(), "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    return loaded.schema


def schema_sql(spec: str) -> str:
    result = generate(spec.encode(), "schema.yaml")
    assert result.ok, result.diagnostics
    return result.files["schema.sql"]


def add(project: Path, name: str, up: str, down: str, spec: str) -> str:
    """Write the next migration of ``project/migrations`` (chain updated); its folder name."""
    current = folder.read(project / "migrations")
    return folder.write_next(current, name, up, down, snapshot.dumps(model(spec)))


def project(tmp_path: Path, spec: str = SPEC_A, init: bool = True) -> Path:
    """A spec and, with ``init``, a first migration that builds it from nothing."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "schema.yaml").write_text(spec)
    if init:
        add(tmp_path, "init", schema_sql(spec), "DROP TABLE users CASCADE;\n", spec)
    return tmp_path
