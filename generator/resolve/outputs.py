"""Pass ``outputs``: the files ``outputs:`` chooses, their paths checked."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..model import Outputs
from ..source import Path
from ..spec.outputs import DEFAULT_PATHS, OUTPUTS
from .draft import Draft

_PACKAGE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def _path_problem(path: str, suffixes: tuple[str, ...]) -> str:
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or "\\" in path or "\x00" in path:
        return "is not a relative path"
    if pure.as_posix() != path or any(p in (".", "..") or p.startswith(".") for p in pure.parts):
        return "must be a plain path inside the output folder (no '.', '..' or hidden names)"
    if pure.suffix not in suffixes:
        return f"must end in {' or '.join(suffixes)}"
    return ""


def run(d: Draft) -> None:
    d.outputs = _choose(d)


def _choose(d: Draft) -> Outputs:
    """The chosen outputs; each problem is reported at its key."""
    spec = d.spec.outputs
    if spec is None:
        return Outputs()
    paths: list[tuple[str, str]] = []
    taken: dict[str, str] = {}
    for key, (default, suffixes) in OUTPUTS.items():
        value = getattr(spec, key)
        if value is False:
            continue
        path = (default or DEFAULT_PATHS[key]) if value is True else str(value)
        where: Path = ("outputs", key)
        problem = _path_problem(path, suffixes)
        if problem:
            hint = f"e.g. {default or DEFAULT_PATHS[key]}"
            d.error("invalid-output", f"output path {path!r} {problem}", where, hint)
            continue
        if path in taken:
            message = f"{key} and {taken[path]} both write {path!r}"
            d.error("invalid-output", message, where, "give each output its own path")
            continue
        taken[path] = key
        paths.append((key, path))
    if not _PACKAGE_RE.fullmatch(spec.python_package):
        d.error(
            "invalid-output",
            f"python_package {spec.python_package!r} is not a dotted Python import path",
            ("outputs", "python_package"),
            "e.g. app.db",
        )
    return Outputs(tuple(paths), spec.python_package, spec.line_length)
