"""The built wheel carries the templates and works outside the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_the_templates_and_generates_outside_the_repository(
    tmp_path: Path,
) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("schemagen-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    for template in (ROOT / "templates").rglob("*.jinja"):
        packaged = site / "generator" / "templates" / template.relative_to(ROOT / "templates")
        assert packaged.read_bytes() == template.read_bytes()

    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "schema.yaml", work / "schema.yaml")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "PYTHONSAFEPATH": "1"}
    which = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert Path(which.stdout.strip()).is_relative_to(site), (
        "the checkout was imported, not the wheel"
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    made = {p.relative_to(work / "generated") for p in (work / "generated").rglob("*")}
    made = {p for p in made if (work / "generated" / p).is_file()}
    for rel in sorted(made):
        assert (work / "generated" / rel).read_bytes() == (ROOT / "generated" / rel).read_bytes()
    committed = {p.relative_to(ROOT / "generated") for p in (ROOT / "generated").rglob("*")}
    assert made == {p for p in committed if p.suffix in (".py", ".sql", ".ts", ".md")}
