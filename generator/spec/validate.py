"""Check the data against the models and report every shape error.

Validation, reporting and repair go round until the models accept the data
(a repaired key can reveal the errors inside it), at most a few times: each
round looks one level deeper into keys that were misspelt or misplaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..diagnostics import Diagnostic, Diagnostics
from ..source import Document
from .models import Spec

if TYPE_CHECKING:
    from .followon import FollowOns

MAX_ROUNDS = 8  # a spec nests about six levels deep


@dataclass(eq=False, repr=False)
class Validated:
    """The spec's pydantic model, and whether it is a repaired copy."""

    spec: Spec | None  # None: the data could not be made valid
    follow_ons: FollowOns | None = None  # set when the spec is a repaired copy

    @property
    def repaired(self) -> bool:
        """The spec is a repaired copy: resolve it only to report its errors."""
        return self.follow_ons is not None

    def is_follow_on(self, diag: Diagnostic) -> bool:
        """A meaning error that a repair caused (see followon.py)."""
        return self.follow_ons is not None and self.follow_ons.covers(diag)


def validate(doc: Document, diags: Diagnostics) -> Validated:
    data = doc.data
    if not isinstance(data, dict):
        from .shape import describe

        diags.add(
            "invalid-value",
            f"the spec must be a mapping, got {describe(data)}",
            doc.span(()),
            hint="start with 'version: 1' and a 'tables:' mapping",
        )
        return Validated(None)
    out = Validated(None)
    for _ in range(MAX_ROUNDS):
        try:
            out.spec = Spec.model_validate(data)
            if out.follow_ons is not None:
                out.follow_ons.settle(data)
            return out
        except ValidationError as exc:
            # only a spec with errors pays for importing the reporting and repair
            from .followon import FollowOns
            from .repair import moves, repair
            from .shape import normalise, report

            errors = normalise([dict(e) for e in exc.errors(include_url=False)], data)
        moved = moves(errors, data)
        report(errors, moved, data, doc, diags)
        fixed = repair(errors, data, moved)
        doc.renamed.update(fixed.moved)
        out.follow_ons = out.follow_ons or FollowOns()
        out.follow_ons.paths.extend(fixed.follow_ons)
        out.follow_ons.changed.extend(fixed.changed)
        data = fixed.data
    return Validated(None)
