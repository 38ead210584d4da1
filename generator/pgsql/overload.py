"""Which function or operator a call means: PostgreSQL 15's overload resolution.

typeconv-func and typeconv-oper, step by step (func_get_detail,
oper_select_candidate and func_select_candidate in the server): candidates
by name and argument count (variadic arguments expanded, defaults filled),
an exact match, then the candidates every argument converts to implicitly,
then the most exact matches, then preferred types where a conversion is
needed, then the categories of unknown literals (string first), and last the
known type assumed for the unknown ones.  The answer is the match, "missing"
or "ambiguous" (PostgreSQL's "does not exist" and "is not unique").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from ..records import Value, record
from .catalog import Func, Oper
from .typeconv import POLY, UNKNOWN, Binding, TypeConv

C = TypeVar("C", Func, Oper)


@record
class Match(Generic[C], Value):
    """A catalog candidate (function or operator) that accepts the call's arguments."""

    candidate: C
    declared: tuple[str, ...]  # the argument types, variadic expanded
    binding: Binding

    @property
    def result(self) -> str | None:
        return self.binding.resolve(self.candidate.result)

    def target(self, i: int) -> str | None:
        """The type argument ``i`` is converted to."""
        return self.binding.resolve(self.declared[i])

    @property
    def undetermined(self) -> bool:
        """Polymorphic arguments that are all unknown literals: PostgreSQL cannot
        tell their type ("could not determine polymorphic type")."""
        element = {"anyelement", "anynonarray", "anyenum", "anyarray", "anyrange"}
        element |= {"anymultirange"}
        uses = any(d in element for d in self.declared) or self.candidate.result in element
        return uses and self.binding.element is None and self.binding.range is None


Outcome = Match[C] | str  # "missing", "ambiguous" or "extension:<name>" (not enabled)


def _expand(candidate: Func, n: int) -> tuple[str, ...] | None:
    args = candidate.args
    if candidate.variadic:
        if n < len(args):
            return None
        return args[:-1] + (candidate.variadic,) * (n - len(args) + 1)
    if len(args) - candidate.defaults <= n <= len(args):
        return args[:n]
    return None


def function(conv: TypeConv, name: str, args: Sequence[str]) -> Outcome[Func] | None:
    """The function ``name(args)`` means; None when no built-in has that name."""
    key = ("f", name, tuple(args))
    if key not in conv.view.resolved:
        conv.view.resolved[key] = _function(conv, name, args)
    return conv.view.resolved[key]  # type: ignore[return-value]


def _function(conv: TypeConv, name: str, args: Sequence[str]) -> Outcome[Func] | None:
    funcs = conv.view.functions(name)
    if not funcs:
        hidden = {f.ext for f in conv.view.catalog.functions(name)}
        return f"extension:{min(hidden)}" if hidden else None
    found: dict[tuple[str, ...], tuple[Func, tuple[str, ...]]] = {}
    # One signature in two places: pg_catalog before an extension's schema,
    # a non-variadic function before a variadic one of the same expansion.
    for func in sorted(funcs, key=lambda f: (f.ext != "", f.variadic != "")):
        declared = _expand(func, len(args))
        if declared is not None and declared not in found:
            found[declared] = (func, declared)
    return _select(conv, list(found.values()), list(args))


def operator(conv: TypeConv, name: str, left: str | None, right: str) -> Outcome[Oper] | None:
    """The operator ``left name right`` (prefix when ``left`` is None) means."""
    key = ("o", name, (left or "-", right))
    if key not in conv.view.resolved:
        conv.view.resolved[key] = _operator(conv, name, left, right)
    return conv.view.resolved[key]  # type: ignore[return-value]


def _operator(conv: TypeConv, name: str, left: str | None, right: str) -> Outcome[Oper] | None:
    opers = conv.view.operators(name, prefix=left is None)
    if not conv.view.catalog.operators(name):
        return None
    args = [right] if left is None else [left, right]
    seen: dict[tuple[str, ...], tuple[Oper, tuple[str, ...]]] = {}
    for oper in sorted(opers, key=lambda o: o.ext != ""):
        seen.setdefault(oper.args, (oper, oper.args))
    candidates = list(seen.values())
    if left is not None and (left in UNKNOWN) != (right in UNKNOWN):
        # binary_oper_exact: an unknown side is assumed to be the other's type
        known = right if left in UNKNOWN else left
        exact = [c for c in candidates if c[1] == (known, known)]
        if exact:
            return Match(exact[0][0], exact[0][1], Binding())
    return _select(conv, candidates, args)


def _select(
    conv: TypeConv, candidates: list[tuple[C, tuple[str, ...]]], args: list[str]
) -> Outcome[C]:
    for cand, declared in candidates:
        if list(declared) == args and not any(d in POLY for d in declared):
            return Match(cand, declared, Binding())
    matching: list[Match[C]] = []
    for cand, declared in candidates:
        if not all(conv.coercible(a, d) for a, d in zip(args, declared, strict=True)):
            continue
        binding = conv.binding(args, declared) if any(d in POLY for d in declared) else Binding()
        if binding is not None:
            matching.append(Match(cand, declared, binding))
    if not matching:
        return "missing"
    if len(matching) == 1:
        return matching[0]
    chosen = _best(conv, matching, args)
    return chosen if chosen is not None else "ambiguous"


def _keep_most(matches: list[Match[C]], score: list[int]) -> list[Match[C]]:
    top = max(score)
    return [m for m, s in zip(matches, score, strict=True) if s == top]


def _best(conv: TypeConv, matches: list[Match[C]], args: list[str]) -> Match[C] | None:
    """func_select_candidate: steps 4c to 4f of typeconv-func."""
    n = len(args)
    known = [i for i in range(n) if args[i] not in UNKNOWN]
    exact = [sum(m.declared[i] == args[i] for i in known) for m in matches]
    matches = _keep_most(matches, exact)
    if len(matches) == 1:
        return matches[0]
    categories = {i: conv.category(args[i])[0] for i in known}

    def preferred(typ: str, category: str) -> bool:
        cat, pref = conv.category(typ)
        return pref and cat == category

    scores = [
        sum(m.declared[i] == args[i] or preferred(m.declared[i], categories[i]) for i in known)
        for m in matches
    ]
    matches = _keep_most(matches, scores)
    if len(matches) == 1:
        return matches[0]
    unknowns = [i for i in range(n) if args[i] in UNKNOWN]
    if not unknowns:
        return None
    slots: dict[int, tuple[str, bool]] = {}
    resolved = True
    for i in unknowns:
        category, has_preferred, conflict = "", False, False
        for m in matches:
            cat, pref = conv.category(m.declared[i])
            if not category:
                category, has_preferred = cat, pref
            elif cat == category:
                has_preferred = has_preferred or pref
            elif cat == "S":  # a string category wins
                category, has_preferred = cat, pref
            else:
                conflict = True
        if conflict and category != "S":
            resolved = False
            break
        slots[i] = (category, has_preferred)
    if resolved:
        kept = []
        for m in matches:
            keep = True
            for i, (category, has_preferred) in slots.items():
                cat, pref = conv.category(m.declared[i])
                if cat != category or (has_preferred and not pref):
                    keep = False
            if keep:
                kept.append(m)
        if kept:
            matches = kept
        if len(matches) == 1:
            return matches[0]
    if known and len({args[i] for i in known}) == 1:
        same = args[known[0]]
        assumed = [same if a in UNKNOWN else a for a in args]
        fits = [
            m
            for m in matches
            if all(conv.coercible(a, d) for a, d in zip(assumed, m.declared, strict=True))
            and (conv.binding(assumed, m.declared) is not None)
        ]
        if len(fits) == 1:
            return fits[0]
    return None
