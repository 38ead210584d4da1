"""The generated ORM and models against a real PostgreSQL built from schema.sql.

- alembic's compare_metadata (types and server defaults included) finds no
  difference between the database and ``Base.metadata``, and every constraint
  has the same name on both sides: for schema.yaml and every valid golden case;
- a round trip through every relationship, ``updated_at`` moving on update,
  and ON DELETE CASCADE seen through the ORM;
- the Pydantic models agree with the catalog: rows validate, the required
  insert fields are exactly the NOT NULL columns without a default, and an
  insert with only those fields lets the database fill the rest.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from genpy import ROOT, apply_sql, case_specs, engine, generate_into, load_package
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

pytestmark = pytest.mark.postgres

GENERATED = ROOT / "generated"


@pytest.fixture(scope="module")
def repo() -> tuple[Any, Any]:
    return load_package(GENERATED, "generated_orm_under_test")


@pytest.fixture()
def db(pg_url: str) -> Any:
    apply_sql(pg_url, (GENERATED / "schema.sql").read_text())
    eng = engine(pg_url)
    yield eng
    eng.dispose()


def metadata_differences(eng: Any, metadata: Any) -> list[Any]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with eng.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "compare_server_default": True, "include_schemas": True},
        )
        return list(compare_metadata(context, metadata))


def catalog_constraints(eng: Any) -> set[tuple[str, str, str]]:
    query = text(
        "SELECT cl.relname, co.contype, co.conname FROM pg_constraint co "
        "JOIN pg_class cl ON cl.oid = co.conrelid "
        "JOIN pg_namespace n ON n.oid = cl.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND co.contype IN ('p', 'u', 'f')"
    )
    with eng.connect() as conn:
        return {(t, c, n) for t, c, n in conn.execute(query)}


def metadata_constraints(metadata: Any) -> set[tuple[str, str, str]]:
    from sqlalchemy import ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint

    kinds = {PrimaryKeyConstraint: "p", UniqueConstraint: "u", ForeignKeyConstraint: "f"}
    return {
        (table.name, kinds[type(c)], str(c.name))
        for table in metadata.tables.values()
        for c in table.constraints
        if type(c) in kinds
    }


def assert_orm_matches_database(eng: Any, orm: Any) -> None:
    assert metadata_differences(eng, orm.Base.metadata) == []
    assert metadata_constraints(orm.Base.metadata) == catalog_constraints(eng)


def test_orm_metadata_matches_the_database(db: Any, repo: tuple[Any, Any]) -> None:
    assert_orm_matches_database(db, repo[1])


def test_the_comparison_notices_a_drifted_database(db: Any, repo: tuple[Any, Any]) -> None:
    # The comparison above could pass vacuously; show it sees each kind of drift.
    with db.begin() as conn:
        conn.execute(text('ALTER TABLE "assets" ALTER COLUMN "token_count" SET DEFAULT 1'))
        # (assets.file_type: no view or policy reads it, which would block a type change)
        conn.execute(text('ALTER TABLE "assets" ALTER COLUMN "file_type" TYPE varchar(60)'))
        conn.execute(text('ALTER TABLE "prompts" ALTER COLUMN "prompt" SET NOT NULL'))
    kinds = sorted(d[0][0] for d in metadata_differences(db, repo[1].Base.metadata))
    assert kinds == ["modify_default", "modify_nullable", "modify_type"]


@pytest.mark.parametrize("spec", case_specs(), ids=lambda p: p.parent.name)
def test_orm_metadata_matches_the_database_for_golden_case(
    spec: Path, tmp_path: Path, pg_url: str
) -> None:
    files = generate_into(spec.read_bytes(), tmp_path / "case_pkg")
    apply_sql(pg_url, files["schema.sql"])
    _, orm = load_package(tmp_path / "case_pkg", f"case_{spec.parent.name}")
    eng = engine(pg_url)
    try:
        assert_orm_matches_database(eng, orm)
    finally:
        eng.dispose()


def test_round_trip_through_every_relationship(db: Any, repo: tuple[Any, Any]) -> None:
    models, orm = repo
    with Session(db) as session:
        project = orm.Project(title="Launch", user_id="user_1")
        asset = orm.Asset(
            title="Cover",
            file_name="cover.png",
            file_url="https://cdn.example.com/cover.png",
            file_type="image",
            mime_type="image/png",
            size=48213,
        )
        project.assets.append(asset)
        asset.processing_job = orm.AssetProcessingJob(status="queued", project=project)
        project.prompts.append(orm.Prompt(name="intro", order=1))
        project.generated_content.append(orm.GeneratedContent(name="draft", result="…", order=1))
        template = orm.Template(user_id="user_1", title="Blog")
        template.template_prompts.append(orm.TemplatePrompt(name="outline", order=1))
        session.add_all([project, template])
        session.commit()
        ids = (project.id, asset.id, template.id)

    with Session(db) as session:
        project = session.get(orm.Project, ids[0])
        assert project is not None
        [asset] = project.assets
        assert asset.id == ids[1] and asset.project is project
        job = asset.processing_job
        assert job is not None and job.asset is asset and job.project is project
        assert project.asset_processing_jobs == [job]
        assert [p.name for p in project.prompts] == ["intro"]
        assert project.prompts[0].project is project
        assert [c.name for c in project.generated_content] == ["draft"]
        assert project.generated_content[0].project is project
        template = session.get(orm.Template, ids[2])
        assert template is not None
        assert [tp.template for tp in template.template_prompts] == [template]
        # Database defaults arrived: literal and SQL ones.
        assert (asset.content, asset.token_count, job.attempts) == ("", 0, 0)
        assert isinstance(job.last_heart_beat, datetime) and job.error_message is None

        # Every row read through the ORM validates into its select model.
        for row in [project, asset, job, *project.prompts, *project.generated_content]:
            model = getattr(models, type(row).__name__)
            validated = model.model_validate(row)
            for column in inspect(type(row)).columns:
                assert getattr(validated, column.key) == getattr(row, column.key)
        for row in [template, *template.template_prompts]:
            getattr(models, type(row).__name__).model_validate(row)

        before = job.updated_at
        time.sleep(0.002)  # let now() of the next transaction differ; no timing is asserted
        job.status = "done"
        session.commit()
        assert job.updated_at > before
        assert job.created_at <= before

        session.delete(project)
        session.commit()
        for cls in (orm.Asset, orm.AssetProcessingJob, orm.Prompt, orm.GeneratedContent):
            assert session.scalars(select(cls)).all() == []
        assert session.get(orm.Template, ids[2]) is not None


def test_database_cascade_removes_children_the_session_never_loaded(
    db: Any, repo: tuple[Any, Any]
) -> None:
    _, orm = repo
    with Session(db) as session:
        project = orm.Project(title="p", user_id="u")
        session.add(project)
        session.flush()
        session.add(orm.Prompt(project_id=project.id, name="n", order=1))
        session.commit()
        project_id = project.id
    with Session(db) as session:
        project = session.get(orm.Project, project_id)
        session.delete(project)  # prompts not loaded: passive_deletes leaves them to PostgreSQL
        session.commit()
        assert session.scalars(select(orm.Prompt)).all() == []


# -- the Pydantic models against the catalog ----------------------------------------


def required_columns_in_catalog(eng: Any) -> dict[str, set[str]]:
    query = text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND is_nullable = 'NO' AND column_default IS NULL "
        "AND is_identity = 'NO' AND is_generated = 'NEVER'"
    )
    out: dict[str, set[str]] = {}
    with eng.connect() as conn:
        for table, column in conn.execute(query):
            out.setdefault(table, set()).add(column)
    return out


def insert_model(models: Any, cls: Any) -> Any:
    return getattr(models, "Insert" + cls.__name__)


def test_required_insert_fields_are_the_catalogs_not_null_columns_without_default(
    db: Any, repo: tuple[Any, Any]
) -> None:
    models, orm = repo
    catalog = required_columns_in_catalog(db)
    for mapper in orm.Base.registry.mappers:
        cls = mapper.class_
        columns = {c.key: c.name for c in mapper.columns}
        fields = insert_model(models, cls).model_fields
        required = {columns[name] for name, f in fields.items() if f.is_required()}
        assert required == catalog.get(cls.__tablename__, set()), cls.__tablename__
    assert len(orm.Base.registry.mappers) == 9


def sample(column: Any, parents: dict[str, Any]) -> Any:
    """A value for a required column: the parent's key for a foreign key."""
    for fk in column.foreign_keys:
        return parents[fk.column.table.name]
    python = column.type.python_type
    samples: dict[type, Any] = {
        str: "x",
        int: 1,
        bool: True,
        UUID: uuid4(),
        Decimal: Decimal("1"),
        datetime: datetime(2024, 1, 1),
        date: date(2024, 1, 1),
    }
    return samples[python]


def test_insert_with_only_required_fields_lets_the_database_fill_the_rest(
    db: Any, repo: tuple[Any, Any]
) -> None:
    models, orm = repo
    parents: dict[str, Any] = {}
    with Session(db) as session:
        for table in orm.Base.metadata.sorted_tables:
            cls = next(m.class_ for m in orm.Base.registry.mappers if m.local_table is table)
            model = insert_model(models, cls)
            values = {
                name: sample(table.columns[cls.__mapper__.columns[name].name], parents)
                for name, field in model.model_fields.items()
                if field.is_required()
            }
            payload = model(**values).model_dump(exclude_unset=True)
            assert payload == values  # nothing else is sent, not even None
            row = cls(**payload)
            session.add(row)
            session.flush()
            session.refresh(row)
            for column in cls.__mapper__.columns:
                value = getattr(row, column.key)
                if column.server_default is not None:
                    assert value is not None, (table.name, column.name)
            parents[table.name] = row.id
            getattr(models, cls.__name__).model_validate(row)
        session.commit()


def test_values_the_database_would_refuse_are_refused_by_the_model_first(
    db: Any, repo: tuple[Any, Any]
) -> None:
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError

    models, orm = repo
    too_long = {"title": "t", "user_id": "u" * 51}
    with pytest.raises(ValidationError):
        models.InsertProject(**too_long)
    with Session(db) as session, pytest.raises(DBAPIError, match="too long"):
        session.add(orm.Project(**too_long))
        session.flush()
    with Session(db) as session:
        project = orm.Project(title="t", user_id="u")
        session.add(project)
        session.flush()
        prompt = {"project_id": project.id, "name": "n", "order": 2**31}
        with pytest.raises(ValidationError):
            models.InsertPrompt(**prompt)
        with pytest.raises(DBAPIError, match="out of range"):
            session.add(orm.Prompt(**prompt))
            session.flush()


FEATURES = """\
version: 1
enums:
  status: [draft, "it's live"]
  auth.role: [admin, member]
tables:
  posts:
    description: Posts.
    columns:
      id: {type: integer, primary_key: true, identity: always}
      status: {type: status, default: draft}
      roles: {type: "auth.role[]", nullable: true}
      tags: {type: "text[]", nullable: true}
      price: {type: 'numeric(10,2)', check: price >= 0}
      doubled: {type: 'numeric(10,2)', generated: {sql: price * 2}}
      seq: {type: bigint, identity: by_default, unique: true}
    checks: [price < 100000]
    indexes:
      - {columns: [status, price desc], where: "price > 0", include: [tags]}
      - {columns: [tags], using: gin}
  auth.users:
    columns:
      id: {type: uuid, primary_key: true}
      post_id: {type: integer, nullable: true, references: {to: posts.id, on_delete: set null}}
"""


def test_enums_arrays_identity_generated_checks_indexes_and_schemas(
    tmp_path: Path, pg_url: str
) -> None:
    files = generate_into(FEATURES, tmp_path / "features_pkg")
    apply_sql(pg_url, files["schema.sql"])
    models, orm = load_package(tmp_path / "features_pkg", "features_pkg")
    eng = engine(pg_url)
    try:
        assert_orm_matches_database(eng, orm)
        assert set(models.InsertPost.model_fields) == {"status", "roles", "tags", "price", "seq"}
        required = {n for n, f in models.InsertPost.model_fields.items() if f.is_required()}
        assert required == {"price"}
        new = models.InsertPost(price=Decimal("2.50"), tags=["a"], roles=["member"])
        with Session(eng) as session:
            post = orm.Post(**new.model_dump(exclude_unset=True))
            session.add(post)
            session.flush()
            session.add(orm.User(id=uuid4(), post_id=post.id))
            session.commit()
            session.refresh(post)
            row = models.Post.model_validate(post)
            assert (row.status, row.doubled, row.roles, row.tags) == (
                "draft",
                Decimal("5.00"),
                ["member"],
                ["a"],
            )
            assert row.id >= 1 and row.seq >= 1
            assert [u.post for u in post.users] == [post]
        with pytest.raises(ValueError):
            models.InsertPost(price=1, status="published")
    finally:
        eng.dispose()
