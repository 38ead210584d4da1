"""Safe writing: paths stay inside the output folder, a killed run leaves the
old output or rolls forward completely, and ``--check`` never writes.

The "killed mid-write" tests run the CLI in a subprocess through a small
wrapper that patches ``os.replace`` to SIGKILL its own process on the N-th
call: call 1 is the journal's commit, calls 2.. are the renames of the files.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.emit import JOURNAL, MARKER, OutputError, Plan, plan, recover, safe_target, write
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent

SPEC_V1 = """\
version: 1
tables:
  things:
    columns:
      id: {type: integer, primary_key: true}
      name: text
"""
SPEC_V2 = SPEC_V1 + "      size: {type: bigint, nullable: true}\n"

WRAPPER = textwrap.dedent(
    """\
    import json, os, signal, sys
    from pathlib import Path

    kill_at = int(os.environ["KILL_AT"])
    calls = 0
    real_replace = os.replace

    def replace(src, dst):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)

    os.replace = replace
    if os.environ.get("WRITE_FILES"):  # drive emit.write directly with many files
        from generator import emit
        out = Path(sys.argv[1])
        files = json.loads(os.environ["WRITE_FILES"])
        emit.write(out, files, emit.plan(out, files))
    else:
        from generator.cli import main
        sys.argv = ["schemagen", *sys.argv[1:]]
        main()
    """
)


def env() -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env(),
    )


def killed(cwd: Path, kill_at: int, *args: str, files: dict[str, str] | None = None) -> int:
    script = cwd / "kill_wrapper.py"
    script.write_text(WRAPPER)
    extra = {"KILL_AT": str(kill_at)}
    if files is not None:
        extra["WRITE_FILES"] = json.dumps(files)
    proc = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**env(), **extra},
    )
    return proc.returncode


def snapshot(folder: Path, hidden: bool = False) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (hidden or not p.name.startswith("."))
    }


def stat_snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_mode, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def hidden_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / "schema.yaml").write_text(SPEC_V1)
    assert cli("generate", cwd=tmp_path).returncode == 0
    return tmp_path


def outputs(spec: str) -> dict[str, str]:
    return generate(spec.encode(), "schema.yaml").files


def expected_v2(tmp_path: Path) -> dict[str, bytes]:
    other = tmp_path / "expected"
    other.mkdir()
    (other / "schema.yaml").write_text(SPEC_V2)
    assert cli("generate", cwd=other).returncode == 0
    return snapshot(other / "generated")


# -- safe_target -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    [
        "",
        ".",
        "..",
        "../x.sql",
        "a/../../x.sql",
        "a/../x.sql",
        "/etc/passwd",
        "./x.sql",
        "a//x.sql",
        "a/./x.sql",
        "x.sql/",
        "x\x00.sql",
        ".hidden",
        JOURNAL,
        "sub/.x.sql",
    ],
)
def test_safe_target_refuses_paths_that_are_not_plain_and_inside(tmp_path: Path, rel: str) -> None:
    with pytest.raises(OutputError, match="refusing to write"):
        safe_target(tmp_path / "out", rel)


def test_safe_target_accepts_plain_nested_paths(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert safe_target(out, "schema.sql") == out / "schema.sql"
    assert safe_target(out, "py/models.py") == out / "py" / "models.py"


def test_safe_target_refuses_a_symlinked_folder_or_file_leading_outside(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "sub").symlink_to(outside)
    (out / "schema.sql").symlink_to(outside / "victim.sql")
    with pytest.raises(OutputError, match="resolves outside"):
        safe_target(out, "sub/x.sql")
    with pytest.raises(OutputError, match="resolves outside"):
        safe_target(out, "schema.sql")


def test_writer_refuses_an_escaping_path_and_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = {"a.sql": "-- Generated by schemagen\n", "../evil.sql": "x"}
    with pytest.raises(OutputError):
        write(out, files, Plan(added=sorted(files)))
    assert not (tmp_path / "evil.sql").exists()
    assert sorted(p.name for p in out.iterdir()) == []  # no temp file, no journal, no a.sql


def test_plan_refuses_an_escaping_path(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        plan(tmp_path, {"../evil.sql": "x"})


# -- journal and temp files ----------------------------------------------------------------


def test_a_journal_pointing_outside_the_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text(f"-- {MARKER}\nprecious\n")
    (tmp_path / ".x.schemagen-1.tmp").write_text("evil")
    for journal in (
        {"renames": [["../.x.schemagen-1.tmp", "../victim.txt"]], "deletes": []},
        {"renames": [], "deletes": ["../victim.txt"]},
        {"renames": [["../.x.schemagen-1.tmp", "ok.sql"]], "deletes": []},
        {"renames": [["not-ours.txt", "ok.sql"]], "deletes": []},
    ):
        (out / JOURNAL).write_text(json.dumps(journal))
        with pytest.raises(OutputError):
            recover(out)
        assert victim.read_text() == f"-- {MARKER}\nprecious\n"
    assert (tmp_path / ".x.schemagen-1.tmp").exists()


def test_a_journal_deletes_only_files_that_say_they_are_generated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("hand-written\n")
    (out / "old.sql").write_text(f"-- {MARKER}\n")
    (out / JOURNAL).write_text(json.dumps({"renames": [], "deletes": ["mine.txt", "old.sql"]}))
    recover(out)
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]


def test_a_corrupt_journal_is_a_clear_error_not_a_traceback(repo: Path) -> None:
    (repo / "generated" / JOURNAL).write_text('{"renames": [')
    (repo / "schema.yaml").write_text(SPEC_V2)
    result = cli("generate", cwd=repo)
    assert result.returncode == 3
    assert "error[output]" in result.stderr
    assert "is not a schemagen journal" in result.stderr
    assert "Traceback" not in result.stderr


def test_orphaned_temp_files_are_removed_by_the_next_write(repo: Path) -> None:
    gen = repo / "generated"
    (gen / ".schema.sql.schemagen-abc123.tmp").write_text("half")
    (gen / (JOURNAL + ".tmp")).write_text("{")
    (gen / ".keep").write_text("user's dotfile")
    (repo / "schema.yaml").write_text(SPEC_V2)
    assert cli("generate", cwd=repo).returncode == 0
    assert hidden_files(gen) == [".keep"]


# -- killed mid-write ------------------------------------------------------------------


def test_killed_before_the_journal_commit_leaves_the_old_output(repo: Path) -> None:
    gen = repo / "generated"
    before = snapshot(gen)
    want = expected_v2(repo)
    (repo / "schema.yaml").write_text(SPEC_V2)
    assert killed(repo, 1, "generate") == -signal.SIGKILL
    assert snapshot(gen) == before
    assert JOURNAL not in hidden_files(gen)
    assert hidden_files(gen)  # the orphaned temp files are there ...
    assert cli("generate", cwd=repo).returncode == 0
    assert snapshot(gen) == want
    assert hidden_files(gen) == []  # ... and the next run removed them


def test_killed_after_the_journal_commit_rolls_forward_on_the_next_run(repo: Path) -> None:
    gen = repo / "generated"
    before = snapshot(gen)
    want = expected_v2(repo)
    (repo / "schema.yaml").write_text(SPEC_V2)
    assert killed(repo, 2, "generate") == -signal.SIGKILL
    assert snapshot(gen) == before  # the first rename never happened
    assert JOURNAL in hidden_files(gen)
    # --check reports the difference and does not touch the journal or the files.
    pending = stat_snapshot(gen)
    assert cli("generate", "--check", cwd=repo).returncode == 1
    assert stat_snapshot(gen) == pending
    assert cli("generate", cwd=repo).returncode == 0
    assert snapshot(gen) == want
    assert hidden_files(gen) == []


@pytest.mark.parametrize("kill_at", [1, 2, 3, 4, 5])
def test_every_file_is_old_or_new_whenever_a_multi_file_write_is_killed(
    tmp_path: Path, kill_at: int
) -> None:
    out = tmp_path / "out"
    old = {f"f{i}.sql": f"-- {MARKER}\nold {i}\n" for i in range(4)}
    new = {f"f{i}.sql": f"-- {MARKER}\nnew {i}\n" for i in range(4)}
    old["stale.sql"] = f"-- {MARKER}\nstale\n"
    write(out, old, plan(out, old))
    assert killed(tmp_path, kill_at, str(out), files=new) == -signal.SIGKILL
    for rel, data in snapshot(out).items():
        assert data.decode() in (old.get(rel), new.get(rel)), rel
    recover(out)  # what the next run does first
    if kill_at == 1:  # died before the commit point: the old output, untouched
        assert snapshot(out) == {k: v.encode() for k, v in old.items()}
    else:  # died after it: the new output, complete, stale file gone
        assert snapshot(out) == {k: v.encode() for k, v in new.items()}
    assert hidden_files(out) == []


# -- --check never writes ------------------------------------------------------------


def test_check_never_writes_whatever_the_drift(repo: Path) -> None:
    gen = repo / "generated"
    (repo / "schema.yaml").write_text(SPEC_V2)  # a changed file
    (gen / "stale.sql").write_text(f"-- {MARKER}\n")  # a stale file
    (gen / "sub").mkdir()
    before = stat_snapshot(gen)
    listing = sorted(p.name for p in gen.rglob("*"))
    result = cli("generate", "--check", cwd=repo)
    assert result.returncode == 1
    assert "changed, 1 stale)" in result.stderr
    assert stat_snapshot(gen) == before
    assert sorted(p.name for p in gen.rglob("*")) == listing


def test_check_on_a_missing_output_folder_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "schema.yaml").write_text(SPEC_V1)
    result = cli("generate", "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert f"({len(outputs(SPEC_V1))} missing)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schema.yaml"]


# -- symlinks, modes, stale files ------------------------------------------------------


def test_stale_detection_never_follows_a_symlink_out_of_the_folder(repo: Path) -> None:
    other = repo / "other_project"
    other.mkdir()
    (other / "schema.sql").write_text(f"-- {MARKER} in another project\n")
    (repo / "generated" / "link").symlink_to(other)
    (repo / "generated" / "file_link.sql").symlink_to(other / "schema.sql")
    result = cli("generate", "--check", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert cli("generate", cwd=repo).returncode == 0
    assert (other / "schema.sql").read_text() == f"-- {MARKER} in another project\n"
    assert (repo / "generated" / "file_link.sql").is_symlink()


def test_stale_generated_files_are_removed_and_hand_written_ones_kept(repo: Path) -> None:
    gen = repo / "generated"
    (gen / "old_output.py").write_text(f"# {MARKER}\n")
    (gen / "notes.md").write_text("mine\n")
    result = cli("generate", cwd=repo)
    assert result.returncode == 0
    assert "removed stale generated/old_output.py" in result.stdout
    top = {rel.split("/")[0] for rel in outputs(SPEC_V1)}
    assert sorted(p.name for p in gen.iterdir() if p.name != "__pycache__") == sorted(
        {"notes.md", *top}
    )


def test_a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_umask(repo: Path) -> None:
    target = repo / "generated" / "schema.sql"
    target.chmod(0o444)
    (repo / "schema.yaml").write_text(SPEC_V2)
    assert cli("generate", cwd=repo).returncode == 0
    assert "size" in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o444
    target.unlink()
    old = os.umask(0o022)
    try:
        write(repo / "generated", {"schema.sql": "x\n"}, Plan(added=["schema.sql"]))
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
