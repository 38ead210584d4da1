"""What the statements around the tables declare (``Extras``: extensions, schemas,
enums, domains, sequences, indexes, functions, triggers, policies, views,
comments), filled once from the model (``expected.py``) and once from the
parsed DDL (``statements.py``, ``objects.py``), then compared; and the sqlglot
helpers every reader of the check shares (``sqlglot_exp``, ``table_key``,
``expression_key``, ``squash``).  Split from ``statements.py``, so both sides import it and
neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any


@dataclass(eq=False, repr=False)
class Extras:
    """The statements around the tables, as keys one side fills and the other compares."""

    extensions: set[str] = field(default_factory=set)
    namespaces: set[str] = field(default_factory=set)
    enums: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    functions: set[tuple[Any, ...]] = field(default_factory=set)
    indexes: set[tuple[Any, ...]] = field(default_factory=set)
    triggers: set[tuple[Any, ...]] = field(default_factory=set)
    security: set[tuple[str, str]] = field(default_factory=set)  # (table, ENABLE|FORCE)
    policies: set[tuple[Any, ...]] = field(default_factory=set)
    views: set[tuple[Any, ...]] = field(default_factory=set)
    comments: set[tuple[str, str, str]] = field(default_factory=set)
    # (key, type, {(option, value)}): the options other than AS, as CREATE SEQUENCE writes them
    sequences: set[tuple[str, Any, frozenset[tuple[str, str]]]] = field(default_factory=set)
    # (key, type, NOT NULL, has a default, {(check name, expression)})
    domains: set[tuple[str, str, bool, bool, frozenset[tuple[str, str]]]] = field(
        default_factory=set
    )
    owners: set[tuple[str, str, str]] = field(default_factory=set)  # (sequence, table, column)

    def compare(self, other: Extras, problems: list[str]) -> None:
        """Report what one side declares and the other does not (``self``: the model)."""
        for name in (
            "extensions",
            "namespaces",
            "enums",
            "functions",
            "indexes",
            "triggers",
            "security",
            "policies",
            "views",
            "sequences",
            "owners",
            "domains",
        ):
            want, got = getattr(self, name), getattr(other, name)
            for item in sorted(want - got, key=repr):
                problems.append(f"{name[:-1]} {item!r} is missing from the SQL")
            for item in sorted(got - want, key=repr):
                problems.append(f"{name[:-1]} {item!r} in the SQL is not in the model")
        if self.comments != other.comments:
            problems.append("the COMMENT ON statements differ from the model's descriptions")


@cache
def sqlglot_exp() -> Any:
    """``sqlglot.exp``, imported on first use (start-up stays lean) and then kept:
    the per-column readers (columns.py, sql.py) run some 13,000 times at 1,000
    tables, and an import statement in each call costs more than the rest of the call."""
    from sqlglot import exp

    return exp


def squash(text: str) -> str:
    """Runs of whitespace (line breaks included) as one space: statements compare
    as text whatever their layout."""
    return " ".join(text.split())


def table_key(node: Any) -> str:
    """``auth.users`` or ``users`` from a parsed table reference."""
    return f"{node.db}.{node.name}" if node.db else node.name


@cache
def expression_key(sql: str) -> str:
    """An expression as sqlglot prints it back, for comparing with the parsed DDL."""
    import sqlglot

    paren = sqlglot.parse_one(f"SELECT ({sql}\n)", read="postgres").expressions[0]
    return str(paren.this.sql("postgres"))
