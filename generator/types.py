"""The one type table: one row per spec type, every fact about it a named field.

Every output and every check asks this table; no other module tests a type's
name.  Adding a type means adding one row here (and a golden case).
``typeref.py`` reads the spec's spelling of a type into a ``ColumnType``.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from .records import Value, record

# Python imports are (module, name) pairs; outputs gather and sort them.
Import = tuple[str, str]
# Which Pydantic Field constraints a type's limits become (outputs/pydantic_models.py).
Constraints = Literal["", "length", "integer", "decimal", "float"]

_SA = "sqlalchemy"
_PG = "sqlalchemy.dialects.postgresql"


@record(kw_only=True)
class TypeInfo:
    """One spec type: its PostgreSQL spellings and its Python, Pydantic and SQLAlchemy sides."""

    name: str  # spec spelling, also the DDL spelling without parameters
    catalog: str  # format_type() spelling, parameters added by ColumnType
    # "length?": an optional length (varchar); "length1": a length that is 1
    # when omitted, as PostgreSQL reads ``char``; "precision_scale": numeric.
    params: Literal["", "length?", "length1", "precision_scale"] = ""
    # Other spellings PostgreSQL accepts for this very type (``int4``,
    # ``character varying``): read as the type, written with ``name``.
    aliases: tuple[str, ...] = ()
    python: str  # annotation in the generated ORM
    python_imports: tuple[Import, ...] = ()
    # The annotation in the Pydantic models when stricter than ``python``
    # (aware datetimes, JSON values); "" means the same as ``python``.
    pydantic: str = ""
    pydantic_imports: tuple[Import, ...] = ()
    constraints: Constraints = ""
    sqlalchemy: str  # SQLAlchemy type constructor
    sqlalchemy_imports: tuple[Import, ...]
    # Arguments when the type has no parameters: None prints the bare class
    # (``Text``), "" a call (``DateTime()``).  Python None is SQL NULL for JSON
    # columns, not the JSON value null (which would pass NOT NULL).
    sqlalchemy_args: str | None = None
    literal: str  # the parser of a literal default: a key of literals.PARSERS
    int_range: tuple[int, int] | None = None
    extension: str = ""  # the PostgreSQL extension that provides the type, if any
    identity: bool = False  # may be GENERATED ... AS IDENTITY
    on_update_now: bool = False  # may take ``on_update: now``
    internal: bool = False  # a kind the resolver makes, not a spelling of ``type:``


def _sa(name: str) -> tuple[Import, ...]:
    return ((_SA, name),)


def _pg(name: str) -> tuple[Import, ...]:
    return ((_PG, name),)


def _int(name: str, sa: str, bits: int, aliases: tuple[str, ...]) -> TypeInfo:
    return TypeInfo(
        name=name, catalog=name, aliases=aliases, python="int", constraints="integer", sqlalchemy=sa,
        sqlalchemy_imports=_sa(sa), literal="integer", identity=True,
        int_range=(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1),
    )  # fmt: skip


def _range(name: str, sa: str, element: str, imports: tuple[Import, ...]) -> TypeInfo:
    """A range type: SQLAlchemy's typed ``Range[...]`` in the ORM; in the Pydantic
    models ``PgRange[...]`` (defined there: lower, upper, bounds), which reads both
    SQLAlchemy's and psycopg's range objects."""
    return TypeInfo(
        name=name, catalog=name, python=f"Range[{element}]",
        python_imports=((_PG, "Range"), *imports), pydantic=f"PgRange[{element}]",
        pydantic_imports=imports, sqlalchemy=sa, sqlalchemy_imports=_pg(sa), literal="none",
    )  # fmt: skip


_RANGES = (
    ("int4range", "INT4RANGE", "int", ()),
    ("int8range", "INT8RANGE", "int", ()),
    ("numrange", "NUMRANGE", "Decimal", (("decimal", "Decimal"),)),
    ("tsrange", "TSRANGE", "datetime", (("datetime", "datetime"),)),
    ("tstzrange", "TSTZRANGE", "datetime", (("datetime", "datetime"),)),
    ("daterange", "DATERANGE", "date", (("datetime", "date"),)),
)

_ROWS = [
    TypeInfo(name="uuid", catalog="uuid", python="UUID", python_imports=(("uuid", "UUID"),),
             sqlalchemy="Uuid", sqlalchemy_imports=_sa("Uuid"), literal="uuid"),
    TypeInfo(name="text", catalog="text", python="str", constraints="length",
             sqlalchemy="Text", sqlalchemy_imports=_sa("Text"), literal="string"),
    TypeInfo(name="varchar", catalog="character varying", params="length?", python="str",
             constraints="length", sqlalchemy="String", sqlalchemy_imports=_sa("String"),
             literal="string", aliases=("character varying",)),
    # Blank-padded: PostgreSQL's ``char`` is ``char(1)``, written so.
    TypeInfo(name="char", catalog="character", params="length1", python="str",
             constraints="length", sqlalchemy="CHAR", sqlalchemy_imports=_sa("CHAR"),
             literal="string", aliases=("character", "bpchar")),
    _int("smallint", "SmallInteger", 16, ("int2",)),
    _int("integer", "Integer", 32, ("int", "int4")),
    _int("bigint", "BigInteger", 64, ("int8",)),
    TypeInfo(name="numeric", catalog="numeric", params="precision_scale", python="Decimal",
             python_imports=(("decimal", "Decimal"),), constraints="decimal", aliases=("decimal",),
             sqlalchemy="Numeric", sqlalchemy_imports=_sa("Numeric"), literal="numeric"),
    TypeInfo(name="real", catalog="real", python="float", constraints="float",
             sqlalchemy="REAL", sqlalchemy_imports=_sa("REAL"), literal="float4",
             aliases=("float4",)),
    TypeInfo(name="double precision", catalog="double precision", python="float",
             constraints="float", sqlalchemy="Double", sqlalchemy_imports=_sa("Double"),
             literal="float", aliases=("float8", "float")),
    TypeInfo(name="boolean", catalog="boolean", python="bool", sqlalchemy="Boolean",
             sqlalchemy_imports=_sa("Boolean"), literal="boolean", aliases=("bool",)),
    # A naive UTC datetime in the Pydantic models; accepts ISO strings with an
    # offset ("Z"): see outputs/pydantic_models.py, which defines UtcDatetime.
    TypeInfo(name="timestamp", catalog="timestamp without time zone", python="datetime",
             python_imports=(("datetime", "datetime"),), pydantic="UtcDatetime",
             sqlalchemy="DateTime", sqlalchemy_imports=_sa("DateTime"), sqlalchemy_args="",
             literal="timestamp", on_update_now=True,
             aliases=("timestamp without time zone",)),
    TypeInfo(name="timestamptz", catalog="timestamp with time zone", python="datetime",
             python_imports=(("datetime", "datetime"),), pydantic="AwareDatetime",
             pydantic_imports=(("pydantic", "AwareDatetime"),), sqlalchemy="DateTime",
             sqlalchemy_imports=_sa("DateTime"), sqlalchemy_args="timezone=True",
             literal="timestamptz", on_update_now=True,
             aliases=("timestamp with time zone",)),
    TypeInfo(name="date", catalog="date", python="date", python_imports=(("datetime", "date"),),
             sqlalchemy="Date", sqlalchemy_imports=_sa("Date"), literal="date",
             on_update_now=True),
    TypeInfo(name="time", catalog="time without time zone", python="time",
             python_imports=(("datetime", "time"),), sqlalchemy="Time",
             sqlalchemy_imports=_sa("Time"), literal="time",
             aliases=("time without time zone",)),
    TypeInfo(name="interval", catalog="interval", python="timedelta",
             python_imports=(("datetime", "timedelta"),), sqlalchemy="Interval",
             sqlalchemy_imports=_sa("Interval"), literal="interval"),
    TypeInfo(name="bytea", catalog="bytea", python="bytes", sqlalchemy="LargeBinary",
             sqlalchemy_imports=_sa("LargeBinary"), literal="none"),
    TypeInfo(name="jsonb", catalog="jsonb", python="Any", python_imports=(("typing", "Any"),),
             pydantic="JsonValue", pydantic_imports=(("pydantic", "JsonValue"),),
             sqlalchemy="JSONB", sqlalchemy_imports=_pg("JSONB"),
             sqlalchemy_args="none_as_null=True", literal="json"),
    TypeInfo(name="json", catalog="json", python="Any", python_imports=(("typing", "Any"),),
             pydantic="JsonValue", pydantic_imports=(("pydantic", "JsonValue"),),
             sqlalchemy="JSON", sqlalchemy_imports=_pg("JSON"),
             sqlalchemy_args="none_as_null=True", literal="json"),
    TypeInfo(name="inet", catalog="inet", python="IPvAnyInterface",
             python_imports=(("pydantic", "IPvAnyInterface"),), sqlalchemy="INET",
             sqlalchemy_imports=_pg("INET"), literal="inet"),
    TypeInfo(name="cidr", catalog="cidr", python="IPvAnyNetwork",
             python_imports=(("pydantic", "IPvAnyNetwork"),), sqlalchemy="CIDR",
             sqlalchemy_imports=_pg("CIDR"), literal="cidr"),
    TypeInfo(name="citext", catalog="citext", python="str", constraints="length",
             sqlalchemy="CITEXT", sqlalchemy_imports=_pg("CITEXT"), literal="string",
             extension="citext"),
    # Full-text search: text in the models (PostgreSQL's text form, 'a:1 b:2'),
    # usually a stored generated column: to_tsvector('english', title).
    TypeInfo(name="tsvector", catalog="tsvector", python="str", sqlalchemy="TSVECTOR",
             sqlalchemy_imports=_pg("TSVECTOR"), literal="none"),
    TypeInfo(name="tsquery", catalog="tsquery", python="str", sqlalchemy="TSQUERY",
             sqlalchemy_imports=_pg("TSQUERY"), literal="none"),
    *(_range(n, sa, py, imp) for n, sa, py, imp in _RANGES),
    # A user-defined enum (see ``enums:``); ColumnType.enum names which one and
    # the outputs spell it with the enum's class.  Not writable as ``type: enum``.
    TypeInfo(name="enum", catalog="", python="str", sqlalchemy="Enum",
             sqlalchemy_imports=_sa("Enum"), literal="enum",
             internal=True),
]  # fmt: skip

TYPES: dict[str, TypeInfo] = {t.name: t for t in _ROWS}
SPELLABLE = sorted(name for name, info in TYPES.items() if not info.internal)
# Every other spelling of a spellable type -> the type's name (its one spelling in output).
ALIASES: dict[str, str] = {a: t.name for t in _ROWS if not t.internal for a in t.aliases}


@record
class OpClass:
    """A non-default operator class an index column may name (``gin_trgm_ops``):
    the method it belongs to, the types it indexes, the extension it needs.  The
    default classes are ``ColumnType.index_methods`` (pgsql.opclasses); the
    tests ask the server for both."""

    method: str
    types: tuple[str, ...]
    extension: str = ""


_TEXTS = ("text", "varchar", "citext")
OPCLASSES: dict[str, OpClass] = {
    "gin_trgm_ops": OpClass("gin", _TEXTS, "pg_trgm"),
    "gist_trgm_ops": OpClass("gist", _TEXTS, "pg_trgm"),
    "jsonb_path_ops": OpClass("gin", ("jsonb",)),
    "jsonb_ops": OpClass("gin", ("jsonb",)),
    "text_pattern_ops": OpClass("btree", ("text", "varchar", "citext")),
    "varchar_pattern_ops": OpClass("btree", _TEXTS),
    "bpchar_pattern_ops": OpClass("btree", ("char", "text", "varchar")),
    "inet_ops": OpClass("gist", ("inet", "cidr")),
}


# Types btree_gist gives a gist operator class (for '=' in exclusion
# constraints beside a range's '&&'); checked against PostgreSQL in the tests.
BTREE_GIST_TYPES = (
    "smallint", "integer", "bigint", "numeric", "real", "double precision", "timestamp",
    "timestamptz", "time", "date", "interval", "text", "varchar", "char", "bytea", "inet",
    "cidr", "uuid", "boolean", "enum",
)  # fmt: skip


# Other built-in type names in pg_catalog a user's type must not take (it would
# be shadowed); with TYPES and ALIASES.
PG_BUILTIN_TYPES = frozenset(
    [
        "money",
        "name",
        "oid",
        "xml",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "bit",
        "varbit",
        "macaddr",
        "macaddr8",
        "pg_lsn",
        "txid_snapshot",
        "regclass",
        "regtype",
        "int4multirange",
        "record",
    ]
)


def names_where(flag: str) -> str:
    """The types with a true ``flag``, for messages: ``smallint, integer or bigint``."""
    names = [name for name, info in TYPES.items() if getattr(info, flag)]
    return ", ".join(names[:-1]) + " or " + names[-1]


@record
class ColumnType(Value):
    """A resolved column type: a row of TYPES plus its parameters."""

    name: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    enum: str | None = None  # for name == "enum": the enum's key (``status``, ``auth.role``)
    array: bool = False  # a one-dimensional array of this type (``text[]``)
    # A column of a domain (``domains:``): its key; name/length/... are the base type's,
    # which every output maps it by.
    domain: str | None = None
    # An array of a domain (``year[]``, array is then true): the domain's key; name/length/...
    # are its base type's, so outputs that know no domains map it as ``integer[]``.
    element_domain: str | None = None

    @property
    def info(self) -> TypeInfo:
        return TYPES[self.name]

    @property
    def element(self) -> ColumnType:
        """The type of one element (the type itself when not an array)."""
        return ColumnType(
            self.name,
            self.length,
            self.precision,
            self.scale,
            self.enum,
            domain=self.element_domain,
        )

    @property
    def index_methods(self) -> tuple[str, ...]:
        """The methods with a default operator class for this type: one source of
        truth, pgsql.opclasses (derived from PostgreSQL's pg_opclass)."""
        from .pgsql.opclasses import METHODS, has_default_opclass

        spelled = self.name + ("[]" if self.array else "")
        return tuple(m for m in METHODS if has_default_opclass(m, spelled) is not False)

    def _suffix(self) -> str:
        return "[]" if self.array else ""

    def params_sql(self) -> str:
        """The type's parameters as SQL: ``(50)``, ``(10,2)``, or nothing."""
        if self.length is not None:
            return f"({self.length})"
        if self.precision is not None:
            return f"({self.precision},{self.scale or 0})"
        return ""

    @property
    def sql(self) -> str:
        """The DDL spelling, e.g. ``varchar(50)``, ``"auth"."role"``, ``text[]``."""
        if self.domain is not None:
            return ".".join(_quote(p) for p in self.domain.split("."))
        if self.element_domain is not None:
            return ".".join(_quote(p) for p in self.element_domain.split(".")) + "[]"
        if self.enum is not None:
            return ".".join(_quote(p) for p in self.enum.split(".")) + self._suffix()
        return self.name + self.params_sql() + self._suffix()

    def array_of_domain(self, key: str) -> ColumnType:
        """A one-dimensional array of a domain over this (non-array) type."""
        return ColumnType(
            self.name, self.length, self.precision, self.scale, self.enum, True, element_domain=key
        )

    def of_domain(self, key: str) -> ColumnType:
        """A domain over this type (the domain's key: ``year``, ``schema.year``)."""
        return ColumnType(
            self.name, self.length, self.precision, self.scale, self.enum, self.array, domain=key
        )

    @property
    def base(self) -> ColumnType:
        """The type without its domain (a domain's base type)."""
        return ColumnType(self.name, self.length, self.precision, self.scale, self.enum, self.array)

    @property
    def catalog(self) -> str:
        """What PostgreSQL's ``format_type()`` prints for this type.

        An enum outside ``public`` (not on the default search_path) is qualified.
        """
        if self.enum is not None or self.domain is not None or self.element_domain is not None:
            parts = (self.domain or self.element_domain or self.enum or "").split(".")
            if parts[0] == "public":
                parts = parts[1:]
            return ".".join(catalog_ident(p) for p in parts) + (
                self._suffix() if self.domain is None else ""
            )
        return self.info.catalog + self.params_sql() + self._suffix()

    @property
    def sqlalchemy(self) -> str:
        """The SQLAlchemy type of a built-in type (an enum's is built by the ORM output)."""
        if self.array:
            return f"ARRAY({self.element.sqlalchemy})"
        base, args = self.info.sqlalchemy, self.info.sqlalchemy_args
        if self.length is not None:
            return f"{base}({self.length})"
        if self.precision is not None:
            return f"{base}({self.precision}, {self.scale or 0})"
        return base if args is None else f"{base}({args})"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def catalog_ident(name: str) -> str:
    """An identifier as PostgreSQL's ``quote_ident()`` prints it."""
    from .pgkeywords import QUOTED_KEYWORDS

    plain = re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name not in QUOTED_KEYWORDS
    return name if plain else _quote(name)


def did_you_mean(word: str, options: list[str]) -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else ""
