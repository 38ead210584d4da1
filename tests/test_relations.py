"""Default relationship names: derived, distinct, and never a follow-on error."""

from __future__ import annotations

from diag import spec_errors, where

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


# -- many-to-many through a junction whose two keys reach one table ------------------

FOLLOWS = """\
version: 1
tables:
  users:
    columns:
      id: {type: bigint, primary_key: true}
      {extra}
  user_follows:
    primary_key: [follower_id, followee_id]
    columns:
      follower_id: {type: bigint, references: {references}}
      followee_id: {type: bigint, references: users.id}
      created_at: {type: timestamptz, default: {sql: now()}}
"""


def follows(extra: str = "name: text", references: str = "users.id") -> str:
    return FOLLOWS.replace("{extra}", extra).replace("{references}", references)


def many_to_many(spec: str, table: str) -> dict[str, tuple[str, str, str | None, str | None]]:
    """name -> (back_populates, junction, primaryjoin column, secondaryjoin column)."""
    loaded = load_schema(spec.encode(), "schema.yaml")
    assert loaded.schema is not None, [where(d) for d in loaded.diagnostics]
    return {
        r.name: (
            r.back_populates,
            r.secondary,
            r.primaryjoin[1] if r.primaryjoin else None,
            r.secondaryjoin[1] if r.secondaryjoin else None,
        )
        for r in loaded.schema.table(table).relations
        if r.secondary is not None
    }


def test_followers_and_followees_are_named_after_the_columns_and_join_each_way() -> None:
    # followers: where this user is the followee, the rows' followers; and back
    assert many_to_many(follows(), "users") == {
        "followers": ("followees", "user_follows", "followee_id", "follower_id"),
        "followees": ("followers", "user_follows", "follower_id", "followee_id"),
    }


def test_the_junctions_own_relationships_stay_as_they_were() -> None:
    loaded = load_schema(follows().encode(), "schema.yaml")
    assert loaded.schema is not None
    junction = {r.name: r.back_populates for r in loaded.schema.table("user_follows").relations}
    assert junction == {"follower": "follower_user_follows", "followee": "followee_user_follows"}
    users = {r.name for r in loaded.schema.table("users").relations if r.secondary is None}
    assert users == {"follower_user_follows", "followee_user_follows"}


def test_a_column_named_after_the_table_reads_from_the_other_column() -> None:
    # user_id names no role: its side would be "users", so it is "friend_of"
    spec = follows().replace("follower_id", "user_id").replace("followee_id", "friend_id")
    assert set(many_to_many(spec, "users")) == {"friend_of", "friends"}
    assert many_to_many(spec, "users")["friends"][2:] == ("user_id", "friend_id")
    product = (
        "version: 1\ntables:\n  products:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "  related:\n    primary_key: [product, related_to]\n    columns:\n"
        "      product: {type: integer, references: products.id}\n"
        "      related_to: {type: integer, references: products.id}\n"
    )
    assert set(many_to_many(product, "products")) == {"related_tos", "related_to_of"}
    readme = product.replace("product, related_to", "product_id, related_id")
    readme = readme.replace("product:", "product_id:").replace("related_to:", "related_id:")
    assert set(many_to_many(readme, "products")) == {"relateds", "related_of"}  # README


def test_relation_renames_the_junctions_relationship_and_the_collection_through_it() -> None:
    spec = follows(references="{to: users.id, relation: fan}")
    assert set(many_to_many(spec, "users")) == {"fans", "followees"}


def test_a_junction_with_a_column_to_fill_gets_no_many_to_many() -> None:
    spec = follows().replace("{type: timestamptz, default: {sql: now()}}", "timestamptz")
    assert many_to_many(spec, "users") == {}


def test_a_collision_with_a_column_is_an_error_at_the_reference_with_the_fix() -> None:
    [diag] = spec_errors(follows(extra="followers: integer"))
    assert where(diag) == (
        "relation-collision",
        10,
        47,
        "tables.user_follows.columns.follower_id.references",
    )
    assert diag.message == "relationship User.followers has the same name as a column"
    assert "named after follower_id" in diag.hint and "set 'relation:'" in diag.hint


def test_a_name_given_with_relation_is_pointed_at_when_it_collides() -> None:
    spec = follows(extra="fans: integer", references="{to: users.id, relation: fan}")
    [diag] = spec_errors(spec)
    assert where(diag) == (
        "relation-collision",
        10,
        72,
        "tables.user_follows.columns.follower_id.references.relation",
    )


def test_every_collision_is_reported_in_one_run() -> None:
    # both collections collide with columns, and with another relationship's name
    spec = follows(extra="followers: integer\n      followees: integer")
    assert [where(d)[0::3] for d in spec_errors(spec)] == [
        ("relation-collision", "tables.user_follows.columns.follower_id.references"),
        ("relation-collision", "tables.user_follows.columns.followee_id.references"),
    ]
    # relation: followee on both keys: each name derived from it is taken twice
    twice = follows(references="{to: users.id, relation: followee}")
    assert sorted(d.message for d in spec_errors(twice)) == [
        "two relationships on User are named 'followee_user_follows'",
        "two relationships on User are named 'followees'",
        "two relationships on UserFollow are named 'followee'",
    ]
