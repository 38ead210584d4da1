"""Random valid specs (the strategy of tests/test_properties.py) through Drizzle.

One draw is a batch of specs, so the Node tools run once per batch: every
schema.ts passes ``tsc --strict`` and ``prettier --check``, and drizzle-kit's
DDL of each builds the same catalog as its schema.sql.  Reserved words, long
and odd names, enums with any labels, cycles, self-references and junctions
(to two tables or to one) included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from nodetools import run, workdir
from test_drizzle import assert_same_catalog, render
from test_properties import FIXED, dump, spec

from generator.pipeline import load_schema


@settings(FIXED, max_examples=1)
@given(batch=st.lists(spec(junctions=True), min_size=6, max_size=6))
def test_random_specs_through_tsc_prettier_and_drizzle_kit(
    batch: list[dict[str, Any]], node_tools: Path, pg_server: str, tmp_path_factory: Any
) -> None:
    root = workdir(node_tools, tmp_path_factory.mktemp("random"))
    schemas = {}
    for i, data in enumerate(batch):
        loaded = load_schema(dump(data), "schema.yaml")
        if loaded.schema is None:  # a Python-only naming clash: not this test's subject
            continue
        (root / f"s{i}").mkdir()
        for rel, text in render(loaded.schema).items():
            (root / f"s{i}" / rel).write_text(text, encoding="utf-8")
        schemas[f"s{i}"] = loaded.schema
    assert len(schemas) >= len(batch) // 2
    (root / "tsconfig.json").write_text(
        '{"compilerOptions": {"strict": true, "noEmit": true, "target": "ES2022",'
        ' "module": "NodeNext", "moduleResolution": "NodeNext", "skipLibCheck": true,'
        ' "types": ["node"]}, "include": ["*/schema.ts"]}\n'
    )
    run(node_tools, ["tsc", "-p", "tsconfig.json"], root)
    run(node_tools, ["prettier", "--check", "*/schema.ts"], root)
    for name, schema in schemas.items():
        folder = root / name
        drizzle_kit = ["drizzle-kit", "generate", "--dialect", "postgresql"]
        out = ["--schema", "./schema.ts", "--out", "./drizzle", "--name", "init"]
        run(node_tools, [*drizzle_kit, *out], folder)
        assert_same_catalog(folder, schema, pg_server)
