"""What pull could not carry into the spec, or carried differently, in words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Note:
    """One object the spec does not reproduce exactly.

    ``action`` is ``left out`` (the spec does not have it) or ``changed`` (the
    spec has a close equivalent, said in ``detail``).
    """

    action: str
    kind: str  # 'view', 'function', 'table', 'column', 'constraint', ...
    name: str  # qualified where it helps: 'public.orders.total'
    detail: str

    def line(self) -> str:
        return f"{self.action}: {self.kind} {self.name}: {self.detail}"


def header(notes: list[Note]) -> str:
    """The comment block at the top of a pulled spec (empty when complete)."""
    if not notes:
        return ""
    lines = [
        "# schemagen pull: this spec does not reproduce the database exactly.",
        f"# {len(notes)} object(s) left out or changed (write them by hand or in migrations):",
    ]
    for note in sorted(notes):
        text = note.line().replace("\n", " ")
        lines.append(f"#   {text}")
    return "\n".join(lines) + "\n"
