"""Resolve a validated spec into the model, in named passes (as Ent's graph).

The passes, in order (``PASSES`` below is this list, and a test holds them
equal):

1. ``enums``       enum names, labels and class names
2. ``tables``      tables and columns: column groups expanded, types read, defaults checked
3. ``extensions``  extensions listed once, and present for the types that need them
4. ``keys``        primary keys and unique constraints
5. ``references``  foreign keys: targets exist and are keys, types match, actions suit
6. ``columns``     identity and generated columns
7. ``checks``      CHECK constraints: valid SQL over existing columns
8. ``indexes``     declared indexes, and indexes for foreign keys
9. ``triggers``    the trigger that keeps ``on_update: now`` columns current
10. ``names``      constraint and index names, as PostgreSQL chooses them, and collisions
11. ``classes``    class, attribute and JSON names
12. ``cycles``     foreign keys inside a reference cycle between tables
13. ``relations``  ORM relationships both ways, and many-to-many across junctions
14. ``orm``        each relationship's options (cascade, passive deletes, overlaps...)
15. ``bounds``     each column's limits, from its type and its single-column checks
16. ``functions``  the functions declared under ``functions:``
17. ``usertriggers`` the triggers declared under a table's ``triggers:``
18. ``policies``   row-level security and its policies
19. ``views``      views and materialized views, after what they read
20. ``rawsql``     the escape hatch: raw SQL before the tables and at the end
21. ``outputs``    the files ``outputs:`` chooses, and their paths

Each pass is a module that reads the one working ``Draft`` (``draft.py``) and
adds to it or reports problems; no pass imports another.  Each records
problems and goes on, so a run reports everything at once.  The frozen model
is built once, by ``build.py``, only when no pass found an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..diagnostics import Diagnostics
from ..model import Schema
from ..source import Document
from ..spec import Spec
from . import (
    bounds,
    checks,
    classes,
    columns,
    cycles,
    enums,
    extensions,
    functions,
    indexes,
    keys,
    names,
    orm,
    outputs,
    policies,
    rawsql,
    references,
    relations,
    tables,
    triggers,
    usertriggers,
    views,
)
from .build import build
from .draft import Draft


class Pass(NamedTuple):
    name: str
    run: Callable[[Draft], None]


PASSES: list[Pass] = [
    Pass("enums", enums.run),
    Pass("tables", tables.run),
    Pass("extensions", extensions.run),
    Pass("keys", keys.run),
    Pass("references", references.run),
    Pass("columns", columns.run),
    Pass("checks", checks.run),
    Pass("indexes", indexes.run),
    Pass("triggers", triggers.run),
    Pass("names", names.run),
    Pass("classes", classes.run),
    Pass("cycles", cycles.run),
    Pass("relations", relations.run),
    Pass("orm", orm.run),
    Pass("bounds", bounds.run),
    Pass("functions", functions.run),
    Pass("usertriggers", usertriggers.run),
    Pass("policies", policies.run),
    Pass("views", views.run),
    Pass("rawsql", rawsql.run),
    Pass("outputs", outputs.run),
]


def resolve(spec: Spec, doc: Document, diags: Diagnostics, source_name: str) -> Schema | None:
    draft = Draft(spec, doc, diags, source_name)
    for step in PASSES:
        step.run(draft)
    return None if diags else build(draft)


__all__ = ["PASSES", "Pass", "resolve"]
