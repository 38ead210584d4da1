"""What the migration planner does not plan yet, compared for the drift check.

Views, domains, row-level security and policies are written by ``pull`` and
created by ``generate``, but the planner (``generator.migrate``) has no
operations for them.  So that a clean drift result never hides one, they are
compared here by name and by what does not depend on how SQL text is printed
(a view's columns, a policy's command and roles, a domain's base type), and
each difference is one line for the report.
"""

from __future__ import annotations

from typing import Any

from ..model import Schema


def _views(schema: Schema) -> dict[str, Any]:
    return {
        f"view {v.name}": (
            "materialized" if v.materialized else "plain",
            tuple(c.name for c in v.columns),
            tuple(sorted(i.name for i in v.indexes)),
        )
        for v in schema.views
    }


def _domains(schema: Schema) -> dict[str, Any]:
    return {f"domain {d.key}": (d.type.sql, d.nullable, len(d.checks)) for d in schema.domains}


def _security(schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for t in schema.tables:
        if t.row_level_security or t.force_row_level_security:
            out[f"row level security on {t.key}"] = (
                t.row_level_security,
                t.force_row_level_security,
            )
        for p in t.policies:
            out[f"policy {t.key}.{p.name}"] = (
                p.command,
                p.roles,
                p.permissive,
                p.using is not None,
                p.with_check is not None,
            )
    return out


def unplanned(live: Schema, spec: Schema) -> list[str]:
    """One line per difference the planner does not plan (empty: none)."""
    lines: list[str] = []
    for part in (_views, _domains, _security):
        have, want = part(live), part(spec)
        for name in sorted(have.keys() | want.keys()):
            if name not in want:
                lines.append(f"{name}: in the database, not in the spec")
            elif name not in have:
                lines.append(f"{name}: in the spec, not in the database")
            elif have[name] != want[name]:
                lines.append(
                    f"{name}: differs ({have[name]} in the database, {want[name]} in the spec)"
                )
    return lines
