"""The one type table: one row per spec type, every fact about it a named field.

Every output and every check asks this table; no other module tests a type's
name.  Adding a type means adding one row here (and a golden case).
``typeref.py`` reads the spec's spelling of a type into a ``ColumnType``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# Python imports are (module, name) pairs; outputs gather and sort them.
Import = tuple[str, str]
# Which Pydantic Field constraints a type's limits become (outputs/pydantic_models.py).
Constraints = Literal["", "length", "integer", "decimal", "float"]

_SA = "sqlalchemy"
_PG = "sqlalchemy.dialects.postgresql"
# Index methods with a default operator class for the type in PostgreSQL 15
# (tests/test_type_table.py asks the server).


@dataclass(frozen=True, kw_only=True)
class TypeInfo:
    name: str  # spec spelling, also the DDL spelling without parameters
    catalog: str  # format_type() spelling, parameters added by ColumnType
    params: Literal["", "length?", "precision_scale"] = ""
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


def _int(name: str, sa: str, bits: int) -> TypeInfo:
    return TypeInfo(
        name=name, catalog=name, python="int", constraints="integer", sqlalchemy=sa,
        sqlalchemy_imports=_sa(sa), literal="integer", identity=True,
        int_range=(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1),
    )  # fmt: skip


_ROWS = [
    TypeInfo(name="uuid", catalog="uuid", python="UUID", python_imports=(("uuid", "UUID"),),
             sqlalchemy="Uuid", sqlalchemy_imports=_sa("Uuid"), literal="uuid"),
    TypeInfo(name="text", catalog="text", python="str", constraints="length",
             sqlalchemy="Text", sqlalchemy_imports=_sa("Text"), literal="string"),
    TypeInfo(name="varchar", catalog="character varying", params="length?", python="str",
             constraints="length", sqlalchemy="String", sqlalchemy_imports=_sa("String"),
             literal="string"),
    _int("smallint", "SmallInteger", 16),
    _int("integer", "Integer", 32),
    _int("bigint", "BigInteger", 64),
    TypeInfo(name="numeric", catalog="numeric", params="precision_scale", python="Decimal",
             python_imports=(("decimal", "Decimal"),), constraints="decimal",
             sqlalchemy="Numeric", sqlalchemy_imports=_sa("Numeric"), literal="numeric"),
    TypeInfo(name="real", catalog="real", python="float", constraints="float",
             sqlalchemy="REAL", sqlalchemy_imports=_sa("REAL"), literal="float4"),
    TypeInfo(name="double precision", catalog="double precision", python="float",
             constraints="float", sqlalchemy="Double", sqlalchemy_imports=_sa("Double"),
             literal="float"),
    TypeInfo(name="boolean", catalog="boolean", python="bool", sqlalchemy="Boolean",
             sqlalchemy_imports=_sa("Boolean"), literal="boolean"),
    # A naive UTC datetime in the Pydantic models; accepts ISO strings with an
    # offset ("Z"): see outputs/pydantic_models.py, which defines UtcDatetime.
    TypeInfo(name="timestamp", catalog="timestamp without time zone", python="datetime",
             python_imports=(("datetime", "datetime"),), pydantic="UtcDatetime",
             sqlalchemy="DateTime", sqlalchemy_imports=_sa("DateTime"), sqlalchemy_args="",
             literal="timestamp", on_update_now=True),
    TypeInfo(name="timestamptz", catalog="timestamp with time zone", python="datetime",
             python_imports=(("datetime", "datetime"),), pydantic="AwareDatetime",
             pydantic_imports=(("pydantic", "AwareDatetime"),), sqlalchemy="DateTime",
             sqlalchemy_imports=_sa("DateTime"), sqlalchemy_args="timezone=True",
             literal="timestamptz", on_update_now=True),
    TypeInfo(name="date", catalog="date", python="date", python_imports=(("datetime", "date"),),
             sqlalchemy="Date", sqlalchemy_imports=_sa("Date"), literal="date",
             on_update_now=True),
    TypeInfo(name="time", catalog="time without time zone", python="time",
             python_imports=(("datetime", "time"),), sqlalchemy="Time",
             sqlalchemy_imports=_sa("Time"), literal="time"),
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
    # A user-defined enum (see ``enums:``); ColumnType.enum names which one and
    # the outputs spell it with the enum's class.  Not writable as ``type: enum``.
    TypeInfo(name="enum", catalog="", python="str", sqlalchemy="Enum",
             sqlalchemy_imports=_sa("Enum"), literal="enum",
             internal=True),
]  # fmt: skip

TYPES: dict[str, TypeInfo] = {t.name: t for t in _ROWS}
SPELLABLE = sorted(name for name, info in TYPES.items() if not info.internal)


def names_where(flag: str) -> str:
    """The types with a true ``flag``, for messages: ``smallint, integer or bigint``."""
    names = [name for name, info in TYPES.items() if getattr(info, flag)]
    return ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class ColumnType:
    """A resolved column type: a row of TYPES plus its parameters."""

    name: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    enum: str | None = None  # for name == "enum": the enum's key (``status``, ``auth.role``)
    array: bool = False  # a one-dimensional array of this type (``text[]``)

    @property
    def info(self) -> TypeInfo:
        return TYPES[self.name]

    @property
    def element(self) -> ColumnType:
        """The type of one element (the type itself when not an array)."""
        return ColumnType(self.name, self.length, self.precision, self.scale, self.enum)

    @property
    def index_methods(self) -> tuple[str, ...]:
        """The methods with a default operator class for this type: one source of
        truth, pgsql.opclasses (derived from PostgreSQL's pg_opclass)."""
        from .pgsql.opclasses import METHODS, has_default_opclass

        spelled = self.name + ("[]" if self.array else "")
        return tuple(m for m in METHODS if has_default_opclass(m, spelled) is not False)

    def _suffix(self) -> str:
        return "[]" if self.array else ""

    def _params(self) -> str:
        if self.length is not None:
            return f"({self.length})"
        if self.precision is not None:
            return f"({self.precision},{self.scale or 0})"
        return ""

    @property
    def sql(self) -> str:
        """The DDL spelling, e.g. ``varchar(50)``, ``"auth"."role"``, ``text[]``."""
        if self.enum is not None:
            return ".".join(_quote(p) for p in self.enum.split(".")) + self._suffix()
        return self.name + self._params() + self._suffix()

    @property
    def catalog(self) -> str:
        """What PostgreSQL's ``format_type()`` prints for this type.

        An enum outside ``public`` (not on the default search_path) is qualified.
        """
        if self.enum is not None:
            parts = self.enum.split(".")
            if parts[0] == "public":
                parts = parts[1:]
            return ".".join(_catalog_ident(p) for p in parts) + self._suffix()
        return self.info.catalog + self._params() + self._suffix()

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


def _catalog_ident(name: str) -> str:
    """An identifier as PostgreSQL's ``quote_ident()`` prints it."""
    from .pgkeywords import QUOTED_KEYWORDS

    plain = re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name not in QUOTED_KEYWORDS
    return name if plain else _quote(name)


def did_you_mean(word: str, options: list[str]) -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else ""
