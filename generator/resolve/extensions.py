"""Pass ``extensions``: ``postgres: extensions:``, and the types that need one."""

from __future__ import annotations

from ..source import Path
from .draft import Draft


def run(d: Draft) -> None:
    listed = d.spec.postgres.extensions
    seen: set[str] = set()
    for i, name in enumerate(listed):
        path: Path = ("postgres", "extensions", i)
        if d.check_ident(name, "extension", path) and name in seen:
            d.error(
                "duplicate-extension", f"extension {name!r} is listed twice", path, "remove one"
            )
        seen.add(name)
    for table in d.tables.values():
        for col in table.columns.values():
            ext = col.type.info.extension if col.type is not None else ""
            if ext and ext not in listed:
                assert col.type is not None
                d.error(
                    "missing-extension",
                    f"type {col.type.element.sql} needs the PostgreSQL extension {ext!r}",
                    col.path + ("type",),
                    f"add it at the top level: postgres: {{extensions: [{ext}]}}",
                )
