"""Operations on the sequences of ``sequences:`` (shared by columns; a serial
column's own sequence is ops_types.py's).  Same rules as ops.py: frozen, each
with its reverse, drops naming the old model's objects, creates the new one's.

Order: created (phase 8) before any table, column or default that reads it,
renamed (64) and altered (65) with the other renames;
dropped (phase 118) after every default that read it is gone; OWNED BY set
after the owning column exists (95) and removed before any column is dropped
(19): dropping an owning column would drop the sequence with it.
"""

from __future__ import annotations

from ..model import Sequence
from ..records import record
from .ops import Op


@record
class CreateSharedSequence(Op):
    sequence: Sequence  # CREATE SEQUENCE and its comment; OWNED BY is OwnSharedSequence
    phase = 8

    def reverse(self) -> Op:
        return DropSharedSequence(self.sequence)


@record
class DropSharedSequence(Op):
    sequence: Sequence
    phase = 118

    def reverse(self) -> Op:
        return CreateSharedSequence(self.sequence)


@record
class RenameSharedSequence(Op):
    """``renamed_from``: SET SCHEMA and/or RENAME TO; defaults follow the sequence
    (they hold its oid), and its counter is kept."""

    old: Sequence
    new: Sequence
    phase = 64

    def reverse(self) -> Op:
        return RenameSharedSequence(self.new, self.old)


@record
class AlterSharedSequence(Op):
    """ALTER SEQUENCE with the options that changed (``old`` named as ``new`` is:
    after the renames)."""

    old: Sequence
    new: Sequence
    phase = 65

    def reverse(self) -> Op:
        return AlterSharedSequence(self.new, self.old)


@record
class OwnSharedSequence(Op):
    """``OWNED BY`` ``sequence.owned_by`` (``owned``), or ``OWNED BY NONE``."""

    sequence: Sequence
    owned: bool

    def order(self) -> int:
        return 95 if self.owned else 19

    def reverse(self) -> Op:
        return OwnSharedSequence(self.sequence, not self.owned)
