"""Dump PostgreSQL 15's built-in types, functions, operators and casts to pg15.catalog.

    python -m generator.pgsql.dumpcatalog --db postgresql://127.0.0.1/scratch

The database must be a scratch one: the extensions a spec commonly enables
(EXTENSIONS) are created in it, so that their objects are dumped too, each
tagged with its extension (catalog.py knows a pg_trgm function only when the
spec enables pg_trgm).  The output is sorted text, one object a line, so a
regeneration on another server of the same major version is byte-identical;
tests/test_pgsql_catalog.py regenerates it and compares.

Also the text search configurations (a regconfig literal names one).
Left out: functions that take or return ``internal`` (not callable from SQL),
catalog row types, and objects outside pg_catalog (information_schema).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .catalog import DATA, EXTENSIONS

OUTPUT = DATA
HEADER = (
    "# PostgreSQL 15's catalog for generator/pgsql/catalog.py; written by\n"
    "# python -m generator.pgsql.dumpcatalog --db URL (do not edit). Tab-separated:\n"
    "# T name typtype category preferred has_array input_vol output_vol range_subtype"
    " subscript ext\n"
    "# F name args defaults variadic result set volatility kind ext\n"
    "# O name left right result volatility ext\n"
    "# C source target context method volatility ext\n"
    "# R name (a text search configuration, for regconfig literals)\n"
)

_MEMBERS = """
SELECT d.classid::regclass::text, d.objid, e.extname
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
"""
_TYPES = """
SELECT t.oid, t.typname, t.typtype, t.typcategory, t.typispreferred, t.typelem, t.typarray,
       t.typnamespace = 'pg_catalog'::regnamespace, i.provolatile, o.provolatile,
       r.rngsubtype, m.rngtypid, t.typrelid <> 0 AND t.typtype = 'c', t.typsubscript <> 0
FROM pg_type t
JOIN pg_proc i ON i.oid = t.typinput JOIN pg_proc o ON o.oid = t.typoutput
LEFT JOIN pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_range m ON m.rngmultitypid = t.oid
"""
_FUNCTIONS = """
SELECT p.oid, p.proname, p.proargtypes::oid[], p.pronargdefaults, p.provariadic, p.prorettype,
       p.proretset, p.provolatile, p.prokind, p.pronamespace = 'pg_catalog'::regnamespace
FROM pg_proc p WHERE p.prokind <> 'p'
"""
_OPERATORS = """
SELECT o.oid, o.oprname, o.oprleft, o.oprright, o.oprresult, p.provolatile,
       o.oprnamespace = 'pg_catalog'::regnamespace
FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode
"""
_CASTS = """
SELECT c.oid, c.castsource, c.casttarget, c.castcontext, c.castmethod, p.provolatile
FROM pg_cast c LEFT JOIN pg_proc p ON p.oid = c.castfunc
"""


def dump(conn: Any) -> str:
    """The catalog text of the connected database (the extensions already created)."""
    members: dict[tuple[str, int], str] = {}
    for cls, oid, ext in conn.execute(_MEMBERS).fetchall():
        members[(cls, oid)] = ext

    def scope(cls: str, oid: int, core: bool) -> str | None:
        """'' for a built-in object, the extension's name for a wanted extension's."""
        ext = members.get((cls, oid))
        if ext is None:
            return "" if core and oid < 16384 else None
        return ext if ext in EXTENSIONS else None

    rows = conn.execute(_TYPES).fetchall()
    elem_of = {r[6]: r[0] for r in rows if r[6]}  # array type -> its element type
    raw = {r[0]: r for r in rows}

    def tname(oid: int) -> str:
        if oid in elem_of and raw[oid][5] == elem_of[oid]:
            return tname(elem_of[oid]) + "[]"
        return str(raw[oid][1])

    names: dict[int, str] = {}
    lines: list[str] = []
    for oid, name, typtype, cat, pref, _elem, arr, core, invol, outvol, sub, rng, rel, subs in rows:
        ext = scope("pg_type", oid, core)
        if ext is None or rel or (oid in elem_of and raw[oid][5] == elem_of[oid]):
            continue
        names[oid] = name
        if arr:
            names[arr] = name + "[]"
        subtype = tname(sub) if sub else tname(rng) if rng else ""
        fields = (name, typtype, cat, "1" if pref else "0", "1" if arr else "0")
        subscript = "1" if subs else "0"
        lines.append("\t".join(("T", *fields, invol, outvol, subtype, subscript, ext)))
    names[0] = "-"
    for oid, name, args, ndef, variadic, ret, retset, vol, kind, core in conn.execute(_FUNCTIONS):
        ext = scope("pg_proc", oid, core)
        types = [names.get(a, "") for a in args]
        if ext is None or "" in types or "internal" in types or ret not in names:
            continue
        if names[ret] == "internal":
            continue
        var = names.get(variadic, "") if variadic else ""
        row = (name, ",".join(types), str(ndef), var, names[ret], "1" if retset else "0")
        lines.append("\t".join(("F", *row, vol, kind, ext)))
    for oid, name, left, right, result, vol, core in conn.execute(_OPERATORS):
        ext = scope("pg_operator", oid, core)
        if ext is None or any(t not in names for t in (left, right, result)):
            continue
        lines.append("\t".join(("O", name, names[left], names[right], names[result], vol, ext)))
    for oid, source, target, context, method, vol in conn.execute(_CASTS):
        ext = scope("pg_cast", oid, True)
        if ext is None or source not in names or target not in names:
            continue
        fields = (names[source], names[target], context, method, vol or "")
        lines.append("\t".join(("C", *fields, ext)))
    for (name,) in conn.execute(
        "SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace"
    ):
        lines.append(f"R\t{name}")
    return HEADER + "".join(line + "\n" for line in sorted(lines))


def main(argv: list[str] | None = None) -> int:
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db", required=True, help="a scratch database's URL (extensions are created)"
    )
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with psycopg.connect(args.db, autocommit=True) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        if version is None or not str(version[0]).startswith("15"):
            print(f"PostgreSQL 15 is needed, this server is {version}", file=sys.stderr)
            return 2
        for ext in EXTENSIONS:
            conn.execute(f'CREATE EXTENSION IF NOT EXISTS "{ext}"')
        text = dump(conn)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {text.count(chr(10))} lines, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
