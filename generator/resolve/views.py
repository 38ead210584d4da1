"""Pass ``views``: views and materialized views.

The query must be exactly one SELECT (sqlglot parses it; no ';', no comments,
no unterminated quote or dollar tag), producing as many columns as the spec
declares (a ``*`` is expanded as PostgreSQL expands it when the view is
created).  The tables and views it reads must be the spec's: they give the
order of creation (a view after what it reads; a cycle is an error).  The
query is then type-checked as PostgreSQL's analyser would and the declared
columns held to it, in order, type and nullability (viewquery.py).
"""

from __future__ import annotations

from ..naming import constraint_name, is_reserved_attr, module_names, pascal
from ..typeref import parse_column_type
from ..types import ColumnType
from .draft import Draft, DraftView


def read_query(sql: str) -> tuple[str, int, tuple[str, ...]]:
    """(problem, number of output columns (-1 when a '*' expands), relations read)."""
    if not sql.strip():
        return "the query is empty", 0, ()
    if "\x00" in sql:
        return "the query contains a NUL character", 0, ()
    import sqlglot
    from sqlglot import TokenType, exp
    from sqlglot.errors import SqlglotError

    try:
        tokens = sqlglot.tokenize(sql, read="postgres")
        if any(t.token_type == TokenType.SEMICOLON for t in tokens):
            return "a ';' ends the query: a view is one SELECT, not statements", 0, ()
        if any(t.comments for t in tokens):
            return "comments ('--', '/* */') are not allowed in a view's query", 0, ()
        statements = sqlglot.parse(sql, read="postgres")
    except SqlglotError as exc:
        first = str(exc).splitlines()[0]
        if "tokeniz" in first.lower():
            first = "an unterminated string, quoted name or dollar quote"
        return f"not a valid query: {first}", 0, ()
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        return "not a single SELECT", 0, ()
    query = statements[0]

    def star(item: object) -> bool:  # ``*`` or ``t.*``; ``count(*)`` is not one
        return isinstance(item, exp.Star) or (
            isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
        )

    width = -1 if any(star(e) for e in query.selects) else len(query.selects)
    ctes = {c.alias_or_name for c in query.find_all(exp.CTE)}
    reads: list[str] = []
    for table in query.find_all(exp.Table):
        schema = "" if table.db == "public" else table.db  # the DDL's search_path: public
        key = f"{schema}.{table.name}" if schema else table.name
        if table.name and key not in ctes and key not in reads:
            reads.append(key)
    return "", width, tuple(reads)


def run(d: Draft) -> None:
    known = {key.lower(): key for key in d.tables}
    found: dict[str, tuple[DraftView, tuple[str | int, ...]]] = {}
    for name, spec in d.spec.views.items():
        path: tuple[str | int, ...] = ("views", name)
        ok = d.check_ident(name, "view", path)
        taken = d.relation_names.setdefault(None, set())
        if name.lower() not in known and name in taken:
            ok = False
            d.error(
                "duplicate-name",
                f"view {name!r} has the name of an index or constraint",
                path,
                "give the view another name",
                key=True,
            )
        if name.lower() in known:
            ok = False
            d.error(
                "duplicate-name",
                f"view {name!r} has the name of the table {known[name.lower()]!r}",
                path,
                "give the view another name",
                key=True,
            )
        ok = _python_names(d, name, spec.class_name or pascal(name), path) and ok
        columns: list[tuple[str, ColumnType]] = []
        for cname, cspec in spec.columns.items():
            cpath = (*path, "columns", cname)
            ok = d.check_ident(cname, "column", cpath) and ok
            if is_reserved_attr(cname, d.class_names):
                ok = False
                d.error(
                    "reserved-name",
                    f"view column {cname!r} cannot be a field of the view's Python row model",
                    cpath,
                    f"rename it in the query (... AS {cname}_value) and here",
                    key=True,
                )
            ctype, message, hint = parse_column_type(cspec.type, d.enum_labels)
            if ctype is None:
                ok = False
                code = "unknown-type" if "unknown" in message else "invalid-type"
                d.error(code, message, (*cpath, "type"), hint)
                continue
            columns.append((cname, ctype))
        problem, width, reads = read_query(spec.query)
        if problem:
            ok = False
            d.error(
                "invalid-query",
                problem,
                (*path, "query"),
                "write one SELECT over the spec's tables and views",
            )
        elif width not in (-1, len(spec.columns)):
            ok = False
            d.error(
                "view-columns",
                f"the query returns {width} columns; 'columns' declares {len(spec.columns)}",
                (*path, "columns"),
                "declare each column the query returns, in order",
                key=True,
            )
        elif not any(r not in d.tables and r not in d.spec.views for r in reads):
            ok = d.view_query(spec, path, columns) and ok
        for ref in reads:
            if ref not in d.tables and ref not in d.spec.views:
                ok = False
                d.error(
                    "unknown-table",
                    f"the query reads {ref!r}, which is not a table or view of the spec",
                    (*path, "query"),
                    "a view may read only the spec's tables and views (they order the DDL)",
                )
        key = _columns(d, list(spec.columns), spec.key, (*path, "key"), name) if spec.key else ()
        if spec.indexes and not spec.materialized:
            ok = False
            d.error(
                "invalid-index",
                "only a materialized view has indexes",
                (*path, "indexes"),
                "add 'materialized: true', or remove the indexes",
                key=True,
            )
        indexes: list[tuple[str, tuple[str, ...], bool]] = []
        for i, ix in enumerate(spec.indexes):
            cols = _columns(
                d, list(spec.columns), ix.columns, (*path, "indexes", i, "columns"), name
            )
            if cols is None:
                ok = False
                continue
            ix_name = ix.name or constraint_name(name, cols, "idx")
            if ix_name in taken or ix_name == name:
                ok = False
                d.error(
                    "duplicate-name",
                    f"index name {ix_name!r} is taken by another table, view or index",
                    (*path, "indexes", i),
                    "give the index a 'name:'",
                )
            taken.add(ix_name)
            indexes.append((ix_name, cols, ix.unique))
        if not ok or key is None:
            continue
        taken.add(name)
        query = "\n".join(line.rstrip() for line in spec.query.strip().splitlines())
        view = DraftView(name, spec, path, query, columns, key, indexes, reads)
        found[name] = (view, path)
    d.views.extend(_ordered(d, found))


def _python_names(d: Draft, name: str, class_name: str, path: tuple[str | int, ...]) -> bool:
    """orm.py binds the view's name, models.py its class: neither may shadow another name."""
    ok = True
    if name in module_names() or name in d.class_names:
        ok = False
        d.error(
            "reserved-name",
            f"view {name!r} would shadow a name of the generated orm.py",
            path,
            "give the view another name",
            key=True,
        )
    if class_name in module_names() or class_name in d.class_names:
        ok = False
        d.error(
            "class-name-collision",
            f"the view's class {class_name!r} is already a generated class or name",
            path,
            "set 'class_name:' on the view",
            key=True,
        )
    return ok


def _columns(
    d: Draft, names: list[str], listed: list[str], path: tuple[str | int, ...], view: str
) -> tuple[str, ...] | None:
    """Columns a key or index lists: each a declared column of the view, once."""
    ok = bool(listed) and len(set(listed)) == len(listed)
    if not ok:
        d.error(
            "invalid-index",
            "list each column once, at least one",
            path,
            f"columns: {', '.join(names)}",
        )
    for i, name in enumerate(listed):
        if name not in names:
            ok = False
            d.error(
                "unknown-column",
                f"view {view!r} has no column {name!r}",
                (*path, i),
                f"columns: {', '.join(names)}",
            )
    return tuple(listed) if ok else None


def _ordered(
    d: Draft, views: dict[str, tuple[DraftView, tuple[str | int, ...]]]
) -> list[DraftView]:
    """Views after the views they read; a cycle is reported once per view in it."""
    done: list[DraftView] = []
    placed: set[str] = set()
    pending = dict(views)
    while pending:
        ready = [
            n
            for n, (v, _) in pending.items()
            if all(r in placed or r not in views for r in v.reads)
        ]
        if not ready:
            for n, (_, path) in pending.items():
                d.error(
                    "view-cycle",
                    f"view {n!r} reads itself through other views",
                    (*path, "query"),
                    "break the cycle between: " + ", ".join(pending),
                )
            return done
        for n in ready:
            done.append(pending.pop(n)[0])
            placed.add(n)
    return done
