"""``outputs:`` in the spec: which files ``generate`` writes, where, and how.

The shape and the table of outputs; the paths are checked by the resolve pass
``outputs``.

One spec file drives everything, so the choice lives next to the tables it
renders (not in pyproject.toml, which a TypeScript-only service or a folder
with several specs does not have).  Without ``outputs:`` the output is exactly
what it always was: schema.sql, models.py, orm.py and __init__.py.

Each output key takes ``true`` (on, at its default path), ``false`` (off) or a
path inside the output folder.  Stale-file removal and ``--check`` follow the
choice by themselves: a file that is no longer chosen is a stale generated file.
"""

from pydantic import BaseModel, ConfigDict, Field

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


def _field(on: bool, what: str) -> object:
    state = "on" if on else "off"
    return Field(on, description=f"{what}: true, false or a path in the output folder ({state}).")


class OutputsSpec(BaseModel):
    """The ``outputs:`` mapping (shape only; paths are checked by the resolve pass ``outputs``)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

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
