"""Operations on tables and their columns: create, drop, rename and move a table;
add, drop and rename a column; rename its identity sequence; change its type,
default, identity, NOT NULL or generated expression (``compare.py`` and
``tables.py`` decide them).  Same rules as ops.py: frozen, each with its
reverse, drops naming the old model's objects, creates and alters the new one's.
"""

from __future__ import annotations

from ..model import Column, Default, Table
from ..records import record
from .ops import Op

# -- tables ------------------------------------------------------------------------


@record
class CreateTable(Op):
    """Columns, primary key, uniques, checks and comments; foreign keys, indexes and
    the trigger are operations of their own (foreign keys go last)."""

    table: Table
    phase = 80

    def reverse(self) -> Op:
        return DropTable(self.table)


@record
class DropTable(Op):
    table: Table
    phase = 50

    def reverse(self) -> Op:
        return CreateTable(self.table)


@record
class RenameTable(Op):
    """Rename and/or move a table to another schema (its rows stay)."""

    old: Table
    new: Table
    move_first: bool = True  # SET SCHEMA, then RENAME (else the other way round)
    phase = 60

    def reverse(self) -> Op:
        return RenameTable(self.new, self.old, not self.move_first)  # same intermediate name


@record
class AddColumn(Op):
    table: Table
    column: Column
    backfill: str | None = None  # SQL expression filling existing rows before NOT NULL

    def order(self) -> int:
        return 100 if self.column.generated else 81  # generated: after what it reads

    def reverse(self) -> Op:
        return DropColumn(self.table, self.column)


@record
class DropColumn(Op):
    table: Table
    column: Column

    def order(self) -> int:
        return 30 if self.column.generated else 40  # generated first: they read others

    def reverse(self) -> Op:
        return AddColumn(self.table, self.column)


@record
class RenameColumn(Op):
    table: Table  # as named after RenameTable
    old: str
    new: str
    phase = 61

    def reverse(self) -> Op:
        return RenameColumn(self.table, self.new, self.old)


@record
class RenameSequence(Op):
    """An identity column's sequence follows its table and column, as a fresh build names it."""

    table: Table  # as named after RenameTable
    column: str  # as named after RenameColumn
    old: str
    new: str
    phase = 64

    def reverse(self) -> Op:
        return RenameSequence(self.table, self.column, self.new, self.old)


@record
class AlterColumnType(Op):
    table: Table
    old: Column  # renamed already: old.name == new.name
    new: Column
    using: str | None = None  # SQL expression from the spec (migrate: using)
    phase = 90

    def reverse(self) -> Op:
        return AlterColumnType(self.table, self.new, self.old)


@record
class SetDefault(Op):
    table: Table
    column: str
    old: Default | None
    new: Default | None

    def order(self) -> int:
        return 91 if self.new is None else 94  # drop a default before adding identity

    def reverse(self) -> Op:
        return SetDefault(self.table, self.column, self.new, self.old)


@record
class SetIdentity(Op):
    table: Table
    column: str
    old: str | None
    new: str | None
    phase = 93

    def reverse(self) -> Op:
        return SetIdentity(self.table, self.column, self.new, self.old)


@record
class SetNullable(Op):
    table: Table
    column: str
    nullable: bool
    backfill: str | None = None  # fills NULLs before SET NOT NULL

    def order(self) -> int:
        # NOT NULL before an identity is added; an identity dropped before DROP NOT NULL
        return 96 if self.nullable else 92

    def reverse(self) -> Op:
        return SetNullable(self.table, self.column, not self.nullable)


@record
class DropExpression(Op):
    """A generated column becomes a plain one, keeping its values."""

    table: Table
    generated: Column
    plain: Column
    phase = 29

    def reverse(self) -> Op:
        return RestoreExpression(self.table, self.plain, self.generated)


@record
class RestoreExpression(Op):
    """PostgreSQL 15 cannot add an expression to a column: drop it and add it generated."""

    table: Table
    plain: Column
    generated: Column
    phase = 100

    def reverse(self) -> Op:
        return DropExpression(self.table, self.generated, self.plain)
