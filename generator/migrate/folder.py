"""The migrations folder: numbered migrations and the integrity chain over them.

::

    migrations/
      schemagen.sum            one line per migration: name and chained checksum
      0001_init/               up.sql, down.sql, snapshot.json (the model after it)
      0002_add_orders/

The integrity chain over them (``schemagen.sum``) is ``integrity.py``; a
migration and the problems a folder can have are ``migration.py``.

Reading collects every problem at once (``FolderError``), each naming the file
and the fix; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Schema
from .integrity import SUM_FILE, check_sum, merge_conflict, sum_text
from .migration import FILES, FolderError, Migration, Problem
from .snapshot import SnapshotError, loads

__all__ = ["SUM_FILE", "Folder", "FolderError", "Migration", "migration_name", "read", "write_next"]

_DIR_RE = re.compile(r"(?P<number>[0-9]{4})_(?P<name>[a-z0-9][a-z0-9_]*)")
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
MAX_NAME = 60


def migration_name(raw: str) -> str:
    """A migration's name from the command line: ``add-orders`` -> ``add_orders``."""
    if not _NAME_RE.fullmatch(raw) or len(raw) > MAX_NAME:
        raise ValueError(
            f"migration name {raw!r}: use letters, digits, '_' and '-' "
            f"(at most {MAX_NAME}), e.g. add_orders"
        )
    return raw.lower().replace("-", "_")


@dataclass
class Folder:
    path: Path
    migrations: list[Migration]

    @property
    def last(self) -> Migration | None:
        return self.migrations[-1] if self.migrations else None

    def last_schema(self) -> Schema | None:
        """The model after the last migration (None before the first)."""
        last = self.last
        if last is None:
            return None
        try:
            return loads(last.files["snapshot.json"].decode("utf-8"))
        except (SnapshotError, UnicodeDecodeError) as exc:
            raise FolderError(
                [
                    Problem(
                        str(self.path / last.dirname / "snapshot.json"),
                        f"cannot read the snapshot: {exc}",
                        "restore it from version control (git checkout -- <file>); "
                        "schemagen writes it, it is never edited by hand",
                    )
                ]
            ) from None

    def next_files(self, name: str, up: str, down: str, snapshot: str) -> dict[str, str]:
        """The files a new migration adds (relative to the folder), sum file included."""
        new = Migration(
            len(self.migrations) + 1,
            name,
            {"up.sql": up.encode(), "down.sql": down.encode(), "snapshot.json": snapshot.encode()},
        )
        files = {f"{new.dirname}/{f}": new.files[f].decode() for f in FILES}
        files[SUM_FILE] = sum_text([*self.migrations, new])
        return files


def _read_migration(
    path: Path, number: int, name: str, problems: list[Problem]
) -> Migration | None:
    files: dict[str, bytes] = {}
    for f in FILES:
        try:
            files[f] = (path / f).read_bytes()
        except FileNotFoundError:
            problems.append(
                Problem(
                    str(path / f),
                    "missing",
                    "restore it from version control; a migration folder is written whole "
                    "by `schemagen migrate new`",
                )
            )
        except OSError as exc:
            problems.append(Problem(str(path / f), f"cannot read: {exc.strerror}"))
    for extra in sorted(p.name for p in path.iterdir() if p.name not in FILES):
        if not extra.startswith("."):
            problems.append(
                Problem(
                    str(path / extra),
                    "unexpected file in a migration folder (only up.sql, down.sql, "
                    "snapshot.json are read, and only they are checksummed)",
                    "move it out of the migrations folder",
                )
            )
    for f in ("up.sql", "down.sql"):
        if f in files:
            try:
                files[f].decode("utf-8")
            except UnicodeDecodeError:
                problems.append(Problem(str(path / f), "not UTF-8 text"))
                return None
    return Migration(number, name, files) if len(files) == len(FILES) else None


def _entries(path: Path, problems: list[Problem]) -> list[Migration]:
    by_number: dict[int, list[str]] = {}
    found: list[Migration] = []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith(".") or entry.name == SUM_FILE:
            continue
        m = _DIR_RE.fullmatch(entry.name)
        if not entry.is_dir() or m is None:
            problems.append(
                Problem(
                    str(entry),
                    "not a schemagen migration (expected folders named NNNN_name holding "
                    "up.sql, down.sql and snapshot.json)",
                    "move it out of the migrations folder; to add a migration change the "
                    "spec and run `schemagen migrate new NAME`",
                )
            )
            continue
        number = int(m.group("number"))
        by_number.setdefault(number, []).append(entry.name)
        migration = _read_migration(entry, number, m.group("name"), problems)
        if migration is not None:
            found.append(migration)
    for number, names in sorted(by_number.items()):
        if len(names) > 1:
            problems.append(
                Problem(
                    str(path),
                    f"{len(names)} migrations numbered {number:04d}: {', '.join(names)} "
                    "(two branches each added one?)",
                    "keep the migration that was merged first, delete the other folder, "
                    "restore schemagen.sum from that branch, and run `schemagen migrate new "
                    "NAME` again to write yours on top",
                )
            )
    expected = 1
    for number in sorted(by_number):
        if number != expected:
            gap = (
                f"{expected:04d}" if number == expected + 1 else f"{expected:04d}-{number - 1:04d}"
            )
            problems.append(
                Problem(
                    str(path / by_number[number][0]),
                    f"numbering has a gap: {gap} missing before it",
                    "migrations are numbered 0001, 0002, ... with no gaps; restore the "
                    "missing folder from version control",
                )
            )
        expected = number + 1
    return found


def read(path: Path, *, verify: bool = True) -> Folder:
    """The migrations in ``path`` (an absent folder has none); FolderError on bad input.

    ``verify=False`` skips the integrity chain (used by ``migrate hash``, which rewrites it).
    """
    problems = merge_conflict(path) if verify and path.is_dir() else []
    if path.exists() and not path.is_dir():
        raise FolderError([Problem(str(path), "is a file, not a migrations folder")])
    migrations = _entries(path, problems) if path.is_dir() else []
    migrations.sort(key=lambda m: (m.number, m.name))
    if verify and not any("conflict markers" in p.message for p in problems):
        found: list[Problem] = []
        check_sum(path, migrations, found, chain_too=not problems)
        problems += found
    if problems:
        raise FolderError(problems)
    return Folder(path, migrations)


def write_next(folder: Folder, name: str, up: str, down: str, snapshot: str) -> str:
    """Write the next migration and the new sum file, all or nothing; its folder name."""
    from ..emit import Plan, write

    files = folder.next_files(name, up, down, snapshot)
    sum_exists = (folder.path / SUM_FILE).exists()
    added = sorted(f for f in files if f != SUM_FILE or not sum_exists)
    write(folder.path, files, Plan(changed=[SUM_FILE] if sum_exists else [], added=added))
    return f"{len(folder.migrations) + 1:04d}_{name}"
