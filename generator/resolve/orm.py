"""Pass ``orm``: the SQLAlchemy options each relationship needs, decided here
so the ORM output only prints them.

Relationships mirror the foreign key's ON DELETE so the ORM does not fight
the database: ``cascade`` deletes loaded children in the session and leaves
the rest to the database (``passive_deletes=True``); ``set null`` lets the
database null them; ``restrict``/``no action``/``set default`` leave the
decision to the database (``passive_deletes="all"``) instead of nulling the
children's keys first.
"""

from __future__ import annotations

from collections import Counter

from .draft import Draft, DraftForeignKey, DraftRelation, DraftTable

_DATABASE_ACTS = ("cascade", "set null")  # the database deletes or nulls the children


def run(d: Draft) -> None:
    # Foreign keys between each pair of tables, either way round (users.best_post_id
    # and posts.author_id link the same pair); a self-reference is a pair of one.
    between = Counter(frozenset((t.key, fk.ref_table)) for t in d.tables.values() for fk in t.fks)
    for table in d.tables.values():
        for rel in table.relations:
            if rel.secondary is not None:
                _secondary(d, table, rel)
            else:
                _direct(d, table, rel, between[frozenset((table.key, rel.target))])


def _secondary(d: Draft, table: DraftTable, rel: DraftRelation) -> None:
    """Many-to-many: the junction's own relationships write the same rows, so
    they are named as overlapping (SQLAlchemy would warn)."""
    target, junction = d.tables[rel.target], d.tables[rel.secondary or ""]
    overlaps = {r.name for r in junction.relations}
    overlaps |= {r.name for t in (table, target) for r in t.relations if r.target == junction.key}
    rel.overlaps = tuple(sorted(overlaps))
    rel.passive_deletes = rel.fk.on_delete in _DATABASE_ACTS
    if rel.far is not None:  # both keys reach this table: say which one leads where
        rel.primaryjoin = (rel.fk.ref_columns[0], rel.fk.columns[0])
        rel.secondaryjoin = (rel.far.ref_columns[0], rel.far.columns[0])


def _direct(d: Draft, table: DraftTable, rel: DraftRelation, between: int) -> None:
    fk, target = rel.fk, d.tables[rel.target]
    owner = table if rel.owner_side else target
    self_reference = rel.target == table.key
    if between > 1 or self_reference:  # say which foreign key this one follows
        rel.foreign_keys = fk.columns
    if rel.owner_side and self_reference:  # the referenced row is the remote side
        rel.remote_side = fk.ref_columns
    if not rel.owner_side:
        if fk.on_delete == "cascade":
            rel.cascade = "all, delete"
        rel.passive_deletes = True if fk.on_delete in _DATABASE_ACTS else "all"
    # Rows that point at each other (a cycle): set this reference by a second
    # UPDATE, so the unit of work can insert both rows first.
    rel.post_update = rel.owner_side and fk.cyclic and rel.optional
    rel.overlaps = _overlaps(d, owner, fk)


def _overlaps(d: Draft, owner: DraftTable, fk: DraftForeignKey) -> tuple[str, ...]:
    """Relationships that write a column this foreign key writes too: tasks.tenant_id
    under both (tenant_id) -> tenants and (tenant_id, project_id) -> projects.
    Both are right; naming them keeps SQLAlchemy from warning about the overlap."""
    names: set[str] = set()
    for other in owner.fks:
        if other is fk or not set(other.columns) & set(fk.columns):
            continue
        names |= {r.name for r in owner.relations if r.owner_side and r.fk is other}
        parent = d.tables[other.ref_table]
        names |= {
            r.name
            for r in parent.relations
            if not r.owner_side and r.target == owner.key and r.fk is other
        }
    return tuple(sorted(names))
