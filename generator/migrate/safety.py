"""Safety classes per step, with codes a reviewer can grep (as Atlas's and squawk's rules).

DL: data loss.  MF: may fail on existing rows.  LK: takes a strong lock or
rewrites the table.  TX: transaction handling.  MN: a step a person must write (raw SQL).  A table created by the same
migration has no rows, so only DL and TX codes apply to it.
"""

from __future__ import annotations

import re

from ..model import Check, Column
from . import casts
from . import ops as o
from . import ops_constraints as cn
from . import ops_objects as ob
from . import ops_sequences as q
from . import ops_tables as tb
from . import ops_types as t
from .render import ALONE, Statement

CODES = {
    "DL101": "data loss: drops a table",
    "DL102": "data loss: drops a column",
    "DL103": "data loss: narrows a type",
    "DL104": "data loss: removes an enum label",
    "DL105": "data loss: drops a sequence (its counter)",
    "MF201": "may fail: SET NOT NULL on existing rows",
    "MF202": "may fail: NOT NULL column without default or backfill",
    "MF203": "may fail: new unique key or primary key",
    "MF204": "may fail: new check constraint",
    "MF205": "may fail: new foreign key",
    "MF206": "may fail: cast of existing values",
    "MF207": "may fail: new exclusion constraint",
    "MF208": "may repeat values: a sequence's range narrows (a counter outside restarts)",
    "LK301": "rewrites the table under ACCESS EXCLUSIVE",
    "LK302": "scans the table under a strong lock",
    "LK303": "builds an index, blocking writes",
    "TX401": "runs outside a transaction",
    "TX402": "committed before the rest of the migration",
    "MN501": "manual: raw SQL changed; write the step yourself",
}

# Defaults PostgreSQL evaluates once for ADD COLUMN (no rewrite): constants and these.
_STABLE = re.compile(r"(now\(\)|current_(date|timestamp|time)|localtimestamp)", re.IGNORECASE)


def volatile_default(column: Column) -> bool:
    """ADD COLUMN with this default rewrites the table (PostgreSQL 11+ stores a constant)."""
    if column.identity is not None or column.generated is not None:
        return True
    d = column.default
    if d is None or d.kind == "literal":
        return False
    return "(" in _STABLE.sub("", d.sql)


def classify(op: o.Op, stmts: list[Statement], fresh: bool) -> tuple[str, ...]:  # noqa: C901
    codes: list[str] = []
    match op:
        case tb.DropTable():
            codes.append("DL101")
        case tb.DropColumn(_, column) if column.generated is None:
            codes.append("DL102")
        case tb.RestoreExpression():
            codes.append("LK301")
        case o.RebuildEnum():
            if op.removed:
                codes.append("DL104")
            if op.usages:
                codes += ["MF206", "LK301"]
        case tb.AlterColumnType(_, old, new, using):
            if casts.narrowing(old.type, new.type):
                codes.append("DL103")
            if using is not None or casts.may_fail(old.type, new.type):
                codes.append("MF206")
            if casts.rewrites(old.type, new.type):
                codes.append("LK301")
        case tb.AddColumn(_, column, backfill):
            unfilled = column.default is None and column.identity is None
            if not column.nullable and unfilled and column.generated is None and backfill is None:
                codes.append("MF202")
            if volatile_default(column):
                codes.append("LK301")
            if backfill is not None and not column.nullable:
                codes += ["MF201", "LK302"]
        case tb.SetNullable(_, _, nullable) if not nullable:
            codes.append("MF201")
            if not any(s.stage != "main" for s in stmts):
                codes.append("LK302")
        case cn.AddConstraint(_, constraint):
            codes.append("MF204" if isinstance(constraint, Check) else "MF203")
            if all(s.stage == "main" for s in stmts) and not any(
                "NOT VALID" in s.sql for s in stmts
            ):
                codes.append("LK302")
        case cn.AddForeignKey():
            codes.append("MF205")
            if not any("NOT VALID" in s.sql for s in stmts):
                codes.append("LK302")
        case cn.CreateIndex(_, index):
            if index.unique:
                codes.append("MF203")
            if not any(s.stage == ALONE for s in stmts):
                codes.append("LK303")
        case ob.RawSQL(_, _, _, run) if not run:
            codes.append("MN501")
        case tb.SetIdentity(_, _, None, _):
            codes.append("MF206")  # the column must hold no NULLs
        case t.AddExclusion():  # no NOT VALID form: built under ACCESS EXCLUSIVE
            codes += ["MF207", "LK302"]
        case t.AddDomainCheck() | t.SetDomainNullable(_, False):  # every column of the domain
            codes += ["MF204" if isinstance(op, t.AddDomainCheck) else "MF201", "LK302"]
        case q.DropSharedSequence():
            codes.append("DL105")
        case q.AlterSharedSequence(old, new):
            if new.min_value > old.min_value or new.max_value < old.max_value:
                codes.append("MF208")
    if fresh:
        codes = [c for c in codes if c.startswith(("DL", "TX"))]
    return tuple(codes)
