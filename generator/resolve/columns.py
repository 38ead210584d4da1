"""Pass ``columns``: identity, generated and serial columns and what they
exclude; columns drawing from a shared sequence, and the columns sequences are
owned by."""

from __future__ import annotations

from ..model import INT_TYPES, int_bounds
from ..types import did_you_mean, names_where
from .draft import Draft, DraftColumn, DraftSequence, DraftTable, split_key


def run(d: Draft) -> None:
    for table in d.tables.values():
        for col in table.columns.values():
            if col.spec.identity is not None:
                _identity(d, col)
            if col.spec.generated is not None:
                _generated(d, table, col)
            if col.serial:
                _serial(d, col)
            if col.shared_sequence:
                _shared(d, col, d.sequences[col.shared_sequence])
    for seq in d.sequences.values():
        if seq.owned_by is not None:
            _owner(d, seq)


def _identity(d: Draft, col: DraftColumn) -> None:
    spec, ctype = col.spec, col.type
    if ctype is not None and (not ctype.info.identity or ctype.array):
        d.error(
            "identity-type",
            f"an identity column must be {names_where('identity')}, not {ctype.sql}",
            col.path + ("type",),
            "use bigint for a new key",
        )
    for key, bad in (
        ("default", spec.default is not None),
        ("nullable", spec.nullable),
        ("generated", spec.generated is not None),
    ):
        if bad:
            d.error(
                "identity-conflict",
                f"identity column {col.name!r} cannot also have '{key}'",
                col.path + (key,),
                f"remove '{key}': the identity supplies the value",
            )


def _serial(d: Draft, col: DraftColumn) -> None:
    spec = col.spec
    for key, bad, why in (
        ("default", spec.default is not None, "its sequence supplies the value"),
        ("identity", spec.identity is not None, "a column is serial or identity, not both"),
        ("generated", spec.generated is not None, "its sequence supplies the value"),
        ("nullable", spec.nullable, "PostgreSQL makes a serial column NOT NULL"),
    ):
        if bad:
            d.error(
                "serial-conflict",
                f"{col.serial} column {col.name!r} cannot also have '{key}'",
                col.path + (key,),
                f"remove '{key}': {why}",
            )


def _generated(d: Draft, table: DraftTable, col: DraftColumn) -> None:
    spec = col.spec
    assert spec.generated is not None
    path = col.path + ("generated", "sql")
    # PostgreSQL's rules (immutable, of the column's type, no generated column read)
    d.expression(table, spec.generated.sql, path, "generated", col.type)
    for key, bad in (("default", spec.default is not None), ("on_update", bool(spec.on_update))):
        if bad:
            d.error(
                "generated-conflict",
                f"generated column {col.name!r} cannot also have '{key}'",
                col.path + (key,),
                f"remove '{key}': the expression supplies the value",
            )


def _shared(d: Draft, col: DraftColumn, seq: DraftSequence) -> None:
    """A column's ``default: {sequence: ...}``: an integer column that holds every
    value the sequence can give."""
    ctype = col.type
    if ctype is None:
        return
    path = col.path + ("type",)
    if ctype.array or ctype.name not in INT_TYPES:
        d.error(
            "sequence-type",
            f"a sequence default needs a smallint, integer or bigint column, not {ctype.sql}",
            path,
            f"write type: {seq.data_type}, or remove the default",
        )
        return
    least, greatest = int_bounds(ctype.name)
    if not (least <= seq.min_value and seq.max_value <= greatest):
        d.error(
            "sequence-type",
            f"column {col.name!r} is {ctype.name}, but sequence {seq.key!r} ({seq.data_type}) "
            f"counts from {seq.min_value} to {seq.max_value}: nextval() could overflow the column",
            path,
            f"write type: {seq.data_type}, or give the sequence type: {ctype.name}",
        )


def _owner(d: Draft, seq: DraftSequence) -> None:
    """OWNED BY: a column of a table of the spec, in the sequence's own schema."""
    assert seq.owned_by is not None
    table_key, column = seq.owned_by
    path = seq.path + ("owned_by",)
    table = d.tables.get(table_key)
    if table is None:
        d.error(
            "invalid-owned-by",
            f"owned_by names table {table_key!r}, which the spec does not define",
            path,
            did_you_mean(table_key, list(d.tables)) or "write 'table.column' of a table below",
        )
    elif column not in table.columns:
        d.error(
            "invalid-owned-by",
            f"owned_by names column {column!r}, which table {table_key!r} does not have",
            path,
            did_you_mean(column, list(table.columns)) or f"columns: {', '.join(table.columns)}",
        )
    elif table.namespace != split_key(seq.key)[0]:
        d.error(
            "invalid-owned-by",
            f"sequence {seq.key!r} cannot be owned by a column of table {table_key!r}: "
            "PostgreSQL requires the sequence and the table in the same schema",
            path,
            f"move the sequence to {table.namespace or 'the default'} schema, or remove owned_by",
        )
