"""Python names the generated code must survive (issue 5).

Column, table, enum and relationship names that are Python keywords, soft
keywords, builtins, Pydantic or SQLAlchemy attribute names, names with leading
underscores, and every name the generated modules import or define.  Each
either gives a positioned diagnostic, or generated code that is ruff and
``mypy --strict`` clean, imports with ``-W error``, keeps the column name in
the database and in JSON, and round-trips a row on PostgreSQL through the
Pydantic insert model, the ORM and the Pydantic row model.

Many names share a few specs: mypy runs once per spec, not once per name.
"""

from __future__ import annotations

import ast
import json
import keyword
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from diag import only, spec_errors, where
from genpy import (
    MYPY,
    ROOT,
    RUFF_CHECK,
    RUFF_FORMAT,
    apply_sql,
    engine,
    generate_into,
    load_package,
    tool,
)

from generator.naming import camel, module_names
from generator.pipeline import generate, load_schema

BUILTINS = ["id", "type", "list", "str", "int", "float", "bool", "bytes", "dict", "object"]
BUILTINS += ["property", "super", "annotations", "print"]
# ``self`` is the constructors' first parameter; ``mro`` and ``Config`` make pydantic warn
BUILTINS += ["self", "mro", "Config"]
PYDANTIC = ["model_config", "model_fields", "model_dump", "json", "schema", "copy", "validate"]
PYDANTIC += ["fields", "construct", "model_validate", "parse_obj", "from_orm"]
UNDERSCORE = ["_", "_x", "__table__", "__init__", "__class__", "__dict__", "_sa_instance_state"]
SQLALCHEMY = ["metadata", "registry", "__tablename__", "__table_args__", "__mapper__"]
SQLALCHEMY += ["__mapper_args__", "awaitable_attrs", "query", "c"]
# The schema's own class names as columns: they are used in annotations.
CLASSES = ["Class", "InsertClass", "UpdateDef", "Mood", "Thing", "Stuff", "More"]

# Column shapes, cycled so that the annotations use many imported names:
# (spec, a value to insert)
SHAPES: list[tuple[str, Any]] = [
    ("{type: text, nullable: true}", "t"),
    ("{type: integer, default: 1}", 7),
    ("{type: timestamp, nullable: true}", datetime(2024, 1, 2, 3, 4, 5)),
    ("{type: uuid, nullable: true}", UUID("12345678-1234-5678-1234-567812345678")),
    ("{type: 'numeric(10,2)', nullable: true}", Decimal("12.34")),
    ("{type: date, nullable: true, description: a date}", date(2024, 1, 2)),
    ("{type: jsonb, nullable: true}", {"k": [1, None, "x"]}),
    ("{type: mood, nullable: true}", "sad"),
    ("{type: 'text[]', nullable: true}", ["a", "b"]),
    ("{type: varchar(20), default: v, description: d}", "w"),
    ("{type: timestamptz, default: {sql: now()}, on_update: now}", None),
]


def hostile_names() -> list[str]:
    names = [*keyword.kwlist, *keyword.softkwlist, *BUILTINS, *PYDANTIC, *UNDERSCORE]
    names += [*SQLALCHEMY, *CLASSES, *sorted(module_names())]
    return list(dict.fromkeys(names))


TABLES = ("things", "stuff", "more")


def spread(names: list[str], camel_case: bool) -> dict[str, list[str]]:
    """Put each name in the first table where it clashes with no other: equal
    after case folding (one column to PostgreSQL) or, with camelCase JSON, the
    same JSON name (``class`` and ``__class__``).  Both are refused elsewhere."""
    out: dict[str, list[str]] = {t: [] for t in TABLES}
    taken: dict[str, set[str]] = {t: set() for t in TABLES}
    for name in names:
        keys = {name.lower(), camel(name) if camel_case else name}
        table = next(t for t in TABLES if not keys & taken[t])
        out[table].append(name)
        taken[table] |= keys
    return out


Spec = tuple[str, dict[str, list[str]], dict[str, dict[str, Any]]]


def hostile_spec(camel_case: bool) -> Spec:
    """The spec, its columns per table, and the value each column gets in the round trip.

    Tables ``class`` and ``def`` (keywords as table names) are linked by
    ``def.class_id``: the derived relationship names are ``class_`` and ``defs`` (a collection is plural).
    """
    lines = ["version: 1"]
    if camel_case:
        lines.append("python: {json_aliases: camel}")
    lines += ["enums:", "  mood: [happy, sad, None, class]", "tables:"]
    lines += ['  "class":', "    columns:", "      pk: {type: integer, primary_key: true}"]
    lines += ['  "def":', "    columns:", "      pk: {type: integer, primary_key: true}"]
    lines += ["      class_id: {type: integer, references: class.pk}"]
    columns = {"class": ["pk"], "def": ["pk", "class_id"]}
    values: dict[str, dict[str, Any]] = {"class": {"pk": 1}, "def": {"pk": 1, "class_id": 1}}
    for table, names in spread(hostile_names(), camel_case).items():
        lines += [f"  {table}:", "    columns:", "      pk: {type: integer, primary_key: true}"]
        values[table] = {"pk": 1}
        columns[table] = ["pk"]
        # Plain columns of every shape after the hostile ones: a hostile name that
        # shadowed an import would break them.
        plain = [f"plain_{i}" for i in range(len(SHAPES))]
        for i, name in enumerate([*names, *plain]):
            shape, value = SHAPES[i % len(SHAPES)]
            lines.append(f'      "{name}": {shape}')
            columns[table].append(name)
            if value is not None:
                values[table][name] = value
    return "\n".join(lines) + "\n", columns, values


@pytest.fixture(scope="module", params=[False, True], ids=["plain_json", "camel_json"])
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    camel_case: bool = request.param
    spec, columns, values = hostile_spec(camel_case)
    package = f"hostile_{'camel' if camel_case else 'plain'}"
    out = tmp_path_factory.mktemp(package) / package
    files = generate_into(spec, out)
    return out, files, columns, values, camel_case


def test_hostile_names_give_lint_clean_typed_code(hostile: Any) -> None:
    out = hostile[0]
    check = tool("ruff", *RUFF_CHECK, str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = tool("ruff", *RUFF_FORMAT, str(out))
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    typed = tool("mypy", *MYPY, "-p", out.name, cwd=out.parent)
    assert typed.returncode == 0, typed.stdout + typed.stderr


def test_hostile_names_import_with_warnings_as_errors(hostile: Any) -> None:
    out = hostile[0]
    code = (
        f"import {out.name}.models, {out.name}.orm\n"
        "from sqlalchemy.orm import configure_mappers\n"
        "configure_mappers()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=out.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def json_name(column: str, camel_case: bool) -> str:
    return camel(column) if camel_case else column


def test_hostile_names_round_trip_on_postgres(hostile: Any, pg_url: str) -> None:
    from sqlalchemy.orm import Session

    out, files, columns, values, camel_case = hostile
    apply_sql(pg_url, files["schema.sql"])
    models, orm = load_package(out, out.name + "_rt")
    classes = {"class": "Class", "def": "Def", "things": "Thing", "stuff": "Stuff", "more": "More"}
    rows = {}
    with Session(engine(pg_url)) as session:
        for table, row in values.items():
            cls = classes[table]
            # From JSON names through the insert model to the ORM class.
            doc = {json_name(c, camel_case): v for c, v in row.items()}
            insert = getattr(models, "Insert" + cls).model_validate(doc)
            rows[table] = getattr(orm, cls)(**insert.model_dump(exclude_unset=True))
            session.add(rows[table])
            session.flush()
        session.commit()
        session.expire_all()
        # Relationships derived from keyword names are made safe: class_ and from_.
        child = session.get(orm.Def, 1)
        assert child is not None and child.class_ is session.get(orm.Class, 1)
        assert [c.pk for c in child.class_.defs] == [1]
        for table, row in values.items():
            cls = classes[table]
            read = getattr(models, cls).model_validate(session.get(getattr(orm, cls), 1))
            dumped = read.model_dump(by_alias=True)
            for column, value in row.items():
                assert dumped[json_name(column, camel_case)] == value, column
            as_json = json.loads(read.model_dump_json(by_alias=True))
            assert list(as_json) == list(dumped)
            assert getattr(models, cls).model_validate(as_json).model_dump() == read.model_dump()
    # The database has the spec's column names, in order, and the values as given.
    with psycopg.connect(pg_url) as conn:
        for table, row in values.items():
            cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # type: ignore[arg-type]
            assert cur.description is not None
            assert [d.name for d in cur.description] == columns[table]
            got = dict(zip(columns[table], cur.fetchone() or (), strict=True))
            for column, value in row.items():
                assert got[column] == value, (table, column)


# -- names that cannot work: one positioned diagnostic each -----------------------

HEAD = "version: 1\ntables:\n"
PROJECTS = "  projects:\n    columns:\n      id: {type: integer, primary_key: true}\n"

DIAGNOSTICS: dict[str, tuple[str, tuple[str, int, int, str], str]] = {
    # spec text (after HEAD), expected (code, line, col, path), text in the message
    "relation_named_like_a_column": (
        PROJECTS
        + "      title: text\n"
        + "      parent_id:\n"
        + "        type: integer\n"
        + "        references: {to: projects.id, relation: title, inverse: children}\n",
        ("relation-collision", 9, 49, "tables.projects.columns.parent_id.references.relation"),
        "Project.title has the same name as a column",
    ),
    "inverse_named_like_a_parent_column": (
        PROJECTS
        + "      name: text\n"
        + "  tasks:\n    columns:\n      id: {type: integer, primary_key: true}\n"
        + "      project_id: {type: integer, references: {to: projects.id, inverse: name}}\n",
        ("relation-collision", 10, 74, "tables.tasks.columns.project_id.references.inverse"),
        "Project.name has the same name as a column",
    ),
    "relation_named_a_keyword": (
        PROJECTS
        + "      parent_id: {type: integer, references: {to: projects.id, relation: class}}\n",
        ("invalid-relation-name", 6, 74, "tables.projects.columns.parent_id.references.relation"),
        "'class' on Project is not usable",
    ),
    "relation_named_metadata": (
        PROJECTS
        + "      parent_id: {type: integer, references: {to: projects.id, relation: metadata}}\n",
        ("invalid-relation-name", 6, 74, "tables.projects.columns.parent_id.references.relation"),
        "'metadata' on Project",
    ),
    "relation_named_a_class": (
        PROJECTS
        + "      parent_id: {type: integer, references: {to: projects.id, relation: Project}}\n",
        ("invalid-relation-name", 6, 74, "tables.projects.columns.parent_id.references.relation"),
        "'Project' on Project",
    ),
    "table_whose_class_would_be_base": (
        "  bases:\n    columns:\n      id: {type: integer, primary_key: true}\n",
        ("invalid-class-name", 3, 3, "tables.bases"),
        "'Base' cannot be a class name",
    ),
    "table_whose_class_would_shadow_an_import": (
        "  indexes:\n    columns:\n      id: {type: integer, primary_key: true}\n",
        ("invalid-class-name", 3, 3, "tables.indexes"),
        "'Index' cannot be a class name: it is a name the generated modules import",
    ),
    "class_name_none": (
        "  nones:\n    columns:\n      id: {type: integer, primary_key: true}\n",
        ("invalid-class-name", 3, 3, "tables.nones"),
        "'None' cannot be a class name: it is not a Python identifier",
    ),
    "explicit_class_name_text": (
        "  notes:\n    class_name: Text\n    columns:\n      id: {type: integer, primary_key: true}\n",
        ("invalid-class-name", 4, 17, "tables.notes.class_name"),
        "'Text' cannot be a class name",
    ),
    "enum_whose_class_would_shadow_an_import": (
        # in a schema: unqualified, ``uuid`` would be PostgreSQL's own type (pg-reserved-name)
        PROJECTS + "      kind: app.uuid\nenums:\n  app.uuid: [a, b]\n",
        ("invalid-class-name", 8, 3, 'enums["app.uuid"]'),
        "'Uuid' cannot be a class name",
    ),
    "insert_prefixed_table_next_to_its_base": (
        PROJECTS
        + "  insert_projects:\n    columns:\n      id: {type: integer, primary_key: true}\n",
        ("duplicate-class-name", 6, 3, "tables.insert_projects"),
        "tables 'projects' and 'insert_projects' both map to class 'InsertProject'",
    ),
    "two_tables_one_class": (
        PROJECTS + "  project:\n    columns:\n      id: {type: integer, primary_key: true}\n",
        ("duplicate-class-name", 6, 3, "tables.project"),
        "both map to class 'Project'",
    ),
    "keyword_and_its_attribute": (
        PROJECTS + "      class: text\n      class_: text\n",
        ("attribute-collision", 7, 7, "tables.projects.columns.class_"),
        "both become Python attribute 'class_'",
    ),
    "leading_underscore_and_its_attribute": (
        PROJECTS + "      _x: text\n      x_: text\n",
        ("attribute-collision", 7, 7, "tables.projects.columns.x_"),
        "both become Python attribute 'x_'",
    ),
    "derived_relation_name_taken_by_a_column": (
        PROJECTS
        + "      class_: text\n"
        + "      class_id: {type: integer, nullable: true, references: projects.id}\n",
        ("relation-collision", 7, 61, "tables.projects.columns.class_id.references"),
        "Project.class_ has the same name as a column",
    ),
}


@pytest.mark.parametrize("name", list(DIAGNOSTICS))
def test_unusable_python_names_give_one_positioned_diagnostic(name: str) -> None:
    text, expected, message = DIAGNOSTICS[name]
    diag = only(HEAD + text)
    assert where(diag) == expected, diag
    assert message in diag.message, diag.message
    assert diag.hint


def test_camel_json_names_that_collide_are_refused() -> None:
    text = "version: 1\npython: {json_aliases: camel}\ntables:\n" + PROJECTS
    extra = (
        "      a_b: text\n      aB: text\n      x: text\n      _x: text\n      __table__: text\n"
    )
    diags = spec_errors(text + extra)
    assert [(*where(d), d.message) for d in diags] == [
        (
            "json-name-collision",
            7,
            7,
            "tables.projects.columns.a_b",
            "columns 'aB' and 'a_b' both have the JSON name 'aB'",
        ),
        (
            "json-name-collision",
            10,
            7,
            "tables.projects.columns._x",
            "columns 'x' and '_x' both have the JSON name 'x'",
        ),
    ]
    # Without camelCase the JSON name is the column name: no clash.
    assert spec_errors(HEAD + PROJECTS + "      x: text\n      _x: text\n") == []


def module_level_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ClassDef | ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def test_every_module_level_name_of_the_outputs_is_reserved() -> None:
    # The reserved list must grow with the outputs: every name the generated
    # modules bind (for every golden case and example) is reserved, or is a
    # class of the schema, or private.
    specs = [ROOT / "schema.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]
    specs += sorted((ROOT / "tests" / "cases").glob("*/schema.yaml"))
    checked = 0
    for path in specs:
        loaded = load_schema(path.read_bytes(), path.name)
        if loaded.schema is None:
            continue
        result = generate_from(path)
        schema_classes = {e.class_name for e in loaded.schema.enums}
        for t in loaded.schema.tables:
            schema_classes |= {t.class_name, "Insert" + t.class_name, "Update" + t.class_name}
        schema_classes |= {v.class_name for v in loaded.schema.views}  # and orm.py's Tables:
        schema_classes |= {v.name for v in loaded.schema.views}
        schema_classes |= {q.py_name for q in loaded.schema.sequences}  # orm.py's Sequences
        chosen = (loaded.schema.outputs.path(k) for k in ("pydantic", "sqlalchemy"))
        for name in [p for p in chosen if p is not None]:  # as ``outputs:`` placed them
            bound = module_level_names(result[name]) - schema_classes - {"annotations"}
            assert {n for n in bound if not n.startswith("_")} <= module_names(), (path, name)
            checked += 1
    assert checked >= 40


def generate_from(path: Path) -> dict[str, str]:
    result = generate(path.read_bytes(), path.name)
    assert result.ok
    return result.files
