"""Foreign keys to columns covered by a unique index: which indexes PostgreSQL
lets a foreign key reference, and the DDL order that makes it work."""

from __future__ import annotations

import pytest
from diag import only, spec_errors

from generator.pipeline import generate

SPEC = """\
version: 1
tables:
  country:
    columns:
      id: {type: integer, primary_key: true}
      code: text
    indexes:
      - %s
  city:
    columns:
      id: {type: integer, primary_key: true}
      country_code: {type: text, references: country.code}
"""


def test_a_unique_index_can_be_referenced_and_is_created_before_the_key() -> None:
    spec = SPEC % "{columns: [code desc], unique: true}"
    assert spec_errors(spec) == []
    sql = generate(spec.encode(), "schema.yaml").files["schema.sql"]
    assert sql.index('CREATE UNIQUE INDEX "country_code_idx"') < sql.index("ADD CONSTRAINT")


@pytest.mark.parametrize(
    "index",
    [
        "{columns: [code]}",  # not unique
        "{columns: [code], unique: true, where: code <> ''}",  # partial
        "{columns: [code, id], unique: true}",  # other columns
    ],
)
def test_indexes_postgresql_would_not_accept_are_still_refused(index: str) -> None:
    diag = only(SPEC % index)
    assert (diag.code, diag.path) == (
        "reference-not-unique",
        "tables.city.columns.country_code.references.to",
    )
