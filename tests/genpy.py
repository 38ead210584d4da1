"""Helpers for tests of the generated Python: generate, import by path, lint, connect."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import psycopg

from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Lint the generated code with explicit settings, independent of any repository
# configuration: ruff's default line length and formatting, a broad rule set.
RUFF_CHECK = [
    "check",
    "--isolated",
    "--target-version",
    "py311",
    "--select",
    "E,F,W,I,UP,B,SIM,RUF",
    "--ignore",
    "E501",
]
RUFF_FORMAT = ["format", "--isolated", "--target-version", "py311", "--check", "--diff"]
MYPY = ["--strict", "--no-incremental", "--config-file", "/dev/null"]


def generate_into(spec: str | bytes, out: Path, name: str = "schema.yaml") -> dict[str, str]:
    result = generate(spec.encode() if isinstance(spec, str) else spec, name)
    assert not result.diagnostics, [str(d) for d in result.diagnostics]
    out.mkdir(parents=True, exist_ok=True)
    for path, text in result.files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)  # docs/tables.md
        (out / path).write_text(text, encoding="utf-8")
    return result.files


def load_package(folder: Path, name: str) -> tuple[ModuleType, ModuleType]:
    """Import ``folder`` as package ``name``; return its (models, orm) modules."""
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    models = importlib.import_module(f"{name}.models")
    orm = importlib.import_module(f"{name}.orm")
    return models, orm


def tool(name: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / name), *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def engine(pg_url: str) -> Any:
    import sqlalchemy

    return sqlalchemy.create_engine(
        "postgresql+psycopg://", creator=lambda: psycopg.connect(pg_url)
    )


def apply_sql(pg_url: str, sql: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]  # our own generated DDL


def case_specs() -> list[Path]:
    """The golden cases whose spec is valid (they have an expected schema.sql)."""
    cases = ROOT / "tests" / "cases"
    if not cases.is_dir():
        return []
    return sorted(
        p / "schema.yaml"
        for p in cases.iterdir()
        # The default layout (outputs_* cases move or drop files: see test_outputs.py)
        if (p / "schema.yaml").is_file() and (p / "expected" / "orm.py").is_file()
    )
