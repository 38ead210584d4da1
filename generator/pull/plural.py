"""English plurals for collection names (``Artist.albums``), the inverse of naming.singular."""

from __future__ import annotations

from ..naming import singular

_IRREGULAR = {"person": "people", "child": "children", "man": "men", "woman": "women"}
_SAME = {
    "staff",
    "data",
    "media",
    "content",
    "metadata",
    "information",
    "news",
    "series",
    "species",
    "status",
    "equipment",
    "software",
    "feedback",
}


def plural(word: str) -> str:
    head, _, last = word.rpartition("_")
    lower = last.lower()
    if singular(last) != last or lower in _SAME or last[-1:].isdigit():
        out = last
    elif lower in _IRREGULAR:
        out = _IRREGULAR[lower]
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        out = last[:-1] + "ies"
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        out = last + "es"
    else:
        out = last + "s"
    return f"{head}_{out}" if head else out
