"""Pairing old objects with new ones: by name, by a ``renamed_from`` hint, or by definition.

Tables, columns, enums and labels hold data, so a rename is never guessed: a
drop and an add of the same kind without a hint is an error that says which
line to add.  Constraints and indexes hold none, so one whose definition is
unchanged under another name (a renamed table's ``users_pkey``) is renamed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..diagnostics import Diagnostics, Span
from ..records import Value, record
from .hints import Hint

T = TypeVar("T")


class DiffError(Exception):
    """The two models cannot be compared as written; ``diagnostics`` say what to add."""

    def __init__(self, diagnostics: list[Any]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s) comparing the schemas")
        self.diagnostics = diagnostics


@record
class Where(Value):
    span: Span | None
    path: str  # key path of the new object in the spec


@dataclass
class Matcher:
    diags: Diagnostics
    first: bool  # no old model: there is nothing a hint could name
    confirm_drops: bool

    def names(
        self,
        what: str,
        old: Sequence[str],
        new: Sequence[str],
        hint: Callable[[str], Hint | None],
        where: Callable[[str], Where],
        context: str = "",
        advice: Callable[[str, str, str], str] = (
            lambda new, old, path: f"add `renamed_from: {old}` under {path}"
        ),
    ) -> dict[str, str]:
        """new name -> old name for every new object that existed before."""
        # Hints first: ``b`` renamed to ``c`` and a new ``b`` added is a rename and an add.
        pairs: dict[str, str] = {}
        for n in new:
            h = hint(n)
            if h is None or n in old:
                continue  # an applied hint (the old model has the new name) has no effect
            if h.value in old and h.value not in pairs.values():
                pairs[n] = h.value
            elif not self.first:
                choices = ", ".join(repr(x) for x in old if x not in new) or "none"
                self.diags.add(
                    "bad-hint",
                    f"renamed_from {h.value!r} names no {what} of the old schema{context}",
                    h.span,
                    path=h.path,
                    hint=f"{what}s there without a match: {choices}",
                )
        taken = set(pairs.values())
        pairs.update({n: n for n in new if n in old and n not in taken})
        added = [n for n in new if n not in pairs]
        dropped = [o for o in old if o not in pairs.values()]
        if added and dropped and not self.confirm_drops:
            gone = ", ".join(repr(d) for d in dropped)
            for n in added:
                w = where(n)
                self.diags.add(
                    "rename-or-drop",
                    f"{what} {n!r} is new and {what} {gone} is gone{context}: a rename or a drop?",
                    w.span,
                    path=w.path,
                    hint=(
                        f"if {n!r} is {dropped[0]!r} renamed, {advice(n, dropped[0], w.path)}; "
                        "if the drop is meant, pass --confirm-drops"
                    ),
                )
        return pairs


@dataclass
class Paired(Generic[T]):
    same: list[tuple[T, T]]  # (old, new), definition equal (names may differ)
    dropped: list[T]
    added: list[T]


def pair(
    old: Sequence[T],
    new: Sequence[T],
    old_def: Callable[[T], object],
    new_def: Callable[[T], object],
    name: Callable[[T], str],
    hint: Callable[[T], str | None] = lambda _: None,
) -> Paired[T]:
    """Match constraints or indexes: by name or hint with equal definitions, then by definition."""
    left = list(old)
    same: list[tuple[T, T]] = []
    pending: list[T] = []
    for n in new:
        wanted = {name(n), hint(n)}
        m = next((x for x in left if name(x) in wanted and old_def(x) == new_def(n)), None)
        if m is None:
            pending.append(n)
            continue
        left.remove(m)
        same.append((m, n))
    added: list[T] = []
    for n in pending:
        m = next((x for x in left if old_def(x) is not None and old_def(x) == new_def(n)), None)
        if m is None:
            added.append(n)
        else:
            left.remove(m)
            same.append((m, n))
    return Paired(same, left, added)
