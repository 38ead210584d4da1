"""Benchmark `schemagen pull` on a 1,000-table database (issue 11).

Builds the database from bench.py's synthetic spec (about 12 columns per
table, foreign keys to earlier tables, uniques, defaults), with a check and an
index per table added on top, then times, in-process and through the real CLI:

- read_catalog: the catalog queries;
- pull: catalog -> spec text (including resolving the spec to settle names);
- the whole `schemagen pull --db URL --out FILE` command.

Usage:
    python bench/pull_bench.py                 # 1,000 tables, 3 runs
    python bench/pull_bench.py --tables 200 --runs 5

The PostgreSQL server is found as the tests find it (DATABASE_URL, the local
server, or a throwaway cluster); the database is created and dropped here.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench import synthetic_spec  # noqa: E402
from generator.pipeline import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import psycopg

    from generator.catalog import read_catalog
    from generator.catalog.server import find_server, fresh_database
    from generator.pull import pull

    spec = synthetic_spec(args.tables)
    ddl = generate(spec.encode(), "bench.yaml").files["schema.sql"]
    extra = "".join(
        f'ALTER TABLE "table_{i:05d}" ADD CHECK (field_2 >= 0);'
        f'CREATE INDEX ON "table_{i:05d}" (field_6 DESC) WHERE field_4;'
        for i in range(args.tables)
    )
    admin, cluster = find_server()
    try:
        with fresh_database(admin, prefix="schemagen_pull_bench") as url:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(ddl.encode())
                conn.execute(extra.encode())
                reads, pulls = [], []
                gc.disable()  # as the CLI runs (generator/_entry.py)
                for _ in range(args.runs):
                    start = time.perf_counter()
                    catalog = read_catalog(conn)
                    reads.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    pulled = pull(catalog)
                    pulls.append(time.perf_counter() - start)
                gc.enable()
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "schema.yaml"
                whole = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    subprocess.run(
                        [sys.executable, "-m", "generator", "pull", "--db", url, "--out", str(out)],
                        check=True,
                        cwd=ROOT,
                        capture_output=True,
                    )
                    whole.append(time.perf_counter() - start)
                lines = len(out.read_text().splitlines())
    finally:
        if cluster is not None:
            cluster.stop()
    columns = sum(len(t.columns) for t in catalog.tables)
    print(f"pull of {len(catalog.tables):,} tables ({columns:,} columns), median of {args.runs}:")
    print(f"  read_catalog          {statistics.median(reads):6.2f} s")
    print(f"  pull (catalog->spec)  {statistics.median(pulls):6.2f} s")
    print(f"  schemagen pull (CLI)  {statistics.median(whole):6.2f} s   ({lines:,} lines of YAML)")
    print(f"  notes: {len(pulled.notes)}")


if __name__ == "__main__":
    main()
