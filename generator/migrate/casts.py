"""What a column type change does on PostgreSQL 15: rewrite, narrow, or risk failing.

The rewrite rule is PostgreSQL's: ``ALTER COLUMN ... TYPE`` keeps the table's
files only when the old values are valid, bit for bit, in the new type
(varchar widening, varchar -> text, numeric precision widening at the same
scale); anything else rewrites every row under ACCESS EXCLUSIVE.
tests/test_migrate_locks.py checks each claim against ``relfilenode``.
"""

from __future__ import annotations

from ..types import ColumnType

STRINGS = {"text", "varchar", "citext"}
INTS = {"smallint": 1, "integer": 2, "bigint": 3}
FLOATS = {"real": 1, "double precision": 2}


def _unbounded_string(t: ColumnType) -> bool:
    return t.name == "text" or (t.name == "varchar" and t.length is None)


def rewrites(old: ColumnType, new: ColumnType) -> bool:
    if old == new:
        return False
    if old.array != new.array or old.enum is not None or new.enum is not None:
        return True
    if old.name in ("varchar", "text") and new.name in ("varchar", "text"):
        if _unbounded_string(new):
            return False  # any varchar fits text or varchar without a length
        return old.name != "varchar" or old.length is None or new.length < old.length  # type: ignore[operator]
    if old.name == new.name == "numeric":
        if new.precision is None:
            return False
        if old.precision is None:
            return True
        return old.scale != new.scale or new.precision < old.precision
    return True


def narrowing(old: ColumnType, new: ColumnType) -> bool:
    """Some values of the old type do not fit the new one (or lose digits or time)."""
    if old.array != new.array:
        return True
    o, n = old.name, new.name
    if o in STRINGS and n == "varchar" and new.length is not None:
        return _unbounded_string(old) or o == "citext" or (old.length or 0) > new.length
    if o in INTS and n in INTS:
        return INTS[n] < INTS[o]
    if o in FLOATS and n in FLOATS:
        return FLOATS[n] < FLOATS[o]
    if o in (*FLOATS, "numeric") and n in INTS:
        return True
    if o == n == "numeric":
        if new.precision is None:
            return False
        if old.precision is None:
            return True
        old_whole = old.precision - (old.scale or 0)
        return new.precision - (new.scale or 0) < old_whole or (new.scale or 0) < (old.scale or 0)
    if o in INTS and n == "numeric" and new.precision is not None:
        digits = {"smallint": 5, "integer": 10, "bigint": 19}[o]
        return new.precision - (new.scale or 0) < digits
    return o in ("timestamp", "timestamptz") and n in ("date", "time")


def may_fail(old: ColumnType, new: ColumnType) -> bool:
    """Converting existing values can raise an error (range, length, format)."""
    domain = new.domain or new.element_domain
    if domain is not None and domain != (old.domain or old.element_domain):
        return True  # into a domain (year, year[]): its checks judge the existing values
    if new.name in STRINGS and not (new.name == "varchar" and new.length is not None):
        return False  # everything has a text form
    if old.name == new.name and old.enum == new.enum and old.array == new.array:
        return narrowing(old, new)
    numeric = {*INTS, *FLOATS, "numeric"}
    if old.name in numeric and new.name in numeric:
        return narrowing(old, new)
    if old.name in STRINGS and new.name in STRINGS:
        return narrowing(old, new)
    return not (old.name == "timestamp" and new.name == "timestamptz") and not (
        old.name == "timestamptz" and new.name == "timestamp"
    )


def _implicit(old: ColumnType, new: ColumnType) -> bool:
    """PostgreSQL converts without USING (an implicit or assignment cast exists)."""
    if old.enum is not None or new.enum is not None or old.array != new.array:
        return False
    if new.name in STRINGS:
        return True  # I/O conversion to text is an assignment cast
    numeric = {*INTS, *FLOATS, "numeric"}
    if old.name in numeric and new.name in numeric:
        return True
    if old.name in STRINGS and new.name in STRINGS:
        return True
    times = {"timestamp", "timestamptz", "date", "time"}
    return old.name in times and new.name in times and (old.name, new.name) != ("date", "time")


def using(column_sql: str, old: ColumnType, new: ColumnType) -> str | None:
    """The USING expression a type change needs, or None when PostgreSQL needs none."""
    if _implicit(old, new):
        return None
    text = "text[]" if old.array else "text"
    # no cast between range types (int4range -> int8range): through their text form
    ranges = old.name.endswith("range") and new.name.endswith("range")
    via = f"::{text}" if old.enum is not None or new.enum is not None or ranges else ""
    return f"{column_sql}{via}::{new.sql}"
