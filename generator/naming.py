"""Naming rules: identifiers, derived constraint names, Python names.

They live here, on the model side, so that templates only print names.
"""

from __future__ import annotations

import keyword
import re
from functools import cache

MAX_IDENT_BYTES = 63  # NAMEDATALEN - 1: PostgreSQL truncates longer names silently

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def ident_bytes(name: str) -> int:
    return len(name.encode("utf-8"))


def quote_ident(name: str) -> str:
    """Always quote: reserved words such as "order" and "user" just work."""
    return '"' + name.replace('"', '""') + '"'


def constraint_name(
    table: str, columns: tuple[str, ...], suffix: str, *, force_hash: bool = False
) -> str:
    """PostgreSQL's own naming (``assets_project_id_fkey``), shortened when too long.

    PostgreSQL would truncate a long name to 63 bytes, so two long names could
    collide.  We keep a readable prefix and add a hash of the full name, which
    keeps shortened names stable across runs and distinct from each other.
    """
    seed = "\x00".join((table, *columns, suffix))
    table = table.rstrip("\x00")
    full = "_".join((table, *columns, suffix))
    if ident_bytes(full) <= MAX_IDENT_BYTES and not force_hash:
        return full
    import hashlib  # only names over 63 bytes need it

    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8]
    tail = f"_{digest}_{suffix}"
    budget = MAX_IDENT_BYTES - len(tail)
    head = full.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip("_")
    return head + tail


# --- English singulars, enough for table names; a spec can always override. ---
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "mice": "mouse",
    "data": "data",
    "media": "media",
    "indices": "index",
    "criteria": "criterion",
}
_UNCOUNTABLE = {
    "content",
    "metadata",
    "information",
    "news",
    "series",
    "species",
    "status",
    "equipment",
    "staff",
    "software",
    "feedback",
}


def singular(word: str) -> str:
    """Singular of the last ``_``-separated part: asset_processing_jobs -> asset_processing_job."""
    head, _, last = word.rpartition("_")
    lower = last.lower()
    if lower in _UNCOUNTABLE or lower.endswith(("ss", "us", "is")):
        out = last
    elif lower in _IRREGULAR:
        out = _IRREGULAR[lower]
    elif lower.endswith("ies") and len(lower) > 3:
        out = last[:-3] + "y"
    elif lower.endswith(("ches", "shes", "xes", "zes", "sses")):
        out = last[:-2]
    elif lower.endswith("s") and len(lower) > 1:
        out = last[:-1]
    else:
        out = last
    return f"{head}_{out}" if head else out


_IRREGULAR_PLURAL = {one: many for many, one in _IRREGULAR.items()}


def plural(word: str) -> str:
    """Plural of the last ``_``-separated part, whatever the number it is written in:
    ``album`` and ``albums`` -> ``albums``, ``country`` -> ``countries``."""
    head, _, last = singular(word).rpartition("_")
    lower = last.lower()
    if lower in _UNCOUNTABLE or lower in _IRREGULAR:  # data, media, status
        out = last
    elif lower in _IRREGULAR_PLURAL:
        out = _IRREGULAR_PLURAL[lower]
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        out = last[:-1] + "ies"
    elif lower.endswith("is") and len(lower) > 2:  # analysis -> analyses
        out = last[:-2] + "es"
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        out = last + "es"
    else:
        out = last + "s"
    return f"{head}_{out}" if head else out


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def camel(name: str) -> str:
    parts = [p for p in name.split("_") if p]
    if not parts:
        return name
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


# Names a generated attribute must not take: Python keywords and soft keywords,
# builtins that would be shadowed in class bodies, and the attributes that
# pydantic's BaseModel and SQLAlchemy's declarative base already own.
_PYDANTIC_RESERVED = {
    "copy",
    "dict",
    "json",
    "schema",
    "schema_json",
    "construct",
    "validate",
    "parse_obj",
    "parse_raw",
    "parse_file",
    "from_orm",
    "update_forward_refs",
    "fields",
    "model_config",
    "model_fields",
    "model_computed_fields",
    "model_extra",
    "model_fields_set",
    "model_construct",
    "model_copy",
    "model_dump",
    "model_dump_json",
    "model_json_schema",
    "model_parametrized_name",
    "model_post_init",
    "model_rebuild",
    "model_validate",
    "model_validate_json",
    "model_validate_strings",
}
# ``self`` would clash with the constructors' own first parameter
# (``Row(**values)``); a field named ``mro`` or ``Config`` makes pydantic warn
# when models.py is imported (it shadows ``type.mro``, or reads as the v1 config).
_PYTHON_RESERVED = {"self", "mro", "Config"}
_SQLALCHEMY_RESERVED = {
    "metadata",
    "registry",
    "type_annotation_map",
    "awaitable_attrs",
    "__tablename__",
    "__table_args__",
    "__table__",
    "__mapper__",
    "__mapper_args__",
}
# Names the generated modules bind at module level (imports, helpers, the
# declarative base).  A class-body attribute of the same name would shadow it
# for every later line of the class: ``Text: Mapped[str] = mapped_column(Text)``
# followed by ``title: Mapped[str] = mapped_column(Text)`` passes the first
# column to the second.  The type table's imports are added in module_names().
_MODULE_NAMES = {
    # pydantic models
    "AfterValidator",
    "AliasChoices",
    "Annotated",
    "BaseModel",
    "ConfigDict",
    "Field",
    "Literal",
    "Generic",
    "Omittable",
    "PgRange",
    "PlainSerializer",
    "TypeVar",
    "UTC",
    "UtcDatetime",
    # SQLAlchemy ORM
    "ARRAY",
    "Base",
    "CheckConstraint",
    "Computed",
    "DOMAIN",
    "DeclarativeBase",
    "Enum",
    "ExcludeConstraint",
    "ForeignKeyConstraint",
    "Identity",
    "Index",
    "Mapped",
    "MappingProxyType",  # a junction class's read-only __mapper_args__
    "MetaData",
    "PrimaryKeyConstraint",
    "Range",
    "Sequence",
    "UniqueConstraint",
    "func",
    "literal_column",
    "mapped_column",
    "relationship",
    "text",
    # annotations and builtins used in them
    "Any",
    "JsonValue",
    "Optional",
    "UUID",
    "Decimal",
    "datetime",
    "date",
    "time",
    "timedelta",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "list",
    "dict",
    "enum",
    "sa",
    "uuid",
    "decimal",
    "typing",
    # orm.py's views (issue 13): their MetaData and the Table/Column they are built with
    "views_metadata",
    "Table",
    "Column",
}


@cache
def module_names() -> frozenset[str]:
    """Every name a generated module may bind at module level, whatever the schema
    uses: an attribute name must not depend on which types other columns have."""
    from .types import TYPES  # the type table's imports (Text, Uuid, JSONB, ...)

    names = set(_MODULE_NAMES)
    for info in TYPES.values():
        imports = info.python_imports + info.sqlalchemy_imports + info.pydantic_imports
        names |= {name for _, name in imports if name}
    return frozenset(names)


def is_reserved_attr(name: str, classes: frozenset[str] = frozenset()) -> bool:
    """``classes``: the schema's class names, which annotations in every class use."""
    return (
        keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name in _PYDANTIC_RESERVED
        or name in _SQLALCHEMY_RESERVED
        or name in _PYTHON_RESERVED
        or name in module_names()
        or name in classes
        or name.startswith("_")
        or name.startswith("model_")
    )


def class_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a generated class name, or None when it can."""
    if not IDENT_RE.fullmatch(name) or keyword.iskeyword(name):
        return "is not a Python identifier"
    if name.startswith("_"):
        return "starts with an underscore"
    if name in module_names():
        return "is a name the generated modules import or define"
    return None


def python_attr(name: str, classes: frozenset[str] = frozenset()) -> str:
    """A safe attribute name for a column: ``class`` -> ``class_``, ``_x`` -> ``x_``."""
    base = name.lstrip("_") or "field"
    if base != name or is_reserved_attr(base, classes):
        return base + "_"
    return base
