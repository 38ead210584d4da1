"""Pass ``domains``: ``domains:``, a base type with a default and CHECKs on
VALUE, usable as a column type.

Runs after enums (a domain's base type may be an enum) and before tables
(whose columns name domains).  A check reads only VALUE: any other name
would be a column, which a domain does not have.
"""

from __future__ import annotations

from ..naming import constraint_name
from ..source import Path
from ..sqlexpr import check_default_expression, check_expression, expression_columns
from ..typeref import parse_column_type
from ..types import ALIASES, PG_BUILTIN_TYPES, TYPES
from .draft import Draft, DraftDomain, split_key


def run(d: Draft) -> None:
    for key, spec in d.spec.domains.items():
        path: Path = ("domains", key)
        if not d.check_key(key, "domain", path):
            continue
        if "." not in key and (key in TYPES or key in ALIASES or key in PG_BUILTIN_TYPES):
            d.error(
                "type-name-taken",
                f"{key!r} is a PostgreSQL built-in type; a domain of that name would be "
                "shadowed by it (pg_catalog comes first on the search path)",
                path,
                f"rename the domain, e.g. '{key}_value' or 'app_{key}'",
                key=True,
            )
            continue
        if key in d.enum_labels:
            d.error(
                "duplicate-type",
                f"{key!r} is both an enum and a domain",
                path,
                "rename one of them",
                key=True,
            )
            continue
        base, message, hint = parse_column_type(spec.type, d.enum_labels)
        if base is None:
            code = "unknown-type" if "unknown" in message else "invalid-type"
            d.error(code, message, path + ("type",), hint)
            continue
        default = None
        if isinstance(spec.default, dict) and "sequence" in spec.default:
            d.error(
                "sequence-default",
                "a domain's default cannot draw from a sequence",
                path + ("default",),
                "give each column of the domain default: {sequence: ...} instead",
            )
        elif spec.default is not None:
            default = d.default(base, spec.default, path + ("default",))
            problem = (
                check_default_expression(default.sql) if default and default.kind == "sql" else ""
            )
            if problem:  # a domain has no columns for pgsql's analysis to read
                d.error(
                    "invalid-default",
                    problem,
                    path + ("default", "sql"),
                    "write one SQL expression, e.g. now()",
                )
                default = None
        checks: list[tuple[str, str]] = []
        used: set[str] = set()
        for i, check in enumerate(spec.checks):
            at = path + ("checks", i)
            sql, name = (check, None) if isinstance(check, str) else (check.sql, check.name)
            if not isinstance(check, str):
                at += ("sql",)
            if not _value_only(d, sql, at):
                continue
            if name is None:  # PostgreSQL's choice: <domain>_check, then _check1
                base_name = constraint_name(split_key(key)[1], (), "check")
                name, n = base_name, 0
                while name in used:
                    n += 1
                    name = f"{base_name}{n}"
            used.add(name)
            checks.append((name, sql.strip()))
        d.domains[key] = DraftDomain(
            key, base, spec.nullable, default, checks, spec.description, path
        )


def _value_only(d: Draft, sql: str, path: Path) -> bool:
    problem = check_expression(sql)
    if problem:
        d.error(
            "invalid-expression",
            f"domain check: {problem}",
            path,
            "write one SQL expression over VALUE, e.g. VALUE >= 0",
        )
        return False
    others = [ref for ref, quoted in expression_columns(sql) if quoted or ref.lower() != "value"]
    if others:
        d.error(
            "unknown-column",
            f"a domain check reads only VALUE, not {others[0]!r}",
            path,
            "write VALUE for the value checked, e.g. VALUE >= 0",
        )
        return False
    if not any(ref.lower() == "value" for ref, _ in expression_columns(sql)):
        d.error(
            "invalid-expression",
            "a domain check must read VALUE",
            path,
            "write a condition on VALUE, e.g. VALUE >= 0",
        )
        return False
    return True
