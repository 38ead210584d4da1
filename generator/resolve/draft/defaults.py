"""A column's or a domain's ``default:`` checked on the draft: a literal of the
column's type, ``{sql: ...}`` or ``{sequence: ...}``.

``check_default`` is the draft's ``default()`` method (bound in ``__init__.py``),
kept apart from the parts because it is a check with its own rules (nextval()
written by hand, shared sequences, literals read as written) and its own cache
(``Draft.literal_defaults``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...model import Default
from ...source import Path
from ...sqltext import LiteralError
from ...typeref import SERIALS, check_column_literal
from ...types import ColumnType, did_you_mean

if TYPE_CHECKING:
    from . import Draft

_NEXTVAL = re.compile(r"\bnextval\s*\(", re.IGNORECASE)
# The sequence a nextval() names: nextval('x'), nextval('s.x'::regclass)
_NEXTVAL_OF = re.compile(
    r"\bnextval\s*\(\s*'([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)'", re.IGNORECASE
)


def _serial_for(ctype: ColumnType) -> str:
    return next((s for s, base in SERIALS.items() if base == ctype.name), "serial")


def check_default(d: Draft, ctype: ColumnType, value: Any, path: Path) -> Default | None:
    """A column's or domain's ``default:``: a literal of the type, or {sql: ...}."""
    if isinstance(value, dict) and "sql" in value:
        if set(value) != {"sql"} or not isinstance(value["sql"], str):
            d.error(
                "invalid-default",
                "an SQL default is written {sql: <expression>} with nothing else",
                path,
                "for example: default: {sql: now()}",
            )
            return None
        named = _NEXTVAL_OF.search(value["sql"])
        if named and named.group(1) in d.spec.sequences:
            d.error(
                "sequence-default",
                f"a nextval() default of sequence {named.group(1)!r} is written {{sequence: ...}}",
                path + ("sql",),
                f"write default: {{sequence: {named.group(1)}}}: the column's type is then "
                "checked against the sequence, and migrations order the two",
            )
            return None
        if _NEXTVAL.search(value["sql"]):
            d.error(
                "sequence-default",
                "a nextval() default needs a sequence the spec does not declare",
                path + ("sql",),
                f"write type: {_serial_for(ctype)} and remove the default: the column then owns "
                "its sequence (<table>_<column>_seq), as PostgreSQL's serial does; "
                "or declare the sequence under 'sequences:' and write default: {sequence: name}; "
                "or use identity: by_default",
            )
            return None
        # The expression itself is analysed where its context is known: a
        # column's in the tables pass (pgsql, once every column exists), a
        # domain's in the domains pass.
        return Default("sql", value["sql"].strip())
    if isinstance(value, dict) and "sequence" in value:
        return _sequence_default(d, value, path)
    info = d.doc.scalar(path)
    # A scalar's verdict depends on the type and the scalar as written (info.raw, so
    # 1 and true, 0.0 and -0.0 differ), and columns repeat their defaults (0, false):
    # kept once valid.
    scalar = info is not None and isinstance(value, _SCALARS)
    key = (ctype, info, type(value), value) if scalar else None
    known = d.literal_defaults.get(key) if key is not None else None
    if known is not None:
        return known
    try:
        lit = check_column_literal(ctype, value, info, d.enum_labels)
    except LiteralError as exc:
        d.error("invalid-default", str(exc), path, exc.hint)
        return None
    default = Default("literal", lit.sql, lit.value)
    if key is not None:
        d.literal_defaults[key] = default
    return default


_SCALARS = (str, int, float, bool)  # a YAML scalar's value (None is no default)


def _sequence_default(d: Draft, value: dict[str, Any], path: Path) -> Default | None:
    """``{sequence: key}``: nextval() of a sequence under ``sequences:``.  The column's
    type is checked against the sequence by the columns pass."""
    key = value["sequence"]
    if set(value) != {"sequence"} or not isinstance(key, str):
        d.error(
            "invalid-default",
            "a sequence default is written {sequence: <name>} with nothing else",
            path,
            "for example: default: {sequence: order_numbers}",
        )
        return None
    seq = d.sequences.get(key.strip())
    if seq is not None:
        return Default("sql", seq.nextval_sql)
    if key.strip() not in d.spec.sequences:  # a declared but invalid one is reported there
        d.error(
            "unknown-sequence",
            f"no sequence {key.strip()!r} under 'sequences:'",
            path + ("sequence",),
            did_you_mean(key.strip(), list(d.spec.sequences))
            or f"declare it at the top level: sequences: {{{key.strip()}: {{start: 1}}}}",
        )
    return None
