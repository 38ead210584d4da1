"""The forked output check gives the same answer as the inline one, and cleans up."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.background import Background
from generator.pipeline import PARALLEL_CHECK_COLUMNS, generate, load_schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench import synthetic_spec  # noqa: E402

PARENT = os.getpid()


def square(n: int) -> int:
    return n * n


def fails_in_a_child(n: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only the parent can do this")
    return n + 1


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_a_forked_result_comes_back() -> None:
    job = Background(square, 12)
    assert job.pid != 0, "expected a forked child"
    assert job.result() == 144
    assert no_children_left()


def test_a_failing_child_is_rerun_in_the_parent() -> None:
    assert Background(fails_in_a_child, 1).result() == 2
    assert no_children_left()


def test_inline_when_asked() -> None:
    job = Background(square, 3, fork=False)
    assert job.pid == 0
    assert job.result() == 9


def test_parallel_generate_equals_serial_generate() -> None:
    raw = synthetic_spec(250).encode()
    serial = generate(raw, "spec.yaml")
    schema = load_schema(raw, "spec.yaml").schema
    assert schema is not None
    columns = sum(len(t.columns) for t in schema.tables)
    assert columns >= PARALLEL_CHECK_COLUMNS, "too small to fork"
    parallel = generate(raw, "spec.yaml", parallel=True)
    assert parallel.files == serial.files
    assert parallel.diagnostics == serial.diagnostics == []
    assert no_children_left()


def test_a_failed_check_is_reported_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # A template that drops a column: the check (forked or not) must catch it.
    import generator.outputs.postgres as postgres

    real = postgres.column_line
    monkeypatch.setattr(postgres, "column_line", lambda col: real(col).replace(" NOT NULL", "", 1))
    raw = synthetic_spec(250).encode()
    serial = generate(raw, "spec.yaml")
    parallel = generate(raw, "spec.yaml", parallel=True)
    assert serial.files == parallel.files == {}
    assert serial.diagnostics == parallel.diagnostics
    assert serial.diagnostics and all(d.code == "sql-check" for d in serial.diagnostics)
    assert no_children_left()


def times(n: int) -> Callable[[int], int]:
    return lambda m: n * m


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_a_late_argument_reaches_the_child() -> None:
    job: Background[int] = Background(times, 3, late=True)
    assert job.pid != 0, "expected a forked child"
    job.send(4)
    assert job.result() == 12
    assert no_children_left()


def test_a_late_argument_inline_and_after_a_failed_child() -> None:
    job: Background[int] = Background(times, 3, fork=False, late=True)
    job.send(5)
    assert job.result() == 15
    failing: Background[int] = Background(lambda n: lambda m: fails_in_a_child(n + m), 1, late=True)
    failing.send(2)
    assert failing.result() == 4
    assert no_children_left()


def test_a_late_child_that_gets_no_input_is_stopped() -> None:
    job: Background[int] = Background(times, 3, late=True)
    job.cancel()
    assert no_children_left()
