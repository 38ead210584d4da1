"""Pass ``relations``: the ORM relationships, both ways along every foreign
key, and many-to-many across pure junction tables (two keys to one table
included: ``User.followers``/``User.followees``); their names are checked
against the columns and each other.  The options each needs are the orm pass's.
"""

from __future__ import annotations

from ..naming import IDENT_RE, plural, python_attr, singular
from ..source import Path
from .draft import Draft, DraftForeignKey, DraftRelation, DraftTable


def run(d: Draft) -> None:
    for table in d.tables.values():
        for fk in table.fks:
            _pair(d, table, fk)
    _many_to_many(d)


def _pair(d: Draft, table: DraftTable, fk: DraftForeignKey) -> None:
    parent = d.tables[fk.ref_table]
    one_to_one = set(fk.columns) == set(table.pk) or any(
        set(cols) == set(fk.columns) for cols, _ in table.uniques
    )
    siblings = sum(1 for f in table.fks if f.ref_table == fk.ref_table)
    # Derived names are made safe (a column class_id gives "class_");
    # a name the spec gives is checked and refused if unusable.
    forward = fk.relation or python_attr(_forward_name(table, fk, parent, siblings), d.class_names)
    if fk.inverse:
        inverse = fk.inverse
    else:
        base = singular(table.bare) if one_to_one else plural(table.bare)
        inverse = base if siblings == 1 else f"{forward}_{base}"
        if table.key == parent.key and siblings == 1 and not one_to_one:
            inverse = "children" if forward == "parent" else f"{forward}_{base}"
        inverse = python_attr(inverse, d.class_names)
    nullable = any(table.columns[c].spec.nullable for c in fk.columns)
    table.relations.append(DraftRelation(forward, parent.key, fk, False, inverse, True, nullable))
    parent.relations.append(
        DraftRelation(inverse, table.key, fk, not one_to_one, forward, False, True)
    )
    # Point at 'relation:'/'inverse:' when the spec wrote the name.
    _check_name(d, table, forward, fk.path + ("relation",) if fk.relation else fk.path, "relation")
    _check_name(d, parent, inverse, fk.path + ("inverse",) if fk.inverse else fk.path, "inverse")


def _forward_name(table: DraftTable, fk: DraftForeignKey, parent: DraftTable, siblings: int) -> str:
    """``project_id`` -> ``project``; otherwise the parent's singular, made
    distinct with the column name when it is taken (``created_by_user``)."""
    column = fk.columns[-1]
    if column.endswith("_id") and len(column) > 3:
        return column[:-3]
    base = singular(parent.bare)
    if siblings == 1 and base not in table.attrs:
        return base
    return f"{column}_{base}"


def _check_name(
    d: Draft, table: DraftTable, name: str, path: Path, key: str, hint: str = ""
) -> None:
    hint = hint or f"set '{key}:' under references to another name"
    if not IDENT_RE.fullmatch(name) or python_attr(name, d.class_names) != name:
        d.error(
            "invalid-relation-name",
            f"relationship name {name!r} on {table.class_name} is not usable as an attribute",
            path,
            hint,
        )
        return
    if name in table.attrs:
        d.error(
            "relation-collision",
            f"relationship {table.class_name}.{name} has the same name as a column",
            path,
            hint,
        )
    if sum(1 for r in table.relations if r.name == name) == 2:  # report once, not per pair
        d.error(
            "relation-collision",
            f"two relationships on {table.class_name} are named {name!r}",
            path,
            hint.replace("to another name", "to give them distinct names"),
        )


def _many_to_many(d: Draft) -> None:
    """``secondary`` relationships across pure junction tables, both ways.

    A junction: the primary key is exactly two single-column foreign keys, and
    every other column fills itself (nullable, default, identity or
    generated), so the ORM can insert a row with only the two keys.  Between
    two tables each side gets the other table's name (``Post.tags``,
    ``Tag.posts``) unless that name is taken, in which case none is added.
    Keys to one table (``user_follows``) are ``_self_junction``'s.
    """
    for junction in d.tables.values():
        fks = _junction_keys(junction)
        if fks is None:
            continue
        if fks[0].ref_table == fks[1].ref_table:
            _self_junction(d, junction, fks)
            continue
        a, b = (d.tables[fk.ref_table] for fk in fks)
        a_name, b_name = (
            plural(b.bare),
            plural(a.bare),
        )  # the attribute on a lists b's rows, and back
        if any(
            any(c.attr == name for c in t.columns.values())
            or any(r.name == name for r in t.relations)
            for t, name in ((a, a_name), (b, b_name))
        ):
            continue
        for side, other, name, back, fk in (
            (a, b, a_name, b_name, fks[0]),
            (b, a, b_name, a_name, fks[1]),
        ):
            side.relations.append(
                DraftRelation(name, other.key, fk, True, back, False, True, junction.key)
            )


def _junction_keys(junction: DraftTable) -> tuple[DraftForeignKey, DraftForeignKey] | None:
    """The two foreign keys of a pure junction, in the spec's order, or None."""
    fks = [fk for fk in junction.fks if len(fk.columns) == 1]
    if len(junction.pk) != 2 or len(fks) != 2 or len(junction.fks) != 2:
        return None
    if {fk.columns[0] for fk in fks} != set(junction.pk):
        return None
    others = [c for c in junction.columns.values() if c.name not in junction.pk]
    if not all(
        c.spec.nullable or c.spec.default is not None or c.spec.identity or c.spec.generated
        for c in others
    ):
        return None
    return fks[0], fks[1]


def _self_junction(
    d: Draft, junction: DraftTable, fks: tuple[DraftForeignKey, DraftForeignKey]
) -> None:
    """Both keys reach one table (``user_follows``: follower_id, followee_id ->
    users): two collections on it, each named after the column it collects
    through.  ``User.followers`` holds the rows' followers where the user is
    the followee, ``User.followees`` the reverse.  A column that names no role
    (``user_id`` in ``friendships(user_id, friend_id)``) would give the
    table's own plural, so that side reads from the other column:
    ``User.friends`` and ``User.friend_of``.  ``relation:`` on a reference
    renames the junction's many-to-one and, in the plural, the collection
    through it.  A clash is an error at that reference, whose ``relation:``
    is the fix: a follow graph quietly left without its collections would be
    found only when the code using them fails.
    """
    table = d.tables[fks[0].ref_table]
    names = [_collection(d, table, far, near) for far, near in (fks, fks[::-1])]
    # The collection through ``far`` starts from this row's ``near`` column.
    for (far, near), name, back in zip((fks, fks[::-1]), names, names[::-1], strict=True):
        table.relations.append(
            DraftRelation(name, table.key, near, True, back, False, True, junction.key, far)
        )
        path = far.path + ("relation",) if far.relation else far.path
        hint = (
            f"the many-to-many {table.class_name}.{name} through {junction.key} is named after"
            f" {far.columns[0]}: set 'relation:' under its references to another name"
            " (the collection takes its plural)"
        )
        _check_name(d, table, name, path, "relation", hint)


def _collection(d: Draft, table: DraftTable, far: DraftForeignKey, near: DraftForeignKey) -> str:
    """``follower_id`` -> ``followers``; a column named after the table itself
    (``user_id``) -> ``<other role>_of`` (``friend_of``)."""
    name = plural(_role(far))
    if name == plural(table.bare):
        name = f"{_role(near)}_of"
    return python_attr(name, d.class_names)


def _role(fk: DraftForeignKey) -> str:
    """The junction's name for the row at this key: ``relation:``, or the column less ``_id``."""
    if fk.relation:
        return fk.relation
    column = fk.columns[0]
    return column[:-3] if column.endswith("_id") and len(column) > 3 else column
