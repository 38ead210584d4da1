"""Pass ``extensions``: ``postgres: extensions:``, and the types that need one."""

from __future__ import annotations

import re

from ..source import Path
from .draft import Draft


def run(d: Draft) -> None:
    listed = d.spec.postgres.extensions
    seen: set[str] = set()
    for i, name in enumerate(listed):
        path: Path = ("postgres", "extensions", i)
        if _extension_name(d, name, path) and name in seen:
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


# Extension names are quoted in the DDL, so the hyphen of uuid-ossp is fine.
_EXTENSION_RE = re.compile(r"[a-z][a-z0-9_-]*")


def _extension_name(d: Draft, name: str, path: Path) -> bool:
    if _EXTENSION_RE.fullmatch(name) is None:
        d.error(
            "invalid-name",
            f"extension name {name!r} is not an extension's name",
            path,
            "write the name CREATE EXTENSION takes, e.g. citext or uuid-ossp",
        )
        return False
    return d.check_ident(name.replace("-", "_"), "extension", path)  # the length limit
