"""Pass 5 of the resolver: the Python side of the model.

Class names (singular PascalCase, or ``class_name:``), attribute names made
safe for Python, pydantic and SQLAlchemy (``class`` -> ``class_``), JSON names,
and the relationships that follow every foreign key both ways, with the
checks that keep all of these distinct.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Relation
from .naming import IDENT_RE, camel, class_name_problem, pascal, python_attr, singular
from .resolve_enums import split_key
from .source import Path

if TYPE_CHECKING:
    from .resolve import Resolver, _Fk, _Table


class PythonNames:
    def __init__(self, r: Resolver):
        self.r = r

    def run(self) -> None:
        classes: dict[str, str] = {}
        camel_case = self.r.spec.python.json_aliases == "camel"
        for table in self.r.tables.values():
            tspec = self.r.spec.tables[table.name]
            name = tspec.class_name or pascal(singular(table.bare))
            path = table.path + ("class_name",)
            problem = class_name_problem(name)
            if problem:
                self.r.error(
                    "invalid-class-name",
                    f"{name!r} cannot be a class name: it {problem}",
                    path if tspec.class_name else table.path,
                    "set 'class_name:' to another PascalCase identifier",
                    key=not tspec.class_name,
                )
            elif "Insert" + name in classes or "Update" + name in classes or name in classes:
                other = (
                    classes.get(name)
                    or classes.get("Insert" + name)
                    or classes.get("Update" + name)
                )
                if str(other).lower() != table.name.lower():  # else duplicate-table said it
                    self.r.error(
                        "duplicate-class-name",
                        f"tables {other!r} and {table.name!r} both map to class {name!r}",
                        path if tspec.class_name else table.path,
                        "set 'class_name:' on one of them",
                        key=not tspec.class_name,
                    )
            for n in (name, "Insert" + name, "Update" + name):
                classes.setdefault(n, table.name)
            table.class_name = name
        # Every class name is used in annotations (relationships, enums), so no
        # attribute may take one: it would shadow the class in the class body.
        enums = {s.class_name or pascal(split_key(k)[1]) for k, s in self.r.spec.enums.items()}
        self.r.class_names = frozenset(classes) | enums
        for table in self.r.tables.values():
            used: dict[str, str] = {}
            for col in table.columns.values():
                attr = python_attr(col.name, self.r.class_names)
                if attr in used:
                    self.r.error(
                        "attribute-collision",
                        f"columns {used[attr]!r} and {col.name!r} both become Python attribute {attr!r}",
                        col.path,
                        "rename one of the columns",
                        key=True,
                    )
                used[attr] = col.name
                table.attrs[col.name] = attr
            self._check_json_names(table, used, camel_case)
        self._relations(camel_case)

    def _check_json_names(self, table: _Table, attrs: dict[str, str], camel_case: bool) -> None:
        """A model field reads its attribute name and its JSON name, and dumps the
        JSON name: no other field may use either (``x`` next to ``_x``, whose
        attribute is ``x_`` and JSON name ``x``; ``a_b`` next to ``aB`` in camel)."""
        owner = dict(attrs)
        for col in table.columns.values():
            alias = json_alias(col.name, table.attrs[col.name], camel_case)
            if alias is not None and owner.setdefault(alias, col.name) != col.name:
                self.r.error(
                    "json-name-collision",
                    f"columns {owner[alias]!r} and {col.name!r} both have the JSON name {alias!r}",
                    col.path,
                    "rename one of the columns",
                    key=True,
                )

    def _relations(self, camel_case: bool) -> None:
        for table in self.r.tables.values():
            for fk in table.fks:
                parent = self.r.tables[fk.ref_table]
                one_to_one = set(fk.columns) == set(table.pk) or any(
                    set(cols) == set(fk.columns) for cols, _ in table.uniques
                )
                siblings = [f for f in table.fks if f.ref_table == fk.ref_table]
                # Derived names are made safe (a column class_id gives "class_");
                # a name the spec gives is checked and refused if unusable.
                forward = fk.relation or python_attr(
                    self._forward_name(table, fk, parent, len(siblings)), self.r.class_names
                )
                if fk.inverse:
                    inverse = fk.inverse
                else:
                    base = singular(table.bare) if one_to_one else table.bare
                    inverse = base if len(siblings) == 1 else f"{forward}_{base}"
                    if table.name == parent.name and len(siblings) == 1 and not one_to_one:
                        inverse = "children" if forward == "parent" else f"{forward}_{base}"
                    inverse = python_attr(inverse, self.r.class_names)
                passive = fk.on_delete in ("cascade", "set null")
                nullable = any(self.spec_nullable(table, c) for c in fk.columns)
                table.relations.append(
                    Relation(forward, parent.name, fk.name, False, inverse, True, nullable)
                )
                parent.relations.append(
                    Relation(
                        inverse, table.name, fk.name, not one_to_one, forward, False, True, passive
                    )
                )
                # Point at 'relation:'/'inverse:' when the spec wrote the name.
                where = fk.path + ("relation",) if fk.relation else fk.path
                self._check_relation_name(table, forward, where, "relation")
                where = fk.path + ("inverse",) if fk.inverse else fk.path
                self._check_relation_name(parent, inverse, where, "inverse")

    @staticmethod
    def _forward_name(table: _Table, fk: _Fk, parent: _Table, siblings: int) -> str:
        """``project_id`` -> ``project``; otherwise the parent's singular, made
        distinct with the column name when it is taken (``created_by_user``)."""
        column = fk.columns[0] if len(fk.columns) == 1 else fk.columns[-1]
        if column.endswith("_id") and len(column) > 3:
            return column[:-3]
        base = singular(parent.bare)
        if siblings == 1 and base not in table.attrs.values():
            return base
        return f"{column}_{base}"

    def spec_nullable(self, table: _Table, column: str) -> bool:
        return table.columns[column].spec.nullable

    def _check_relation_name(self, table: _Table, name: str, path: Path, key: str) -> None:
        if not IDENT_RE.fullmatch(name) or python_attr(name, self.r.class_names) != name:
            self.r.error(
                "invalid-relation-name",
                f"relationship name {name!r} on {table.class_name} is not usable as an attribute",
                path,
                f"set '{key}:' under references to another name",
            )
            return
        if name in table.attrs.values():
            self.r.error(
                "relation-collision",
                f"relationship {table.class_name}.{name} has the same name as a column",
                path,
                f"set '{key}:' under references to another name",
            )
        if sum(1 for r in table.relations if r.name == name) == 2:  # report once, not per pair
            self.r.error(
                "relation-collision",
                f"two relationships on {table.class_name} are named {name!r}",
                path,
                f"set '{key}:' under references to give them distinct names",
            )


def json_alias(name: str, attr: str, camel_case: bool) -> str | None:
    """The JSON name of a column when it differs from the attribute name."""
    alias = camel(name) if camel_case else name
    return None if alias == attr else alias
