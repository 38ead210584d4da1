"""Which model applies at a key path, read from the models themselves.

A *place* is one mapping of the spec that a model describes: the top level
(``Spec``), a table (``TableSpec`` at ``tables.<name>``), a column, a
reference...  Knowing the place of an unknown key lets the hints name only the
keys valid there, and find the place one level up or down where a misplaced
key belongs (``on_delete`` beside ``references:`` instead of inside it).

Nothing here is written per model: a field added to a model is known here at
once.  pydantic's error locations also name the branch of a union they came
from (``checks[0].CheckSpec.sql``); ``walk`` tells those tags from keys.
"""

from __future__ import annotations

import re
import types
from functools import cache
from typing import Any, TypeGuard, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..records import Value, record
from ..source import Path
from .models import Spec


def members(annotation: Any) -> list[Any]:
    """The alternatives of a union, without None; ``[annotation]`` otherwise."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def tag(annotation: Any) -> str:
    """The name pydantic gives a union member in an error location (``list[str]``
    for a generic, whose ``__name__`` would be only ``list``)."""
    if get_origin(annotation) is not None:
        return str(annotation)
    return getattr(annotation, "__name__", None) or str(annotation)


def is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@record
class Walk(Value):
    path: Path  # the data path: the location without union tags
    above: tuple[tuple[type[BaseModel], Path], ...]  # models around the node, innermost last
    annotation: Any  # what the node is declared as (None: not a known key)
    union: tuple[Path, Any, str] | None = None  # (data path, declared union, branch) if tagged

    @property
    def place(self) -> tuple[type[BaseModel], Path]:
        """The innermost model around the node: where an unknown key was written."""
        return self.above[-1]

    @property
    def parent(self) -> tuple[type[BaseModel], Path] | None:
        return self.above[-2] if len(self.above) > 1 else None

    @property
    def is_field(self) -> bool:
        """The node is a key of a model (not an entry of a mapping or a list)."""
        return self.above[-1][1] == self.path[:-1]


def walk(loc: tuple[Any, ...], root: type[BaseModel] = Spec) -> Walk:
    """Follow a pydantic error location (or a data path) through the models."""
    path: list[Any] = []
    above: list[tuple[type[BaseModel], Path]] = []
    annotation: Any = root
    union = None
    for part in loc:
        options = members(annotation) if annotation is not None else []
        if len(options) > 1 and any(tag(m) == part for m in options):
            union = (tuple(path), annotation, part)
            annotation = next(m for m in options if tag(m) == part)
            continue  # a union tag, not a key of the data
        node = options[0] if len(options) == 1 else None
        if is_model(node):
            above.append((node, tuple(path)))
            field = field_of(node, part) if isinstance(part, str) else None
            annotation = field.annotation if field is not None else None
        elif get_origin(node) is dict:
            annotation = get_args(node)[1]
        elif get_origin(node) is list:
            annotation = get_args(node)[0]
        else:
            annotation = None
        path.append(part)
    return Walk(tuple(path), tuple(above) or ((root, ()),), annotation, union)


def what(model: type[BaseModel]) -> str:
    """'a column', 'a foreign key', 'the top level': for messages."""
    name = model.__name__
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", re.sub(r"(Spec|Options)$", "", name)).lower()
    if not words:
        return "the top level"
    if name.endswith("Options"):
        return f"the {words} options"
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


@record
class Home(Value):
    """A place where a key is valid, relative to where it was written."""

    model: type[BaseModel]
    path: Path  # exact, or with '<name>' / '<n>' where one of several is meant
    field: str  # the key (of the place written) that leads there, '' for the parent
    exact: bool


@cache
def children(model: type[BaseModel]) -> tuple[tuple[str, type[BaseModel], str], ...]:
    """(field, child model, '' | '<name>' | '<n>') for each model one level down."""
    out: list[tuple[str, type[BaseModel], str]] = []
    for name, field in model.model_fields.items():
        for option in members(field.annotation):
            step = ""
            if get_origin(option) is dict:
                option, step = get_args(option)[1], "<name>"
            elif get_origin(option) is list:
                option, step = get_args(option)[0], "<n>"
            out.extend((name, m, step) for m in members(option) if is_model(m))
    return tuple(out)


def homes(key: str, where: Walk) -> list[Home]:
    """The places one level down, up, or beside where ``key`` is a valid key."""
    out: list[Home] = []

    def down(model: type[BaseModel], at: Path) -> None:
        for name, child, step in children(model):
            if key in child.model_fields:
                path = at + (name, step) if step else at + (name,)
                out.append(Home(child, path, name, exact=not step))

    down(*where.place)
    if where.parent is not None:
        model, at = where.parent
        if key in model.model_fields:
            out.append(Home(model, at, "", exact=True))
        before = len(out)
        down(model, at)
        out[before:] = [h for h in out[before:] if h.model is not where.place[0]]
    exact = [h for h in out if h.exact]
    return exact or out


def field_of(model: type[BaseModel], key: str) -> FieldInfo | None:
    """The field a key of the YAML names: by its name, or by its alias (``with``)."""
    found = model.model_fields.get(key)
    return found or next((f for f in model.model_fields.values() if f.alias == key), None)


def fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def required(model: type[BaseModel]) -> list[str]:
    return [name for name, f in model.model_fields.items() if f.is_required()]


def describe_kind(annotation: Any) -> str:
    """'a string or a mapping': what a union accepts, for messages."""
    names = []
    for option in members(annotation):
        if is_model(option) or get_origin(option) is dict:
            names.append("a mapping")
        elif get_origin(option) is list:
            names.append("a list")
        elif option is bool:
            names.append("true or false")
        elif option in (int, float):
            names.append("a number")
        else:
            names.append("a string")
    return " or ".join(dict.fromkeys(names))
