"""The console entry point leaves with ``os._exit``: what a normal exit does must still happen."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from cli import ROOT, cli_env
from cli import run_cli as run


def leave_with(body: str) -> subprocess.CompletedProcess[str]:
    program = "import atexit, os, sys\nfrom generator._entry import leave, _code\n"
    return subprocess.run(
        [sys.executable, "-c", program + textwrap.dedent(body)],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=ROOT,
        check=False,
    )


def test_buffered_output_and_atexit_handlers_survive_the_fast_exit() -> None:
    result = leave_with(
        """
        atexit.register(lambda: print("handler ran"))
        print("x" * 100_000, end="")  # more than one buffer's worth, still unflushed
        sys.stderr.write("to stderr")
        leave(5)
        """
    )
    assert result.returncode == 5
    assert result.stdout == "x" * 100_000 + "handler ran\n"
    assert result.stderr == "to stderr"


def test_exit_codes_are_those_python_gives_sys_exit() -> None:
    assert leave_with("leave(_code(None))").returncode == 0
    assert leave_with("leave(_code(3))").returncode == 3
    result = leave_with("leave(_code('a message'))")
    assert (result.returncode, result.stderr) == (1, "a message\n")


def test_a_stdout_that_cannot_be_flushed_exits_120_as_python_does() -> None:
    result = leave_with('print("lost", end=""); os.close(1); leave(0)')
    assert result.returncode == 120
    assert leave_with('print("lost", end=""); os.close(1); leave(2)').returncode == 2


def test_the_command_prints_its_whole_diff_and_keeps_its_exit_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # 1,000 stale lines of diff: every one must reach the pipe before the fast exit.
    (tmp_path / "schema.yaml").write_bytes((ROOT / "schema.yaml").read_bytes())
    assert run("generate", cwd=tmp_path).returncode == 0
    schema = tmp_path / "generated" / "schema.sql"
    schema.write_text(schema.read_text() + "".join(f"-- extra {i}\n" for i in range(1000)))
    result = run("generate", "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.endswith("--- extra 999\n")
    assert result.stdout.count("--- extra ") == 1000
    assert "out of date (1 changed)" in result.stderr


def test_a_closed_stdout_during_check_is_not_reported_as_an_output_folder_error(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    (tmp_path / "schema.yaml").write_bytes((ROOT / "schema.yaml").read_bytes())
    assert run("generate", cwd=tmp_path).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", "--check"],
        cwd=tmp_path,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away, as `schemagen generate --check | head -0`
    err = proc.stderr.read().decode()
    assert proc.wait() != 0
    assert "error[output]" not in err and "internal error" not in err


def test_a_thread_still_running_is_waited_for_as_a_normal_exit_does() -> None:
    result = leave_with(
        """
        import threading, time
        def late():
            time.sleep(0.3)
            print("thread finished", flush=True)
        threading.Thread(target=late).start()
        leave(4)
        """
    )
    assert (result.returncode, result.stdout) == (4, "thread finished\n")
