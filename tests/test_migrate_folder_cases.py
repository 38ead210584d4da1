"""Damaged migrations folders, each a golden folder: ``tests/migrate_folder_cases/<name>/``
holds ``schema.yaml``, the ``migrations/`` folder as a team might leave it, and
``expected.txt``: the exit code and every line ``schemagen migrate check`` prints
to stderr.  Rewrite with ``pytest tests/test_migrate_folder_cases.py --update-golden``."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli import run_cli

CASES = sorted(p for p in (Path(__file__).parent / "migrate_folder_cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_damaged_folder(case: Path, update_golden: bool) -> None:
    result = run_cli("migrate", "check", "--spec", "schema.yaml", cwd=case)
    got = f"exit {result.returncode}\n{result.stderr}"
    expected = case / "expected.txt"
    if update_golden:
        expected.write_text(got)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2  # bad input, never drift or a crash
    assert got == expected.read_text()


def test_every_kind_of_damage_has_a_case() -> None:
    assert {c.name for c in CASES} >= {
        "two_branches_conflict",
        "two_branches_both_kept",
        "edited_migration",
        "gap_in_numbers",
        "written_by_hand",
        "missing_snapshot",
        "missing_sum",
        "corrupt_sum",
    }
