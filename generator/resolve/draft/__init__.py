"""The resolver's one working structure: what the passes have found so far.

Each pass reads the draft and adds to it (or reports a diagnostic); nothing
here decides anything.  ``build.py`` turns the finished draft into the read-only
model.  The methods here report problems the same way in every pass.

The passes import all they share from this module, never from the modules
beside it (tests/test_layering.py holds them to that), so it names what they
use of those modules too:

* ``parts.py``        a part per spec object (DraftTable, DraftColumn, ...)
                      and the readings of keys and types they share
* ``expressions.py``  users' SQL expressions analysed with pgsql: the
                      ``expression()`` family of Draft methods
* ``defaults.py``     a column's or domain's ``default:``: ``Draft.default()``
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...diagnostics import Diagnostics
from ...model import Default, Function, Outputs
from ...naming import IDENT_RE, MAX_IDENT_BYTES, ident_bytes
from ...source import Document, Path, format_path
from ...spec import Spec
from ...spec.objects import ViewSpec
from ...types import ColumnType, did_you_mean
from . import expressions
from .defaults import check_default
from .parts import (
    INDEX_COL,
    DraftCheck,
    DraftColumn,
    DraftDomain,
    DraftExclusion,
    DraftForeignKey,
    DraftIndex,
    DraftRelation,
    DraftSequence,
    DraftTable,
    DraftView,
    claim_name,
    same_table,
    spec_type_of,
    split_key,
    table_identity,
)


# eq=False, repr=False: as the parts (parts.py), never compared nor printed.
@dataclass(eq=False, repr=False)
class Draft:
    """The resolver's one working draft: what the passes have found so far, and their diagnostics."""

    spec: Spec
    doc: Document
    diags: Diagnostics
    source_name: str
    tables: dict[str, DraftTable] = field(default_factory=dict)
    enum_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    enum_classes: dict[str, str] = field(default_factory=dict)  # enum key -> class name
    domains: dict[str, DraftDomain] = field(default_factory=dict)
    sequences: dict[str, DraftSequence] = field(default_factory=dict)  # the valid ones
    # Names of tables and indexes, one namespace per PostgreSQL schema (None: default).
    relation_names: dict[str | None, set[str]] = field(default_factory=dict)
    class_names: frozenset[str] = frozenset()  # every generated class (attributes avoid them)
    functions: list[Function] = field(default_factory=list)
    outputs: Outputs = field(default_factory=Outputs)  # the files to write (pass outputs)
    views: list[DraftView] = field(default_factory=list)  # in dependency order
    raw_sql: dict[str, str] = field(default_factory=dict)  # "before"/"after" -> checked SQL
    # An expression as written -> as the DDL writes it (pgsql.quoting): filled by expression()
    rewrites: dict[str, str] = field(default_factory=dict)
    # A column's ``type:`` as written -> what it reads as (tables pass, _column_type)
    column_types: dict[str, tuple[str, ColumnType | None, str, str]] = field(default_factory=dict)
    # The tables and views as a view's query reads them: made by view_query()
    _view_sources: dict[tuple[str | None, str], Any] | None = None
    # extensions() and user_functions(), read from the spec at their first call:
    # every expression asks, and the spec does not change while it is resolved
    _extensions: frozenset[str] | None = None
    _user_functions: frozenset[str] | None = None
    _plain_names: set[str] = field(default_factory=set)  # that check_ident() accepted
    # (type, scalar info, value's type, value) -> the valid literal default (check_default)
    literal_defaults: dict[tuple[ColumnType, Any, type, Any], Default] = field(default_factory=dict)

    # Analysing an expression and checking a default are modules of their own
    # (expressions.py, defaults.py); their functions are bound here as methods,
    # so that a pass calls d.expression() and d.default() on the one draft.
    default = check_default
    expression = expressions.expression
    expression_type = expressions.expression_type
    written = expressions.written
    extensions = expressions.extensions
    user_functions = expressions.user_functions
    literal_refused = expressions.literal_refused
    literal_error = expressions.literal_error

    # -- reporting ---------------------------------------------------------------
    def error(
        self, code: str, message: str, path: Path, hint: str = "", *, key: bool = False
    ) -> None:
        span = self.doc.key_span(path) if key else self.doc.span(path)
        self.diags.add(code, message, span, path=format_path(path), hint=hint)

    def pg_problem(
        self, code: str, problem: tuple[str, str], path: Path, *, key: bool = False
    ) -> None:
        """A (message, hint) from the pgsql library, reported at ``path``."""
        self.error(code, problem[0], path, problem[1], key=key)

    def check_ident(self, name: str, what: str, path: Path) -> bool:
        if name in self._plain_names:  # tables repeat column names (id, created_at)
            return True
        if not IDENT_RE.fullmatch(name):
            self.error(
                "invalid-name",
                f"{what} name {name!r} is not a plain identifier",
                path,
                "use letters, digits and underscores, starting with a letter (snake_case)",
                key=True,
            )
            return False
        if ident_bytes(name) > MAX_IDENT_BYTES:
            self.error(
                "name-too-long",
                f"{what} name {name!r} is {ident_bytes(name)} bytes; PostgreSQL keeps {MAX_IDENT_BYTES}",
                path,
                f"shorten it to at most {MAX_IDENT_BYTES} bytes (PostgreSQL would truncate it silently)",
                key=True,
            )
            return False
        self._plain_names.add(name)
        return True

    def check_key(self, key: str, what: str, path: Path) -> bool:
        """A table or enum key: ``name`` or ``schema.name``, each part an identifier."""
        if key.count(".") > 1:
            self.error(
                "invalid-name",
                f"{what} name {key!r} has more than one dot",
                path,
                f"write the {what} as 'name' or 'schema.name', e.g. 'auth.users'",
                key=True,
            )
            return False
        schema, name = split_key(key)
        ok = self.check_ident(name, what, path)
        if schema is not None:
            ok = self.check_ident(schema, "schema", path) and ok
        return ok

    def column_list(
        self, table: DraftTable, names: list[str], path: Path
    ) -> tuple[str, ...] | None:
        """Columns a key, index or foreign key lists: each exists, once; None on error."""
        ok = True
        for i, name in enumerate(names):
            if name not in table.columns:
                ok = False
                self.error(
                    "unknown-column",
                    f"table {table.key!r} has no column {name!r}",
                    path + (i,),
                    did_you_mean(name, list(table.columns))
                    or f"columns: {', '.join(table.columns)}",
                )
        if len(set(names)) != len(names):
            self.error(
                "duplicate-column", "a column is listed twice", path, "list each column once"
            )
            ok = False
        if not names:
            self.error("empty-key", "the column list is empty", path, "name at least one column")
            ok = False
        return tuple(names) if ok else None

    def view_query(
        self, spec: ViewSpec, path: Path, declared: list[tuple[str, ColumnType]]
    ) -> bool:
        """Type-check a view's query and hold its declared columns to it (viewquery.py);
        True when nothing is wrong."""
        from ..viewquery import check, relations

        if self._view_sources is None:  # the tables are all read by now
            self._view_sources = relations(self)
        return check(self, spec, path, declared, self._view_sources)


__all__ = [
    "INDEX_COL",
    "Draft",
    "DraftCheck",
    "DraftColumn",
    "DraftDomain",
    "DraftExclusion",
    "DraftForeignKey",
    "DraftIndex",
    "DraftRelation",
    "DraftSequence",
    "DraftTable",
    "DraftView",
    "claim_name",
    "same_table",
    "spec_type_of",
    "split_key",
    "table_identity",
]
