"""pyfmt.Call keeps the value semantics of the frozen dataclass it replaced,
and caching its one-line form never changes a layout."""

from __future__ import annotations

from generator.outputs.pyfmt import Call, call, layout


def nested(depth: int) -> Call:
    value: str | Call = '"a_rather_long_string_value_that_takes_room"'
    for i in range(depth):
        value = call(f"wrap{i}", value, key=f"'{i}'", other=None)
    assert isinstance(value, Call)
    return value


def test_calls_compare_and_hash_by_value() -> None:
    a, b = nested(3), nested(3)
    assert a == b and hash(a) == hash(b) and a is not b
    assert a != nested(2)
    assert Call("f", (("", "x"),)) != Call("f", (("", "x"),), "[]")
    assert {a: 1}[b] == 1
    assert repr(Call("f", (("k", "v"),))) == "Call(func='f', args=(('k', 'v'),), brackets='()')"


def test_the_cached_flat_form_gives_the_same_layout_as_a_fresh_one() -> None:
    warm = nested(6)
    first = layout(warm, "    ", "x = ")
    again = layout(warm, "    ", "x = ")  # every level's flat() now cached
    cold = layout(nested(6), "    ", "x = ")
    assert first == again == cold
    assert len(first) > 1  # long enough to split, so the nested levels were laid out
    assert all(len(line) <= 88 for line in first[:-1] if "a_rather" not in line)


def test_one_element_tuples_keep_their_comma() -> None:
    assert Call("", (("", "x"),)).flat() == "(x,)"
    assert Call("", (("", "x"), ("", "y"))).flat() == "(x, y)"
    assert Call("", (("", "x"),), "[]").flat() == "[x]"
