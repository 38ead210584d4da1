"""Repair a copy of the data so that every problem is found in one run.

pydantic stops a spec at its first layer of shape errors, and does not look
inside a key it does not know: a typo'd key, a missing ``version`` or a
``nullable: yes`` would hide everything else (errors inside the typo'd key,
an unknown type, a bad default, an unknown table) until it is fixed.  After
the shape errors are reported, a copy of the data is repaired and validated
again (the shape errors it reveals are reported too), until the models
accept it and the resolver can check its meaning.

* a key that misspells a key valid in its place, absent there (``colums``
  for ``columns``), is renamed, and a key written one level off (``on_delete``
  beside ``references:``) is moved into place, so their contents are checked;
  any other unknown key is dropped;
* a bad optional value is dropped; a boolean written as a YAML 1.1 word
  (``yes``, ``off``) is read as the boolean it spells;
* a missing or bad required value is replaced by an empty one (``version``
  by 1), and the meaning errors at and under that place are *follow-ons*
  (a column without a type cannot have a valid default).

What was replaced or dropped is recorded; followon.py turns it into the
meaning errors to drop, so no error is reported that fixing a real one would
remove.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from ..diagnostics import closest
from ..source import Path
from .places import Walk, field_of, fields, is_model, members, required, walk
from .shape import SPLIT_TYPE, as_written, free_homes, value_at

_BOOLEAN_WORDS = {"yes": True, "on": True, "true": True, "no": False, "off": False, "false": False}


@dataclass(eq=False, repr=False)
class Repair:
    data: Any
    moved: dict[Path, Path] = field(default_factory=dict)  # new path -> path as written
    follow_ons: list[Path] = field(default_factory=list)  # meaning errors here are not real
    changed: list[Path] = field(default_factory=list)  # values dropped or replaced (followon.py)


def moves(errors: list[dict[str, Any]], data: Any) -> dict[Path, Path]:
    """Unknown keys to read under another name or place: new path -> old path."""
    out: dict[Path, Path] = {}
    for err in errors:
        if err["type"] != "extra_forbidden":
            continue
        w: Walk = err["walk"]
        key = w.path[-1]
        model, at = w.place
        node = value_at(data, at)
        if not isinstance(node, dict) or not isinstance(key, str) or SPLIT_TYPE.fullmatch(key):
            continue
        absent = [f for f in fields(model) if f not in node and at + (f,) not in out]
        guess = closest(key, absent)
        found = free_homes(key, w, data)
        if guess and not found:
            out[at + (guess,)] = w.path
            continue
        for home in found:
            target = value_at(data, home.path) if home.exact else None
            if target is None and home.exact and not required(home.model):
                target = {}  # 'postgres:' not written yet: moving creates it, it needs nothing else
            if isinstance(target, dict) and key not in target and home.path + (key,) not in out:
                out[home.path + (key,)] = w.path
                break
    return out


def empty(annotation: Any) -> Any:
    """The smallest value the models accept for a declared type."""
    option = members(annotation)[0]
    if is_model(option):
        return {
            name: empty(f.annotation) for name, f in option.model_fields.items() if f.is_required()
        }
    origin = get_origin(option)
    if origin is dict or option is dict:
        return {}
    if origin is list or option is list:
        return []
    if origin is Literal:
        return get_args(option)[0]
    if option is bool:
        return False
    if option in (int, float):
        return 0
    if option is str:
        return ""
    return None


def _reachable(data: Any, path: Path) -> Path:
    """The longest prefix of ``path`` that exists in ``data``."""
    node = data
    for i, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return path[:i]
    return path


def _set(data: Any, path: Path, value: Any) -> None:
    parent = value_at(data, path[:-1])
    parent[path[-1]] = value


def repair(errors: list[dict[str, Any]], data: Any, moved: dict[Path, Path]) -> Repair:
    """A copy of ``data`` without the errors (``moved`` as ``moves`` computed)."""
    fixed = copy.deepcopy(data)
    out = Repair(fixed, dict(moved))
    for new, old in moved.items():
        if value_at(fixed, new[:-1]) is None:
            _set(fixed, new[:-1], {})
        _set(fixed, new, value_at(fixed, old[:-1]).pop(old[-1]))
    for err in errors:
        w: Walk = err["walk"]
        path = w.path
        if err["type"] == "extra_forbidden":
            if path in moved.values():
                continue
            node = value_at(fixed, path[:-1])
            if isinstance(node, dict):
                node.pop(path[-1], None)
            if SPLIT_TYPE.fullmatch(str(path[-1])):  # the type before the comma is cut short
                out.follow_ons.append(w.place[1])
                out.changed.append(w.place[1] + ("type",))
            continue
        if path in moved:
            continue
        written = as_written(w, fixed)
        if written != path:  # inside a shorthand ('status: [a, 1]'): the item as written
            _set(fixed, written, empty(w.annotation))
            out.follow_ons.extend((written, path))
            out.changed.append(written)
            continue
        reach = _reachable(fixed, path[:-1])
        if reach != path[:-1]:  # inside a shorthand ('status: [a, 1]'): replace the whole of it
            _set(fixed, reach, empty(walk(reach).annotation))
            out.follow_ons.append(reach)
            out.changed.append(reach)
            continue
        if err["type"] == "missing":
            _set(fixed, path, 1 if path == ("version",) else empty(w.annotation))
            if w.place[1]:
                out.follow_ons.append(w.place[1])
                out.changed.append(path)
            continue
        value = value_at(fixed, path)
        if path == ("version",):
            fixed["version"] = 1
        elif (
            isinstance(value, str)
            and value.lower() in _BOOLEAN_WORDS
            and bool in members(w.annotation)
        ):
            _set(fixed, path, _BOOLEAN_WORDS[value.lower()])
        elif w.is_field and _optional(w.place[0], str(path[-1])):
            del value_at(fixed, path[:-1])[path[-1]]
            out.changed.append(path)
        else:
            _set(fixed, path, empty(w.annotation))
            out.follow_ons.append(w.place[1] if w.is_field and w.place[1] else path)
            out.changed.append(path)
    return out


def _optional(model: type[BaseModel], key: str) -> bool:
    found = field_of(model, key)
    return found is not None and not found.is_required()
