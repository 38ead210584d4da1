"""Keep validating past shape errors, so one run reports every problem.

pydantic stops a spec at its first layer of shape errors, so a typo'd key or a
``nullable: yes`` would hide every semantic error (an unknown type, a bad
default, an unknown table) until it is fixed.  After reporting the shape
errors we repair a copy of the data, only in ways that cannot invent new
problems, and let the resolver check the rest:

* an unknown key carries no meaning: it is dropped, unless it is a typo of a
  required key that is missing beside it (``colums`` for ``columns``), in
  which case it is renamed so that its contents are still checked;
* a bad value of an optional key whose default can cause no error of its own
  (an ``on_delete`` action, ``nullable``, a description...) is dropped.

Anything else (a missing ``type``, a wrong kind of value for a whole column)
stops here: guessing would produce follow-on errors that are not real.
"""

from __future__ import annotations

import copy
import difflib
import re
from typing import Any

# Optional keys whose absence is always valid and never the cause of another
# error, so a bad value can simply be dropped.
_DROPPABLE = frozenset(
    {
        "nullable",
        "on_delete",
        "on_update",
        "description",
        "default",
        "class_name",
        "relation",
        "inverse",
        "json_aliases",
        "using",
        "index",
        "include",
        "where",
        "name",
        "check",
    }
)


def _parent(data: Any, path: tuple[Any, ...]) -> Any | None:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def repaired(errors: list[Any], data: Any) -> tuple[Any, dict[Any, Any]] | None:
    """A copy of ``data`` that pydantic may accept, and the renamed key paths
    (new path -> path as written, for positions); None when it cannot be had."""
    if not errors:
        return None
    if any(re.fullmatch(r"\s*[0-9]+\s*\)", str(e["loc"][-1])) for e in errors):
        # {type: numeric(5,2)} split at the comma: the key is half a type, and
        # the truncated type would only add a second, confusing error
        return None
    fixed = copy.deepcopy(data)
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    renamed: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for err in errors:
        if err["type"] != "extra_forbidden":
            continue
        *parents, key = err["loc"]
        node = _parent(fixed, tuple(parents))
        if not isinstance(node, dict) or key not in node:
            return None
        wanted = [loc[-1] for loc in missing if loc[:-1] == tuple(parents)]
        match = difflib.get_close_matches(str(key), [str(w) for w in wanted], n=1, cutoff=0.6)
        if match:
            node[match[0]] = node.pop(key)
            renamed[(*parents, match[0])] = (*parents, key)
        else:
            del node[key]
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" or loc in renamed:
            continue
        if err["type"] == "missing" or not loc or loc[-1] not in _DROPPABLE:
            return None
        node = _parent(fixed, loc[:-1])
        if not isinstance(node, dict) or loc[-1] not in node:
            return None
        del node[loc[-1]]
    return fixed, renamed
