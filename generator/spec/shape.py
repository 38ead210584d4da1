"""pydantic's errors as positioned diagnostics, with hints that fit the place.

An unknown key is matched only against the keys valid where it was written;
a key that is valid one level up or down (``on_delete`` beside
``references:``) is told where to go instead of being offered itself.
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args, get_origin

from ..diagnostics import Diagnostics, Span, closest
from ..source import Document, Path, format_path
from .places import (
    Home,
    Walk,
    children,
    describe_kind,
    fields,
    homes,
    is_model,
    members,
    required,
    tag,
    walk,
    what,
)

# {type: numeric(12,2)}: inside a flow mapping the comma ends the value.
SPLIT_TYPE = re.compile(r"\s*[0-9]+\s*\)")


def describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def value_at(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def as_written(w: Walk, data: Any) -> Path:
    """The path as written: a shorthand (``status: [a, b]`` for ``{values: [a, b]}``,
    ``id: uuid`` for ``{type: uuid}``) has no key for its one required field."""
    path = w.path
    for model, at in w.above:
        short = required(model)
        inside = len(path) > len(at) and len(short) == 1 and path[len(at)] == short[0]
        node = value_at(data, at) if inside else None
        if node is not None and not isinstance(node, dict):
            return at + path[len(at) + 1 :]
    return path


def _kind_fits(value: Any, branch: Any) -> bool:
    option = members(branch)[0]
    origin = getattr(option, "__origin__", None)
    if isinstance(value, dict):
        return is_model(option) or origin is dict
    if isinstance(value, list):
        return origin is list
    return option is type(value)


def normalise(errors: list[dict[str, Any]], data: Any) -> list[dict[str, Any]]:
    """Errors with data paths: union tags removed, and a value that fits no
    branch of a union reported once (not once per branch)."""
    out: list[dict[str, Any]] = []
    folded: set[Path] = set()
    for err in errors:
        w = walk(tuple(err["loc"]))
        if w.union is not None:
            at, declared, branch = w.union
            value = value_at(data, at)
            fitting = [m for m in members(declared) if _kind_fits(value, m)]
            if not fitting:
                if at not in folded:
                    folded.add(at)
                    out.append(
                        {"type": "union_kind", "walk": walk(at), "input": value, "union": declared}
                    )
                continue
            if not any(tag(m) == branch for m in fitting):
                continue  # the error of a branch the value was never meant for
        out.append({**err, "walk": w})
    return out


def free_homes(key: str, w: Walk, data: Any) -> list[Home]:
    """The places ``key`` could move to, less those where it is already written."""
    out = []
    for home in homes(key, w):
        target = value_at(data, home.path) if home.exact else None
        if not (isinstance(target, dict) and key in target):
            out.append(home)
    return out


def _where(home: Home) -> str:
    path = home.path
    if not path:
        return "at the top level"
    if path[-1] == "<n>":
        return f"into an entry of {format_path(path[:-1])}"
    if path[-1] == "<name>":
        return f"into {what(home.model)} under {format_path(path[:-1])}"
    return f"under {format_path(path)}"


def _move_hint(key: str, found: list[Home], w: Walk, data: Any, doc: Document) -> str:
    home = found[0]
    hint = f"move it {_where(home)}"
    target = value_at(data, home.path) if home.exact else None
    short = required(home.model)
    if isinstance(target, str) and len(short) == 1:  # 'references: users.id', the shorthand
        raw = doc.scalar(w.path)
        value = raw.raw if raw is not None else value_at(data, w.path)
        hint += f", written as a mapping: {home.field}: {{{short[0]}: {target}, {key}: {value}}}"
    others = [_where(h) for h in found[1:]]
    return hint + "".join(f", or {o}" for o in others)


def _unknown_key(
    w: Walk, moves: dict[Path, Path], data: Any, doc: Document, diags: Diagnostics
) -> None:
    key = str(w.path[-1])
    model, _ = w.place
    span = doc.key_span(w.path)
    at = format_path(w.path)
    if SPLIT_TYPE.fullmatch(key):
        message = "a type's parameters were split at the comma inside {...}"
        hint = "quote the type: type: 'numeric(12,2)', or use the block form"
        diags.add("unknown-key", message, span, path=at, hint=hint)
        return
    renamed = [new for new, old in moves.items() if old == w.path]
    if renamed and renamed[0][:-1] == w.path[:-1]:  # read as the key it misspells
        hint = f"did you mean {renamed[0][-1]!r}?"
        diags.add("unknown-key", f"unknown key {key!r}", span, path=at, hint=hint)
        return
    found = free_homes(key, w, data)
    if found:
        message = f"{key!r} is not a key of {what(model)}"
        diags.add(
            "misplaced-key", message, span, path=at, hint=_move_hint(key, found, w, data, doc)
        )
        return
    guess = closest(key, fields(model))
    if guess:
        hint = f"did you mean {guess!r}?"
    else:
        nearby = {k for h in _around(w) for k in fields(h)}
        guess = closest(key, sorted(nearby), cutoff=0.8)  # elsewhere, only a near miss
        elsewhere = free_homes(guess, w, data) if guess else []
        if elsewhere:
            hint = f"did you mean {guess!r}? it goes {_where(elsewhere[0])}"
        else:
            hint = f"remove it; the keys of {what(model)} are: {', '.join(fields(model))}"
    diags.add("unknown-key", f"unknown key {key!r}", span, path=at, hint=hint)


def _around(w: Walk) -> list[Any]:
    models = [child for _, child, _ in children(w.place[0])]
    if w.parent is not None:
        models.append(w.parent[0])
        models.extend(child for _, child, _ in children(w.parent[0]))
    return [m for m in models if m is not w.place[0]]


def report(
    errors: list[dict[str, Any]],
    moves: dict[Path, Path],
    data: Any,
    doc: Document,
    diags: Diagnostics,
) -> None:
    """Add one diagnostic per error (``errors`` as ``normalise`` returns them)."""
    for err in errors:
        w: Walk = err["walk"]
        loc = w.path
        kind = err["type"]
        value = err.get("input")
        if kind == "extra_forbidden":
            _unknown_key(w, moves, data, doc, diags)
            continue
        if kind == "missing":
            if loc in moves:  # 'colums:' is reported as an unknown key ("did you mean 'columns'?")
                continue
            key = str(loc[-1])
            parent = loc[:-1]
            only = get_args(w.annotation) if get_origin(w.annotation) is Literal else ()
            diags.add(
                "missing-key",
                f"missing required key {key!r}",
                doc.key_span(parent) if parent else Span(doc.file, 1, 1),
                path=format_path(loc),
                hint=f"add '{key}: {only[0]}'" if len(only) == 1 else f"add '{key}:'",
            )
            continue
        loc = as_written(w, data)
        scalar = doc.scalar(loc)
        hint = ""
        if kind == "union_kind":
            expected = describe_kind(err["union"])
            message = f"expected {expected}, got {describe(value)}"
            hint = f"write {expected} here"
        elif kind == "bool_type":
            message = f"expected true or false, got {describe(value)}"
            hint = "write true or false"
            if scalar and scalar.ambiguous:
                hint = f"{scalar.raw!r} is not a boolean in YAML 1.2; write true or false"
            elif scalar and not scalar.plain and value in ("true", "false"):
                hint = f"remove the quotes: write {value}"
        elif kind == "string_type":
            message = f"expected a string, got {describe(value)}"
            raw = scalar.raw if scalar else value
            hint = f"quote it: '{raw}'" if scalar else "write a string here"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = f"expected a mapping, got {describe(value)}"
            hint = "write 'key: value' pairs here, indented under this key"
        elif kind == "list_type":
            message = f"expected a list, got {describe(value)}"
            hint = "write a list, e.g. [a, b]"
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{describe(value)} is not a valid {loc[-1]}"
            options = re.findall(r"'([^']*)'", expected)
            guess = closest(value, options) if isinstance(value, str) else ""
            hint = (
                f"did you mean {guess!r}? expected {expected}" if guess else f"expected {expected}"
            )
        else:
            message = err["msg"]
        diags.add("invalid-value", message, doc.span(loc), path=format_path(loc), hint=hint)
