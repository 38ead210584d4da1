"""Diagnostics: every problem found in a spec, with where it is and how to fix it.

Errors are collected, never raised one at a time (as sqlc's multierr), so a
user sees everything wrong with a file in one run.  One formatter prints them
as ``file:line:col: error[code]: message`` followed by the key path, a short
source excerpt with a caret, and a hint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .records import Value, record


@record
class Span(Value):
    """A position in a source file; line and column are 1-based."""

    file: str
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0


@record
class Diagnostic(Value):
    """One problem found: its code, message, place, key path and how to fix it."""

    code: str
    message: str
    span: Span | None = None
    path: str = ""
    hint: str = ""
    severity: str = "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        s = self.span
        return (s.file if s else "", s.line if s else 0, s.col if s else 0, self.code, self.message)


@dataclass
class Diagnostics:
    """An ordered, de-duplicated collection of diagnostics."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        span: Span | None = None,
        *,
        path: str = "",
        hint: str = "",
    ) -> None:
        diag = Diagnostic(code, message, span, path, hint)
        if diag not in self.items:
            self.items.append(diag)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for diag in other:
            if diag not in self.items:
                self.items.append(diag)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    """The option that ``word`` most likely misspells, or ''."""
    import difflib  # only a spec with errors asks

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return match[0] if match else ""


def did_you_mean(word: str, options: Iterable[str]) -> str:
    guess = closest(word, options)
    return f"did you mean {guess!r}?" if guess else ""


def _excerpt(source_lines: list[str] | None, span: Span) -> list[str]:
    if not source_lines or not (1 <= span.line <= len(source_lines)):
        return []
    text = source_lines[span.line - 1].rstrip("\n").replace("\t", " ")
    if len(text) > 200:
        text = text[:200] + "…"
    gutter = f"{span.line:>4} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * (max(span.col, 1) - 1) + "^"
    return [gutter + text, caret]


def format_diagnostic(diag: Diagnostic, source_lines: list[str] | None = None) -> str:
    """Render one diagnostic the way compilers do, for humans and for editors."""
    where = f"{diag.span.file}:{diag.span.line}:{diag.span.col}: " if diag.span else ""
    lines = [f"{where}{diag.severity}[{diag.code}]: {diag.message}"]
    if diag.path:
        lines.append(f"  at: {diag.path}")
    if diag.span is not None:
        lines.extend("  " + row for row in _excerpt(source_lines, diag.span))
    if diag.hint:
        lines.append(f"  hint: {diag.hint}")
    return "\n".join(lines)


def format_all(diags: list[Diagnostic], sources: dict[str, list[str]] | None = None) -> str:
    sources = sources or {}
    body = "\n".join(
        format_diagnostic(d, sources.get(d.span.file) if d.span else None) for d in diags
    )
    count = len(diags)
    return f"{body}\n{count} error{'s' if count != 1 else ''} found\n"
