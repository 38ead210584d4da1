"""Names in the generated schema.ts: properties, column references, unique variables."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..model import Column, Table
from . import tsfmt as ts

# JavaScript's reserved words (and a few globals): never a variable name.
_RESERVED = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "let",
        "static",
        "implements",
        "interface",
        "package",
        "private",
        "protected",
        "public",
        "await",
        "arguments",
        "eval",
        "undefined",
    ]  # noqa: SIM905 - a list literal would be 50 lines
)
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


# A NamedTuple, not a frozen dataclass: creating a dataclass is ~3.5 M instructions
# (about 1 ms) of every run; a NamedTuple ~0.7 M.
class Block(NamedTuple):
    doc: tuple[str, ...]  # JSDoc lines (without the comment markers' indentation)
    code: str


def key(name: str) -> str:
    """An object key: bare when it is an identifier, else quoted."""
    return name if _IDENT.fullmatch(name) else ts.string(name)


def prop_name(col: Column) -> str:
    """The JSON name the Pydantic models read and write (see resolve_python.json_alias)."""
    return col.json_alias or col.attr


def ref(var: str, table: Table, column: str) -> str:
    """``var.prop`` (or ``var["prop"]``) for a column of ``table``."""
    prop = prop_name(table.column(column))
    return f"{var}.{prop}" if _IDENT.fullmatch(prop) else f"{var}[{ts.string(prop)}]"


def jsdoc(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(line.rstrip().replace("*/", "*\\/") for line in text.strip().splitlines())


class Names:
    """Unique TypeScript names for schemas, enums and tables (never an import's name)."""

    def __init__(self, imports: set[str]) -> None:
        self.taken = set(imports) | _RESERVED | {"sql", "relations"}

    def claim(self, base: str, suffix: str = "") -> str:
        """``base``, else ``base + suffix`` (a table ``text`` is ``textTable``), else numbered."""
        name, n = base, 2
        if name in self.taken and suffix:
            name = base = base + suffix
        while name in self.taken:
            name, n = f"{base}{n}", n + 1
        self.taken.add(name)
        return name
