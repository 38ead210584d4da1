"""records.py: ``Value`` follows the dataclass rules it replaces, and ``@record``
classes are read-only to mypy (the only guard they have; see records.py)."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from generator.model import Column, Limits
from generator.records import Value, record
from generator.types import ColumnType

ROOT = Path(__file__).resolve().parent.parent


def _pair() -> tuple[type, type]:
    """The same fields, once as a frozen dataclass, once as a ``@record`` Value."""

    @dataclass(frozen=True)
    class Point:
        x: int
        y: object
        label: str = field(default="", compare=False)
        weight: int = field(default=0, hash=False)
        note: str = field(default="", repr=False)

    frozen = Point

    @record
    class Point(Value):  # type: ignore[no-redef]
        x: int
        y: object
        label: str = field(default="", compare=False)
        weight: int = field(default=0, hash=False)
        note: str = field(default="", repr=False)

    return frozen, Point


VALUES = [
    dict(x=1, y=2),
    dict(x=1, y=2, label="other"),
    dict(x=1, y=2, weight=5),
    dict(x=1, y=2, note="n"),
    dict(x=2, y=2),
    dict(x=1, y=(1, 2)),
    dict(x=1, y=None),
    dict(x=1, y=1.0),  # equal to y=1 but a different type: as tuples compare
    dict(x=1, y=1),
]


@pytest.mark.parametrize(("a", "b"), list(itertools.product(VALUES, repeat=2)))
def test_equality_hash_and_repr_are_the_dataclass_ones(a: dict, b: dict) -> None:
    frozen, value = _pair()
    assert (value(**a) == value(**b)) == (frozen(**a) == frozen(**b))
    assert (value(**a) != value(**b)) == (frozen(**a) != frozen(**b))
    if value(**a) == value(**b):
        assert hash(value(**a)) == hash(value(**b))
    assert repr(value(**a)) == repr(frozen(**a))


def test_another_class_with_the_same_fields_is_not_equal() -> None:
    frozen, value = _pair()
    other_frozen, other_value = _pair()
    assert value(1, 2) != other_value(1, 2)
    assert frozen(1, 2) != other_frozen(1, 2)  # the dataclass rule it follows
    assert value(1, 2) != (1, 2) and value(1, 2) != frozen(1, 2)


def test_a_record_without_value_compares_by_identity() -> None:
    @record
    class Plain:
        x: int

    one = Plain(1)
    assert one == one and one != Plain(1)
    assert len({one, Plain(1)}) == 2


def test_repr_of_a_value_that_holds_itself_ends() -> None:
    @record
    class Box(Value):
        items: list[object]

    box = Box([])
    box.items.append(box)
    assert repr(box).endswith(".Box(items=[...])")


def test_model_values_compare_by_content_and_replace_makes_new_ones() -> None:
    col = Column("id", ColumnType("bigint"), nullable=False)
    same = Column("id", ColumnType("bigint"), nullable=False)
    assert col == same and hash(col) == hash(same) and {col: 1}[same] == 1
    changed = replace(col, nullable=True)
    assert changed != col and col.nullable is False
    assert replace(col, limits=Limits(ge=0)) != col
    assert "Column(name='id'" in repr(col) and "span=" not in repr(col)


def test_kw_only_records_take_keywords_only() -> None:
    @record(kw_only=True)
    class Named:
        name: str

    assert Named(name="a").name == "a"
    with pytest.raises(TypeError):
        Named("a")  # type: ignore[misc]


def test_mypy_refuses_assigning_to_a_record_field(tmp_path: Path) -> None:
    """The guard ``frozen=True`` gave at run time is mypy's now: it must hold."""
    snippet = tmp_path / "mutate.py"
    snippet.write_text(
        textwrap.dedent(
            """
            from generator.model import Column
            from generator.types import ColumnType

            col = Column("id", ColumnType("bigint"), nullable=False)
            col.nullable = True
            """
        )
    )
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run(
        [str(mypy), "--strict", "--no-incremental", "--follow-imports=silent", str(snippet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Property "nullable" defined in "Column" is read-only' in result.stdout
