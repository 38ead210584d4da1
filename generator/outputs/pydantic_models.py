"""Context for ``templates/pydantic/models.py.jinja``: three Pydantic models per table.

- ``Project``: a row as read (every column present; nullable means ``T | None``).
- ``InsertProject``: what an INSERT sends.  A column is required exactly when it
  is NOT NULL, has no default and is not computed by the database.  Every other
  field defaults to None and is left out by ``model_dump(exclude_unset=True)``,
  so the database applies its default.  A NOT NULL column with a default is
  typed ``Omittable[T]``: it may be left out, but an explicit None is refused
  (it would only fail on the database).
- ``UpdateProject``: every field optional, for partial updates; the same rule
  for None on NOT NULL columns.

``timestamp`` (without time zone) columns are typed ``UtcDatetime``: a naive
datetime holding UTC.  That is how node-postgres and Drizzle treat such
columns, so a TypeScript API serialises them as ISO strings with ``Z``; the
model converts any offset to UTC and drops it (a naive input is taken as is),
and dumps JSON with ``Z`` again so JavaScript does not read it as local time.

Attribute names are ``Column.attr``; JSON names (camelCase, or the column name
when the attribute had to differ) are accepted next to the attribute name via
``AliasChoices`` and used by ``model_dump(by_alias=True)``.  Plain
``model_dump()`` gives attribute names: the keyword arguments of the ORM classes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, NamedTuple

from ..model import Column, Limits, Schema, Table
from ..types import Import
from .pyfmt import INDENT, Call, assign, call, docstring, fits, import_lines, py_str
from .pytypes import enum_aliases, python_type

Kind = Literal["select", "insert", "update"]


# A NamedTuple and a plain class, not dataclasses: creating a dataclass is ~3.5 M
# instructions (about 1 ms) of every run; a NamedTuple ~0.7 M.
class ModelClass(NamedTuple):
    name: str
    base: str
    # The docstring, a blank line and the fields, indented: one text, as printing
    # 100,000 lines one by one in the template was a tenth of the render.
    body: str


def _class_body(doc: list[str] | tuple[str, ...], fields: list[str]) -> str:
    return "\n".join([*doc, "", *fields])


class Needs:
    """What the fields use: imports, and the helpers the template defines."""

    __slots__ = ("imports", "omittable", "utc_datetime", "pg_range")

    def __init__(self, imports: set[Import]) -> None:
        self.imports = imports
        self.omittable = False
        self.utc_datetime = False
        self.pg_range = False


_LIMIT_KEYWORDS = (
    "min_length",
    "max_length",
    "max_digits",
    "decimal_places",
    "ge",
    "gt",
    "le",
    "lt",
)


def _number(value: object) -> str:
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else f'Decimal("{value}")'
    return repr(value)


def limit_keywords(limits: Limits) -> dict[str, str]:
    """The column's limits as Field keywords, in a fixed order (may be empty)."""
    out: dict[str, str] = {}
    for key in _LIMIT_KEYWORDS:  # a plain loop: this runs for every field of every model
        value = getattr(limits, key)
        if value is not None:
            out[key] = _number(value)
    return out


_Pieces = tuple[str, dict[str, "str | Call | None"]]  # (annotation, Field keywords)


def _pieces(col: Column, needs: Needs, schema: Schema) -> _Pieces:
    """What a field is in every model: its type and its Field keywords."""
    ann, imports = python_type(col.type, schema, pydantic=True)
    needs.imports |= imports
    needs.utc_datetime |= ann == "UtcDatetime"
    needs.pg_range |= "PgRange[" in ann
    limits = limit_keywords(col.limits)
    for text in limits.values():
        if text.startswith("Decimal("):
            needs.imports.add(("decimal", "Decimal"))
            break
    if col.type.array and limits:  # an array of a domain: the limits hold for each item
        item, _ = python_type(col.type.element, schema, pydantic=True)
        keywords = ", ".join(f"{k}={v}" for k, v in limits.items())
        ann = f"list[Annotated[{item}, Field({keywords})]]"
        needs.imports |= {("typing", "Annotated"), ("pydantic", "Field")}
        limits = {}
    kwargs: dict[str, str | Call | None] = dict(limits)
    if col.json_alias:
        # The attribute name first: read from an ORM object, "metadata" would find
        # SQLAlchemy's MetaData instead of the column attribute "metadata_".
        kwargs["validation_alias"] = call("AliasChoices", py_str(col.attr), py_str(col.json_alias))
        kwargs["serialization_alias"] = py_str(col.json_alias)
        needs.imports.add(("pydantic", "AliasChoices"))
    if col.description:
        kwargs["description"] = py_str(col.description)
    return ann, kwargs


_Field = tuple[str, "Call | str | None"]  # (annotation, value after ``=`` or None)


def _field(col: Column, optional: bool, pieces: _Pieces, needs: Needs) -> _Field:
    ann, kwargs = pieces
    if col.nullable:
        ann = f"{ann} | None"
    elif optional:
        ann = f"Omittable[{ann}]"
        needs.omittable = True
    value: Call | str | None = "None" if optional else None
    if kwargs:
        value = call("Field", **({"default": value} | kwargs))
        needs.imports.add(("pydantic", "Field"))
    return ann, value


def _field_lines(attr: str, field: _Field) -> list[str]:
    ann, value = field
    if value is None:
        return [f"{INDENT}{attr}: {ann}"]
    return assign(attr, ann, value, INDENT)


def _lines(col: Column, optional: bool, pieces: _Pieces, needs: Needs) -> list[str]:
    return _field_lines(col.attr, _field(col, optional, pieces, needs))


def _optional(col: Column, kind: Kind) -> bool:
    return kind == "update" or (kind == "insert" and not col.required_on_insert)


def field_lines(col: Column, kind: Kind, needs: Needs, schema: Schema) -> list[str]:
    return _lines(col, _optional(col, kind), _pieces(col, needs, schema), needs)


def _doc(table: Table, kind: Kind) -> list[str]:
    what = {
        "select": f"A row of ``{table.name}``.",
        "insert": f"A new row for ``{table.name}``; dump with ``exclude_unset=True``.",
        "update": f"Changes to a row of ``{table.name}``; dump with ``exclude_unset=True``.",
    }[kind]
    text = what + (f"\n\n{table.description}" if table.description and kind == "select" else "")
    return docstring(text, INDENT)


# A column's field in the three models: the required form, the optional one (None
# when the column is not writable), and whether an insert must give it.
_Forms = tuple[_Field, "_Field | None", bool]


class _Fields:
    """A column's ``_Forms`` per ``_field_key``, per ``context``: columns that differ
    only in their attribute name share them (13,000 columns of a 1,000-table spec
    have a few dozen), and ``Call`` keeps its one-line form.  ``needs`` learns what
    a field uses when its forms are first made."""

    def __init__(self, needs: Needs, schema: Schema) -> None:
        self.needs = needs
        self.schema = schema
        self.forms: dict[tuple[Any, ...], _Forms] = {}

    def of(self, col: Column) -> _Forms:
        key = _field_key(col)
        forms = self.forms.get(key)
        if forms is None:
            pieces = _pieces(col, self.needs, self.schema)
            required = _field(col, False, pieces, self.needs)
            optional = _field(col, True, pieces, self.needs) if col.writable else None
            forms = self.forms[key] = (required, optional, col.required_on_insert)
        return forms


def _field_key(col: Column) -> tuple[Any, ...]:
    """Every field ``_pieces``, ``_field``, ``Column.writable`` and
    ``Column.required_on_insert`` read: all but the attribute name (read only for a
    JSON alias).  The limits by identity: equal limits may print differently
    (``ge=0`` of an integer, ``ge=0.0`` of a real, ``Decimal("0.50")``), and
    columns of one spelled type share one ``Limits`` (resolve/bounds.py)."""
    return (
        col.type,
        id(col.limits),
        col.json_alias,
        col.attr if col.json_alias else None,
        col.description,
        col.nullable,
        col.default is not None,
        col.domain_default,
        col.identity,
        col.generated,
    )


def table_fields(table: Table, cache: _Fields) -> dict[Kind, list[str]]:
    """The field lines of a table's three models, in one pass over its columns: a
    field differs between them only in whether it is optional, so its lines are
    made at most twice."""
    select: list[str] = []
    insert: list[str] = []
    update: list[str] = []
    for col in table.columns:
        required_form, optional_form, insert_required = cache.of(col)
        required = _field_lines(col.attr, required_form)
        select += required
        if optional_form is not None:  # writable
            optional = _field_lines(col.attr, optional_form)
            insert += required if insert_required else optional
            update += optional
    return {"select": select, "insert": insert, "update": update}


def model_class(table: Table, kind: Kind, fields: list[str]) -> ModelClass:
    name = {"select": "", "insert": "Insert", "update": "Update"}[kind] + table.class_name
    base = "_Row" if kind == "select" else "_Write"
    return ModelClass(name, base, _class_body(_doc(table, kind), fields))


def context(schema: Schema) -> dict[str, Any]:
    needs = Needs({("pydantic", "BaseModel"), ("pydantic", "ConfigDict")})
    classes: list[ModelClass] = []
    cache = _Fields(needs, schema)
    for table in schema.tables:
        fields = table_fields(table, cache)
        classes += [
            model_class(table, kind, fields[kind]) for kind in ("select", "insert", "update")
        ]
    for view in schema.views:
        lines = [ln for col in view.columns for ln in field_lines(col, "select", needs, schema)]
        text = f"A row of the {'materialized ' if view.materialized else ''}view ``{view.name}``."
        text += f"\n\n{view.description}" if view.description else ""
        classes.append(
            ModelClass(view.class_name, "_ViewRow", _class_body(docstring(text, INDENT), lines))
        )
    if schema.enums:
        needs.imports.add(("typing", "Literal"))
    if needs.omittable:
        needs.imports |= {("typing", "Annotated"), ("typing", "TypeVar")}
        needs.imports.add(("pydantic", "AfterValidator"))
    if needs.pg_range:
        needs.imports |= {("typing", "Generic"), ("typing", "Literal"), ("typing", "TypeVar")}
    if needs.utc_datetime:
        needs.imports |= {("typing", "Annotated"), ("datetime", "datetime")}
        needs.imports |= {("datetime", "UTC"), ("pydantic", "AfterValidator")}
        needs.imports.add(("pydantic", "PlainSerializer"))
    return {
        "source": schema.source_name,
        "imports": import_lines(needs.imports),
        "enums": enum_aliases(schema),
        "omittable": needs.omittable,
        "utc_datetime": needs.utc_datetime,
        "pg_range": needs.pg_range,
        "classes": classes,
        "write_config": _config('extra="forbid", from_attributes=True, protected_namespaces=()'),
        "view_config": _config("frozen=True, from_attributes=True, protected_namespaces=()"),
        "views": bool(schema.views),
    }


def _config(args: str) -> list[str]:
    """A base class's ``model_config`` as ruff lays it out at the project's line length:
    flat if it fits, else the arguments on one indented line, else one a line."""
    flat = f"{INDENT}model_config = ConfigDict({args})"
    if fits(flat):
        return [flat]
    if fits(INDENT * 2 + args):
        return [f"{INDENT}model_config = ConfigDict(", INDENT * 2 + args, f"{INDENT})"]
    return (
        [f"{INDENT}model_config = ConfigDict("]
        + [f"{INDENT * 2}{a}," for a in args.split(", ")]
        + [f"{INDENT})"]
    )


def package_context(schema: Schema) -> dict[str, Any]:
    """Context for ``templates/python/__init__.py.jinja``: the chosen modules by import path."""
    out = schema.outputs
    modules = []
    for key, what in (
        ("pydantic", "Pydantic v2 models (needs only pydantic)"),
        ("sqlalchemy", "the SQLAlchemy 2.0 ORM (needs only sqlalchemy)"),
    ):
        path = out.path(key)
        if path is not None:
            dotted = ".".join([out.python_package, *path.removesuffix(".py").split("/")])
            modules.append(f"``{dotted}``: {what}.")
    independent = {
        2: "The modules are independent; importing this package imports neither.",
        1: "Importing this package does not import the module.",
    }
    return {
        "source": schema.source_name,
        "modules": modules,
        "closing": independent.get(len(modules), ""),
    }
