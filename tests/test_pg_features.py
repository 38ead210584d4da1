"""Issue 4 features, each applied to a fresh PostgreSQL database and read back
from the catalog; where a feature is behaviour (checks, triggers, identity),
the database is made to show it."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pgfeatures import (
    apply,
    catalog_facts,
    columns,
    constraints,
    enum_labels,
    indexes,
    model_facts,
    rows,
)

from generator.pipeline import load_schema

pytestmark = pytest.mark.postgres

ODD_LABELS = ["draft", "it's live", "with space", "back\\slash", "$$dollar$$", "Ünïcode 🐘"]


def test_enums_labels_in_order_escaped_with_defaults_and_comments(pg_url: str) -> None:
    labels = ", ".join("'" + label.replace("'", "''") + "'" for label in ODD_LABELS)
    spec = f"""
version: 1
enums:
  status:
    values: [{labels}]
    description: "Lifecycle; it's \\"quoted\\", with $$ and \\\\ too"
  role: [admin, member]
tables:
  posts:
    columns:
      id: {{type: integer, primary_key: true}}
      status: {{type: status, default: "it's live"}}
      roles: {{type: "role[]", default: [member]}}
"""
    with apply(pg_url, spec) as conn:
        assert enum_labels(conn, "status") == ODD_LABELS
        assert enum_labels(conn, "role") == ["admin", "member"]
        cols = columns(conn, "posts")
        assert cols["status"][:3] == ("status", True, "'it''s live'::status")
        assert cols["roles"][0] == "role[]"
        comment = rows(conn, "SELECT obj_description('status'::regtype, 'pg_type')")[0][0]
        assert comment == 'Lifecycle; it\'s "quoted", with $$ and \\ too'
        conn.execute("INSERT INTO posts (id) VALUES (1)")
        assert rows(conn, "SELECT status::text, roles::text[] FROM posts") == [
            ("it's live", ["member"])
        ]
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            conn.execute("INSERT INTO posts (id, status) VALUES (2, 'nope')")


def test_check_constraints_named_like_postgresql_and_enforced(pg_url: str) -> None:
    spec = """
version: 1
tables:
  items:
    columns:
      id: {type: integer, primary_key: true}
      price: {type: 'numeric(10,2)', check: price >= 0}
      starts_at: {type: date, nullable: true}
      ends_at: {type: date, nullable: true}
    checks:
      - starts_at < ends_at
      - starts_at > '2000-01-01'
      - {name: items_price_sane, sql: "price < 1000000"}
"""
    with apply(pg_url, spec) as conn:
        assert constraints(conn, "items", "c") == {
            "items_price_check": "CHECK ((price >= (0)::numeric))",
            "items_starts_at_check": "CHECK ((starts_at < ends_at))",
            "items_starts_at_check1": "CHECK ((starts_at > '2000-01-01'::date))",
            "items_price_sane": "CHECK ((price < (1000000)::numeric))",
        }
        conn.execute("INSERT INTO items VALUES (1, 5, '2024-01-01', '2024-02-01')")
        with pytest.raises(psycopg.errors.CheckViolation, match="items_price_check"):
            conn.execute("INSERT INTO items VALUES (2, -1, NULL, NULL)")
        with pytest.raises(psycopg.errors.CheckViolation, match="items_starts_at_check"):
            conn.execute("INSERT INTO items VALUES (3, 1, '2024-02-01', '2024-01-01')")


def test_indexes_partial_unique_methods_descending_include_and_fk_indexes(pg_url: str) -> None:
    spec = """
version: 1
postgres: {index_foreign_keys: true}
tables:
  users:
    columns:
      id: {type: bigint, primary_key: true}
  posts:
    columns:
      id: {type: bigint, primary_key: true}
      author_id: {type: bigint, references: users.id}
      editor_id: {type: bigint, nullable: true, references: {to: users.id, index: false}}
      slug: text
      deleted_at: {type: timestamptz, nullable: true}
      tags: {type: "text[]", default: []}
      body: text
      created_at: {type: timestamptz, default: {sql: now()}}
    indexes:
      - {columns: [slug], unique: true, where: deleted_at IS NULL}
      - {columns: [tags], using: gin}
      - {columns: [created_at desc, id], include: [slug]}
      - {columns: [created_at], using: brin, name: posts_created_brin}
      - {columns: [slug], using: hash}
"""
    with apply(pg_url, spec) as conn:
        assert indexes(conn, "posts") == {
            "posts_slug_idx": "CREATE UNIQUE INDEX posts_slug_idx ON public.posts USING btree "
            "(slug) WHERE (deleted_at IS NULL)",
            "posts_tags_idx": "CREATE INDEX posts_tags_idx ON public.posts USING gin (tags)",
            "posts_created_at_id_idx": "CREATE INDEX posts_created_at_id_idx ON public.posts "
            "USING btree (created_at DESC, id) INCLUDE (slug)",
            "posts_created_brin": "CREATE INDEX posts_created_brin ON public.posts "
            "USING brin (created_at)",
            "posts_slug_idx1": "CREATE INDEX posts_slug_idx1 ON public.posts USING hash (slug)",
            "posts_author_id_idx": "CREATE INDEX posts_author_id_idx ON public.posts "
            "USING btree (author_id)",
        }
        conn.execute("INSERT INTO users VALUES (1)")
        conn.execute("INSERT INTO posts (id, author_id, slug, body) VALUES (1, 1, 'a', '')")
        conn.execute(
            "INSERT INTO posts (id, author_id, slug, body, deleted_at) VALUES (2, 1, 'a', '', now())"
        )
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO posts (id, author_id, slug, body) VALUES (3, 1, 'a', '')")


def test_composite_primary_and_foreign_keys_with_actions(pg_url: str) -> None:
    spec = """
version: 1
tables:
  orders:
    primary_key: [tenant_id, id]
    columns:
      tenant_id: integer
      id: integer
  order_lines:
    primary_key: [tenant_id, order_id, line_no]
    columns:
      tenant_id: integer
      order_id: integer
      line_no: smallint
    foreign_keys:
      - columns: [tenant_id, order_id]
        to: orders(tenant_id, id)
        on_delete: cascade
        on_update: cascade
  notes:
    columns:
      id: {type: integer, primary_key: true}
      tenant_id: {type: integer, nullable: true}
      order_id: {type: integer, nullable: true}
    foreign_keys:
      - {columns: [tenant_id, order_id], to: orders, on_delete: set null}
"""
    with apply(pg_url, spec) as conn:
        assert constraints(conn, "order_lines", "f") == {
            "order_lines_tenant_id_order_id_fkey": "FOREIGN KEY (tenant_id, order_id) "
            "REFERENCES orders(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE"
        }
        assert constraints(conn, "notes", "f") == {
            "notes_tenant_id_order_id_fkey": "FOREIGN KEY (tenant_id, order_id) "
            "REFERENCES orders(tenant_id, id) ON DELETE SET NULL"
        }
        assert constraints(conn, "order_lines", "p") == {
            "order_lines_pkey": "PRIMARY KEY (tenant_id, order_id, line_no)"
        }
        conn.execute("INSERT INTO orders VALUES (1, 10)")
        conn.execute("INSERT INTO order_lines VALUES (1, 10, 1)")
        conn.execute("UPDATE orders SET id = 11")
        assert rows(conn, "SELECT order_id FROM order_lines") == [(11,)]
        conn.execute("INSERT INTO notes VALUES (1, 1, 11)")
        conn.execute("DELETE FROM orders")
        assert rows(conn, "SELECT count(*) FROM order_lines") == [(0,)]
        assert rows(conn, "SELECT tenant_id, order_id FROM notes") == [(None, None)]


def test_identity_and_generated_columns(pg_url: str) -> None:
    spec = """
version: 1
tables:
  lines:
    columns:
      id: {type: bigint, primary_key: true, identity: always}
      seq: {type: integer, identity: by_default}
      price: {type: 'numeric(10,2)'}
      qty: {type: integer, default: 1}
      total: {type: 'numeric(12,2)', generated: {sql: price * qty}}
      label: {type: text, nullable: true, generated: {sql: "'#' || qty::text"}}
"""
    with apply(pg_url, spec) as conn:
        cols = columns(conn, "lines")
        assert cols["id"][3:5] == ("a", "")
        assert cols["seq"][3:5] == ("d", "")
        assert cols["total"][1:] == (True, "(price * (qty)::numeric)", "", "s")
        assert cols["label"][1:] == (False, "('#'::text || (qty)::text)", "", "s")
        conn.execute("INSERT INTO lines (price, qty) VALUES (2.50, 4)")
        conn.execute("INSERT INTO lines (seq, price) VALUES (100, 1)")
        assert rows(conn, "SELECT id, seq, total, label FROM lines ORDER BY id") == [
            (1, 1, 10, "#4"),
            (2, 100, 1, "#1"),
        ]
        with pytest.raises(psycopg.errors.GeneratedAlways):
            conn.execute("INSERT INTO lines (id, price) VALUES (5, 1)")
        with pytest.raises(psycopg.errors.GeneratedAlways):
            conn.execute("UPDATE lines SET total = 0")


def test_more_types_read_back_from_the_catalog(pg_url: str) -> None:
    spec = """
version: 1
postgres: {extensions: [citext]}
enums:
  mood: [ok, meh]
tables:
  everything:
    columns:
      id: {type: integer, primary_key: true}
      r: real
      d: double precision
      b: bytea
      t: time
      iv: interval
      ip: {type: inet, default: 10.0.0.1/8}
      net: {type: cidr, nullable: true}
      email: {type: citext, unique: true}
      v: varchar
      j: json
      jb: jsonb
      tags: text[]
      scores: integer[]
      amounts: "numeric(8,2)[]"
      names: "varchar(20)[]"
      moods: mood[]
"""
    with apply(pg_url, spec) as conn:
        types = {name: facts[0] for name, facts in columns(conn, "everything").items()}
        assert types == {
            "id": "integer",
            "r": "real",
            "d": "double precision",
            "b": "bytea",
            "t": "time without time zone",
            "iv": "interval",
            "ip": "inet",
            "net": "cidr",
            "email": "citext",
            "v": "character varying",
            "j": "json",
            "jb": "jsonb",
            "tags": "text[]",
            "scores": "integer[]",
            "amounts": "numeric(8,2)[]",
            "names": "character varying(20)[]",
            "moods": "mood[]",
        }
        insert = (
            "INSERT INTO everything (id, r, d, b, t, iv, email, v, j, jb, tags, scores, amounts,"
            " names, moods) VALUES (%s, 1.5, 2.5, '\\x00ff', '12:30', '1 day', %s, 'v', '{}',"
            " '{}', ARRAY['a'], ARRAY[1], ARRAY[1.25], ARRAY['n'], ARRAY['ok']::mood[])"
        )
        conn.execute(insert, (1, "Ann@Example.com"))
        with pytest.raises(psycopg.errors.UniqueViolation):  # citext: case-insensitive
            conn.execute(insert, (2, "ann@example.COM"))
        assert rows(conn, "SELECT host(ip), masklen(ip) FROM everything") == [("10.0.0.1", 8)]


def test_namespaces_and_references_across_them(pg_url: str) -> None:
    spec = """
version: 1
enums:
  auth.role: [admin, member]
tables:
  auth.users:
    columns:
      id: {type: bigint, primary_key: true, identity: always}
      role: {type: auth.role, default: member}
  billing.invoices:
    description: One invoice
    columns:
      id: {type: bigint, primary_key: true, identity: always}
      user_id: {type: bigint, references: {to: auth.users.id, on_delete: restrict}}
      amount: {type: 'numeric(10,2)', check: amount >= 0, description: In cents}
    indexes:
      - {columns: [user_id]}
  users:
    class_name: LocalUser
    columns:
      id: {type: bigint, primary_key: true}
      auth_id: {type: bigint, unique: true, references: auth.users.id}
"""
    with apply(pg_url, spec) as conn:
        tables = rows(
            conn,
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema <> 'pg_catalog' AND table_schema <> 'information_schema' "
            "ORDER BY 1, 2",
        )
        assert tables == [("auth", "users"), ("billing", "invoices"), ("public", "users")]
        assert enum_labels(conn, "auth.role") == ["admin", "member"]
        assert columns(conn, "auth.users")["role"][:3] == ("auth.role", True, "'member'::auth.role")
        assert constraints(conn, "billing.invoices", "f") == {
            "invoices_user_id_fkey": "FOREIGN KEY (user_id) REFERENCES auth.users(id) "
            "ON DELETE RESTRICT"
        }
        assert constraints(conn, "billing.invoices", "c") == {
            "invoices_amount_check": "CHECK ((amount >= (0)::numeric))"
        }
        assert list(indexes(conn, "billing.invoices")) == ["invoices_user_id_idx"]
        # Two tables named users, each with its own users_pkey: one per schema.
        assert constraints(conn, "auth.users", "p") == {"users_pkey": "PRIMARY KEY (id)"}
        assert constraints(conn, "users", "p") == {"users_pkey": "PRIMARY KEY (id)"}
        comments = rows(
            conn,
            "SELECT obj_description('billing.invoices'::regclass, 'pg_class'), "
            "col_description('billing.invoices'::regclass, 3)",
        )
        assert comments == [("One invoice", "In cents")]


def test_reference_shapes_self_cycle_twice_and_many_to_many(pg_url: str) -> None:
    spec = """
version: 1
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      best_post_id: {type: integer, nullable: true, references: {to: posts.id, on_delete: set null}}
  posts:
    columns:
      id: {type: integer, primary_key: true}
      author_id: {type: integer, references: {to: users.id, relation: author}}
      reviewer_id:
        type: integer
        nullable: true
        references: {to: users.id, relation: reviewer, inverse: reviewed_posts}
  comments:
    columns:
      id: {type: integer, primary_key: true}
      post_id: {type: integer, references: {to: posts.id, on_delete: cascade}}
      parent_id: {type: integer, nullable: true, references: {to: comments.id, on_delete: cascade}}
  tags:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: text, unique: true}
  post_tags:
    primary_key: [post_id, tag_id]
    columns:
      post_id: {type: integer, references: {to: posts.id, on_delete: cascade}}
      tag_id: {type: integer, references: {to: tags.id, on_delete: cascade}}
"""
    with apply(pg_url, spec) as conn:
        fks = {
            table: constraints(conn, table, "f")
            for table in ("users", "posts", "comments", "post_tags")
        }
        assert fks == {
            "users": {
                "users_best_post_id_fkey": "FOREIGN KEY (best_post_id) REFERENCES posts(id) "
                "ON DELETE SET NULL"
            },
            "posts": {
                "posts_author_id_fkey": "FOREIGN KEY (author_id) REFERENCES users(id)",
                "posts_reviewer_id_fkey": "FOREIGN KEY (reviewer_id) REFERENCES users(id)",
            },
            "comments": {
                "comments_parent_id_fkey": "FOREIGN KEY (parent_id) REFERENCES comments(id) "
                "ON DELETE CASCADE",
                "comments_post_id_fkey": "FOREIGN KEY (post_id) REFERENCES posts(id) "
                "ON DELETE CASCADE",
            },
            "post_tags": {
                "post_tags_post_id_fkey": "FOREIGN KEY (post_id) REFERENCES posts(id) "
                "ON DELETE CASCADE",
                "post_tags_tag_id_fkey": "FOREIGN KEY (tag_id) REFERENCES tags(id) "
                "ON DELETE CASCADE",
            },
        }
        conn.execute("INSERT INTO users VALUES (1, NULL)")
        conn.execute("INSERT INTO posts VALUES (1, 1, 1)")
        conn.execute("UPDATE users SET best_post_id = 1")  # the cycle closes
        conn.execute("INSERT INTO comments VALUES (1, 1, NULL), (2, 1, 1), (3, 1, 2)")
        conn.execute("INSERT INTO tags VALUES (1, 'a'), (2, 'b')")
        conn.execute("INSERT INTO post_tags VALUES (1, 1), (1, 2)")
        conn.execute("DELETE FROM comments WHERE id = 1")  # the thread goes with its root
        assert rows(conn, "SELECT count(*) FROM comments") == [(0,)]
        conn.execute("DELETE FROM posts")
        assert rows(conn, "SELECT best_post_id FROM users") == [(None,)]
        assert rows(conn, "SELECT count(*) FROM post_tags") == [(0,)]


def test_database_side_updated_at_trigger(pg_url: str) -> None:
    spec = """
version: 1
postgres: {on_update_trigger: true}
column_groups:
  timestamps:
    created_at: {type: timestamp, default: {sql: now()}}
    updated_at: {type: timestamp, default: {sql: now()}, on_update: now}
tables:
  auth.accounts:
    columns:
      id: {type: integer, primary_key: true}
      name: text
      touched_on: {type: date, default: {sql: CURRENT_DATE}, on_update: now}
      changed_at: {type: timestamptz, default: {sql: now()}, on_update: now}
      ...timestamps:
  plain:
    columns:
      id: {type: integer, primary_key: true}
      name: text
"""
    old = "2000-01-01 00:00:00"
    with apply(pg_url, spec) as conn:
        triggers = rows(
            conn,
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal",
        )
        assert triggers == [("auth.accounts", "on_update_now")]
        conn.execute(
            "INSERT INTO auth.accounts (id, name, touched_on, changed_at, created_at, updated_at)"
            " VALUES (1, 'a', %s, %s, %s, %s), (2, 'b', %s, %s, %s, %s)",
            (old,) * 8,
        )
        conn.execute("UPDATE auth.accounts SET name = 'x' WHERE id = 1")  # plain SQL
        conn.execute("UPDATE auth.accounts SET name = 'y', updated_at = '2001-01-01' WHERE id = 2")
        now_ = rows(conn, "SELECT localtimestamp, current_date")[0]
        got = rows(
            conn,
            "SELECT id, touched_on, changed_at > now() - interval '1 minute', created_at,"
            " updated_at FROM auth.accounts ORDER BY id",
        )
        first, second = got
        assert first[1] == now_[1] and first[2] is True
        assert str(first[3]) == old  # not an on_update column
        assert abs((now_[0] - first[4]).total_seconds()) < 60
        # A column the UPDATE sets itself keeps that value; the others still move.
        assert str(second[4]) == "2001-01-01 00:00:00"
        assert second[1] == now_[1]


CASES = Path(__file__).resolve().parent / "cases"
VALID = sorted(
    p.name
    for p in CASES.iterdir()
    # with schema.sql where it always was (outputs_* cases move or drop it)
    if (p / "schema.yaml").is_file() and (p / "expected" / "schema.sql").is_file()
)


@pytest.mark.parametrize("name", VALID)
def test_golden_case_catalog_holds_every_feature_of_the_model(name: str, pg_url: str) -> None:
    """Enums, identity, generated columns, every constraint and index name, triggers."""
    text = (CASES / name / "schema.yaml").read_text()
    schema = load_schema(text.encode(), "schema.yaml").schema
    assert schema is not None
    with apply(pg_url, text) as conn:
        assert catalog_facts(conn) == model_facts(schema)
