"""Operations on what hangs on a table under a name of its own: primary keys,
uniques and checks, foreign keys, indexes and triggers.  Added late and dropped
early (foreign keys last and first), so the column changes between them meet
none.  Same rules as ops.py: frozen, each with its reverse, drops naming the
old model's objects, creates and alters the new one's.
"""

from __future__ import annotations

from ..model import Check, ForeignKey, Index, PrimaryKey, Table, Trigger, Unique
from ..records import record
from .ops import Op

Constraint = PrimaryKey | Unique | Check


# -- constraints, indexes, triggers ------------------------------------------------


@record
class AddConstraint(Op):
    table: Table
    constraint: Constraint
    phase = 110

    def reverse(self) -> Op:
        return DropConstraint(self.table, self.constraint)


@record
class DropConstraint(Op):
    table: Table
    constraint: Constraint
    phase = 20

    def reverse(self) -> Op:
        return AddConstraint(self.table, self.constraint)


@record
class RenameConstraint(Op):
    table: Table  # as named after RenameTable
    old: str
    new: str
    phase = 62

    def reverse(self) -> Op:
        return RenameConstraint(self.table, self.new, self.old)


@record
class AddForeignKey(Op):
    table: Table
    fk: ForeignKey
    target: Table  # the referenced table, as named at this point
    phase = 130

    def reverse(self) -> Op:
        return DropForeignKey(self.table, self.fk, self.target)


@record
class DropForeignKey(Op):
    table: Table
    fk: ForeignKey
    target: Table
    phase = 10

    def reverse(self) -> Op:
        return AddForeignKey(self.table, self.fk, self.target)


@record
class CreateIndex(Op):
    table: Table
    index: Index
    phase = 111

    def reverse(self) -> Op:
        return DropIndex(self.table, self.index)


@record
class DropIndex(Op):
    table: Table
    index: Index
    phase = 21

    def reverse(self) -> Op:
        return CreateIndex(self.table, self.index)


@record
class RenameIndex(Op):
    table: Table  # the index lives in its table's schema
    old: str
    new: str
    phase = 63

    def reverse(self) -> Op:
        return RenameIndex(self.table, self.new, self.old)


@record
class CreateTrigger(Op):
    table: Table
    trigger: Trigger
    phase = 112

    def reverse(self) -> Op:
        return DropTrigger(self.table, self.trigger)


@record
class DropTrigger(Op):
    table: Table
    trigger: Trigger
    phase = 22

    def reverse(self) -> Op:
        return CreateTrigger(self.table, self.trigger)
