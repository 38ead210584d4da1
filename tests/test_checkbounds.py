"""CHECK constraints as Pydantic bounds: the model refuses exactly what PostgreSQL refuses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from genpy import apply_sql, generate_into, load_package
from pydantic import ValidationError

SPEC = """\
version: 1
tables:
  items:
    columns:
      id: {type: integer, primary_key: true}
      qty: {type: integer, check: qty > 0}
      slot: {type: smallint, check: slot BETWEEN 1 AND 10}
      price: {type: 'numeric(8,2)', check: 0 <= price AND price < 1000.5}
      ratio: {type: real, nullable: true, check: ratio <= 1.5}
      code: {type: varchar(8), check: length(code) BETWEEN 2 AND 5}
      name: {type: text, check: char_length(name) > 0}
      either: {type: integer, check: either > 10 OR either < -10}
      low: integer
      high: integer
    checks:
      - low < high
"""

VALID: dict[str, Any] = {
    "id": 1, "qty": 1, "slot": 1, "price": Decimal("0"), "ratio": None, "code": "ab",
    "name": "n", "either": 11, "low": 1, "high": 2,
}  # fmt: skip

# (column, value, refused by the model as well as by PostgreSQL)
CASES = [
    ("qty", 0, True),
    ("qty", 1, False),
    ("slot", 0, True),
    ("slot", 10, False),
    ("slot", 11, True),
    ("price", Decimal("-0.01"), True),
    ("price", Decimal("1000.49"), False),
    ("price", Decimal("1000.50"), True),
    ("ratio", 1.5, False),
    ("ratio", 1.75, True),
    ("code", "a", True),
    ("code", "abcde", False),
    ("code", "abcdef", True),
    ("name", "", True),
    # Not bounds the model can express: only PostgreSQL refuses these.
    ("either", 0, False),
    ("low", 5, False),
]


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("checkbounds")
    generate_into(SPEC, out / "checkbounds_pkg")
    return load_package(out / "checkbounds_pkg", "checkbounds_pkg")[0]


def test_the_fields_carry_the_bounds(models: Any) -> None:
    fields = models.InsertItem.model_fields
    meta = {name: {type(m).__name__: m for m in f.metadata} for name, f in fields.items()}
    assert meta["qty"]["Ge"].ge == 1  # qty > 0 on a whole number
    assert (meta["slot"]["Ge"].ge, meta["slot"]["Le"].le) == (1, 10)
    assert (meta["price"]["Ge"].ge, meta["price"]["Lt"].lt) == (0, Decimal("1000.5"))
    assert meta["ratio"]["Le"].le == 1.5
    assert (meta["code"]["MinLen"].min_length, meta["code"]["MaxLen"].max_length) == (2, 5)
    assert meta["name"]["MinLen"].min_length == 1
    assert (meta["either"]["Ge"].ge, meta["either"]["Le"].le) == (-(2**31), 2**31 - 1)


@pytest.mark.parametrize(("column", "value", "refused_by_model"), CASES)
def test_model_and_database_agree(
    models: Any, pg_url: str, tmp_path: Path, column: str, value: Any, refused_by_model: bool
) -> None:
    row = VALID | {column: value}
    sql = generate_into(SPEC, tmp_path / "pkg")["schema.sql"]
    apply_sql(pg_url, sql)
    try:
        models.InsertItem(**row)
        model_ok = True
    except ValidationError:
        model_ok = False
    with psycopg.connect(pg_url) as conn:
        try:
            conn.execute(
                "INSERT INTO items (id, qty, slot, price, ratio, code, name, either, low, high)"
                " VALUES (%(id)s, %(qty)s, %(slot)s, %(price)s, %(ratio)s, %(code)s, %(name)s,"
                " %(either)s, %(low)s, %(high)s)",
                row,
            )
            database_ok = True
        except psycopg.errors.CheckViolation:
            database_ok = False
    assert model_ok is not refused_by_model
    if refused_by_model:
        assert not database_ok, "the model refused a value PostgreSQL accepts"
    elif column in ("either", "low"):
        assert not database_ok  # the check the model cannot express still holds
    else:
        assert database_ok


def test_numeric_without_whole_digits_accepts_zero(tmp_path: Path) -> None:
    # Found by the property test: pydantic's max_digits counts the 0 of
    # Decimal("0") as a whole digit, so numeric(1,1) refused a value PostgreSQL keeps.
    spec = "version: 1\ntables:\n  t:\n    columns:\n      v: {type: 'numeric(2,2)', primary_key: true}\n"
    generate_into(spec, tmp_path / "zero_pkg")
    models = load_package(tmp_path / "zero_pkg", "zero_pkg")[0]
    for ok in ("0", "0.99", "-0.99", "0.5"):
        assert models.InsertT(v=Decimal(ok)).v == Decimal(ok)
    for bad in ("1", "-1", "0.999"):
        with pytest.raises(ValidationError):
            models.InsertT(v=Decimal(bad))
