"""Pass ``columns``: identity and generated columns, and what they exclude."""

from __future__ import annotations

from ..types import names_where
from .draft import Draft, DraftColumn, DraftTable


def run(d: Draft) -> None:
    for table in d.tables.values():
        for col in table.columns.values():
            if col.spec.identity is not None:
                _identity(d, col)
            if col.spec.generated is not None:
                _generated(d, table, col)
            if col.serial:
                _serial(d, col)


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
