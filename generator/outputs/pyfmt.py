"""Python source pieces, laid out exactly as ``ruff format`` (default settings) would.

The generated modules must pass ``ruff format --check`` without the generator
ever running ruff.  We only emit a few shapes, so we lay them out the way the
formatter's stable style does: a call that fits on one line (88 columns)
stays flat; otherwise every argument goes on its own line with a trailing
comma, which ruff keeps as a "magic trailing comma".  String literals follow
ruff's quote preference; import blocks follow its isort rules.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar

LINE_LENGTH = 88  # ruff's default: the generated code is clean under default settings
# The project's line length (``outputs.line_length``), set around one render by
# ``line_length()``: a context variable rather than a parameter of every helper,
# so the modules that call these helpers need no change to honour it.
_line_length: ContextVar[int] = ContextVar("line_length", default=LINE_LENGTH)
INDENT = "    "

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def width(line: str) -> int:
    """Columns as ruff counts them: wide characters (CJK, most emoji) take two."""
    if line.isascii():  # nearly every line: skip the per-character lookup
        return len(line)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@contextlib.contextmanager
def line_length(columns: int) -> Iterator[None]:
    """Lay out the Python rendered inside this block for ``columns`` columns."""
    token = _line_length.set(columns)
    try:
        yield
    finally:
        _line_length.reset(token)


def fits(line: str) -> bool:
    return (len(line) if line.isascii() else width(line)) <= _line_length.get()


def py_str(text: str) -> str:
    """A string literal: double quotes unless that needs more escapes (ruff's rule)."""
    if text.isprintable() and '"' not in text and "'" not in text and "\\" not in text:
        return f'"{text}"'  # the common case: nothing to escape
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == quote:
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


class Call:
    """``func(arg, key=value, ...)``; with func "" a tuple, with brackets "[]" a list.

    Treated as immutable.  A plain slotted class rather than a frozen dataclass,
    and its one-line form is computed once: ``layout`` asks for it at every
    level of nesting, and a 1,000-table spec builds some 40,000 of these.
    """

    __slots__ = ("func", "args", "brackets", "_flat")

    def __init__(
        self, func: str, args: tuple[tuple[str, str | Call], ...], brackets: str = "()"
    ) -> None:
        self.func = func
        self.args = args  # (keyword or "", rendered value or Call)
        self.brackets = brackets
        self._flat: str | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Call):
            return NotImplemented
        return (self.func, self.args, self.brackets) == (other.func, other.args, other.brackets)

    def __hash__(self) -> int:
        return hash((self.func, self.args, self.brackets))

    def __repr__(self) -> str:
        return f"Call(func={self.func!r}, args={self.args!r}, brackets={self.brackets!r})"

    def flat(self) -> str:
        if self._flat is None:
            parts = [
                (f"{k}=" if k else "") + (v if v.__class__ is str else v.flat())  # type: ignore[union-attr]
                for k, v in self.args
            ]
            inner = ", ".join(parts)
            if self.func == "" and self.brackets == "()" and len(parts) == 1:
                inner += ","  # a one-element tuple
            self._flat = f"{self.func}{self.brackets[0]}{inner}{self.brackets[1]}"
        return self._flat


def call(func: str, *args: str | Call, **kwargs: str | Call | None) -> Call:
    """Build a Call; keyword arguments that are None are left out."""
    items: list[tuple[str, str | Call]] = [("", a) for a in args]
    items += [(k, v) for k, v in kwargs.items() if v is not None]
    return Call(func, tuple(items))


def layout(value: str | Call, indent: str, prefix: str = "", suffix: str = "") -> list[str]:
    """Lines for ``prefix + value + suffix`` at ``indent``, split the way ruff splits."""
    if not isinstance(value, Call):
        return [indent + prefix + value + suffix]
    flat = indent + prefix + value.flat() + suffix
    if fits(flat) or not value.args:
        return [flat]
    inner = indent + INDENT
    lines = [indent + prefix + value.func + value.brackets[0]]
    for key, arg in value.args:
        if arg.__class__ is str:  # most arguments: their one line, without a call of layout
            lines.append(f"{inner}{key}={arg}," if key else f"{inner}{arg},")
        else:
            lines += layout(arg, inner, f"{key}=" if key else "", ",")
    lines.append(indent + value.brackets[1] + suffix)
    return lines


def assign(target: str, annotation: str, value: str | Call, indent: str) -> list[str]:
    """``target: annotation = value`` as ruff lays it out when the head is too long.

    Ruff first splits the call on the right; if even its first line does not
    fit, it wraps the value (a call, or even ``None``) in parentheses; if that does not fit either, it
    splits the annotation (``Mapped[`` ... ``] = ``, or ``(`` ... ``) = ``).
    """
    prefix = f"{target}: {annotation} = "
    # Most fields fit on one line: try that first, as ``layout`` would.
    flat = indent + prefix + (value if value.__class__ is str else value.flat())  # type: ignore[union-attr]
    if fits(flat):
        return [flat]
    lines = layout(value, indent, prefix)
    if fits(lines[0]):
        return lines
    if fits(f"{indent}{prefix}("):
        return [f"{indent}{prefix}(", *layout(value, indent + INDENT), f"{indent})"]
    if annotation.endswith("]"):
        outer, _, inner = annotation.partition("[")
        opening, closing, annotation = f"{outer}[", "]", inner[:-1]
    else:
        opening, closing = "(", ")"
    return [
        f"{indent}{target}: {opening}",
        f"{indent}{INDENT}{annotation}",
        *layout(value, indent, f"{closing} = "),
    ]


def _docstring_body(text: str) -> str:
    if '"' not in text and "\\" not in text and text.replace("\n", "").isprintable():
        return text  # the common case: nothing to escape
    out = []
    for i, ch in enumerate(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"' and (i + 1 == len(text) or text[i + 1] == '"'):
            out.append('\\"')  # never three quotes in a row, never one before the closing ones
        elif ord(ch) < 0x20 and ch != "\n":
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def docstring(text: str, indent: str) -> list[str]:
    """A docstring, long lines wrapped; ruff leaves these exactly as they are.

    Ruff puts the closing quotes of a one-line docstring on that line however
    long it is, so a line that does not fit with its quotes is wrapped in two.
    """
    room = _line_length.get() - len(indent) - 3  # room for the opening quotes
    lines: list[str] = []
    for para in text.strip().splitlines():
        para = para.rstrip()
        lines += _wrap(para, room) if width(para) > room else [para]
    if len(lines) == 1 and width(lines[0]) + 3 > room:
        lines = _wrap(lines[0], len(lines[0]) - 1)
    body = [_docstring_body(line) for line in lines] or [""]
    if len(body) == 1:
        return [f'{indent}"""{body[0]}"""']
    out = [f'{indent}"""{body[0]}']
    out += [(indent + line) if line else "" for line in body[1:]]
    out.append(f'{indent}"""')
    return out


def _wrap(text: str, width: int) -> list[str]:
    import textwrap  # only long docstrings need it

    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


# -- imports (ruff's isort: stdlib, then third party; 'import x' before 'from x import') --
_STDLIB = {"datetime", "decimal", "enum", "ipaddress", "types", "typing", "uuid", "collections.abc"}


def _member_key(name: str) -> tuple[int, str]:
    # order-by-type: CONSTANTS, then Classes, then functions/variables
    if len(name) > 1 and name.isupper():
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return rank, name


def import_lines(imports: set[tuple[str, str]]) -> list[str]:
    """Import statements for (module, name) pairs; name "" means ``import module``."""
    out: list[str] = []
    for third_party in (False, True):
        group = {(m, n) for m, n in imports if (m.split(".")[0] not in _STDLIB) == third_party}
        if not group:
            continue
        if out:
            out.append("")
        out += [f"import {m}" for m, n in sorted(group) if not n]
        for module in sorted({m for m, n in group if n}):
            names = sorted((n for m, n in group if m == module and n), key=_member_key)
            flat = f"from {module} import {', '.join(names)}"
            if fits(flat):
                out.append(flat)
            else:
                out += [f"from {module} import (", *(f"{INDENT}{n}," for n in names), ")"]
    return out
