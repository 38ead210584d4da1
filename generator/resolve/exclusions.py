"""Pass ``exclusions``: EXCLUDE constraints (no two rows match on every
element: bookings of one room whose periods overlap).  Names come later, in
the names pass (an exclusion constraint is an index, in the same namespace)."""

from __future__ import annotations

import re

from ..source import Path
from ..spec.models import ExcludeSpec
from ..types import BTREE_GIST_TYPES, did_you_mean
from .draft import Draft, DraftExclusion, DraftTable


def run(d: Draft) -> None:
    for table in d.tables.values():
        for i, excl in enumerate(table.spec.exclude):
            _exclusion(d, table, excl, table.path + ("exclude", i))


_OPERATOR = re.compile(r"[-+*/<>=~!@#%^&|`?]+")


def _exclusion(d: Draft, table: DraftTable, spec: ExcludeSpec, path: Path) -> None:
    """EXCLUDE: each column's type must have an operator class for the method; a
    scalar in a gist exclusion (room_id WITH =) needs btree_gist."""
    ok = True
    if not spec.elements:
        d.error(
            "empty-key",
            "the element list is empty",
            path + ("elements",),
            "name at least one column",
        )
        return
    for j, el in enumerate(spec.elements):
        at = path + ("elements", j)
        if el.column not in table.columns:
            d.error(
                "unknown-column",
                f"table {table.key!r} has no column {el.column!r}",
                at + ("column",),
                did_you_mean(el.column, list(table.columns))
                or f"columns: {', '.join(table.columns)}",
            )
            ok = False
            continue
        if not _OPERATOR.fullmatch(el.with_.strip()):
            d.error(
                "invalid-exclusion",
                f"{el.with_!r} is not an operator",
                at + ("with",),
                "write an operator such as '=' or '&&' (overlaps)",
            )
            ok = False
            continue
        ctype = table.columns[el.column].type
        if ctype is None or spec.using in ctype.index_methods:
            continue
        scalar = spec.using == "gist" and not ctype.array and ctype.name in BTREE_GIST_TYPES
        if scalar and "btree_gist" in d.spec.postgres.extensions:
            continue
        d.error(
            "invalid-exclusion",
            f"a {spec.using} exclusion constraint does not apply to {ctype.sql} column {el.column!r}"
            + (" without the btree_gist extension" if scalar else ""),
            at + ("column",),
            "add it at the top level: postgres: {extensions: [btree_gist]}"
            if scalar
            else f"{ctype.sql} has an operator class for: {', '.join(ctype.index_methods)}",
        )
        ok = False
    if (
        spec.where is not None
        and d.expression(table, spec.where, path + ("where",), "index_where") is None
    ):
        ok = False
    if spec.name is not None and not d.check_ident(spec.name, "constraint", path + ("name",)):
        ok = False
    if ok:
        table.exclusions.append(
            DraftExclusion(
                tuple((el.column, el.with_.strip()) for el in spec.elements),
                spec.using,
                d.written(spec.where) if spec.where else None,
                path,
                spec.name or "",
                spec.name is not None,
            )
        )
