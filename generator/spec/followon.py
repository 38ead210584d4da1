"""Which meaning errors of a repaired spec a repair caused (and so are not real).

The resolver checks a repaired copy so that one run reports everything, but a
repair can remove what other parts rely on: a column group's bad
``primary_key: x`` dropped leaves every table that uses the group without a
primary key, and every reference to those tables "not unique".  Reporting
those would send the user after errors that fixing the real one removes.  So:

* errors at or under a value the repair replaced are dropped (a column with
  no type cannot have a checkable default);
* a table whose columns, column types or keys a repair changed, directly or
  through a column group it uses, is *shaken*: the errors that change can
  cause are dropped, in the table (its primary key, its column lists) and in
  the references into it (their type, their uniqueness);
* a dropped ``nullable`` or ``default`` is not taken as "NOT NULL" or "no
  default" by the checks of the column's foreign key actions;
* a repaired ``postgres.extensions`` drops the "needs the extension" errors,
  and a whole ``column_groups`` or ``enums`` mapping replaced drops the
  errors of the groups and enum types it no longer defines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic
from ..source import Path, format_path

# What a change does to the tables that depend on it, and which errors that
# can cause in the table itself and in the references into it.
_TABLE_CODES = {
    "type": frozenset(),
    "keys": frozenset({"missing-primary-key", "two-primary-keys", "redundant-unique", "empty-key"}),
    "all": frozenset(
        {
            "missing-primary-key",
            "two-primary-keys",
            "redundant-unique",
            "empty-key",
            "unknown-column",
            "invalid-index-column",
        }
    ),
}
_REFERENCE_CODES = {
    "type": frozenset({"reference-type"}),
    "keys": frozenset({"reference-not-unique"}),
    "all": frozenset(
        {"unknown-column", "reference-not-unique", "reference-type", "reference-arity"}
    ),
}


# A dropped optional value, and the errors its default can cause where it was.
_DROPPED = {
    "nullable": frozenset({"set-null-not-nullable"}),
    "default": frozenset({"set-default-no-default"}),
}


def _under(diag: Diagnostic, prefixes: set[str]) -> bool:
    p = diag.path
    return any(p == at or p.startswith((at + ".", at + "[")) for at in prefixes)


def _column_change(rest: Path) -> str | None:
    """What a change inside a columns mapping alters: ``rest`` is the path below it."""
    if len(rest) <= 1:
        return "all"  # the columns, or a whole column, replaced
    if rest[1] == "type":
        return "type"
    return "keys" if rest[1] in ("primary_key", "unique") else None


def _change(path: Path) -> tuple[str, str, str] | None:
    """('tables' | 'column_groups', name, what changed) for a change that others see."""
    if len(path) < 2 or path[0] not in ("tables", "column_groups"):
        return None
    name, rest = str(path[1]), path[2:]
    if path[0] == "column_groups":
        kind = _column_change(rest)
    elif not rest:
        kind = "all"
    elif rest[0] == "columns":
        kind = _column_change(rest[1:])
    else:
        kind = "keys" if rest[0] in ("primary_key", "unique") else None
    return (str(path[0]), name, kind) if kind else None


def _target(to: Any) -> str:
    """The table a reference names: 'users.id', 'auth.users.id', 'users(id)', 'users'."""
    if not isinstance(to, str):
        return ""
    if "(" in to or to.count(".") == 0:
        return to.partition("(")[0].strip()
    return to.rpartition(".")[0]


def _uses(table: Any, group: str) -> bool:
    columns = table.get("columns") if isinstance(table, dict) else None
    return isinstance(columns, dict) and f"...{group}" in columns


@dataclass(eq=False, repr=False)
class FollowOns:
    paths: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    _drop: list[tuple[frozenset[str] | None, set[str]]] = field(default_factory=list)

    def settle(self, data: Any) -> None:
        """Work out what to drop, from the final repaired data."""
        tables = data.get("tables") if isinstance(data, dict) else None
        tables = tables if isinstance(tables, dict) else {}
        shaken: dict[str, set[str]] = {kind: set() for kind in _TABLE_CODES}
        for path in self.changed:
            if path in (("tables",), ("column_groups",)):
                shaken["all"].update(tables)
            change = _change(path)
            if change is None:
                continue
            where, name, kind = change
            if where == "tables":
                shaken[kind].add(name)
            else:  # a column group: the tables that use it
                shaken[kind].update(t for t, spec in tables.items() if _uses(spec, name))
        self._drop = [(None, {format_path(p) for p in self.paths})]
        for kind, names in shaken.items():
            self._drop.append((_TABLE_CODES[kind], {format_path(("tables", t)) for t in names}))
            self._drop.append((_REFERENCE_CODES[kind], set(_references_into(names, data))))
        for path in self.changed:
            if path and path[-1] in _DROPPED:  # 'nullable: maybe' dropped is not NOT NULL
                self._drop.append((_DROPPED[str(path[-1])], {format_path(path[:-1])}))
        everywhere = {""}
        if any(p[:2] in (("postgres",), ("postgres", "extensions")) for p in self.changed):
            self._drop.append((frozenset({"missing-extension"}), everywhere))
        if ("column_groups",) in self.changed:  # every group is gone, not misspelt
            self._drop.append((frozenset({"unknown-group"}), everywhere))
        if ("enums",) in self.changed:  # every enum type is gone
            self._drop.append((frozenset({"unknown-type", "invalid-type"}), everywhere))

    def covers(self, diag: Diagnostic) -> bool:
        return any(
            (codes is None or diag.code in codes) and ("" in prefixes or _under(diag, prefixes))
            for codes, prefixes in self._drop
        )


def _references_into(shaken: set[str], data: Any) -> list[str]:
    """Where the references to the shaken tables are written."""
    if not shaken or not isinstance(data, dict):
        return []
    out = []
    places: list[tuple[Path, Any]] = []
    for name, table in (data.get("tables") or {}).items():
        if isinstance(table, dict):
            places.append((("tables", name, "columns"), table.get("columns")))
            for i, fk in enumerate(table.get("foreign_keys") or []):
                if isinstance(fk, dict) and _target(fk.get("to")) in shaken:
                    out.append(format_path(("tables", name, "foreign_keys", i)))
    for name, group in (data.get("column_groups") or {}).items():
        places.append((("column_groups", name), group))
    for at, columns in places:
        for column, spec in (columns or {}).items() if isinstance(columns, dict) else ():
            ref = spec.get("references") if isinstance(spec, dict) else None
            to = ref.get("to") if isinstance(ref, dict) else ref
            if _target(to) in shaken:
                out.append(format_path((*at, column)))
    return out
