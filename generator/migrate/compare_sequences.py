"""The differ for ``sequences:``: created, dropped, renamed (``renamed_from``),
altered and (dis)owned sequences.  Called from compare.py once the tables are
paired; the operations are in ops_sequences.py.

A sequence without ``renamed_from`` whose key is gone is dropped and the new
one created: its counter starts again, which the plan marks as data loss
(DL105).  Ownership is compared through the tables' and columns' renames, so a
renamed owning column keeps its sequence without a step.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..model import Sequence
from . import ops as o
from . import ops_sequences as s
from . import ops_tables as tb

if TYPE_CHECKING:
    from .compare import _Compare


def sequences(cmp: _Compare) -> None:
    before = {q.key: q for q in cmp.old.sequences}
    after = {q.key: q for q in cmp.new.sequences}
    renamed = {
        key: before[h.value]
        for key, h in cmp.hints.sequences.items()
        if key in after and key not in before and h.value in before and h.value not in after
    }
    taken = {old.key for old in renamed.values()}
    for key, new in after.items():
        old = renamed.get(key) or before.get(key)
        if old is None:
            cmp.ops.append(s.CreateSharedSequence(new))
            if new.owned_by is not None:
                cmp.ops.append(s.OwnSharedSequence(new, True))
            continue
        if old.key != new.key:
            cmp.ops.append(s.RenameSharedSequence(old, new))
        _changed(cmp, old, new)
    # A renamed sequence's columns keep their default: it holds the sequence's oid,
    # and PostgreSQL prints the new name.  (Setting it again would, in down.sql,
    # name the old sequence before it is renamed back.)
    moved = {(old.nextval_sql, after[key].nextval_sql) for key, old in renamed.items()}
    cmp.ops = [
        op
        for op in cmp.ops
        if not (
            isinstance(op, tb.SetDefault)
            and op.old is not None
            and op.new is not None
            and (op.old.sql, op.new.sql) in moved
        )
    ]
    for key, old in before.items():
        if key not in after and key not in taken:
            if old.owned_by is not None:
                cmp.ops.append(s.OwnSharedSequence(old, False))
            cmp.ops.append(s.DropSharedSequence(old))


def _owner(cmp: _Compare, seq: Sequence) -> tuple[str, str] | None:
    """An old sequence's owning column, named as the new model names it (None: gone)."""
    if seq.owned_by is None:
        return None
    table, column = seq.owned_by
    new_table = cmp.table_map.get(table)
    diff = cmp.diffs.get(new_table or "")
    if new_table is None or diff is None:
        return None
    new_column = diff.new_name(column)
    return (new_table, new_column) if new_column is not None else None


def _changed(cmp: _Compare, old: Sequence, new: Sequence) -> None:
    named = replace(old, name=new.name, schema=new.schema)  # after the rename
    options = ("data_type", "start", "increment", "min_value", "max_value", "cache", "cycle")
    if any(getattr(old, f) != getattr(new, f) for f in options):
        cmp.ops.append(s.AlterSharedSequence(named, new))
    owner = _owner(cmp, old)
    # an owning column that is gone (or dropped and added again) would take the
    # sequence with it: disowned first, whatever the new model says
    if owner != new.owned_by or (old.owned_by is not None and owner is None):
        if old.owned_by is not None:
            cmp.ops.append(s.OwnSharedSequence(old, False))
        if new.owned_by is not None:
            cmp.ops.append(s.OwnSharedSequence(new, True))
    if old.description != new.description:
        cmp.ops.append(o.SetComment("SEQUENCE", new.sql_name, old.description, new.description))
