"""The generated Python: lint-clean, typed, importable alone, and models that behave.

The linters run with explicit settings (see genpy.py) on ``generated/`` and on
every golden case's expected output, so a template change that breaks
formatting or typing fails here, not in a user's CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
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
from pydantic import ValidationError

GENERATED = ROOT / "generated"


def python_folders() -> list[Path]:
    """generated/ and every golden case folder holding generated Python."""
    folders = [GENERATED]
    cases = ROOT / "tests" / "cases"
    if cases.is_dir():
        folders += sorted(p.parent for p in cases.rglob("orm.py"))
    return folders


def _line_length(folder: Path) -> int:
    """The ``outputs.line_length`` a golden case asks for (88 elsewhere)."""
    from generator.pipeline import load_schema

    case = next((p for p in folder.parents if p.parent.name == "cases"), None)
    if case is None:
        return 88
    schema = load_schema((case / "schema.yaml").read_bytes(), "schema.yaml").schema
    return schema.outputs.line_length if schema is not None else 88


def test_generated_python_is_ruff_clean() -> None:
    by_width: dict[int, list[str]] = {}
    for folder in python_folders():
        by_width.setdefault(_line_length(folder), []).append(str(folder))
    for width, folders in sorted(by_width.items()):
        check = tool("ruff", *RUFF_CHECK, f"--line-length={width}", *folders)
        assert check.returncode == 0, check.stdout + check.stderr
        fmt = tool("ruff", *RUFF_FORMAT, f"--line-length={width}", *folders)
        assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_generated_python_passes_mypy_strict(tmp_path: Path) -> None:
    # Copy each folder to a package of its own name: models.py and orm.py of
    # different cases would otherwise be the same module to mypy.
    for i, folder in enumerate(python_folders()):
        target = tmp_path / f"pkg{i}"
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns("*.sql", "__pycache__"))
        (target / "__init__.py").touch()
    result = tool("mypy", *MYPY, str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_imports_from_the_repository_root_with_warnings_as_errors() -> None:
    code = (
        "import sys\n"
        "import generated\n"
        "from generated.models import Project, InsertProject\n"
        "assert 'sqlalchemy' not in sys.modules, 'models must not need sqlalchemy'\n"
        "from generated.orm import Project as ProjectRow\n"
        "from sqlalchemy.orm import configure_mappers\n"
        "configure_mappers()\n"
        "print(Project.__name__, InsertProject.__name__, ProjectRow.__tablename__)\n"
    )
    result = run_python(code, ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Project", "InsertProject", "projects"]


def test_models_do_not_need_sqlalchemy_and_orm_does_not_need_pydantic(tmp_path: Path) -> None:
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("*.sql"))
    blocker = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == {mod!r}:\n"
        "            raise ImportError('blocked ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
    )
    models = run_python(blocker.format(mod="sqlalchemy") + "import generated.models", tmp_path)
    assert models.returncode == 0, models.stderr
    orm = run_python(
        blocker.format(mod="pydantic")
        + "import generated.orm\nfrom sqlalchemy.orm import configure_mappers\nconfigure_mappers()",
        tmp_path,
    )
    assert orm.returncode == 0, orm.stderr


# -- the models' behaviour -------------------------------------------------------


@pytest.fixture(scope="module")
def models() -> Any:
    return load_package(GENERATED, "generated_under_test")[0]


def test_insert_requires_exactly_the_not_null_columns_without_default(models: Any) -> None:
    required = {n for n, f in models.InsertAsset.model_fields.items() if f.is_required()}
    assert required == {
        "project_id",
        "title",
        "file_name",
        "file_url",
        "file_type",
        "mime_type",
        "size",
    }
    update_required = [n for n, f in models.UpdateAsset.model_fields.items() if f.is_required()]
    assert update_required == []
    assert list(models.Asset.model_fields) == [
        "id",
        "project_id",
        "title",
        "file_name",
        "file_url",
        "file_type",
        "mime_type",
        "size",
        "content",
        "token_count",
        "created_at",
        "updated_at",
    ]


def test_omitted_fields_are_not_dumped_and_none_is_refused_for_not_null(models: Any) -> None:
    job = models.InsertAssetProcessingJob(asset_id=uuid4(), project_id=uuid4(), status="queued")
    assert set(job.model_dump(exclude_unset=True)) == {"asset_id", "project_id", "status"}
    with pytest.raises(ValidationError, match="NOT NULL"):
        models.InsertAssetProcessingJob(
            asset_id=uuid4(), project_id=uuid4(), status="queued", attempts=None
        )
    # A nullable column may be set to None on purpose, and then it is sent.
    job = models.InsertAssetProcessingJob(
        asset_id=uuid4(), project_id=uuid4(), status="x", error_message=None
    )
    assert job.model_dump(exclude_unset=True)["error_message"] is None
    update = models.UpdateAssetProcessingJob(status="done")
    assert update.model_dump(exclude_unset=True) == {"status": "done"}
    with pytest.raises(ValidationError, match="NOT NULL"):
        models.UpdateAssetProcessingJob(status=None)
    with pytest.raises(ValidationError, match="Extra inputs"):
        models.UpdateAssetProcessingJob(stauts="typo")


def test_limits_of_the_column_types_are_checked(models: Any) -> None:
    base = {"title": "t"}
    models.InsertProject(**base, user_id="u" * 50)
    with pytest.raises(ValidationError, match="at most 50 characters"):
        models.InsertProject(**base, user_id="u" * 51)
    asset = {
        "project_id": uuid4(),
        "title": "t",
        "file_name": "f",
        "file_url": "u",
        "file_type": "image",
        "mime_type": "image/png",
        "size": 2**63 - 1,
    }
    models.InsertAsset(**asset, token_count=2**31 - 1)
    with pytest.raises(ValidationError, match="less than or equal to 2147483647"):
        models.InsertAsset(**asset, token_count=2**31)
    with pytest.raises(ValidationError, match="greater than or equal to"):
        models.InsertAsset(**{**asset, "size": -(2**63) - 1})


def ts_api_job(asset_id: str, project_id: str) -> dict[str, Any]:
    """An asset processing job as the TypeScript API serialises it."""
    return {
        "id": "3f8e2a4c-1b2d-4c5e-8f90-a1b2c3d4e5f6",
        "assetId": asset_id,
        "projectId": project_id,
        "status": "processing",
        "errorMessage": None,
        "attempts": 2,
        "lastHeartBeat": "2024-05-01T12:00:05.123Z",
        "createdAt": "2024-05-01T11:59:00.000Z",
        "updatedAt": "2024-05-01T12:00:05.123Z",
    }


def ts_api_asset(asset_id: str, project_id: str) -> dict[str, Any]:
    return {
        "id": asset_id,
        "projectId": project_id,
        "title": "Cover",
        "fileName": "cover.png",
        "fileUrl": "https://cdn.example.com/cover.png",
        "fileType": "image",
        "mimeType": "image/png",
        "size": 48213,
        "content": "",
        "tokenCount": 0,
        "createdAt": "2024-05-01T11:58:00.000Z",
        "updatedAt": "2024-05-01T11:58:30.500Z",
    }


def test_camel_case_json_of_the_typescript_api_round_trips(models: Any) -> None:
    asset_id, project_id = str(uuid4()), str(uuid4())
    for model, doc in (
        (models.AssetProcessingJob, ts_api_job(asset_id, project_id)),
        (models.Asset, ts_api_asset(asset_id, project_id)),
    ):
        row = model.model_validate_json(json.dumps(doc))
        # timestamp columns hold UTC: the "Z" is converted, not refused or kept.
        assert row.created_at.tzinfo is None
        assert row.created_at.replace(tzinfo=UTC) == datetime.fromisoformat(doc["createdAt"])
        back = json.loads(row.model_dump_json(by_alias=True))
        assert list(back) == list(doc)
        for key, value in doc.items():
            if key.endswith(("At", "HeartBeat")):
                assert datetime.fromisoformat(back[key]) == datetime.fromisoformat(value)
                assert back[key].endswith("Z")
            else:
                assert back[key] == value, key
    job = models.AssetProcessingJob.model_validate(ts_api_job(asset_id, project_id))
    assert job.error_message is None and job.last_heart_beat == datetime(
        2024, 5, 1, 12, 0, 5, 123000
    )
    # Python code uses the attribute names; both spellings are accepted on input.
    mixed = {"projectId": project_id, "file_name": "a", "title": "t", "fileUrl": "u"}
    new = models.InsertAsset.model_validate(mixed | {"fileType": "t", "mime_type": "m", "size": 1})
    assert (new.project_id, new.file_name, new.file_url) == (UUID(project_id), "a", "u")
    offset = models.Project.model_validate(
        {"id": project_id, "title": "t", "userId": "u"}
        | {"createdAt": "2024-05-01T14:00:00+02:00", "updatedAt": "2024-05-01T12:00:00"}
    )
    assert offset.created_at == offset.updated_at == datetime(2024, 5, 1, 12, 0)


# -- awkward column names, end to end ----------------------------------------------

AWKWARD = """\
version: 1
tables:
  odd_things:
    description: 'Columns named like Python "keywords"; a \\\\ backslash.'
    columns:
      id: {type: integer, primary_key: true}
      class: text
      json: {type: jsonb, nullable: true}
      model_config: {type: varchar(10), default: x}
      metadata:
        type: text
        nullable: true
        description: It's "quoted", and long enough to need wrapping in the generated code.
      from: date
      type: smallint
      date: {type: date, nullable: true}
      registry: {type: boolean, default: false}
  odd_links:
    columns:
      id: {type: uuid, primary_key: true, default: {sql: gen_random_uuid()}}
      parent_id: {type: integer, nullable: true, references: {to: odd_things.id, on_delete: set null}}
      other_id: {type: integer, references: {to: odd_things.id}}
      previous_id: {type: uuid, nullable: true, references: {to: odd_links.id, on_delete: cascade}}
"""


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("awkward") / "awkward_pkg"
    generate_into(AWKWARD, out)
    return out


def test_awkward_names_generate_clean_code(awkward: Path) -> None:
    check = tool("ruff", *RUFF_CHECK, str(awkward))
    fmt = tool("ruff", *RUFF_FORMAT, str(awkward))
    assert check.returncode == 0 and fmt.returncode == 0, check.stdout + fmt.stdout
    typed = tool("mypy", *MYPY, "-p", awkward.name, cwd=awkward.parent)
    assert typed.returncode == 0, typed.stdout
    imported = run_python(
        "import awkward_pkg.models, awkward_pkg.orm\n"
        "from sqlalchemy.orm import configure_mappers\nconfigure_mappers()",
        awkward.parent,
    )
    assert imported.returncode == 0, imported.stderr
    orm = (awkward / "orm.py").read_text()
    assert 'class_: Mapped[str] = mapped_column("class", Text)' in orm
    assert "metadata_: Mapped[str | None] = mapped_column(" in orm


def test_awkward_names_round_trip_on_postgres(awkward: Path, pg_url: str) -> None:
    from sqlalchemy.orm import Session

    apply_sql(pg_url, (awkward / "schema.sql").read_text())
    models, orm = load_package(awkward, "awkward_pkg")
    new = models.InsertOddThing(
        id=1, class_="c", json_={"a": [1, None]}, from_=date(2024, 1, 2), type=7
    )
    assert set(new.model_dump(by_alias=True, exclude_unset=True)) == {
        "id",
        "class",
        "json",
        "from",
        "type",
    }
    with Session(engine(pg_url)) as session:
        thing = orm.OddThing(**new.model_dump(exclude_unset=True))
        session.add(thing)
        session.flush()
        first = orm.OddLink(other_id=1)
        session.add(first)
        session.flush()
        second = orm.OddLink(other_id=1, parent_id=1, previous_id=first.id)
        session.add(second)
        session.commit()
        session.expire_all()
        row = models.OddThing.model_validate(session.get(orm.OddThing, 1))
        assert (row.class_, row.json_, row.model_config_, row.metadata_) == (
            "c",
            {"a": [1, None]},
            "x",
            None,
        )
        assert (row.from_, row.type, row.date_, row.registry_) == (date(2024, 1, 2), 7, None, False)
        dumped = row.model_dump(by_alias=True)
        assert list(dumped) == [
            "id",
            "class",
            "json",
            "model_config",
            "metadata",
            "from",
            "type",
            "date",
            "registry",
        ]
        assert models.OddThing.model_validate(dumped) == row
        link = session.get(orm.OddLink, second.id)
        assert link is not None and link.parent is thing and link.other is thing
        assert link.previous is not None and link.previous.id == first.id
        assert [x.id for x in thing.parent_odd_links] == [second.id]
        assert sorted(x.id for x in thing.other_odd_links) == sorted([first.id, second.id])
        assert [x.id for x in first.previous_odd_links] == [second.id]
    with engine(pg_url).connect() as conn:
        from sqlalchemy import text

        names = conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'odd_things' ORDER BY ordinal_position"
            )
        ).scalars()
        assert list(names) == list(dumped)


def test_layout_matches_ruff_for_every_name_length(tmp_path: Path) -> None:
    # Long names push the generated lines past 88 columns in every way ruff
    # splits them: the call, the value in parentheses, the annotation.
    types = ["timestamp", "integer", "varchar(20)", "uuid", "jsonb", "'numeric(12,2)'"]
    lines = ["version: 1", "python: {json_aliases: camel}", "tables:"]
    for table in ("t", "t" * 40):
        lines += [f"  {table}:", "    columns:", "      id: {type: uuid, primary_key: true}"]
        for n in range(30, 64):
            name = ("c_" * 40)[: n - 3] + f"{n:03d}"
            kind = types[n % len(types)]
            extra = ["", ", nullable: true", ", default: {sql: now()}" * (kind == "timestamp")]
            lines.append(f"      {name}: {{type: {kind}{extra[n % 3]}, description: d}}")
        lines.append(f"      ref_{table}_id: {{type: uuid, references: t.id, nullable: true}}")
    out = tmp_path / "lengths"
    generate_into("\n".join(lines) + "\n", out)
    fmt = tool("ruff", *RUFF_FORMAT, str(out))
    assert fmt.returncode == 0, fmt.stdout
    check = tool("ruff", *RUFF_CHECK, str(out))
    assert check.returncode == 0, check.stdout
