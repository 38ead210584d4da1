"""Column types the spec cannot spell: exact messages, positions and hints."""

from __future__ import annotations

from diag import HEAD, only, where

from generator.types import TYPES


def test_type_enum_is_refused_with_a_hint_to_declare_the_enum() -> None:
    diag = only(HEAD + "      status: enum\n")
    assert where(diag) == ("invalid-type", 6, 15, "tables.t.columns.status.type")
    assert diag.message == "'enum' is not a type you can write"
    assert diag.hint == (
        "declare the enum under 'enums:' (e.g. enums: {status: [draft, published]}) "
        "and write its name as the type: type: status"
    )


def test_an_array_of_enum_is_refused_the_same_way() -> None:
    diag = only(HEAD + "      tags: {type: 'enum[]'}\n")
    assert where(diag) == ("invalid-type", 6, 20, "tables.t.columns.tags.type")
    assert diag.message == "'enum' is not a type you can write"


def test_internal_kinds_are_not_offered_as_known_types() -> None:
    diag = only(HEAD + "      a: frobnicate\n")
    assert diag.message == "unknown type 'frobnicate'"
    internal = [name for name, info in TYPES.items() if info.internal]
    assert internal == ["enum"]
    assert diag.hint.startswith("known types: bigint, boolean")
    assert all(f" {name}," not in diag.hint for name in internal)
