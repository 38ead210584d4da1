"""The resolver's declared passes: the docstring's list is the code's list, and
the model is built from the draft once, after every pass."""

from __future__ import annotations

import re
from pathlib import Path

import generator.resolve as resolve_pkg
from generator.resolve import PASSES


def test_the_docstring_lists_the_passes_in_order() -> None:
    doc = resolve_pkg.__doc__ or ""
    listed = re.findall(r"^(\d+)\. +``(\w+)``", doc, re.MULTILINE)
    assert [int(n) for n, _ in listed] == list(range(1, len(PASSES) + 1))
    assert [name for _, name in listed] == [p.name for p in PASSES]


def test_each_pass_is_its_own_module_named_after_it() -> None:
    for p in PASSES:
        assert p.run.__module__ == f"generator.resolve.{p.name}", p.name
        assert p.run.__name__ == "run"


def test_only_build_makes_the_model_and_nothing_patches_it() -> None:
    """The read-only model is made in one place, never half-built and replaced."""
    folder = Path(resolve_pkg.__file__).parent
    for path in sorted(folder.glob("*.py")):
        text = path.read_text()
        assert "replace(" not in text.replace(".replace(", ""), path.name
        if path.name != "build.py":
            assert not re.search(r"\b(Schema|Table|Column|Relation|ForeignKey)\(", text), path.name
