"""Issue 4 features through the generated ORM and models on PostgreSQL:
reference shapes (cycle, self-reference, two references to one table,
many-to-many), server-generated columns and enums."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from genpy import apply_sql, engine, generate_into, load_package
from sqlalchemy import select
from sqlalchemy.orm import Session

pytestmark = pytest.mark.postgres

CASES = Path(__file__).resolve().parent / "cases"


def build(case: str, tmp_path: Path, pg_url: str) -> tuple[Any, Any, Any]:
    files = generate_into((CASES / case / "schema.yaml").read_bytes(), tmp_path / "pkg")
    apply_sql(pg_url, files["schema.sql"])
    models, orm = load_package(tmp_path / "pkg", f"orm_features_{case}")
    return models, orm, engine(pg_url)


def test_reference_shapes_through_the_orm(tmp_path: Path, pg_url: str) -> None:
    _, orm, eng = build("reference_shapes", tmp_path, pg_url)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overlapping relationships, unsortable cycles
        orm.Base.registry.configure()  # this package's mappers only
        orm.Base.metadata.sorted_tables  # noqa: B018 - sorting warns on an unmarked cycle
    try:
        with Session(eng) as session:
            ann = orm.User(id=1)
            post = orm.Post(id=1, author=ann)
            news, tea = orm.Tag(id=1, name="news"), orm.Tag(id=2, name="tea")
            post.tags.extend([news, tea])  # many-to-many, written through the junction
            root = orm.Comment(id=1, post=post)
            reply = orm.Comment(id=2, post=post, parent=root)
            session.add_all([ann, post, reply])
            session.flush()
            ann.best_post = post  # the cycle closes after both rows exist
            session.commit()
        with Session(eng) as session:
            post = session.get(orm.Post, 1)
            assert sorted(t.name for t in post.tags) == ["news", "tea"]
            assert [p.id for p in session.get(orm.Tag, 2).posts] == [1]
            assert post.author.best_post is post
            assert post.author.author_posts == [post] and post.reviewer is None
            root = session.get(orm.Comment, 1)
            assert [c.id for c in root.children] == [2] and root.children[0].parent is root
            session.delete(post)  # the database cascades to comments and post_tags
            session.commit()
            assert session.scalars(select(orm.PostTag)).all() == []
            assert session.scalars(select(orm.Comment)).all() == []
    finally:
        eng.dispose()


def test_server_generated_columns_are_read_only_in_the_models(tmp_path: Path, pg_url: str) -> None:
    models, orm, eng = build("identity_generated", tmp_path, pg_url)
    insert_fields = set(models.InsertLine.model_fields)
    update_fields = set(models.UpdateLine.model_fields)
    assert "id" not in insert_fields and "total" not in insert_fields  # always / generated
    assert "seq" in insert_fields  # by default: may be given
    assert not {"id", "total", "label"} & update_fields
    try:
        with Session(eng) as session:
            new = models.InsertLine(price="2.50", qty=4)
            session.add(orm.Line(**new.model_dump(exclude_unset=True)))
            session.commit()
            row = session.scalars(select(orm.Line)).one()
            assert (row.id, row.seq, str(row.total), row.label) == (1, 1, "10.00", "#4")
            assert models.Line.model_validate(row).total == row.total
    finally:
        eng.dispose()


def test_enum_columns_round_trip(tmp_path: Path, pg_url: str) -> None:
    models, orm, eng = build("enums", tmp_path, pg_url)
    try:
        with Session(eng) as session:
            session.add(orm.Post(id=1, roles=["admin", "member"]))
            session.commit()
            row = session.get(orm.Post, 1)
            assert (row.status, row.roles) == ("it's live", ["admin", "member"])
            assert models.Post.model_validate(row).status == "it's live"
        with pytest.raises(ValueError):
            models.InsertPost(id=2, roles=[], status="nope")
    finally:
        eng.dispose()


def test_composite_foreign_key_and_namespaces_through_the_orm(tmp_path: Path, pg_url: str) -> None:
    root = Path(__file__).resolve().parent.parent
    files = generate_into((root / "examples" / "saas.yaml").read_bytes(), tmp_path / "pkg")
    apply_sql(pg_url, files["schema.sql"])
    models, orm = load_package(tmp_path / "pkg", "orm_features_saas")
    eng = engine(pg_url)
    try:
        with Session(eng) as session:
            acme = orm.Tenant(name="Acme", slug="acme")
            ann = orm.User(email="Ann@Example.com", display_name="Ann")  # auth.users
            site = orm.Project(tenant=acme, name="Site")
            task = orm.Task(tenant=acme, title="Launch", assignee=ann)
            site.tasks.append(task)  # (tenant_id, project_id) -> projects(tenant_id, id)
            session.add_all([acme, ann, site, orm.Membership(tenant=acme, user=ann, role="owner")])
            session.commit()
            task_id = task.id
        with Session(eng) as session:
            task = session.get(orm.Task, task_id)
            assert (task.project.name, task.tenant.slug, task.assignee.display_name) == (
                "Site",
                "acme",
                "Ann",
            )
            assert task.status == "todo" and task.labels == []
            row = models.Task.model_validate(task)
            assert row.project_id == task.project.id and row.status == "todo"
            assert [m.role for m in task.tenant.memberships] == ["owner"]
    finally:
        eng.dispose()


def test_junctions_whose_two_keys_reach_one_table_through_the_orm(
    tmp_path: Path, pg_url: str
) -> None:
    _, orm, eng = build("self_junction", tmp_path, pg_url)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overlapping relationships, ambiguous joins
        orm.Base.registry.configure()
    try:
        with warnings.catch_warnings(), Session(eng) as session:
            warnings.simplefilter("error")  # e.g. a junction row deleted twice
            ann, bob, cy = (orm.User(name=n) for n in ("ann", "bob", "cy"))
            ann.followees.extend([bob, cy])  # ann follows bob and cy: two junction rows
            cy.followers.append(bob)  # bob follows cy, written from the other side
            ann.friends.append(bob)
            lamp, bulb, shade = (orm.Product(id=i, title=t) for i, t in enumerate("LBS"))
            lamp.suggestions.extend([bulb, shade])
            lamp.users.append(ann)  # the ordinary junction beside them
            session.add_all([ann, bob, cy, lamp])
            session.commit()
            ids = {u.name: u.id for u in (ann, bob, cy)}
        with warnings.catch_warnings(), Session(eng) as session:
            warnings.simplefilter("error")
            rows = session.execute(
                select(orm.UserFollow.follower_id, orm.UserFollow.followee_id).order_by(
                    orm.UserFollow.follower_id, orm.UserFollow.followee_id
                )
            ).all()
            assert [tuple(r) for r in rows] == [
                (ids["ann"], ids["bob"]),
                (ids["ann"], ids["cy"]),
                (ids["bob"], ids["cy"]),
            ]
            ann, bob, cy = (session.get(orm.User, ids[n]) for n in ("ann", "bob", "cy"))

            def names(users: list[Any]) -> list[str]:
                return sorted(u.name for u in users)

            assert (names(ann.followees), names(ann.followers)) == (["bob", "cy"], [])
            assert (names(bob.followees), names(bob.followers)) == (["cy"], ["ann"])
            assert (names(cy.followees), names(cy.followers)) == ([], ["ann", "bob"])
            assert (names(ann.friends), names(bob.friend_of), bob.friends) == (["bob"], ["ann"], [])
            # the junction's own class, beside the collections across it; both are
            # loaded, so deleting ann below deletes her junction rows twice
            assert names([f.follower for f in cy.followee_user_follows]) == ["ann", "bob"]
            assert names([f.followee for f in ann.follower_user_follows]) == ["bob", "cy"]
            lamp = session.get(orm.Product, 0)
            assert sorted(p.title for p in lamp.suggestions) == ["B", "S"]
            assert [p.title for p in session.get(orm.Product, 1).suggestion_of] == ["L"]
            assert [p.title for p in ann.products] == ["L"]
            bob.followees.remove(cy)  # unfollow: the junction row goes
            session.delete(ann)  # the database cascades to ann's follows and friendships
            session.commit()
            assert session.execute(select(orm.UserFollow)).all() == []
            assert session.execute(select(orm.Friendship)).all() == []
            assert (cy.followers, bob.friend_of) == ([], [])
    finally:
        eng.dispose()
