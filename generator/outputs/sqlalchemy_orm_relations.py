"""An ORM class's ``relationship()`` attributes: one per side of a foreign key, or
a many-to-many through a junction table (``secondary``).  Every option (cascade,
passive deletes, overlaps, post_update) is the resolver's (``resolve/orm.py``);
this module prints them.  Split from ``sqlalchemy_orm.py``.
"""

from __future__ import annotations

from ..model import Relation, Schema, Table
from .pyfmt import INDENT, assign, call, py_str


def _passive(rel: Relation) -> str | None:
    if rel.passive_deletes == "all":
        return py_str("all")
    return "True" if rel.passive_deletes else None


def _overlaps(rel: Relation) -> str | None:
    return py_str(",".join(rel.overlaps)) if rel.overlaps else None


def _join(table: Table, junction: Table, pair: tuple[str, str] | None) -> str | None:
    """``"User.id == UserFollow.follower_id"``"""
    if pair is None:
        return None
    column, junction_column = table.column(pair[0]), junction.column(pair[1])
    left = f"{table.class_name}.{column.attr}"
    return py_str(f"{left} == {junction.class_name}.{junction_column.attr}")


def secondary_lines(rel: Relation, schema: Schema) -> list[str]:
    """Many-to-many through a junction table."""
    target, junction = schema.table(rel.target), schema.table(rel.secondary or "")
    value = call(
        "relationship",
        secondary=py_str(junction.key),
        primaryjoin=_join(target, junction, rel.primaryjoin),
        secondaryjoin=_join(target, junction, rel.secondaryjoin),
        back_populates=py_str(rel.back_populates),
        passive_deletes=_passive(rel),
        overlaps=_overlaps(rel),
    )
    return assign(rel.name, f"Mapped[list[{target.class_name}]]", value, INDENT)


def _attrs(table: Table, columns: tuple[str, ...]) -> str | None:
    """``Class.attr`` (or a list of them) for SQLAlchemy's column arguments."""
    if not columns:
        return None
    return py_str(_joined([f"{table.class_name}.{table.column(c).attr}" for c in columns]))


def relationship_lines(table: Table, rel: Relation, schema: Schema) -> list[str]:
    if rel.secondary is not None:
        return secondary_lines(rel, schema)
    target = schema.table(rel.target)
    owner = table if rel.owner_side else target
    if rel.many:
        ann = f"list[{target.class_name}]"
    else:
        ann = target.class_name + (" | None" if rel.optional else "")
    value = call(
        "relationship",
        back_populates=py_str(rel.back_populates),
        foreign_keys=_attrs(owner, rel.foreign_keys),
        remote_side=_attrs(table, rel.remote_side),
        cascade=py_str(rel.cascade) if rel.cascade else None,
        passive_deletes=_passive(rel),
        post_update="True" if rel.post_update else None,
        overlaps=_overlaps(rel),
    )
    return assign(rel.name, f"Mapped[{ann}]", value, INDENT)


def _joined(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else "[" + ", ".join(exprs) + "]"
