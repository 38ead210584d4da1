"""Helpers for tests that assert diagnostics: (code, line, col, path) facts."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Diagnostics
from generator.pipeline import load_schema
from generator.source import Document, load_yaml

FILE = "schema.yaml"

# A valid table to append columns to: line 5 is "id", new columns start on line 6.
HEAD = "version: 1\ntables:\n  t:\n    columns:\n      id: {type: uuid, primary_key: true}\n"


def where(d: Diagnostic) -> tuple[str, int, int, str]:
    assert d.span is not None, d
    return (d.code, d.span.line, d.span.col, d.path)


def yaml_errors(text: str | bytes) -> tuple[Document | None, list[Diagnostic]]:
    raw = text.encode() if isinstance(text, str) else text
    diags = Diagnostics()
    doc = load_yaml(raw, FILE, diags)
    return doc, diags.sorted()


def spec_errors(text: str) -> list[Diagnostic]:
    loaded = load_schema(text.encode(), FILE)
    assert (loaded.schema is None) == bool(loaded.diagnostics)
    return loaded.diagnostics


def only(text: str) -> Diagnostic:
    """The one diagnostic a spec produces (fails if there are none or several)."""
    diags = spec_errors(text)
    assert len(diags) == 1, [where(d) for d in diags]
    return diags[0]
