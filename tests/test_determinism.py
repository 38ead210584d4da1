"""Same spec, same bytes: whatever the hash seed, locale, time zone or the
order in which the file system lists the output folder (issue 5)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import emit
from generator.emit import MARKER, plan, unified_diff

ROOT = Path(__file__).resolve().parent.parent


def installed_locales() -> list[str]:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    except OSError:
        return []
    return [name for name in out if not name.lower().startswith(("c", "posix", "en"))]


SETTINGS = [
    {"PYTHONHASHSEED": "0", "LC_ALL": "C", "TZ": "UTC"},
    {"PYTHONHASHSEED": "1", "LC_ALL": "C.UTF-8", "TZ": "Pacific/Kiritimati"},
    {"PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "TZ": "America/St_Johns"},
    {"PYTHONHASHSEED": "random", "LC_ALL": "POSIX", "TZ": "Asia/Kathmandu"},
    # A non-English locale when the machine has one (collation and case rules differ).
    *[
        {"PYTHONHASHSEED": "7", "LC_ALL": name, "TZ": "Europe/Berlin"}
        for name in installed_locales()[:1]
    ],
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_output_is_byte_identical_under_any_seed_locale_and_time_zone(tmp_path: Path) -> None:
    shutil.copy(ROOT / "schema.yaml", tmp_path / "schema.yaml")
    results = []
    for i, settings in enumerate(SETTINGS):
        env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **settings}
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--out", f"out{i}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
        )
        assert proc.returncode == 0, (settings, proc.stderr)
        results.append(snapshot(tmp_path / f"out{i}"))
    assert results[0]  # something was written
    assert all(r == results[0] for r in results[1:])
    assert all(b"\r" not in data for data in results[0].values())


def test_diagnostics_are_byte_identical_under_any_seed_and_locale(tmp_path: Path) -> None:
    bad = (
        "version: 1\ntables:\n  t:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        "      a: integr\n      b: {type: integer, references: tt.id}\n      c: {type: text, default: no}\n"
    )
    (tmp_path / "schema.yaml").write_text(bad)
    outputs = set()
    for settings in SETTINGS:
        env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **settings}
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate"],
            cwd=tmp_path,
            capture_output=True,
            env=env,
        )
        assert proc.returncode == 2
        outputs.add(proc.stderr)
    assert len(outputs) == 1


def stale_setup(out: Path, names: list[str]) -> None:
    out.mkdir()
    for name in names:  # creation order is often readdir order
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"-- {MARKER}\n{name}\n")


def test_stale_files_and_the_diff_do_not_depend_on_listing_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["zeta.sql", "alpha.sql", "sub/b.py", "sub/a.py", "mid.sql"]
    files = {"schema.sql": f"-- {MARKER}\nnew\n", "sub/a.py": f"# {MARKER}\n"}
    stale_setup(tmp_path / "one", names)
    stale_setup(tmp_path / "two", names[::-1])
    p1 = plan(tmp_path / "one", files)
    d1 = unified_diff(tmp_path / "one", files, p1).replace("/one/", "/X/")
    with monkeypatch.context() as m:
        real_walk = os.walk
        m.setattr(
            emit.os,
            "walk",
            lambda top, **kw: (
                (d, sorted(ds, reverse=True), sorted(fs, reverse=True))
                for d, ds, fs in real_walk(top, **kw)
            ),
        )
        p2 = plan(tmp_path / "two", files)
        d2 = unified_diff(tmp_path / "two", files, p2).replace("/two/", "/X/")
    assert p1 == p2
    assert p1.stale == ["alpha.sql", "mid.sql", "sub/b.py", "zeta.sql"]
    assert d1 == d2
