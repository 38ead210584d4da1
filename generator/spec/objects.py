"""The spec as written, for the objects beside tables: functions, triggers,
row-level security and policies (issue 13).

Kept apart from ``models.py`` so the table language and these objects grow
without touching each other; ``Spec.functions``, ``TableSpec.triggers``,
``TableSpec.row_level_security`` and ``TableSpec.policies`` register them.
Shape only: names, types, expressions and references are checked by the
resolver (``resolve/functions.py``, ``resolve/usertriggers.py``,
``resolve/policies.py``).
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


# A default of [] or {} comes from a Python function, not from the builtin
# ``list`` or ``dict``: pydantic reads each default factory's signature, and a
# builtin's is parsed from its text by the tokenize module, whose first use
# compiles its regular expressions (18 M instructions of a run).  Likewise this
# module, models.py and outputs.py have no ``from __future__ import annotations``:
# pydantic would evaluate every annotation string again (11 M).
def new_list() -> list[Any]:
    return []


def new_dict() -> dict[str, Any]:
    return {}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class FunctionSpec(_Strict):
    returns: str = Field(description="Return type, e.g. trigger, integer, void, setof text.")
    language: Literal["sql", "plpgsql"] = Field(description="The body's language.")
    body: str = Field(
        description="The function body, dollar-quoted in the DDL with a tag it cannot contain."
    )
    arguments: dict[str, str] = Field(
        default_factory=new_dict, description="Arguments in order: name -> type."
    )
    volatility: Literal["volatile", "stable", "immutable"] | None = Field(
        None, description="VOLATILE (PostgreSQL's default), STABLE or IMMUTABLE."
    )
    security_definer: bool = Field(
        False,
        description="SECURITY DEFINER: runs with the owner's rights (qualify the names it uses).",
    )


TriggerEvent = Literal["insert", "update", "delete", "truncate"]


class TriggerSpec(_Strict):
    function: str = Field(description="A function under 'functions:' that returns trigger.")
    timing: Literal["before", "after"] = Field(description="BEFORE or AFTER the event.")
    events: list[TriggerEvent] = Field(description="The events, e.g. [insert, update].")
    columns: list[str] = Field(
        default_factory=new_list, description="UPDATE OF these columns only (needs 'update')."
    )
    for_each: Literal["row", "statement"] = Field("row", description="FOR EACH ROW or STATEMENT.")
    when: str | None = Field(
        None, description="A condition over NEW.<column> / OLD.<column> (row triggers)."
    )
    arguments: list[str] = Field(
        default_factory=new_list, description="String arguments, read by the function as TG_ARGV."
    )


class RowLevelSecuritySpec(_Strict):
    enabled: bool = Field(True, description="ENABLE ROW LEVEL SECURITY.")
    force: bool = Field(False, description="FORCE ROW LEVEL SECURITY: the owner is bound too.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"enabled": value} if isinstance(value, bool) else value


class PolicySpec(_Strict):
    command: Literal["all", "select", "insert", "update", "delete"] = Field(
        "all", description="The command the policy applies to."
    )
    roles: list[str] = Field(
        default_factory=lambda: ["public"], description="Roles it applies to (default: public)."
    )
    restrictive: bool = Field(
        False, description="AS RESTRICTIVE (ANDed with the others) instead of permissive."
    )
    using: str | None = Field(None, description="Rows visible or affected: an SQL condition.")
    with_check: str | None = Field(None, description="Rows that may be written: an SQL condition.")


class ViewColumnSpec(_Strict):
    type: str = Field(description="The column's type as the query produces it, e.g. bigint.")
    nullable: bool = Field(False, description="The query may produce NULL here.")
    description: str | None = Field(None, description="Documentation for the column.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


class ViewIndexSpec(_Strict):
    columns: list[str] = Field(description="Indexed columns of the materialized view.")
    unique: bool = Field(False, description="A UNIQUE index (needed by REFRESH ... CONCURRENTLY).")
    name: str | None = Field(None, description="Index name (default: <view>_<columns>_idx).")


class ViewSpec(_Strict):
    query: str = Field(description="Exactly one SELECT; it may read the spec's tables and views.")
    columns: dict[str, ViewColumnSpec] = Field(
        description="The query's output columns in order: name -> type or {type, nullable}."
    )
    materialized: bool = Field(False, description="A materialized view (REFRESH to update).")
    key: list[str] = Field(
        default_factory=new_list, description="Columns that identify a row (the ORM Table's key)."
    )
    indexes: list[ViewIndexSpec] = Field(
        default_factory=new_list, description="Indexes on a materialized view."
    )
    description: str | None = Field(None, description="Documentation for the view.")
    class_name: str | None = Field(
        None, description="Python class of its row model (default: the view's name in PascalCase)."
    )
