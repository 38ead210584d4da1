"""Sequences in pull: what becomes a ``sequences:`` entry and ``default:
{sequence: name}``.

A serial column's own sequence (its name and options exactly what ``serial``
makes) stays ``type: serial``.  Every other sequence of the database that is
not an identity column's becomes an entry of ``sequences:`` with the options
that are not PostgreSQL's defaults, and a column whose default is nextval() of
one takes ``{sequence: name}``, when its type holds every value the sequence
gives (as the spec requires).  ``owned_by`` is written when its column is in
the spec.
"""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog, Column, Other
from ..model import INT_TYPES, Sequence, int_bounds
from .columns import sequence_of
from .draft import plain_name
from .notes import Note
from .objects import object_key

# CREATE SEQUENCE's words (Sequence.options) -> the spec's keys
_KEYS = {
    "AS": "type",
    "INCREMENT BY": "increment",
    "MINVALUE": "min",
    "MAXVALUE": "max",
    "START WITH": "start",
    "CACHE": "cache",
}


def model_of(other: Other) -> Sequence | None:
    """The sequence as the model holds it; None when the spec cannot (its type, its name)."""
    dtype = other.get("type")
    if dtype not in INT_TYPES or not plain_name(other.name) or not plain_name(other.schema):
        return None
    return Sequence(
        other.name,
        dtype,
        int(other.get("start")),
        int(other.get("increment")),
        int(other.get("min")),
        int(other.get("max")),
        int(other.get("cache")),
        bool(other.get("cycle")),
        other.schema,
    )


def drawn_from(col: Column, stype: str, cat: Catalog) -> Other | None:
    """The sequence a column's nextval() default reads, when the spec can write it as
    ``{sequence: ...}``: an integer column that holds the sequence's whole range."""
    target = sequence_of(col)
    if target is None or stype not in INT_TYPES:
        return None
    schema, name = target
    for other in cat.of_kind("sequence"):
        if other.name == name and (schema or "public") == other.schema:
            seq = model_of(other)
            if seq is None:
                return None
            least, greatest = int_bounds(stype)
            fits = least <= seq.min_value and seq.max_value <= greatest
            return other if fits else None
    return None


def entries(
    cat: Catalog, skip: set[str], owners: dict[str, str], notes: list[Note]
) -> tuple[dict[str, Any], set[str]]:
    """``sequences:`` of the database's sequences (serial ones in ``skip`` aside), and
    the keys of the catalog objects written.  ``owners``: 'schema.table.column' of
    the columns the spec has -> how the spec names them ('table.column')."""
    out: dict[str, Any] = {}
    written: set[str] = set()
    for other in cat.of_kind("sequence"):
        if other.key in skip:
            continue
        seq = model_of(other)
        if seq is None:
            continue  # reported with the other objects the spec cannot hold
        spec: dict[str, Any] = {}
        for word, value in seq.options():
            if word == "CYCLE":
                spec["cycle"] = True
            else:
                spec[_KEYS[word]] = value if word == "AS" else int(value)
        if other.owned_by is not None:
            owner = owners.get(other.owned_by)
            if owner is not None:
                spec["owned_by"] = owner
            else:
                notes.append(
                    Note(
                        "changed",
                        "sequence",
                        other.key,
                        f"owned by {other.owned_by}, which the spec leaves out: not carried",
                    )
                )
        if other.get("comment") is not None:
            spec["description"] = other.get("comment")
        out[object_key(other.schema, other.name)] = spec
        written.add(other.key)
    return out, written
