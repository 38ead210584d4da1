"""The console-script entry point: collector off first, no interpreter teardown last.

A run imports pydantic, sqlglot and jinja2, allocates millions of small
objects and exits; the collector kept re-scanning them for garbage that exit
frees anyway.  Switching it off before the imports saves 40% of a 1,000-table
run (2.8 s -> 1.7 s) for 1% more peak memory (see bench/bench.py).

For the same reason the command leaves with ``os._exit`` once its work is
done: tearing the interpreter down (clearing every module of pydantic and
sqlglot, freeing the schema object by object) took 60-80 ms of CPU, a fifth of
a run on the repository's spec, to free memory the operating system takes
back anyway.  Everything a normal exit does that matters still happens first:
atexit handlers run, stdout and stderr are flushed (a failed flush exits 120,
as Python does), and the exit code is the one ``sys.exit`` was given; with
another thread still running, the exit is the normal one, which waits for it.  Output
files are already complete: emit.py writes, syncs and renames before the
command returns.  An exception other than ``SystemExit`` (only with
SCHEMAGEN_DEBUG set, cli.main turns the rest into exit 3) takes the normal
path, traceback and all.  Only the command line does any of this; importing
``generator`` as a library changes nothing.
"""

from __future__ import annotations

import gc
import os
import sys


def _code(value: object) -> int:
    """The exit status Python gives ``sys.exit(value)``."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    print(value, file=sys.stderr)  # sys.exit("message"): printed, status 1
    return 1


def leave(code: int) -> None:
    """Exit now, with what a normal exit does that is visible outside the process."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)  # another thread may still be working: let Python wait for it
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when the process was started without it
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python's own exit reports 120
            code = code or 120
    os._exit(code)


def main() -> None:
    gc.disable()
    # pydantic looks for plugins, reading the entry points of every installed
    # distribution, when it builds its first model (12 M instructions, 0.7% of a
    # run on the repository's spec); a plugin would only observe schemagen's
    # own spec models.  An explicit setting of the variable is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import main as cli_main

    try:
        cli_main()
    except SystemExit as exc:
        leave(_code(exc.code))
    leave(0)
