"""Benchmark `schemagen generate` against the import floor.

Generates synthetic specs of N tables (about 12 columns each, with foreign
keys to earlier tables, uniques, literal and SQL defaults, a column group),
runs the real CLI on each in a fresh subprocess, and reports the median wall
time and the peak resident memory next to the cost of merely importing the
runtime dependencies:

    python -c "import yaml, jinja2, pydantic, sqlglot, click"

Usage:
    python bench/bench.py                       # 10, 100, 1000, 5000 tables, 5 runs each
    python bench/bench.py --sizes 10,5000 --runs 3
    python bench/bench.py --markdown            # a table for the README
    python bench/bench.py --stages              # each pipeline stage per size, in-process
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import yaml, jinja2, pydantic, sqlglot, click"

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


def measure(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MiB) of `cmd` over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        # wait4 gives the resource usage of exactly this child.
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"command failed: {' '.join(cmd)}\n{err}")
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return statistics.median(times), max(peaks)


_PEAK = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_of_tree(cmd: list[str], cwd: Path) -> float:
    """Peak RSS (MiB) of the largest process `cmd` runs: the command itself or the
    child it forks to check the DDL (a fresh parent sees both as its descendants)."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, *cmd], cwd=cwd, capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1]) / 1024


def interleaved(cmds: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median time and peak memory per command, running them in turn (a, b, a, b, ...)
    so that a slow spell of a shared machine touches every command alike."""
    samples: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            samples[name].append(measure(cmd, cwd, 1)[0])
    return {
        name: (statistics.median(times), peak_of_tree(cmds[name], cwd))
        for name, times in samples.items()
    }


def stages(sizes: list[int]) -> None:
    """Best-of-3 time of each pipeline stage per size, to show that none grows
    faster than the number of tables (run in-process, collector off as in the CLI)."""
    import gc

    gc.disable()
    sys.path.insert(0, str(ROOT))
    from generator.check import check_sql
    from generator.diagnostics import Diagnostics
    from generator.render import TARGETS, _environment, _normalise, template_dir
    from generator.resolve import resolve
    from generator.source import load_yaml
    from generator.spec import Spec

    rows: dict[int, dict[str, float]] = {}
    for size in sizes:
        raw = synthetic_spec(size).encode()
        best: dict[str, float] = {}
        for _ in range(3):
            times: dict[str, float] = {}
            diags = Diagnostics()
            t = time.perf_counter()
            doc = load_yaml(raw, "spec.yaml", diags)
            times["yaml"] = time.perf_counter() - t
            assert doc is not None
            t = time.perf_counter()
            spec = Spec.model_validate(doc.data)
            times["pydantic"] = time.perf_counter() - t
            t = time.perf_counter()
            schema = resolve(spec, doc, diags, "spec.yaml")
            times["resolve"] = time.perf_counter() - t
            assert schema is not None
            env = _environment(template_dir())
            files = {}
            for target in TARGETS:
                if schema.outputs.path(target.output) is None:  # not chosen
                    continue
                t = time.perf_counter()
                text = env.get_template(target.template).render(**target.context(schema))
                files[target.output] = _normalise(text)
                times[target.output] = time.perf_counter() - t
            t = time.perf_counter()
            check_sql(schema, files["schema_sql"], "spec.yaml")
            times["sqlglot check"] = time.perf_counter() - t
            best = {k: min(best.get(k, 1e9), v) for k, v in times.items()}
            gc.collect()
        rows[size] = best
    names = list(next(iter(rows.values())))
    print("seconds per stage (best of 3); last column: growth from the previous size")
    print(f"{'stage':<16}" + "".join(f"{n:>12,}" for n in sizes) + "   growth")
    for name in names:
        cells = "".join(f"{rows[n][name]:12.3f}" for n in sizes)
        growth = ""
        if len(sizes) > 1:
            a, b = sizes[-2], sizes[-1]
            growth = f"   {rows[b][name] / max(rows[a][name], 1e-9):.1f}x for {b / a:.0f}x tables"
        print(f"{name:<16}{cells}{growth}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10,100,1000,5000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--stages", action="store_true", help="time each stage in-process")
    args = parser.parse_args()
    if args.stages:
        stages([int(s) for s in args.sizes.split(",")])
        return
    python = sys.executable
    generate = [python, "-m", "generator", "generate"]
    with tempfile.TemporaryDirectory(prefix="schemagen-bench-") as tmp:
        work = Path(tmp)
        cmds = {"import floor (yaml, jinja2, pydantic, sqlglot, click)": [python, "-c", FLOOR]}
        cmds["repository schema.yaml (9 tables)"] = [
            *generate, "--spec", str(ROOT / "schema.yaml"), "--out", str(work / "repo-out")
        ]  # fmt: skip
        for size in [int(s) for s in args.sizes.split(",")]:
            spec = work / f"spec_{size}.yaml"
            spec.write_text(synthetic_spec(size))
            cmds[f"{size:,} tables (~12 columns each)"] = [
                *generate, "--spec", str(spec), "--out", str(work / f"out_{size}")
            ]  # fmt: skip
        # Small commands get more runs: their times are short and noisy.
        small = dict(list(cmds.items())[:2])
        results = interleaved(small, ROOT, max(args.runs, 3) * 3)
        results |= interleaved(dict(list(cmds.items())[2:]), ROOT, args.runs)
    floor_t = results[next(iter(cmds))][0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, medians")
    if args.markdown:
        print("\n| what | wall time | × floor | peak RSS |\n|---|---:|---:|---:|")
        for name, (t, m) in results.items():
            print(f"| {name} | {t:.3f} s | {t / floor_t:.2f}× | {m:.0f} MiB |")
    else:
        for name, (t, m) in results.items():
            print(f"{name:<58} {t:7.3f} s  {t / floor_t:5.2f}x floor  {m:6.0f} MiB")


if __name__ == "__main__":
    main()
