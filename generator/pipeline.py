"""The pure core: a spec file in, file contents (or diagnostics) out.

Nothing here writes to disk.  ``generate`` returns ``{relative path: text}``;
the CLI's writing and ``--check`` are thin consumers of that map (as sqlc's
``Generate`` and ``Diff``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath

from .diagnostics import Diagnostic, Diagnostics
from .model import Schema
from .source import load_yaml


@dataclass(eq=False, repr=False)
class Loaded:
    """A spec loaded, validated and resolved: the model, or the diagnostics why not."""

    schema: Schema | None
    diagnostics: list[Diagnostic]
    sources: dict[str, list[str]] = field(default_factory=dict)


@dataclass(eq=False, repr=False)
class Result:
    """What ``generate`` returns: file contents, or the diagnostics why not."""

    files: dict[str, str]
    diagnostics: list[Diagnostic]
    sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def load_schema(raw: bytes, file: str) -> Loaded:
    """Load, validate and resolve one spec. Never raises on bad input.

    Shape errors do not stop the run: the meaning of a repaired copy is
    checked too (spec/repair.py), less the errors the repair itself caused.
    """
    from .resolve import resolve
    from .spec.validate import validate

    diags = Diagnostics()
    doc = load_yaml(raw, file, diags)
    sources = {file: doc.lines} if doc is not None else {}
    if doc is None or diags:
        return Loaded(None, diags.sorted(), sources)
    checked = validate(doc, diags)
    if checked.spec is None:
        return Loaded(None, diags.sorted(), sources)
    if not checked.repaired:
        schema = resolve(checked.spec, doc, diags, FsPath(file).name)
        return Loaded(schema, diags.sorted(), sources)
    meaning = Diagnostics()
    resolve(checked.spec, doc, meaning, FsPath(file).name)
    diags.extend(d for d in meaning.items if not checked.is_follow_on(d))
    return Loaded(None, diags.sorted(), sources)


# Below this many columns (about 200 tables, 200 KB of DDL) a fork costs more than it saves.
PARALLEL_CHECK_COLUMNS = 2_500


def generate(
    raw: bytes, file: str, template_dir: FsPath | None = None, *, parallel: bool = False
) -> Result:
    """Spec bytes in, ``{relative path: contents}`` out (or diagnostics).

    With ``parallel`` (the command line asks for it) a large DDL is checked by
    sqlglot in a forked child while the Python modules render (background.py);
    the result is the same either way.  The child is forked before the DDL is
    rendered: it imports sqlglot and reads the model's side of the check while
    the parent renders schema.sql, then takes the DDL through a pipe.
    """
    loaded = load_schema(raw, file)
    schema = loaded.schema
    if schema is None:
        return Result({}, loaded.diagnostics, loaded.sources)
    from .background import Background
    from .check import prepare_check
    from .render import render_all

    check: Background[list[Diagnostic]] | None = None
    if schema.outputs.path("schema_sql") is not None:  # the output key (render.TARGETS)
        columns = sum(len(t.columns) for t in schema.tables)
        fork = parallel and columns >= PARALLEL_CHECK_COLUMNS
        check = Background(prepare_check, schema, file, fork=fork, late=True)

    def start_check(path: str, text: str) -> None:
        if path == "schema_sql" and check is not None:
            check.send(text)

    problems: list[Diagnostic] = []
    try:
        files = render_all(schema, template_dir, start_check)
    finally:  # a template error must not leave the child behind
        if check is not None:
            if check.sent:
                problems = check.result()
            else:
                check.cancel()
    return Result(files if not problems else {}, problems, loaded.sources)
