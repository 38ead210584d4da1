"""The spec as written: pydantic models of schema.yaml (v1).

These models check *shape* only (keys, scalar kinds); meaning (types, names,
references) is checked by the resolver, which has the whole spec in view.
Every model forbids unknown keys and is strict: ``nullable: "yes"`` is an
error, not a truthy string.  The JSON Schema that editors use is generated
from these models (``schemagen json-schema``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Action = Literal["no action", "restrict", "cascade", "set null", "set default"]
IDENT_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SqlExpression(_Strict):
    """A default written as SQL, e.g. ``{sql: now()}``; never confused with a literal."""

    sql: str = Field(description="An SQL expression, copied into the DDL as written.")


class ReferenceSpec(_Strict):
    to: str = Field(description="The referenced column: 'table.column' or 'schema.table.column'.")
    on_delete: Action | None = Field(None, description="ON DELETE action (default: no action).")
    on_update: Action | None = Field(None, description="ON UPDATE action (default: no action).")
    relation: str | None = Field(
        None, description="Name of the relationship attribute on this table's class."
    )
    inverse: str | None = Field(
        None, description="Name of the relationship attribute on the referenced table's class."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"to": value} if isinstance(value, str) else value


class ColumnSpec(_Strict):
    type: str = Field(description="Column type, e.g. uuid, text, varchar(50), numeric(10,2).")
    nullable: bool = Field(False, description="Columns are NOT NULL unless this is true.")
    default: Any = Field(
        None,
        description="A literal value checked against the column type, or {sql: expression}.",
    )
    primary_key: bool = Field(False, description="This column is the table's primary key.")
    unique: bool = Field(False, description="A UNIQUE constraint on this column alone.")
    references: ReferenceSpec | None = Field(None, description="A foreign key.")
    on_update: Literal["now"] | None = Field(
        None, description="'now': set to the current time whenever the row is updated."
    )
    description: str | None = Field(None, description="Documentation for the column.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


class TableSpec(_Strict):
    description: str | None = Field(None, description="Documentation for the table.")
    class_name: str | None = Field(
        None, description="Python class name (default: the singular of the table, in PascalCase)."
    )
    columns: dict[str, ColumnSpec | None] = Field(
        description="Columns in order. A key '...group' (with no value) inserts a column group."
    )
    primary_key: list[str] | None = Field(
        None, description="A composite primary key, as a list of column names."
    )
    unique: list[list[str]] = Field(
        default_factory=list, description="Multi-column UNIQUE constraints."
    )


class PythonOptions(_Strict):
    json_aliases: Literal["none", "camel"] = Field(
        "none", description="'camel': Pydantic models accept and dump camelCase JSON keys."
    )


class Spec(_Strict):
    version: Literal[1] = Field(description="Spec language version; this is version 1.")
    python: PythonOptions = Field(default_factory=PythonOptions)  # type: ignore[arg-type]
    column_groups: dict[str, dict[str, ColumnSpec]] = Field(
        default_factory=dict, description="Reusable columns, inserted with '...name:' in a table."
    )
    tables: dict[str, TableSpec] = Field(description="Tables, in the order they are written.")
