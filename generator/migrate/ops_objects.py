"""Operations on functions, views, row-level security, policies and raw SQL, the
objects ``objects.py`` compares; each phase says when it runs against the
column changes it depends on.  Same rules as ops.py: frozen, each with its
reverse, drops naming the old model's objects, creates and alters the new one's.
"""

from __future__ import annotations

from ..model import Function, Policy, Table, View
from ..records import record
from .ops import Op

# -- functions ---------------------------------------------------------------------


@record
class CreateFunction(Op):
    """CREATE OR REPLACE FUNCTION: also how a changed body is written (``old`` set),
    so the reverse puts the old body back instead of dropping the function.
    ``recreated``: its signature changed, so it follows a DropFunction of the old one."""

    function: Function
    old: Function | None = None
    recreated: bool = False

    def order(self) -> int:
        # after_tables: PostgreSQL checks an SQL body against the tables at creation
        if self.function.after_tables:
            return 101
        return 25 if self.recreated else 6

    def reverse(self) -> Op:
        if self.old is not None:
            return CreateFunction(self.old, self.function)
        return DropFunction(self.function, self.recreated)


@record
class DropFunction(Op):
    """DROP FUNCTION name(argument types).  Early (before the tables go) when it
    reads tables or is recreated with another signature (its triggers dropped first)."""

    function: Function
    recreated: bool = False

    def order(self) -> int:
        return 24 if self.recreated or self.function.after_tables else 118

    def reverse(self) -> Op:
        return CreateFunction(self.function, None, self.recreated)


# -- views, row-level security, policies, raw SQL (objects.py decides) ------------


@record
class CreateView(Op):
    """A view or materialized view with its indexes: after every column change."""

    view: View
    phase = 105

    def reverse(self) -> Op:
        return DropView(self.view)


@record
class DropView(Op):
    """Before anything it reads changes (dependents are dropped first: compare order)."""

    view: View
    phase = 15

    def reverse(self) -> Op:
        return CreateView(self.view)


@record
class SetRowSecurity(Op):
    """ENABLE/DISABLE (``force`` False) or FORCE/NO FORCE (``force`` True) ROW LEVEL SECURITY."""

    table: Table
    force: bool
    on: bool

    def order(self) -> int:
        return 114 if self.on else 19  # off: before its table may be dropped

    def reverse(self) -> Op:
        return SetRowSecurity(self.table, self.force, not self.on)


@record
class CreatePolicy(Op):
    table: Table
    policy: Policy
    phase = 115

    def reverse(self) -> Op:
        return DropPolicy(self.table, self.policy)


@record
class DropPolicy(Op):
    """Before the columns it reads change type or go (PostgreSQL refuses otherwise)."""

    table: Table
    policy: Policy
    phase = 18

    def reverse(self) -> Op:
        return CreatePolicy(self.table, self.policy)


@record
class AlterPolicy(Op):
    """ALTER POLICY: roles, USING and WITH CHECK (clauses present on both sides)."""

    table: Table
    old: Policy
    new: Policy
    phase = 115

    def reverse(self) -> Op:
        return AlterPolicy(self.table, self.new, self.old)


@record
class RawSQL(Op):
    """``postgres.before``/``after``.  The differ cannot know what raw SQL did: in the
    first migration (``run``) the text runs where schema.sql places it; a later change
    runs nothing and says so (safety code MN501), with the old and new text shown."""

    where: str  # "before" or "after"
    old: str | None
    new: str | None
    run: bool = False

    def order(self) -> int:
        return 7 if self.where == "before" else 140

    def reverse(self) -> Op:
        return RawSQL(self.where, self.new, self.old)
