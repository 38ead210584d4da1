"""Keep validating past unknown keys, so one run reports every problem.

pydantic stops a spec with any shape error, so a typo'd key (``nulable``)
would hide every semantic error (a bad default, an unknown table) until it is
fixed.  An unknown key carries no meaning, so dropping it cannot invent new
errors: when those are pydantic's only complaints, we validate again without
them and let the resolver look at the rest.  Any other shape error (a wrong
kind of value, a missing key) still stops here, because guessing a value
would invent follow-on errors.
"""

from __future__ import annotations

import copy
import re
from typing import Any


def without_unknown_keys(errors: list[Any], data: Any) -> Any | None:
    """``data`` minus the unknown keys, or None when there are other errors."""
    if not errors or any(e["type"] != "extra_forbidden" for e in errors):
        return None
    if any(re.fullmatch(r"\s*[0-9]+\s*\)", str(e["loc"][-1])) for e in errors):
        # {type: numeric(5,2)} split at the comma: the key is half a type, and
        # the truncated type would only add a second, confusing error
        return None
    pruned = copy.deepcopy(data)
    for err in errors:
        *parents, key = err["loc"]
        node = pruned
        for part in parents:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        if not isinstance(node, dict) or key not in node:
            return None
        del node[key]
    return pruned
