"""PostgreSQL 15's type conversion rules over the catalog (catalog.py).

Implemented from the documentation's chapter 10 (typeconv-func, typeconv-oper,
typeconv-union-case) and parse_func.c/parse_coerce.c where the text is terse:
implicit coercion through pg_cast, I/O conversion into and out of string
types, array coercion by element, polymorphic pseudo-types (anyelement,
anycompatible and their array, non-array, enum, range and multirange
kinds), variadic arguments and defaults, and candidate selection (exact
match, most exact matches, preferred types, unknown literals by category).
Types are base names; ``unknown`` is a quoted literal and ``null`` a NULL,
both of PostgreSQL's type unknown.  Spec domains arrive as their base type.
"""

from __future__ import annotations

from ..records import record
from .catalog import RANK, View, Volatility

UNKNOWN = ("unknown", "null")
ELEMENT_FAMILY = {"anyelement", "anynonarray", "anyenum", "anyarray", "anyrange", "anymultirange"}
COMPAT_FAMILY = {"anycompatible", "anycompatiblenonarray", "anycompatiblearray"}
COMPAT_FAMILY |= {"anycompatiblerange", "anycompatiblemultirange"}
POLY = ELEMENT_FAMILY | COMPAT_FAMILY
_CONTEXT = {"i": 0, "a": 1, "e": 2}


@record
class Binding:
    """What the polymorphic arguments of a call settle."""

    element: str | None = None
    range: str | None = None
    multirange: str | None = None
    compat: str | None = None
    compat_range: str | None = None
    compat_seen: bool = False

    def resolve(self, declared: str) -> str | None:
        """A declared (possibly polymorphic) type as this call makes it."""
        if declared in ("anyelement", "anynonarray", "anyenum"):
            return self.element
        if declared == "anyarray":
            return _array_of(self.element)
        if declared == "anyrange":
            return self.range
        if declared == "anymultirange":
            return self.multirange
        compat = self.compat if self.compat is not None else "text"
        if declared in ("anycompatible", "anycompatiblenonarray"):
            return compat
        if declared == "anycompatiblearray":
            return _array_of(compat)
        if declared in ("anycompatiblerange", "anycompatiblemultirange"):
            return self.compat_range
        return declared


def _array_of(element: str | None) -> str | None:
    if element is None:
        return None
    return element if element.endswith("[]") else element + "[]"


class TypeConv:
    def __init__(self, view: View) -> None:
        self.view = view

    # -- types ------------------------------------------------------------------

    def category(self, typ: str) -> tuple[str, bool]:
        if typ in UNKNOWN:
            return "X", False
        info = self.view.type(typ)
        return (info.category, info.preferred) if info is not None else ("?", False)

    def typtype(self, typ: str) -> str:
        info = self.view.type(typ)
        return info.typtype if info is not None else "?"

    def subtype(self, typ: str) -> str | None:
        info = self.view.type(typ)
        return info.subtype or None if info is not None else None

    def known(self, typ: str | None) -> bool:
        return typ is not None and (typ in UNKNOWN or self.view.type(typ) is not None)

    # -- coercion -----------------------------------------------------------------

    def coercible(self, source: str, target: str, context: str = "i") -> bool:
        """PostgreSQL's can_coerce_type for one argument (find_coercion_pathway)."""
        if source == target or source in UNKNOWN or target == "any":
            return True
        if target in POLY:
            return self._fits_poly(source, target)
        if self.view.type(target) is None or self.view.type(source) is None:
            return False
        cast = self.view.cast(source, target)
        if cast is not None:
            return _CONTEXT[cast.context] <= _CONTEXT[context]
        if source.endswith("[]") and target.endswith("[]"):
            return self.coercible(source[:-2], target[:-2], context)
        if context != "i" and self.category(target)[0] == "S":
            return True
        return context == "e" and self.category(source)[0] == "S"

    def cast_volatility(self, source: str, target: str) -> Volatility:
        """The volatility of converting a value of ``source`` to ``target``."""
        if source == target or source in UNKNOWN or target in POLY or target == "any":
            return "immutable"
        cast = self.view.cast(source, target)
        if cast is not None:
            return cast.volatility if cast.method == "f" else "immutable"
        if source.endswith("[]") and target.endswith("[]"):
            return self.cast_volatility(source[:-2], target[:-2])
        src, dst = self.view.type(source), self.view.type(target)
        if src is None or dst is None:
            return "immutable"
        return src.output if RANK[src.output] >= RANK[dst.input] else dst.input

    def _fits_poly(self, source: str, target: str) -> bool:
        array = source.endswith("[]")
        kind = self.typtype(source)
        if target in ("anyelement", "anycompatible"):
            return kind != "p"
        if target in ("anyarray", "anycompatiblearray"):
            return array
        if target in ("anynonarray", "anycompatiblenonarray"):
            return not array and kind != "p"
        if target == "anyenum":
            return kind == "e"
        if target in ("anyrange", "anycompatiblerange"):
            return kind == "r"
        return kind == "m"

    def binding(self, actual: list[str], declared: tuple[str, ...]) -> Binding | None:
        """check_generic_type_consistency: what the polymorphic arguments agree on."""
        element = rng = multi = crange = None
        compat: list[str] = []
        seen = False
        for a, d in zip(actual, declared, strict=True):
            if d not in POLY:
                continue
            seen = seen or d in COMPAT_FAMILY
            if a in UNKNOWN:
                continue
            if not self._fits_poly(a, d):
                return None
            one: str | None = None
            if d in ("anyelement", "anynonarray", "anyenum"):
                one = a
            elif d == "anyarray":
                one = a[:-2]
            elif d == "anyrange":
                if rng not in (None, a):
                    return None
                rng = a
            elif d == "anymultirange":
                if multi not in (None, a):
                    return None
                multi = a
            elif d in ("anycompatible", "anycompatiblenonarray"):
                compat.append(a)
            elif d == "anycompatiblearray":
                compat.append(a[:-2])
            else:
                r = a if d == "anycompatiblerange" else self.subtype(a)
                if crange not in (None, r):
                    return None
                crange = r
            if one is not None:
                if element not in (None, one):
                    return None
                element = one
        if multi is not None:
            r = self.subtype(multi)
            if rng not in (None, r):
                return None
            rng = r
        if rng is not None:
            sub = self.subtype(rng)
            if element not in (None, sub):
                return None
            element = sub
        if element is not None:
            if "anynonarray" in declared and element.endswith("[]"):
                return None
            if "anyenum" in declared and self.typtype(element) != "e":
                return None
        common: str | None = None
        if crange is not None:
            common = self.subtype(crange)
            if common is None or not all(self.coercible(c, common) for c in compat):
                return None
        elif compat:
            common, problem = self.common(compat)
            if problem is not None:
                return None
        if common is not None and "anycompatiblenonarray" in declared and common.endswith("[]"):
            return None
        return Binding(element, rng, multi, common, crange, seen)

    def common(self, types: list[str]) -> tuple[str | None, tuple[str, str, str] | None]:
        """select_common_type: the type CASE, COALESCE, ARRAY... resolve to, or why
        not: ("match", a, b) when a and b are of different categories, ("convert",
        a, b) when a does not convert to the chosen b (typeconv-union-case)."""
        known = [t for t in types if t not in UNKNOWN]
        if not known:
            return "text", None
        chosen = known[0]
        if all(t == chosen for t in known):
            return chosen, None
        category, preferred = self.category(chosen)
        for other in known[1:]:
            if other == chosen:
                continue
            other_category, other_preferred = self.category(other)
            if other_category != category:
                return None, ("match", chosen, other)
            if (
                not preferred
                and self.coercible(chosen, other)
                and not self.coercible(other, chosen)
            ):
                chosen, preferred = other, other_preferred
        for other in known:
            if not self.coercible(other, chosen):
                return None, ("convert", other, chosen)
        return chosen, None
