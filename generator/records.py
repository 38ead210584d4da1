"""Equality, hashing and repr for the package's frozen dataclasses, written once.

On Python 3.11 ``dataclasses`` writes every method it adds as source text and
compiles it with ``exec``, some 90 µs a method.  A frozen dataclass with ``eq``
and ``repr`` gets six (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__``, ``__delattr__``), and a run of ``schemagen generate``
imports some 40 such classes (the model, the type table, the catalog's
records): compiling their methods was about a tenth of a run on the
repository's spec.  Three of the six read the fields the same way in every
class, so ``Record`` defines them once; a class declares

    @dataclass(frozen=True, eq=False, repr=False)
    class Column(Record): ...

and only ``__init__`` and the frozen guards are compiled.  The semantics are
the dataclass ones: instances are equal when their classes are the same and
their fields with ``compare=True`` are equal; the hash is of the fields
``hash=`` (or, unset, ``compare=``) selects, so equal records hash alike; the
repr names the class and the fields with ``repr=True``.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

_Getter = Callable[[Any], Any]

# Per class, the attrgetters of its compared, hashed and shown fields, made at
# the first use: ``fields()`` can only be read after the decorator has run.
_compared: dict[type, _Getter] = {}
_hashed: dict[type, _Getter] = {}
_shown: dict[type, tuple[str, ...]] = {}


def _getter(names: list[str]) -> _Getter:
    """The fields' values as one tuple (attrgetter of one name returns the bare value)."""
    if len(names) == 1:
        only = attrgetter(names[0])
        return lambda record: (only(record),)
    return attrgetter(*names) if names else lambda record: ()


def _learn(cls: type) -> None:
    every = fields(cls)
    _compared[cls] = _getter([f.name for f in every if f.compare])
    _hashed[cls] = _getter([f.name for f in every if (f.compare if f.hash is None else f.hash)])
    _shown[cls] = tuple(f.name for f in every if f.repr)


class Record:
    """Base of a frozen dataclass declared with ``eq=False, repr=False``."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        cls = self.__class__
        if other.__class__ is not cls:
            return NotImplemented
        try:
            key = _compared[cls]
        except KeyError:
            _learn(cls)
            key = _compared[cls]
        return bool(key(self) == key(other))

    def __hash__(self) -> int:
        cls = self.__class__
        try:
            key = _hashed[cls]
        except KeyError:
            _learn(cls)
            key = _hashed[cls]
        return hash(key(self))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        cls = self.__class__
        if cls not in _shown:
            _learn(cls)
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _shown[cls])
        return f"{cls.__qualname__}({shown})"
