"""Write a spec document as YAML in the house style: short mappings on one line.

A mapping or list that fits in ``WIDTH`` columns is written in flow style
(``{type: text, nullable: true}``), anything longer as a block.  Strings are
plain when YAML 1.2 (and the YAML 1.1 habits schemagen refuses) would read them
back as the same string, else double-quoted with JSON escapes, which YAML reads
identically.  Same document, same bytes.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

WIDTH = 100

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.()\- ]*[A-Za-z0-9_.()]|[A-Za-z_]")
# words YAML 1.1 or 1.2 reads as booleans or null (schemagen refuses the 1.1 ones)
# Outside a flow collection, commas, brackets and quotes are ordinary characters
# (but not first); ':' and '#' are left out entirely rather than reasoned about.
_PLAIN_BLOCK = re.compile(r"[A-Za-z_][^\x00-\x1f:#]*[^\x00-\x20:#]|[A-Za-z_]")
_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


_ALWAYS_BLOCK = {"columns"}
# Outside YAML's printable set, or a line break to YAML 1.1 (NEL, LS, PS), or a BOM:
# escaped, so the text reads back unchanged by any YAML reader.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


class Raw(str):
    """A scalar written exactly as given (a number's digits, ``1.50``)."""


def scalar(value: Any, *, flow: bool = True) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _text(str(value), flow)


@functools.lru_cache(maxsize=65536)  # a spec repeats its types and names many times
def _text(text: str, flow: bool) -> str:
    plain = _PLAIN if flow else _PLAIN_BLOCK
    if (
        plain.fullmatch(text)
        and text.lower() not in _SPECIAL
        and "  " not in text
        and not _UNPRINTABLE.search(text)
    ):
        return text
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value)


def _block(key: str, value: Any, indent: int, out: list[str], *, top: bool = False) -> None:
    pad = "  " * indent
    head = f"{pad}{scalar(key)}:"
    if not isinstance(value, (dict, list)) or not value:
        out.append(
            f"{head} {_flow(value) if isinstance(value, (dict, list)) else scalar(value, flow=False)}"
        )
        return
    line = f"{head} {_flow(value)}"
    records = isinstance(value, list) and len(value) > 1 and isinstance(value[0], dict)
    if not top and not records and len(line) <= WIDTH:  # several records: one per line
        out.append(line)
        return
    out.append(head)
    if isinstance(value, dict):
        for k, v in value.items():
            _block(k, v, indent + 1, out, top=top and k in _ALWAYS_BLOCK)
        return
    for item in value:
        _item(item, indent + 1, out)


def _item(item: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    line = f"{pad}- {_flow(item)}"
    if len(line) <= WIDTH or not isinstance(item, (dict, list)) or not item:
        out.append(line)
        return
    if isinstance(item, list):
        out.append(f"{pad}-")
        for sub in item:
            _item(sub, indent + 1, out)
        return
    first = True
    for k, v in item.items():
        lines: list[str] = []
        _block(k, v, indent + 1, lines)
        if first:
            lines[0] = f"{pad}- " + lines[0].lstrip()
            first = False
        out.extend(lines)


def dump(doc: dict[str, Any], *, blank_between: tuple[str, ...] = ("tables",)) -> str:
    """The document as YAML text; sections in ``blank_between`` get a blank line per entry."""
    out: list[str] = []
    for key, value in doc.items():
        if key in blank_between and isinstance(value, dict) and value:
            out.append(f"{scalar(key)}:")
            for i, (k, v) in enumerate(value.items()):
                if i:
                    out.append("")
                _block(k, v, 1, out, top=True)
        else:
            _block(key, value, 0, out, top=isinstance(value, dict))
    return "\n".join(out) + "\n"
