"""The names a query's FROM clause makes visible, looked up as PostgreSQL does.

A FROM entry (a table, a view, a subquery, a function, a join) is an ``Item``
with a reference name and columns; a ``Scope`` is one SELECT level's items
plus the level around it (a subquery sees the outer query's names).  The
lookups follow parse_relation.c: an unqualified name must match exactly one
visible column of the nearest level that has it; an aliased table is known
only by its alias; an unaliased join shows its columns (USING columns merged)
but not its own name.  Messages are PostgreSQL's own.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field, replace

from ..records import Value, record

_UIDS = itertools.count(1)
# A table's system columns, which a query may read though no spec declares them.
SYSTEM_TYPES = {"tableoid": "oid", "xmin": "xid", "xmax": "xid", "cmin": "cid", "cmax": "cid"}
SYSTEM_TYPES |= {"ctid": "tid"}


@record
class Col(Value):
    """A column a query can read, with what is known of its type and nullability."""

    name: str
    base: str | None  # pgtypes base name, as the expression inferer reads it
    exact: str | None  # format_type() spelling when known exactly, else None
    nullable: bool = False  # may be NULL for certain (a nullable column, an outer join)
    source: tuple[int, str] | None = None  # (item uid, column): what GROUP BY matches


# Stands for the columns of a '*' over something whose columns are not known (a
# function's record): the query's width is then unknown too.
UNKNOWN_COLUMNS = Col("*", None, None)


def counted(cols: list[Col]) -> bool:
    return UNKNOWN_COLUMNS not in cols


@dataclass
class Item:
    """A FROM item (table, subquery, join) and the columns it makes visible."""

    refname: str | None  # the alias, or the table's name; None for an unaliased join
    columns: list[Col]
    schema: str | None = None  # a table named with its schema: ``auth.users``
    rel_visible: bool = True  # may be named: ``t.col``
    cols_visible: bool = True  # its columns may be read unqualified
    pk: tuple[str, ...] = ()  # a base table's primary key (functional dependency)
    nullable: bool = False  # on the nullable side of an outer join
    hidden: str | None = None  # the table's own name, hidden by an alias
    opaque: bool = False  # columns not known (not the spec's relation): any name reads
    table: bool = False  # a base table: it has the system columns (ctid, xmin...)
    uid: int = field(default_factory=lambda: next(_UIDS))

    def column(self, name: str) -> list[Col]:
        found = [c for c in self.columns if c.name == name]
        if not found and self.table and name in SYSTEM_TYPES:
            found = [Col(name, None, SYSTEM_TYPES[name], source=(self.uid, name))]
        return [replace(c, nullable=True) for c in found] if self.nullable else found

    def column_list(self) -> list[Col]:
        return [replace(c, nullable=True) for c in self.columns] if self.nullable else self.columns


Found = tuple[Col | None, str | None, str]  # (column, error message, hint)


@dataclass(eq=False, repr=False)
class Scope:
    """The FROM items a query level sees, and the enclosing level's scope."""

    items: list[Item]
    parent: Scope | None = None

    def unqualified(self, name: str, quoted: bool) -> Found:
        level: Scope | None = self
        while level is not None:
            hits = [c for i in level.items if i.cols_visible for c in i.column(name)]
            if len(hits) > 1:
                return None, f'column reference "{name}" is ambiguous', _qualify_hint(level, name)
            if hits:
                return hits[0], None, ""
            if any(i.opaque and i.cols_visible for i in level.items):
                return Col(name, None, None), None, ""
            whole = [i for i in level.items if i.rel_visible and i.refname == name]
            if whole:  # a table's name alone is its whole row (a composite value)
                return Col(name, None, None), None, ""
            level = level.parent
        return None, f'column "{name}" does not exist', self._near(name, quoted)

    def qualified(self, schema: str | None, rel: str, name: str) -> Found:
        level: Scope | None = self
        while level is not None:
            for item in level.items:
                if not item.rel_visible or item.refname != rel:
                    continue
                if schema is not None and item.schema != schema:
                    continue
                hits = item.column(name)
                if item.opaque and not hits:
                    return Col(name, None, None), None, ""
                if len(hits) == 1:
                    return hits[0], None, ""
                label = f"{rel}.{name}"
                if hits:
                    return None, f'column reference "{label}" is ambiguous', ""
                near = difflib.get_close_matches(name, [c.name for c in item.columns], 1, 0.6)
                hint = f'did you mean "{rel}.{near[0]}"?' if near else _columns(item)
                return None, f"column {label} does not exist", hint
            level = level.parent
        return None, *self._missing(rel)

    def _missing(self, rel: str) -> tuple[str, str]:
        level: Scope | None = self
        while level is not None:
            for item in level.items:
                if item.hidden == rel and item.refname is not None:
                    return (
                        f'invalid reference to FROM-clause entry for table "{rel}"',
                        f'the table is known here by its alias: "{item.refname}"',
                    )
            level = level.parent
        names = sorted({i.refname for i in self.visible() if i.refname})
        near = difflib.get_close_matches(rel, names, 1, 0.6)
        hint = f'did you mean "{near[0]}"?' if near else "add the table to FROM, or name it"
        return f'missing FROM-clause entry for table "{rel}"', hint

    def visible(self) -> list[Item]:
        out: list[Item] = []
        level: Scope | None = self
        while level is not None:
            out += [i for i in level.items if i.rel_visible]
            level = level.parent
        return out

    def _near(self, name: str, quoted: bool) -> str:
        everything = [(i, c) for i in self.visible() for c in i.columns]
        folded = [(i, c) for i, c in everything if c.name.lower() == name and not quoted]
        if folded:
            item, col = folded[0]
            return f'quote it to mean the column {col.name}: {item.refname}."{col.name}"'
        names = [c.name for _, c in everything]
        near = difflib.get_close_matches(name, names, 1, 0.6)
        if near:
            item = next(i for i, c in everything if c.name == near[0])
            return f'did you mean "{item.refname}.{near[0]}"?'
        return "name a column of the tables in FROM"


def _qualify_hint(scope: Scope, name: str) -> str:
    owners = [i.refname for i in scope.items if i.refname and i.column(name)]
    if not owners:  # an unaliased join's merged names
        return f"qualify it with its table, e.g. t.{name}"
    return "qualify it with its table: " + " or ".join(f"{o}.{name}" for o in owners)


def _columns(item: Item) -> str:
    return "columns: " + ", ".join(c.name for c in item.columns)
