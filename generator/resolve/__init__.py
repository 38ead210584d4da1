"""Resolve a validated spec into the model, in named passes (as Ent's graph).

The passes, in order (``PASSES`` below is this list, and a test holds them
equal):

1. ``enums``       enum names, labels and class names
2. ``domains``     domains: base type, default, checks on VALUE
3. ``sequences``   sequences columns share: options checked, PostgreSQL's defaults filled in
4. ``tables``      tables and columns: column groups expanded, types read, defaults checked
5. ``extensions``  extensions listed once, and present for the types that need them
6. ``keys``        primary keys and unique constraints
7. ``references``  foreign keys: targets exist and are keys, types match, actions suit
8. ``columns``     identity, generated, serial and shared-sequence columns; owned_by
9. ``checks``      CHECK constraints: valid SQL over existing columns
10. ``indexes``     declared indexes (expressions, operator classes), indexes for foreign keys
11. ``exclusions`` EXCLUDE constraints: columns, operators, operator classes for the method
12. ``triggers``   the trigger that keeps ``on_update: now`` columns current
13. ``names``      constraint, index and sequence names, as PostgreSQL chooses them
14. ``classes``    class, attribute and JSON names
15. ``cycles``     foreign keys inside a reference cycle between tables
16. ``relations``  ORM relationships both ways, and many-to-many across junctions
17. ``orm``        each relationship's options (cascade, passive deletes, overlaps...)
18. ``bounds``     each column's limits, from its type, its domain and its single-column checks
19. ``functions``  the functions declared under ``functions:``
20. ``usertriggers`` the triggers declared under a table's ``triggers:``
21. ``policies``   row-level security and its policies
22. ``views``      views and materialized views, after what they read
23. ``rawsql``     the escape hatch: raw SQL before the tables and at the end
24. ``outputs``    the files ``outputs:`` chooses, and their paths

Each pass is a module that reads the one working ``Draft`` (``draft/``) and
adds to it or reports problems; no pass imports another.  Each records
problems and goes on, so a run reports everything at once.  The read-only model
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
    domains,
    enums,
    exclusions,
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
    sequences,
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
    Pass("domains", domains.run),
    Pass("sequences", sequences.run),
    Pass("tables", tables.run),
    Pass("extensions", extensions.run),
    Pass("keys", keys.run),
    Pass("references", references.run),
    Pass("columns", columns.run),
    Pass("checks", checks.run),
    Pass("indexes", indexes.run),
    Pass("exclusions", exclusions.run),
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
