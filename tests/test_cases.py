"""Golden cases: tests/cases/<name>/schema.yaml against tests/cases/<name>/expected/.

A valid case's expected/ holds exactly the files ``generate`` returns; an
invalid case's holds ``stderr.txt``, the diagnostics as the CLI prints them.
Extra and missing files fail as much as changed ones.  Rewrite the expected
files with ``pytest tests/test_cases.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.diagnostics import format_all
from generator.pipeline import generate

CASES = Path(__file__).resolve().parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "schema.yaml").is_file())


def produce(case: Path) -> dict[str, str]:
    """What the case produces: the generated files, or stderr.txt for an invalid spec."""
    result = generate((case / "schema.yaml").read_bytes(), "schema.yaml")
    if result.ok:
        return result.files
    return {"stderr.txt": format_all(result.diagnostics, result.sources)}


def stored(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_there_are_valid_and_invalid_cases() -> None:
    kinds = {n.startswith("invalid_") for n in NAMES}
    assert kinds == {True, False}


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str, update_golden: bool) -> None:
    case = CASES / name
    got = produce(case)
    expected_dir = case / "expected"
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in got.items():
            target = expected_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
    assert ("stderr.txt" in got) == name.startswith("invalid_"), (
        "cases named invalid_* must fail, all others must succeed"
    )
    expected = stored(expected_dir)
    assert sorted(got) == sorted(expected), "extra or missing output files"
    for rel in got:
        assert got[rel] == expected[rel], f"{name}/expected/{rel} differs"
