"""Migration intent written in the spec: ``renamed_from``, ``renamed_labels``, ``migrate``.

Read from the Spec (with positions), never from the resolved model: hints do
not change what the schema *is*, so ``generate``'s output and the snapshot
stay the same whether or not they are written.  They are never guessed and
never prompted for; ``compare.py`` says which line to add when one is missing.
"""

from __future__ import annotations

from dataclasses import field

from ..diagnostics import Span
from ..records import Value, record
from ..source import Document, Path, format_path
from ..spec import ColumnSpec, Spec


@record
class Hint(Value):
    value: str  # the old name (or, for migrate: the SQL expression)
    span: Span | None = None
    path: str = ""  # key path of the hint, for messages


Key = tuple[str, str]


@record
class Hints(Value):
    tables: dict[str, Hint] = field(default_factory=dict)  # new key -> old key
    enums: dict[str, Hint] = field(default_factory=dict)  # new key -> old key
    labels: dict[Key, Hint] = field(default_factory=dict)  # (enum key, new label) -> old
    columns: dict[Key, Hint] = field(default_factory=dict)  # (table key, column) -> old
    checks: dict[Key, Hint] = field(default_factory=dict)  # (table key, name) -> old name
    indexes: dict[Key, Hint] = field(default_factory=dict)  # (table key, name) -> old name
    backfill: dict[Key, Hint] = field(default_factory=dict)  # (table key, column) -> SQL
    using: dict[Key, Hint] = field(default_factory=dict)  # (table key, column) -> SQL
    sequences: dict[str, Hint] = field(default_factory=dict)  # new key -> old key


NO_HINTS = Hints()


def _hint(doc: Document | None, value: str, path: Path) -> Hint:
    span = doc.span(path) if doc is not None else None
    return Hint(value, span, format_path(path))


def _column(hints: Hints, doc: Document | None, key: Key, spec: ColumnSpec, path: Path) -> None:
    if spec.renamed_from is not None:
        hints.columns[key] = _hint(doc, spec.renamed_from, (*path, "renamed_from"))
    if spec.migrate is not None:
        if spec.migrate.backfill is not None:
            hints.backfill[key] = _hint(doc, spec.migrate.backfill, (*path, "migrate", "backfill"))
        if spec.migrate.using is not None:
            hints.using[key] = _hint(doc, spec.migrate.using, (*path, "migrate", "using"))


def from_spec(spec: Spec, doc: Document | None = None) -> Hints:
    hints = Hints()
    for name, enum in spec.enums.items():
        path: Path = ("enums", name)
        if enum.renamed_from is not None:
            hints.enums[name] = _hint(doc, enum.renamed_from, (*path, "renamed_from"))
        for new, old in enum.renamed_labels.items():
            hints.labels[name, new] = _hint(doc, old, (*path, "renamed_labels", new))
    for name, seq in spec.sequences.items():
        if seq.renamed_from is not None:
            path = ("sequences", name, "renamed_from")
            hints.sequences[name] = _hint(doc, seq.renamed_from, path)
    for tname, table in spec.tables.items():
        tpath: Path = ("tables", tname)
        if table.renamed_from is not None:
            hints.tables[tname] = _hint(doc, table.renamed_from, (*tpath, "renamed_from"))
        for cname, cspec in table.columns.items():
            if cname.startswith("..."):  # a group's hints hold in every table that uses it
                group = spec.column_groups.get(cname[3:], {})
                for gname, gspec in group.items():
                    gpath: Path = ("column_groups", cname[3:], gname)
                    _column(hints, doc, (tname, gname), gspec, gpath)
            elif cspec is not None:
                _column(hints, doc, (tname, cname), cspec, (*tpath, "columns", cname))
        for i, check in enumerate(table.checks):
            if not isinstance(check, str) and check.renamed_from is not None:
                hint = _hint(doc, check.renamed_from, (*tpath, "checks", i, "renamed_from"))
                hints.checks[tname, check.name or ""] = hint
        for i, index in enumerate(table.indexes):
            if index.renamed_from is not None:
                hint = _hint(doc, index.renamed_from, (*tpath, "indexes", i, "renamed_from"))
                hints.indexes[tname, index.name or ""] = hint
    return hints


def load(raw: bytes, file: str) -> Hints:
    """The hints of a spec file that ``pipeline.load_schema`` accepted."""
    from ..diagnostics import Diagnostics
    from ..source import load_yaml

    if not any(key in raw for key in (b"renamed_from", b"renamed_labels", b"migrate")):
        return NO_HINTS  # most specs: skip a second positioned parse (3 s at 1,000 tables)
    doc = load_yaml(raw, file, Diagnostics())
    if doc is None:
        return NO_HINTS
    return from_spec(Spec.model_validate(doc.data), doc)
