"""``schemagen init`` in an empty folder, then ``generate``: a project in two commands."""

from __future__ import annotations

from pathlib import Path

import yaml
from cli import run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_init_then_generate_in_an_empty_folder(tmp_path: Path) -> None:
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "schemagen generate" in done.stdout  # says what to run next
    spec = (tmp_path / "schema.yaml").read_text()
    assert spec.startswith("# yaml-language-server: $schema=./schemagen.schema.json\n")
    assert (tmp_path / "schemagen.schema.json").read_text() == (
        ROOT / "schemagen.schema.json"
    ).read_text()
    done = run_cli("generate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "generated").iterdir()) == [
        "__init__.py",
        "models.py",
        "orm.py",
        "schema.sql",
    ]
    assert run_cli("generate", "--check", cwd=tmp_path).returncode == 0


def test_the_commented_example_is_valid_when_uncommented(tmp_path: Path) -> None:
    lines = (run_cli("init", cwd=tmp_path), (tmp_path / "schema.yaml").read_text())[1]
    text = "\n".join(
        line.replace("# ", "", 1) if line.startswith(("  # ", "# outputs", "#   ")) else line
        for line in lines.splitlines()
    )
    data = yaml.safe_load(text)
    assert "posts" in data["tables"] and data["outputs"]["drizzle"] == "schema.ts"
    (tmp_path / "schema.yaml").write_text(text)
    done = run_cli("generate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "generated" / "schema.ts").is_file()


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "schema.yaml").write_text("mine\n")
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 2
    assert "already exists" in done.stderr
    assert (tmp_path / "schema.yaml").read_text() == "mine\n"


def test_the_pre_commit_hook_runs_generate_check(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "schemagen-check"]
    assert hook["pass_filenames"] is False
    program, *args = hook["entry"].split()
    assert program == "schemagen"
    run_cli("init", cwd=tmp_path)
    assert run_cli(*args, cwd=tmp_path).returncode == 1  # nothing generated yet: stale
    run_cli("generate", cwd=tmp_path)
    assert run_cli(*args, cwd=tmp_path).returncode == 0
