"""Functions, views, domains, triggers, row-level security and policies -> the spec.

Each object the spec language holds is written back in its own key; one it
cannot hold (an unnamed argument, a TABLE result, an INSTEAD OF trigger, a
view column of a type the spec lacks) stays a ``left out`` note, as before.
"""

from __future__ import annotations

import re
from typing import Any

from ..catalog import Catalog, Column, Other
from ..naming import constraint_name
from .columns import enum_key, literal_default, spec_type
from .draft import TableDraft, plain_name
from .keys import ON_UPDATE_FUNCTION
from .notes import Note


def object_key(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def type_of(
    cat_type: str, kind: str, schema: str, name: str, enums: set[tuple[str, str]]
) -> str | None:
    probe = Column("_", 0, cat_type, False, type_schema=schema, type_name=name, type_kind=kind)
    return spec_type(probe, cat_type, enums)


def domains(cat: Catalog, enums: set[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dom in cat.of_kind("domain"):
        base = dom.get("type", "")
        stype = type_of(
            base,
            dom.get("base_kind", "b"),
            dom.get("base_schema", ""),
            dom.get("base_name", ""),
            enums,
        )
        if stype is None or not plain_name(dom.name) or not plain_name(dom.schema):
            continue  # reported as 'left out' with the rest
        spec: dict[str, Any] = {"type": stype}
        if dom.get("not_null"):
            spec["nullable"] = False
        default = dom.get("default")
        if default is not None:
            literal = literal_default(default, stype)
            spec["default"] = literal if literal is not None else {"sql": default}
        checks: list[Any] = []
        unnamed = 0
        for name, printed in dom.get("checks", ()):
            sql = _unwrap(printed)
            derived = f"{dom.name}_check" + (str(unnamed) if unnamed else "")
            if name == derived:
                unnamed += 1
                checks.append(sql)
            else:
                checks.append({"sql": sql, "name": name})
        if checks:
            spec["checks"] = checks
        if dom.get("comment") is not None:
            spec["description"] = dom.get("comment")
        out[object_key(dom.schema, dom.name)] = spec
    return out


def domain_key(col: Column, written: dict[str, Any]) -> str | None:
    key = object_key(col.type_schema, col.type_name)
    return key if col.type_kind == "d" and key in written else None


def functions(cat: Catalog, skip: set[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The spec's functions, and for each its catalog key ('schema.name(args)')."""
    out: dict[str, Any] = {}
    done: dict[str, str] = {}
    for fn in cat.of_kind("function"):
        if fn.key in skip or not fn.info:
            continue
        name = fn.name.split("(")[0]
        args = fn.get("arguments", ())
        returns: str = fn.get("returns", "")
        problem = ""
        if not plain_name(name) or fn.schema != "public":  # the spec's functions are public
            problem = "its name is not a plain identifier"
        elif any(not a or not plain_name(a) for a, _ in args):
            problem = "an argument without a plain name"
        elif returns.startswith("TABLE(") or fn.get("language") not in ("sql", "plpgsql"):
            problem = f"returns {returns} in {fn.get('language')}"
        elif name == ON_UPDATE_FUNCTION:
            problem = "schemagen's own name"
        if problem:
            continue  # reported as 'left out' with the rest
        spec: dict[str, Any] = {}
        if args:
            spec["arguments"] = {a: t for a, t in args}
        spec["returns"] = "setof " + returns[6:] if returns.startswith("SETOF ") else returns
        spec["language"] = fn.get("language")
        if fn.get("volatility") != "volatile":
            spec["volatility"] = fn.get("volatility")
        if fn.get("security_definer"):
            spec["security_definer"] = True
        spec["body"] = str(fn.get("body", "")).strip("\n")
        out[object_key(fn.schema, name)] = spec
        done[object_key(fn.schema, name)] = fn.key
    return out, done


def triggers(draft: TableDraft, functions_written: dict[str, Any], notes: list[Note]) -> set[str]:
    """A table's own triggers into its spec; the names of those written."""
    written: set[str] = set()
    specs: dict[str, Any] = {}
    for trig in draft.table.triggers:
        schema, _, fname = trig.function.partition(".")
        fkey = object_key(schema, fname)
        if (
            fkey not in functions_written
            or trig.timing == "INSTEAD OF"
            or not trig.enabled
            or not plain_name(trig.name)
        ):
            continue
        spec: dict[str, Any] = {"function": fkey, "timing": trig.timing.lower()}
        spec["events"] = [e.lower() for e in trig.events]
        if trig.update_of:
            spec["columns"] = list(trig.update_of)
        if trig.for_each != "ROW":
            spec["for_each"] = "statement"
        if trig.when:
            spec["when"] = _when(trig.when)
        if trig.arguments:
            spec["arguments"] = list(trig.arguments)
        specs[trig.name] = spec
        written.add(trig.name)
    if specs:
        draft.spec["triggers"] = specs
    return written


def policies(draft: TableDraft, cat: Catalog) -> set[str]:
    """Row-level security and the table's policies; the keys of the policies written."""
    table = draft.table
    written: set[str] = set()
    if table.row_security:
        draft.spec["row_level_security"] = (
            {"enabled": True, "force": True} if table.force_row_security else True
        )
    else:
        return written
    specs: dict[str, Any] = {}
    prefix = f"{table.name}."
    for pol in cat.of_kind("policy"):
        if pol.schema != table.schema or not pol.name.startswith(prefix) or not pol.info:
            continue
        name = pol.name[len(prefix) :]
        if not plain_name(name):
            continue
        spec: dict[str, Any] = {}
        if pol.get("command") != "ALL":
            spec["command"] = str(pol.get("command")).lower()
        roles = list(pol.get("roles", ()))
        if roles != ["public"]:
            spec["roles"] = roles
        if not pol.get("permissive", True):
            spec["restrictive"] = True
        for key in ("using", "with_check"):
            if pol.get(key) is not None:
                spec[key] = _unwrap(pol.get(key))
        specs[name] = spec
        written.add(pol.key)
    if specs:
        draft.spec["policies"] = specs
    return written


def views(
    cat: Catalog, enums: set[tuple[str, str]], doms: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    out: dict[str, Any] = {}
    done: set[str] = set()
    for view in (o for o in cat.others if o.kind in ("view", "materialized view")):
        spec = _view(view, enums, doms)
        if spec is not None:
            out[object_key(view.schema, view.name)] = spec
            done.add(view.key)
    return out, done


def _view(view: Other, enums: set[tuple[str, str]], doms: dict[str, Any]) -> dict[str, Any] | None:
    if not view.info or not plain_name(view.name) or view.schema != "public":
        return None
    columns: dict[str, Any] = {}
    for name, typ in view.get("columns", ()):
        stype = _known_type(typ, enums, doms)
        if stype is None or not plain_name(name):
            return None
        columns[name] = {"type": stype, "nullable": True}  # PostgreSQL does not know
    spec: dict[str, Any] = {}
    if view.get("comment") is not None:
        spec["description"] = view.get("comment")
    materialized = view.kind == "materialized view"
    if materialized:
        spec["materialized"] = True
    indexes = []
    for name, unique, *cols in view.get("indexes", ()):
        if not all(plain_name(c) for c in cols):
            return None
        index: dict[str, Any] = {"columns": list(cols)}
        if unique == "true":
            index["unique"] = True
        if name != constraint_name(view.name, tuple(cols), "idx"):
            index["name"] = name
        indexes.append(index)
    key = next((i["columns"] for i in indexes if i.get("unique")), None)
    if key:
        spec["key"] = key
    spec["query"] = view.definition.strip().removesuffix(";")
    spec["columns"] = columns
    if indexes:
        spec["indexes"] = indexes
    return spec


def _known_type(typ: str, enums: set[tuple[str, str]], doms: dict[str, Any]) -> str | None:
    for schema, name in enums:
        quoted = name if plain_name(name) and name == name.lower() else f'"{name}"'
        if typ.removesuffix("[]") in (quoted, f"{schema}.{quoted}"):
            return enum_key(schema, name) + ("[]" if typ.endswith("[]") else "")
    if typ in doms:
        return typ
    return type_of(typ, "b", "pg_catalog", "", enums)


_NEW_OLD = re.compile(r"\b(new|old)\.")


def _when(text: str) -> str:
    """PostgreSQL prints ``(new.title IS NOT NULL)``; the spec writes ``NEW.title IS NOT NULL``."""
    text = _unwrap(text)
    if "'" not in text and '"' not in text:  # outside strings only
        text = _NEW_OLD.sub(lambda m: m.group(1).upper() + ".", text)
    return text


def _unwrap(text: str) -> str:
    """Without the parentheses PostgreSQL puts around a whole expression."""
    return text[1:-1] if text.startswith("(") and text.endswith(")") and _wraps(text) else text


def _wraps(text: str) -> bool:
    """Do the first and last characters form one pair of parentheses?"""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and i < len(text) - 1:
            return False
    return True
