"""The pinned Node tooling of tests/node/, installed once per run into a cache the tests own.

``tests/.node-cache/<hash of package-lock.json>/node_modules`` is made with
``npm ci`` (exact versions from the committed lockfile; install scripts off:
none of the tools needs one) into a temporary folder renamed into place, so a
killed install never leaves a half cache.  Without node or npm the Node tests
skip, except under ``CI``, where they fail.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SOURCE = TESTS / "node"
CACHE = TESTS / ".node-cache"


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def install() -> Path:
    """The folder holding ``node_modules`` with the pinned tools."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is not installed (needed for the Drizzle/Mermaid tests)")
    lock = (SOURCE / "package-lock.json").read_bytes()
    key = hashlib.sha256(lock + (SOURCE / "package.json").read_bytes()).hexdigest()[:16]
    target = CACHE / key
    if (target / "node_modules" / ".package-lock.json").is_file():
        return target
    CACHE.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=CACHE))
    for name in ("package.json", "package-lock.json"):
        shutil.copy(SOURCE / name, tmp / name)
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=tmp,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"npm ci failed:\n{done.stdout}\n{done.stderr}")
    try:
        tmp.rename(target)
    except OSError:  # another run got there first
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def workdir(tools: Path, folder: Path) -> Path:
    """``folder`` set up so that its TypeScript files resolve the pinned packages."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "node_modules"
    if not link.exists():
        link.symlink_to(tools / "node_modules", target_is_directory=True)
    return folder


def run(tools: Path, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a tool from node_modules/.bin; fail the test with its output if it fails."""
    exe = tools / "node_modules" / ".bin" / args[0]
    done = subprocess.run(
        [str(exe) if exe.exists() else args[0], *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout
