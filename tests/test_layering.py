"""The package's stages import only earlier stages, and resolve passes import no
other pass.

To add a module or package, add its name to STAGES at the stage it belongs
to; a module the map does not know fails ``test_every_module_has_a_stage``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.resolve import PASSES

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Stage rank -> module names (a package name covers its modules).  A module may
# import its own stage and earlier ones.  The model is the vocabulary resolve
# writes, so it comes before resolve, which builds it once at the end.
STAGES: dict[int, tuple[str, ...]] = {
    # libraries every stage may use: no reading, no deciding
    0: (
        "generator", "diagnostics", "records", "pgkeywords", "naming", "types", "sqltext", "sqlexpr",
        "pgsql",
    ),
    1: ("source", "pgsql.positions"),  # load: YAML with positions
    2: ("spec", "recover", "jsonschema"),  # the spec's shape
    3: ("model",),  # the resolved model's dataclasses
    # spec -> model, and the PostgreSQL checks of a resolved model
    4: ("resolve", "typeref", "literals", "temporal"),
    # consumers of the model
    5: ("outputs", "render", "check", "migrate", "pull", "catalog"),
    # pull checks the spec it writes with the pipeline's load_schema
    6: ("pipeline", "background", "emit", "pgsql.validate_db", "pull",
        "migrate.folder"),  # the pure core's driver and the writer
    # the command line, and the commands' own modules (they share its reporting)
    7: ("cli", "_entry", "__main__", "init", "migrate.diffcmd", "migrate.commands", "migrate.cmdutil",
        "migrate.dbcommands", "pull.command",
        "pull.drift"),
}  # fmt: skip
RANK = {name: rank for rank, names in STAGES.items() for name in names}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every generator module the file imports, at the top or inside a function."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("generator")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("generator"):
                target = node.module
            else:
                continue
            found.add(target)
            if node.module is None:  # from . import x, y: each is a module
                found |= {f"{target}.{a.name}" for a in node.names}
    return found


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if parts == ["generator"]:
        return RANK["generator"]
    # The longest listed prefix decides: ``pgsql`` is a leaf library, but its
    # ``pgsql.validate_db`` is a command that drives the whole pipeline.
    for end in range(len(parts), 1, -1):
        rank = RANK.get(".".join(parts[1:end]))
        if rank is not None:
            return rank
    return None


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_stage() -> None:
    unknown = [_module_name(p) for p in MODULES if _stage(_module_name(p)) is None]
    assert not unknown, f"add these to STAGES in tests/test_layering.py: {unknown}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_a_module_imports_no_later_stage(path: Path) -> None:
    module = _module_name(path)
    mine = _stage(module)
    assert mine is not None
    later = sorted(
        f"{target} (stage {_stage(target)})"
        for target in _imports(path)
        if (_stage(target) or 0) > mine
    )
    assert not later, f"{module} (stage {mine}) imports a later stage: {later}"


def test_resolve_passes_import_no_other_pass() -> None:
    passes = {f"generator.resolve.{p.name}" for p in PASSES}
    for name in sorted(passes):
        path = PACKAGE / "resolve" / f"{name.rpartition('.')[2]}.py"
        others = sorted(_imports(path) & (passes - {name}))
        assert not others, f"{name} imports other passes: {others}"
        shared = {i for i in _imports(path) if i.startswith("generator.resolve")}
        assert shared <= {"generator.resolve.draft"}, f"{name} imports {shared}"


def test_the_import_reader_sees_relative_and_lazy_imports() -> None:
    """The checks above are only as good as the import reader: show it works."""
    assert "generator.resolve.draft" in _imports(PACKAGE / "resolve" / "keys.py")
    assert "generator.resolve.keys" in _imports(PACKAGE / "resolve" / "__init__.py")
    assert "generator.check" in _imports(PACKAGE / "pipeline.py")  # inside a function
    assert "generator.types" in _imports(PACKAGE / "naming.py")  # inside a function
    assert _stage("generator.outputs.postgres") == 5 > _stage("generator.model") == 3  # type: ignore[operator]
