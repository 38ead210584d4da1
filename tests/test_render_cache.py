"""Jinja's bytecode cache never changes what is generated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent


def test_an_edited_template_is_recompiled_not_served_from_the_cache(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    raw = (ROOT / "schema.yaml").read_bytes()
    first = generate(raw, "schema.yaml", templates).files
    assert first == generate(raw, "schema.yaml").files  # the same as the bundled ones
    template = templates / "postgres" / "schema.sql.jinja"
    template.write_text(template.read_text().replace("Do not edit", "Never edit", 1))
    second = generate(raw, "schema.yaml", templates).files
    assert second["schema.sql"] == first["schema.sql"].replace("Do not edit", "Never edit", 1)
    assert second["models.py"] == first["models.py"]


def test_an_unusable_cache_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    def unsafe(self: object) -> str:
        raise RuntimeError("the cache folder is owned by someone else")

    def unwritable(self: object, bucket: object) -> None:
        raise PermissionError("read-only file system")

    from generator import render

    raw = (ROOT / "schema.yaml").read_bytes()
    expected = (ROOT / "generated" / "schema.sql").read_text()
    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_default_cache_dir", unsafe)
    render._bytecode_cache.cache_clear()  # made once per process: make it again
    try:
        assert render._bytecode_cache() is None
        assert generate(raw, "schema.yaml").files["schema.sql"] == expected
    finally:
        render._bytecode_cache.cache_clear()
    monkeypatch.undo()
    assert render._bytecode_cache() is not None
    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_cache_filename", unwritable)
    assert generate(raw, "schema.yaml").files["schema.sql"] == expected
