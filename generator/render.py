"""Render the resolved model through the Jinja templates, in memory.

``TARGETS`` declares which template writes which file and with which context
(as Ent's ``template.go``).  Everything is rendered before anything is
written; a failing template means no output at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .model import Schema
from .outputs import postgres, pydantic_models, sqlalchemy_orm


# The outputs that are off unless chosen are imported only when rendered
# (23 M instructions of start-up a run that does not choose them skips).
def _drizzle(schema: Schema) -> dict[str, Any]:
    from .outputs import drizzle

    return drizzle.context(schema)


def _mermaid(schema: Schema) -> dict[str, Any]:
    from .outputs import mermaid

    return mermaid.context(schema)


def _data_dictionary(schema: Schema) -> dict[str, Any]:
    from .outputs import datadict

    return datadict.context(schema)


# A NamedTuple, not a frozen dataclass: creating a dataclass is ~3.5 M instructions
# (about 1 ms) of every run; a NamedTuple ~0.7 M.
class Target(NamedTuple):
    output: str  # key in ``outputs:``; Schema.outputs says the path (or that it is off)
    template: str  # path inside the template folder
    context: Callable[[Schema], dict[str, Any]]


TARGETS: tuple[Target, ...] = (
    Target("schema_sql", "postgres/schema.sql.jinja", postgres.context),
    Target("pydantic", "pydantic/models.py.jinja", pydantic_models.context),
    Target("sqlalchemy", "sqlalchemy/orm.py.jinja", sqlalchemy_orm.context),
    Target("python_init", "python/__init__.py.jinja", pydantic_models.package_context),
    # Off unless chosen in ``outputs:`` (spec/outputs.py).
    Target("drizzle", "drizzle/schema.ts.jinja", _drizzle),
    Target("mermaid", "docs/schema.mmd.jinja", _mermaid),
    Target("data_dictionary", "docs/schema.md.jinja", _data_dictionary),
)


def template_dir() -> Path:
    """Templates ship inside the wheel (generator/templates); in a checkout they
    are the repository's top-level templates/ folder."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


@cache  # one cache object per process, not a new class and cache per render
def _bytecode_cache() -> Any:
    """Jinja's own cache of compiled templates, in its private per-user folder.

    Compiling the four templates is 9 ms of a 0.3 s run.  Jinja keys each entry
    by the template's path and checks the source's checksum and its own
    version before using it, so the output is the same with or without the
    cache; when the folder cannot be used, templates are compiled as usual.
    """
    import jinja2

    class QuietCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return QuietCache()
    except (OSError, RuntimeError):  # no usable temporary folder
        return None


def _environment(folder: Path) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )


# Every ASCII character ``str.rstrip`` strips, but space and the newline itself.
_OTHER_ASCII_SPACE = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"


def _normalise(text: str) -> str:
    """One trailing newline, ``\\n`` only, no trailing spaces: same bytes everywhere."""
    if (
        text.isascii()
        and " \n" not in text
        and not text.endswith(" ")
        and not any(ch in text for ch in _OTHER_ASCII_SPACE)
    ):
        # Nearly every output: no line ends in whitespace (and no \r), which these
        # searches tell in a tenth of the time of splitting a 2 MB module in lines.
        return text.strip("\n") + "\n"
    lines = map(str.rstrip, text.replace("\r\n", "\n").split("\n"))  # map: 25% faster
    return "\n".join(lines).strip("\n") + "\n"


def render_ddl(schema: Schema, folder: Path | None = None) -> str:
    """schema.sql, whether or not ``outputs:`` chooses it: ``validate --db``, the
    migrations' replay and ``diff`` need the DDL of every spec."""
    env = _environment(folder or template_dir())
    target = TARGETS[0]
    return _normalise(env.get_template(target.template).render(**target.context(schema)))


def render_all(
    schema: Schema,
    folder: Path | None = None,
    on_rendered: Callable[[str, str], None] | None = None,
) -> dict[str, str]:
    """Render every chosen target; ``on_rendered(key, text)`` hears of each file as it is
    done (the pipeline starts checking schema.sql while the rest render)."""
    from .outputs.pyfmt import line_length

    env = _environment(folder or template_dir())
    files: dict[str, str] = {}
    for target in TARGETS:
        path = schema.outputs.path(target.output)
        if path is None:  # not chosen in ``outputs:``
            continue
        template = env.get_template(target.template)
        with line_length(schema.outputs.line_length):
            files[path] = _normalise(template.render(**target.context(schema)))
        if on_rendered is not None:
            on_rendered(target.output, files[path])
    return dict(sorted(files.items()))
