"""The parts the resolver's draft holds, one kind per spec object, and the
small readings of keys and types that the parts and the passes share.

Each part is a mutable builder the passes fill in (``Draft`` in
``__init__.py`` holds them); ``build.py`` turns them into the read-only model.
The helpers after them (keys, names and types as the passes read them) live
here rather than beside ``Draft`` because the parts use some of them
(``split_key``, ``_expression_type``) and ``expressions.py`` imports
``_enum_named``: from this leaf module, which imports nothing of the draft,
there is no import cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ...model import Default, Limits, Policy, Trigger, nextval_sql
from ...naming import constraint_name
from ...source import Path
from ...spec import ColumnSpec, TableSpec
from ...spec.models import IndexColumnSpec
from ...spec.objects import ViewSpec
from ...types import ColumnType

# An index column as the spec writes it: a name, optionally asc/desc.
INDEX_COL = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc|ASC|DESC))?\s*")

# The drafts are mutable builders, each one object: eq=False, repr=False (never
# compared nor printed) spare the generated methods (17 M instructions a run).


@dataclass(eq=False, repr=False)
class DraftColumn:
    """A column as the passes work it out, before the model's Column is built."""

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
    """A foreign key as written (columns, target, actions) and the relation names asked for."""

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
    """A CHECK as written; the names pass gives it its name."""

    name: str | None  # None: PostgreSQL's choice, given by the names pass
    sql: str
    columns: tuple[str, ...]  # the columns it reads; the first names it
    path: Path


@dataclass(eq=False, repr=False)
class DraftIndex:
    """An index as written; the names pass names it unless the spec did."""

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
    """A domain under ``domains:``: its base type, nullability, default and checks."""

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
    """An EXCLUDE constraint as written; the names pass names it unless the spec did."""

    elements: tuple[tuple[str, str], ...]  # (column, operator)
    using: str
    where: str | None
    path: Path
    name: str = ""
    named: bool = False


@dataclass(eq=False, repr=False)
class DraftRelation:
    """An ORM relationship the relations pass derives from a foreign key."""

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
    """A table as the passes build it up: columns, keys, constraints, relations."""

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
    """A view: its query, declared columns, keys and what it reads."""

    name: str
    spec: ViewSpec
    path: Path
    query: str
    columns: list[tuple[str, ColumnType]]  # declared (name, type), in order
    key: tuple[str, ...]
    indexes: list[tuple[str, tuple[str, ...], bool]]  # (name, columns, unique)
    reads: tuple[str, ...]  # tables and views the query reads


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


def spec_type_of(ctype: ColumnType) -> str:
    """The type name pgsql reads: ``integer``, ``varchar(50)``, ``enum``, ``text[]``."""
    return ctype.name + ctype.params_sql() + ("[]" if ctype.array else "")


def _enum_named(ctype: ColumnType) -> str:  # also expressions.py's, for an expression's target
    """The type pgsql reads, an enum named (``enum:status``) so that two enums differ."""
    if ctype.enum is None:
        return spec_type_of(ctype)
    return f"enum:{ctype.enum}" + ("[]" if ctype.array else "")


def _expression_type(col: DraftColumn) -> str:
    return _enum_named(col.type) if col.type is not None else str(col.spec.type)
