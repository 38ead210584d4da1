"""``outputs:`` in the spec: which files ``generate`` writes, where, and how.

One spec file drives everything, so the choice lives next to the tables it
renders (not in pyproject.toml, which a TypeScript-only service or a folder
with several specs does not have).  Without ``outputs:`` the output is exactly
what it always was: schema.sql, models.py, orm.py and __init__.py.

Each output key takes ``true`` (on, at its default path), ``false`` (off) or a
path inside the output folder.  Stale-file removal and ``--check`` follow the
choice by themselves: a file that is no longer chosen is a stale generated file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field

from ..model import Outputs

# key -> (default path or None when off by default, allowed file name suffixes)
OUTPUTS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "schema_sql": ("schema.sql", (".sql",)),
    "pydantic": ("models.py", (".py",)),
    "sqlalchemy": ("orm.py", (".py",)),
    "python_init": ("__init__.py", (".py",)),
    "drizzle": (None, (".ts",)),
    "mermaid": (None, (".mmd", ".md")),
    "data_dictionary": (None, (".md",)),
}
DEFAULT_PATHS = {
    "drizzle": "schema.ts",
    "mermaid": "schema.mmd",
    "data_dictionary": "schema.md",
}

_Choice = str | bool
_PACKAGE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def _field(on: bool, what: str) -> object:
    state = "on" if on else "off"
    return Field(on, description=f"{what}: true, false or a path in the output folder ({state}).")


class OutputsSpec(BaseModel):
    """The ``outputs:`` mapping (shape only; paths are checked by ``choose``)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    schema_sql: _Choice = _field(True, "PostgreSQL DDL (schema.sql)")  # type: ignore[assignment]
    pydantic: _Choice = _field(True, "Pydantic v2 models (models.py)")  # type: ignore[assignment]
    sqlalchemy: _Choice = _field(True, "SQLAlchemy 2.0 ORM (orm.py)")  # type: ignore[assignment]
    python_init: _Choice = _field(True, "The package's __init__.py")  # type: ignore[assignment]
    drizzle: _Choice = _field(False, "Drizzle ORM schema (schema.ts)")  # type: ignore[assignment]
    mermaid: _Choice = _field(False, "Mermaid ER diagram (schema.mmd)")  # type: ignore[assignment]
    data_dictionary: _Choice = _field(False, "Markdown data dictionary")  # type: ignore[assignment]
    python_package: str = Field(
        "generated", description="The import path of the output folder, e.g. app.db."
    )
    line_length: int = Field(
        88, ge=40, le=320, description="Line length of the generated Python (ruff's default 88)."
    )


Report = Callable[[str, str, tuple[str | int, ...], str], None]


def _path_problem(path: str, suffixes: tuple[str, ...]) -> str:
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or "\\" in path or "\x00" in path:
        return "is not a relative path"
    if pure.as_posix() != path or any(p in (".", "..") or p.startswith(".") for p in pure.parts):
        return "must be a plain path inside the output folder (no '.', '..' or hidden names)"
    if pure.suffix not in suffixes:
        return f"must end in {' or '.join(suffixes)}"
    return ""


def choose(spec: OutputsSpec | None, report: Report) -> Outputs:
    """The chosen outputs; each problem goes to ``report(code, message, path, hint)``."""
    if spec is None:
        return Outputs()
    paths: list[tuple[str, str]] = []
    taken: dict[str, str] = {}
    for key, (default, suffixes) in OUTPUTS.items():
        value = getattr(spec, key)
        if value is False:
            continue
        path = (default or DEFAULT_PATHS[key]) if value is True else str(value)
        where = ("outputs", key)
        problem = _path_problem(path, suffixes)
        if problem:
            hint = f"e.g. {default or DEFAULT_PATHS[key]}"
            report("invalid-output", f"output path {path!r} {problem}", where, hint)
            continue
        if path in taken:
            message = f"{key} and {taken[path]} both write {path!r}"
            report("invalid-output", message, where, "give each output its own path")
            continue
        taken[path] = key
        paths.append((key, path))
    if not _PACKAGE_RE.fullmatch(spec.python_package):
        report(
            "invalid-output",
            f"python_package {spec.python_package!r} is not a dotted Python import path",
            ("outputs", "python_package"),
            "e.g. app.db",
        )
    return Outputs(tuple(paths), spec.python_package, spec.line_length)
