"""The integrity file, ``schemagen.sum``: a checksum chain over the migrations.

Each line hashes the previous line's hash together with its migration's
files, so editing any migration changes every later line, and two branches
that each add a migration both append a different last line: git reports a
conflict instead of merging two 0002s silently.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .migration import Migration, Problem

SUM_FILE = "schemagen.sum"
SUM_HEADER = (
    "# schemagen migrations integrity file: written by `schemagen migrate new`; do not edit.\n"
    "# Each line: a migration and sha256(previous line's hash + its files).\n"
)
_LINE_RE = re.compile(r"(?P<dir>\S+) sha256:(?P<hash>[0-9a-f]{64})")


def chain(migrations: list[Migration]) -> list[str]:
    """The chained hash after each migration."""
    hashes, previous = [], ""
    for m in migrations:
        previous = hashlib.sha256(f"{previous}\n{m.dirname}\n{m.checksum}".encode()).hexdigest()
        hashes.append(previous)
    return hashes


def sum_text(migrations: list[Migration]) -> str:
    lines = [
        f"{m.dirname} sha256:{h}\n" for m, h in zip(migrations, chain(migrations), strict=True)
    ]
    return SUM_HEADER + "".join(lines)


def check_sum(
    path: Path, migrations: list[Migration], problems: list[Problem], *, chain_too: bool = True
) -> None:
    """Add the sum file's problems: unreadable, migrations it lists that are gone or
    it does not list, and (``chain_too``, when the folder is otherwise sound) the
    first migration whose chained hash no longer matches."""
    sum_path = path / SUM_FILE
    rel = str(sum_path)
    try:
        text = sum_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if migrations:
            problems.append(
                Problem(
                    rel,
                    "missing (it holds the checksums that detect edited migrations)",
                    "restore it from version control; if every migration here is intended "
                    "and none was applied with different content, `schemagen migrate hash` "
                    "writes it again",
                )
            )
        return
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, f"cannot read: {exc}"))
        return
    if _conflicted(text):
        return  # reported first thing by read()
    listed: list[tuple[int, str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parsed = _LINE_RE.fullmatch(line.strip())
        if parsed is None:
            problems.append(
                Problem(
                    f"{rel}:{lineno}",
                    f"cannot read line {line!r} (expected 'NNNN_name sha256:<64 hex digits>')",
                    "restore the file from version control",
                )
            )
            return
        listed.append((lineno, parsed.group("dir"), parsed.group("hash")))
    on_disk = {m.dirname for m in migrations}
    for lineno, dirname, _ in listed:
        if dirname not in on_disk and not (path / dirname).exists():
            problems.append(
                Problem(
                    f"{rel}:{lineno}",
                    f"lists {dirname}, which is not in the folder",
                    "restore the migration folder from version control",
                )
            )
    listed_names = {d for _, d, _ in listed}
    for m in migrations:
        if m.dirname not in listed_names:
            problems.append(
                Problem(
                    str(path / m.dirname),
                    f"not in {SUM_FILE}: written by hand, or merged from another branch",
                    "a migration comes from `schemagen migrate new`; if it came with a merge, "
                    "delete your own newer migration and write it again with `migrate new`; "
                    "if you wrote it on purpose, `schemagen migrate hash` adds it to the chain",
                )
            )
    if problems or not chain_too:
        return  # the chain below would repeat the same news
    for (lineno, dirname, recorded), m, expected in zip(
        listed, migrations, chain(migrations), strict=False
    ):
        if dirname != m.dirname:
            problems.append(
                Problem(f"{rel}:{lineno}", f"lists {dirname} where {m.dirname} is expected")
            )
            return
        if recorded != expected:
            problems.append(
                Problem(
                    str(path / m.dirname),
                    "changed since schemagen wrote it (its checksum in "
                    f"{SUM_FILE}:{lineno} no longer matches)",
                    "undo the edit (git checkout), or, if the change is intended and the "
                    "migration was never applied anywhere, run `schemagen migrate hash`",
                )
            )
            return


def _conflicted(text: str) -> bool:
    return any(line.startswith(("<<<<<<<", ">>>>>>>", "=======")) for line in text.splitlines())


def merge_conflict(path: Path) -> list[Problem]:
    """The most useful news first: a merge left both branches' lines in the sum file."""
    try:
        text = (path / SUM_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # reported with the chain
    if not _conflicted(text):
        return []
    return [
        Problem(
            str(path / SUM_FILE),
            "has git conflict markers: two branches each added a migration",
            "take the other branch's side of schemagen.sum and its migrations, delete "
            "your new migration folder, then run `schemagen migrate new NAME` again",
        )
    ]
