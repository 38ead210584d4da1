"""Migration operations: one read-only record per schema change, each with its reverse.

As Alembic's operations, they say *what* changes; ``render*.py`` say how in
SQL and ``plan.py`` in which order.  Every operation carries the state it
needs to be undone (a dropped table carries the whole table), so ``down``
is the reverse of ``up``, step by step, and never needs the other model.

Names: an operation that runs before the renames (drops) names objects as the
old model does; one that runs after them (creates, alters) as the new one.
``down`` runs the reversed steps in reversed order, so the same names hold.

This module holds the base (``Op``), what tables depend on (extensions,
schemas, enums and their labels) and comments; the other operations are in
``ops_tables.py`` (tables, columns), ``ops_constraints.py`` (constraints,
foreign keys, indexes, triggers), ``ops_objects.py`` (functions, views,
row-level security, policies, raw SQL), ``ops_types.py`` (domains, serial
columns' sequences, exclusions) and ``ops_sequences.py`` (shared sequences).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from ..model import Default, Enum
from ..records import Value, record


class Op(Value):
    """Base of every operation. ``phase`` orders steps (see plan.py)."""

    phase: ClassVar[int] = 0

    def order(self) -> int:
        return self.phase

    def reverse(self) -> Op:
        raise NotImplementedError


# -- phase 0: what tables depend on (extensions, schemas, types, labels) ---------


@record
class CreateExtension(Op):
    name: str
    phase = 0

    def reverse(self) -> Op:
        return DropExtension(self.name)


@record
class DropExtension(Op):
    name: str
    phase = 120

    def reverse(self) -> Op:
        return CreateExtension(self.name)


@record
class CreateSchema(Op):
    name: str
    phase = 1

    def reverse(self) -> Op:
        return DropSchema(self.name)


@record
class DropSchema(Op):
    name: str
    phase = 121

    def reverse(self) -> Op:
        return CreateSchema(self.name)


@record
class CreateEnum(Op):
    enum: Enum
    phase = 3

    def reverse(self) -> Op:
        return DropEnum(self.enum)


@record
class DropEnum(Op):
    enum: Enum
    phase = 119

    def reverse(self) -> Op:
        return CreateEnum(self.enum)


@record
class RenameEnum(Op):
    """Rename and/or move an enum type to another schema."""

    old: Enum
    new: Enum
    move_first: bool = True  # SET SCHEMA, then RENAME (else the other way round)
    phase = 2

    def reverse(self) -> Op:
        return RenameEnum(self.new, self.old, not self.move_first)  # same intermediate name


@record
class RenameEnumLabel(Op):
    enum: Enum  # as named after RenameEnum
    old: str
    new: str
    phase = 4

    def reverse(self) -> Op:
        return RenameEnumLabel(self.enum, self.new, self.old)


@record
class EnumUsage(Value):
    """A column of the enum's type while the type is rebuilt, and its default around it."""

    table: str  # quoted, qualified
    column: str
    array: bool
    default_before: Default | None
    default_after: Default | None

    def reverse(self) -> EnumUsage:
        return replace(self, default_before=self.default_after, default_after=self.default_before)


@record
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


@record
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


# -- comments (every kind of object) -----------------------------------------------


@record
class SetComment(Op):
    kind: str  # TABLE, COLUMN, TYPE, DOMAIN or SEQUENCE
    target: str  # quoted, qualified (a column: table.column)
    old: str | None
    new: str | None
    phase = 113

    def reverse(self) -> Op:
        return SetComment(self.kind, self.target, self.new, self.old)
