"""Column references other SQL readers misread, quoted in the DDL we write.

PostgreSQL reads ``if >= 0`` in a CHECK as the column ``if`` (``if`` is an
unreserved keyword), but sqlglot, which re-reads our DDL (generator/check),
takes ``if`` for its IF function and fails.  Quoting such a reference (``"if"``,
the same name since an unquoted name folds to lower case) means the same to
PostgreSQL and reads right everywhere.  Only keyword-named references are
asked about, so an ordinary spec does not import sqlglot here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache


def quote_misread(sql: str, bare: Iterable[tuple[int, str]]) -> str:
    """``sql`` with each unquoted column reference sqlglot misreads quoted."""
    from pglast import keywords

    words = (
        keywords.UNRESERVED_KEYWORDS
        | keywords.COL_NAME_KEYWORDS
        | keywords.TYPE_FUNC_NAME_KEYWORDS
        | keywords.RESERVED_KEYWORDS
    )
    out = sql
    for at, name in sorted(set(bare), reverse=True):  # from the end: offsets stay valid
        written = out[at : at + len(name)]
        if name in words and written.lower() == name and _misread(name):
            out = out[:at] + '"' + name + '"' + out[at + len(name) :]
    return out


@cache
def _misread(name: str) -> bool:
    """Does sqlglot read the bare ``name`` as something other than a column?"""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(f"SELECT {name} >= 0, {name} FROM _t", read="postgres")
    except SqlglotError:
        return True
    selects = tree.expressions
    if len(selects) != 2 or not isinstance(selects[0], exp.GTE):
        return True
    first, second = selects[0].this, selects[1]
    return not (
        isinstance(first, exp.Column)
        and first.name == name
        and isinstance(second, exp.Column)
        and second.name == name
    )
