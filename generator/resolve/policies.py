"""Pass ``policies``: row-level security and its policies, per table.

``using`` and ``with_check`` are each one SQL expression over this table's
columns (checked as CHECK constraints are, except that subqueries are allowed:
they are type-checked as a view's query is, seeing this table's columns).
PostgreSQL's own rules are reported here, positioned: an INSERT policy has
only WITH CHECK, SELECT and DELETE only USING; policies on a table without
row-level security would do nothing.
"""

from __future__ import annotations

from ..model import ROLE_KEYWORDS, Policy
from .draft import Draft


def run(d: Draft) -> None:
    for table in d.tables.values():
        rls = table.spec.row_level_security
        if rls is not None:
            table.row_level_security = (rls.enabled, rls.force)
        if table.spec.policies and not table.row_level_security[0]:
            d.error(
                "invalid-policy",
                f"table {table.key!r} has policies but no row-level security, so they do nothing",
                (*table.path, "policies"),
                "add 'row_level_security: true' to the table",
                key=True,
            )
        for name, spec in table.spec.policies.items():
            path: tuple[str | int, ...] = (*table.path, "policies", name)
            ok = d.check_ident(name, "policy", path)
            for i, role in enumerate(spec.roles):
                if role.lower() not in ROLE_KEYWORDS:
                    ok = d.check_ident(role, "role", (*path, "roles", i)) and ok
            if "public" in (r.lower() for r in spec.roles) and len(spec.roles) > 1:
                ok = False
                d.error(
                    "invalid-policy",
                    "public already includes every role; PostgreSQL ignores the others",
                    (*path, "roles"),
                    "write roles: [public] alone, or list only the roles",
                )
            if not spec.roles:
                ok = False
                d.error("invalid-policy", "no roles", (*path, "roles"), "name roles, or public")
            if spec.using is None and spec.with_check is None:
                ok = False
                d.error(
                    "invalid-policy",
                    "the policy has neither 'using' nor 'with_check'",
                    path,
                    "add using: <condition> (rows it shows) and/or with_check: <condition>",
                    key=True,
                )
            if spec.command == "insert" and spec.using is not None:
                ok = False
                d.error(
                    "invalid-policy",
                    "an INSERT policy has no USING (there are no existing rows to test)",
                    (*path, "using"),
                    "write the condition as with_check",
                )
            if spec.command in ("select", "delete") and spec.with_check is not None:
                ok = False
                d.error(
                    "invalid-policy",
                    f"a {spec.command.upper()} policy has no WITH CHECK (it writes no rows)",
                    (*path, "with_check"),
                    "write the condition as using",
                )
            for key in ("using", "with_check"):
                sql = getattr(spec, key)
                if sql is not None:
                    ok = d.expression(table, sql, (*path, key), "policy") is not None and ok
            if ok:
                table.policies.append(
                    Policy(
                        name,
                        spec.command.upper(),
                        tuple(r.lower() if r.lower() in ROLE_KEYWORDS else r for r in spec.roles),
                        not spec.restrictive,
                        spec.using.strip() if spec.using is not None else None,
                        spec.with_check.strip() if spec.with_check is not None else None,
                    )
                )
