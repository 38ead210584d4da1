"""Python and SQLAlchemy spellings of a column type, for the two Python outputs.

The type table (``types.py``) gives the built-in types; here we add what
depends on the schema: enums (a ``Literal`` alias named after the enum's
class name, and SQLAlchemy's ``Enum`` bound to the same PostgreSQL type) and
one-dimensional arrays (``list[T]``, ``ARRAY(T)``).
"""

from __future__ import annotations

from ..model import Enum, Schema
from ..types import ColumnType, Import
from .pyfmt import Call, call, layout, py_str

_SA = "sqlalchemy"


def python_type(ctype: ColumnType, schema: Schema, *, pydantic: bool) -> tuple[str, set[Import]]:
    """The annotation (without ``| None``) and its imports."""
    if ctype.enum is not None:
        ann, imports = schema.enum(ctype.enum).class_name, set()
    else:
        info = ctype.info
        if pydantic and info.pydantic:
            ann, imports = info.pydantic, set(info.pydantic_imports)
        else:
            ann, imports = info.python, set(info.python_imports)
    return (f"list[{ann}]", imports) if ctype.array else (ann, imports)


def enum_aliases(schema: Schema) -> list[str]:
    """``Name = Literal["a", "b"]`` for every enum, laid out as ruff would."""
    lines: list[str] = []
    for enum in schema.enums:
        labels = Call("Literal", tuple(("", py_str(label)) for label in enum.labels), "[]")
        lines += layout(labels, "", f"{enum.class_name} = ")
    return lines


def sa_enum(enum: Enum) -> Call:
    return call(
        "Enum",
        *(py_str(label) for label in enum.labels),
        name=py_str(enum.name),
        schema=py_str(enum.schema) if enum.schema else None,
    )


def sqlalchemy_type(ctype: ColumnType, schema: Schema) -> tuple[str | Call, set[Import]]:
    element = ctype.element
    text: str | Call
    if element.enum is not None:
        text, imports = sa_enum(schema.enum(element.enum)), {(_SA, "Enum")}
    else:
        text, imports = element.sqlalchemy, set(element.info.sqlalchemy_imports)
    domain = ctype.element_domain if ctype.array else ctype.domain
    if domain is not None:  # the column's domain, or (year[]) its elements'
        # The database's type is the domain (schema.sql creates it), so
        # create_type=False; alembic compares it by name with the catalog's.
        dom = schema.domain(domain)
        text = call(
            "DOMAIN",
            py_str(dom.name),
            text,
            schema=py_str(dom.schema) if dom.schema else None,
            create_type="False",
        )
        imports = imports | {("sqlalchemy.dialects.postgresql", "DOMAIN")}
    if ctype.array:
        return call("ARRAY", text), imports | {(_SA, "ARRAY")}
    return text, imports
