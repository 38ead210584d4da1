"""Order, transactions and safety: operations -> a Plan with up.sql and down.sql.

Order (``Op.order``): what tables depend on (extensions, schemas, types,
labels, functions), then drops of views, foreign keys, constraints, indexes,
triggers, policies and functions that read tables, then dropped columns and tables, renames, enum rebuilds, creates and column
changes, new constraints and indexes, drops of types and schemas, and foreign
keys last (so reference cycles need nothing special).  ``down`` is the
reverse of each step, in reverse order.

Transactions: one per migration, except what cannot be.  Labels added with
ADD VALUE are committed first when a later statement uses them (PostgreSQL:
"unsafe use of new enum value"); CREATE INDEX CONCURRENTLY runs outside any
transaction; with ``online``, constraints are validated in a last one.  The
boundaries are written as COMMIT/BEGIN so ``psql -v ON_ERROR_STOP=1 -f up.sql``
runs the file unchanged.
"""

from __future__ import annotations

from ..model import Schema
from ..records import Value, record
from ..sqltext import quote_string
from . import ops as o
from . import ops_tables as tb
from .compare import compare
from .hints import NO_HINTS, Hints
from .render import AFTER, ALONE, MAIN, VALIDATE, Statement, describe, statements
from .safety import CODES, classify


@record
class Step(Value):
    number: int
    summary: str
    codes: tuple[str, ...]  # safety codes (safety.CODES), e.g. ("DL102",)
    sql: tuple[str, ...]

    def line(self) -> str:
        codes = "".join(f"  [{c} {CODES[c]}]" for c in self.codes)
        return f"{self.number:>3}. {self.summary}{codes}"


@record
class Batch(Value):
    """Statements run together: in one transaction, or (``transaction`` False) each alone."""

    transaction: bool
    statements: tuple[str, ...]


@record
class Script(Value):
    steps: tuple[Step, ...]
    batches: tuple[Batch, ...]
    name: str  # up.sql or down.sql

    @property
    def sql(self) -> str:
        return render_script(self)


@record
class Plan(Value):
    ops: tuple[o.Op, ...]  # in order (up)
    up: Script
    down: Script

    @property
    def empty(self) -> bool:
        return not self.ops

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.up.steps

    @property
    def up_sql(self) -> str:
        return self.up.sql

    @property
    def down_sql(self) -> str:
        return self.down.sql

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({c for s in self.steps for c in s.codes}))

    def text(self) -> str:
        """The plan a reviewer reads: one line per step with its safety codes."""
        if self.empty:
            return "no changes\n"
        return "".join(s.line() + "\n" for s in self.steps)


def order(ops: list[o.Op]) -> list[o.Op]:
    """Stable: within a phase, the order compare produced (the models' order)."""
    return [op for _, op in sorted(enumerate(ops), key=lambda p: (p[1].order(), p[0]))]


def plan_migration(
    old: Schema | None,
    new: Schema,
    hints: Hints = NO_HINTS,
    *,
    online: bool = False,
    confirm_drops: bool = False,
) -> Plan:
    """Compare, order and render; raises matching.DiffError when intent is missing."""
    up = order(compare(old, new, hints, confirm_drops=confirm_drops))
    down = [op.reverse() for op in reversed(up)]
    return Plan(tuple(up), script(up, online, "up.sql"), script(down, online, "down.sql"))


def _fresh(ops: list[o.Op]) -> set[str]:
    """Tables created by this migration: no rows, so no lock or row risk, no online forms."""
    return {op.table.sql_name for op in ops if isinstance(op, tb.CreateTable)}


def script(ops: list[o.Op], online: bool, name: str = "up.sql") -> Script:
    fresh = _fresh(ops)
    # A column that gains an identity needs NOT NULL in the same transaction.
    identity = {
        (op.table.sql_name, op.column)
        for op in ops
        if isinstance(op, tb.SetIdentity) and op.new is not None
    }
    rendered: list[tuple[o.Op, list[Statement], tuple[str, ...]]] = []
    for op in ops:
        table = getattr(op, "table", None)
        is_fresh = getattr(table, "sql_name", None) in fresh
        plain = isinstance(op, tb.SetNullable) and (op.table.sql_name, op.column) in identity
        stmts = statements(op, online and not is_fresh and not plain, plan_online=online)
        rendered.append((op, stmts, classify(op, stmts, is_fresh)))
    early = _early_commit(rendered)
    steps, stages = [], {MAIN: [], ALONE: [], AFTER: [], VALIDATE: []}  # type: ignore[var-annotated]
    pre: list[str] = []
    for i, (op, stmts, codes) in enumerate(rendered):
        if i < early:
            codes = (*codes, "TX402") if isinstance(op, o.AddEnumLabels) else codes
        if any(s.stage == ALONE for s in stmts):
            codes = (*codes, "TX401")
        step = Step(i + 1, describe(op), codes, tuple(s.sql for s in stmts))
        steps.append(step)
        for stage in (MAIN, ALONE, AFTER, VALIDATE):
            sqls = [s.sql for s in stmts if s.stage == stage]
            if sqls and stage == ALONE:  # each runs alone: no shared block
                stages[ALONE] += [_tag(step, sql) for sql in sqls]
            elif sqls:
                (pre if i < early else stages[stage]).append(_tag(step, "\n".join(sqls)))
    batches = [Batch(True, tuple(pre))] if pre else []
    batches += [Batch(True, tuple(stages[MAIN]))] if stages[MAIN] else []
    batches += [Batch(False, tuple(stages[ALONE]))] if stages[ALONE] else []
    batches += [Batch(True, tuple(stages[k])) for k in (AFTER, VALIDATE) if stages[k]]
    return Script(tuple(steps), tuple(batches), name)


def _tag(step: Step, sql: str) -> str:
    codes = f" [{', '.join(step.codes)}]" if step.codes else ""
    return f"-- {step.number}. {step.summary}{codes}\n{sql}"


def _early_commit(rendered: list[tuple[o.Op, list[Statement], tuple[str, ...]]]) -> int:
    """How many leading steps to commit first: through the last ADD VALUE whose
    label a later statement uses (any later text quoting it, to be safe)."""
    cut = 0
    for i, (op, _, _) in enumerate(rendered):
        if not isinstance(op, o.AddEnumLabels):
            continue
        later = "\n".join(s.sql for _, stmts, _ in rendered[i + 1 :] for s in stmts)
        if any(quote_string(label) in later for label in op.added):
            cut = i + 1
    return cut


HEADER = """-- Generated by schemagen. Run with: psql -v ON_ERROR_STOP=1 -f {name}
"""


def render_script(s: Script) -> str:
    out = [HEADER.format(name=s.name)]
    if not s.batches:
        out.append("-- no changes\n")
    for batch in s.batches:
        if batch.transaction:
            body = "\n\n".join(batch.statements)
            out.append(f"\nBEGIN;\n\n{body}\n\nCOMMIT;\n")
        else:
            note = "-- outside a transaction (CONCURRENTLY cannot run inside one)"
            out.append(f"\n{note}\n" + "\n\n".join(batch.statements) + "\n")
    return "".join(out)
