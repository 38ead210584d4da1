"""The one type table: spec type -> PostgreSQL, Python, SQLAlchemy and Pydantic.

Every output asks this table; no template and no other module spells a type.
Adding a type means adding one row here (and a golden case).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

# Python imports are (module, name) pairs; outputs gather and sort them.
Import = tuple[str, str]


@dataclass(frozen=True)
class TypeInfo:
    name: str  # spec spelling, also the DDL spelling without parameters
    params: str  # "", "length", "length?" (optional), "precision_scale"
    python: str  # annotation used in generated Python
    python_imports: tuple[Import, ...]
    sqlalchemy: str  # SQLAlchemy type constructor, parameters added by ColumnType
    sqlalchemy_imports: tuple[Import, ...]
    catalog: str  # format_type() spelling, parameters added by ColumnType
    literal: str  # how a literal default is checked: see literals.py
    int_range: tuple[int, int] | None = None
    extension: str = ""  # the PostgreSQL extension that provides the type, if any
    # The annotation in the Pydantic models when it differs from ``python``
    # (stricter: aware datetimes, JSON values); "" means the same as ``python``.
    pydantic: str = ""
    pydantic_imports: tuple[Import, ...] = ()


_SA = "sqlalchemy"
_PG = "sqlalchemy.dialects.postgresql"

TYPES: dict[str, TypeInfo] = {
    t.name: t
    for t in [
        TypeInfo("uuid", "", "UUID", (("uuid", "UUID"),), "Uuid", ((_SA, "Uuid"),), "uuid", "uuid"),
        TypeInfo("text", "", "str", (), "Text", ((_SA, "Text"),), "text", "string"),
        TypeInfo(
            "varchar",
            "length?",
            "str",
            (),
            "String",
            ((_SA, "String"),),
            "character varying",
            "string",
        ),
        TypeInfo(
            "smallint",
            "",
            "int",
            (),
            "SmallInteger",
            ((_SA, "SmallInteger"),),
            "smallint",
            "integer",
            (-(2**15), 2**15 - 1),
        ),
        TypeInfo(
            "integer",
            "",
            "int",
            (),
            "Integer",
            ((_SA, "Integer"),),
            "integer",
            "integer",
            (-(2**31), 2**31 - 1),
        ),
        TypeInfo(
            "bigint",
            "",
            "int",
            (),
            "BigInteger",
            ((_SA, "BigInteger"),),
            "bigint",
            "integer",
            (-(2**63), 2**63 - 1),
        ),
        TypeInfo(
            "numeric",
            "precision_scale",
            "Decimal",
            (("decimal", "Decimal"),),
            "Numeric",
            ((_SA, "Numeric"),),
            "numeric",
            "numeric",
        ),
        TypeInfo("real", "", "float", (), "REAL", ((_SA, "REAL"),), "real", "float"),
        TypeInfo(
            "double precision",
            "",
            "float",
            (),
            "Double",
            ((_SA, "Double"),),
            "double precision",
            "float",
        ),
        TypeInfo("boolean", "", "bool", (), "Boolean", ((_SA, "Boolean"),), "boolean", "boolean"),
        TypeInfo(
            "timestamp",
            "",
            "datetime",
            (("datetime", "datetime"),),
            "DateTime",
            ((_SA, "DateTime"),),
            "timestamp without time zone",
            "timestamp",
            # A naive UTC datetime; accepts ISO strings with an offset ("Z"), see
            # generator/outputs/pydantic_models.py.  Defined in the generated module.
            pydantic="UtcDatetime",
        ),
        TypeInfo(
            "timestamptz",
            "",
            "datetime",
            (("datetime", "datetime"),),
            "DateTime",
            ((_SA, "DateTime"),),
            "timestamp with time zone",
            "timestamptz",
            pydantic="AwareDatetime",
            pydantic_imports=(("pydantic", "AwareDatetime"),),
        ),
        TypeInfo(
            "date", "", "date", (("datetime", "date"),), "Date", ((_SA, "Date"),), "date", "date"
        ),
        TypeInfo(
            "time",
            "",
            "time",
            (("datetime", "time"),),
            "Time",
            ((_SA, "Time"),),
            "time without time zone",
            "time",
        ),
        TypeInfo(
            "interval",
            "",
            "timedelta",
            (("datetime", "timedelta"),),
            "Interval",
            ((_SA, "Interval"),),
            "interval",
            "interval",
        ),
        TypeInfo("bytea", "", "bytes", (), "LargeBinary", ((_SA, "LargeBinary"),), "bytea", "none"),
        TypeInfo(
            "jsonb",
            "",
            "Any",
            (("typing", "Any"),),
            "JSONB",
            ((_PG, "JSONB"),),
            "jsonb",
            "json",
            pydantic="JsonValue",
            pydantic_imports=(("pydantic", "JsonValue"),),
        ),
        TypeInfo(
            "json",
            "",
            "Any",
            (("typing", "Any"),),
            "JSON",
            ((_PG, "JSON"),),
            "json",
            "json",
            pydantic="JsonValue",
            pydantic_imports=(("pydantic", "JsonValue"),),
        ),
        TypeInfo(
            "inet",
            "",
            "IPvAnyInterface",
            (("pydantic", "IPvAnyInterface"),),
            "INET",
            ((_PG, "INET"),),
            "inet",
            "inet",
        ),
        TypeInfo(
            "cidr",
            "",
            "IPvAnyNetwork",
            (("pydantic", "IPvAnyNetwork"),),
            "CIDR",
            ((_PG, "CIDR"),),
            "cidr",
            "cidr",
        ),
        TypeInfo(
            "citext",
            "",
            "str",
            (),
            "CITEXT",
            ((_PG, "CITEXT"),),
            "citext",
            "string",
            extension="citext",
        ),
        # A user-defined enum (see ``enums:``); ColumnType.enum names which one.
        # Outputs replace the Python and SQLAlchemy spellings with the enum class.
        TypeInfo("enum", "", "str", (), "Enum", ((_SA, "Enum"),), "", "enum"),
    ]
}

# Names people reach for out of habit from other tools, and what we call them.
SYNONYMS: dict[str, str] = {
    "string": "text",
    "str": "text",
    "int": "integer",
    "int4": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "bool": "boolean",
    "datetime": "timestamptz",
    "float": "double precision",
    "float8": "double precision",
    "float4": "real",
    "double": "double precision",
    "decimal": "numeric",
    "character varying": "varchar",
    "serial": "integer, with 'identity: by_default'",
    "bigserial": "bigint, with 'identity: by_default'",
    "smallserial": "smallint, with 'identity: by_default'",
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
}

VARCHAR_MAX = 10_485_760
NUMERIC_MAX_PRECISION = 1000

_TYPE_RE = re.compile(r"\s*([a-z][a-z ]*?)\s*(?:\(\s*([^)]*?)\s*\))?\s*")


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
        if self.array:
            return f"ARRAY({self.element.sqlalchemy})"
        base = self.info.sqlalchemy
        if self.length is not None:
            return f"{base}({self.length})"
        if self.precision is not None:
            return f"{base}({self.precision}, {self.scale or 0})"
        if self.name == "timestamptz":
            return f"{base}(timezone=True)"
        if self.name == "timestamp":
            return f"{base}()"
        return base


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


@cache  # a spec repeats a handful of type spellings thousands of times
def parse_type(text: str) -> tuple[ColumnType | None, str, str]:
    """Parse a spec type; returns (type, error, hint)."""
    m = _TYPE_RE.fullmatch(text)
    if not m:
        return (
            None,
            f"cannot read type {text!r}",
            "write a type such as 'text', 'varchar(50)' or 'numeric(10,2)'",
        )
    name, args = m.group(1), m.group(2)
    if name not in TYPES:
        if name in SYNONYMS:
            return None, f"unknown type {name!r}", f"PostgreSQL calls it {SYNONYMS[name]!r}"
        hint = did_you_mean(name, sorted(TYPES))
        return None, f"unknown type {name!r}", hint or f"known types: {', '.join(sorted(TYPES))}"
    info = TYPES[name]
    if args is None:
        if info.params in ("length", "precision_scale") and name != "numeric":
            return None, f"type {name!r} needs a length", f"write {name}(N)"
        return ColumnType(name), "", ""
    parts = [p.strip() for p in args.split(",")]
    if not all(re.fullmatch(r"-?[0-9]+", p) for p in parts):
        return None, f"type parameters must be whole numbers in {text!r}", ""
    nums = [int(p) for p in parts]
    if info.params == "length?":
        if len(nums) != 1:
            return None, f"{name} takes one length", f"write {name}(N)"
        if not 1 <= nums[0] <= VARCHAR_MAX:
            return (
                None,
                f"{name} length {nums[0]} is out of range",
                f"use a length from 1 to {VARCHAR_MAX}, or 'text'",
            )
        return ColumnType(name, length=nums[0]), "", ""
    if info.params == "precision_scale":
        if len(nums) not in (1, 2):
            return None, f"{name} takes (precision) or (precision, scale)", "write numeric(10,2)"
        precision, scale = nums[0], nums[1] if len(nums) == 2 else 0
        if not 1 <= precision <= NUMERIC_MAX_PRECISION:
            return (
                None,
                f"numeric precision {precision} is out of range",
                f"use a precision from 1 to {NUMERIC_MAX_PRECISION}",
            )
        if not 0 <= scale <= precision:
            return (
                None,
                f"numeric scale {scale} is out of range",
                f"use a scale from 0 to the precision ({precision})",
            )
        return ColumnType(name, precision=precision, scale=scale), "", ""
    return None, f"type {name!r} takes no parameters", f"write {name}"
