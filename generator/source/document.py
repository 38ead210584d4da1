"""The loaded spec: its plain data, and where each piece of it was written.

A ``Document`` answers, for a key path (``Path``), the span of its key and of
its value, and how a scalar was written (``ScalarInfo``); diagnostics of every
later stage point into the file through it.  The loader (``loader.py``,
``builder.py``) makes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Span
from .scalars import ScalarInfo, _plain_info

Path = tuple[str | int, ...]

# Where one node was written: (start and end mark of its key, None in a list or
# at the top; start and end mark of its value; what is inside).  What is inside
# is a dict of places by key for a mapping, a list of places for a sequence; for
# a scalar (or an alias of one), its text if it is plain, its ScalarInfo if it
# is quoted; None for an alias of a collection (whose insides are not
# positioned again).  Marks are PyYAML's own; they become spans, and a plain
# scalar's text a ScalarInfo, only when someone asks.
Place = tuple[Any, Any, Any, Any, Any]


@dataclass
class Document:
    """Plain data plus where every piece of it came from.

    A large spec has hundreds of thousands of nodes and almost never an error,
    so positions are kept as the parser's own marks in a tree shaped like the
    data (see Place): no key path is built for a node unless someone looks it up.
    """

    file: str
    data: Any
    lines: list[str]
    root: Place = (None, None, None, None, None)
    # Keys the spec stage renamed or moved to check what is inside them
    # (spec/repair.py): new path -> path before, in the order they were made.
    renamed: dict[Path, Path] = field(default_factory=dict)

    def _written(self, path: Path) -> Path:
        if not self.renamed:  # nearly always: the model build asks this for every column
            return path
        for new, old in reversed(self.renamed.items()):  # a later repair undone first
            if path[: len(new)] == new:
                path = old + path[len(new) :]
        return path

    def _place(self, path: Path) -> tuple[Place | None, Place]:
        """The place of ``path`` (None if nothing was written there) and of its
        longest prefix that was."""
        place = self.root
        for part in self._written(path) if self.renamed else path:
            inside = place[4]
            if inside.__class__ is dict:
                found = inside.get(part)
            elif inside.__class__ is list and part.__class__ is int and 0 <= part < len(inside):
                found = inside[part]
            else:
                found = None
            if found is None:
                return None, place
            place = found
        return place, place

    def scalar(self, path: Path) -> ScalarInfo | None:
        inside = place[4] if (place := self._place(path)[0]) is not None else None
        if inside.__class__ is str:
            return _plain_info(inside)
        return inside if inside.__class__ is ScalarInfo else None

    def span(self, path: Path) -> Span | None:
        """The best span for a path: its value, else its nearest parent's."""
        _, nearest = self._place(path)
        return _span(self.file, nearest[2], nearest[3]) if nearest[2] is not None else None

    def key_span(self, path: Path) -> Span | None:
        place, nearest = self._place(path)
        if place is not None and place[0] is not None:
            return _span(self.file, place[0], place[1])
        return _span(self.file, nearest[2], nearest[3]) if nearest[2] is not None else None


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += ("." if out else "") + part
        else:
            out += f'["{part}"]' if out else f'"{part}"'
    return out


def _span(file: str, start: Any, end: Any) -> Span:
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)
