"""The resolver's one working structure: what the passes have found so far.

Each pass reads the draft and adds to it (or reports a diagnostic); nothing
here decides anything.  ``build.py`` turns the finished draft into the frozen
model.  The helpers at the end report problems the same way in every pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Diagnostics, Span
from ..model import Default, Function, Limits, Outputs, Policy, Trigger, nextval_sql
from ..naming import IDENT_RE, MAX_IDENT_BYTES, constraint_name, ident_bytes
from ..source import Document, Path, format_path
from ..spec import ColumnSpec, Spec, TableSpec
from ..spec.models import IndexColumnSpec
from ..spec.objects import ViewSpec
from ..sqltext import LiteralError
from ..typeref import SERIALS, check_column_literal
from ..types import ColumnType, did_you_mean

if TYPE_CHECKING:
    from ..pgsql.expr import Analysis, Kind

# An index column as the spec writes it: a name, optionally asc/desc.
INDEX_COL = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc|ASC|DESC))?\s*")

# The drafts are mutable builders, each one object: eq=False, repr=False (never
# compared nor printed) spare the generated methods (17 M instructions a run).


@dataclass(eq=False, repr=False)
class DraftColumn:
    name: str
    spec: ColumnSpec
    path: Path  # where the column is written (a group's columns point into the group)
    type: ColumnType | None = None
    default: Default | None = None
    attr: str = ""  # Python attribute name
    json_alias: str | None = None
    limits: Limits = Limits()
    serial: str = ""  # written as serial, bigserial or smallserial: which one
    sequence: str = ""  # the sequence a serial column owns, named by the names pass
    shared_sequence: str = ""  # default: {sequence: key}: the key of that sequence


@dataclass(eq=False, repr=False)
class DraftForeignKey:
    columns: tuple[str, ...]
    ref_table: str  # the referenced table's key
    ref_columns: tuple[str, ...]
    on_delete: str
    on_update: str
    relation: str | None  # relationship names the spec gives
    inverse: str | None
    index: bool | None  # index the columns: the spec's choice, None for the default
    path: Path
    name: str = ""
    cyclic: bool = False


@dataclass(eq=False, repr=False)
class DraftCheck:
    name: str | None  # None: PostgreSQL's choice, given by the names pass
    sql: str
    columns: tuple[str, ...]  # the columns it reads; the first names it
    path: Path


@dataclass(eq=False, repr=False)
class DraftIndex:
    cols: tuple[tuple[str, bool], ...]  # (column, descending); "" for an expression
    unique: bool
    using: str
    where: str | None
    include: tuple[str, ...]
    path: Path
    name: str = ""
    named: bool = False  # the spec gave the name
    referenced: bool = False  # a foreign key references its columns (indexes pass)
    expressions: tuple[str | None, ...] = ()  # per column: the SQL of an expression
    opclasses: tuple[str | None, ...] = ()  # per column: a non-default operator class
    nulls_not_distinct: bool = False


@dataclass(eq=False, repr=False)
class DraftDomain:
    key: str  # ``year`` or ``schema.year``
    type: ColumnType  # the base type
    nullable: bool
    default: Default | None
    checks: list[tuple[str, str]]  # (constraint name, SQL over VALUE)
    description: str | None
    path: Path


@dataclass(eq=False, repr=False)
class DraftSequence:
    """A ``sequences:`` entry, its options made explicit (PostgreSQL's defaults filled in)."""

    key: str  # ``order_numbers`` or ``billing.order_numbers``
    data_type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int
    cycle: bool
    owned_by: tuple[str, str] | None  # (table key, column), as written; checked by columns
    description: str | None
    path: Path

    @property
    def nextval_sql(self) -> str:
        """nextval() of it, as the catalog prints a column's default."""
        return nextval_sql(*split_key(self.key))


@dataclass(eq=False, repr=False)
class DraftExclusion:
    elements: tuple[tuple[str, str], ...]  # (column, operator)
    using: str
    where: str | None
    path: Path
    name: str = ""
    named: bool = False


@dataclass(eq=False, repr=False)
class DraftRelation:
    name: str
    target: str
    fk: DraftForeignKey  # the foreign key it follows (the junction's, for secondary)
    many: bool
    back_populates: str
    owner_side: bool
    optional: bool
    secondary: str | None = None
    # A junction whose two keys reach one table: its key to the rows collected
    # (``fk`` is then the key to this row), as SQLAlchemy cannot tell them apart.
    far: DraftForeignKey | None = None
    # The ORM choices, made by the orm pass.
    passive_deletes: bool | Literal["all"] = False
    cascade: str | None = None
    post_update: bool = False
    overlaps: tuple[str, ...] = ()
    foreign_keys: tuple[str, ...] = ()
    remote_side: tuple[str, ...] = ()
    primaryjoin: tuple[str, str] | None = None
    secondaryjoin: tuple[str, str] | None = None


@dataclass(eq=False, repr=False)
class DraftTable:
    key: str  # as the spec names it: ``users`` or ``auth.users``
    spec: TableSpec
    path: Path
    columns: dict[str, DraftColumn] = field(default_factory=dict)
    folded: dict[str, DraftColumn] = field(default_factory=dict)  # by lower-cased name
    pk: tuple[str, ...] = ()
    pk_name: str = ""
    uniques: list[tuple[tuple[str, ...], Path]] = field(default_factory=list)
    unique_names: list[str] = field(default_factory=list)
    nulls_not_distinct: set[tuple[str, ...]] = field(default_factory=set)  # of the uniques
    fks: list[DraftForeignKey] = field(default_factory=list)
    checks: list[DraftCheck] = field(default_factory=list)
    indexes: list[DraftIndex] = field(default_factory=list)
    exclusions: list[DraftExclusion] = field(default_factory=list)
    on_update_trigger: tuple[str, ...] = ()
    triggers: list[Trigger] = field(default_factory=list)
    row_level_security: tuple[bool, bool] = (False, False)  # (enabled, forced)
    policies: list[Policy] = field(default_factory=list)
    class_name: str = ""
    attrs: set[str] = field(default_factory=set)  # the columns' Python attribute names
    relations: list[DraftRelation] = field(default_factory=list)
    # ``auth.users`` -> ``auth`` (None for the default schema) and ``users``
    namespace: str | None = field(init=False)
    bare: str = field(init=False)
    _expression_columns: tuple[dict[str, str], tuple[str, ...]] | None = field(
        default=None, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.namespace, self.bare = split_key(self.key)

    def expression_columns(self) -> tuple[dict[str, str], tuple[str, ...]]:
        """What an expression on this table reads: each column's type as pgsql reads it,
        and the generated columns.  Computed once, at the first expression: every
        column exists by then (the tables pass analyses defaults after adding them all)."""
        if self._expression_columns is None:
            types = {name: _expression_type(c) for name, c in self.columns.items()}
            generated = tuple(n for n, c in self.columns.items() if c.spec.generated is not None)
            self._expression_columns = types, generated
        return self._expression_columns

    def key_columns(self) -> list[tuple[str, ...]]:
        """The primary key and the unique constraints: what a foreign key may reference."""
        return [self.pk, *(cols for cols, _ in self.uniques), *self.unique_indexes()]

    def unique_indexes(self) -> list[tuple[str, ...]]:
        """Columns of the unique indexes PostgreSQL lets a foreign key reference:
        btree, whole-table (no WHERE), on plain columns."""
        out = []
        for spec in self.spec.indexes:
            if spec.unique and spec.using == "btree" and spec.where is None:
                cols = [_plain_column(item) for item in spec.columns]
                if all(cols):
                    out.append(tuple(c for c in cols if c))
        return out


@dataclass(eq=False, repr=False)
class DraftView:
    name: str
    spec: ViewSpec
    path: Path
    query: str
    columns: list[tuple[str, ColumnType]]  # declared (name, type), in order
    key: tuple[str, ...]
    indexes: list[tuple[str, tuple[str, ...], bool]]  # (name, columns, unique)
    reads: tuple[str, ...]  # tables and views the query reads


@dataclass(eq=False, repr=False)
class Draft:
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

    def default(self, ctype: ColumnType, value: Any, path: Path) -> Default | None:
        return check_default(self, ctype, value, path)

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
        from .viewquery import check, relations

        if self._view_sources is None:  # the tables are all read by now
            self._view_sources = relations(self)
        return check(self, spec, path, declared, self._view_sources)

    def expression(
        self,
        table: DraftTable,
        sql: str,
        path: Path,
        kind: Kind | Literal["policy"],
        target: ColumnType | None = None,
    ) -> tuple[str, ...] | None:
        """Analyse a user's SQL expression with PostgreSQL's grammar (pgsql.expr):
        each problem is reported at its token; the columns it reads, or None on error.

        Column references resolve as PostgreSQL resolves them (unquoted names fold
        to lower case), so ``Price > 0`` does not read a column named ``Price``.
        A row-level security policy's condition is read as a CHECK is (boolean,
        over the row) except that it may hold subqueries and volatile calls; its
        subqueries are type-checked as a view's query is, seeing the table's columns.
        """
        result = self._analyse(table, sql, "check" if kind == "policy" else kind, target)
        allowed = {"expr-subquery"} if kind == "policy" else set()
        if kind == "default" and result.parsed:
            # No column may be read there, so USER is the function CURRENT_USER; a
            # reserved word that does not parse (DEFAULT table) stays an error.
            allowed.add("expr-keyword")
        errors = [e for e in result.errors if e.code not in allowed]
        for err in errors:
            message = err.message
            if kind == "policy":  # analysed as a CHECK is; named as what it is
                message = message.replace(_CHECK, "a policy's condition")
            span = self._token_span(path, sql, err.offset)
            hint = err.hint or "write one SQL expression over this table's columns, e.g. price >= 0"
            self.diags.add(err.code, message, span, path=format_path(path), hint=hint)
        bad = False
        for offset, typ in dict.fromkeys(result.untyped) if not errors else ():
            if typ is None or bad:  # the first refused literal, as PostgreSQL stops at it
                continue
            from ..pgsql.untyped import literals_at  # here: most expressions have none

            for text in literals_at(sql, offset):
                if self.literal_refused(text, typ):
                    bad = True
                    span = self._token_span(path, sql, offset)
                    self.literal_error(span, path, text, typ)
                    break
        if kind == "policy" and result.subquery and not errors and not bad:
            from .viewquery import condition

            bad = not condition(self, (table.namespace, table.bare), sql, path)
        if errors or bad:
            return None
        if result.bare:
            from ..pgsql.quoting import quote_misread

            written = quote_misread(sql, result.bare).strip()
            if written != sql.strip():
                self.rewrites[sql.strip()] = written
        return result.columns

    def _token_span(self, path: Path, sql: str, offset: int) -> Span | None:
        """Where the character at ``offset`` of the expression at ``path`` is."""
        from ..pgsql.positions import expression_span  # only for a diagnostic

        return expression_span(self.doc, path, sql, offset)

    def extensions(self) -> frozenset[str]:
        """The extensions the DDL creates: ``postgres: extensions:`` and any
        CREATE EXTENSION of the raw SQL before the tables."""
        if self._extensions is None:
            raw = self.spec.postgres.before or ""
            made = re.findall(
                r"create\s+extension\s+(?:if\s+not\s+exists\s+)?\"?([\w-]+)", raw, re.I
            )
            self._extensions = frozenset(self.spec.postgres.extensions) | {m.lower() for m in made}
        return self._extensions

    def user_functions(self) -> frozenset[str]:
        """Functions the spec creates (``functions:``, CREATE FUNCTION in raw SQL):
        PostgreSQL resolves calls to them, pgsql does not."""
        if self._user_functions is None:
            raw = " ".join(filter(None, (self.spec.postgres.before, self.spec.postgres.after)))
            made = re.findall(r"function\s+(?:[\w\"]+\.)?\"?(\w+)", raw, re.IGNORECASE)
            self._user_functions = frozenset(
                name.rsplit(".", 1)[-1] for name in self.spec.functions
            ) | {m.lower() for m in made}
        return self._user_functions

    def written(self, sql: str) -> str:
        """An analysed expression as the DDL writes it (stripped)."""
        return self.rewrites.get(sql.strip(), sql.strip())

    def literal_refused(self, text: str, typ: str) -> bool:
        """Would PostgreSQL refuse the quoted literal ``text`` read as ``typ``: a pgsql
        type name, ``enum:<key>`` for one of the spec's enums, ``enum`` for one not known?"""
        from ..pgsql.untyped import enum_problem
        from ..pgsql.untyped import problem as untyped_problem

        if typ.startswith("enum:"):  # a label of that enum (or an array of them)
            known = self.enum_labels.get(typ[5:].removesuffix("[]"))
            return known is not None and enum_problem(text, typ, known)
        if typ == "enum":  # which enum is not known: a label of none is refused
            return all(text not in v for v in self.enum_labels.values())
        return untyped_problem(text, typ)

    def literal_error(self, span: Span | None, path: Path, text: str, typ: str) -> None:
        from ..pgsql.pgtypes import display

        shown = display(typ)
        self.diags.add(
            "expr-value",
            f"{text!r} is not a valid {shown}: PostgreSQL reads this literal"
            f" as {shown} here and refuses it",
            span,
            path=format_path(path),
            hint=f"write a {shown} value, or cast the literal to the type you mean",
        )

    def expression_type(self, table: DraftTable, sql: str, kind: Kind) -> str | None:
        """The PostgreSQL type (``text``, ``int4``, ``text[]``) of an expression that
        ``expression()`` accepted; None when pgsql cannot tell (an unknown function).
        It is the same (cached) analysis ``expression()`` made, so asking again costs
        nothing and cannot disagree with it."""
        typ = self._analyse(table, sql, kind).type
        if typ is not None and typ.startswith("enum:"):  # one of the spec's enums: "enum"
            typ = "enum[]" if typ.endswith("[]") else "enum"
        return None if typ in (None, "unknown", "null") else typ

    def _analyse(
        self, table: DraftTable, sql: str, kind: Kind, target: ColumnType | None = None
    ) -> Analysis:
        """pgsql's analysis of ``sql`` on ``table``, with the spec's extensions and
        functions: every caller reads the one analysis.

        A DEFAULT is first analysed as if the table had no columns: that analysis
        is one for every table (pgsql caches it), where the table's own would be
        made again for each table's now().  It stands only when it found nothing
        wrong: a DEFAULT that names a column, a table or anything else a table's
        columns decide is refused without columns, and is then analysed on the
        table so that its message is the table's.  (What the columns would add to
        an error-free analysis: nothing but the expr-keyword note on USER beside a
        column "user", which ``expression()`` lets a DEFAULT have.)  Other kinds
        read columns as a rule, so they gain nothing from the shared analysis."""
        from ..pgsql.expr import analyse

        target_type = _enum_named(target) if target is not None else None
        extensions, functions = self.extensions(), self.user_functions()
        if kind == "default":
            shared = analyse(
                sql, {}, kind, target=target_type, extensions=extensions, functions=functions
            )
            if shared.ok and not shared.columns:
                return shared
        types, generated = table.expression_columns()
        return analyse(
            sql,
            types,
            kind,
            target=target_type,
            table=table.bare,
            generated=generated,
            extensions=extensions,
            functions=functions,
        )


def _plain_column(item: str | IndexColumnSpec) -> str:
    """The column an index entry names, "" for an expression or unreadable text."""
    if isinstance(item, str):
        m = INDEX_COL.fullmatch(item)
        return m.group(1) if m else ""
    return item.column or "" if item.expression is None else ""


def split_key(key: str) -> tuple[str | None, str]:
    """``auth.users`` -> ("auth", "users"); ``users`` -> (None, "users")."""
    schema, _, name = key.rpartition(".")
    return (schema or None), name


def table_identity(key: str) -> str:
    """The table PostgreSQL means: ``public.users`` and ``users`` are one table
    (public is the default schema), and unquoted SQL folds case."""
    key = key.lower()
    return key[len("public.") :] if key.startswith("public.") else key


def same_table(a: str, b: str) -> bool:
    return table_identity(a) == table_identity(b)


def claim_name(table: str, cols: tuple[str, ...], suffix: str, used: set[str]) -> str:
    """A derived constraint name not yet in ``used`` (then taken)."""
    name = constraint_name(table, cols, suffix)
    if name in used:  # e.g. a_b + (c,) and a + (b_c,): derive a hashed name
        name = constraint_name(table + "\x00", cols, suffix, force_hash=True)
    used.add(name)
    return name


_CHECK = "a CHECK constraint"  # how expr.analyse names the kind a policy is analysed as
_NEXTVAL = re.compile(r"\bnextval\s*\(", re.IGNORECASE)
# The sequence a nextval() names: nextval('x'), nextval('s.x'::regclass)
_NEXTVAL_OF = re.compile(
    r"\bnextval\s*\(\s*'([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)'", re.IGNORECASE
)


def _serial_for(ctype: ColumnType) -> str:
    return next((s for s, base in SERIALS.items() if base == ctype.name), "serial")


def check_default(d: Draft, ctype: ColumnType, value: Any, path: Path) -> Default | None:
    """A column's or domain's ``default:``: a literal of the type, or {sql: ...}."""
    if isinstance(value, dict) and "sql" in value:
        if set(value) != {"sql"} or not isinstance(value["sql"], str):
            d.error(
                "invalid-default",
                "an SQL default is written {sql: <expression>} with nothing else",
                path,
                "for example: default: {sql: now()}",
            )
            return None
        named = _NEXTVAL_OF.search(value["sql"])
        if named and named.group(1) in d.spec.sequences:
            d.error(
                "sequence-default",
                f"a nextval() default of sequence {named.group(1)!r} is written {{sequence: ...}}",
                path + ("sql",),
                f"write default: {{sequence: {named.group(1)}}}: the column's type is then "
                "checked against the sequence, and migrations order the two",
            )
            return None
        if _NEXTVAL.search(value["sql"]):
            d.error(
                "sequence-default",
                "a nextval() default needs a sequence the spec does not declare",
                path + ("sql",),
                f"write type: {_serial_for(ctype)} and remove the default: the column then owns "
                "its sequence (<table>_<column>_seq), as PostgreSQL's serial does; "
                "or declare the sequence under 'sequences:' and write default: {sequence: name}; "
                "or use identity: by_default",
            )
            return None
        # The expression itself is analysed where its context is known: a
        # column's in the tables pass (pgsql, once every column exists), a
        # domain's in the domains pass.
        return Default("sql", value["sql"].strip())
    if isinstance(value, dict) and "sequence" in value:
        return _sequence_default(d, value, path)
    info = d.doc.scalar(path)
    # A scalar's verdict depends on the type and the scalar as written (info.raw, so
    # 1 and true, 0.0 and -0.0 differ), and columns repeat their defaults (0, false):
    # kept once valid.
    scalar = info is not None and isinstance(value, _SCALARS)
    key = (ctype, info, type(value), value) if scalar else None
    known = d.literal_defaults.get(key) if key is not None else None
    if known is not None:
        return known
    try:
        lit = check_column_literal(ctype, value, info, d.enum_labels)
    except LiteralError as exc:
        d.error("invalid-default", str(exc), path, exc.hint)
        return None
    default = Default("literal", lit.sql, lit.value)
    if key is not None:
        d.literal_defaults[key] = default
    return default


_SCALARS = (str, int, float, bool)  # a YAML scalar's value (None is no default)


def _sequence_default(d: Draft, value: dict[str, Any], path: Path) -> Default | None:
    """``{sequence: key}``: nextval() of a sequence under ``sequences:``.  The column's
    type is checked against the sequence by the columns pass."""
    key = value["sequence"]
    if set(value) != {"sequence"} or not isinstance(key, str):
        d.error(
            "invalid-default",
            "a sequence default is written {sequence: <name>} with nothing else",
            path,
            "for example: default: {sequence: order_numbers}",
        )
        return None
    seq = d.sequences.get(key.strip())
    if seq is not None:
        return Default("sql", seq.nextval_sql)
    if key.strip() not in d.spec.sequences:  # a declared but invalid one is reported there
        d.error(
            "unknown-sequence",
            f"no sequence {key.strip()!r} under 'sequences:'",
            path + ("sequence",),
            did_you_mean(key.strip(), list(d.spec.sequences))
            or f"declare it at the top level: sequences: {{{key.strip()}: {{start: 1}}}}",
        )
    return None


def spec_type_of(ctype: ColumnType) -> str:
    """The type name pgsql reads: ``integer``, ``varchar(50)``, ``enum``, ``text[]``."""
    return ctype.name + ctype._params() + ("[]" if ctype.array else "")


def _enum_named(ctype: ColumnType) -> str:
    """The type pgsql reads, an enum named (``enum:status``) so that two enums differ."""
    if ctype.enum is None:
        return spec_type_of(ctype)
    return f"enum:{ctype.enum}" + ("[]" if ctype.array else "")


def _expression_type(col: DraftColumn) -> str:
    return _enum_named(col.type) if col.type is not None else str(col.spec.type)
