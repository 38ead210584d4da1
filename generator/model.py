"""The resolved model: what the spec means, independent of how it was written.

Read-only records (``records.record``: mypy refuses assignments), built once
by ``resolve/build.py`` after the resolver's passes.  Every decision an output needs (limits, ORM options, triggers) is
stored here, so renderers and the SQL self-check only print and compare.
Spans are kept for diagnostics but excluded from equality, so two models can
be compared (migrations compare the committed model with the new one) and
serialised with ``to_dict``.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import field
from decimal import Decimal
from typing import Any, Literal

from .diagnostics import Span
from .naming import module_names, quote_ident
from .records import Value, record
from .sqltext import quote_string
from .types import ColumnType, catalog_ident

DefaultKind = Literal["literal", "sql"]
IdentityKind = Literal["always", "by default"]


def qualified(schema: str | None, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)


class SchemaNamed(Value):
    """A schema-level object (table, enum, domain, sequence): how the spec names it
    (``users``, ``auth.users``; a foreign key's ``ref_table`` too) and its SQL name."""

    name: str
    schema: str | None

    @property
    def key(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    @property
    def sql_name(self) -> str:
        return qualified(self.schema, self.name)


def action_sql(action: str) -> str | None:
    """A foreign-key action as SQL (``CASCADE``); None for the default, ``no action``."""
    return None if action == "no action" else action.upper()


Number = int | Decimal | float  # as the column's Python type holds it


@record
class Limits(Value):
    """The values a column accepts, as Pydantic checks them: its type's limits
    (integer range, varchar length, numeric digits) narrowed by the bounds its
    single-column CHECKs state.  Empty for arrays and enums, except an array of a
    domain (``year[]``): then each element's, from the domain's type and checks."""

    ge: Number | None = None
    gt: Number | None = None
    le: Number | None = None
    lt: Number | None = None
    min_length: int | None = None
    max_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None


@record
class Default(Value):
    """A column's DEFAULT: SQL as the DDL writes it, and the Python value of a literal."""

    kind: DefaultKind
    sql: str  # exactly what follows DEFAULT in the DDL
    value: Any = None  # the Python value of a literal default


@record
class Column(Value):
    """A table column, with every decision the outputs print (type, limits, default, alias)."""

    name: str
    type: ColumnType
    nullable: bool
    default: Default | None = None
    on_update_now: bool = False
    description: str | None = None
    attr: str = ""  # Python attribute name (differs from name only when it must)
    json_alias: str | None = None  # alias for JSON (camelCase), when asked for
    span: Span | None = field(default=None, compare=False, repr=False)
    identity: IdentityKind | None = None  # GENERATED ... AS IDENTITY
    generated: str | None = None  # SQL of a stored generated column
    limits: Limits = Limits()
    # A serial column: the sequence it owns (in the table's PostgreSQL schema),
    # created before the table and OWNED BY the column, as PostgreSQL's serial does.
    # ``default`` is then its nextval().
    sequence: str | None = None
    # Of a domain with a default: the database fills the column when omitted,
    # though the column itself has no DEFAULT.
    domain_default: bool = False
    # ``default: {sequence: key}``: the key of the ``sequences:`` entry whose
    # nextval() is ``default`` (a sequence shared by several columns).
    shared_sequence: str | None = None

    @property
    def sql_name(self) -> str:
        return quote_ident(self.name)

    @property
    def server_default(self) -> bool:
        return self.default is not None or self.domain_default

    @property
    def server_generated(self) -> bool:
        """The database computes the value (identity or generated column)."""
        return self.identity is not None or self.generated is not None

    @property
    def required_on_insert(self) -> bool:
        """An INSERT must give it: NOT NULL, no default, not computed by the database."""
        return not self.nullable and not self.server_default and not self.server_generated

    @property
    def writable(self) -> bool:
        """Insert and update models may carry it (``by default`` identity may be set)."""
        return self.generated is None and self.identity != "always"


@record
class PrimaryKey(Value):
    """A table's PRIMARY KEY constraint: its name and columns in key order."""

    name: str
    columns: tuple[str, ...]


@record
class Unique(Value):
    """A UNIQUE constraint over one or more columns."""

    name: str
    columns: tuple[str, ...]
    nulls_not_distinct: bool = False  # UNIQUE NULLS NOT DISTINCT: NULLs are equal (PG 15)


@record
class ForeignKey(Value):
    """A FOREIGN KEY constraint, its actions, and how the DDL and ORM must order it."""

    name: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "no action"
    on_update: str = "no action"
    span: Span | None = field(default=None, compare=False, repr=False)
    # Part of a reference cycle between tables (a self-reference is not one): the
    # DDL adds every foreign key after the tables anyway; the ORM needs use_alter.
    cyclic: bool = False
    use_alter: bool = False  # the ORM creates it by ALTER TABLE, after both tables

    @property
    def on_delete_sql(self) -> str | None:
        return action_sql(self.on_delete)

    @property
    def on_update_sql(self) -> str | None:
        return action_sql(self.on_update)


@record
class Check(Value):
    """A CHECK constraint: its name, its expression as written, the columns it reads."""

    name: str
    sql: str  # the expression as written, copied into CHECK (...)
    columns: tuple[str, ...] = ()  # the columns it reads, in order of first use


@record
class IndexColumn(Value):
    """One key of an index: a column or an expression, its order and operator class."""

    name: str  # the column; "" for an expression
    descending: bool = False
    expression: str | None = None  # an indexed expression, as written (``lower(email)``)
    opclass: str | None = None  # a non-default operator class (``gin_trgm_ops``)


@record
class Index(Value):
    """A CREATE INDEX: method, keys, partial predicate and INCLUDE columns."""

    name: str
    columns: tuple[IndexColumn, ...]
    unique: bool = False
    using: str = "btree"
    where: str | None = None  # partial index predicate, as written
    include: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)
    # A foreign key references its columns (a unique index, not a constraint):
    # the DDL creates it before the foreign keys.
    referenced: bool = False
    nulls_not_distinct: bool = False  # a unique index that treats NULLs as equal


@record
class Exclusion(Value):
    """EXCLUDE USING <method> (<column> WITH <operator>, ...) [WHERE (...)]: no two
    rows match on every element (bookings of one room whose periods overlap)."""

    name: str
    elements: tuple[tuple[str, str], ...]  # (column, operator)
    using: str = "gist"
    where: str | None = None


@record
class Enum(SchemaNamed):
    """A PostgreSQL enum type and the Python enum class generated for it."""

    name: str
    labels: tuple[str, ...]
    schema: str | None = None  # PostgreSQL schema; None: the default (search_path)
    description: str | None = None
    class_name: str = ""  # Python enum class
    span: Span | None = field(default=None, compare=False, repr=False)


@record
class Domain(SchemaNamed):
    """``CREATE DOMAIN``: a base type with NOT NULL, a default and CHECKs on VALUE."""

    name: str
    type: ColumnType  # the base type
    nullable: bool = True
    default: Default | None = None
    checks: tuple[Check, ...] = ()  # Check.columns is empty: they read VALUE
    schema: str | None = None
    description: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


def nextval_sql(schema: str | None, name: str) -> str:
    """A column default drawing from a sequence, as the catalog prints it
    (``nextval('billing.order_numbers'::regclass)``)."""
    regclass = ".".join(catalog_ident(p) for p in (schema, name) if p is not None)
    return f"nextval({quote_string(regclass)}::regclass)"


def sequence_py_name(key: str) -> str:
    """The ORM's module-level ``Sequence`` object: ``ORDER_NUMBERS``, ``BILLING__ORDER_NUMBERS``;
    ``REAL_SEQ`` where the capitals are a name the module imports (``REAL``, ``JSONB``)."""
    name = key.replace(".", "__").upper()
    return name + "_SEQ" if name in module_names() else name


INT_TYPES = ("smallint", "integer", "bigint")


def int_bounds(data_type: str) -> tuple[int, int]:
    """The least and greatest value of an integer type (smallint, integer, bigint)."""
    bits = {"smallint": 16, "integer": 32, "bigint": 64}[data_type]
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


@record
class Sequence(SchemaNamed):
    """``CREATE SEQUENCE``, declared under ``sequences:`` (a serial column's own
    sequence is ``Column.sequence``).  Every option holds its effective value, so
    writing PostgreSQL's default or leaving it out is the same model."""

    name: str
    data_type: str  # smallint, integer or bigint
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int = 1
    cycle: bool = False
    schema: str | None = None
    owned_by: tuple[str, str] | None = None  # (table key, column): OWNED BY
    description: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)

    def options(self) -> tuple[tuple[str, str], ...]:
        """The options that differ from PostgreSQL's defaults, as CREATE SEQUENCE
        writes them, in its order: (``INCREMENT BY``, ``10``)..."""
        least, greatest = int_bounds(self.data_type)
        up = self.increment > 0
        default_min, default_max = (1, greatest) if up else (least, -1)
        default_start = self.min_value if up else self.max_value
        out: list[tuple[str, str]] = []
        if self.data_type != "bigint":
            out.append(("AS", self.data_type))
        for word, value, default in (
            ("INCREMENT BY", self.increment, 1),
            ("MINVALUE", self.min_value, default_min),
            ("MAXVALUE", self.max_value, default_max),
            ("START WITH", self.start, default_start),
            ("CACHE", self.cache, 1),
        ):
            if value != default:
                out.append((word, str(value)))
        if self.cycle:
            out.append(("CYCLE", ""))
        return tuple(out)

    @property
    def nextval_sql(self) -> str:
        return nextval_sql(self.schema, self.name)

    @property
    def owner_sql(self) -> str:
        """The owning column, quoted (``"billing"."acc"."no"``); "" when not owned."""
        if self.owned_by is None:
            return ""
        table, column = self.owned_by
        schema, _, name = table.rpartition(".")
        return f"{qualified(schema or None, name)}.{quote_ident(column)}"

    @property
    def py_name(self) -> str:
        return sequence_py_name(self.key)


@record
class Relation(Value):
    """One side of a relationship derived from a foreign key."""

    name: str  # attribute on the owning class
    target: str  # table key of the other side (``users``, ``auth.users``)
    foreign_key: str  # name of the ForeignKey constraint it follows
    many: bool  # True: a list of targets; False: one target (or None)
    back_populates: str
    owner_side: bool  # True on the table that holds the foreign key
    optional: bool  # the single target may be None
    # True: the database cascades or nulls, let it; "all": the database decides
    # (restrict, no action, set default), so the ORM must not null the keys first.
    passive_deletes: bool | Literal["all"] = False
    # Many-to-many through a junction table (its key): ``foreign_key`` is then the
    # junction's foreign key to this side, and ``many`` is True.
    secondary: str | None = None
    cascade: str | None = None  # SQLAlchemy cascade, when not the default
    post_update: bool = False  # rows that point at each other: set this by a second UPDATE
    overlaps: tuple[str, ...] = ()  # relationships that write the same columns
    # Columns of the foreign key's table to name, when SQLAlchemy cannot infer
    # them (two keys between the same tables, a self-reference).
    foreign_keys: tuple[str, ...] = ()
    remote_side: tuple[str, ...] = ()  # a self-reference's referenced columns
    # Many-to-many through a junction whose two keys reach one table (user_follows):
    # (column of this table, junction column) for this row's key, then for the
    # collected rows' key; SQLAlchemy cannot tell the two keys apart by itself.
    primaryjoin: tuple[str, str] | None = None
    secondaryjoin: tuple[str, str] | None = None


@record
class Function(Value):
    """A function the DDL creates: declared under ``functions:``, or the
    ``on_update: now`` trigger's."""

    name: str
    returns: str
    language: str
    body: str  # between the dollar quotes, starting and ending with a line break
    arguments: tuple[tuple[str, str], ...] = ()  # (name, type) in order
    volatility: str | None = None  # VOLATILE, STABLE, IMMUTABLE; None: PostgreSQL's default
    security_definer: bool = False
    # Created after the tables: PostgreSQL checks an SQL function's body against
    # the tables when it is created (PL/pgSQL bodies only when called).
    after_tables: bool = False
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def quote_tag(self) -> str:
        """A dollar-quote tag the body cannot end early: ``$$``, else ``$body$``, ``$body1$``..."""
        candidates = ["$$", "$body$", *(f"$body{i}$" for i in range(1, len(self.body) + 2))]
        # The tag must not occur in the body, nor be completed by the body's last characters.
        return next(t for t in candidates if (self.body + t).find(t) == len(self.body))


@record
class Trigger(Value):
    """A user trigger on a table (``triggers:``), calling a declared function."""

    name: str
    function: str
    args: tuple[str, ...]  # passed to the function as TG_ARGV
    timing: str = "BEFORE"
    events: tuple[str, ...] = ("UPDATE",)
    update_of: tuple[str, ...] = ()  # UPDATE OF these columns
    for_each: str = "ROW"
    when: str | None = None  # the WHEN condition, as written


# Role names a policy writes as keywords, not as quoted names.
ROLE_KEYWORDS = ("public", "current_user", "session_user", "current_role")


@record
class Policy(Value):
    """A row-level security policy (CREATE POLICY)."""

    name: str
    command: str = "ALL"  # ALL, SELECT, INSERT, UPDATE, DELETE
    roles: tuple[str, ...] = ("public",)  # role names; public/current_user/session_user as keywords
    permissive: bool = True
    using: str | None = None
    with_check: str | None = None


@record
class View(Value):
    """A view or materialized view: its query as written, the columns it declares
    (their types are what PostgreSQL reports for the query), and what it reads."""

    name: str
    query: str
    columns: tuple[Column, ...]
    class_name: str
    materialized: bool = False
    key: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    depends_on: tuple[str, ...] = ()  # tables and views the query reads (created first)
    description: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def sql_name(self) -> str:
        return quote_ident(self.name)


@record
class Table(SchemaNamed):
    """A table with its columns, constraints, indexes, relations and triggers."""

    name: str
    class_name: str
    columns: tuple[Column, ...]
    primary_key: PrimaryKey
    uniques: tuple[Unique, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    relations: tuple[Relation, ...] = ()
    description: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)
    schema: str | None = None  # PostgreSQL schema; None: the default (search_path)
    checks: tuple[Check, ...] = ()
    indexes: tuple[Index, ...] = ()
    on_update_trigger: tuple[str, ...] = ()  # columns a database trigger sets to now()
    triggers: tuple[Trigger, ...] = ()
    row_level_security: bool = False  # ENABLE ROW LEVEL SECURITY
    force_row_level_security: bool = False  # FORCE: the table's owner is bound too
    policies: tuple[Policy, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()

    def sequence_sql(self, name: str) -> str:
        """A sequence of this table's PostgreSQL schema, quoted (``"auth"."t_id_seq"``)."""
        return qualified(self.schema, name)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


@record
class Outputs(Value):
    """Which files to write and where (``outputs:`` in the spec); not part of the
    schema's meaning, so equality and ``to_dict`` leave it out."""

    paths: tuple[tuple[str, str], ...] = (  # (output key, path in the output folder)
        ("schema_sql", "schema.sql"),
        ("pydantic", "models.py"),
        ("sqlalchemy", "orm.py"),
        ("python_init", "__init__.py"),
    )
    python_package: str = "generated"
    line_length: int = 88

    def path(self, key: str) -> str | None:
        return dict(self.paths).get(key)


@record
class Schema(Value):
    """The whole resolved spec: what every output and the SQL self-check read."""

    tables: tuple[Table, ...]
    json_aliases: str = "none"
    source_name: str = "schema.yaml"
    enums: tuple[Enum, ...] = ()
    extensions: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()  # PostgreSQL schemas to create, in order of first use
    functions: tuple[Function, ...] = ()
    outputs: Outputs = field(default_factory=Outputs, compare=False)
    views: tuple[View, ...] = ()  # in dependency order
    # The escape hatch: raw SQL placed before the first table and at the end, as
    # written (checked to be statements sqlglot reads; never read into the model).
    sql_before: str | None = None
    sql_after: str | None = None
    domains: tuple[Domain, ...] = ()
    sequences: tuple[Sequence, ...] = ()  # declared under ``sequences:``, in order

    def sequence(self, key: str) -> Sequence:
        return next(s for s in self.sequences if s.key == key)

    def table(self, key: str) -> Table:
        """A table by its key (``users``, ``auth.users``), as foreign keys name it."""
        return self._tables_by_key[key]

    @functools.cached_property
    def _tables_by_key(self) -> dict[str, Table]:
        # Built once per model (cached_property writes to the instance dict, not
        # through a field); lookups per foreign key stay O(1).
        return {table.key: table for table in self.tables}

    def domain(self, key: str) -> Domain:
        return next(d for d in self.domains if d.key == key)

    def enum(self, key: str) -> Enum:
        for enum in self.enums:
            if enum.key == key:
                return enum
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-friendly form (spans dropped) for snapshots and diffs."""

        def strip(obj: Any) -> Any:
            if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
                return {
                    f.name: strip(getattr(obj, f.name))
                    for f in dataclasses.fields(obj)
                    if f.name not in ("span", "outputs")
                    and not (f.name == "value" and isinstance(obj, Default))
                }
            if isinstance(obj, tuple):
                return [strip(x) for x in obj]
            if isinstance(obj, Decimal):
                return str(obj)
            return obj

        result: dict[str, Any] = strip(self)
        return result
