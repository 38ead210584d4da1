"""Pass ``classes``: the Python side of tables and columns.

Class names (singular PascalCase, or ``class_name:``) for the row, insert and
update models, distinct from each other and from the enums'; attribute names
made safe for Python, Pydantic and SQLAlchemy (``class`` -> ``class_``); JSON
names (camelCase when asked for), with the checks that keep them distinct.
"""

from __future__ import annotations

from ..model import sequence_py_name
from ..naming import camel, class_name_problem, pascal, python_attr, singular
from .draft import Draft, DraftTable, same_table, split_key

PREFIXES = ("", "Insert", "Update")  # the Pydantic models of one table


def run(d: Draft) -> None:
    classes: dict[str, str] = {}
    for table in d.tables.values():
        _class_name(d, table, classes)
    enums = {key: s.class_name or pascal(split_key(key)[1]) for key, s in d.spec.enums.items()}
    for key, name in enums.items():
        if name in classes:
            d.error(
                "duplicate-class-name",
                f"enum {key!r} and table {classes[name]!r} both map to class {name!r}",
                ("enums", key),
                "set 'class_name:' on the enum or the table",
                key=True,
            )
    d.enum_classes = enums
    for key in d.sequences:  # the ORM's module-level Sequence objects
        name = sequence_py_name(key)
        if name in classes or name in enums.values():
            d.error(
                "duplicate-class-name",
                f"sequence {key!r} is the ORM's {name}, which is also a class name",
                ("sequences", key),
                "rename the sequence, or set another 'class_name:'",
                key=True,
            )
    # Every class name is used in annotations (relationships, enums), so no
    # attribute may take one: it would shadow the class in the class body.
    d.class_names = frozenset(classes) | frozenset(enums.values())
    camel_case = d.spec.python.json_aliases == "camel"
    attrs: dict[str, str] = {}  # column name -> attribute: tables repeat column names
    for table in d.tables.values():
        _attributes(d, table, camel_case, attrs)


def _class_name(d: Draft, table: DraftTable, classes: dict[str, str]) -> None:
    given = table.spec.class_name
    name = given or pascal(singular(table.bare))
    path = table.path + ("class_name",) if given else table.path
    problem = class_name_problem(name)
    if problem:
        d.error(
            "invalid-class-name",
            f"{name!r} cannot be a class name: it {problem}",
            path,
            "set 'class_name:' to another PascalCase identifier",
            key=not given,
        )
    else:
        other = next((classes[p + name] for p in PREFIXES if p + name in classes), None)
        if other is not None and not same_table(other, table.key):  # else duplicate-table
            d.error(
                "duplicate-class-name",
                f"tables {other!r} and {table.key!r} both map to class {name!r}",
                path,
                "set 'class_name:' on one of them",
                key=not given,
            )
    for prefix in PREFIXES:
        classes.setdefault(prefix + name, table.key)
    table.class_name = name


def _attributes(d: Draft, table: DraftTable, camel_case: bool, attrs: dict[str, str]) -> None:
    """A model field reads its attribute name and its JSON name, and dumps the
    JSON name: no other field may use either (``x`` next to ``_x``, whose
    attribute is ``x_`` and JSON name ``x``; ``a_b`` next to ``aB`` in camel)."""
    owner: dict[str, str] = {}
    for col in table.columns.values():
        attr = attrs.get(col.name)
        if attr is None:
            attr = attrs[col.name] = python_attr(col.name, d.class_names)
        col.attr = attr
        if col.attr in owner:
            d.error(
                "attribute-collision",
                f"columns {owner[col.attr]!r} and {col.name!r} both become Python attribute {col.attr!r}",
                col.path,
                "rename one of the columns",
                key=True,
            )
        owner[col.attr] = col.name
    table.attrs = set(owner)
    for col in table.columns.values():
        alias = camel(col.name) if camel_case else col.name
        col.json_alias = None if alias == col.attr else alias
        if col.json_alias is not None and owner.setdefault(alias, col.name) != col.name:
            d.error(
                "json-name-collision",
                f"columns {owner[alias]!r} and {col.name!r} both have the JSON name {alias!r}",
                col.path,
                "rename one of the columns",
                key=True,
            )
