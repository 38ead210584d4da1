"""Default relationship names: derived, distinct, and never a follow-on error."""

from __future__ import annotations

from generator.pipeline import load_schema

SPEC = b"""\
version: 1
tables:
  users:
    columns:
      id: {type: uuid, primary_key: true}
  documents:
    columns:
      id: {type: uuid, primary_key: true}
      owner_id: {type: uuid, references: users.id}
      created_by: {type: uuid, references: users.id}
      reviewed_by: {type: uuid, nullable: true, references: users.id}
  notes:
    columns:
      id: {type: uuid, primary_key: true}
      author: {type: uuid, references: users.id}
"""


def relations(table: str) -> dict[str, tuple[str, str, bool]]:
    loaded = load_schema(SPEC, "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    return {
        r.name: (r.target, r.back_populates, r.many) for r in loaded.schema.table(table).relations
    }


def test_columns_without_id_suffix_get_distinct_names() -> None:
    assert relations("documents") == {
        "owner": ("users", "owner_documents", False),
        "created_by_user": ("users", "created_by_user_documents", False),
        "reviewed_by_user": ("users", "reviewed_by_user_documents", False),
    }


def test_a_lone_reference_is_named_after_the_parent_unless_the_column_has_that_name() -> None:
    assert relations("notes") == {"user": ("users", "notes", False)}


def test_the_parent_gets_one_inverse_per_reference() -> None:
    assert set(relations("users")) == {
        "owner_documents",
        "created_by_user_documents",
        "reviewed_by_user_documents",
        "notes",
    }


def test_one_to_many_collections_are_plural_whatever_the_tables_number() -> None:
    spec = b"""\
version: 1
tables:
  artist:
    columns:
      id: {type: integer, primary_key: true}
  album:
    columns:
      id: {type: integer, primary_key: true}
      artist_id: {type: integer, references: artist.id}
  country:
    columns:
      id: {type: integer, primary_key: true}
  cities:
    columns:
      id: {type: integer, primary_key: true}
      country_id: {type: integer, references: country.id}
  person:
    columns:
      id: {type: integer, primary_key: true}
      country_id: {type: integer, references: country.id}
"""
    loaded = load_schema(spec, "schema.yaml")
    assert loaded.schema is not None, loaded.diagnostics
    names = {t.name: sorted(r.name for r in t.relations) for t in loaded.schema.tables}
    assert names["artist"] == ["albums"]
    assert names["country"] == ["cities", "people"]
    assert names["album"] == ["artist"]
