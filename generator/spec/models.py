"""The spec as written: pydantic models of schema.yaml (v1).

These models check *shape* only (keys, scalar kinds); meaning (types, names,
references) is checked by the resolver, which has the whole spec in view.
Every model forbids unknown keys and is strict: ``nullable: "yes"`` is an
error, not a truthy string.  The JSON Schema that editors use is generated
from these models (``schemagen json-schema``).
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .objects import (
    FunctionSpec,
    PolicySpec,
    RowLevelSecuritySpec,
    TriggerSpec,
    ViewSpec,
    new_dict,
    new_list,
)
from .outputs import OutputsSpec

Action = Literal["no action", "restrict", "cascade", "set null", "set default"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


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
    index: bool | None = Field(
        None, description="Also index this column (default: postgres.index_foreign_keys)."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"to": value} if isinstance(value, str) else value


class MigrateSpec(_Strict):
    """How `schemagen migrate` treats existing rows; never changes generated output."""

    backfill: str | None = Field(
        None,
        description="SQL expression that fills existing rows when the column becomes NOT NULL.",
    )
    using: str | None = Field(
        None, description="SQL expression converting existing values on a type change (USING)."
    )


class ColumnSpec(_Strict):
    type: str = Field(description="Column type, e.g. uuid, text, varchar(50), numeric(10,2).")
    nullable: bool = Field(False, description="Columns are NOT NULL unless this is true.")
    default: Any = Field(
        None,
        description="A literal value checked against the column type, {sql: expression}, "
        "or {sequence: name} (nextval() of a sequence of 'sequences:').",
    )
    primary_key: bool = Field(False, description="This column is the table's primary key.")
    unique: bool = Field(False, description="A UNIQUE constraint on this column alone.")
    references: ReferenceSpec | None = Field(None, description="A foreign key.")
    on_update: Literal["now"] | None = Field(
        None, description="'now': set to the current time whenever the row is updated."
    )
    description: str | None = Field(None, description="Documentation for the column.")
    check: str | None = Field(
        None, description="A CHECK constraint on this column, as an SQL boolean expression."
    )
    identity: Literal["always", "by_default"] | None = Field(
        None, description="An identity column (GENERATED ALWAYS|BY DEFAULT AS IDENTITY)."
    )
    generated: SqlExpression | None = Field(
        None, description="A stored generated column: {sql: expression over other columns}."
    )
    renamed_from: str | None = Field(None, description="Migrations: the column's previous name.")
    migrate: MigrateSpec | None = Field(None, description="Migrations: backfill and using.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


class CheckSpec(_Strict):
    sql: str = Field(description="An SQL boolean expression over the table's columns.")
    name: str | None = Field(None, description="Constraint name (default: PostgreSQL's).")
    renamed_from: str | None = Field(None, description="Migrations: the previous name.")


IndexMethod = Literal["btree", "hash", "gin", "gist", "brin", "spgist"]


class IndexColumnSpec(_Strict):
    column: str | None = Field(None, description="The indexed column (or write 'expression').")
    expression: str | None = Field(
        None, description="An SQL expression to index instead of a column, e.g. lower(email)."
    )
    opclass: str | None = Field(
        None, description="Operator class, e.g. gin_trgm_ops (pg_trgm), jsonb_path_ops."
    )
    order: Literal["asc", "desc"] | None = Field(None, description="Sort order (btree).")


class IndexSpec(_Strict):
    columns: list[str | IndexColumnSpec] = Field(
        description="Indexed columns in order: 'name', 'name desc', an expression such as "
        "'lower(email)', or {column|expression, opclass, order}."
    )
    unique: bool = Field(False, description="A UNIQUE index.")
    nulls_not_distinct: bool = Field(
        False, description="A unique index treats NULLs as equal (PostgreSQL 15)."
    )
    using: IndexMethod = Field("btree", description="Index method.")
    where: str | None = Field(None, description="A partial index: only rows matching this SQL.")
    include: list[str] = Field(default_factory=new_list, description="Covering columns (INCLUDE).")
    name: str | None = Field(None, description="Index name (default: <table>_<columns>_idx).")
    renamed_from: str | None = Field(None, description="Migrations: the previous name.")


class UniqueSpec(_Strict):
    columns: list[str] = Field(description="The columns that are unique together.")
    nulls_not_distinct: bool = Field(
        False,
        description="NULLs are equal: at most one row per value with a NULL (PostgreSQL 15).",
    )


class ExcludeElementSpec(_Strict):
    column: str = Field(description="The column compared.")
    with_: str = Field(alias="with", description="The operator, e.g. '=' or '&&' (overlaps).")


class ExcludeSpec(_Strict):
    elements: list[ExcludeElementSpec] = Field(description="Columns and their operators.")
    using: IndexMethod = Field("gist", description="Index method (gist needs btree_gist for =).")
    where: str | None = Field(None, description="Only rows matching this SQL take part.")
    name: str | None = Field(None, description="Constraint name (default: <table>_<cols>_excl).")


class ForeignKeySpec(_Strict):
    columns: list[str] = Field(description="The referencing columns of this table.")
    to: str = Field(
        description="'table(col, ...)' or 'schema.table(col, ...)'; 'table' alone: its primary key."
    )
    on_delete: Action | None = Field(None, description="ON DELETE action (default: no action).")
    on_update: Action | None = Field(None, description="ON UPDATE action (default: no action).")
    relation: str | None = Field(
        None, description="Name of the relationship attribute on this table's class."
    )
    inverse: str | None = Field(
        None, description="Name of the relationship attribute on the referenced table's class."
    )
    index: bool | None = Field(None, description="Also index the referencing columns.")


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
    unique: list[list[str] | UniqueSpec] = Field(
        default_factory=new_list,
        description="Multi-column UNIQUE constraints: [a, b], or {columns: [a, b], "
        "nulls_not_distinct: true}.",
    )
    checks: list[CheckSpec | str] = Field(
        default_factory=new_list, description="Table CHECK constraints: SQL, or {sql, name}."
    )
    indexes: list[IndexSpec] = Field(default_factory=new_list, description="Indexes on this table.")
    exclude: list[ExcludeSpec] = Field(
        default_factory=new_list,
        description="Exclusion constraints: no two rows whose elements all match their operators.",
    )
    foreign_keys: list[ForeignKeySpec] = Field(
        default_factory=new_list, description="Foreign keys over several columns."
    )
    renamed_from: str | None = Field(
        None, description="Migrations: the previous name ('name' or 'schema.name')."
    )
    triggers: dict[str, TriggerSpec] = Field(
        default_factory=new_dict, description="Triggers on this table: name -> trigger."
    )
    row_level_security: RowLevelSecuritySpec | None = Field(
        None, description="true, or {enabled, force}: row-level security on this table."
    )
    policies: dict[str, PolicySpec] = Field(
        default_factory=new_dict, description="Row-level security policies: name -> policy."
    )


class PythonOptions(_Strict):
    json_aliases: Literal["none", "camel"] = Field(
        "none", description="'camel': Pydantic models accept and dump camelCase JSON keys."
    )


class DomainSpec(_Strict):
    type: str = Field(description="The base type, e.g. integer, varchar(100), an enum.")
    nullable: bool = Field(True, description="false: the domain is NOT NULL.")
    default: Any = Field(
        None, description="The domain's default: a literal of the base type, or {sql: ...}."
    )
    checks: list[CheckSpec | str] = Field(
        default_factory=new_list,
        description="CHECK constraints; VALUE is the value checked, e.g. VALUE >= 1901.",
    )
    description: str | None = Field(None, description="Documentation for the domain.")


class SequenceSpec(_Strict):
    """``CREATE SEQUENCE``: a counter several columns may draw from
    (``default: {sequence: name}``).  Options left out are PostgreSQL's defaults."""

    type: Literal["smallint", "integer", "bigint"] = Field(
        "bigint", description="The sequence's type, CREATE SEQUENCE ... AS (default: bigint)."
    )
    start: int | None = Field(
        None, description="First value (default: min, or max if counting down)."
    )
    increment: int = Field(1, description="Added at each nextval(); negative counts down.")
    min: int | None = Field(
        None, description="MINVALUE (default: 1, or the type's least if counting down)."
    )
    max: int | None = Field(
        None, description="MAXVALUE (default: the type's greatest, or -1 if counting down)."
    )
    cache: int = Field(1, description="Values preallocated per session (CACHE).")
    cycle: bool = Field(False, description="Wrap around at the end instead of failing.")
    owned_by: str | None = Field(
        None,
        description="'table.column' (or 'schema.table.column'): dropping the column drops the sequence.",
    )
    description: str | None = Field(None, description="Documentation: COMMENT ON SEQUENCE.")
    renamed_from: str | None = Field(
        None, description="Migrations: the previous name ('name' or 'schema.name')."
    )


class SequenceDefault(_Strict):
    """A column default drawn from a sequence of ``sequences:``: nextval() of it."""

    sequence: str = Field(description="A key of 'sequences:' ('name' or 'schema.name').")


class EnumSpec(_Strict):
    values: list[str] = Field(description="The labels, in order.")
    description: str | None = Field(None, description="Documentation for the type.")
    class_name: str | None = Field(
        None, description="Python class name (default: the enum name in PascalCase)."
    )
    renamed_from: str | None = Field(
        None, description="Migrations: the previous name ('name' or 'schema.name')."
    )
    renamed_labels: dict[str, str] = Field(
        default_factory=new_dict, description="Migrations: renamed labels, {new label: old label}."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"values": value} if isinstance(value, list) else value


class PostgresOptions(_Strict):
    extensions: list[str] = Field(
        default_factory=new_list, description="CREATE EXTENSION IF NOT EXISTS each, e.g. [citext]."
    )
    on_update_trigger: bool = Field(
        False,
        description="Columns with 'on_update: now' are also set by a trigger on every UPDATE.",
    )
    index_foreign_keys: bool = Field(
        False, description="Index every foreign key's columns unless already indexed."
    )
    before: str | None = Field(
        None,
        description="Raw SQL statements placed before the first table (after extensions, "
        "schemas, enum types and PL/pgSQL functions); each must be one sqlglot reads.",
    )
    after: str | None = Field(
        None, description="Raw SQL statements placed at the end of schema.sql."
    )


class Spec(_Strict):
    version: Literal[1] = Field(description="Spec language version; this is version 1.")

    @field_validator("version", mode="before")
    @classmethod
    def _exactly_one(cls, value: Any) -> Any:
        # Literal[1] compares by equality, so true and 1.0 would pass as 1.
        if isinstance(value, bool | float):
            raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})
        return value

    python: PythonOptions = Field(default_factory=PythonOptions)  # type: ignore[arg-type]
    postgres: PostgresOptions = Field(default_factory=PostgresOptions)  # type: ignore[arg-type]
    enums: dict[str, EnumSpec] = Field(
        default_factory=new_dict,
        description="Enum types: name -> [labels], or {values, description}. 'schema.name' allowed.",
    )
    domains: dict[str, DomainSpec] = Field(
        default_factory=new_dict,
        description="Domains: a base type with checks, usable as a column type. 'schema.name' allowed.",
    )
    sequences: dict[str, SequenceSpec] = Field(
        default_factory=new_dict,
        description="Sequences columns share: name -> options. 'schema.name' allowed.",
    )
    column_groups: dict[str, dict[str, ColumnSpec]] = Field(
        default_factory=new_dict,
        description="Reusable columns, inserted with '...name:' in a table.",
    )
    tables: dict[str, TableSpec] = Field(description="Tables, in the order they are written.")
    outputs: OutputsSpec | None = Field(None, description="Which files to generate, and where.")
    functions: dict[str, FunctionSpec] = Field(
        default_factory=new_dict, description="Functions the DDL creates: name -> function."
    )
    views: dict[str, ViewSpec] = Field(
        default_factory=new_dict, description="Views and materialized views: name -> view."
    )
