"""``outputs:``: the line length reaches the generated Python, and a file that is
no longer chosen is stale (removed by generate, reported by --check)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cli import run_cli

from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
SPEC = (ROOT / "tests/cases/outputs_all/schema.yaml").read_text()


def test_line_length_is_what_ruff_format_keeps(tmp_path: Path) -> None:
    for width in (88, 100, 120):
        spec = SPEC.replace("line_length: 100", f"line_length: {width}")
        files = generate(spec.encode(), "schema.yaml").files
        folder = tmp_path / str(width)
        for rel in ("app/db/models.py", "app/db/orm.py"):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(files[rel])
        ruff = [sys.executable, "-m", "ruff", "format", "--check", f"--line-length={width}"]
        done = subprocess.run([*ruff, str(folder)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    narrow, wide = (
        (tmp_path / "88/app/db/orm.py").read_text(),
        (tmp_path / "120/app/db/orm.py").read_text(),
    )
    assert narrow != wide  # the width changed the layout, not only passed through


def test_an_output_turned_off_is_stale(tmp_path: Path) -> None:
    (tmp_path / "schema.yaml").write_text(SPEC)
    assert run_cli("generate", cwd=tmp_path).returncode == 0
    assert (tmp_path / "generated/web/src/db/schema.ts").is_file()
    (tmp_path / "schema.yaml").write_text(SPEC.replace("  drizzle: web/src/db/schema.ts\n", ""))
    check = run_cli("generate", "--check", cwd=tmp_path)
    assert check.returncode == 1 and "1 stale" in check.stderr
    done = run_cli("generate", cwd=tmp_path)
    assert "removed stale generated/web/src/db/schema.ts" in done.stdout
    assert not (tmp_path / "generated/web/src/db/schema.ts").exists()
