"""The pure core: a spec file in, file contents (or diagnostics) out.

Nothing here writes to disk.  ``generate`` returns ``{relative path: text}``;
the CLI's writing and ``--check`` are thin consumers of that map (as sqlc's
``Generate`` and ``Diff``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from .diagnostics import Diagnostic, Diagnostics, Span
from .model import Schema
from .recover import repaired
from .source import Document, Path, format_path, load_yaml
from .types import did_you_mean


@dataclass
class Loaded:
    schema: Schema | None
    diagnostics: list[Diagnostic]
    sources: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Result:
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def _field_names() -> list[str]:
    """Every key the spec language knows, for did-you-mean on an unknown key."""
    from pydantic import BaseModel

    from . import spec

    names: set[str] = set()
    for model in vars(spec).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.update(model.model_fields)
    return sorted(names)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _pydantic_diagnostics(exc: Any, doc: Document, diags: Diagnostics) -> None:
    """Turn pydantic's errors into positioned diagnostics with hints."""
    errors = exc.errors(include_url=False)
    unknown = {tuple(e["loc"]) for e in errors if e["type"] == "extra_forbidden"}
    for err in errors:
        loc: Path = tuple(err["loc"])
        kind = err["type"]
        value = err.get("input")
        scalar = doc.scalars.get(loc)
        hint = ""
        if kind == "extra_forbidden":
            key = str(loc[-1])
            message = f"unknown key {key!r}"
            hint = (
                did_you_mean(key, _field_names())
                or "remove it; see the spec reference in the README"
            )
            if re.fullmatch(r"\s*[0-9]+\s*\)", key):
                # {type: numeric(12,2)}: inside a flow mapping the comma ends the value.
                message = "a type's parameters were split at the comma inside {...}"
                hint = "quote the type: type: 'numeric(12,2)', or use the block form"
            diags.add("unknown-key", message, doc.key_span(loc), path=format_path(loc), hint=hint)
            continue
        if kind == "missing":
            key = str(loc[-1])
            parent = loc[:-1]
            typos = [u[-1] for u in unknown if u[:-1] == parent and did_you_mean(str(u[-1]), [key])]
            if typos:  # 'colums:' is reported as an unknown key with "did you mean 'columns'?"
                continue
            diags.add(
                "missing-key",
                f"missing required key {key!r}",
                doc.key_span(parent) if parent else Span(doc.file, 1, 1),
                path=format_path(loc),
                hint=f"add '{key}:'",
            )
            continue
        if kind == "bool_type":
            message = f"expected true or false, got {_describe(value)}"
            hint = "write true or false"
            if scalar and scalar.ambiguous:
                hint = f"{scalar.raw!r} is not a boolean in YAML 1.2; write true or false"
            elif scalar and not scalar.plain and value in ("true", "false"):
                hint = f"remove the quotes: write {value}"
        elif kind == "string_type":
            message = f"expected a string, got {_describe(value)}"
            raw = scalar.raw if scalar else value
            hint = f"quote it: '{raw}'" if scalar else "write a string here"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = f"expected a mapping, got {_describe(value)}"
            hint = "write 'key: value' pairs here, indented under this key"
        elif kind == "list_type":
            message = f"expected a list, got {_describe(value)}"
            hint = "write a list, e.g. [a, b]"
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{_describe(value)} is not a valid {loc[-1]}"
            options = re.findall(r"'([^']*)'", expected)
            guess = did_you_mean(str(value), options) if isinstance(value, str) else ""
            hint = f"{guess} expected {expected}" if guess else f"expected {expected}"
        else:
            message = err["msg"]
        diags.add("invalid-value", message, doc.span(loc), path=format_path(loc), hint=hint)


def load_schema(raw: bytes, file: str) -> Loaded:
    """Load, validate and resolve one spec. Never raises on bad input."""
    from pydantic import ValidationError

    from .resolve import resolve
    from .spec import Spec

    diags = Diagnostics()
    doc = load_yaml(raw, file, diags)
    sources = {file: doc.lines} if doc is not None else {}
    if doc is None or diags:
        return Loaded(None, diags.sorted(), sources)
    if not isinstance(doc.data, dict):
        diags.add(
            "invalid-value",
            f"the spec must be a mapping, got {_describe(doc.data)}",
            doc.span(()),
            hint="start with 'version: 1' and a 'tables:' mapping",
        )
        return Loaded(None, diags.sorted(), sources)
    try:
        spec = Spec.model_validate(doc.data)
    except ValidationError as exc:
        _pydantic_diagnostics(exc, doc, diags)
        repair = repaired(exc.errors(include_url=False), doc.data)
        if repair is None:
            return Loaded(None, diags.sorted(), sources)
        fixed, doc.renamed = repair
        try:  # check the rest too, on a safely repaired copy (recover.py)
            spec = Spec.model_validate(fixed)
        except ValidationError:
            return Loaded(None, diags.sorted(), sources)
        resolve(spec, doc, diags, FsPath(file).name)
        return Loaded(None, diags.sorted(), sources)
    schema = resolve(spec, doc, diags, FsPath(file).name)
    return Loaded(schema, diags.sorted(), sources)


# Below this size of DDL (about 200 tables) a fork costs more than it saves.
PARALLEL_CHECK_BYTES = 200_000


def generate(
    raw: bytes, file: str, template_dir: FsPath | None = None, *, parallel: bool = False
) -> Result:
    """Spec bytes in, ``{relative path: contents}`` out (or diagnostics).

    With ``parallel`` (the command line asks for it) a large DDL is checked by
    sqlglot in a forked child while the Python modules render (background.py);
    the result is the same either way.
    """
    loaded = load_schema(raw, file)
    schema = loaded.schema
    if schema is None:
        return Result({}, loaded.diagnostics, loaded.sources)
    from .background import Background
    from .render import render_all
    from .sqlcheck import check_sql

    checks: list[Background[list[Diagnostic]]] = []

    def start_check(path: str, text: str) -> None:
        if path == "schema_sql":  # the output key (render.TARGETS), whatever its path
            fork = parallel and len(text) >= PARALLEL_CHECK_BYTES
            checks.append(Background(check_sql, schema, text, file, fork=fork))

    try:
        files = render_all(schema, template_dir, start_check)
    finally:  # a template error must not leave the child behind
        problems = [p for check in checks for p in check.result()]
    return Result(files if not problems else {}, problems, loaded.sources)
