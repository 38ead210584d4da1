"""Benchmark `schemagen generate` against the import floor and drizzle-kit.

Generates synthetic specs of N tables (about 12 columns each, with foreign
keys to earlier tables, uniques, literal and SQL defaults, a column group),
and the same tables as a Drizzle schema (drizzle.py, which installs pinned
drizzle-kit and drizzle-orm into bench/.node/ with npm). In one interleaved
run (a, b, c, a, b, c, ...: a slow spell of a shared machine touches every
command alike) it times, each in a fresh process:

- `schemagen generate` and `drizzle-kit generate --dialect postgresql`, each
  into a new, empty folder every time, so both always do the full work;
- `schemagen generate --check` on an up-to-date folder;
- the repository's schema.yaml next to the import floor, the cost of merely
  importing the runtime dependencies:

    python -c "import yaml, jinja2, pydantic, sqlglot, click"

and reports medians of wall time and CPU time and the peak resident memory.

Usage:
    python bench/bench.py                       # 10, 100, 1000 tables, 5 runs each
    python bench/bench.py --large               # and 5,000 tables
    python bench/bench.py --runs 9 --markdown   # tables for bench/README.md
    python bench/bench.py --baseline main       # also git revision main, interleaved
    python bench/bench.py --stages              # each pipeline stage per size, in-process
    python bench/bench.py --no-drizzle          # without node/npm
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import drizzle

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import yaml, jinja2, pydantic, sqlglot, click"
# The same imports, leaving as schemagen's command does (generator/_entry.py):
# without tearing the interpreter down.
FLOOR_EXIT = FLOOR + "; import os; os._exit(0)"

_TYPES = [
    "text",
    "varchar(120)",
    "integer",
    "bigint",
    "boolean",
    "timestamptz",
    "numeric(12,2)",
    "jsonb",
    "date",
]


def synthetic_spec(tables: int) -> str:
    """A spec of `tables` tables, ~12 columns each, each referencing up to two earlier tables."""
    out = [
        "version: 1",
        "column_groups:",
        "  timestamps:",
        "    created_at: {type: timestamptz, default: {sql: now()}}",
        "    updated_at: {type: timestamptz, default: {sql: now()}, on_update: now}",
        "tables:",
    ]
    for i in range(tables):
        out.append(f"  table_{i:05d}:")
        out.append(f"    description: Synthetic table number {i}.")
        out.append("    columns:")
        out.append("      id: {type: uuid, primary_key: true, default: {sql: gen_random_uuid()}}")
        for parent in sorted({i // 2, i - 1}):
            if 0 <= parent < i:
                nullable = "true" if parent == i - 1 else "false"
                out.append(
                    f"      ref_{parent:05d}_id: {{type: uuid, nullable: {nullable}, "
                    f"references: {{to: table_{parent:05d}.id, on_delete: cascade, "
                    f"inverse: children_{i:05d}_{parent:05d}}}}}"
                )
        out.append("      code: {type: varchar(40), unique: true}")
        for j, type_ in enumerate(_TYPES[: 12 - 5]):
            default = ""
            if type_ == "integer":
                default = ", default: 0"
            elif type_ == "boolean":
                default = ", default: false"
            elif type_ == "text":
                default = ", default: 'it''s'"
            out.append(
                f"      field_{j}: {{type: '{type_}', nullable: {str(j % 2 == 0).lower()}{default}}}"
            )
        out.append("      ...timestamps:")
    return "\n".join(out) + "\n"


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, with the children it waited
    for, such as schemagen's check) of one run of `cmd`, which must succeed."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        cpu = usage.ru_utime + usage.ru_stime
        while True:  # processes it left running (node's esbuild service) came to us
            try:
                _, _, orphan = os.wait4(-1, 0)
            except ChildProcessError:
                break
            cpu += orphan.ru_utime + orphan.ru_stime
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"command failed: {' '.join(cmd)}\n{err.read().decode()}")
    return elapsed, cpu


def adopt_orphans() -> bool:
    """Become the parent of processes our commands leave behind (Linux), so
    their CPU time is counted too: drizzle-kit's esbuild runs as a separate
    process that node does not wait for."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


# Made the subreaper (PR_SET_CHILD_SUBREAPER), the helper also adopts and waits for
# the process schemagen leaves to finish its check, so its peak counts too.
_PEAK = """
import ctypes, os, resource, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_of_tree(cmd: list[str], cwd: Path) -> float:
    """Peak RSS (MiB) of the largest process `cmd` runs: the command itself or the
    process it forks to check the DDL, which init would otherwise reap (a fresh
    parent, made the subreaper, sees both as its descendants)."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, *cmd], cwd=cwd, capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1]) / 1024


# A command for run number k; its output folder (if any) is removed after each
# run, so every `generate` starts from an empty folder and does all the work.
Command = tuple[Callable[[int], list[str]], Callable[[int], Path | None]]


class Measured(NamedTuple):
    wall: float  # median seconds
    cpu: float  # median CPU seconds: steadier than wall time on a busy machine
    peak: float  # MiB


def interleaved(cmds: dict[str, Command], cwd: Path, runs: int) -> dict[str, Measured]:
    """Median times and peak memory per command, running them in turn (a, b, a, b, ...)
    so that a slow spell of a shared machine touches every command alike."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
    for k in range(runs + 1):
        for name, (cmd, out) in cmds.items():
            elapsed = run_once(cmd(k), cwd)
            if k:  # round 0 warms the disk cache and Jinja's bytecode cache
                samples[name].append(elapsed)
            folder = out(k)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
    peaks = {}
    for name, (cmd, out) in cmds.items():
        peaks[name] = peak_of_tree(cmd(runs + 1), cwd)
        folder = out(runs + 1)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return {
        name: Measured(
            statistics.median(t for t, _ in times),
            statistics.median(c for _, c in times),
            peaks[name],
        )
        for name, times in samples.items()
    }


def _report(title: str, rows: list[tuple[str, ...]], markdown: bool) -> None:
    print(f"\n{title}\n")
    if markdown:
        print("| " + " | ".join(rows[0]) + " |")
        print("|---" + "|---:" * (len(rows[0]) - 1) + "|")
        for row in rows[1:]:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def _fixed(cmd: list[str]) -> Command:
    return (lambda k: cmd), (lambda k: None)


def _fresh(cmd: list[str], out: Path) -> Command:
    """`cmd` followed by `--out` a folder of its own for each run, removed after it."""
    folder = lambda k: out.with_name(f"{out.name}_{k}")  # noqa: E731
    return (lambda k: [*cmd, "--out", str(folder(k))]), folder


def schemagen(root: Path) -> list[str]:
    """The console script `schemagen` of the checkout at `root` (its own `generator`),
    byte-compiled first, as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as
    on this repository's machine) a checkout would otherwise compile its ~75 modules
    from source on every run, which no installed copy does."""
    import compileall

    compileall.compile_dir(root / "generator", quiet=1)
    launcher = (
        f"import sys; sys.path.insert(0, {str(root)!r}); from generator._entry import main; main()"
    )
    return [sys.executable, "-c", launcher]


def export(ref: str, into: Path) -> Path:
    """The package and templates of git revision `ref`, to run as the baseline."""
    into.mkdir()
    archive = subprocess.run(
        ["git", "archive", ref, "generator", "templates"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run(args: argparse.Namespace, sizes: list[int], why_not: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="schemagen-bench-") as tmp:
        work = Path(tmp)
        tools = {"schemagen": schemagen(ROOT)}
        if args.baseline:
            tools[args.baseline] = schemagen(export(args.baseline, work / "baseline"))
        repo_spec = str(ROOT / "schema.yaml")
        small = {
            "floor": _fixed([sys.executable, "-c", FLOOR]),
            "floor, os._exit": _fixed([sys.executable, "-c", FLOOR_EXIT]),
        }
        big: dict[str, Command] = {}
        for tool, cmd in tools.items():
            current = str(work / f"repo-current-{len(small)}")
            run_once([*cmd, "generate", "--spec", repo_spec, "--out", current], ROOT)
            small[f"{tool} generate"] = _fresh(
                [*cmd, "generate", "--spec", repo_spec], work / f"repo-out-{len(small)}"
            )
            small[f"{tool} check"] = _fixed(
                [*cmd, "generate", "--check", "--spec", repo_spec, "--out", current]
            )
        for size in sizes:
            spec = work / f"spec_{size}.yaml"
            spec.write_text(synthetic_spec(size))
            for tool, cmd in tools.items():
                gen = [*cmd, "generate", "--spec", str(spec)]
                current = work / f"current_{size}_{len(big)}"
                run_once([*gen, "--out", str(current)], ROOT)
                big[f"{size} {tool} generate"] = _fresh(gen, work / f"out_{size}_{len(big)}")
                big[f"{size} {tool} check"] = _fixed([*gen, "--check", "--out", str(current)])
            if not why_not:
                ts = drizzle.NODE_DIR / "work" / f"schema_{size}.ts"
                ts.parent.mkdir(exist_ok=True)
                ts.write_text(drizzle.schema_ts(size, _TYPES[:7]))
                out = work / f"drizzle_{size}"
                big[f"{size} drizzle"] = (
                    lambda k, ts=ts, out=out: drizzle.command(ts, out.with_name(f"{out.name}_{k}")),
                    lambda k, out=out: out.with_name(f"{out.name}_{k}"),
                )
        # Small commands get more runs: their times are short and noisy.
        small_results = interleaved(small, ROOT, max(args.runs, 3) * 3)
        results = interleaved(big, ROOT, args.runs)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, medians of {args.runs} runs")
    floor = small_results["floor"]
    rows = [("what", "wall time", "× floor", "CPU time", "CPU × floor", "peak RSS")]
    for name, r in small_results.items():
        name = name.replace("floor", "import floor (yaml, jinja2, pydantic, sqlglot, click)")
        name = name.replace(", os._exit", ", then os._exit as schemagen leaves")
        name = name.replace(" generate", " generate (repository schema.yaml)")
        name = name.replace(" check", " generate --check (repository schema.yaml, up to date)")
        rows.append(
            (
                name,
                f"{r.wall:.3f} s",
                f"{r.wall / floor.wall:.2f}×",
                f"{r.cpu:.3f} s",
                f"{r.cpu / floor.cpu:.2f}×",
                f"{r.peak:.0f} MiB",
            )
        )
    _report("The repository's spec against the import floor", rows, args.markdown)
    nan = Measured(float("nan"), float("nan"), float("nan"))
    for tool in tools:
        rows = [
            (
                "tables",
                f"{tool} generate",
                "drizzle-kit generate",
                f"{tool} ÷ drizzle-kit",
                f"{tool} generate --check (up to date)",
                f"CPU time ({tool} / drizzle-kit)",
                f"peak RSS ({tool} / drizzle-kit)",
            )
        ]
        for size in sizes:
            g = results[f"{size} {tool} generate"]
            c = results[f"{size} {tool} check"]
            d = results.get(f"{size} drizzle", nan)
            rows.append(
                (
                    f"{size:,}",
                    f"{g.wall:.3f} s",
                    f"{d.wall:.3f} s",
                    f"{g.wall / d.wall:.2f}×",
                    f"{c.wall:.3f} s",
                    f"{g.cpu:.2f} / {d.cpu:.2f} s",
                    f"{g.peak:.0f} / {d.peak:.0f} MiB",
                )
            )
        _report(f"{tool}: synthetic specs (~12 columns a table), side by side", rows, args.markdown)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--large", action="store_true", help="also 5,000 tables")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--no-drizzle", action="store_true", help="schemagen alone")
    parser.add_argument("--baseline", metavar="GIT_REF", help="also run this revision, interleaved")
    parser.add_argument("--stages", action="store_true", help="time each stage in-process")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([5000] if args.large else [])
    if args.stages:
        from stages import stages

        stages(sizes)
        return
    if not adopt_orphans():
        print("CPU times leave out processes a command leaves running", file=sys.stderr)
    why_not = "--no-drizzle" if args.no_drizzle else drizzle.install()
    if why_not:
        print(f"drizzle-kit left out: {why_not}", file=sys.stderr)
    run(args, sizes, why_not)


if __name__ == "__main__":
    main()
