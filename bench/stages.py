"""Each pipeline stage timed in-process (`bench.py --stages`).

Every round runs in a fresh process: the pipeline memoizes what specs repeat
(an expression's parse, a YAML scalar's reading), and a second round in the
same process would find those answers already there and look faster than
any real run.  A stage's time includes the imports it makes lazily (pglast in
resolve, sqlglot's parser in the check), as a real run pays them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from bench import ROOT, synthetic_spec

ROUNDS = 3


def one_round(size: int) -> dict[str, float]:
    """CPU seconds of each stage of one run, in this process (collector off as in the CLI)."""
    import gc

    gc.disable()
    sys.path.insert(0, str(ROOT))
    from generator.check import check_sql
    from generator.diagnostics import Diagnostics
    from generator.render import TARGETS, _environment, _normalise, template_dir
    from generator.resolve import resolve
    from generator.source import load_yaml
    from generator.spec import Spec

    raw = synthetic_spec(size).encode()
    times: dict[str, float] = {}
    diags = Diagnostics()
    t = time.process_time()
    doc = load_yaml(raw, "spec.yaml", diags)
    times["yaml"] = time.process_time() - t
    assert doc is not None
    t = time.process_time()
    spec = Spec.model_validate(doc.data)
    times["spec (pydantic)"] = time.process_time() - t
    t = time.process_time()
    schema = resolve(spec, doc, diags, "spec.yaml")
    times["resolve"] = time.process_time() - t
    assert schema is not None
    env = _environment(template_dir())
    files = {}
    for target in TARGETS:
        if schema.outputs.path(target.output) is None:  # not chosen
            continue
        t = time.process_time()
        text = env.get_template(target.template).render(**target.context(schema))
        files[target.output] = _normalise(text)
        times[target.output] = time.process_time() - t
    t = time.process_time()
    check_sql(schema, files["schema_sql"], "spec.yaml")
    times["sqlglot check"] = time.process_time() - t
    return times


def stages(sizes: list[int]) -> None:
    """Best-of-3 CPU time of each pipeline stage per size, to show that none grows
    faster than the number of tables; each round a fresh process."""
    rows: dict[int, dict[str, float]] = {}
    for size in sizes:
        best: dict[str, float] = {}
        for _ in range(ROUNDS):
            out = subprocess.run(
                [sys.executable, __file__, str(size)], capture_output=True, text=True, check=True
            )
            times = json.loads(out.stdout)
            best = {k: min(best.get(k, 1e9), v) for k, v in times.items()}
        rows[size] = best
    names = list(next(iter(rows.values())))
    print(f"CPU seconds per stage (best of {ROUNDS} fresh processes); last column: growth")
    print(f"{'stage':<16}" + "".join(f"{n:>12,}" for n in sizes) + "   growth")
    for name in names:
        cells = "".join(f"{rows[n][name]:12.3f}" for n in sizes)
        growth = ""
        if len(sizes) > 1:
            a, b = sizes[-2], sizes[-1]
            growth = f"   {rows[b][name] / max(rows[a][name], 1e-9):.1f}x for {b / a:.0f}x tables"
        print(f"{name:<16}{cells}{growth}")


if __name__ == "__main__":  # one round, for stages()
    print(json.dumps(one_round(int(sys.argv[1]))))
