"""generator.pgsql's shape: leaves that import nothing else of schemagen, heavy imports deferred."""

from __future__ import annotations

import ast
import subprocess
import sys

from cli import ROOT, cli_env

PACKAGE = ROOT / "generator" / "pgsql"
CONSUMERS = {"validate_db.py", "positions.py"}
# The one module outside the package a leaf may use: how the generator declares
# a record (records.py), which itself imports nothing of schemagen.
SHARED = ROOT / "generator" / "records.py"


def test_leaves_import_only_each_other() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in CONSUMERS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                shared = node.level == 2 and node.module == SHARED.stem
                assert node.level == 1 or shared, f"{path.name} reaches outside generator.pgsql"
                assert f"{node.module}.py" not in CONSUMERS, f"{path.name} imports a consumer"
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not (node.module or "").startswith("generator"), path.name


def test_the_shared_records_module_imports_nothing_of_schemagen() -> None:
    for node in ast.walk(ast.parse(SHARED.read_text())):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("generator")
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("generator") for a in node.names)


def test_importing_the_library_loads_neither_pglast_nor_psycopg() -> None:
    code = (
        "import sys; import generator.pgsql.expr, generator.resolve,"
        " generator.pgsql.validate_db, generator.pgsql.limits, generator.pgsql.opclasses;"
        " print(sorted(m for m in ('pglast', 'psycopg') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
