"""Resolver pass for ``enums:``: names, labels, Python class names.

Runs before the tables pass, because column types name enums.  PostgreSQL
keeps enum labels as given (case, spaces and quotes included; at most 63
bytes each), so the only errors are empty, duplicate and over-long labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Enum
from .naming import MAX_IDENT_BYTES, class_name_problem, ident_bytes, pascal

if TYPE_CHECKING:
    from .resolve import Resolver


def split_key(key: str) -> tuple[str | None, str]:
    """``auth.users`` -> ("auth", "users"); ``users`` -> (None, "users")."""
    schema, _, name = key.rpartition(".")
    return (schema or None), name


def check_key(r: Resolver, key: str, what: str, path: tuple[str | int, ...]) -> bool:
    """A table or enum key: ``name`` or ``schema.name``, each part an identifier."""
    if key.count(".") > 1:
        r.error(
            "invalid-name",
            f"{what} name {key!r} has more than one dot",
            path,
            f"write the {what} as 'name' or 'schema.name', e.g. 'auth.users'",
            key=True,
        )
        return False
    schema, name = split_key(key)
    ok = r.check_ident(name, what, path)
    if schema is not None:
        ok = r.check_ident(schema, "schema", path) and ok
    return ok


def pass_enums(r: Resolver) -> None:
    classes: dict[str, str] = {}
    for key, spec in r.spec.enums.items():
        path: tuple[str | int, ...] = ("enums", key)
        if not check_key(r, key, "enum", path):
            continue
        if not spec.values:
            r.error(
                "empty-enum", f"enum {key!r} has no values", path, "list its labels, e.g. [a, b]"
            )
            continue
        seen: dict[str, int] = {}
        for i, label in enumerate(spec.values):
            where = path + ("values", i) if _long_form(r, path) else path + (i,)
            if label in seen:
                r.error(
                    "duplicate-label",
                    f"enum {key!r} lists {label!r} twice (items {seen[label] + 1} and {i + 1})",
                    where,
                    "remove one of them",
                )
            elif not label:
                r.error("invalid-label", "an enum label cannot be empty", where, "write a label")
            elif ident_bytes(label) > MAX_IDENT_BYTES:
                r.error(
                    "label-too-long",
                    f"enum label {label!r} is {ident_bytes(label)} bytes; PostgreSQL allows {MAX_IDENT_BYTES}",
                    where,
                    "shorten it",
                )
            elif "\x00" in label:
                r.error("invalid-label", "an enum label cannot contain NUL", where, "remove it")
            seen.setdefault(label, i)
        class_name = spec.class_name or pascal(split_key(key)[1])
        problem = class_name_problem(class_name)
        if problem:
            r.error(
                "invalid-class-name",
                f"{class_name!r} cannot be a class name: it {problem}",
                path,
                "set 'class_name:' to another PascalCase identifier",
                key=spec.class_name is None,
            )
        elif class_name in classes:
            r.error(
                "duplicate-class-name",
                f"enums {classes[class_name]!r} and {key!r} both map to class {class_name!r}",
                path,
                "set 'class_name:' on one of them",
                key=True,
            )
        classes[class_name] = key
        r.enum_labels[key] = tuple(spec.values)


def _long_form(r: Resolver, path: tuple[str | int, ...]) -> bool:
    return isinstance(r.doc.data.get("enums", {}).get(path[-1]), dict)


def build_enums(r: Resolver) -> tuple[Enum, ...]:
    out = []
    for key, spec in r.spec.enums.items():
        schema, name = split_key(key)
        out.append(
            Enum(
                name,
                tuple(spec.values),
                schema,
                spec.description,
                spec.class_name or pascal(name),
                r.doc.key_span(("enums", key)),
            )
        )
    return tuple(out)
