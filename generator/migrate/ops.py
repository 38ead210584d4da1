"""Migration operations: one frozen dataclass per schema change, each with its reverse.

As Alembic's operations, they say *what* changes; ``render.py`` says how in
SQL and ``plan.py`` in which order.  Every operation carries the state it
needs to be undone (a dropped table carries the whole table), so ``down``
is the reverse of ``up``, step by step, and never needs the other model.

Names: an operation that runs before the renames (drops) names objects as the
old model does; one that runs after them (creates, alters) as the new one.
``down`` runs the reversed steps in reversed order, so the same names hold.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from ..model import (
    Check,
    Column,
    Default,
    Enum,
    ForeignKey,
    Function,
    Index,
    PrimaryKey,
    Table,
    Trigger,
    Unique,
)

Constraint = PrimaryKey | Unique | Check


class Op:
    """Base of every operation. ``phase`` orders steps (see plan.py)."""

    phase: ClassVar[int] = 0

    def order(self) -> int:
        return self.phase

    def reverse(self) -> Op:
        raise NotImplementedError


# -- phase 0: what tables depend on (extensions, schemas, types, labels) ---------


@dataclass(frozen=True)
class CreateExtension(Op):
    name: str
    phase = 0

    def reverse(self) -> Op:
        return DropExtension(self.name)


@dataclass(frozen=True)
class DropExtension(Op):
    name: str
    phase = 120

    def reverse(self) -> Op:
        return CreateExtension(self.name)


@dataclass(frozen=True)
class CreateSchema(Op):
    name: str
    phase = 1

    def reverse(self) -> Op:
        return DropSchema(self.name)


@dataclass(frozen=True)
class DropSchema(Op):
    name: str
    phase = 121

    def reverse(self) -> Op:
        return CreateSchema(self.name)


@dataclass(frozen=True)
class CreateEnum(Op):
    enum: Enum
    phase = 3

    def reverse(self) -> Op:
        return DropEnum(self.enum)


@dataclass(frozen=True)
class DropEnum(Op):
    enum: Enum
    phase = 119

    def reverse(self) -> Op:
        return CreateEnum(self.enum)


@dataclass(frozen=True)
class RenameEnum(Op):
    """Rename and/or move an enum type to another schema."""

    old: Enum
    new: Enum
    move_first: bool = True  # SET SCHEMA, then RENAME (else the other way round)
    phase = 2

    def reverse(self) -> Op:
        return RenameEnum(self.new, self.old, not self.move_first)  # same intermediate name


@dataclass(frozen=True)
class RenameEnumLabel(Op):
    enum: Enum  # as named after RenameEnum
    old: str
    new: str
    phase = 4

    def reverse(self) -> Op:
        return RenameEnumLabel(self.enum, self.new, self.old)


@dataclass(frozen=True)
class EnumUsage:
    """A column of the enum's type while the type is rebuilt, and its default around it."""

    table: str  # quoted, qualified
    column: str
    array: bool
    default_before: Default | None
    default_after: Default | None

    def reverse(self) -> EnumUsage:
        return replace(self, default_before=self.default_after, default_after=self.default_before)


@dataclass(frozen=True)
class AddEnumLabels(Op):
    """``ALTER TYPE ... ADD VALUE`` for labels that keep the old ones in order."""

    enum: Enum  # labels: the new list
    before: tuple[str, ...]  # the labels before (renames applied)
    usages: tuple[EnumUsage, ...]  # the old model's columns, for the reverse rebuild
    phase = 5

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(label for label in self.enum.labels if label not in self.before)

    def reverse(self) -> Op:
        return RebuildEnum(self.enum, self.enum.labels, self.before, self.usages)


@dataclass(frozen=True)
class RebuildEnum(Op):
    """Labels removed or reordered: rename the type away, create it anew, convert columns."""

    enum: Enum
    before: tuple[str, ...]
    after: tuple[str, ...]
    usages: tuple[EnumUsage, ...]
    phase = 70

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(label for label in self.before if label not in self.after)

    def reverse(self) -> Op:
        return RebuildEnum(
            self.enum, self.after, self.before, tuple(u.reverse() for u in self.usages)
        )


@dataclass(frozen=True)
class CreateFunction(Op):
    """CREATE OR REPLACE FUNCTION: also how a changed body is written (``old`` set),
    so the reverse puts the old body back instead of dropping the function."""

    function: Function
    old: Function | None = None
    phase = 6

    def reverse(self) -> Op:
        if self.old is not None:
            return CreateFunction(self.old, self.function)
        return DropFunction(self.function)


@dataclass(frozen=True)
class DropFunction(Op):
    function: Function
    phase = 118

    def reverse(self) -> Op:
        return CreateFunction(self.function)


# -- tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateTable(Op):
    """Columns, primary key, uniques, checks and comments; foreign keys, indexes and
    the trigger are operations of their own (foreign keys go last)."""

    table: Table
    phase = 80

    def reverse(self) -> Op:
        return DropTable(self.table)


@dataclass(frozen=True)
class DropTable(Op):
    table: Table
    phase = 50

    def reverse(self) -> Op:
        return CreateTable(self.table)


@dataclass(frozen=True)
class RenameTable(Op):
    """Rename and/or move a table to another schema (its rows stay)."""

    old: Table
    new: Table
    move_first: bool = True  # SET SCHEMA, then RENAME (else the other way round)
    phase = 60

    def reverse(self) -> Op:
        return RenameTable(self.new, self.old, not self.move_first)  # same intermediate name


@dataclass(frozen=True)
class AddColumn(Op):
    table: Table
    column: Column
    backfill: str | None = None  # SQL expression filling existing rows before NOT NULL

    def order(self) -> int:
        return 100 if self.column.generated else 81  # generated: after what it reads

    def reverse(self) -> Op:
        return DropColumn(self.table, self.column)


@dataclass(frozen=True)
class DropColumn(Op):
    table: Table
    column: Column

    def order(self) -> int:
        return 30 if self.column.generated else 40  # generated first: they read others

    def reverse(self) -> Op:
        return AddColumn(self.table, self.column)


@dataclass(frozen=True)
class RenameColumn(Op):
    table: Table  # as named after RenameTable
    old: str
    new: str
    phase = 61

    def reverse(self) -> Op:
        return RenameColumn(self.table, self.new, self.old)


@dataclass(frozen=True)
class RenameSequence(Op):
    """An identity column's sequence follows its table and column, as a fresh build names it."""

    table: Table  # as named after RenameTable
    column: str  # as named after RenameColumn
    old: str
    new: str
    phase = 64

    def reverse(self) -> Op:
        return RenameSequence(self.table, self.column, self.new, self.old)


@dataclass(frozen=True)
class AlterColumnType(Op):
    table: Table
    old: Column  # renamed already: old.name == new.name
    new: Column
    using: str | None = None  # SQL expression from the spec (migrate: using)
    phase = 90

    def reverse(self) -> Op:
        return AlterColumnType(self.table, self.new, self.old)


@dataclass(frozen=True)
class SetDefault(Op):
    table: Table
    column: str
    old: Default | None
    new: Default | None

    def order(self) -> int:
        return 91 if self.new is None else 94  # drop a default before adding identity

    def reverse(self) -> Op:
        return SetDefault(self.table, self.column, self.new, self.old)


@dataclass(frozen=True)
class SetIdentity(Op):
    table: Table
    column: str
    old: str | None
    new: str | None
    phase = 93

    def reverse(self) -> Op:
        return SetIdentity(self.table, self.column, self.new, self.old)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class DropExpression(Op):
    """A generated column becomes a plain one, keeping its values."""

    table: Table
    generated: Column
    plain: Column
    phase = 29

    def reverse(self) -> Op:
        return RestoreExpression(self.table, self.plain, self.generated)


@dataclass(frozen=True)
class RestoreExpression(Op):
    """PostgreSQL 15 cannot add an expression to a column: drop it and add it generated."""

    table: Table
    plain: Column
    generated: Column
    phase = 100

    def reverse(self) -> Op:
        return DropExpression(self.table, self.generated, self.plain)


# -- constraints, indexes, triggers, comments --------------------------------------


@dataclass(frozen=True)
class AddConstraint(Op):
    table: Table
    constraint: Constraint
    phase = 110

    def reverse(self) -> Op:
        return DropConstraint(self.table, self.constraint)


@dataclass(frozen=True)
class DropConstraint(Op):
    table: Table
    constraint: Constraint
    phase = 20

    def reverse(self) -> Op:
        return AddConstraint(self.table, self.constraint)


@dataclass(frozen=True)
class RenameConstraint(Op):
    table: Table  # as named after RenameTable
    old: str
    new: str
    phase = 62

    def reverse(self) -> Op:
        return RenameConstraint(self.table, self.new, self.old)


@dataclass(frozen=True)
class AddForeignKey(Op):
    table: Table
    fk: ForeignKey
    target: Table  # the referenced table, as named at this point
    phase = 130

    def reverse(self) -> Op:
        return DropForeignKey(self.table, self.fk, self.target)


@dataclass(frozen=True)
class DropForeignKey(Op):
    table: Table
    fk: ForeignKey
    target: Table
    phase = 10

    def reverse(self) -> Op:
        return AddForeignKey(self.table, self.fk, self.target)


@dataclass(frozen=True)
class CreateIndex(Op):
    table: Table
    index: Index
    phase = 111

    def reverse(self) -> Op:
        return DropIndex(self.table, self.index)


@dataclass(frozen=True)
class DropIndex(Op):
    table: Table
    index: Index
    phase = 21

    def reverse(self) -> Op:
        return CreateIndex(self.table, self.index)


@dataclass(frozen=True)
class RenameIndex(Op):
    table: Table  # the index lives in its table's schema
    old: str
    new: str
    phase = 63

    def reverse(self) -> Op:
        return RenameIndex(self.table, self.new, self.old)


@dataclass(frozen=True)
class CreateTrigger(Op):
    table: Table
    trigger: Trigger
    phase = 112

    def reverse(self) -> Op:
        return DropTrigger(self.table, self.trigger)


@dataclass(frozen=True)
class DropTrigger(Op):
    table: Table
    trigger: Trigger
    phase = 22

    def reverse(self) -> Op:
        return CreateTrigger(self.table, self.trigger)


@dataclass(frozen=True)
class SetComment(Op):
    kind: str  # TABLE, COLUMN or TYPE
    target: str  # quoted, qualified (a column: table.column)
    old: str | None
    new: str | None
    phase = 113

    def reverse(self) -> Op:
        return SetComment(self.kind, self.target, self.new, self.old)
