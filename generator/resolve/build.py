"""Build the read-only model from the finished draft, once, after every pass."""

from __future__ import annotations

import keyword

from ..model import (
    Check,
    Column,
    Domain,
    Enum,
    Exclusion,
    ForeignKey,
    IdentityKind,
    Index,
    IndexColumn,
    PrimaryKey,
    Relation,
    Schema,
    Sequence,
    Table,
    Unique,
    View,
)
from ..naming import camel, pascal
from .draft import Draft, DraftColumn, DraftRelation, DraftTable, DraftView, split_key


def build(d: Draft) -> Schema:
    namespaces: list[str] = []
    for key in [*d.spec.enums, *d.spec.domains, *d.spec.sequences, *d.spec.tables]:
        ns = split_key(key)[0]
        if ns is not None and ns != "public" and ns not in namespaces:
            namespaces.append(ns)
    return Schema(
        tables=tuple(_table(d, t) for t in d.tables.values()),
        json_aliases=d.spec.python.json_aliases,
        source_name=d.source_name,
        enums=tuple(
            Enum(
                split_key(key)[1],
                tuple(spec.values),
                split_key(key)[0],
                spec.description,
                d.enum_classes[key],
                d.doc.key_span(("enums", key)),
            )
            for key, spec in d.spec.enums.items()
        ),
        extensions=tuple(d.spec.postgres.extensions),
        namespaces=tuple(namespaces),
        functions=tuple(d.functions),
        outputs=d.outputs,
        views=tuple(_view(d, v) for v in d.views),
        sql_before=d.raw_sql.get("before"),
        sql_after=d.raw_sql.get("after"),
        domains=tuple(
            Domain(
                split_key(dom.key)[1],
                dom.type,
                dom.nullable,
                dom.default,
                tuple(Check(name, sql) for name, sql in dom.checks),
                split_key(dom.key)[0],
                dom.description,
                d.doc.key_span(dom.path),
            )
            for dom in d.domains.values()
        ),
        sequences=tuple(
            Sequence(
                split_key(s.key)[1],
                s.data_type,
                s.start,
                s.increment,
                s.min_value,
                s.max_value,
                s.cache,
                s.cycle,
                split_key(s.key)[0],
                s.owned_by,
                s.description,
                d.doc.key_span(s.path),
            )
            for s in d.sequences.values()
        ),
    )


def _table(d: Draft, t: DraftTable) -> Table:
    return Table(
        name=t.bare,
        schema=t.namespace,
        class_name=t.class_name,
        columns=tuple(_column(d, c) for c in t.columns.values()),
        primary_key=PrimaryKey(t.pk_name, t.pk),
        uniques=tuple(
            Unique(name, cols, cols in t.nulls_not_distinct)
            for name, (cols, _) in zip(t.unique_names, t.uniques, strict=True)
        ),
        foreign_keys=tuple(
            ForeignKey(
                f.name,
                f.columns,
                f.ref_table,
                f.ref_columns,
                f.on_delete,
                f.on_update,
                d.doc.span(f.path),
                cyclic=f.cyclic,
                use_alter=f.cyclic,  # the ORM creates both tables first, then the key
            )
            for f in t.fks
        ),
        relations=tuple(_relation(r) for r in t.relations),
        description=t.spec.description,
        span=d.doc.key_span(t.path),
        checks=tuple(Check(c.name or "", d.written(c.sql), c.columns) for c in t.checks),
        indexes=tuple(
            Index(
                ix.name,
                tuple(
                    IndexColumn(c, desc, expr, opclass)
                    for (c, desc), expr, opclass in zip(
                        ix.cols, ix.expressions, ix.opclasses, strict=True
                    )
                ),
                ix.unique,
                ix.using,
                ix.where,
                ix.include,
                d.doc.span(ix.path),
                ix.referenced,
                ix.nulls_not_distinct,
            )
            for ix in t.indexes
        ),
        exclusions=tuple(Exclusion(x.name, x.elements, x.using, x.where) for x in t.exclusions),
        on_update_trigger=t.on_update_trigger,
        triggers=tuple(t.triggers),
        row_level_security=t.row_level_security[0],
        force_row_level_security=t.row_level_security[1],
        policies=tuple(t.policies),
    )


def _column(d: Draft, c: DraftColumn) -> Column:
    assert c.type is not None  # build runs only when no pass found an error
    spec = c.spec
    identity: IdentityKind | None = None
    if spec.identity is not None:
        identity = "always" if spec.identity == "always" else "by default"
    return Column(
        c.name,
        c.type,
        spec.nullable,
        c.default,
        spec.on_update == "now",
        spec.description,
        c.attr,
        c.json_alias,
        d.doc.key_span(c.path),
        identity,
        d.written(spec.generated.sql) if spec.generated is not None else None,
        c.limits,
        c.sequence or None,
        c.type.domain is not None and d.domains[c.type.domain].default is not None,
        c.shared_sequence or None,
    )


def _relation(r: DraftRelation) -> Relation:
    return Relation(
        r.name,
        r.target,
        r.fk.name,
        r.many,
        r.back_populates,
        r.owner_side,
        r.optional,
        r.passive_deletes,
        r.secondary,
        r.cascade,
        r.post_update,
        r.overlaps,
        r.foreign_keys,
        r.remote_side,
        r.primaryjoin,
        r.secondaryjoin,
    )


def _view(d: Draft, v: DraftView) -> View:
    columns = tuple(
        Column(
            name,
            ctype,
            v.spec.columns[name].nullable,
            description=v.spec.columns[name].description,
            attr=name + "_" if keyword.iskeyword(name) else name,
            json_alias=_alias(d, name),
        )
        for name, ctype in v.columns
    )
    return View(
        v.name,
        v.query,
        columns,
        v.spec.class_name or pascal(v.name),
        v.spec.materialized,
        v.key,
        tuple(Index(n, tuple(IndexColumn(c) for c in cols), u) for n, cols, u in v.indexes),
        v.reads,
        v.spec.description,
        d.doc.key_span(v.path),
    )


def _alias(d: Draft, name: str) -> str | None:
    """A view column's camelCase JSON name, as table columns get (python.json_aliases)."""
    if d.spec.python.json_aliases != "camel" or camel(name) == name:
        return None
    return camel(name)
