"""A migration as read from its folder, and the problems a folder can have."""

from __future__ import annotations

import hashlib
from dataclasses import field
from functools import cached_property

from ..records import Value, record

FILES = ("up.sql", "down.sql", "snapshot.json")


@record
class Problem(Value):
    file: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}: error[migrations]: {self.message}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


class FolderError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@record
class Migration(Value):
    number: int
    name: str
    files: dict[str, bytes] = field(compare=False)  # FILES -> content

    @property
    def dirname(self) -> str:
        return f"{self.number:04d}_{self.name}"

    @property
    def up_sql(self) -> str:
        return self.files["up.sql"].decode("utf-8")

    @property
    def down_sql(self) -> str:
        return self.files["down.sql"].decode("utf-8")

    @cached_property
    def checksum(self) -> str:
        """sha256 over the migration's own files: what the database's history records.

        Line endings are hashed as ``\n``: a checkout with ``core.autocrlf`` (Windows)
        turns them into ``\r\n``, which changes no statement and must not look
        like an edit.
        """
        h = hashlib.sha256()
        for name in FILES:
            data = self.files[name].replace(b"\r\n", b"\n")
            h.update(f"{name}\n{len(data)}\n".encode())
            h.update(data)
        return h.hexdigest()
