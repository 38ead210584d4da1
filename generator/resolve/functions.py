"""Pass ``functions``: the functions declared under ``functions:``.

A name is an identifier not taken by schemagen's own function; argument and
return types are type names (words, a size, ``[]``, ``setof``), never free
SQL, so nothing can be smuggled into the CREATE FUNCTION line.  The body is
copied between dollar quotes whose tag it cannot contain (``Function.quote_tag``),
so no content ends the quoting early.  SQL-language functions are created after
the tables, because PostgreSQL checks their bodies against the tables.
"""

from __future__ import annotations

import re

from ..model import Function
from .draft import Draft

# A type name as written in a signature: words (double precision), an optional
# schema, a size (numeric(10, 2)), array brackets; 'setof' for a return type.
TYPE_NAME = re.compile(
    r"(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z_][A-Za-z0-9_]*)*"
    r"(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])*"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def normalise_body(body: str) -> str:
    """The body as the DDL holds it: own lines, no trailing spaces (the output is
    normalised line by line anyway), so the model says what the file says."""
    lines = body.replace("\r\n", "\n").strip("\n").split("\n")
    return "\n" + "\n".join(line.rstrip() for line in lines) + "\n"


def check_type(d: Draft, text: str, path: tuple[str | int, ...], what: str) -> str | None:
    name = " ".join(text.split())
    if not TYPE_NAME.fullmatch(name):
        d.error(
            "invalid-type",
            f"{what} {text!r} is not a type name",
            path,
            "write a type name such as integer, text, uuid, numeric(10, 2) or text[]",
        )
        return None
    return name


def run(d: Draft) -> None:
    taken = {fn.name for fn in d.functions}
    for name, spec in d.spec.functions.items():
        path: tuple[str | int, ...] = ("functions", name)
        ok = d.check_ident(name, "function", path)
        if name in taken:
            ok = False
            d.error(
                "duplicate-name",
                f"function {name!r} is schemagen's own (postgres.on_update_trigger)",
                path,
                "choose another name",
                key=True,
            )
        args: list[tuple[str, str]] = []
        for arg, type_text in spec.arguments.items():
            ok = d.check_ident(arg, "argument", (*path, "arguments", arg)) and ok
            type_name = check_type(d, type_text, (*path, "arguments", arg), "argument type")
            ok = type_name is not None and ok
            args.append((arg, type_name or ""))
        returns = spec.returns.strip()
        setof = returns.lower().startswith("setof ")
        base = check_type(d, returns[6:] if setof else returns, (*path, "returns"), "return type")
        if base is not None and base.lower() == "trigger" and args:
            ok = False
            d.error(
                "invalid-function",
                f"trigger function {name!r} takes arguments",
                (*path, "arguments"),
                "a trigger function takes none; pass values with the trigger's 'arguments' (TG_ARGV)",
            )
        if not spec.body.strip():
            ok = False
            d.error("invalid-function", "the body is empty", (*path, "body"), "write the body")
        elif _CONTROL.search(spec.body.replace("\r\n", "\n")):
            ok = False
            d.error(
                "invalid-function",
                "the body contains a control character (NUL, a lone carriage return...)",
                (*path, "body"),
                "remove it; write it with chr() or E'\\x..' inside the body",
            )
        if not ok or base is None:
            continue
        d.functions.append(
            Function(
                name=name,
                returns=("setof " if setof else "") + base,
                language=spec.language,
                body=normalise_body(spec.body),
                arguments=tuple(args),
                volatility=spec.volatility.upper() if spec.volatility else None,
                security_definer=spec.security_definer,
                after_tables=spec.language == "sql",
                span=d.doc.key_span(path),
            )
        )
