"""``schemagen pull``: a database catalog becomes schema.yaml, as a person writes it.

Pure: ``pull(catalog)`` returns the spec text and the notes; reading the
catalog (``generator.catalog``) and writing the file are the CLI's job.
"""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog
from ..model import Schema
from ..records import Value, record
from .build import build
from .draft import Draft, column_spec
from .names import PullError, settle
from .notes import Note, header
from .yamlout import dump

__all__ = ["Note", "PullError", "Pulled", "pull"]

PREAMBLE = "# yaml-language-server: $schema=./schemagen.schema.json\n"


@record
class Pulled(Value):
    text: str  # the spec, with the notes as a comment block at the top
    notes: tuple[Note, ...]  # empty: the spec reproduces the database
    schema: Schema  # the spec, resolved

    @property
    def complete(self) -> bool:
        return not self.notes


def _document(draft: Draft) -> dict[str, Any]:
    doc = dict(draft.doc)
    tables = {}
    for key, td in draft.tables.items():
        spec = dict(td.spec)
        spec["columns"] = {name: column_spec(col) for name, col in td.columns.items()}
        tables[key] = spec
    doc["tables"] = tables
    return doc


def _render(draft: Draft) -> str:
    return dump(_document(draft))


def pull(catalog: Catalog) -> Pulled:
    draft = build(catalog)
    text, schema = settle(draft, _render)
    notes = tuple(sorted(draft.notes))
    return Pulled(PREAMBLE + header(list(notes)) + text, notes, schema)
