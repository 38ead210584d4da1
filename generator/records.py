"""The package's immutable records: ``@record`` classes, and ``Value`` semantics.

    @record
    class Column(Value):
        name: str
        ...

``@record`` makes a dataclass that the type checker holds read-only (PEP 681's
``frozen_default``): mypy, which checks all of ``generator/`` in strict mode
in the test suite (tests/test_lint.py), refuses any assignment to a field
after construction, as it would for ``@dataclass(frozen=True)``.  At run time
the class is a plain dataclass, without ``frozen=True``'s guards, because of
what they cost on Python 3.11:

- ``dataclasses`` writes every method it adds as source and compiles it with
  ``exec``, some 90 µs a method.  A frozen class with ``eq`` and ``repr``
  gets six.  Compiling them for the ~45 records a ``generate`` run imports
  was 7% of the instructions of a run on the repository's spec (callgrind:
  125 M of 1,706 M, with ``Value``'s share).
- A frozen ``__init__`` sets each field through ``object.__setattr__``: five
  times slower than plain assignments (1.5 µs against 0.27 µs for 15
  fields), paid for every column of a 1,000-table spec.

``Value`` gives a record value semantics with three methods written once,
instead of compiled per class: instances are equal when their classes are the
same and their fields with ``compare=True`` are equal; the hash is of the
fields ``hash=`` (or, unset, ``compare=``) selects, so equal values hash
alike; the repr names the class and the fields with ``repr=True``.  These are
the dataclass rules.  A record without ``Value`` compares and hashes by
identity.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")
_Getter = Callable[[Any], Any]


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(*, kw_only: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(
    cls: type[_T] | None = None, /, *, kw_only: bool = False
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """A dataclass, read-only to the type checker; ``kw_only`` as dataclass's."""
    make = dataclass(eq=False, repr=False, kw_only=kw_only)
    return make if cls is None else make(cls)


# Per class, the attrgetters of its compared, hashed and shown fields, made at
# the first use: ``fields()`` can only be read after the decorator has run.
_compared: dict[type, _Getter] = {}
_hashed: dict[type, _Getter] = {}
_shown: dict[type, tuple[str, ...]] = {}


def _getter(names: list[str]) -> _Getter:
    """The fields' values as one tuple (attrgetter of one name returns the bare value)."""
    if len(names) == 1:
        only = attrgetter(names[0])
        return lambda value: (only(value),)
    return attrgetter(*names) if names else lambda value: ()


def _learn(cls: type) -> None:
    every = fields(cls)
    _compared[cls] = _getter([f.name for f in every if f.compare])
    _hashed[cls] = _getter([f.name for f in every if (f.compare if f.hash is None else f.hash)])
    _shown[cls] = tuple(f.name for f in every if f.repr)


class Value:
    """Equality, hash and repr of a ``@record`` from its fields, as a dataclass's."""

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
