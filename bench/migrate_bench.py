"""Benchmark `schemagen migrate new` on a 1,000-table spec with 10% of tables changed
(issue 10), beside `schemagen generate` on the same spec, in one interleaved run.

Set-up (not timed): bench.py's synthetic spec, and its initial migration written
by `schemagen migrate new init`.  Then every tenth table gains a column and loses
its description, and each round times, in turn:

- `schemagen migrate new change` into a fresh copy of the folder holding only the
  initial migration (so every run plans and writes the same second migration);
- `schemagen generate` of the changed spec into a fresh output folder.

Usage:
    python bench/migrate_bench.py                  # 1,000 tables, 5 runs
    python bench/migrate_bench.py --tables 200 --runs 7
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import synthetic_spec  # noqa: E402

SCHEMAGEN = [sys.executable, "-m", "generator"]


def changed_spec(spec: str, every: int = 10) -> str:
    """Every `every`-th table gains a nullable column and loses its description."""
    out: list[str] = []
    for line in spec.splitlines():
        if line.startswith("  table_") and int(line[8:13]) % every == 0:
            out.append(line)
            out.append("    columns:")
            out.append("      added_note: {type: text, nullable: true}")
            continue
        just_added = bool(out) and out[-1] == "      added_note: {type: text, nullable: true}"
        if just_added and (line.strip().startswith("description:") or line == "    columns:"):
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="schemagen-migrate-bench-") as tmp:
        work = Path(tmp)
        spec = synthetic_spec(args.tables)
        (work / "schema.yaml").write_text(spec)
        init = timed([*SCHEMAGEN, "migrate", "new", "init"], work)
        base = work / "base"
        shutil.copytree(work / "migrations", base)
        changed = changed_spec(spec)
        assert changed != spec
        (work / "schema.yaml").write_text(changed)
        times: dict[str, list[float]] = {"migrate new (10% changed)": [], "generate": []}
        for k in range(args.runs):
            shutil.rmtree(work / "migrations")
            shutil.copytree(base, work / "migrations")
            times["migrate new (10% changed)"].append(
                timed([*SCHEMAGEN, "migrate", "new", "change"], work)
            )
            out = work / f"out_{k}"
            times["generate"].append(timed([*SCHEMAGEN, "generate", "--out", str(out)], work))
            shutil.rmtree(out)
        written = sorted(p.name for p in (work / "migrations").iterdir() if p.is_dir())
        assert written == ["0001_init", "0002_change"], written

    print(f"{args.tables} tables, {args.runs} runs interleaved, median wall seconds")
    print(f"  migrate new init (once)      {init:8.2f}")
    gen = statistics.median(times["generate"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<28} {median:8.2f}   {median / gen:5.2f}x generate")


if __name__ == "__main__":
    main()
