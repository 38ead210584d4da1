"""``schemagen init``: a starter schema.yaml (and its editor schema), and what to run next.

The starter is valid as written (``schemagen generate`` works on it at once),
points the editor's YAML language server at the published JSON Schema, and
shows the common keys in a small commented example.  An existing file is never
overwritten.
"""

from __future__ import annotations

# The editor's schema is written beside the spec by ``init`` (from the installed
# schemagen, so it matches its version and works offline).
SCHEMA_FILE = "schemagen.schema.json"

STARTER = f"""\
# yaml-language-server: $schema=./{SCHEMA_FILE}
# The one source of truth for your database: `schemagen generate` writes the
# PostgreSQL DDL, Pydantic models and SQLAlchemy ORM (and, if you turn them on
# under `outputs:`, a Drizzle schema.ts, an ER diagram and a data dictionary).
version: 1

python:
  json_aliases: camel        # JSON in camelCase, as a TypeScript app sends it

# outputs:                   # which files to write (default: the four below)
#   schema_sql: schema.sql
#   pydantic: models.py
#   sqlalchemy: orm.py
#   python_init: __init__.py
#   drizzle: schema.ts       # for a TypeScript app using Drizzle ORM
#   python_package: generated
#   line_length: 88

tables:
  users:
    description: A person who can sign in.
    columns:
      id: {{type: uuid, primary_key: true, default: {{sql: gen_random_uuid()}}}}
      email: {{type: varchar(200), unique: true}}
      created_at: {{type: timestamptz, default: {{sql: now()}}}}

  # posts:
  #   columns:
  #     id: {{type: bigint, primary_key: true, identity: always}}
  #     author_id: {{type: uuid, references: {{to: users.id, on_delete: cascade}}}}
  #     title: {{type: text, check: length(title) > 0}}
  #     body: {{type: text, nullable: true}}
  #     updated_at: {{type: timestamptz, default: {{sql: now()}}, on_update: now}}
"""

NEXT_STEPS = """\
Next:
  schemagen generate            # writes generated/ (schema.sql, models.py, orm.py)
  psql "$DATABASE_URL" -f generated/schema.sql
  schemagen generate --check    # in CI or pre-commit: fails when generated/ is stale
"""
