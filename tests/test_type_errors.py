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
    known = diag.hint.partition("known types: ")[2].split(", ")
    assert known[:2] == ["bigint", "boolean"]
    assert not set(internal) & set(known)


def test_an_undeclared_enum_name_gets_a_hint_to_declare_it() -> None:
    diag = only(HEAD + "      status: post_status\n")
    assert where(diag) == ("unknown-type", 6, 15, "tables.t.columns.status.type")
    assert diag.message == "unknown type 'post_status'"
    assert diag.hint.startswith(
        "to make it an enum, declare it under 'enums:', e.g. enums: {post_status: [a, b]}; "
        "known types: bigint, boolean,"
    )


def test_a_close_declared_enum_is_suggested_instead() -> None:
    diag = only("version: 1\nenums:\n  post_status: [a]\n" + HEAD[11:] + "      s: post_statu\n")
    assert diag.hint == "did you mean 'post_status'?"


def test_synonyms_with_digits_get_their_postgresql_name() -> None:
    diag = only(HEAD + "      n: int4\n")
    assert (diag.message, diag.hint) == ("unknown type 'int4'", "PostgreSQL calls it 'integer'")
