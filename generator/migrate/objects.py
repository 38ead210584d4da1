"""Functions, views, triggers, row-level security, policies and raw SQL (issue 13).

Runs after the tables and enums are compared (``compare.py``), because what
these objects need depends on what happens to the columns they read:
PostgreSQL refuses to change the type of (or drop) a column a view or a policy
reads, and to drop a function a trigger calls.  Those objects are dropped
before the change (early phases, old names) and created again after it (late
phases, new names); ``ops_objects.py`` and ``ops_constraints.py`` (triggers)
hold the phases.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Function, Policy, Table, View
from . import ops as o
from . import ops_constraints as cn
from . import ops_objects as ob
from . import ops_tables as tb

if TYPE_CHECKING:
    from .compare import _Compare


def _signature(fn: Function) -> object:
    """What CREATE OR REPLACE cannot change: argument names and types, return type."""
    return (fn.arguments, fn.returns)


def functions(cmp: _Compare) -> set[str]:
    """Create, replace, recreate or drop functions; returns the names recreated or dropped
    (triggers and views that use them must go first)."""
    before = {fn.name: fn for fn in cmp.old.functions}
    after = {fn.name: fn for fn in cmp.new.functions}
    # An SQL body names tables and is checked when created: while tables are renamed
    # or dropped, a changed one is dropped early and created after the tables, so
    # that down (the steps reversed) creates the old one only once its tables exist.
    moving = bool(_touched(cmp)[0])
    gone: set[str] = set()
    for name, fn in after.items():
        was = before.get(name)
        if was is None:
            cmp.ops.append(ob.CreateFunction(fn))
        elif _signature(was) != _signature(fn) or (moving and was != fn and fn.after_tables):
            cmp.ops += [ob.DropFunction(was, True), ob.CreateFunction(fn, None, True)]
            gone.add(name)
        elif was != fn:
            cmp.ops.append(ob.CreateFunction(fn, was))
    for name, fn in before.items():
        if name not in after:
            cmp.ops.append(ob.DropFunction(fn))
            gone.add(name)
    return gone


def _touched(cmp: _Compare) -> tuple[set[str], set[str]]:
    """Keys of tables (old, new) whose columns are dropped, renamed or retyped, or that
    are dropped or renamed: what reads them (views, policies) is rebuilt around it."""
    old_keys, new_sql = set(), set()
    by_sql = {t.sql_name: t.key for t in cmp.new.tables}
    for op in cmp.ops:
        match op:
            case tb.DropColumn(t) | tb.DropTable(t) | tb.DropExpression(t):
                old_keys.add(t.key)
            case tb.AlterColumnType(t) | tb.RenameColumn(t) | tb.RestoreExpression(t):
                new_sql.add(t.key)
            case tb.RenameTable(old, new):
                old_keys.add(old.key)
                new_sql.add(new.key)
            case o.RebuildEnum():
                new_sql.update(by_sql[u.table] for u in op.usages if u.table in by_sql)
    back = {v: k for k, v in cmp.table_map.items()}
    old_keys |= {back[k] for k in new_sql if k in back}
    new_keys = new_sql | {cmp.table_map[k] for k in old_keys if k in cmp.table_map}
    return old_keys, new_keys


def _reads(view: View, names: set[str], functions: set[str]) -> bool:
    if names.intersection(view.depends_on):
        return True
    return any(re.search(rf"\b{re.escape(f)}\s*\(", view.query) for f in functions)


def views(cmp: _Compare, gone_functions: set[str]) -> None:
    """Changed views are dropped and created again, with every view that reads them:
    dependents dropped first (reverse dependency order), created after (in order)."""
    old_keys, new_keys = _touched(cmp)
    before = {v.name: v for v in cmp.old.views}
    after = {v.name: v for v in cmp.new.views}
    rebuilt = {n for n, v in after.items() if n in before and before[n] != v}
    rebuilt |= {n for n, v in before.items() if _reads(v, old_keys, gone_functions)}
    rebuilt |= {n for n, v in after.items() if n in before and _reads(v, new_keys, set())}
    while True:  # views reading a rebuilt or dropped view are rebuilt too
        gone = rebuilt | (before.keys() - after.keys())
        more = {n for n, v in before.items() if gone.intersection(v.depends_on)} - rebuilt
        if not more:
            break
        rebuilt |= more
    cmp.ops += [
        ob.DropView(v) for v in reversed(cmp.old.views) if v.name in rebuilt or v.name not in after
    ]
    cmp.ops += [
        ob.CreateView(v) for v in cmp.new.views if v.name in rebuilt or v.name not in before
    ]


def _retyped(cmp: _Compare, new_key: str) -> bool:
    """Columns whose type changes or that go: policies and trigger conditions on the
    table are rebuilt around it (PostgreSQL refuses to alter a column they use)."""
    diff = cmp.diffs[new_key]
    dropped = len(diff.columns) < len(diff.old.columns)
    usages = {u.table for op in cmp.ops if isinstance(op, o.RebuildEnum) for u in op.usages}
    return bool(diff.retyped or diff.regenerated or dropped or diff.new.sql_name in usages)


def triggers(cmp: _Compare, gone_functions: set[str]) -> None:
    """Triggers are diffed by name in tables.py; here the unchanged ones that must be
    dropped and created again: their function is recreated, or their WHEN/UPDATE OF
    reads a column whose type changes."""
    for new_key, diff in cmp.diffs.items():
        retyped = _retyped(cmp, new_key)
        after = {tr.name: tr for tr in diff.new.triggers}
        for tr in diff.old.triggers:
            if after.get(tr.name) != tr:
                continue  # tables.py drops and creates it already
            if tr.function in gone_functions or (retyped and (tr.when or tr.update_of)):
                cmp.ops += [cn.DropTrigger(diff.old, tr), cn.CreateTrigger(diff.new, tr)]


def _alterable(old: Policy, new: Policy) -> bool:
    """ALTER POLICY changes roles, USING and WITH CHECK, but cannot remove a clause."""
    same = (old.command, old.permissive) == (new.command, new.permissive)
    clauses = (old.using is None, old.with_check is None)
    return same and clauses == (new.using is None, new.with_check is None)


def _security(ops: list[o.Op], table: Table, on: bool) -> None:
    """All of a table's row-level security, on (a new table) or off (a dropped one)."""
    flags = [(False, table.row_level_security), (True, table.force_row_level_security)]
    if on:
        ops += [ob.SetRowSecurity(table, force, True) for force, set_ in flags if set_]
        ops += [ob.CreatePolicy(table, p) for p in table.policies]
    else:
        ops += [ob.DropPolicy(table, p) for p in table.policies]
        ops += [ob.SetRowSecurity(table, force, False) for force, set_ in flags if set_]


def security(cmp: _Compare) -> None:
    for nt in cmp.new.tables:
        if nt.key not in cmp.diffs:
            _security(cmp.ops, nt, True)
    for ot in cmp.old.tables:
        if ot.key not in cmp.table_map:
            _security(cmp.ops, ot, False)
    for new_key, diff in cmp.diffs.items():
        old, new = diff.old, diff.new
        for force, was, now in [
            (False, old.row_level_security, new.row_level_security),
            (True, old.force_row_level_security, new.force_row_level_security),
        ]:
            if was != now:
                cmp.ops.append(ob.SetRowSecurity(new if now else old, force, now))
        rebuild = _retyped(cmp, new_key)
        before = {p.name: p for p in old.policies}
        after = {p.name: p for p in new.policies}
        for name, p in before.items():
            q = after.get(name)
            if q is not None and not rebuild and (q == p or _alterable(p, q)):
                if q != p:
                    cmp.ops.append(ob.AlterPolicy(new, p, q))
                continue
            cmp.ops.append(ob.DropPolicy(old, p))
            if q is not None:
                cmp.ops.append(ob.CreatePolicy(new, q))
        cmp.ops += [ob.CreatePolicy(new, q) for name, q in after.items() if name not in before]


def raw_sql(cmp: _Compare) -> None:
    """Raw SQL is not read into the model: a change is a step that runs nothing and
    says so (MN501), so a reviewer writes what it needs; the first migration runs it."""
    for where, was, now in [
        ("before", cmp.old.sql_before, cmp.new.sql_before),
        ("after", cmp.old.sql_after, cmp.new.sql_after),
    ]:
        if was != now:
            cmp.ops.append(ob.RawSQL(where, was, now, cmp.initial and now is not None))
