"""Random specs (A) and random edits of every kind the differ handles (A -> B), for hypothesis.

B carries the intent an engineer would write: ``renamed_from`` for renames and
moves, ``renamed_labels`` for label renames, ``migrate: {backfill}`` for a new
NOT NULL column.  Every table has an integer ``id`` that edits never touch, so
foreign keys and generated columns stay valid.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

TABLES = ["users", "order", "items", "tags", "user", "events"]
COLUMNS = ["name", "age", "price", "note", "status", "created", "flag", "qty", "group", "data"]
LABELS = ["new", "active", "done", "on hold", "it's", "x"]
ENUMS = ["mood", "state"]
TYPES = ["text", "varchar(20)", "integer", "bigint", "numeric(10,2)", "boolean", "jsonb"]
DEFAULTS: dict[str, Any] = {
    "text": "hi",
    "varchar(20)": "v",
    "integer": 7,
    "bigint": 8,
    "numeric(10,2)": "1.50",
    "boolean": True,
    "jsonb": None,
}
ACTIONS = ["no action", "restrict", "cascade", "set null"]


def _column(draw: Any, enums: dict[str, list[str]]) -> dict[str, Any]:
    kind = draw(st.sampled_from(TYPES + sorted(enums)))
    col: dict[str, Any] = {"type": kind, "nullable": draw(st.booleans())}
    default = DEFAULTS.get(kind) if kind in DEFAULTS else draw(st.sampled_from(enums[kind]))
    if default is not None and draw(st.booleans()):
        col["default"] = default
    if draw(st.integers(0, 4)) == 0:
        col["description"] = draw(st.sampled_from(["a note", "it's here", "line one\nline two"]))
    return col


@st.composite
def spec(draw: Any) -> dict[str, Any]:
    enums = {
        e: draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))
        for e in draw(st.lists(st.sampled_from(ENUMS), max_size=2, unique=True))
    }
    names = draw(st.lists(st.sampled_from(TABLES), min_size=1, max_size=3, unique=True))
    tables: dict[str, Any] = {}
    for name in names:
        cols: dict[str, Any] = {"id": {"type": "integer", "primary_key": True}}
        for c in draw(st.lists(st.sampled_from(COLUMNS), max_size=4, unique=True)):
            cols[c] = _column(draw, enums)
        tables[name] = {"class_name": f"Row{TABLES.index(name)}", "columns": cols}
        _extras(draw, tables[name], names, enums, tables)
    out: dict[str, Any] = {"version": 1}
    if draw(st.booleans()):
        out["postgres"] = {"on_update_trigger": True}
        first = tables[names[0]]["columns"]
        first["changed"] = {"type": "timestamptz", "default": {"sql": "now()"}, "on_update": "now"}
    if enums:
        out["enums"] = enums
    out["tables"] = tables
    return out


def _inverse(tables: dict[str, Any]) -> str:
    taken = {
        c["references"].get("inverse")
        for t in tables.values()
        for c in t["columns"].values()
        if "references" in c
    }
    return next(f"back_{i}" for i in range(100) if f"back_{i}" not in taken)


def _extras(
    draw: Any, table: dict[str, Any], names: list[str], enums: Any, tables: dict[str, Any]
) -> None:
    cols = table["columns"]
    plain = [c for c in cols if c != "id"]
    if draw(st.integers(0, 2)) == 0:
        target = draw(st.sampled_from(names))
        nullable = draw(st.booleans())
        actions = ACTIONS if nullable else ACTIONS[:3]
        cols[f"ref_{target}"] = {
            "type": "integer",
            "nullable": nullable,
            "references": {
                "to": f"{target}.id",
                "on_delete": draw(st.sampled_from(actions)),
                "relation": "fwd",  # Python-only names, distinct so any spec resolves
                "inverse": _inverse(tables),
            },
        }
    if draw(st.integers(0, 3)) == 0:
        cols["twice"] = {"type": "integer", "generated": {"sql": "id * 2"}, "nullable": True}
    if plain and draw(st.booleans()):
        index: dict[str, Any] = {"columns": [draw(st.sampled_from(plain))]}
        if draw(st.booleans()):
            index["name"] = f"ix_{len(cols)}_{draw(st.integers(0, 9))}"
        if draw(st.integers(0, 3)) == 0:
            index["where"] = "id > 10"
        if draw(st.integers(0, 3)) == 0:
            index["include"] = ["id"]
        table["indexes"] = [index]
    if draw(st.integers(0, 2)) == 0:
        check: dict[str, Any] = {"sql": "id > 0"}
        if draw(st.booleans()):
            check["name"] = "positive_id"
        table["checks"] = [check]
    if plain and draw(st.integers(0, 2)) == 0:
        table["unique"] = [[draw(st.sampled_from(plain)), "id"]]
    if draw(st.integers(0, 3)) == 0:
        table["description"] = "the table's note"
    if "twice" in cols and draw(st.booleans()):  # on a column a migration may drop and add
        table.setdefault("checks", []).append({"sql": "twice <> 1"})
        table.setdefault("unique", []).append(["twice"])


# -- edits: each takes draw and B (a deep copy of A), changes B in place ---------------


def _table(draw: Any, b: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    key = draw(st.sampled_from(sorted(b["tables"])))
    return key, b["tables"][key]


def _plain(t: dict[str, Any]) -> list[str]:
    return [
        c
        for c, v in t["columns"].items()
        if c != "id" and "references" not in v and "generated" not in v and "on_update" not in v
    ]


def _refs(b: dict[str, Any], key: str) -> bool:
    return any(
        c.get("references", {}).get("to", "").startswith(f"{key}.")
        for t in b["tables"].values()
        for c in t["columns"].values()
    )


def _retarget(b: dict[str, Any], old: str, new: str) -> None:
    for t in b["tables"].values():
        for c in t["columns"].values():
            ref = c.get("references")
            if ref and ref["to"] == f"{old}.id":
                ref["to"] = f"{new}.id"


def add_table(draw: Any, b: dict[str, Any]) -> None:
    free = [n for n in TABLES if n not in b["tables"]]
    if free:
        name = draw(st.sampled_from(free))
        b["_new"].append(f"t:{name}")
        b["tables"][name] = {
            "class_name": f"Row{TABLES.index(name)}",
            "columns": {"id": {"type": "integer", "primary_key": True}},
        }
        _extras(draw, b["tables"][name], [*b["tables"]], b.get("enums", {}), b["tables"])


def drop_table(draw: Any, b: dict[str, Any]) -> None:
    key, _ = _table(draw, b)
    if len(b["tables"]) > 1 and not _refs(b, key):
        del b["tables"][key]


def rename_table(draw: Any, b: dict[str, Any]) -> None:
    key, t = _table(draw, b)
    if "renamed_from" in t or f"t:{key}" in b["_new"]:
        return
    moves = [f"app.{key}"] if "." not in key else [key.split(".")[1]]
    free = [n for n in TABLES if n not in b["tables"]] + moves
    new = draw(st.sampled_from(free))
    if new in b["tables"]:
        return
    b["tables"] = {(new if k == key else k): v for k, v in b["tables"].items()}
    t["renamed_from"] = key
    _retarget(b, key, new)


def add_column(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    free = [c for c in COLUMNS if c not in t["columns"]]
    if not free:
        return
    col = _column(draw, b.get("enums", {}))
    if not col["nullable"] and "default" not in col and draw(st.booleans()):
        col["migrate"] = {"backfill": "NULL"} if False else {"backfill": _literal(col["type"], b)}
    name = draw(st.sampled_from(free))
    t["columns"][name] = col
    b["_new"].append(f"c:{id(t)}.{name}")


def _literal(kind: str, b: dict[str, Any]) -> str:
    enums = b.get("enums", {})
    if kind in enums:
        return "'" + enums[kind][0].replace("'", "''") + "'"
    return {"jsonb": "'{}'", "boolean": "true", "text": "'t'", "varchar(20)": "'v'"}.get(kind, "0")


def drop_column(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    plain = _plain(t)
    used = {u for x in t.get("unique", []) for u in x} | {
        c for ix in t.get("indexes", []) for c in ix["columns"]
    }
    if plain:
        name = draw(st.sampled_from(plain))
        if name not in used:
            del t["columns"][name]


def rename_column(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    plain = [
        c
        for c in _plain(t)
        if "renamed_from" not in t["columns"][c] and f"c:{id(t)}.{c}" not in b["_new"]
    ]
    free = [c for c in COLUMNS if c not in t["columns"]]
    if not plain or not free:
        return
    old, new = draw(st.sampled_from(plain)), draw(st.sampled_from(free))
    t["columns"] = {(new if k == old else k): v for k, v in t["columns"].items()}
    t["columns"][new]["renamed_from"] = old
    for x in t.get("unique", []):
        x[:] = [new if c == old else c for c in x]
    for ix in t.get("indexes", []):
        ix["columns"] = [new if c == old else c for c in ix["columns"]]


CHANGES = {
    "integer": ["bigint", "text", "numeric(10,2)"],
    "varchar(20)": ["varchar(40)", "text", "varchar(10)"],
    "text": ["varchar(20)", "integer"],
    "bigint": ["integer"],
    "numeric(10,2)": ["numeric(12,2)", "integer"],
    "boolean": ["text"],
}


def change_type(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    cols = [c for c in _plain(t) if t["columns"][c]["type"] in CHANGES]
    if not cols:
        return
    col = t["columns"][draw(st.sampled_from(cols))]
    col["type"] = draw(st.sampled_from(CHANGES[col["type"]]))
    col.pop("default", None)
    if col["type"] == "integer" and draw(st.booleans()):
        col["migrate"] = {"using": "0"}


def flip_nullable(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    plain = _plain(t)
    if plain:
        col = t["columns"][draw(st.sampled_from(plain))]
        col["nullable"] = not col["nullable"]


def change_default(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    plain = _plain(t)
    if plain:
        col = t["columns"][draw(st.sampled_from(plain))]
        if "default" in col:
            del col["default"]
        elif col["type"] in b.get("enums", {}):
            col["default"] = draw(st.sampled_from(b["enums"][col["type"]]))
        elif DEFAULTS.get(col["type"]) is not None:
            col["default"] = DEFAULTS[col["type"]]


def identity(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    ints = [c for c in _plain(t) if t["columns"][c]["type"] in ("integer", "bigint")]
    if ints:
        col = t["columns"][draw(st.sampled_from(ints))]
        if "identity" in col:
            del col["identity"]
        else:
            col.update(identity=draw(st.sampled_from(["always", "by_default"])), nullable=False)
            col.pop("default", None)


def generated(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    col = t["columns"].get("twice")
    if col is None:
        t["columns"]["twice"] = {
            "type": "integer",
            "generated": {"sql": "id * 2"},
            "nullable": True,
        }
    elif draw(st.booleans()):
        col["generated"] = {"sql": "id * 3"}
    else:
        del col["generated"]


def comment(draw: Any, b: dict[str, Any]) -> None:
    _, t = _table(draw, b)
    target = t if draw(st.booleans()) else t["columns"][draw(st.sampled_from(sorted(t["columns"])))]
    if target.get("description"):
        del target["description"]
    else:
        target["description"] = "changed note"


def constraints(draw: Any, b: dict[str, Any]) -> None:
    key, t = _table(draw, b)
    choice = draw(st.integers(0, 5))
    if choice == 0:
        t.pop("checks", None) if "checks" in t else t.update(checks=[{"sql": "id < 1000000"}])
    elif choice == 1 and t.get("checks") and "name" in t["checks"][0]:
        t["checks"][0]["renamed_from"] = t["checks"][0]["name"]
        t["checks"][0]["name"] = "renamed_check"
    elif choice == 2:
        t.pop("indexes", None) if "indexes" in t else _extras(draw, t, [key], {}, b["tables"])
    elif choice == 3 and t.get("indexes"):
        ix = t["indexes"][0]
        if "name" in ix and draw(st.booleans()):
            ix["renamed_from"], ix["name"] = ix["name"], "renamed_ix"
        else:
            ix["using"] = "hash" if "include" not in ix and ix.get("using") != "hash" else "btree"
    elif choice == 4:
        refs = [c for c, v in t["columns"].items() if "references" in v]
        if refs:
            ref = t["columns"][refs[0]]["references"]
            actions = ACTIONS if t["columns"][refs[0]]["nullable"] else ACTIONS[:3]
            ref["on_delete"] = draw(st.sampled_from(actions))
    else:
        t.pop("unique", None) if "unique" in t else None


def enums(draw: Any, b: dict[str, Any]) -> None:
    all_enums = b.setdefault("enums", {})
    if not all_enums or draw(st.integers(0, 4)) == 0:
        free = [e for e in ENUMS if e not in all_enums]
        if free:
            all_enums[draw(st.sampled_from(free))] = {"values": ["new", "done"]}
        return
    name = draw(st.sampled_from(sorted(all_enums)))
    labels = all_enums[name]
    if not isinstance(labels, list):
        return
    free = [label for label in LABELS if label not in labels]
    used = {
        c.get("default")
        for t in b["tables"].values()
        for c in t["columns"].values()
        if c.get("type") == name
    }
    choice = draw(st.integers(0, 3))
    if choice == 0 and free:
        label = draw(st.sampled_from(free))
        labels.insert(draw(st.integers(0, len(labels))), label)
        b["_new"].append(f"l:{name}.{label}")
    elif choice == 1 and free:
        i = draw(st.integers(0, len(labels) - 1))
        new = draw(st.sampled_from(free))
        if f"l:{name}.{labels[i]}" in b["_new"]:
            return
        all_enums[name] = {"values": labels, "renamed_labels": {new: labels[i]}}
        old = labels[i]
        labels[i] = new
        for t in b["tables"].values():
            for c in t["columns"].values():
                if c.get("type") == name and c.get("default") == old:
                    c["default"] = new
    elif choice == 2 and len(labels) > 1:
        victim = draw(st.sampled_from(labels))
        if victim not in used:
            labels.remove(victim)
    elif choice == 3 and len(labels) > 1:
        labels.reverse()


EDITS = [
    add_table,
    drop_table,
    rename_table,
    add_column,
    drop_column,
    rename_column,
    change_type,
    flip_nullable,
    change_default,
    identity,
    generated,
    comment,
    constraints,
    enums,
]


@st.composite
def pair(draw: Any) -> tuple[dict[str, Any], dict[str, Any], list[str], bool]:
    a = draw(spec())
    b = copy.deepcopy(a)
    b["_new"] = []  # objects the edits created: a rename hint must name an object of A
    done = []
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(EDITS))
        edit(draw, b)
        done.append(edit.__name__)
    del b["_new"]
    return a, b, done, draw(st.booleans())  # the last: --online


def trigger(draw: Any, b: dict[str, Any]) -> None:
    pg = b.setdefault("postgres", {})
    pg["on_update_trigger"] = not pg.get("on_update_trigger", False)
    if pg["on_update_trigger"]:
        _, t = _table(draw, b)
        t["columns"]["changed"] = {
            "type": "timestamptz",
            "default": {"sql": "now()"},
            "on_update": "now",
        }


def rename_enum(draw: Any, b: dict[str, Any]) -> None:
    all_enums = b.get("enums", {})
    if not all_enums:
        return
    name = draw(st.sampled_from(sorted(all_enums)))
    new = draw(st.sampled_from([e for e in [*ENUMS, "app.mood", "feeling"] if e not in all_enums]))
    if not isinstance(all_enums[name], list):
        return  # new in B, or its labels renamed: keep this edit simple
    all_enums[new] = {"values": all_enums.pop(name), "renamed_from": name}
    for t in b["tables"].values():
        for c in t["columns"].values():
            if c.get("type") == name:
                c["type"] = new


EDITS += [trigger, rename_enum]


def extension(draw: Any, b: dict[str, Any]) -> None:
    pg = b.setdefault("postgres", {})
    if "citext" in pg.get("extensions", []):
        pg["extensions"].remove("citext")
        for t in b["tables"].values():
            for name in [c for c, v in t["columns"].items() if v.get("type") == "citext"]:
                del t["columns"][name]
    else:
        pg["extensions"] = [*pg.get("extensions", []), "citext"]
        _, t = _table(draw, b)
        free = [c for c in COLUMNS if c not in t["columns"]]
        if free:
            name = draw(st.sampled_from(free))
            t["columns"][name] = {"type": "citext", "nullable": True}
            b["_new"].append(f"c:{id(t)}.{name}")


EDITS.append(extension)
