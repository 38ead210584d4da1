"""The differ for the issue-12 model: domains, serial columns' sequences, exclusions.

Called from compare.py (domains, created and dropped tables) and tables.py (a
table in both models), one line each; the operations are in ops_types.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Column, Domain, Exclusion, Schema, Table
from ..source import format_path
from . import ops as o
from . import ops_constraints as cn
from . import ops_tables as tb
from . import ops_types as t
from .matching import pair

if TYPE_CHECKING:
    from .compare import _Compare
    from .tables import TableDiff


def domains(cmp: _Compare) -> None:
    """Domains by key (a renamed domain is a drop and a create)."""
    before = {d.key: d for d in cmp.old.domains}
    after = {d.key: d for d in cmp.new.domains}
    for key, nd in after.items():
        od = before.get(key)
        if od is None:
            cmp.ops.append(t.CreateDomain(nd))
        elif cmp.map_type(od.type) != nd.type:
            _base_type(cmp, od, nd)
        else:
            _domain(cmp.ops, od, nd)
    cmp.ops += [t.DropDomain(od) for key, od in before.items() if key not in after]


def _users(schema: Schema, key: str) -> list[str]:
    return [
        f"{table.key}.{c.name}"
        for table in schema.tables
        for c in table.columns
        if key in (c.type.domain, c.type.element_domain)  # year, and year[]
    ]


def _base_type(cmp: _Compare, od: Domain, nd: Domain) -> None:
    """ALTER DOMAIN cannot change the base type: unused, the domain is dropped and created
    again; used by a column, the spec must say how (a new domain the columns move to)."""
    used = _users(cmp.old, od.key)  # columns added by this migration come after it
    if not used:
        cmp.ops.append(t.RecreateDomain(od, nd))
        return
    cmp.diags.add(
        "domain-type-change",
        f"domain {nd.key!r} changes its base type from {od.type.sql} to {nd.type.sql}, "
        f"and PostgreSQL cannot change a domain's base type while columns use it "
        f"({', '.join(used)})",
        nd.span,
        path=format_path(("domains", nd.key)),
        hint=(
            f"keep {nd.key!r} as it was and declare a new domain (another name) with type "
            f"{nd.type.sql}, move the columns to it, and drop {nd.key!r} in a later migration"
        ),
    )


def _domain(ops: list[o.Op], od: Domain, nd: Domain) -> None:
    checks = pair(od.checks, nd.checks, lambda c: c.sql, lambda c: c.sql, lambda c: c.name)
    ops += [t.RenameDomainCheck(nd, a.name, b.name) for a, b in checks.same if a.name != b.name]
    ops += [t.DropDomainCheck(od, c) for c in checks.dropped]
    ops += [t.AddDomainCheck(nd, c) for c in checks.added]
    if _sql(od.default) != _sql(nd.default):
        ops.append(t.SetDomainDefault(nd, od.default, nd.default))
    if od.nullable != nd.nullable:
        ops.append(t.SetDomainNullable(nd, nd.nullable))
    if od.description != nd.description:
        ops.append(o.SetComment("DOMAIN", nd.sql_name, od.description, nd.description))


def _sql(d: object) -> str | None:
    return getattr(d, "sql", None)


# -- serial columns ------------------------------------------------------------------


def created_table(table: Table) -> list[o.Op]:
    """A new table's sequences: created before it, owned after it."""
    serial = [c for c in table.columns if c.sequence is not None]
    return [t.CreateSequence(table, c) for c in serial] + [
        t.OwnSequence(table, c, True) for c in serial
    ]


def dropped_table(table: Table) -> list[o.Op]:
    """Disowned first, so the reverse of every step exists (down creates them again)."""
    serial = [c for c in table.columns if c.sequence is not None]
    return [t.OwnSequence(table, c, False) for c in serial] + [
        t.DropSequence(table, c) for c in serial
    ]


def same_serial(old: Column, new: Column) -> bool:
    """Both serial: the default is nextval() of its own sequence, whatever its name."""
    return old.sequence is not None and new.sequence is not None


def columns(diff: TableDiff, ops: list[o.Op]) -> None:
    """Sequences of added, dropped, renamed columns and of columns becoming (or ceasing
    to be) serial; a renamed table or column renames its sequence as a fresh build names it."""
    old, new = diff.old, diff.new
    for nc in new.columns:
        oc = diff.columns.get(nc.name)
        if oc is None:
            if nc.sequence is not None:
                ops += [t.CreateSequence(new, nc), t.OwnSequence(new, nc, True)]
        elif oc.sequence is None and nc.sequence is not None:
            ops += [t.CreateSequence(new, nc), t.OwnSequence(new, nc, True, restart=True)]
        elif oc.sequence is not None and nc.sequence is None:
            ops += [t.OwnSequence(old, oc, False, restart=True), t.DropSequence(old, oc)]
        elif oc.sequence is not None and nc.sequence is not None and oc.sequence != nc.sequence:
            ops.append(tb.RenameSequence(new, nc.name, oc.sequence, nc.sequence))
    for oc in old.columns:
        if oc not in diff.columns.values() and oc.sequence is not None:
            ops += [t.OwnSequence(old, oc, False), t.DropSequence(old, oc)]


# -- exclusion constraints -------------------------------------------------------------


def exclusions(diff: TableDiff, ops: list[o.Op]) -> None:
    """Paired by definition (columns under their new names, operators, method, WHERE)."""

    def old_def(x: Exclusion) -> object:
        cols = tuple(diff.new_name(c) for c, _ in x.elements)
        if None in cols:
            return None  # a column is dropped: drop the constraint first
        with_ = tuple(w for _, w in x.elements)
        return (tuple(zip(cols, with_, strict=True)), x.using, x.where)

    paired = pair(
        diff.old.exclusions,
        diff.new.exclusions,
        old_def,
        lambda x: (x.elements, x.using, x.where),
        lambda x: x.name,
    )
    new = diff.new
    ops += [cn.RenameConstraint(new, a.name, b.name) for a, b in paired.same if a.name != b.name]
    ops += [t.DropExclusion(diff.old, x) for x in paired.dropped]
    ops += [t.AddExclusion(new, x) for x in paired.added]
