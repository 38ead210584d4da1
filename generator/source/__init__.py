"""Load YAML with positions, strictly.

PyYAML's parser emits events (each knows its start and end mark); we build
plain Python data from them ourselves instead of using PyYAML's composer and
constructors, because the constructors are where YAML's surprises live:

* YAML 1.1 booleans and numbers (``no``, ``off``, ``0755``, ``12:30``,
  ``1_000``, dates) are kept as strings, as YAML 1.2 says, and remembered as
  *ambiguous* so a default written that way can be refused with a hint to
  quote it (never converted silently);
* duplicate keys are an error naming both lines (PyYAML keeps the last one);
* explicit tags (``!!python/object``) are refused;
* aliases are counted and capped, so a "billion laughs" file cannot blow up.

The result keeps, for every key path, the span of the key and of the value.

The package, one concern a module:

* ``loader.py``    ``load_yaml``: bytes to a ``Document``, or diagnostics
* ``builder.py``   PyYAML's events to data and places, with the limits
* ``scalars.py``   what a plain scalar means (YAML 1.2), ``ScalarInfo``
* ``document.py``  ``Document``: the data and its places; ``Path``, ``format_path``

Its names are the ones the rest of the generator imports from here.
"""

from __future__ import annotations

from .document import Document, Path, format_path
from .loader import load_yaml
from .scalars import ScalarInfo

__all__ = ["Document", "Path", "ScalarInfo", "format_path", "load_yaml"]
