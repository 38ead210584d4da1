"""Golden migrations for the hard cases (issue 10): ``tests/migrate_cases/<name>/``.

Each folder holds ``a.yaml`` and ``b.yaml`` (B carries its hints), the expected
``up.sql`` and ``down.sql``, and optionally ``seed.sql`` (rows inserted into A),
``after.sql`` (run after up; its ASSERTs check that the data survived) and
``flags`` (``online``).  On PostgreSQL, the golden up.sql itself is run with
``psql -v ON_ERROR_STOP=1 -f`` on a populated A: the catalog must equal B's,
and down.sql must give A's back.  Rewrite the goldens with ``--update-golden``.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from migdb import catalog, ddl, differences, plan, psql, reset

CASES = sorted(p for p in (Path(__file__).parent / "migrate_cases").iterdir() if p.is_dir())


def _plan(case: Path):  # type: ignore[no-untyped-def]
    flags = (case / "flags").read_text().split() if (case / "flags").exists() else []
    return plan(
        (case / "a.yaml").read_bytes(), (case / "b.yaml").read_bytes(), online="online" in flags
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_sql(case: Path, update_golden: bool) -> None:
    migration = _plan(case)
    for name, text in (("up.sql", migration.up_sql), ("down.sql", migration.down_sql)):
        if update_golden:
            (case / name).write_text(text)
        assert (case / name).read_text() == text, f"{case.name}/{name} differs"


@pytest.mark.postgres
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_sql_on_postgres(case: Path, pg_url: str) -> None:
    a, b = (case / "a.yaml").read_bytes(), (case / "b.yaml").read_bytes()
    optional = {n: (case / n).read_text() for n in ("seed.sql", "after.sql") if (case / n).exists()}
    with psycopg.connect(pg_url, autocommit=True) as conn:
        psql(pg_url, ddl(b))
        want_b = catalog(conn)
        reset(conn)
        psql(pg_url, ddl(a))
        want_a = catalog(conn)
        psql(pg_url, optional.get("seed.sql", ""))
        psql(pg_url, (case / "up.sql").read_text())
        assert differences(catalog(conn), want_b) == []
        # after.sql may add rows that only B can hold: checked, then rolled back
        psql(pg_url, "BEGIN;\n" + optional.get("after.sql", "") + "\nROLLBACK;\n")
        psql(pg_url, (case / "down.sql").read_text())
        assert differences(catalog(conn), want_a) == []
