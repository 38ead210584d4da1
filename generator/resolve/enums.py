"""Pass ``enums``: names, labels and Python class names of ``enums:``.

Runs first, because column types name enums.  PostgreSQL keeps enum labels as
given (case, spaces and quotes included; at most 63 bytes each), so the only
errors are empty, duplicate and over-long labels.
"""

from __future__ import annotations

from ..naming import MAX_IDENT_BYTES, class_name_problem, ident_bytes, pascal
from ..pgsql import limits
from ..source import Path
from .draft import Draft, split_key


def run(d: Draft) -> None:
    classes: dict[str, str] = {}
    for key, spec in d.spec.enums.items():
        path: Path = ("enums", key)
        if not d.check_key(key, "enum", path):
            continue
        namespace, bare = split_key(key)
        reserved = limits.type_name_problem(bare, namespace)
        if reserved:
            d.pg_problem("pg-reserved-name", reserved, path, key=True)
        if not spec.values:
            d.error(
                "empty-enum", f"enum {key!r} has no values", path, "list its labels, e.g. [a, b]"
            )
            continue
        long_form = isinstance(d.doc.data.get("enums", {}).get(key), dict)
        seen: dict[str, int] = {}
        for i, label in enumerate(spec.values):
            where = path + ("values", i) if long_form else path + (i,)
            if label in seen:
                d.error(
                    "duplicate-label",
                    f"enum {key!r} lists {label!r} twice (items {seen[label] + 1} and {i + 1})",
                    where,
                    "remove one of them",
                )
            elif not label:
                d.error("invalid-label", "an enum label cannot be empty", where, "write a label")
            elif ident_bytes(label) > MAX_IDENT_BYTES:
                d.error(
                    "label-too-long",
                    f"enum label {label!r} is {ident_bytes(label)} bytes; PostgreSQL allows {MAX_IDENT_BYTES}",
                    where,
                    "shorten it",
                )
            elif "\x00" in label:
                d.error("invalid-label", "an enum label cannot contain NUL", where, "remove it")
            seen.setdefault(label, i)
        class_name = spec.class_name or pascal(split_key(key)[1])
        problem = class_name_problem(class_name)
        if problem:
            d.error(
                "invalid-class-name",
                f"{class_name!r} cannot be a class name: it {problem}",
                path,
                "set 'class_name:' to another PascalCase identifier",
                key=spec.class_name is None,
            )
        elif class_name in classes:
            d.error(
                "duplicate-class-name",
                f"enums {classes[class_name]!r} and {key!r} both map to class {class_name!r}",
                path,
                "set 'class_name:' on one of them",
                key=True,
            )
        classes[class_name] = key
        d.enum_labels[key] = tuple(spec.values)
