"""SQL and plan lines of ops_sequences.py's operations (render_types.py hands them on)."""

from __future__ import annotations

from dataclasses import replace

from ..model import Schema, Sequence, qualified
from ..naming import quote_ident
from ..outputs import postgres as pg
from . import ops as o
from . import ops_sequences as s

# ALTER SEQUENCE's words for each option that changed, in CREATE SEQUENCE's order.
_WORDS = (
    ("data_type", "AS"),
    ("increment", "INCREMENT BY"),
    ("min_value", "MINVALUE"),
    ("max_value", "MAXVALUE"),
    ("start", "START WITH"),
    ("cache", "CACHE"),
)


def _alter(op: s.AlterSharedSequence) -> list[str]:
    old, new = op.old, op.new
    parts = [f"{w} {getattr(new, f)}" for f, w in _WORDS if getattr(old, f) != getattr(new, f)]
    if old.cycle != new.cycle:
        parts.append("CYCLE" if new.cycle else "NO CYCLE")
    alter = f"ALTER SEQUENCE {new.sql_name} {' '.join(parts)}"
    if new.min_value <= old.min_value and new.max_value >= old.max_value:
        return [alter + ";"]
    # A narrower range: PostgreSQL refuses it while the counter lies outside, and a
    # counter outside could never be used again; then it restarts at the start.
    test = f"(SELECT last_value FROM {new.sql_name}) BETWEEN {new.min_value} AND {new.max_value}"
    return [
        f"DO $migrate$ BEGIN IF {test} THEN {alter}; ELSE {alter} RESTART; END IF; END $migrate$;"
    ]


def _rename(old: Sequence, new: Sequence) -> list[str]:
    out = []
    if old.schema != new.schema:
        out.append(
            f"ALTER SEQUENCE {old.sql_name} SET SCHEMA {quote_ident(new.schema or 'public')};"
        )
    if old.name != new.name:
        moved = qualified(new.schema, old.name)
        out.append(f"ALTER SEQUENCE {moved} RENAME TO {quote_ident(new.name)};")
    return out


def sql(op: o.Op) -> list[str]:
    match op:
        case s.CreateSharedSequence(seq):
            return [pg.sequence_sql(seq), *pg.comments(Schema((), sequences=(seq,)))]
        case s.DropSharedSequence(seq):
            return [f"DROP SEQUENCE {seq.sql_name};"]
        case s.RenameSharedSequence(old, new):
            return _rename(old, new)
        case s.AlterSharedSequence():
            return _alter(op)
        case s.OwnSharedSequence(seq, owned):
            return [pg.owned_by_sql(seq if owned else replace(seq, owned_by=None))]
    raise TypeError(f"no SQL for {type(op).__name__}")


def describe(op: o.Op) -> str | None:
    match op:
        case s.CreateSharedSequence(seq) | s.DropSharedSequence(seq):
            verb = "create" if isinstance(op, s.CreateSharedSequence) else "drop"
            return f"{verb} sequence {seq.sql_name}"
        case s.RenameSharedSequence(old, new):
            return f"rename sequence {old.sql_name} to {new.sql_name}"
        case s.AlterSharedSequence(_, new):
            return f"alter sequence {new.sql_name}"
        case s.OwnSharedSequence(seq, owned):
            whose = ".".join(seq.owned_by) if owned and seq.owned_by else "none"
            return f"sequence {seq.sql_name} owned by {whose}"
    return None
