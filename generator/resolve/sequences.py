"""Pass ``sequences``: ``sequences:``, counters that several columns draw from
(``default: {sequence: name}``).

Runs before tables, whose defaults name sequences.  Each option is checked as
``CREATE SEQUENCE`` checks it (PostgreSQL 15), and the ones left out get
PostgreSQL's defaults, so the model holds every option's effective value.
``owned_by`` is only read here; the columns pass checks the column it names,
and the names pass the sequence's name against the other relations.
"""

from __future__ import annotations

from ..model import int_bounds, sequence_py_name
from ..source import Path
from ..spec.models import SequenceSpec
from .draft import Draft, DraftSequence


def run(d: Draft) -> None:
    python: dict[str, str] = {}  # the ORM's module-level name (Sequence.py_name) -> key
    for key, spec in d.spec.sequences.items():
        path: Path = ("sequences", key)
        if not d.check_key(key, "sequence", path):
            continue
        py_name = sequence_py_name(key)
        if py_name in python:
            d.error(
                "duplicate-name",
                f"sequences {python[py_name]!r} and {key!r} would share the ORM's name {py_name}",
                path,
                "rename one of them (names that differ only in case cannot both be used)",
                key=True,
            )
            continue
        python[py_name] = key
        seq = _options(d, key, spec, path)
        owned_by = _owned_by(d, spec.owned_by, path + ("owned_by",))
        if seq is None or owned_by is False:
            continue
        seq.owned_by = owned_by if isinstance(owned_by, tuple) else None
        d.sequences[key] = seq


def _options(d: Draft, key: str, spec: SequenceSpec, path: Path) -> DraftSequence | None:
    data_type = spec.type
    least, greatest = int_bounds(data_type)
    ok = True
    if spec.increment == 0:
        d.error(
            "sequence-option",
            "a sequence's increment cannot be 0",
            path + ("increment",),
            "write 1 to count up, or -1 to count down",
        )
        return None
    if spec.cache < 1:
        d.error(
            "sequence-option",
            f"a sequence's cache must be at least 1, not {spec.cache}",
            path + ("cache",),
            "write cache: 1 (the default), or leave it out",
        )
        ok = False
    for option, value in (("min", spec.min), ("max", spec.max), ("start", spec.start)):
        if value is not None and not least <= value <= greatest:
            d.error(
                "sequence-option",
                f"{option} {value} is out of range for a sequence of type {data_type} "
                f"({least} to {greatest})",
                path + (option,),
                "write type: bigint, or a value in that range",
            )
            ok = False
    if not ok:
        return None
    up = spec.increment > 0
    low = spec.min if spec.min is not None else (1 if up else least)
    high = spec.max if spec.max is not None else (greatest if up else -1)
    if low >= high:
        at = "min" if spec.min is not None else "max"
        d.error(
            "sequence-option",
            f"a sequence's min ({low}) must be less than its max ({high})",
            path + (at,),
            "write a min below the max"
            + ("" if up else ", or leave both out (counting down: the type's least to -1)"),
        )
        return None
    start = spec.start if spec.start is not None else (low if up else high)
    if not low <= start <= high:
        d.error(
            "sequence-option",
            f"start {start} is outside the sequence's range {low} to {high}",
            path + (("start",) if spec.start is not None else ("min",)),
            f"write a start between {low} and {high}, or change min/max",
        )
        return None
    return DraftSequence(
        key,
        data_type,
        start,
        spec.increment,
        low,
        high,
        spec.cache,
        spec.cycle,
        None,
        spec.description,
        path,
    )


def _owned_by(d: Draft, text: str | None, path: Path) -> tuple[str, str] | None | bool:
    """``table.column`` or ``schema.table.column`` -> (table key, column); None when
    not written; False after an error."""
    if text is None:
        return None
    table, _, column = text.strip().rpartition(".")
    if not table or not column:
        d.error(
            "invalid-owned-by",
            f"owned_by {text!r} does not name a column",
            path,
            "write 'table.column' (or 'schema.table.column'), e.g. owned_by: orders.number",
        )
        return False
    return table, column
