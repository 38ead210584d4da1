"""Operations for the issue-12 model: domains, serial columns' sequences, exclusion
constraints.  Same rules as ops.py (frozen, each with its reverse, names as ops.py says:
drops name objects as the old model does, creates and alters as the new one)."""

from __future__ import annotations

from ..model import Check, Column, Default, Domain, Exclusion, Table
from ..records import record
from .ops import Op

# -- domains: created after enums and functions, dropped before them ---------------


@record
class CreateDomain(Op):
    domain: Domain
    phase = 7

    def reverse(self) -> Op:
        return DropDomain(self.domain)


@record
class DropDomain(Op):
    domain: Domain
    phase = 117

    def reverse(self) -> Op:
        return CreateDomain(self.domain)


@record
class RecreateDomain(Op):
    """A base type change of a domain no column uses: DROP DOMAIN, CREATE DOMAIN."""

    old: Domain
    new: Domain
    phase = 7

    def reverse(self) -> Op:
        return RecreateDomain(self.new, self.old)


@record
class AddDomainCheck(Op):
    domain: Domain
    check: Check
    phase = 110

    def reverse(self) -> Op:
        return DropDomainCheck(self.domain, self.check)


@record
class DropDomainCheck(Op):
    domain: Domain
    check: Check
    phase = 20

    def reverse(self) -> Op:
        return AddDomainCheck(self.domain, self.check)


@record
class RenameDomainCheck(Op):
    domain: Domain
    old: str
    new: str
    phase = 62

    def reverse(self) -> Op:
        return RenameDomainCheck(self.domain, self.new, self.old)


@record
class SetDomainDefault(Op):
    domain: Domain
    old: Default | None
    new: Default | None
    phase = 94

    def reverse(self) -> Op:
        return SetDomainDefault(self.domain, self.new, self.old)


@record
class SetDomainNullable(Op):
    domain: Domain
    nullable: bool

    def order(self) -> int:
        return 96 if not self.nullable else 92

    def reverse(self) -> Op:
        return SetDomainNullable(self.domain, not self.nullable)


# -- serial columns' sequences -------------------------------------------------------


@record
class CreateSequence(Op):
    """Before the table or column whose default reads it (as pg_dump and schema.sql)."""

    table: Table
    column: Column  # column.sequence: its name, in the table's schema
    phase = 79

    def reverse(self) -> Op:
        return DropSequence(self.table, self.column)


@record
class DropSequence(Op):
    """After the default reading it is gone (its column, its table, or the default)."""

    table: Table
    column: Column
    phase = 97

    def reverse(self) -> Op:
        return CreateSequence(self.table, self.column)


@record
class OwnSequence(Op):
    """``OWNED BY`` the column (``owned``) or ``OWNED BY NONE``: a disowned sequence
    outlives its column or table until DropSequence, so every step has a reverse."""

    table: Table
    column: Column
    owned: bool
    restart: bool = False  # the column has rows already: (when owned) start past its values

    def order(self) -> int:
        return 95 if self.owned else 19

    def reverse(self) -> Op:
        return OwnSequence(self.table, self.column, not self.owned, self.restart)


# -- exclusion constraints -------------------------------------------------------------


@record
class AddExclusion(Op):
    table: Table
    exclusion: Exclusion
    phase = 110

    def reverse(self) -> Op:
        return DropExclusion(self.table, self.exclusion)


@record
class DropExclusion(Op):
    table: Table
    exclusion: Exclusion
    phase = 20

    def reverse(self) -> Op:
        return AddExclusion(self.table, self.exclusion)
