"""The ER diagram parses with Mermaid's own parser, for every spec we have.

(The data dictionary is checked as a golden file: tests/cases/outputs_all.)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from nodetools import SOURCE, run, workdir
from test_drizzle import SPECS, load

from generator.model import Outputs
from generator.render import render_all


def test_every_er_diagram_parses_with_mermaid(node_tools: Path, tmp_path: Path) -> None:
    folder = workdir(node_tools, tmp_path)
    files = []
    for name, spec in SPECS.items():
        for path in ("erd.mmd", "erd.md"):
            outputs = Outputs((("mermaid", path),))
            text = render_all(dataclasses.replace(load(spec), outputs=outputs))[path]
            (folder / f"{name}.{path}").write_text(text, encoding="utf-8")
            files.append(f"{name}.{path}")
    (folder / "parse.mjs").write_bytes((SOURCE / "parse_mermaid.mjs").read_bytes())
    out = run(node_tools, ["node", "parse.mjs", *files], folder)
    assert f"parsed {len(files)} diagrams" in out


def test_mermaid_parse_can_fail(node_tools: Path, tmp_path: Path) -> None:
    folder = workdir(node_tools, tmp_path)
    (folder / "bad.mmd").write_text("erDiagram\n    a ||--o{ : broken\n")
    (folder / "parse.mjs").write_bytes((SOURCE / "parse_mermaid.mjs").read_bytes())
    with pytest.raises(pytest.fail.Exception):
        run(node_tools, ["node", "parse.mjs", "bad.mmd"], folder)
